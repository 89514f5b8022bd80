"""The navigation a user sees depends on their roles."""

from __future__ import annotations

import functools
from typing import Any

from django.http import HttpRequest
from django.urls import get_script_prefix
from django.urls import reverse as _reverse
from django.utils.translation import gettext as _

from rits.accounts.middleware import needs_second_factor
from rits.accounts.models import Membership, User

Role = Membership.Role

# Paths of pages other apps own; literal so the menu does not break while they are built.
SOCIAL_MAP_URL = "/sociale-kaart/"
INVOLVEMENT_URL = "/betrokkenheid/"
KNOWLEDGE_URL = "/kennis/"
_INVOLVEMENT_ROLES = (Role.PROFESSIONAL, Role.INDEX_REPORTER, Role.MUNICIPAL_COORDINATOR)
MONITOR_URL = "/monitor/"
_MONITOR_ROLES = (
    Role.MUNICIPALITY_STAFF,
    Role.MUNICIPAL_COORDINATOR,
    Role.FUNCTIONAL_ADMIN,
    Role.RESEARCHER,
)


def reverse(name: str) -> str:
    """The menu's addresses take no arguments: resolve each once per script prefix (the
    menu is built on every page)."""
    return _menu_url(name, get_script_prefix())


@functools.cache
def _menu_url(name: str, prefix: str) -> str:
    return _reverse(name)


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Menu items as (label, url) for the current user; anonymous users and people who have
    not yet passed the second factor see only the public ones."""
    items: list[tuple[str, str]] = [(_("Who do I call now?"), reverse("crisis"))]
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": items}
    assert isinstance(user, User)
    if needs_second_factor(user):
        return {"nav_items": items}
    items.insert(0, (_("Home"), reverse("accounts:home")))
    items.append((_("Social map"), SOCIAL_MAP_URL))
    items.append((_("Family plans"), reverse("family_plans:list")))
    items.append((_("Knowledge hub"), KNOWLEDGE_URL))
    if user.has_role(*_INVOLVEMENT_ROLES):
        items.append((_("Involvement index"), INVOLVEMENT_URL))
    if user.kind == User.Kind.PROFESSIONAL:
        items.append((_("Dialogue tables"), reverse("dialogues:overview")))
    if user.has_role(Role.MUNICIPAL_COORDINATOR):
        items.append((_("Matches without agreement"), reverse("involvement:unresolved")))
        items.append((_("Rights requests"), reverse("involvement:rights")))
    if user.has_role(*_MONITOR_ROLES):
        items.append((_("Monitor"), MONITOR_URL))
    if user.has_role(Role.PRIVACY_OFFICER):
        items.append((_("Audit trail"), reverse("audit:search")))
        items.append((_("Emergency access"), reverse("family_plans:emergency_overview")))
    if user.is_staff:
        items.append((_("Administration"), reverse("admin:index")))
    if user.kind == User.Kind.PROFESSIONAL:
        items.append((_("API tokens"), reverse("accounts:tokens")))
    return {"nav_items": items}
