from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutcomesConfig(AppConfig):
    name = "rits.outcomes"
    verbose_name = _("Outcome monitor")

    def ready(self) -> None:
        from rits.outcomes import events  # noqa: F401  (registers the audit event codes)
