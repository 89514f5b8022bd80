"""Audit event codes of the knowledge hub and the learning networks.

Nothing in this app concerns one person in care: the entries name the practice,
network, meeting or minutes, and who acted."""

from django.utils.translation import gettext_lazy as _

from rits.audit import registry

registry.register(
    {
        "knowledge.practice_created": _("Practice added to the knowledge hub"),
        "knowledge.practice_changed": _("Practice changed"),
        "knowledge.practices_imported": _("Practices imported"),
        "knowledge.practices_import_rejected": _("Practice import refused"),
        "knowledge.practices_exported": _("Practices exported"),
        "knowledge.use_added": _("Place where a practice runs added"),
        "knowledge.report_added": _("Experience report added"),
        "knowledge.fit_checked": _("Fit check answered"),
        "knowledge.term_saved": _("Glossary term saved"),
        "knowledge.network_created": _("Learning network created"),
        "knowledge.member_added": _("Member added to a learning network"),
        "knowledge.digest_changed": _("Weekly digest turned on or off"),
        "knowledge.meeting_planned": _("Network meeting planned"),
        "knowledge.meeting_registered": _("Registered for a network meeting"),
        "knowledge.meeting_closed": _("Network meeting closed"),
        "knowledge.minutes_saved": _("Minutes saved"),
        "knowledge.minutes_amended": _("Amendment to minutes"),
        "knowledge.minutes_finalised": _("Minutes made final"),
        "knowledge.minutes_corrected": _("Correction to final minutes"),
        "knowledge.minutes_change_refused": _("Change to final minutes refused"),
        "knowledge.update_posted": _("Progress update posted"),
        "knowledge.digest_sent": _("Weekly digest sent"),
    }
)
