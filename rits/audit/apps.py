from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_append_only_guard(using: str = "default", **kwargs: Any) -> None:
    """After every migrate (and test flush), put back triggers a table rebuild dropped."""
    from rits.audit import guard

    connection = connections[using]
    if guard.TABLE in connection.introspection.table_names():
        guard.install(connection)


class AuditConfig(AppConfig):
    name = "rits.audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from rits.audit import checks, events  # noqa: F401  (registers event codes and checks)

        post_migrate.connect(
            _ensure_append_only_guard, sender=self, dispatch_uid="rits.audit.guard"
        )
