"""The dialogue tables in the JSON API: the same services and access helpers as the pages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError

from rits.accounts.auth import api_user
from rits.accounts.models import Membership, Organisation, User
from rits.dialogues import services
from rits.dialogues import synthesis as figures
from rits.dialogues.kappa import agreement as kappa_agreement
from rits.dialogues.models import Account, Code, Coding, DialogueTable, Finding, ImprovementAction
from rits.dialogues.permissions import (
    FIGURE_ROLES,
    SEGMENT_ROLES,
    get_action_for_user,
    get_managed_table,
    get_table_for_user,
    get_trajectory_for_consent,
    regions_of,
    tables_visible_to,
    trajectories_for_facilitator,
)
from rits.dialogues.schemas import (
    DialogueAccountOut,
    DialogueAccountPatch,
    DialogueAgreementOut,
    DialogueCodeCount,
    DialogueCodeOut,
    DialogueCodePair,
    DialogueCodeRef,
    DialogueConsentIn,
    DialogueConsentOut,
    DialogueFindingIn,
    DialogueFindingOut,
    DialogueParticipantIn,
    DialogueParticipantOut,
    DialogueSynthesisOut,
    DialogueTableIn,
    DialogueTableOut,
    ImprovementActionIn,
    ImprovementActionOut,
    ImprovementActionPatch,
)
from rits.lib.ids import Id, PathId
from rits.regions.models import YouthCareRegion

router = Router(tags=["dialogue tables"])
Role = Membership.Role
T = TypeVar("T")


def _run(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call a service; a refusal becomes a 400 problem, nothing changed."""
    try:
        return fn(*args, **kwargs)
    except services.DialogueError as exc:
        raise HttpError(400, str(exc)) from None


def _region(user: User, *roles: str) -> YouthCareRegion:
    ids = sorted(regions_of(user, *roles))
    if not ids:
        raise HttpError(404, "Not found")
    return YouthCareRegion.objects.get(pk=ids[0])


def _code_ref(code: Code) -> DialogueCodeRef:
    return DialogueCodeRef(id=code.pk, guid=str(code.guid), name=code.name, kind=code.kind)


def _table_out(table: DialogueTable, *, sees_account: bool) -> DialogueTableOut:
    account = Account.objects.filter(table=table).first()
    withdrawn = table.trajectories.filter(withdrawn_at__isnull=False).exists()
    shown = account if account is not None and sees_account and not withdrawn else None
    return DialogueTableOut(
        id=table.pk,
        reference=table.reference,
        kind=table.kind,
        title=table.title,
        theme=table.theme,
        status=table.status,
        municipality=table.municipality.code if table.municipality else None,
        starts_at=table.starts_at,
        location=table.location,
        held_on=table.held_on,
        account=shown.text if shown else None,
        account_status=account.status if account else None,
    )


def _action_out(action: ImprovementAction) -> ImprovementActionOut:
    return ImprovementActionOut(
        id=action.pk,
        what=action.what,
        owner_organisation=action.owner_organisation.name,
        owner=action.owner.full_name,
        due_date=action.due_date,
        status=action.status,
        result=action.result,
        overdue=action.is_overdue(),
    )


def _finding_out(finding: Finding) -> DialogueFindingOut:
    return DialogueFindingOut(
        id=finding.pk,
        text=finding.text,
        phase=finding.phase,
        view=finding.view,
        codes=[
            _code_ref(c.counted_code)
            for c in finding.codings.all()
            if c.round == Coding.Round.FIRST
        ],
    )


@router.get(
    "/tables",
    response=list[DialogueTableOut],
    operation_id="list_dialogue_tables",
    summary="My dialogue tables",
)
def list_tables(request: HttpRequest) -> list[DialogueTableOut]:
    user = api_user(request)
    tables = tables_visible_to(user).select_related("municipality").order_by("-created_at")[:200]
    services_read = [t.pk for t in tables]
    result = [_table_out(t, sees_account=False) for t in tables]
    if services_read:
        from rits.audit.services import record

        record(
            user,
            "dialogues.table_viewed",
            None,
            subject="dialoogtafels",
            purpose="research",
            object_type="dialogues.dialoguetable",
            data={"tables": services_read},
        )
    return result


