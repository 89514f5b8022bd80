"""Pages for logging in, the second factor, the home page and personal API tokens."""

from __future__ import annotations

import base64
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

import django_otp
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from rits.accounts import permissions, services
from rits.accounts.auth import acting_user
from rits.accounts.forms import LoginForm, OtpCodeForm, RecoveryCodeForm, TokenCreateForm
from rits.accounts.middleware import needs_second_factor, two_factor_url
from rits.accounts.models import ApiToken, Membership, Notification, User

Role = Membership.Role

# Roles whose holders work with families and the involvement index.
_CASEWORK_ROLES = (Role.PROFESSIONAL, Role.INDEX_REPORTER, Role.MUNICIPAL_COORDINATOR)


def safe_next(request: HttpRequest, default: str = "") -> str:
    """The ``next`` parameter, but only when it points into Rits itself."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default or reverse(settings.LOGIN_REDIRECT_URL)


def verified_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Logged in, and past the second factor where one is required.

    Pages under /account/ are open to half-logged-in users (so they can reach the
    second factor); the ones that change something still need the full login.
    """

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if needs_second_factor(request.user):
            return redirect(two_factor_url(request.get_full_path()))
        return view(request, *args, **kwargs)

    return wrapper


class LoginView(auth_views.LoginView):
    """E-mail and password; people who need a second factor go on to it."""

    form_class = LoginForm
    template_name = "registration/login.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["expired"] = self.request.GET.get("expired") == "1"
        return context

    def get_success_url(self) -> str:
        url = super().get_success_url()
        user = self.request.user
        if getattr(user, "requires_two_factor", False):
            return two_factor_url(url)
        return url


def admin_login(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    """The admin has no login of its own: everyone logs in (with the second factor) here."""
    if request.user.is_authenticated:
        # Logged in but not allowed into the admin: sending them to log in would loop.
        raise PermissionDenied
    query = urlencode({"next": safe_next(request, reverse("admin:index"))})
    return HttpResponseRedirect(f"{reverse('accounts:login')}?{query}")


def _qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG (no image request, no inline style)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, border=4)
    svg = image.to_string(encoding="unicode")
    # Generated from our own otpauth URL only; there is no user input in it.
    return mark_safe(svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1))


def _base32_secret(device: TOTPDevice) -> str:
    secret = base64.b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _recovery_codes_page(request: HttpRequest, user: User, next_url: str) -> HttpResponse:
    """Once, right after the app was set up: the recovery codes, to their owner only."""
    codes = services.create_recovery_codes(user)
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": next_url})


