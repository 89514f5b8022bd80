"""Audit event codes of the involvement index."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from rits.audit import registry

registry.register(
    {
        "involvement.signal_registered": _("Involvement registered"),
        "involvement.register_denied": _("Registering involvement refused: not authorised"),
        "involvement.signal_withdrawn": _("Involvement withdrawn"),
        "involvement.signal_ended": _("Involvement ended (expired or youth turned 23)"),
        "involvement.signal_viewed": _("Involvement registration viewed"),
        "involvement.signals_listed": _("Own involvement registrations listed"),
        "involvement.archive_purged": _("Archived involvement registrations purged"),
        "involvement.match_found": _("Match found"),
        "involvement.match_joined": _("Professional joined a match"),
        "involvement.match_viewed": _("Match viewed"),
        "involvement.matches_listed": _("Matches listed"),
        "involvement.coordinator_agreed": pgettext_lazy(
            "involvement", "Coordinator agreed for a match"
        ),
        "involvement.in_touch_confirmed": _("Professionals confirmed they have been in touch"),
        "involvement.match_escalated": pgettext_lazy(
            "involvement", "Municipal coordinator notified of an unresolved match"
        ),
        "involvement.match_closed": _("Match closed"),
        "involvement.plan_started_from_match": _("Family plan started from a match"),
        "involvement.rights_overview": _("Overview of registrations for a person (rights request)"),
        "involvement.rights_exported": _("Overview of registrations exported (rights request)"),
        "involvement.rights_denied": pgettext_lazy(
            "involvement", "Rights request refused: not a municipal coordinator"
        ),
        "involvement.signal_corrected": _("Involvement registration corrected"),
        "involvement.objection_upheld": _("Objection upheld: registration ended"),
        "involvement.import_completed": _("Bulk import of involvement registrations"),
        "involvement.import_rejected": _("Bulk import rejected"),
    }
)
