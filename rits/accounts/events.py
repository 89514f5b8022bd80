from django.utils.translation import gettext_lazy as _

from rits.audit import registry

registry.register(
    {
        "accounts.login": _("Logged in with password"),
        "accounts.login_failed": _("Login failed"),
        "accounts.locked_out": _("Account locked after failed logins"),
        "accounts.logout": _("Logged out"),
        "accounts.otp_verified": _("Second factor verified"),
        "accounts.otp_failed": _("Second factor code wrong"),
        "accounts.otp_device_confirmed": _("Authenticator app set up"),
        "accounts.otp_device_reset": _("Authenticator app reset by an admin"),
        "accounts.recovery_codes_created": _("Recovery codes made for the second factor"),
        "accounts.unlocked": _("Login unlocked by an admin"),
        "accounts.session_expired": _("Session ended after inactivity"),
        "accounts.password_reset_requested": _("Password reset requested"),
        "accounts.password_changed": _("Password changed"),
        "accounts.token_created": _("API token created"),
        "accounts.token_revoked": _("API token revoked"),
        "accounts.token_rejected": _("API token rejected"),
        "accounts.notification_read": _("Notification marked as read"),
        "accounts.rate_limited": _("Request refused: too many in a short time"),
        "accounts.admin_saved": _("Account data saved in the admin"),
        "accounts.admin_deleted": _("Account data deleted in the admin"),
    }
)
