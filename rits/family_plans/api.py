"""The family plan in the JSON API: the same services and access helpers as the HTML."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.errors import HttpError

from rits.accounts.auth import api_user
from rits.accounts.models import User
from rits.family_plans import exports, rules, schemas, services
from rits.family_plans.models import (
    Action,
    CareTeamMember,
    Consent,
    Decision,
    Goal,
    Person,
    Plan,
    Relationship,
)
from rits.family_plans.permissions import (
    get_part_for_user,
    get_plan_for_user,
    plan_access,
    visible_plans,
)
from rits.lib.ids import PathId
from rits.lib.problem import problem

router = Router(tags=["family plans"])

T = TypeVar("T")


def _run(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call a service; a refusal becomes 400 (or 409 for a stale version) as problem+json."""
    try:
        return fn(*args, **kwargs)
    except services.StaleVersion:
        raise
    except services.PlanError as exc:
        raise HttpError(400, str(exc)) from None


def stale_response(request: HttpRequest, error: services.StaleVersion) -> HttpResponse:
    """409 with what is stored now, so the client can merge and resend with that version."""
    current: Model = error.current
    return problem(
        request,
        409,
        _("Conflict"),
        str(error),
        current_version=current.version,  # type: ignore[attr-defined]
        current={k: v for k, v in _fields(current).items()},
    )


def _fields(obj: Model) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        value = getattr(obj, f.attname)
        out[f.attname] = value.isoformat() if hasattr(value, "isoformat") else value
    return out


def _plan_out(plan: Plan) -> dict[str, Any]:
    access = plan_access(plan)
    members = plan.members.select_related("person", "user", "organisation").exclude(
        status=CareTeamMember.Status.LEFT
    )
    return {
        "id": plan.pk,
        "family": plan.family.name,
        "status": plan.status,
        "coordinator": plan.coordinator.full_name if plan.coordinator else None,
        "created_at": plan.created_at,
        "access": access.kind,
        "can_edit": access.may_change,
        "goals": list(plan.goals.all()),
        "actions": list(plan.actions.all()),
        "decisions": [
            {
                **{
                    k: getattr(d, k)
                    for k in ("id", "title", "text", "grounds", "status", "version")
                },
                "positions": list(d.positions.all()),
            }
            for d in plan.decisions.prefetch_related("positions")
        ],
        "members": [
            {
                "id": m.pk,
                "name": m.display_name,
                "kind": m.kind,
                "status": m.status,
                "organisation": m.organisation.name if m.organisation else None,
                "is_jim": m.is_jim,
            }
            for m in members
        ],
        "transition_visible": rules.transition_visible(plan),
    }


@router.get(
    "/plans",
    response=list[schemas.PlanSummary],
    operation_id="family_plans_list",
    summary="Family plans you may see",
)
def list_plans(request: HttpRequest) -> list[dict[str, Any]]:
    user = api_user(request)
    plans = visible_plans(user, "family", "youth", "coordinator")
    for plan in plans:
        services.record_read(plan, actor=user, event="family_plans.plan_listed")
    return [
        {
            "id": p.pk,
            "family": p.family.name,
            "status": p.status,
            "coordinator": p.coordinator.full_name if p.coordinator else None,
            "created_at": p.created_at,
        }
        for p in plans
    ]


@router.post(
    "/plans",
    response={201: schemas.Created},
    operation_id="family_plans_start",
    summary="Start a family and its plan (professionals, with consent given in person)",
)
def start_plan(request: HttpRequest, payload: schemas.StartPlanIn) -> Status[dict[str, int]]:
    plan = _run(services.start_plan, actor=api_user(request), **payload.dict())
    return Status(201, {"id": plan.pk, "version": plan.version})


