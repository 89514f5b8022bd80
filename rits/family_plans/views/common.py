from __future__ import annotations

import functools
from collections import defaultdict
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation

# Defined once for every app's views; the family plan views import it from here.
from rits.accounts.auth import acting_user as acting_user
from rits.family_plans import reads
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

FIRST_GOALS = 5


@functools.cache
def _choice_labels(language: str | None) -> dict[str, dict[str, str]]:
    return {
        "goal_status": {k: str(v) for k, v in Goal.Status.choices},
        "domain": {k: str(v) for k, v in Domain.choices},
        "action_status": {k: str(v) for k, v in Action.Status.choices},
        "decision_status": {k: str(v) for k, v in Decision.Status.choices},
        "answer": {k: str(v) for k, v in Position.Answer.choices},
        "transition_status": {k: str(v) for k, v in TransitionItem.Status.choices},
    }


def choice_labels() -> dict[str, dict[str, str]]:
    """Choice labels in the active language, resolved once per language and process:
    get_FOO_display() per row rebuilds the choice list and translates it again, which
    dominated the render of a large plan."""
    return _choice_labels(translation.get_language())


def label_goals(
    goals: list[Goal], scores: dict[int, dict[str, Score]], labels: dict[str, dict[str, str]]
) -> list[Goal]:
    for goal in goals:
        goal.status_label = labels["goal_status"][goal.status]  # type: ignore[attr-defined]
        goal.domain_label = labels["domain"][goal.domain]  # type: ignore[attr-defined]
        latest = scores.get(goal.pk, {})
        goal.latest = latest  # type: ignore[attr-defined]
        moments = [goal.updated_at, goal.created_at, *(s.scored_at for s in latest.values())]
        goal.last_activity = max(moments)  # type: ignore[attr-defined]
    return goals


def goal_rows(plan: Plan, labels: dict[str, dict[str, str]]) -> list[Goal]:
    """All goals with their labels and latest score per perspective (two queries)."""
    return label_goals(*reads.goals_and_scores(plan), labels)


def first_goals(goals: list[Goal]) -> list[Goal]:
    """Goals being worked on first, the most recently scored or changed on top."""
    ordered = sorted(goals, key=lambda g: g.last_activity, reverse=True)  # type: ignore[attr-defined]
    ordered.sort(key=lambda g: g.status != Goal.Status.OPEN)
    return ordered[:FIRST_GOALS]


def action_rows(
    plan: Plan, labels: dict[str, dict[str, str]], goals_by_id: dict[int, Goal]
) -> list[dict[str, Any]]:
    """All actions as rows (no model instances), goal titles from the goals already loaded."""
    found = reads.rows(plan.actions.values("pk", "what", "who", "due_date", "status", "goal_id"))
    return label_actions(found, labels, goals_by_id)


def label_actions(
    rows: list[dict[str, Any]], labels: dict[str, dict[str, str]], goals_by_id: dict[int, Goal]
) -> list[dict[str, Any]]:
    for action in rows:
        action["status_label"] = labels["action_status"][action["status"]]
        action["goal_obj"] = goals_by_id.get(action["goal_id"])
    return rows


def label_decisions(
    decisions: list[dict[str, Any]],
    positions: list[dict[str, Any]],
    labels: dict[str, dict[str, str]],
    names: dict[int, str],
) -> list[dict[str, Any]]:
    by_decision: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for position in positions:
        position["answer_label"] = labels["answer"][position["answer"]]
        position["user_name"] = names.get(position["user_id"], "?")
        by_decision[position["decision_id"]].append(position)
    for decision in decisions:
        decision["status_label"] = labels["decision_status"][decision["status"]]
        decision["positions"] = by_decision.get(decision["pk"], [])
    return decisions


def decision_rows(
    plan: Plan, labels: dict[str, dict[str, str]], names: dict[int, str]
) -> list[dict[str, Any]]:
    """All decisions, newest first, with their positions (two queries)."""
    return label_decisions(*reads.decisions_and_positions(plan), labels, names)


def transition_rows(
    plan: Plan, stored: dict[str, TransitionItem], labels: dict[str, dict[str, str]]
) -> list[dict[str, Any]]:
    """Every transition topic, with what the plan holds on it."""
    found = []
    for topic in TransitionTopic:
        item = stored.get(topic.value)
        found.append(
            {
                "topic": topic.value,
                "label": topic.label,
                "status": item.status if item else "todo",
                "status_label": labels["transition_status"][item.status] if item else "",
                "note": item.note if item else "",
                "version": item.version if item else 0,
            }
        )
    return found


def plan_context(plan: Plan, *, full: bool = False) -> dict[str, Any]:
    """Everything the plan page shows.

    The page (``full=False``) shows each long section's most relevant items and how many
    there are, from ``reads.plan_content`` (kept while the plan does not change);
    ``full=True`` (paper, exports) reads every goal, action and decision.
    """
    labels = choice_labels()
    members, persons = reads.page_people(plan)
    team = team_from(persons, members)
    names = {u.pk: u.full_name for u in team}
    if full:
        goals = goal_rows(plan, labels)
        goals_by_id = {g.pk: g for g in goals}
        actions = action_rows(plan, labels, goals_by_id)
        decisions = decision_rows(plan, labels, names)
        content = reads.read_content(plan)
    else:
        content = reads.plan_content(plan)
        goals = label_goals(content.goals, content.scores, labels)
        goals_by_id = {g.pk: g for g in goals}
        actions = label_actions(content.actions, labels, goals_by_id)
        decisions = label_decisions(content.decisions, content.positions, labels, names)
    context: dict[str, Any] = {
        "plan": plan,
        "plan_url": plan_url(plan),
        "goals": goals,
        "actions": actions,
        "decisions": decisions,
        "members": [m for m in members if m.status != CareTeamMember.Status.LEFT],
        "evaluations": content.upcoming_evaluations(),
        "comments": content.comments,
        "transition": (
            transition_rows(plan, content.transition, labels)
            if content.transition is not None
            else []
        ),
        "eighteenth": plan.youth.eighteenth_birthday,
        "ecogram": reads.ecogram(plan, persons, members, content),
        "team": team,
        "goal_domains": Domain.choices,
        "transition_statuses": TransitionItem.Status.choices,
    }
    if not full:
        decision_total = decisions[0]["total"] if decisions else 0
        context.update(
            shown_goals=first_goals(goals),
            more_goals=len(goals) > FIRST_GOALS,
            action_total=content.action_total,
            open_action_total=content.open_action_total,
            more_actions=content.action_total > len(actions),
            decision_total=decision_total,
            more_decisions=decision_total > len(decisions),
        )
    return context


def plan_url(plan: Plan) -> str:
    """The plan page's address; the page builds its many row links on it."""
    return reverse("family_plans:plan", args=[plan.pk])


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
    context["can_edit"] = access.may_change
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
