"""What the plan page reads of a plan's content, and a short memory of it.

The plan page is the most visited page of Rits. Its access check and its audit entry
run on every request, against the database. The plan's content (goals and scores,
actions, decisions and positions, evaluations, comments, relationships, transition
items) changes only through ``services``, and every change there gives the plan a new
``Plan.content_token`` in the same transaction. So the page keeps what it read under
(plan, content token) in the ``plan_content`` cache, and a later request that finds the
same token on the plan row (which the access check reads anyway) uses it again.

What is kept, and what is not:

- by default only in the memory of the server process that read it (Django's local
  memory cache: never on disk, never shared between processes or machines), for at most
  ``CACHES["plan_content"]["TIMEOUT"]`` seconds and ``MAX_ENTRIES`` plans;
- never anything that decides access: who is in the family and on the care team, with
  which consent, is read from the database on every request;
- no labels or names in a language: those are added per request.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import caches
from django.db.models import Case, Count, F, Sum, When, Window
from django.utils import timezone, translation

from rits.family_plans import rules
from rits.family_plans.exports import ecogram_svg
from rits.family_plans.models import (
    Action,
    CareTeamMember,
    Evaluation,
    Goal,
    Person,
    Plan,
    Position,
    Relationship,
    Score,
    TransitionItem,
)

# The plan page's first paint shows each section's most relevant items; the full lists
# are one click (or one hx-get) away on their own pages.
FIRST_ACTIONS = 8
FIRST_DECISIONS = 5
UPCOMING_EVALUATIONS = 5
LATEST_COMMENTS = 20
OPEN_ACTIONS = (Action.Status.TODO, Action.Status.DOING)


def rows(values: Any) -> list[dict[str, Any]]:
    """A ``values()`` queryset as plain dicts the page may add labels to."""
    return [dict(row) for row in values]


def goals_and_scores(plan: Plan) -> tuple[list[Goal], dict[int, dict[str, Score]]]:
    """All goals, and the latest score per goal and perspective (two queries)."""
    goals = list(plan.goals.all())
    scores: dict[int, dict[str, Score]] = defaultdict(dict)
    for score in Score.objects.filter(goal__plan=plan).order_by("scored_at", "pk"):
        scores[score.goal_id][score.perspective] = score  # the latest per perspective wins
    return goals, dict(scores)


def first_actions(plan: Plan) -> tuple[list[dict[str, Any]], int, int]:
    """The open actions due soonest, with the number of actions and of open actions,
    in one query (the counts are window functions, computed before the LIMIT)."""
    is_open = Case(When(status__in=OPEN_ACTIONS, then=1), default=0)
    qs = plan.actions.annotate(
        is_open=is_open, total=Window(Count("pk")), open_total=Window(Sum(is_open))
    ).order_by("-is_open", F("due_date").asc(nulls_last=True), "pk")
    found = rows(
        qs.values(
            "pk", "what", "who", "due_date", "status", "goal_id", "is_open", "total", "open_total"
        )[:FIRST_ACTIONS]
    )
    if not found:
        return [], 0, 0
    total, open_total = found[0]["total"], found[0]["open_total"] or 0
    return [r for r in found if r["is_open"]], total, open_total


def decisions_and_positions(
    plan: Plan, *, first: bool = False
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Decisions, newest first, and their positions (two queries). ``first``: only the
    latest few, each row carrying ``total`` (all decisions)."""
    qs = plan.decisions.all()
    fields = ["pk", "title", "text", "grounds", "status"]
    if first:
        qs = qs.annotate(total=Window(Count("pk")))[:FIRST_DECISIONS]
        fields.append("total")
    decisions = rows(qs.values(*fields))
    if not decisions:
        return decisions, []
    positions = Position.objects.filter(decision__plan=plan)
    if first:
        positions = positions.filter(decision_id__in=[d["pk"] for d in decisions])
    return decisions, rows(positions.values("decision_id", "user_id", "answer", "grounds"))


@dataclass
class PlanContent:
    """The plan page's reads of one plan, before labels and names are added."""

    goals: list[Goal]
    scores: dict[int, dict[str, Score]]
    actions: list[dict[str, Any]]
    action_total: int
    open_action_total: int
    decisions: list[dict[str, Any]]
    positions: list[dict[str, Any]]
    evaluations: list[Evaluation]
    comments: list[dict[str, Any]]
    relationships: list[Relationship]
    transition: dict[str, TransitionItem] | None = field(default=None)

    def upcoming_evaluations(self) -> list[Evaluation]:
        now = timezone.now()
        return [e for e in self.evaluations if e.starts_at >= now][:UPCOMING_EVALUATIONS]


def read_content(plan: Plan) -> PlanContent:
    """Read the plan page's content from the database."""
    goals, scores = goals_and_scores(plan)
    actions, action_total, open_total = first_actions(plan)
    decisions, positions = decisions_and_positions(plan, first=True)
    transition = None
    if rules.transition_visible(plan):
        transition = {i.topic: i for i in TransitionItem.objects.filter(plan=plan)}
    return PlanContent(
        goals=goals,
        scores=scores,
        actions=actions,
        action_total=action_total,
        open_action_total=open_total,
        decisions=decisions,
        positions=positions,
        # A few more than are shown, so that one passing does not empty the list.
        evaluations=list(
            plan.evaluations.filter(starts_at__gte=timezone.now())[: UPCOMING_EVALUATIONS * 2]
        ),
        comments=rows(
            plan.comments.order_by("-created_at").values(
                "text", "created_at", author_name=F("author__full_name")
            )[:LATEST_COMMENTS]
        ),
        relationships=list(Relationship.objects.filter(family_id=plan.family_id)),
        transition=transition,
    )


