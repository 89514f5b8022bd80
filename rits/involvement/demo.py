"""Demo signals for the involvement index: a client match and a family match among the
demo professionals. Idempotent: demo signals carry an own reference (DEMO-n) and are
registered only once."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from rits.accounts.models import Membership
from rits.demo.region import DemoRegion
from rits.involvement.models import Signal
from rits.involvement.services import SignalInput, register_signal
from rits.lib import ages
from rits.lib.pseudonyms import synthetic_bsn

# (own reference, reporter key, organisation key, youth key, age, municipality key, parents)
DEMO_SIGNALS = [
    ("DEMO-1", "professional", "area_team_heerlen", "daan", 9, "heerlen", ("mother",)),
    ("DEMO-2", "youth_care_worker", "youth_care", "daan", 9, "heerlen", ("mother",)),
    ("DEMO-3", "ggz_worker", "ggz", "sanne", 15, "heerlen", ("mother", "father")),
    ("DEMO-4", "jgz_worker", "jgz", "milan", 2, "voerendaal", ()),
    ("DEMO-5", "coordinator", "area_team_landgraaf", "lotte", 17, "landgraaf", ()),
]

REPORTERS = ["professional", "coordinator", "youth_care_worker", "ggz_worker", "jgz_worker"]


def build(demo: DemoRegion) -> None:
    # Drawn before anything else, so the same synthetic people come out on every run.
    people = {key: synthetic_bsn(demo.rng) for key in ("daan", "sanne", "milan", "lotte")}
    people.update({key: synthetic_bsn(demo.rng) for key in ("mother", "father")})
    today = timezone.localdate()
    for key in REPORTERS:
        user = demo.people[key]
        org = next(row[2] for row in DEMO_SIGNALS if row[1] == key)
        role = Membership.Role.INDEX_REPORTER
        if not Membership.objects.filter(
            user=user, organisation=demo.organisations[org], role=role
        ).exists():
            Membership.objects.create(
                user=user,
                organisation=demo.organisations[org],
                role=role,
                job_title="Melder betrokkenheidsindex",
            )
        user._roles_cache = None  # type: ignore[assignment]
        user._reporter_organisations = None  # type: ignore[attr-defined]
    for done, (ref, reporter, org, youth, age, mun, parents) in enumerate(DEMO_SIGNALS, 1):
        user = demo.people[reporter]
        if not Signal.objects.filter(reporter=user, own_reference=ref).exists():
            register_signal(
                SignalInput(
                    bsn=people[youth],
                    birth_date=today - timedelta(days=365 * age + 40),
                    municipality=demo.municipalities[mun],
                    parent_bsns=[people[p] for p in parents],
                    youth_informed=ages.youth_informed_required(age),
                    parents_informed=ages.parents_informed_required(age),
                    own_reference=ref,
                ),
                actor=user,
                organisation=demo.organisations[org],
            )
        demo.progress("involvement signals", done, len(DEMO_SIGNALS))
