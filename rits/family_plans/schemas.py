from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, Schema

from rits.lib.ids import MAX_ID, Id
from rits.lib.moments import Moment

# Spelled out for the type checker; test_api checks they match the model choices.
DomainCode = Literal["parenting", "school_work", "health", "money", "housing", "safety", "network"]
GoalStatus = Literal["open", "reached", "partly", "not_reached", "stopped"]
ActionStatus = Literal["todo", "doing", "done", "cancelled"]
TopicCode = Literal[
    "income", "insurance", "housing", "education", "money", "who_stays", "extended_care"
]
RoleCode = Literal[
    "youth", "parent", "sibling", "grandparent", "neighbour", "coach", "jim", "other"
]
# A JIM is chosen by the youth through the JIM invitation, never added as a plain person.
NewPersonRole = Literal["youth", "parent", "sibling", "grandparent", "neighbour", "coach", "other"]
RelationshipKind = Literal[
    "parent_of", "partner_of", "sibling_of", "grandparent_of", "mentor_of", "supports"
]
# 1 weak (a dashed line on the ecogram), 2 normal, 3 strong (a thick line).
Strength = Literal[1, 2, 3]


class ScoreOut(Schema):
    perspective: str
    score: int
    scored_at: datetime


class GoalOut(Schema):
    id: int
    domain: str
    title: str
    description: str
    status: str
    outcome: str
    version: int


class ActionOut(Schema):
    id: int
    goal_id: int | None
    what: str
    who: str
    due_date: date | None
    status: str
    version: int


class PositionOut(Schema):
    user_id: int
    answer: str
    grounds: str


class DecisionOut(Schema):
    id: int
    title: str
    text: str
    grounds: str
    status: str
    version: int
    positions: list[PositionOut]


class MemberOut(Schema):
    id: int
    name: str
    kind: str
    status: str
    organisation: str | None
    is_jim: bool


class PersonOut(Schema):
    id: int
    role: str
    name: str
    date_of_birth: date | None
    email: str
    has_account: bool
    version: int


class RelationshipOut(Schema):
    id: int
    from_person_id: int
    to_person_id: int
    kind: str
    strength: int


class NetworkOut(Schema):
    persons: list[PersonOut]
    relationships: list[RelationshipOut]


class PlanSummary(Schema):
    id: int
    family: str
    status: str
    coordinator: str | None
    created_at: datetime


class PlanOut(PlanSummary):
    access: str
    can_edit: bool
    goals: list[GoalOut]
    actions: list[ActionOut]
    decisions: list[DecisionOut]
    members: list[MemberOut]
    transition_visible: bool


class StartPlanIn(Schema):
    family_name: str = Field(min_length=1, max_length=150)
    youth_name: str = Field(min_length=1, max_length=150)
    youth_birth: date
    youth_bsn: str = Field("", max_length=9)
    parent_names: list[str] = Field(default_factory=list, max_length=4)
    consent_in_person: bool


class GoalIn(Schema):
    title: str = Field(min_length=1, max_length=300)
    domain: DomainCode
    description: str = Field("", max_length=5000)


class GoalPatch(Schema):
    version: int = Field(ge=1, le=MAX_ID)
    title: str | None = Field(None, min_length=1, max_length=300)
    domain: DomainCode | None = None
    description: str | None = Field(None, max_length=5000)
    status: GoalStatus | None = None


class ScoreIn(Schema):
    score: int = Field(ge=0, le=10)
    note: str = Field("", max_length=300)


class ActionIn(Schema):
    what: str = Field(min_length=1, max_length=300)
    who: str = Field(min_length=1, max_length=150)
    due_date: date | None = None
    goal_id: Id | None = None


class ActionPatch(Schema):
    version: int = Field(ge=1, le=MAX_ID)
    what: str | None = Field(None, min_length=1, max_length=300)
    who: str | None = Field(None, min_length=1, max_length=150)
    due_date: date | None = None
    status: ActionStatus | None = None


class DecisionIn(Schema):
    title: str = Field(min_length=1, max_length=300)
    text: str = Field("", max_length=5000)
    grounds: str = Field("", max_length=5000)
    ask_user_ids: list[Id] = Field(default_factory=list, max_length=50)


class DecisionPatch(Schema):
    version: int = Field(ge=1, le=MAX_ID)
    title: str | None = Field(None, min_length=1, max_length=300)
    text: str | None = Field(None, max_length=5000)
    grounds: str | None = Field(None, max_length=5000)


class AnswerIn(Schema):
    answer: Literal["agree", "disagree"]
    grounds: str = Field("", max_length=5000)


class EvaluationIn(Schema):
    starts_at: Moment
    minutes: int = Field(60, ge=15, le=480)
    location: str = Field("", max_length=200)


class CommentIn(Schema):
    text: str = Field(min_length=1, max_length=5000)


class MemberIn(Schema):
    email: str = Field(max_length=254)
    title: str = Field("", max_length=100)


class ConsentIn(Schema):
    purpose: Literal["plan", "contact"] = "plan"
    on_behalf_of_person_id: Id | None = None


class PersonIn(Schema):
    role: NewPersonRole
    name: str = Field(min_length=1, max_length=150)
    date_of_birth: date | None = None
    email: str = Field("", max_length=254)


class PersonPatch(Schema):
    """Send the version you read; leave out what does not change."""

    version: int = Field(ge=1, le=MAX_ID)
    name: str | None = Field(None, min_length=1, max_length=150)
    role: RoleCode | None = None
    date_of_birth: date | None = None
    email: str | None = Field(None, max_length=254)


class RelationshipIn(Schema):
    from_person_id: Id
    to_person_id: Id
    kind: RelationshipKind
    strength: Strength = 2


class RelationshipPatch(Schema):
    kind: RelationshipKind | None = None
    strength: Strength | None = None


class JimIn(Schema):
    name: str = Field(min_length=1, max_length=150)
    date_of_birth: date
    email: str = Field(max_length=254)


class CoordinatorIn(Schema):
    user_id: Id


class CloseIn(Schema):
    reason: str = Field(min_length=1, max_length=5000)
    outcomes: dict[Id, tuple[GoalStatus, str]] = Field(default_factory=dict)


class TransitionIn(Schema):
    topic: TopicCode
    status: Literal["todo", "arranged", "not_needed"]
    note: str = Field("", max_length=5000)
    version: int = Field(ge=0, le=MAX_ID)


class EmergencyIn(Schema):
    plan_id: Id
    reason: str = Field(min_length=20, max_length=2000)


class AccessLogEntry(Schema):
    occurred_at: datetime
    event: str
    label: str
    who: str
    organisation: str
    purpose: str
    outcome: str


class Created(Schema):
    id: int
    version: int = 1


class Problem(Schema):
    """application/problem+json; a 409 also carries the stored version to merge with."""

    type: str
    title: str
    status: int
    detail: str = ""
    current_version: int | None = None
    current: dict[str, Any] | None = None