def plan_content(plan: Plan) -> PlanContent:
    """The plan page's content: from the cache when the plan has not changed since it
    was read (same content token), else from the database. Each call returns its own
    copy (the cache stores it pickled), so a request may add labels freely."""
    cache = caches["plan_content"]
    # The transition part appears from 16 and a half: a change of day may show it.
    key = f"plan:{plan.pk}:{plan.content_token}:{int(rules.transition_visible(plan))}"
    content: PlanContent | None = cache.get(key)
    if content is None:
        content = read_content(plan)
        cache.set(key, content)
    return content


def ecogram(
    plan: Plan, persons: list[Person], members: list[CareTeamMember], content: PlanContent
) -> str:
    """The ecogram SVG of the plan page, drawn once per content token and language.

    It shows the family's people, the active professionals and the relationships: all
    of them change only through ``services``, which renew the token (for the whole
    family when the network changes)."""
    cache = caches["plan_content"]
    key = f"ecogram:{plan.pk}:{plan.content_token}:{translation.get_language()}"
    svg: str | None = cache.get(key)
    if svg is None:
        svg = ecogram_svg(
            plan, persons=persons, members=members, relationships=content.relationships
        )
        cache.set(key, svg)
    return svg


# What the plan pages show of the people around a plan: all of a person and a team
# member, and of their accounts and organisations only what the pages show (compiling
# and converting every column of every joined table cost more than the rest).
PERSON_FIELDS = tuple(f.name for f in Person._meta.concrete_fields)
MEMBER_FIELDS = tuple(f.name for f in CareTeamMember._meta.concrete_fields)
ACCOUNT_FIELDS = ("user__id", "user__full_name", "user__email", "user__is_active")


def read_people(plan: Plan) -> tuple[list[CareTeamMember], list[Person]]:
    """The care team and the family's people, sorted as the models' ordering would
    (sorting a handful in Python costs less than compiling an ORDER BY)."""
    persons = sorted(
        Person.objects.filter(family_id=plan.family_id)
        .select_related("user")
        .only(*PERSON_FIELDS, *ACCOUNT_FIELDS)
        .order_by(),
        key=lambda p: (p.role, p.name),
    )
    members = sorted(
        CareTeamMember.objects.select_related("user", "organisation")
        .filter(plan_id=plan.pk)
        .only(*MEMBER_FIELDS, *ACCOUNT_FIELDS, "organisation__id", "organisation__name")
        .order_by(),
        key=lambda m: (m.kind, m.created_at),
    )
    return members, persons


def people(plan: Plan) -> tuple[list[CareTeamMember], list[Person]]:
    """The care team and the family's people as the pages show them, kept under the
    content token: who joins, leaves, gives or withdraws consent, and every change to
    the family's people go through ``services``, which renew it. Never used to decide
    access (``PlanQuerySet.with_access`` reads the deciding rows itself)."""
    cache = caches["plan_content"]
    key = f"people:{plan.pk}:{plan.content_token}"
    found: tuple[list[CareTeamMember], list[Person]] | None = cache.get(key)
    if found is None:
        found = read_people(plan)
        cache.set(key, found)
    return found


def page_people(plan: Plan) -> tuple[list[CareTeamMember], list[Person]]:
    """``people`` once per request, kept on the plan object for the page's other reads.

    The plan's coordinator and each person's family and each member's person are then
    given from these lists, so that reading them costs no query of its own."""
    if not hasattr(plan, "loaded_people"):
        members, persons = people(plan)
        _attach_people(plan, persons, members)
        plan.loaded_people = members, persons  # type: ignore[attr-defined]
    loaded: tuple[list[CareTeamMember], list[Person]] = plan.loaded_people  # type: ignore[attr-defined]
    return loaded


def _attach_people(plan: Plan, persons: list[Person], members: list[CareTeamMember]) -> None:
    by_pk = {p.pk: p for p in persons}
    if not Plan.youth.is_cached(plan) and plan.youth_id in by_pk:  # type: ignore[attr-defined]
        plan.youth = by_pk[plan.youth_id]  # type: ignore[attr-defined]
    if plan.coordinator_id is not None and not Plan.coordinator.is_cached(plan):  # type: ignore[attr-defined]
        users = [p.user for p in persons if p.user is not None]
        users += [m.user for m in members if m.user is not None]
        found = next((u for u in users if u.pk == plan.coordinator_id), None)  # type: ignore[attr-defined]
        if found is not None:
            plan.coordinator = found
    for person in persons:
        Person.family.field.set_cached_value(person, plan.family)  # type: ignore[attr-defined]
    for member in members:
        if member.person_id is not None and member.person_id in by_pk:  # type: ignore[attr-defined]
            CareTeamMember.person.field.set_cached_value(member, by_pk[member.person_id])  # type: ignore[attr-defined]
