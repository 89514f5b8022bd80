from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Case, Count, F, Sum, When, Window
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from rits.accounts.models import User
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


# The plan page's first paint shows each section's most relevant items; the full lists
# are one click (or one hx-get) away on their own pages.
FIRST_GOALS = 5
FIRST_ACTIONS = 8
FIRST_DECISIONS = 5
OPEN_ACTIONS = (Action.Status.TODO, Action.Status.DOING)


def choice_labels() -> dict[str, dict[str, str]]:
    """Choice labels resolved once per page: get_FOO_display() per row rebuilds the
    choice list and translates it again, which dominated the render of a large plan."""
    return {
        "goal_status": {k: str(v) for k, v in Goal.Status.choices},
        "domain": {k: str(v) for k, v in Domain.choices},
        "action_status": {k: str(v) for k, v in Action.Status.choices},
        "decision_status": {k: str(v) for k, v in Decision.Status.choices},
        "answer": {k: str(v) for k, v in Position.Answer.choices},
    }


def goal_rows(plan: Plan, labels: dict[str, dict[str, str]]) -> list[Goal]:
    """All goals with their labels and latest score per perspective (two queries)."""
    goals = list(plan.goals.all())
    scores: dict[int, dict[str, Score]] = defaultdict(dict)
    for score in Score.objects.filter(goal__plan=plan).order_by("scored_at", "pk"):
        scores[score.goal_id][score.perspective] = score  # the latest per perspective wins
    for goal in goals:
        goal.status_label = labels["goal_status"][goal.status]  # type: ignore[attr-defined]
        goal.domain_label = labels["domain"][goal.domain]  # type: ignore[attr-defined]
        latest = scores.get(goal.pk, {})
        goal.latest = latest  # type: ignore[attr-defined]
        moments = [goal.updated_at, goal.created_at, *(s.scored_at for s in latest.values())]
        goal.last_activity = max(moments)  # type: ignore[attr-defined]
    return goals


def first_goals(goals: list[Goal]) -> list[Goal]:
    """Goals being worked on first, the most recently scored or changed on top."""
    ordered = sorted(goals, key=lambda g: g.last_activity, reverse=True)  # type: ignore[attr-defined]
    ordered.sort(key=lambda g: g.status != Goal.Status.OPEN)
    return ordered[:FIRST_GOALS]


def action_rows(
    plan: Plan, labels: dict[str, dict[str, str]], goals_by_id: dict[int, Goal]
) -> list[dict[str, Any]]:
    """All actions as rows (no model instances), goal titles from the goals already loaded."""
    rows = _rows(plan.actions.values("pk", "what", "who", "due_date", "status", "goal_id"))
    return _label_actions(rows, labels, goals_by_id)


def first_action_rows(
    plan: Plan, labels: dict[str, dict[str, str]], goals_by_id: dict[int, Goal]
) -> tuple[list[dict[str, Any]], int, int]:
    """The open actions due soonest, with the number of actions and of open actions,
    in one query (the counts are window functions, computed before the LIMIT)."""
    is_open = Case(When(status__in=OPEN_ACTIONS, then=1), default=0)
    qs = plan.actions.annotate(
        is_open=is_open, total=Window(Count("pk")), open_total=Window(Sum(is_open))
    ).order_by("-is_open", F("due_date").asc(nulls_last=True), "pk")
    rows = _rows(
        qs.values(
            "pk", "what", "who", "due_date", "status", "goal_id", "is_open", "total", "open_total"
        )[:FIRST_ACTIONS]
    )
    if not rows:
        return [], 0, 0
    total, open_total = rows[0]["total"], rows[0]["open_total"] or 0
    shown = [r for r in rows if r["is_open"]]
    return _label_actions(shown, labels, goals_by_id), total, open_total


def _label_actions(
    rows: list[dict[str, Any]], labels: dict[str, dict[str, str]], goals_by_id: dict[int, Goal]
) -> list[dict[str, Any]]:
    for action in rows:
        action["status_label"] = labels["action_status"][action["status"]]
        action["goal_obj"] = goals_by_id.get(action["goal_id"])
    return rows


def decision_rows(
    plan: Plan,
    labels: dict[str, dict[str, str]],
    names: dict[int, str],
    *,
    first: bool = False,
) -> list[dict[str, Any]]:
    """Decisions, newest first, with their positions (two queries). ``first``: only the
    latest few, each row carrying ``total`` (all decisions)."""
    qs = plan.decisions.all()
    fields = ["pk", "title", "text", "grounds", "status"]
    if first:
        qs = qs.annotate(total=Window(Count("pk")))[:FIRST_DECISIONS]
        fields.append("total")
    decisions = _rows(qs.values(*fields))
    if not decisions:
        return decisions
    by_decision: dict[int, list[dict[str, Any]]] = defaultdict(list)
    positions = Position.objects.filter(decision__plan=plan)
    if first:
        positions = positions.filter(decision_id__in=[d["pk"] for d in decisions])
    for position in _rows(positions.values("decision_id", "user_id", "answer", "grounds")):
        position["answer_label"] = labels["answer"][position["answer"]]
        position["user_name"] = names.get(position["user_id"], "?")
        by_decision[position["decision_id"]].append(position)
    for decision in decisions:
        decision["status_label"] = labels["decision_status"][decision["status"]]
        decision["positions"] = by_decision.get(decision["pk"], [])
    return decisions


def plan_context(plan: Plan, *, full: bool = False) -> dict[str, Any]:
    """Everything the plan page shows, loaded with a fixed number of queries.

    The page (``full=False``) shows each long section's most relevant items and how many
    there are; ``full=True`` (paper, exports) has every goal, action and decision.
    """
    labels = choice_labels()
    goals = goal_rows(plan, labels)
    members, persons = loaded_people(plan)
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
    goals_by_id = {g.pk: g for g in goals}
    team = team_from(persons, members)
    names = {u.pk: u.full_name for u in team}
    if full:
        actions = action_rows(plan, labels, goals_by_id)
    else:
        actions, action_total, open_total = first_action_rows(plan, labels, goals_by_id)
    decisions = decision_rows(plan, labels, names, first=not full)
    context: dict[str, Any] = {
        "plan": plan,
        "plan_url": plan_url(plan),
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
    if not full:
        context.update(
            shown_goals=first_goals(goals),
            more_goals=len(goals) > FIRST_GOALS,
            action_total=action_total,
            open_action_total=open_total,
            more_actions=action_total > len(actions),
            decision_total=decisions[0]["total"] if decisions else 0,
            more_decisions=bool(decisions) and decisions[0]["total"] > len(decisions),
        )
    return context


def loaded_people(plan: Plan) -> tuple[list[CareTeamMember], list[Person]]:
    """The care team and the family's people, as the access check loaded them (or now)."""
    members = getattr(plan, "loaded_members", None)
    if members is None:
        members = list(plan.members.select_related("user", "person", "organisation"))
    persons = getattr(plan, "loaded_persons", None)
    if persons is None:
        persons = list(plan.family.persons.select_related("user"))
    return members, persons


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


def acting_user(request: HttpRequest) -> User:
    """The logged-in user (views are behind login_required)."""
    user: User = request.user  # type: ignore[assignment]
    return user
