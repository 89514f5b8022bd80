"""Exports and records: FHIR, calendar, printable plan, access log, history, own data."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from rits.family_plans import exports, services
from rits.family_plans.models import EmergencyAccess, Evaluation
from rits.family_plans.permissions import get_part_for_user, get_plan_for_user, plan_access
from rits.family_plans.views.common import acting_user, with_access

WRITE_PREFIXES = (
    "family_plans.goal_",
    "family_plans.action_",
    "family_plans.decision_",
    "family_plans.plan_started",
    "family_plans.plan_closed",
    "family_plans.consent_",
    "family_plans.member_",
    "family_plans.jim_",
    "family_plans.coordinator_",
    "family_plans.evaluation_",
    "family_plans.comment_",
    "family_plans.transition_",
    "family_plans.person_",
)


@login_required
def fhir_export(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The plan as a FHIR R4 Bundle (JSON)."""
    user = acting_user(request)
    plan = get_plan_for_user(user, plan_id)
    services.record_read(plan, actor=user, event="family_plans.plan_exported")
    response = JsonResponse(exports.fhir_bundle(plan), content_type="application/fhir+json")
    response["Content-Disposition"] = f'attachment; filename="gezinsplan-{plan.pk}.fhir.json"'
    return response


@login_required
def evaluation_ics(request: HttpRequest, plan_id: int, evaluation_id: int) -> HttpResponse:
    """One evaluation as an .ics invitation."""
    user = acting_user(request)
    plan, evaluation = get_part_for_user(user, Evaluation, plan_id, evaluation_id)
    services.record_read(plan, actor=user, event="family_plans.calendar_downloaded")
    response = HttpResponse(exports.evaluation_ics(evaluation), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="evaluatie-{evaluation.pk}.ics"'
    return response


@login_required
def ecogram(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The network picture as an SVG file."""
    user = acting_user(request)
    plan = get_plan_for_user(user, plan_id)
    services.record_read(plan, actor=user, data={"page": "ecogram"})
    return HttpResponse(exports.ecogram_svg(plan), content_type="image/svg+xml")


@login_required
def access_log(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Who looked at or changed this plan (read-only)."""
    user = acting_user(request)
    plan = get_plan_for_user(user, plan_id)
    access = plan_access(plan)
    if not access.is_family:
        raise PermissionDenied
    services.record_read(plan, actor=user, event="family_plans.access_log_viewed")
    page = Paginator(exports.access_log(plan), 50).get_page(request.GET.get("page"))
    emergencies = EmergencyAccess.objects.filter(plan=plan).select_related("user", "organisation")
    return render(
        request,
        "family_plans/access_log.html",
        with_access(
            plan,
            {
                "plan": plan,
                "page": page,
                "emergencies": emergencies,
            },
        ),
    )


@login_required
def history(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Every change to the plan: what changed, by whom, when."""
    user = acting_user(request)
    plan = get_plan_for_user(user, plan_id)
    services.record_read(plan, actor=user, event="family_plans.history_viewed")
    entries = [e for e in exports.access_log(plan)[:1000] if e.event.startswith(WRITE_PREFIXES)]
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "family_plans/history.html",
        with_access(
            plan,
            {
                "plan": plan,
                "page": page,
            },
        ),
    )


@login_required
def own_data(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Right of access: everything Rits holds about the family, as one JSON file."""
    user = acting_user(request)
    plan = get_plan_for_user(user, plan_id)
    if not plan_access(plan).is_family:
        raise PermissionDenied
    services.record_read(plan, actor=user, event="family_plans.data_downloaded")
    body = json.dumps(exports.subject_access_export(plan), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="mijn-gegevens-gezin-{plan.family_id}.json"'
    )
    return response