@router.post(
    "/plans/own",
    response={201: schemas.Created},
    operation_id="family_plans_start_own",
    summary="Start your own family's plan (a parent, or a youth of 16+) and coordinate it",
)
def start_own_plan(request: HttpRequest, payload: schemas.OwnPlanIn) -> Status[dict[str, int]]:
    user = api_user(request)
    # The same refusal for a youth of another family as for one that does not exist.
    youth = next((p for p in services.own_plan_youths(user) if p.pk == payload.youth_id), None)
    if youth is None:
        raise HttpError(
            400, _("A parent, or a youth of 16 or older, can start a plan for their own family.")
        )
    plan = _run(services.start_own_plan, actor=user, youth=youth)
    return Status(201, {"id": plan.pk, "version": plan.version})


@router.get(
    "/plans/{plan_id}",
    response=schemas.PlanOut,
    operation_id="family_plans_get",
    summary="One family plan with goals, actions, decisions and team",
)
def get_plan(request: HttpRequest, plan_id: PathId) -> dict[str, Any]:
    user = api_user(request)
    plan = get_plan_for_user(user, plan_id)
    services.record_read(plan, actor=user)
    return _plan_out(plan)


@router.get(
    "/plans/{plan_id}/fhir",
    operation_id="family_plans_fhir",
    summary="The plan as a FHIR R4 Bundle (validated with the R4B models of fhir.resources)",
)
def fhir(request: HttpRequest, plan_id: PathId) -> dict[str, Any]:
    user = api_user(request)
    plan = get_plan_for_user(user, plan_id)
    services.record_read(plan, actor=user, event="family_plans.plan_exported")
    return exports.fhir_bundle(plan)


@router.get(
    "/plans/{plan_id}/access-log",
    response=list[schemas.AccessLogEntry],
    operation_id="family_plans_access_log",
    summary="Who looked at or changed the plan (the family only)",
)
def access_log(request: HttpRequest, plan_id: PathId) -> list[dict[str, Any]]:
    user = api_user(request)
    plan = get_plan_for_user(user, plan_id)
    if not plan_access(plan).is_family:
        raise HttpError(403, _("Only the family can read the access log of their plan."))
    services.record_read(plan, actor=user, event="family_plans.access_log_viewed")
    return [
        {
            "occurred_at": e.occurred_at,
            "event": e.event,
            "label": e.event_label,
            "who": e.actor_label,
            "organisation": e.organisation,
            "purpose": e.purpose,
            "outcome": e.outcome,
        }
        for e in exports.access_log(plan)[:500]
    ]


@router.post(
    "/plans/{plan_id}/goals",
    response={201: schemas.GoalOut},
    operation_id="family_plans_goal_create",
    summary="Add a goal in your own words",
)
def create_goal(request: HttpRequest, plan_id: PathId, payload: schemas.GoalIn) -> Status[Goal]:
    user = api_user(request)
    plan = get_plan_for_user(user, plan_id, write=True)
    return Status(201, _run(services.add_goal, plan, actor=user, **payload.dict()))


def _changes(payload: Any) -> dict[str, Any]:
    return {k: v for k, v in payload.dict(exclude_unset=True).items() if k != "version"}


M = TypeVar("M", bound=Model)


def _patch(
    request: HttpRequest,
    model: type[M],
    plan_id: PathId,
    part_id: PathId,
    payload: Any,
    update: Callable[..., Any],
) -> Any:
    user = api_user(request)
    plan, part = get_part_for_user(user, model, plan_id, part_id, write=True)
    try:
        return _run(
            update, part, actor=user, plan=plan, version=payload.version, **_changes(payload)
        )
    except services.StaleVersion as exc:
        return stale_response(request, exc)


@router.patch(
    "/plans/{plan_id}/goals/{goal_id}",
    response={200: schemas.GoalOut, 409: schemas.Problem},
    operation_id="family_plans_goal_update",
    summary="Change a goal (send the version you read; 409 if someone saved first)",
)
def update_goal(
    request: HttpRequest, plan_id: PathId, goal_id: PathId, payload: schemas.GoalPatch
) -> Any:
    return _patch(request, Goal, plan_id, goal_id, payload, services.update_goal)


