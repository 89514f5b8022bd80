"""Forms for logging in, the second factor, passwords and API tokens.

The password forms extend Django's own so that every change is audited in the same
transaction as the change itself.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from rits.accounts import services
from rits.accounts.models import User
from rits.lib.text import TextForm, TextModelForm


class LoginForm(TextForm, auth_forms.AuthenticationForm):
    """E-mail address and password, with one error that does not say which of the two is wrong."""

    username = auth_forms.UsernameField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": _("E-mail address or password is incorrect."),
        "inactive": _("This account has been switched off. Ask your functional admin."),
    }

    def clean_username(self) -> str:
        # Addresses are stored in lower case; people type them in any case.
        return str(self.cleaned_data.get("username", "")).strip().lower()


class OtpCodeForm(TextForm):
    """The six digits the authenticator app shows."""

    code = forms.RegexField(
        label=_("6-digit code"),
        regex=r"^\d{6}$",
        max_length=6,
        strip=True,
        error_messages={
            "invalid": _("Enter the 6 digits from your authenticator app."),
            "required": _("Enter the 6 digits from your authenticator app."),
        },
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": "[0-9]{6}",
                "autofocus": True,
                "size": 8,
            }
        ),
    )

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).replace(" ", "")


class RecoveryCodeForm(TextForm):
    """One of the recovery codes shown when the second factor was set up."""

    recovery_code = forms.RegexField(
        label=_("Recovery code"),
        regex=r"^\s*[A-Za-z2-7]{8}\s*$",
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "size": 10}),
    )


class TokenCreateForm(TextForm):
    name = forms.CharField(
        label=_("Name of the token"),
        max_length=100,
        help_text=_("What the token is for, for example 'Export to our case system'."),
    )


class PasswordResetForm(TextForm, auth_forms.PasswordResetForm):
    """Django's reset form, audited. The page says the same whether or not the address exists."""

    def save(self, *args: Any, **kwargs: Any) -> None:
        email = self.cleaned_data["email"]
        found = sum(1 for _user in self.get_users(email))
        services.record_password_reset_request(email=email, accounts_found=found)
        super().save(*args, **kwargs)


class SetPasswordForm(TextForm, auth_forms.SetPasswordForm):
    """Choosing a new password after following the reset link (audited)."""

    def save(self, commit: bool = True) -> AbstractBaseUser:
        with transaction.atomic():
            user = super().save(commit=commit)
            services.record_password_changed(user, actor=user, how="reset")  # type: ignore[arg-type]
        return user


class PasswordChangeForm(TextForm, auth_forms.PasswordChangeForm):
    """A logged-in user changes their own password (audited)."""

    def save(self, commit: bool = True) -> AbstractBaseUser:
        with transaction.atomic():
            user = super().save(commit=commit)
            services.record_password_changed(user, actor=user, how="change")  # type: ignore[arg-type]
        return user


class AdminUserCreationForm(TextModelForm, auth_forms.AdminUserCreationForm):
    """Create a user in the admin with a password (or none, to send a reset link later)."""

    class Meta:
        model = User
        fields = ("email", "full_name", "kind")
        field_classes: dict[str, Any] = {}

    def clean_email(self) -> str:
        email = str(self.cleaned_data["email"]).strip().lower()
        if User.objects.filter(email=email).exists():
            raise forms.ValidationError(_("A user with this e-mail address already exists."))
        return email


class UserChangeForm(TextModelForm):
    """Edit a user in the admin. The password hash is not part of the form at all."""

    class Meta:
        model = User
        fields = (
            "email",
            "full_name",
            "phone",
            "kind",
            "preferred_language",
            "is_active",
            "is_staff",
            "is_superuser",
            "groups",
        )

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()
