from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "rits.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from rits.accounts import checks, signals  # noqa: F401  (deploy checks; login/logout auditing)