@router.post(
    "/tables",
    response={201: DialogueTableOut},
    operation_id="open_dialogue_table",
    summary="Open a dialogue table",
)
def open_table(request: HttpRequest, payload: DialogueTableIn) -> Status[DialogueTableOut]:
    user = api_user(request)
    region = _region(user, Role.FACILITATOR)
    available = {
        t.pk: t for t in trajectories_for_facilitator(user).filter(pk__in=payload.trajectory_ids)
    }
    if len(available) != len(set(payload.trajectory_ids)):
        raise HttpError(400, "Kies trajecten uit deze regio.")
    table = _run(
        services.open_table,
        region,
        actor=user,
        kind=payload.kind,
        title=payload.title,
        theme=payload.theme,
        trajectories=[available[i] for i in dict.fromkeys(payload.trajectory_ids)],
        starts_at=payload.starts_at,
        location=payload.location,
    )
    return Status(201, _table_out(table, sees_account=True))


@router.get(
    "/tables/{table_id}",
    response=DialogueTableOut,
    operation_id="get_dialogue_table",
    summary="One dialogue table",
)
def get_table(request: HttpRequest, table_id: PathId) -> DialogueTableOut:
    user = api_user(request)
    seat = get_table_for_user(user, table_id)
    services.record_read(user, "dialogues.table_viewed", seat.table)
    return _table_out(seat.table, sees_account=seat.sees_account)


@router.post(
    "/trajectories/{trajectory_id}/consent",
    response=DialogueConsentOut,
    operation_id="give_dialogue_consent",
    summary="Give consent for a trajectory (the youth or a parent; the facilitator for paper)",
)
def give_consent(
    request: HttpRequest, trajectory_id: PathId, payload: DialogueConsentIn
) -> DialogueConsentOut:
    user = api_user(request)
    trajectory, person = get_trajectory_for_consent(user, trajectory_id)
    _run(services.give_consent, trajectory, actor=user, person=person, giver=payload.giver)
    return _consent_out(trajectory)


@router.delete(
    "/trajectories/{trajectory_id}/consent",
    response=DialogueConsentOut,
    operation_id="withdraw_dialogue_consent",
    summary="Withdraw consent for a trajectory",
)
def withdraw_consent(request: HttpRequest, trajectory_id: PathId) -> DialogueConsentOut:
    user = api_user(request)
    trajectory, person = get_trajectory_for_consent(user, trajectory_id)
    _run(services.withdraw_consent, trajectory, actor=user, person=person)
    return _consent_out(trajectory)


def _consent_out(trajectory: Any) -> DialogueConsentOut:
    return DialogueConsentOut(
        trajectory_id=trajectory.pk,
        missing=services.missing_consent(trajectory),
        complete=services.consent_complete(trajectory),
        withdrawn=trajectory.withdrawn_at is not None,
    )


@router.post(
    "/tables/{table_id}/participants",
    response={201: DialogueParticipantOut},
    operation_id="invite_dialogue_participant",
    summary="Invite someone to the table (the chair from outside the care team)",
)
def invite(
    request: HttpRequest, table_id: PathId, payload: DialogueParticipantIn
) -> Status[DialogueParticipantOut]:
    user = api_user(request)
    table = get_managed_table(user, table_id)
    invitee = User.objects.filter(email__iexact=payload.email, is_active=True).first()
    if invitee is None:
        raise HttpError(400, "Niemand met dit e-mailadres heeft een account in Rits.")
    p = _run(
        services.invite, table, actor=user, user=invitee, role=payload.role, label=payload.label
    )
    return Status(201, DialogueParticipantOut(id=p.pk, role=p.role, label=p.label, answer=p.answer))


@router.post(
    "/tables/{table_id}/account",
    response={201: DialogueAccountOut},
    operation_id="prepare_dialogue_account",
    summary="Prepare the pseudonymised account (a draft for the facilitator)",
)
def prepare_account(request: HttpRequest, table_id: PathId) -> Status[DialogueAccountOut]:
    user = api_user(request)
    table = get_managed_table(user, table_id)
    account = _run(services.prepare_account, table, actor=user)
    return Status(
        201, DialogueAccountOut(text=account.text, status=account.status, version=account.version)
    )