@router.post(
    "/plans/{plan_id}/goals/{goal_id}/scores",
    response={201: schemas.ScoreOut},
    operation_id="family_plans_goal_score",
    summary="Score progress on a goal (0-10)",
)
def score_goal(
    request: HttpRequest, plan_id: PathId, goal_id: PathId, payload: schemas.ScoreIn
) -> Status[Any]:
    user = api_user(request)
    plan, goal = get_part_for_user(user, Goal, plan_id, goal_id, write=True)
    return Status(201, _run(services.score_goal, goal, actor=user, plan=plan, **payload.dict()))


@router.post(
    "/plans/{plan_id}/actions",
    response={201: schemas.ActionOut},
    operation_id="family_plans_action_create",
    summary="Add an action: who does what by when",
)
def create_action(
    request: HttpRequest, plan_id: PathId, payload: schemas.ActionIn
) -> Status[Action]:
    user = api_user(request)
    plan = get_plan_for_user(user, plan_id, write=True)
    data = payload.dict()
    goal_id = data.pop("goal_id")
    goal = plan.goals.filter(pk=goal_id).first() if goal_id else None
    if goal_id and goal is None:
        raise Http404
    return Status(201, _run(services.add_action, plan, actor=user, goal=goal, **data))


@router.patch(
    "/plans/{plan_id}/actions/{action_id}",
    response={200: schemas.ActionOut, 409: schemas.Problem},
    operation_id="family_plans_action_update",
    summary="Change an action (send the version you read; 409 if someone saved first)",
)
def update_action(
    request: HttpRequest, plan_id: PathId, action_id: PathId, payload: schemas.ActionPatch
) -> Any:
    return _patch(request, Action, plan_id, action_id, payload, services.update_action)


def _decision_out(decision: Decision) -> dict[str, Any]:
    return {
        **{
            k: getattr(decision, k) for k in ("id", "title", "text", "grounds", "status", "version")
        },
        "positions": list(decision.positions.all()),
    }


@router.post(
    "/plans/{plan_id}/decisions",
    response={201: schemas.DecisionOut},
    operation_id="family_plans_decision_create",
    summary="Record a decision and ask team members to agree",
)
def create_decision(
    request: HttpRequest, plan_id: PathId, payload: schemas.DecisionIn
) -> Status[dict[str, Any]]:
    user = api_user(request)
    plan = get_plan_for_user(user, plan_id, write=True)
    data = payload.dict()
    ids = set(data.pop("ask_user_ids"))
    ask = list(User.objects.filter(pk__in=ids))
    if len(ask) != len(ids):
        raise HttpError(
            400, _("Only people in the family or the care team can agree to a decision.")
        )
    decision = _run(services.propose_decision, plan, actor=user, ask=ask, **data)
    return Status(201, _decision_out(decision))


@router.patch(
    "/plans/{plan_id}/decisions/{decision_id}",
    response={200: schemas.DecisionOut, 409: schemas.Problem},
    operation_id="family_plans_decision_update",
    summary="Change a decision (everyone is asked again; 409 if someone saved first)",
)
def update_decision(
    request: HttpRequest, plan_id: PathId, decision_id: PathId, payload: schemas.DecisionPatch
) -> Any:
    result = _patch(request, Decision, plan_id, decision_id, payload, services.update_decision)
    return result if isinstance(result, HttpResponse) else _decision_out(result)


@router.post(
    "/plans/{plan_id}/decisions/{decision_id}/answers",
    response=schemas.DecisionOut,
    operation_id="family_plans_decision_answer",
    summary="Agree or disagree, with grounds",
)
def answer_decision(
    request: HttpRequest, plan_id: PathId, decision_id: PathId, payload: schemas.AnswerIn
) -> dict[str, Any]:
    user = api_user(request)
    plan, decision = get_part_for_user(user, Decision, plan_id, decision_id, take_part=True)
    _run(services.answer_decision, decision, actor=user, plan=plan, **payload.dict())
    decision.refresh_from_db()
    return _decision_out(decision)


