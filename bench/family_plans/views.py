"""The two baselines the plan page is measured against."""

from __future__ import annotations

import os
from typing import Any

from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from rits.family_plans.views.plan import plan_page

_CONTEXT: dict[str, Any] = {}


def minimal(request: HttpRequest) -> HttpResponse:
    """Django's minimal view: the cost of the server, middleware and routing alone."""
    return HttpResponse("ok", content_type="text/plain")


def _load() -> dict[str, Any]:
    """The plan page's context, built exactly as the plan page builds it, read once
    from the database and then kept in memory."""
    from rits.accounts.models import User
    from rits.family_plans.models import Plan
    from rits.family_plans.permissions import access_for
    from rits.family_plans.views.common import plan_context, with_access

    plan = Plan.objects.select_related("family", "youth", "coordinator").get(
        pk=int(os.environ["RITS_BENCH_PLAN"])
    )
    user = User.objects.get(email=os.environ["RITS_BENCH_USER"])
    user.roles()  # the menu's roles, kept on the instance
    user.is_verified = lambda: True  # type: ignore[attr-defined]  # past the second factor
    plan.access = access_for(user, plan)  # type: ignore[attr-defined]
    context = with_access(plan, plan_context(plan))
    context["reader"] = user
    return context


def plan_in_memory(request: HttpRequest) -> HttpResponse:
    """The same plan template, from data already in memory: no database, no audit.

    The request carries no session; the reader (the same user as the plan page's, with
    their roles) is held in memory too, so that the page is the plan page's to the byte
    (menu and header included), not the shorter page an anonymous visitor would get.
    """
    if not _CONTEXT:
        _CONTEXT.update(_load())
    request.user = _CONTEXT["reader"]
    return render(request, "family_plans/plan.html", _CONTEXT)


def plan_page_read_every_time(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The real plan page with nothing kept between requests: every request reads the
    plan's content from the database, as the first view after a change does."""
    caches["plan_content"].clear()
    return plan_page(request, plan_id)
