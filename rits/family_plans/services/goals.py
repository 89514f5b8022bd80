"""The plan's content: goals and scores, actions, decisions and answers, evaluations, comments."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rits.accounts.models import User
from rits.audit.models import Entry
from rits.family_plans.models import (
    Action,
    Comment,
    Decision,
    Evaluation,
    Goal,
    Plan,
    Position,
    Score,
)
from rits.family_plans.permissions import Access
from rits.family_plans.services.audit import audit, renew_content
from rits.family_plans.services.errors import PlanError
from rits.family_plans.services.notices import plan_url, team_accounts, tell_many
from rits.family_plans.services.versions import save_versioned


@transaction.atomic
def add_goal(plan: Plan, *, actor: User, domain: str, title: str, description: str = "") -> Goal:
    goal = Goal.objects.create(
        plan=plan, domain=domain, title=title, description=description, created_by=actor
    )
    renew_content(plan)
    audit(actor, "family_plans.goal_added", plan, goal, data={"domain": domain})
    return goal


@transaction.atomic
def update_goal(goal: Goal, *, actor: User, plan: Plan, version: int, **changes: Any) -> Goal:
    diff = save_versioned(goal, expected_version=version, changes=changes)
    renew_content(plan)
    audit(actor, "family_plans.goal_changed", plan, goal, data={"changes": diff})
    return goal


@transaction.atomic
def score_goal(goal: Goal, *, actor: User, plan: Plan, score: int, note: str = "") -> Score:
    """Progress as the family sees it, or as the professional sees it: both are kept."""
    if not 0 <= score <= 10:
        raise PlanError(_("A score is a number from 0 to 10."))
    access: Access | None = getattr(plan, "access", None)
    perspective = (
        Score.Perspective.PROFESSIONAL
        if access is not None and access.is_professional
        else Score.Perspective.FAMILY
    )
    result = Score.objects.create(
        goal=goal, perspective=perspective, score=score, note=note, scored_by=actor
    )
    renew_content(plan)
    audit(
        actor,
        "family_plans.goal_scored",
        plan,
        goal,
        data={"score": score, "perspective": perspective},
    )
    return result


@transaction.atomic
def add_action(
    plan: Plan,
    *,
    actor: User,
    what: str,
    who: str,
    due_date: date | None = None,
    goal: Goal | None = None,
) -> Action:
    if goal is not None and goal.plan_id != plan.pk:
        raise PlanError(_("This goal belongs to another plan."))
    action = Action.objects.create(
        plan=plan, goal=goal, what=what, who=who, due_date=due_date, created_by=actor
    )
    renew_content(plan)
    audit(actor, "family_plans.action_added", plan, action)
    return action


@transaction.atomic
def update_action(
    action: Action, *, actor: User, plan: Plan, version: int, **changes: Any
) -> Action:
    goal = changes.get("goal")
    if goal is not None and goal.plan_id != plan.pk:
        raise PlanError(_("This goal belongs to another plan."))
    diff = save_versioned(action, expected_version=version, changes=changes)
    renew_content(plan)
    audit(actor, "family_plans.action_changed", plan, action, data={"changes": diff})
    return action


def _check_on_team(plan: Plan, users: Iterable[User]) -> None:
    team = {u.pk for u in team_accounts(plan)}
    if any(u.pk not in team for u in users):
        raise PlanError(_("Only people in the family or the care team can agree to a decision."))


@transaction.atomic
def propose_decision(
    plan: Plan,
    *,
    actor: User,
    title: str,
    text: str = "",
    grounds: str = "",
    ask: Iterable[User] = (),
) -> Decision:
    """Record a decision and ask people on the team to agree or disagree."""
    asked = list({u.pk: u for u in ask}.values())
    _check_on_team(plan, asked)
    decision = Decision.objects.create(
        plan=plan, title=title, text=text, grounds=grounds, created_by=actor
    )
    for user in asked:
        Position.objects.create(decision=decision, user=user)
    tell_many(
        asked,
        kind="family_plans.decision",
        title=_("A decision waits for your answer"),
        body=title,
        url=reverse("family_plans:decision_edit", args=[plan.pk, decision.pk]),
        skip=actor,
    )
    renew_content(plan)
    audit(
        actor,
        "family_plans.decision_proposed",
        plan,
        decision,
        data={"asked": [u.pk for u in asked]},
    )
    return decision


def _decision_status(decision: Decision) -> str:
    answers = list(decision.positions.values_list("answer", flat=True))
    if Position.Answer.DISAGREE in answers:
        return Decision.Status.DISAGREED
    if answers and all(a == Position.Answer.AGREE for a in answers):
        return Decision.Status.AGREED
    return Decision.Status.OPEN


def answer_decision(
    decision: Decision, *, actor: User, plan: Plan, answer: str, grounds: str = ""
) -> Position:
    """Agree or disagree. Someone not on the team is refused (and audited)."""
    if actor.pk not in {u.pk for u in team_accounts(plan)}:
        with transaction.atomic():
            audit(
                actor,
                "family_plans.decision_answer_refused",
                plan,
                decision,
                outcome=Entry.Outcome.DENIED,
                data={"answer": answer},
            )
        raise PlanError(_("Only people in the family or the care team can agree to a decision."))
    if answer not in (Position.Answer.AGREE, Position.Answer.DISAGREE):
        raise PlanError(_("Choose agree or disagree."))
    if answer == Position.Answer.DISAGREE and not grounds.strip():
        raise PlanError(_("Say why you disagree."))
    with transaction.atomic():
        position, _created = Position.objects.get_or_create(decision=decision, user=actor)
        position.answer = answer
        position.grounds = grounds
        position.answered_at = timezone.now()
        position.save()
        status = _decision_status(decision)
        Decision.objects.filter(pk=decision.pk).update(status=status)
        decision.status = status
        renew_content(plan)
        audit(
            actor,
            "family_plans.decision_answered",
            plan,
            decision,
            data={"answer": answer, "status": status},
        )
    return position


@transaction.atomic
def update_decision(
    decision: Decision, *, actor: User, plan: Plan, version: int, **changes: Any
) -> Decision:
    """Change a decision; when what was decided changes, everyone is asked again."""
    diff = save_versioned(decision, expected_version=version, changes=changes)
    if "title" in diff or "text" in diff:
        decision.positions.update(answer=Position.Answer.PENDING, answered_at=None)
        Decision.objects.filter(pk=decision.pk).update(status=_decision_status(decision))
        decision.refresh_from_db()
    renew_content(plan)
    audit(actor, "family_plans.decision_changed", plan, decision, data={"changes": diff})
    return decision


@transaction.atomic
def plan_evaluation(
    plan: Plan,
    *,
    actor: User,
    starts_at: datetime,
    minutes: int = 60,
    location: str = "",
    note: str = "",
) -> Evaluation:
    evaluation = Evaluation.objects.create(
        plan=plan,
        starts_at=starts_at,
        minutes=minutes,
        location=location,
        note=note,
        created_by=actor,
    )
    tell_many(
        team_accounts(plan),
        kind="family_plans.evaluation",
        title=_("Evaluation planned on %(when)s")
        % {"when": timezone.localtime(starts_at).strftime("%d-%m-%Y %H:%M")},
        body=_("Download the invitation for your calendar on the plan page."),
        url=plan_url(plan),
        skip=actor,
    )
    renew_content(plan)
    audit(actor, "family_plans.evaluation_planned", plan, evaluation)
    return evaluation


@transaction.atomic
def add_comment(plan: Plan, *, actor: User, text: str, goal: Goal | None = None) -> Comment:
    if goal is not None and goal.plan_id != plan.pk:
        raise PlanError(_("This goal belongs to another plan."))
    comment = Comment.objects.create(plan=plan, goal=goal, author=actor, text=text)
    renew_content(plan)
    audit(actor, "family_plans.comment_added", plan, comment)
    return comment