@router.post(
    "/plans/{plan_id}/evaluations",
    response={201: schemas.Created},
    operation_id="family_plans_evaluation_create",
    summary="Plan an evaluation moment",
)
def create_evaluation(
    request: HttpRequest, plan_id: PathId, payload: schemas.EvaluationIn
) -> Status[dict[str, int]]:
    user = api_user(request)
    plan = get_plan_for_user(user, plan_id, write=True)
    evaluation = _run(services.plan_evaluation, plan, actor=user, **payload.dict())
    return Status(201, {"id": evaluation.pk, "version": 1})


@router.post(
    "/plans/{plan_id}/comments",
    response={201: schemas.Created},
    operation_id="family_plans_comment_create",
    summary="Add a comment",
)
def create_comment(
    request: HttpRequest, plan_id: PathId, payload: schemas.CommentIn
) -> Status[dict[str, int]]:
    user = api_user(request)
    plan = get_plan_for_user(user, plan_id, write=True)
    comment = _run(services.add_comment, plan, actor=user, text=payload.text)
    return Status(201, {"id": comment.pk, "version": 1})


@router.post(
    "/plans/{plan_id}/transition",
    response={200: schemas.Created},
    operation_id="family_plans_transition_update",
    summary="Update a topic of the transition to adulthood (from 16½)",
)
def update_transition(
    request: HttpRequest, plan_id: PathId, payload: schemas.TransitionIn
) -> dict[str, int]:
    user = api_user(request)
    plan = get_plan_for_user(user, plan_id, write=True)
    item = _run(services.update_transition, plan, actor=user, **payload.dict())
    return {"id": item.pk, "version": item.version}


@router.post(
    "/plans/{plan_id}/members",
    response={201: schemas.MemberOut},
    operation_id="family_plans_member_propose",
    summary="Propose a professional; they join only after consent",
)
def propose_member(
    request: HttpRequest, plan_id: PathId, payload: schemas.MemberIn
) -> Status[dict[str, Any]]:
    user = api_user(request)
    plan = get_plan_for_user(user, plan_id, write=True)
    other = User.objects.filter(email=payload.email.lower(), is_active=True).first()
    if other is None:
        raise HttpError(400, _("There is no professional with this e-mail address."))
    m = _run(services.propose_member, plan, actor=user, user=other, title=payload.title)
    return Status(
        201,
        {
            "id": m.pk,
            "name": m.display_name,
            "kind": m.kind,
            "status": m.status,
            "organisation": m.organisation.name if m.organisation else None,
            "is_jim": m.is_jim,
        },
    )


@router.post(
    "/plans/{plan_id}/members/{member_id}/consents",
    response={201: schemas.Created},
    operation_id="family_plans_consent_give",
    summary="Give consent for a member and purpose (age rules apply)",
)
def give_consent(
    request: HttpRequest, plan_id: PathId, member_id: PathId, payload: schemas.ConsentIn
) -> Status[dict[str, int]]:
    user = api_user(request)
    plan, member = get_part_for_user(user, CareTeamMember, plan_id, member_id, take_part=True)
    on_behalf_of = None
    if payload.on_behalf_of_person_id is not None:
        on_behalf_of = Person.objects.filter(
            pk=payload.on_behalf_of_person_id, family_id=plan.family_id
        ).first()
        if on_behalf_of is None:
            raise Http404
    consent = _run(
        services.give_consent,
        member,
        actor=user,
        purpose=payload.purpose,
        on_behalf_of=on_behalf_of,
    )
    return Status(201, {"id": consent.pk, "version": 1})


@router.post(
    "/plans/{plan_id}/consents/{consent_id}/withdraw",
    response={204: None},
    operation_id="family_plans_consent_withdraw",
    summary="Withdraw consent; the member loses access at once",
)
def withdraw_consent(request: HttpRequest, plan_id: PathId, consent_id: PathId) -> Status[None]:
    user = api_user(request)
    plan = get_plan_for_user(user, plan_id)
    consent = (
        Consent.objects.select_related("member__plan")
        .filter(pk=consent_id, member__plan=plan)
        .first()
    )
    if consent is None:
        raise Http404
    _run(services.withdraw_consent, consent, actor=user)
    return Status(204, None)


