"""Audit event codes of the social map."""

from django.utils.translation import gettext_lazy as _

from rits.audit import registry

registry.register(
    {
        "directory.provider_changed": _("Social map: provider changed"),
        "directory.service_created": _("Social map: service added"),
        "directory.service_changed": _("Social map: service changed"),
        "directory.service_deleted": _("Social map: service removed"),
        "directory.wait_time_confirmed": _("Social map: waiting time confirmed"),
        "directory.schedule_replaced": _("Social map: opening hours changed"),
        "directory.crisis_line_changed": _("Crisis line changed"),
        "directory.location_saved": _("Social map: location saved"),
        "directory.location_removed": _("Social map: location removed"),
        "directory.contacts_changed": _("Social map: contacts changed"),
        "directory.entry_confirmed": _("Social map: entry confirmed"),
        "directory.number_reported": _("Social map: wrong number reported"),
        "directory.conflict_found": _("Social map: conflicting numbers found"),
        "directory.report_resolved": _("Social map: report resolved"),
        "directory.review_requested": _("Social map: editors asked to confirm"),
        "directory.profile_changed": _("Professional profile changed"),
        "directory.imported": _("Social map imported (HSDS)"),
        "directory.csv_imported": _("Social map imported (CSV)"),
        "directory.import_rejected": _("Social map import rejected"),
        "directory.exported": _("Social map exported (HSDS)"),
    }
)
