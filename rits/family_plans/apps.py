from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FamilyPlansConfig(AppConfig):
    name = "rits.family_plans"
    verbose_name = _("Family plans")

    def ready(self) -> None:
        from rits.family_plans import events  # noqa: F401  (registers the audit event codes)