@router.post(
    "/plans/{plan_id}/jim",
    response={201: schemas.MemberOut},
    operation_id="family_plans_jim_invite",
    summary="The youth invites their JIM",
)
def invite_jim(
    request: HttpRequest, plan_id: PathId, payload: schemas.JimIn
) -> Status[dict[str, Any]]:
    user = api_user(request)
    plan = get_plan_for_user(user, plan_id, write=True)
    m = _run(services.invite_jim, plan, actor=user, **payload.dict())
    return Status(
        201,
        {
            "id": m.pk,
            "name": m.display_name,
            "kind": m.kind,
            "status": m.status,
            "organisation": None,
            "is_jim": True,
        },
    )


@router.put(
    "/plans/{plan_id}/coordinator",
    response={204: None},
    operation_id="family_plans_coordinator_set",
    summary="Choose the one coordinator",
)
def set_coordinator(
    request: HttpRequest, plan_id: PathId, payload: schemas.CoordinatorIn
) -> Status[None]:
    user = api_user(request)
    plan = get_plan_for_user(user, plan_id, write=True)
    chosen = User.objects.filter(pk=payload.user_id).first()
    if chosen is None:
        raise HttpError(400, _("The coordinator must be in the family or in the care team."))
    _run(services.set_coordinator, plan, actor=user, user=chosen)
    return Status(204, None)


def _person_out(person: Person) -> dict[str, Any]:
    """A person as the API shows them: never the BSN pseudonym."""
    return {
        "id": person.pk,
        "role": person.role,
        "name": person.name,
        "date_of_birth": person.date_of_birth,
        "email": person.email,
        "has_account": person.user_id is not None,
        "version": person.version,
    }


def _person(plan: Plan, person_id: int) -> Person:
    person = Person.objects.filter(pk=person_id, family_id=plan.family_id).first()
    if person is None:
        raise Http404
    return person


def _relationship(plan: Plan, relationship_id: int) -> Relationship:
    found = Relationship.objects.filter(pk=relationship_id, family_id=plan.family_id).first()
    if found is None:
        raise Http404
    return found


@router.get(
    "/plans/{plan_id}/network",
    response=schemas.NetworkOut,
    operation_id="family_plans_network",
    summary="The family and its network: people and the lines between them",
)
def network(request: HttpRequest, plan_id: PathId) -> dict[str, Any]:
    user = api_user(request)
    plan = get_plan_for_user(user, plan_id)
    services.record_read(plan, actor=user, data={"part": "network"})
    return {
        "persons": [_person_out(p) for p in plan.family.persons.all()],
        "relationships": list(Relationship.objects.filter(family_id=plan.family_id)),
    }


@router.post(
    "/plans/{plan_id}/persons",
    response={201: schemas.PersonOut},
    operation_id="family_plans_person_add",
    summary="Add someone to the household or network (a JIM is invited by the youth)",
)
def add_person(request: HttpRequest, plan_id: PathId, payload: schemas.PersonIn) -> Status[Any]:
    user = api_user(request)
    plan = get_plan_for_user(user, plan_id, write=True)
    person = _run(services.add_person, plan, actor=user, **payload.dict())
    return Status(201, _person_out(person))


@router.patch(
    "/plans/{plan_id}/persons/{person_id}",
    response={200: schemas.PersonOut, 409: schemas.Problem},
    operation_id="family_plans_person_update",
    summary="Change someone's details (send the version you read; 409 if someone saved first)",
)
def update_person(
    request: HttpRequest, plan_id: PathId, person_id: PathId, payload: schemas.PersonPatch
) -> Any:
    user = api_user(request)
    plan = get_plan_for_user(user, plan_id, write=True)
    person = _person(plan, person_id)
    # name, role and e-mail cannot be empty: a null there means "no change".
    changes = {k: v for k, v in _changes(payload).items() if v is not None or k == "date_of_birth"}
    try:
        updated = _run(
            services.update_person,
            person,
            actor=user,
            plan=plan,
            version=payload.version,
            **changes,
        )
    except services.StaleVersion as exc:
        current: Person = exc.current  # type: ignore[assignment]
        return problem(
            request,
            409,
            _("Conflict"),
            str(exc),
            current_version=current.version,
            current=_person_out(current),
        )
    return _person_out(updated)


