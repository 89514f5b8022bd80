"""Deploy checks for what carries people's secrets (invitation links, one-time codes,
password-reset links): they go by e-mail, so mail must not end up in a log."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register

_PRINTING_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}


@register(Tags.security, deploy=True)
def check_mail_is_sent(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Without EMAIL_HOST, mail is printed to the console: every invitation link and code
    would be in the server's log, readable by whoever reads the log."""
    if settings.EMAIL_BACKEND in _PRINTING_BACKENDS:
        return [
            Warning(
                "E-mail is printed to the console instead of sent: invitation links, "
                "one-time codes and password-reset links would end up in the server log.",
                hint="Set EMAIL_HOST (and EMAIL_HOST_USER, EMAIL_HOST_PASSWORD).",
                id="rits.accounts.W001",
            )
        ]
    return []
