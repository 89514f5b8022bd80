from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from ninja import Field, Schema

from rits.family_plans.models import (
    Action,
    CareTeamMember,
    Comment,
    Decision,
    EmergencyAccess,
    Evaluation,
    Family,
    Goal,
    Person,
    Plan,
    Position,
    Score,
    TransitionItem,
)
from rits.lib.ids import MAX_ID, Id
from rits.lib.moments import Moment
from rits.lib.text import Line, Text, limit, model_field, omittable

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


# Inputs. Every text is a ``Line`` or a ``Text`` (no control characters; see
# rits.lib.text) with the model field's limit; a PATCH may leave a field out but not
# set a required one to null (``omittable``).


class StartPlanIn(Schema):
    family_name: Line = model_field(Family, "name", min_length=1)
    youth_name: Line = model_field(Person, "name", min_length=1)
    youth_birth: date
    youth_bsn: Line = Field("", max_length=9)
    parent_names: list[Annotated[Line, Field(max_length=limit(Person, "name"))]] = Field(
        default_factory=list, max_length=4
    )
    consent_in_person: bool


class OwnPlanIn(Schema):
    youth_id: Id


class GoalIn(Schema):
    title: Line = model_field(Goal, "title", min_length=1)
    domain: DomainCode
    description: Text = model_field(Goal, "description", default="")


class GoalPatch(Schema):
    version: int = Field(ge=1, le=MAX_ID)
    title: Line = omittable(min_length=1, max_length=limit(Goal, "title"))
    domain: DomainCode = omittable()
    description: Text = omittable(max_length=limit(Goal, "description"))
    status: GoalStatus = omittable()


class ScoreIn(Schema):
    score: int = Field(ge=0, le=10)
    note: Line = model_field(Score, "note", default="")


class ActionIn(Schema):
    what: Line = model_field(Action, "what", min_length=1)
    who: Line = model_field(Action, "who", min_length=1)
    due_date: date | None = None
    goal_id: Id | None = None


class ActionPatch(Schema):
    version: int = Field(ge=1, le=MAX_ID)
    what: Line = omittable(min_length=1, max_length=limit(Action, "what"))
    who: Line = omittable(min_length=1, max_length=limit(Action, "who"))
    due_date: date | None = None  # null: no date
    status: ActionStatus = omittable()


class DecisionIn(Schema):
    title: Line = model_field(Decision, "title", min_length=1)
    text: Text = model_field(Decision, "text", default="")
    grounds: Text = model_field(Decision, "grounds", default="")
    ask_user_ids: list[Id] = Field(default_factory=list, max_length=50)


class DecisionPatch(Schema):
    version: int = Field(ge=1, le=MAX_ID)
    title: Line = omittable(min_length=1, max_length=limit(Decision, "title"))
    text: Text = omittable(max_length=limit(Decision, "text"))
    grounds: Text = omittable(max_length=limit(Decision, "grounds"))


class AnswerIn(Schema):
    answer: Literal["agree", "disagree"]
    grounds: Text = model_field(Position, "grounds", default="")


class EvaluationIn(Schema):
    starts_at: Moment
    minutes: int = Field(60, ge=15, le=480)
    location: Line = model_field(Evaluation, "location", default="")


class CommentIn(Schema):
    text: Text = model_field(Comment, "text", min_length=1)


class MemberIn(Schema):
    email: Line = Field(max_length=254)
    title: Line = model_field(CareTeamMember, "title", default="")


class ConsentIn(Schema):
    purpose: Literal["plan", "contact"] = "plan"
    on_behalf_of_person_id: Id | None = None


class PersonIn(Schema):
    role: NewPersonRole
    name: Line = model_field(Person, "name", min_length=1)
    date_of_birth: date | None = None
    email: Line = model_field(Person, "email", default="")


class PersonPatch(Schema):
    """Send the version you read; leave out what does not change."""

    version: int = Field(ge=1, le=MAX_ID)
    name: Line = omittable(min_length=1, max_length=limit(Person, "name"))
    role: RoleCode = omittable()
    date_of_birth: date | None = None  # null: birth date not known
    email: Line = omittable(max_length=limit(Person, "email"))


class RelationshipIn(Schema):
    from_person_id: Id
    to_person_id: Id
    kind: RelationshipKind
    strength: Strength = 2


class RelationshipPatch(Schema):
    kind: RelationshipKind = omittable()
    strength: Strength = omittable()


class JimIn(Schema):
    name: Line = model_field(Person, "name", min_length=1)
    date_of_birth: date
    email: Line = model_field(Person, "email")


class CoordinatorIn(Schema):
    user_id: Id


class CloseIn(Schema):
    reason: Text = model_field(Plan, "close_reason", min_length=1)
    outcomes: dict[
        Id, tuple[GoalStatus, Annotated[Text, Field(max_length=limit(Goal, "outcome"))]]
    ] = Field(default_factory=dict)


class TransitionIn(Schema):
    topic: TopicCode
    status: Literal["todo", "arranged", "not_needed"]
    note: Text = model_field(TransitionItem, "note", default="")
    version: int = Field(ge=0, le=MAX_ID)


EmergencyReasonClass = Literal["acute_safety", "missing", "medical", "crisis"]


class EmergencyIn(Schema):
    plan_id: Id
    reason_class: EmergencyReasonClass = Field(
        description="Kind of emergency; a closed plan only for acute_safety."
    )
    reason: Text = model_field(EmergencyAccess, "reason", min_length=20)


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
