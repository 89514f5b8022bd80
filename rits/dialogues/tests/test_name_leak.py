"""A family whose names occur everywhere in the free text of its plan: none of them, nor
the BSN, address, date of birth, e-mail or phone number, reaches the account, the
findings, the pages or any export."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

from django.utils import timezone

from rits.accounts.models import Membership
from rits.dialogues import refi, services
from rits.dialogues.models import Account, Kind
from rits.dialogues.tests.base import DialogueTestCase, leaked
from rits.family_plans.models import (
    Action,
    CareTeamMember,
    Consent,
    Decision,
    Family,
    Goal,
    Person,
    Plan,
)
from rits.family_plans.permissions import get_plan_for_user
from rits.family_plans.tests.base import born_years_ago
from rits.testing import login, make_user

NAMES = [
    "Xandra",
    "Okkerse",
    "Milan",
    "Noor",
    "Bram",
    "Tielemans",
    "Wendelien",
    "Vos-Pauwels",
    "Pauwels",
    "111222333",
    "6411 XK",
    "Pastoor Habetsstraat 7",
    "14-02-2011",
    "xandra.okkerse@example.nl",
    "06-12345678",
]


class NameLeakTests(DialogueTestCase):
    def test_no_name_of_the_family_reaches_anything_made_from_it(self) -> None:
        family = Family.objects.create(name="Gezin Okkerse", municipality=self.heerlen)
        parent_user = make_user("xandra@test.rits.nl", "Xandra Okkerse", "family")
        youth = Person.objects.create(
            family=family, role="youth", name="Milan Okkerse", date_of_birth=born_years_ago(16)
        )
        parent = Person.objects.create(
            family=family, role="parent", name="Xandra Okkerse", user=parent_user
        )
        Person.objects.create(family=family, role="sibling", name="Noor Okkerse")
        jim = Person.objects.create(
            family=family, role="jim", name="Bram Tielemans", date_of_birth=born_years_ago(40)
        )
        worker = make_user("wendelien@test.rits.nl", "Wendelien Vos-Pauwels")
        Membership.objects.create(user=worker, organisation=self.area_team, role="professional")
        plan = Plan.objects.create(family=family, youth=youth, coordinator=worker)
        member = CareTeamMember.objects.create(
            plan=plan,
            kind="professional",
            user=worker,
            organisation=self.area_team,
            status="active",
        )
        Consent.objects.create(member=member, purpose="plan", given_by=youth)
        CareTeamMember.objects.create(
            plan=plan, kind="informal", person=jim, status="active", title="JIM"
        )
        Goal.objects.create(
            plan=plan,
            domain="school_work",
            title="Milan naar school",
            description=(
                "Xandra (xandra.okkerse@example.nl, 06-12345678) en Wendelien praten met Noor."
            ),
            outcome="Milan Okkerse, geboren 14-02-2011, BSN 111222333, gaat weer.",
        )
        Action.objects.create(plan=plan, what="Bram belt Milan elke week", who="Bram Tielemans")
        Decision.objects.create(
            plan=plan,
            title="Milan woont bij Xandra",
            text="Pastoor Habetsstraat 7, 6411 XK Heerlen",
            grounds="Vos-Pauwels en Pauwels vinden dat goed",
        )
        Plan.objects.filter(pk=plan.pk).update(
            status="closed", closed_at=timezone.now(), close_reason="Milan 18"
        )
        access = get_plan_for_user(worker, plan.pk)
        trajectory = services.propose_plan(access, actor=worker, title="Terugblik Milan Okkerse")
        # 16: the youth decides (the parent's consent is recorded too, and not needed).
        services.give_consent(trajectory, actor=worker, person=youth)
        services.give_consent(trajectory, actor=parent_user, person=parent)
        table = services.open_table(
            self.region,
            actor=self.facilitator,
            kind="case",
            title="Tafel voor Milan",
            trajectories=[trajectory],
        )
        services.invite(
            table, actor=self.facilitator, user=self.chair, role="chair", label="Xandra"
        )
        account = services.prepare_account(table, actor=self.facilitator)
        account = services.edit_account(
            account,
            actor=self.facilitator,
            text=account.text + "\nAangevuld: Xandra was boos op Wendelien.",
            version=1,
        )
        services.release_account(account, actor=self.facilitator)
        services.mark_held(table, actor=self.facilitator, held_on=timezone.localdate())
        finding = services.record_finding(
            table,
            actor=self.chair,
            text=(
                "Xandra Okkerse voelde zich niet gehoord; Milan wilde dat Bram meer zei. "
                "Bel 06-12345678."
            ),
            phase="help",
            view="parent",
            codes=[self.code(Kind.BOTTLENECK), self.code(Kind.IMPROVEMENT)],
        )
        services.create_action(
            finding,
            actor=self.chair,
            what="Milan en Xandra samen uitnodigen",
            owner_organisation=self.org_a,
            owner=self.professional,
            due_date=timezone.localdate() + timedelta(days=9),
        )

        texts = {
            "trajectory": trajectory.title,
            "table": table.title,
            "account": Account.objects.get(table=table).text,
            "finding": finding.text,
            "action": finding.actions.get().what,
            "participant": table.participants.get().label,
            "qdc": refi.codebook_xml(self.region.pk).decode(),
        }
        with zipfile.ZipFile(
            io.BytesIO(b"".join(refi.project_stream(self.region.pk, name="x")))
        ) as z:
            texts["qdpx"] = z.read("project.qde").decode()
        login(self.client, self.facilitator)
        for url in (
            f"/dialoogtafels/{table.pk}/",
            "/dialoogtafels/overzicht/bevindingen.csv",
            "/dialoogtafels/overzicht/tellingen.csv",
            f"/api/v1/dialogues/tables/{table.pk}",
            f"/api/v1/dialogues/tables/{table.pk}/findings",
            f"/dialoogtafels/{table.pk}/uitnodiging.ics",
        ):
            texts[url] = self.client.get(url).content.decode()
        xlsx = self.client.get("/dialoogtafels/overzicht/bevindingen.xlsx").content
        with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
            texts["xlsx"] = " ".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xml"))
        self.assertIn("jongere (16)", texts["account"])
        self.assertIn("ouder", texts["finding"])
        for where, text in texts.items():
            with self.subTest(where):
                # The page shows the signed-in facilitator's own name, not the family's.
                self.assertEqual(leaked(text, NAMES), [], where)