@never_cache
@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Second factor: verify a code (or a recovery code), or set up an authenticator app
    the first time."""
    user = acting_user(request)
    next_url = safe_next(request)
    if user.is_verified():  # type: ignore[attr-defined]
        return redirect(next_url)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    enrolling = device is None
    if device is None:
        device = services.enrollment_device(user)
    form = OtpCodeForm(request.POST or None)
    status = 200
    recovery = RecoveryCodeForm()
    if request.method == "POST" and not enrolling and "recovery_code" in request.POST:
        form = OtpCodeForm()
        recovery = RecoveryCodeForm(request.POST)
        if recovery.is_valid():
            result, static = services.check_recovery_code(
                user, recovery.cleaned_data["recovery_code"]
            )
            if result.verified and static is not None:
                django_otp.login(request, static)
                return redirect(next_url)
            recovery.add_error(
                "recovery_code",
                _("Too many wrong codes. Wait a minute and then try again.")
                if result.throttled
                else _("This recovery code is not correct or was already used."),
            )
        status = 400
    elif request.method == "POST":
        if form.is_valid():
            result = services.check_otp_code(user, device, form.cleaned_data["code"])
            if result.verified:
                device.refresh_from_db()
                django_otp.login(request, device)
                if enrolling:
                    messages.success(request, _("Your authenticator app is set up."))
                    return _recovery_codes_page(request, user, next_url)
                return redirect(next_url)
            if result.throttled:
                form.add_error("code", _("Too many wrong codes. Wait a minute and then try again."))
            else:
                form.add_error(
                    "code",
                    _("This code is not correct. Check the code in your app and try again."),
                )
        status = 400
    context: dict[str, Any] = {"form": form, "next": next_url, "enrolling": enrolling}
    if enrolling:
        context["qr_svg"] = _qr_svg(device)
        context["secret"] = _base32_secret(device)
    else:
        context["recovery_form"] = recovery
    return render(request, "accounts/two_factor.html", context, status=status)


@never_cache
@login_required
def second_factor_setup(request: HttpRequest) -> HttpResponse:
    """For family and network accounts: turn on a second factor of one's own choice
    (professionals must have one and set it up at login)."""
    user = acting_user(request)
    next_url = safe_next(request)
    if user.requires_two_factor:
        if needs_second_factor(user):
            return redirect(two_factor_url(request.get_full_path()))
        return render(request, "accounts/second_factor_on.html", {"next": next_url})
    device = services.enrollment_device(user)
    form = OtpCodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            result = services.check_otp_code(user, device, form.cleaned_data["code"])
            if result.verified:
                device.refresh_from_db()
                django_otp.login(request, device)
                messages.success(request, _("Your authenticator app is set up."))
                return _recovery_codes_page(request, user, next_url)
            form.add_error(
                "code",
                _("Too many wrong codes. Wait a minute and then try again.")
                if result.throttled
                else _("This code is not correct. Check the code in your app and try again."),
            )
        status = 400
    context = {
        "form": form,
        "next": next_url,
        "qr_svg": _qr_svg(device),
        "secret": _base32_secret(device),
    }
    return render(request, "accounts/second_factor_setup.html", context, status=status)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The start page for the user's role."""
    user = acting_user(request)
    memberships = list(user.memberships.filter(active=True).select_related("organisation", "team"))
    roles = {m.role for m in memberships}
    notifications = Notification.objects.visible_to(user).unread()[:20]
    context = {
        "memberships": memberships,
        "is_family": user.kind in (User.Kind.FAMILY, User.Kind.NETWORK),
        "does_casework": bool(roles & set(_CASEWORK_ROLES)),
        "is_professional": user.kind == User.Kind.PROFESSIONAL,
        "is_privacy_officer": Role.PRIVACY_OFFICER in roles,
        "is_functional_admin": user.is_staff
        and (Role.FUNCTIONAL_ADMIN in roles or user.is_superuser),
        "is_municipality_staff": bool(
            roles & {Role.MUNICIPALITY_STAFF, Role.MUNICIPAL_COORDINATOR}
        ),
        "is_editor": Role.ORGANISATION_ADMIN in roles,
        "reviews_region": Role.FUNCTIONAL_ADMIN in roles,
        "is_facilitator": Role.FACILITATOR in roles,
        "is_researcher": Role.RESEARCHER in roles,
        "notifications": notifications,
    }
    return render(request, "accounts/home.html", context)


@require_POST
@verified_required
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark one of your notifications read."""
    user = acting_user(request)
    notification = permissions.get_notification_for_user(user, notification_id, write=True)
    services.mark_notification_read(notification, actor=user)
    if request.htmx:  # type: ignore[attr-defined]
        notifications = Notification.objects.visible_to(user).unread()[:20]
        return render(request, "accounts/home.html#notifications", {"notifications": notifications})
    return redirect("accounts:home")


@never_cache
@verified_required
def tokens(request: HttpRequest) -> HttpResponse:
    """Personal API tokens: list, create (the token is shown once) and revoke."""
    user = acting_user(request)
    form = TokenCreateForm(request.POST or None)
    created: tuple[ApiToken, str] | None = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            created = services.create_token(user, form.cleaned_data["name"], actor=user)
            form = TokenCreateForm()
            status = 200
        else:
            status = 400
    context = {
        "form": form,
        "tokens": ApiToken.objects.visible_to(user),
        "created_token": created[0] if created else None,
        "raw_token": created[1] if created else "",
    }
    return render(request, "accounts/tokens.html", context, status=status)


@require_POST
@verified_required
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    """Revoke one of your tokens; it stops working at once."""
    user = acting_user(request)
    token = permissions.get_token_for_user(user, token_id, write=True)
    if services.revoke_token(token, actor=user):
        messages.success(request, _("The token '%(name)s' no longer works.") % {"name": token.name})
    return redirect("accounts:tokens")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change, but only after the second factor (it lives under /account/)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if needs_second_factor(request.user):
            return redirect(two_factor_url(request.get_full_path()))
        return super().dispatch(request, *args, **kwargs)
