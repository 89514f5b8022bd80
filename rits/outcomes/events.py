"""Audit event codes of the outcome monitor. Every read of the monitor is audited, as
any other read of aggregated data (purpose: policy)."""

from django.utils.translation import gettext_lazy as _

from rits.audit import registry

registry.register(
    {
        "outcomes.monitor_viewed": _("Outcome monitor viewed"),
        "outcomes.figures_read": _("Outcome figures read through the API"),
        "outcomes.figures_exported": _("Outcome figures exported"),
        "outcomes.figures_refreshed": _("Outcome figures refreshed"),
        "outcomes.open_data_imported": _("Open data (CBS StatLine) imported"),
        "outcomes.open_data_rejected": _("Open data (CBS StatLine) refused"),
        "outcomes.story_written": _("Success story written"),
        "outcomes.story_consent_given": _("Consent given to publish a success story"),
        "outcomes.story_consent_withdrawn": _("Consent to publish a success story withdrawn"),
        "outcomes.story_reviewed": _("Success story reviewed for publication"),
    }
)
