from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvolvementConfig(AppConfig):
    name = "rits.involvement"
    verbose_name = _("Involvement index")

    def ready(self) -> None:
        from rits.involvement import events  # noqa: F401  (registers the audit event codes)
