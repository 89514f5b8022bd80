from io import StringIO

from django.core.management import call_command
from django.test import TestCase
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from rits.accounts.models import Membership, Organisation, User
from rits.audit.models import Entry


class LoadDemoTests(TestCase):
    def load(self) -> str:
        out = StringIO()
        call_command("load_demo", stdout=out)
        return out.getvalue()

    def counts(self) -> tuple[int, ...]:
        return (
            Organisation.objects.count(),
            User.objects.count(),
            Membership.objects.count(),
            TOTPDevice.objects.count(),
        )

    def test_it_builds_parkstad_with_every_role(self) -> None:
        output = self.load()
        names = set(Organisation.objects.values_list("municipality__name", flat=True))
        self.assertEqual(names, {"Heerlen", "Voerendaal", "Landgraaf"})
        kinds = set(Organisation.objects.values_list("kind", flat=True))
        for kind in ("area_team", "youth_care_provider", "veilig_thuis", "education", "ggz"):
            self.assertIn(kind, kinds)
        self.assertEqual(Organisation.objects.filter(kind=Organisation.Kind.AREA_TEAM).count(), 3)
        roles = set(Membership.objects.values_list("role", flat=True))
        self.assertEqual(roles, set(Membership.Role.values))
        self.assertIn("hulpverlener@demo.rits.nl", output)
        self.assertIn("[##############################]", output)  # progress shown

    def test_it_is_idempotent(self) -> None:
        self.load()
        first = self.counts()
        audit_entries = Entry.objects.count()
        self.load()
        self.assertEqual(self.counts(), first)
        self.assertEqual(Entry.objects.count(), audit_entries)

    def test_demo_logins_have_a_working_second_factor(self) -> None:
        self.load()
        user = User.objects.get(email="hulpverlener@demo.rits.nl")
        device = TOTPDevice.objects.get(user=user)
        self.assertTrue(device.confirmed)
        self.assertTrue(user.check_password("Rits-demo-2026!"))
        self.assertTrue(device.verify_token(f"{totp(device.bin_key):06d}"))
