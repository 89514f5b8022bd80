from ninja import Router

router = Router(tags=["social map"])
