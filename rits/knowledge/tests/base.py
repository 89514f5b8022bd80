"""A knowledge hub with one practice and a private learning network:

- ``practice``: assessed (well described, valid a year), public, with two conditions
- ``network``: private, facilitated by ``facilitator``; ``professional`` (org A) and
  ``parent`` are members; ``outsider`` (org B) is not
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from rits.accounts.models import User
from rits.knowledge import services
from rits.knowledge.models import Evidence, Member, Network, NetworkTheme, Practice
from rits.testing import AuditAssertions, RitsTestCase


def practice_data(**overrides: object) -> services.PracticeData:
    values: dict[str, object] = {
        "name": "Huiswerkmaatje",
        "summary": "Een vrijwilliger helpt een kind één keer per week met huiswerk en plannen.",
        "problem": "Kinderen die thuis geen hulp bij schoolwerk krijgen, lopen achter.",
        "evidence": Evidence.WELL_DESCRIBED,
        "evidence_source": "Databank Effectieve Jeugdinterventies",
        "evidence_valid_until": timezone.localdate() + timedelta(days=365),
        "minimum_age": 8,
        "maximum_age": 14,
        "themes": ["onderwijs"],
        "core_elements": ["Elke week hetzelfde maatje."],
        "adaptable": ["De plek: thuis of in de bibliotheek."],
        "conditions": ["Er zijn genoeg vrijwilligers.", "De school doet mee."],
        "is_public": True,
    }
    values.update(overrides)
    return services.PracticeData(**values)  # type: ignore[arg-type]


class KnowledgeTestCase(AuditAssertions, RitsTestCase):
    practice: Practice
    network: Network

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.practice = services.save_practice(practice_data(), actor=cls.facilitator)
        cls.network = services.create_network(
            actor=cls.facilitator,
            name="Leernetwerk Integraal werken (test)",
            theme=NetworkTheme.INTEGRATED_WORK,
            region=cls.region,
            organisation_ids=[cls.org_a.pk, cls.area_team.pk],
        )
        services.add_member(
            cls.network,
            actor=cls.facilitator,
            user=cls.professional,
            role=Member.Role.PROFESSIONAL,
            organisation=cls.org_a,
        )
        services.add_member(
            cls.network, actor=cls.facilitator, user=cls.parent, role=Member.Role.PARENT
        )

    def member(self, user: User) -> Member:
        return Member.objects.get(network=self.network, user=user)
