from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from rits.accounts.models import User
from rits.family_plans import forms, services
from rits.family_plans.models import Goal, Plan
from rits.family_plans.permissions import get_plan_for_user, visible_plans
from rits.family_plans.views.common import (
    acting_user,
    action_rows,
    choice_labels,
    decision_rows,
    goal_rows,
    plan_context,
    plan_url,
    with_access,
)


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    """The plans this user may see."""
    user = acting_user(request)
    plans = visible_plans(user, "family", "youth")
    for plan in plans:
        services.record_read(plan, actor=user, event="family_plans.plan_listed")
    return render(
        request,
        "family_plans/plan_list.html",
        {
            "plans": plans,
            "may_start": user.kind == User.Kind.PROFESSIONAL
            or (user.kind == User.Kind.FAMILY and bool(services.own_plan_youths(user))),
        },
    )


@login_required
def start(request: HttpRequest) -> HttpResponse:
    """Start a family and its plan (professionals, with the family's consent; a parent
    or a youth of 16+ for their own family)."""
    user = acting_user(request)
    if user.kind == User.Kind.FAMILY:
        return _start_own(request, user)
    if user.kind != User.Kind.PROFESSIONAL:
        raise PermissionDenied
    form = forms.StartPlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            plan = services.start_plan(
                actor=user,
                family_name=d["family_name"],
                youth_name=d["youth_name"],
                youth_birth=d["youth_birth"],
                youth_bsn=d["youth_bsn"],
                parent_names=[d["parent_1"], d["parent_2"]],
                consent_in_person=d["consent_in_person"],
            )
        except services.PlanError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The plan has been started. Invite the family."))
            return redirect("family_plans:team", plan.pk)
    return render(request, "family_plans/start.html", {"form": form})


def _start_own(request: HttpRequest, user: User) -> HttpResponse:
    youths = services.own_plan_youths(user)
    if not youths:
        raise PermissionDenied
    form = forms.OwnPlanForm(request.POST or None, youths=youths)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.start_own_plan(actor=user, youth=form.cleaned_data["youth"])
        except services.PlanError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("Your plan has been started. Invite the professionals you choose.")
            )
            return redirect("family_plans:team", plan.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "family_plans/start_own.html", {"form": form}, status=status)


@login_required
def plan_page(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The family plan to read: goals, actions, decisions, team, evaluations, transition.

    No form is rendered here: each opens where it is needed (``views/edit.py``)."""
    user = acting_user(request)
    plan = get_plan_for_user(user, plan_id)
    services.record_read(plan, actor=user)
    return render(request, "family_plans/plan.html", with_access(plan, plan_context(plan)))


def _section(
    request: HttpRequest, plan: Plan, section: str, heading: str, context: dict[str, Any]
) -> HttpResponse:
    """A full list of one plan section: its own page, or with HTMX the section itself
    (it replaces the shortened section on the plan page)."""
    services.record_read(plan, actor=acting_user(request), data={"list": section})
    context = with_access(plan, {"plan": plan, "plan_url": plan_url(plan), **context})
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, f"family_plans/plan.html#{section}", context)
    context.update(section=f"family_plans/plan.html#{section}", heading=heading)
    return render(request, "family_plans/section_list.html", context)


@login_required
def goal_list(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Every goal of the plan."""
    plan = get_plan_for_user(acting_user(request), plan_id)
    goals = goal_rows(plan, choice_labels())
    return _section(
        request,
        plan,
        "goals",
        _("Our goals"),
        {"goals": goals, "shown_goals": goals},
    )


@login_required
def action_list(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Every action of the plan, by due date."""
    plan = get_plan_for_user(acting_user(request), plan_id)
    names = choice_labels()
    goals = goal_rows(plan, names)
    actions = action_rows(plan, names, {g.pk: g for g in goals})
    return _section(request, plan, "actions", _("Who does what by when"), {"actions": actions})


@login_required
def decision_list(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Every decision of the plan, newest first, with who agreed and who did not."""
    plan = get_plan_for_user(acting_user(request), plan_id)
    team = services.team_accounts(plan)
    decisions = decision_rows(plan, choice_labels(), {u.pk: u.full_name for u in team})
    return _section(request, plan, "decisions", _("Decisions"), {"decisions": decisions})


@login_required
def print_view(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The plan on paper (print stylesheet; the browser saves it as PDF)."""
    user = acting_user(request)
    plan = get_plan_for_user(user, plan_id)
    services.record_read(plan, actor=user, event="family_plans.plan_printed")
    context = plan_context(plan, full=True)
    return render(request, "family_plans/print.html", with_access(plan, context))


@login_required
def close(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Close the plan with a reason and an outcome per goal."""
    user = acting_user(request)
    plan = get_plan_for_user(user, plan_id, write=request.method == "POST")
    goals = list(plan.goals.all())
    form = forms.CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcomes = {
            g.pk: (
                request.POST.get(f"status_{g.pk}", g.status),
                request.POST.get(f"outcome_{g.pk}", ""),
            )
            for g in goals
        }
        valid = {s for s, _label in Goal.Status.choices}
        if any(s not in valid for s, _o in outcomes.values()):
            raise Http404
        try:
            services.close_plan(
                plan, actor=user, reason=form.cleaned_data["reason"], outcomes=outcomes
            )
        except services.PlanError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The plan is closed."))
            return redirect("family_plans:plan", plan.pk)
    elif request.method != "POST":
        services.record_read(plan, actor=user)
    return render(
        request,
        "family_plans/close.html",
        with_access(
            plan,
            {
                "plan": plan,
                "form": form,
                "goals": goals,
                "statuses": Goal.Status.choices[1:],
            },
        ),
    )
