from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "rits.knowledge"
    verbose_name = _("Knowledge hub and learning networks")

    def ready(self) -> None:
        from rits.knowledge import events  # noqa: F401  (registers the audit event codes)
