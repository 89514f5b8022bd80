"""Fill the audit benchmark's database: plans, each coordinated by one of many
professionals, started through the same service as in the application (with its audit
entries), so that every worker reads a realistic mix of plans and readers."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from django.utils import timezone

from rits.accounts.models import Membership, Organisation, User
from rits.family_plans import services
from rits.lib.pseudonyms import synthetic_bsn
from rits.regions.models import YouthCareRegion

PASSWORD = "bench-only-password-0123456789"  # noqa: S105
PLANS_PER_COORDINATOR = 5


def fill(plans: int) -> dict[str, Any]:
    rng = random.Random(11)
    region = YouthCareRegion.objects.get(code="JZ41")
    org = Organisation.objects.create(name="Bench wijkteam", kind="area_team", region=region)
    readers = max(1, plans // PLANS_PER_COORDINATOR)
    coordinators = []
    for i in range(readers):
        user = User.objects.create_user(
            f"bench-regisseur-{i}@bench.rits.nl", PASSWORD, full_name=f"Regisseur {i}"
        )
        Membership.objects.create(user=user, organisation=org, role="professional")
        coordinators.append(user)
    today = timezone.localdate()
    for n in range(plans):
        services.start_plan(
            actor=coordinators[n % readers],
            family_name=f"Gezin {n}",
            youth_name=f"Jongere {n}",
            youth_birth=today - timedelta(days=365 * rng.randrange(4, 17) + rng.randrange(365)),
            youth_bsn=synthetic_bsn(rng),
            parent_names=[f"Ouder {n}"],
            consent_in_person=True,
        )
    return {"plans": plans, "readers": readers}