@router.delete(
    "/plans/{plan_id}/persons/{person_id}",
    response={204: None},
    operation_id="family_plans_person_remove",
    summary="Remove someone from the network, with their lines (not the youth, a JIM, "
    "someone with an account or in the care team)",
)
def remove_person(request: HttpRequest, plan_id: PathId, person_id: PathId) -> Status[None]:
    user = api_user(request)
    plan = get_plan_for_user(user, plan_id, write=True)
    _run(services.remove_person, _person(plan, person_id), actor=user, plan=plan)
    return Status(204, None)


@router.post(
    "/plans/{plan_id}/relationships",
    response={201: schemas.RelationshipOut},
    operation_id="family_plans_relationship_add",
    summary="Draw a line between two people of the family (kind and strength)",
)
def add_relationship(
    request: HttpRequest, plan_id: PathId, payload: schemas.RelationshipIn
) -> Status[Relationship]:
    user = api_user(request)
    plan = get_plan_for_user(user, plan_id, write=True)
    relationship = _run(
        services.add_relationship,
        plan,
        actor=user,
        from_person=_person(plan, payload.from_person_id),
        to_person=_person(plan, payload.to_person_id),
        kind=payload.kind,
        strength=payload.strength,
    )
    return Status(201, relationship)


@router.patch(
    "/plans/{plan_id}/relationships/{relationship_id}",
    response=schemas.RelationshipOut,
    operation_id="family_plans_relationship_update",
    summary="Change what kind of line it is and how strong (1 weak, 2 normal, 3 strong)",
)
def update_relationship(
    request: HttpRequest,
    plan_id: PathId,
    relationship_id: PathId,
    payload: schemas.RelationshipPatch,
) -> Relationship:
    user = api_user(request)
    plan = get_plan_for_user(user, plan_id, write=True)
    relationship = _relationship(plan, relationship_id)
    return _run(
        services.set_relationship,
        relationship,
        actor=user,
        plan=plan,
        kind=payload.kind or relationship.kind,
        strength=payload.strength or relationship.strength,
    )


@router.delete(
    "/plans/{plan_id}/relationships/{relationship_id}",
    response={204: None},
    operation_id="family_plans_relationship_remove",
    summary="Take a line off the network picture; both people stay",
)
def remove_relationship(
    request: HttpRequest, plan_id: PathId, relationship_id: PathId
) -> Status[None]:
    user = api_user(request)
    plan = get_plan_for_user(user, plan_id, write=True)
    _run(services.remove_relationship, _relationship(plan, relationship_id), actor=user, plan=plan)
    return Status(204, None)


@router.post(
    "/plans/{plan_id}/close",
    response={204: None},
    operation_id="family_plans_close",
    summary="Close the plan with a reason and an outcome per goal",
)
def close_plan(request: HttpRequest, plan_id: PathId, payload: schemas.CloseIn) -> Status[None]:
    user = api_user(request)
    plan = get_plan_for_user(user, plan_id, write=True)
    _run(
        services.close_plan,
        plan,
        actor=user,
        reason=payload.reason,
        outcomes={k: (v[0], v[1]) for k, v in payload.outcomes.items()},
    )
    return Status(204, None)


@router.post(
    "/emergency-access",
    response={201: schemas.Created},
    operation_id="family_plans_emergency_access",
    summary=(
        "Break the glass: time-limited emergency access with a reason; 404 alike for a "
        "plan that does not exist and one you may not open"
    ),
)
def emergency_access(request: HttpRequest, payload: schemas.EmergencyIn) -> Status[dict[str, int]]:
    try:
        grant = services.break_glass(
            payload.plan_id,
            actor=api_user(request),
            reason=payload.reason,
            reason_class=payload.reason_class,
        )
    except services.EmergencyRefused:
        raise Http404 from None  # the same answer for a plan that does not exist
    except services.PlanError as exc:
        raise HttpError(400, str(exc)) from None
    return Status(201, {"id": grant.pk, "version": 1})
