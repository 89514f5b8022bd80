"""The navigation a user sees depends on their roles."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from rits.accounts.models import Membership

Role = Membership.Role


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Menu items as (label, url) for the current user; anonymous users see the public ones."""
    items: list[tuple[str, str]] = [(_("Who do I call now?"), reverse("crisis"))]
    user = request.user
    if user.is_authenticated and (not user.requires_two_factor or user.is_verified()):  # type: ignore[union-attr]
        items.insert(0, (_("Home"), reverse("accounts:home")))
        if user.has_role(Role.PRIVACY_OFFICER):  # type: ignore[union-attr]
            items.append((_("Audit trail"), reverse("audit:search")))
        if user.has_role(Role.FUNCTIONAL_ADMIN) or user.is_staff:  # type: ignore[union-attr]
            items.append((_("Administration"), reverse("admin:index")))
        items.append((_("API tokens"), reverse("accounts:tokens")))
    return {"nav_items": items}
