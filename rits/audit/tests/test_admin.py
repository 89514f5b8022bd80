"""The trail in the Django admin is read-only and for privacy officers only."""

from __future__ import annotations

import random

from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from rits.audit.admin import EntryAdmin
from rits.audit.models import Entry
from rits.audit.services import record
from rits.lib.pseudonyms import pseudonymise_bsn, synthetic_bsn
from rits.testing import RitsTestCase, login

CHANGELIST = reverse("admin:audit_entry_changelist")


class EntryAdminTest(RitsTestCase):
    bsn: str
    entry: Entry

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for user in (cls.privacy_officer, cls.admin):
            user.is_staff = True
            user.save()
        cls.bsn = synthetic_bsn(random.Random(3))
        cls.entry = record(
            cls.professional, "audit.chain_verified", subject=pseudonymise_bsn(cls.bsn)
        )

    def test_it_is_registered_on_the_default_site(self) -> None:
        self.assertIsInstance(admin.site._registry[Entry], EntryAdmin)

    def test_nobody_may_add_change_or_delete(self) -> None:
        request = RequestFactory().get("/")
        request.user = self.privacy_officer
        model_admin = admin.site._registry[Entry]

        self.assertFalse(model_admin.has_add_permission(request))
        self.assertFalse(model_admin.has_change_permission(request, self.entry))
        self.assertFalse(model_admin.has_delete_permission(request, self.entry))
        self.assertTrue(model_admin.has_view_permission(request, self.entry))

    def test_a_privacy_officer_can_list_and_search_by_bsn_and_it_is_audited(self) -> None:
        login(self.client, self.privacy_officer)

        response = self.client.get(CHANGELIST, {"q": self.bsn})

        self.assertEqual(response.status_code, 200)
        self.assertEqual(list(response.context["cl"].result_list), [self.entry])
        searched = Entry.objects.filter(event="audit.trail_searched").latest("id")
        self.assertEqual(searched.data["via"], "admin")
        self.assertNotIn(self.bsn, str(searched.data))
        self.assertEqual(searched.subject, self.entry.subject)

    def test_the_detail_page_is_read_only(self) -> None:
        login(self.client, self.privacy_officer)

        response = self.client.get(reverse("admin:audit_entry_change", args=[self.entry.pk]))

        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, 'name="_save"')

    def test_it_hides_the_trail_from_a_functional_admin(self) -> None:
        login(self.client, self.admin)

        self.assertEqual(self.client.get(CHANGELIST).status_code, 403)
        self.assertNotContains(self.client.get(reverse("admin:index")), "audit entr")
