from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DialoguesConfig(AppConfig):
    name = "rits.dialogues"
    verbose_name = _("Dialogue tables")

    def ready(self) -> None:
        from rits.dialogues import events  # noqa: F401  (registers the audit event codes)
        from rits.dialogues.codesource import register

        register()