@router.patch(
    "/tables/{table_id}/account",
    response=DialogueAccountOut,
    operation_id="edit_dialogue_account",
    summary="Edit the account (names of the family are replaced again)",
)
def edit_account(
    request: HttpRequest, table_id: PathId, payload: DialogueAccountPatch
) -> DialogueAccountOut:
    user = api_user(request)
    table = get_managed_table(user, table_id)
    account = Account.objects.filter(table=table).first()
    if account is None:
        raise HttpError(400, "Bereid eerst het verslag voor.")
    account = _run(
        services.edit_account, account, actor=user, text=payload.text, version=payload.version
    )
    return DialogueAccountOut(text=account.text, status=account.status, version=account.version)


@router.post(
    "/tables/{table_id}/account/release",
    response=DialogueAccountOut,
    operation_id="release_dialogue_account",
    summary="Share the reviewed account with the table",
)
def release_account(request: HttpRequest, table_id: PathId) -> DialogueAccountOut:
    user = api_user(request)
    table = get_managed_table(user, table_id)
    account = Account.objects.filter(table=table).first()
    if account is None:
        raise HttpError(400, "Bereid eerst het verslag voor.")
    account = _run(services.release_account, account, actor=user)
    return DialogueAccountOut(text=account.text, status=account.status, version=account.version)


class DialogueHeldIn(Schema):
    held_on: date


@router.post(
    "/tables/{table_id}/held",
    response=DialogueTableOut,
    operation_id="mark_dialogue_table_held",
    summary="Mark the table as held",
)
def mark_held(request: HttpRequest, table_id: PathId, payload: DialogueHeldIn) -> DialogueTableOut:
    user = api_user(request)
    table = get_managed_table(user, table_id)
    table = _run(services.mark_held, table, actor=user, held_on=payload.held_on)
    return _table_out(table, sees_account=True)


@router.get(
    "/tables/{table_id}/findings",
    response=list[DialogueFindingOut],
    operation_id="list_dialogue_findings",
    summary="The findings of a table (facilitator and chair)",
)
def list_findings(request: HttpRequest, table_id: PathId) -> list[DialogueFindingOut]:
    user = api_user(request)
    seat = get_table_for_user(user, table_id)
    if not seat.may_record:
        raise HttpError(404, "Not found")
    services.record_read(user, "dialogues.table_viewed", seat.table, findings=True)
    findings = seat.table.findings.prefetch_related("codings__counted_code")
    return [_finding_out(f) for f in findings]


@router.post(
    "/tables/{table_id}/findings",
    response={201: DialogueFindingOut},
    operation_id="record_dialogue_finding",
    summary="Record a finding with its phase, whose view and codes",
)
def record_finding(
    request: HttpRequest, table_id: PathId, payload: DialogueFindingIn
) -> Status[DialogueFindingOut]:
    user = api_user(request)
    seat = get_table_for_user(user, table_id)
    if not seat.may_record:
        raise HttpError(404, "Not found")
    codes = list(Code.objects.filter(pk__in=payload.code_ids))
    if len(codes) != len(set(payload.code_ids)):
        raise HttpError(400, "Een van de codes bestaat niet in het codeboek van deze regio.")
    finding = _run(
        services.record_finding,
        seat.table,
        actor=user,
        text=payload.text,
        phase=payload.phase,
        view=payload.view,
        codes=codes,
    )
    return Status(201, _finding_out(finding))


@router.post(
    "/findings/{finding_id}/actions",
    response={201: ImprovementActionOut},
    operation_id="create_improvement_action",
    summary="Turn an improvement finding into an action with an owner and a due date",
)
def create_action(
    request: HttpRequest, finding_id: PathId, payload: ImprovementActionIn
) -> Status[ImprovementActionOut]:
    user = api_user(request)
    finding = Finding.objects.filter(pk=finding_id).first()
    if finding is None:
        raise HttpError(404, "Not found")
    seat = get_table_for_user(user, finding.table_id)
    if not seat.may_record:
        raise HttpError(404, "Not found")
    organisation = Organisation.objects.filter(pk=payload.owner_organisation_id).first()
    owner = User.objects.filter(email__iexact=payload.owner_email, is_active=True).first()
    action = _run(
        services.create_action,
        finding,
        actor=user,
        what=payload.what,
        owner_organisation=organisation,
        owner=owner,
        due_date=payload.due_date,
    )
    return Status(201, _action_out(action))


