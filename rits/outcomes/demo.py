"""The monitor in the demo: the region publishes a few indicators on its public page,
the figures are computed, and the synthetic CBS file is imported. Idempotent."""

from __future__ import annotations

from pathlib import Path

from rits.demo.region import DemoRegion
from rits.outcomes import periods
from rits.outcomes.models import Figure, OpenFigure, Publication
from rits.outcomes.services import import_open_data, refresh_figures

PUBLISHED = ("plans_started", "family_coordinator", "with_jim", "wait_median", "crisis_hours")
STATLINE = Path(__file__).resolve().parent / "data" / "statline" / "85098NED-wide.json"


def build(demo: DemoRegion) -> None:
    for position, code in enumerate(PUBLISHED):
        Publication.objects.get_or_create(
            region=demo.region, indicator=code, defaults={"position": position}
        )
    if not OpenFigure.objects.filter(table="85098NED").exists():
        import_open_data(STATLINE.read_bytes(), name=STATLINE.name, table="85098NED", actor=None)
    # As the daily command would: once a day (a second demo run the same day finds the
    # same figures, and writes no second audit entry for them).
    if not Figure.objects.filter(made_on=periods.today()).exists():
        refresh_figures()
