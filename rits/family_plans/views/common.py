from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from rits.family_plans import rules
from rits.family_plans.exports import ecogram_svg
from rits.family_plans.models import (
    Action,
    CareTeamMember,
    Decision,
    Domain,
    Goal,
    Plan,
    Position,
    Score,
    TransitionItem,
    TransitionTopic,
)
from rits.family_plans.permissions import plan_access


def plan_context(plan: Plan) -> dict[str, Any]:
    """Everything the plan page shows, loaded with a fixed number of queries."""
    # Choice labels resolved once per page: get_FOO_display() per row rebuilds the
    # choice list and translates it again, which dominated the render of a large plan.
    goal_status = {k: str(v) for k, v in Goal.Status.choices}
    domains = {k: str(v) for k, v in Domain.choices}
    action_status = {k: str(v) for k, v in Action.Status.choices}
    decision_status = {k: str(v) for k, v in Decision.Status.choices}
    answers = {k: str(v) for k, v in Position.Answer.choices}
    goals = list(plan.goals.all())
    for goal in goals:
        goal.status_label = goal_status[goal.status]  # type: ignore[attr-defined]
        goal.domain_label = domains[goal.domain]  # type: ignore[attr-defined]
    scores: dict[int, dict[str, Score]] = defaultdict(dict)
    for score in Score.objects.filter(goal__plan=plan).order_by("scored_at", "pk"):
        scores[score.goal_id][score.perspective] = score  # the latest per perspective wins
    for goal in goals:
        goal.latest = scores.get(goal.pk, {})  # type: ignore[attr-defined]
    members = list(plan.members.select_related("user", "person", "organisation"))
    transition: list[dict[str, Any]] = []
    if rules.transition_visible(plan):
        stored = {i.topic: i for i in TransitionItem.objects.filter(plan=plan)}
        for topic in TransitionTopic:
            item = stored.get(topic.value)
            transition.append(
                {
                    "topic": topic.value,
                    "label": topic.label,
                    "status": item.status if item else "todo",
                    "status_label": item.get_status_display() if item else "",
                    "note": item.note if item else "",
                    "version": item.version if item else 0,
                }
            )
    actions = list(plan.actions.select_related("goal"))
    for action in actions:
        action.status_label = action_status[action.status]  # type: ignore[attr-defined]
    decisions = list(
        plan.decisions.prefetch_related(
            Prefetch("positions", queryset=Position.objects.select_related("user"))
        )
    )
    for decision in decisions:
        decision.status_label = decision_status[decision.status]  # type: ignore[attr-defined]
        for position in decision.positions.all():
            position.answer_label = answers[position.answer]  # type: ignore[attr-defined]
    return {
        "plan": plan,
        "plan_url": reverse("family_plans:plan", args=[plan.pk]),
        "goals": goals,
        "actions": actions,
        "decisions": decisions,
        "members": [m for m in members if m.status != CareTeamMember.Status.LEFT],
        "evaluations": list(plan.evaluations.filter(starts_at__gte=timezone.now())[:5]),
        "comments": list(plan.comments.select_related("author").order_by("-created_at")[:20]),
        "transition": transition,
        "eighteenth": plan.youth.eighteenth_birthday,
        "ecogram": ecogram_svg(plan),
        "goal_domains": Domain.choices,
        "transition_statuses": TransitionItem.Status.choices,
    }


def with_access(plan: Plan, context: dict[str, Any]) -> dict[str, Any]:
    access = plan_access(plan)
    context["access"] = access
    context["can_edit"] = access.can_edit and plan.is_active
    return context


def back_to_plan(
    request: HttpRequest,
    plan: Plan,
    partial: str | None = None,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """Post/Redirect/Get without JavaScript; with HTMX, the refreshed partial."""
    from django.shortcuts import render

    if partial and request.htmx:  # type: ignore[attr-defined]
        ctx = with_access(plan, context or plan_context(plan))
        return render(request, f"family_plans/plan.html#{partial}", ctx)
    return redirect("family_plans:plan", plan.pk)
