from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import F
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
    Person,
    Plan,
    Position,
    Score,
    TransitionItem,
    TransitionTopic,
)
from rits.family_plans.permissions import plan_access


def _rows(values: Any) -> list[dict[str, Any]]:
    """A ``values()`` queryset as plain dicts the page may add labels to."""
    return [dict(row) for row in values]


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
    persons = list(plan.family.persons.select_related("user"))
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
    # Rows as dicts (no model instances) for the long lists, with goals and names taken
    # from the lists already loaded instead of a join per row: this is most of the page.
    goals_by_id = {g.pk: g for g in goals}
    actions = _rows(plan.actions.values("pk", "what", "who", "due_date", "status", "goal_id"))
    for action in actions:
        action["status_label"] = action_status[action["status"]]
        action["goal_obj"] = goals_by_id.get(action["goal_id"])
    team = team_from(persons, members)
    names = {u.pk: u.full_name for u in team}
    decisions = _rows(plan.decisions.values("pk", "title", "text", "grounds", "status"))
    by_decision: dict[int, list[dict[str, Any]]] = defaultdict(list)
    positions = _rows(
        Position.objects.filter(decision__plan=plan).values(
            "decision_id", "user_id", "answer", "grounds"
        )
    )
    for position in positions:
        position["answer_label"] = answers[position["answer"]]
        position["user_name"] = names.get(position["user_id"], "?")
        by_decision[position["decision_id"]].append(position)
    for decision in decisions:
        decision["status_label"] = decision_status[decision["status"]]
        decision["positions"] = by_decision.get(decision["pk"], [])
    return {
        "plan": plan,
        "plan_url": reverse("family_plans:plan", args=[plan.pk]),
        "goals": goals,
        "actions": actions,
        "decisions": decisions,
        "members": [m for m in members if m.status != CareTeamMember.Status.LEFT],
        "evaluations": list(plan.evaluations.filter(starts_at__gte=timezone.now())[:5]),
        "comments": list(
            plan.comments.order_by("-created_at").values(
                "text", "created_at", author_name=F("author__full_name")
            )[:20]
        ),
        "transition": transition,
        "eighteenth": plan.youth.eighteenth_birthday,
        "ecogram": ecogram_svg(plan, persons=persons, members=members),
        "team": team,
        "goal_domains": Domain.choices,
        "transition_statuses": TransitionItem.Status.choices,
    }


def team_from(persons: list[Person], members: list[CareTeamMember]) -> list[Any]:
    """Household accounts and active members' accounts, as ``services.team_accounts``,
    from lists already loaded."""
    users = {p.user.pk: p.user for p in persons if p.user is not None and p.in_household}
    for m in members:
        if m.status == CareTeamMember.Status.ACTIVE and m.user is not None:
            users.setdefault(m.user.pk, m.user)
    return list(users.values())


def with_access(plan: Plan, context: dict[str, Any]) -> dict[str, Any]:
    access = plan_access(plan)
    context["access"] = access
    if access.kind == "emergency" and access.user_id is not None:
        context["emergency_grant"] = (
            plan.emergency_accesses.filter(user_id=access.user_id, ended_at__isnull=True)
            .order_by("-expires_at")
            .first()
        )
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
