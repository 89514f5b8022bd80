from django.core import mail

from rits.accounts.models import Notification
from rits.audit.models import Entry
from rits.involvement.models import Match
from rits.involvement.tests.base import IndexTestCase


class MatchingTests(IndexTestCase):
    def test_a_first_signal_has_no_match(self) -> None:
        result = self.register(self.professional, self.bsn())
        self.assertEqual(result.matches, [])
        self.assertFalse(Notification.objects.exists())

    def test_it_finds_a_client_match_across_organisations(self) -> None:
        bsn = self.bsn()
        first = self.register(self.professional, bsn).signal
        result = self.register(self.outsider, bsn)
        self.assertEqual(len(result.matches), 1)
        match = result.matches[0]
        self.assertEqual(match.kind, Match.Kind.CLIENT)
        self.assertEqual(
            set(match.members.values_list("signal_id", flat=True)), {first.pk, result.signal.pk}
        )
        self.assertTrue(Entry.objects.filter(event="involvement.match_found").exists())

    def test_it_finds_a_client_match_across_municipalities(self) -> None:
        bsn = self.bsn()
        self.register(self.professional, bsn, municipality=self.heerlen)
        result = self.register(self.landgraaf_worker, bsn, municipality=self.landgraaf)
        self.assertEqual([m.kind for m in result.matches], [Match.Kind.CLIENT])

    def test_it_finds_a_family_match_through_a_shared_parent(self) -> None:
        mother, father, other = self.bsn(), self.bsn(), self.bsn()
        self.register(self.professional, self.bsn(), parent_bsns=[mother, father])
        result = self.register(self.landgraaf_worker, self.bsn(), parent_bsns=[other, mother])
        self.assertEqual([m.kind for m in result.matches], [Match.Kind.FAMILY])

    def test_it_does_not_match_unrelated_youths(self) -> None:
        self.register(self.professional, self.bsn(), parent_bsns=[self.bsn()])
        result = self.register(self.outsider, self.bsn(), parent_bsns=[self.bsn()])
        self.assertEqual(result.matches, [])

    def test_a_third_professional_joins_the_open_match(self) -> None:
        bsn = self.bsn()
        self.register(self.professional, bsn)
        match = self.register(self.outsider, bsn).matches[0]
        joined = self.register(self.coordinator, bsn).matches[0]
        self.assertEqual(joined.pk, match.pk)
        self.assertEqual(joined.members.count(), 3)
        self.assertEqual(Match.objects.count(), 1)

    def test_both_professionals_get_each_others_contact_details_and_only_that(self) -> None:
        bsn = self.bsn()
        self.register(self.professional, bsn, own_reference="DOSSIER-A")
        with self.captureOnCommitCallbacks(execute=True):
            self.register(self.outsider, bsn, own_reference="DOSSIER-B")
        to_professional = Notification.objects.get(user=self.professional)
        to_outsider = Notification.objects.get(user=self.outsider)
        self.assertIn(self.outsider.full_name, to_professional.body)
        self.assertIn(self.org_b.name, to_professional.body)
        self.assertIn(self.outsider.email, to_professional.body)
        self.assertNotIn(self.professional.email, to_professional.body)
        self.assertIn(self.professional.full_name, to_outsider.body)
        # Nothing else: not the other's own reference, birth date or the pseudonym.
        match = Match.objects.get()
        for note in (to_professional, to_outsider):
            self.assertNotIn("DOSSIER", note.body + note.title)
            self.assertNotIn(match.key, note.body)
        self.assertEqual(
            sorted(m.to[0] for m in mail.outbox),
            sorted([self.professional.email, self.outsider.email]),
        )

    def test_existing_members_hear_only_about_the_newcomer(self) -> None:
        bsn = self.bsn()
        self.register(self.professional, bsn)
        self.register(self.outsider, bsn)
        Notification.objects.all().delete()
        self.register(self.coordinator, bsn)
        to_professional = Notification.objects.get(user=self.professional)
        self.assertIn(self.coordinator.full_name, to_professional.body)
        self.assertNotIn(self.outsider.full_name, to_professional.body)
        to_newcomer = Notification.objects.get(user=self.coordinator)
        self.assertIn(self.outsider.full_name, to_newcomer.body)
        self.assertIn(self.professional.full_name, to_newcomer.body)
