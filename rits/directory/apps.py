from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "rits.directory"
    verbose_name = _("Social map")

    def ready(self) -> None:
        from rits.directory import events  # noqa: F401  (registers the audit event codes)