@router.get(
    "/actions",
    response=list[ImprovementActionOut],
    operation_id="list_improvement_actions",
    summary="My open improvement actions",
)
def list_actions(request: HttpRequest) -> list[ImprovementActionOut]:
    user = api_user(request)
    actions = (
        ImprovementAction.objects.filter(owner=user)
        .exclude(status__in=ImprovementAction.CLOSED)
        .select_related("owner", "owner_organisation")
    )
    return [_action_out(a) for a in actions]


@router.patch(
    "/actions/{improvement_id}",
    response=ImprovementActionOut,
    operation_id="update_improvement_action",
    summary="A new status for an action (its owner); closing needs a result",
)
def update_action(
    request: HttpRequest, improvement_id: PathId, payload: ImprovementActionPatch
) -> ImprovementActionOut:
    user = api_user(request)
    action = get_action_for_user(user, improvement_id)
    if not action.may_update(user):
        raise HttpError(403, "Alleen de eigenaar kan deze actie bijwerken.")
    action = _run(
        services.update_action,
        action,
        actor=user,
        status=payload.status,
        note=payload.note or "",
        result=payload.result or "",
    )
    return _action_out(action)


@router.get(
    "/codebook",
    response=list[DialogueCodeOut],
    operation_id="list_dialogue_codes",
    summary="The region's codebook",
)
def codebook(request: HttpRequest) -> list[DialogueCodeOut]:
    user = api_user(request)
    region = _region(user, *FIGURE_ROLES)
    codes = Code.objects.filter(region=region).select_related("theme")
    return [
        DialogueCodeOut(
            id=c.pk,
            guid=str(c.guid),
            theme=c.theme.name,
            name=c.name,
            definition=c.definition,
            example=c.example,
            kind=c.kind,
            status=c.status,
        )
        for c in codes
    ]


class DialoguePeriodQuery(Schema):
    start: date | None = None
    end: date | None = None
    municipality_id: Id | None = None


@router.get(
    "/synthesis",
    response=DialogueSynthesisOut,
    operation_id="dialogue_synthesis",
    summary="Counts per code, codes that come together and the trend (from 5 tables)",
)
def synthesis(request: HttpRequest, period: Query[DialoguePeriodQuery]) -> DialogueSynthesisOut:
    user = api_user(request)
    region = _region(user, *FIGURE_ROLES)
    today = timezone.localdate()
    start = period.start or date(today.year - 2, 1, 1)
    end = period.end or today
    if end < start:
        raise HttpError(400, "Het einde van de periode ligt voor het begin.")
    scope = figures.Scope(
        region_id=region.pk,
        start=start,
        end=end,
        municipality_ids=[period.municipality_id] if period.municipality_id else [],
    )
    result = figures.synthesis(scope)
    from rits.audit.services import record

    record(
        user,
        "dialogues.synthesis_viewed",
        region,
        subject=f"regio:{region.code}",
        purpose="research",
    )
    return DialogueSynthesisOut(
        start=start,
        end=end,
        min_tables=figures.MIN_TABLES,
        counts=[
            DialogueCodeCount(
                code=_code_ref(row.code), tables=row.tables or 0, segments=row.segments or 0
            )
            for rows in result.counts.values()
            for row in rows
        ],
        pairs=[
            DialogueCodePair(code=_code_ref(a), other=_code_ref(b), tables=t or 0, segments=s or 0)
            for a, b, t, s in result.pairs
        ],
        trend=dict(result.trend),
        hidden_codes=result.hidden,
    )


@router.get(
    "/agreement",
    response=list[DialogueAgreementOut],
    operation_id="dialogue_coder_agreement",
    summary="Cohen's kappa per code between first and second coders",
)
def agreement(request: HttpRequest) -> list[DialogueAgreementOut]:
    user = api_user(request)
    region = _region(user, *SEGMENT_ROLES)
    rows = kappa_agreement(
        Coding.objects.filter(finding__table__region=region).select_related("counted_code")
    )
    return [
        DialogueAgreementOut(code=_code_ref(r.code), findings=r.findings, kappa=r.kappa)
        for r in rows
    ]
