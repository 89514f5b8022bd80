"""The involvement index in the JSON API: the same services as the HTML pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import File, Router, Status, UploadedFile
from ninja.errors import HttpError, ValidationError

from rits.accounts.auth import api_user
from rits.accounts.models import Organisation, User
from rits.accounts.throttling import api_calls
from rits.involvement import services
from rits.involvement.imports import FileFormatError, read_rows
from rits.involvement.models import Match, Signal
from rits.involvement.permissions import (
    get_match_for_user,
    get_signal_for_rights,
    get_signal_for_user,
    registrations,
    rights_lookups,
)
from rits.involvement.schemas import (
    ContactOut,
    CorrectionIn,
    ImportOut,
    MatchCoordinatorIn,
    MatchOut,
    ObjectionIn,
    RegistrationOut,
    RightsEntryOut,
    RightsIn,
    SignalIn,
    SignalOut,
)
from rits.involvement.services import reads
from rits.involvement.services.matching import Member
from rits.involvement.services.reads import record_read
from rits.lib.ids import Id, PathId
from rits.regions.models import Municipality

router = Router(tags=["involvement"])


def _invalid(exc: DjangoValidationError) -> ValidationError:
    """Django's field errors as the API's 422 problem; messages never contain a BSN."""
    errors: list[dict[str, Any]] = []
    if hasattr(exc, "error_dict"):
        for name, messages in exc.message_dict.items():
            errors.extend(
                {"loc": ["body", name], "msg": m, "type": "value_error"} for m in messages
            )
    else:
        errors.extend({"loc": ["body"], "msg": m, "type": "value_error"} for m in exc.messages)
    return ValidationError(errors)


def _signal_out(signal: Signal) -> SignalOut:
    return SignalOut(
        id=signal.pk,
        reference=signal.reference,
        status=signal.status,
        organisation=signal.organisation.name,
        municipality=signal.municipality.code,
        birth_date=signal.birth_date,
        registered_at=signal.registered_at,
        ends_on=signal.ends_on,
        ended_at=signal.ended_at,
        own_reference=signal.own_reference,
        youth_informed=signal.youth_informed,
        parents_informed=signal.parents_informed,
        informing_postponed=signal.informing_postponed,
    )


def _match_out(match: Match, user: User, members: list[Member] | None = None) -> MatchOut:
    """``members``: the active members as the registration just read them, if at hand."""
    if members is None:
        members = [Member.of(m.signal) for m in match.current_members()]
    return MatchOut(
        id=match.pk,
        reference=match.reference,
        kind=match.kind,
        status=match.status,
        created_at=match.created_at,
        awaiting_since=match.awaiting_since,
        in_touch_at=match.in_touch_at,
        escalated_at=match.escalated_at,
        contacts=[
            ContactOut(
                signal_id=m.signal_id,
                name=m.name,
                organisation=m.organisation,
                phone=m.phone,
                email=m.email,
                is_me=m.reporter_id == user.pk,
                is_coordinator=m.signal_id == match.coordinator_id,
            )
            for m in members
        ],
    )


@router.post(
    "/signals",
    response={201: RegistrationOut},
    operation_id="register_signal",
    summary="Register involvement with a youth and match it",
    throttle=[api_calls, registrations],
)
def register_signal(request: HttpRequest, payload: SignalIn) -> Status[RegistrationOut]:
    user = api_user(request)
    organisation = None
    if payload.organisation_id is not None:
        organisation = Organisation.objects.filter(pk=payload.organisation_id).first()
        if organisation is None:
            services.refuse_reporter(user, None)
    municipality = Municipality.objects.filter(code=payload.municipality.upper()).first()
    data = services.SignalInput(
        bsn=payload.bsn,
        birth_date=payload.birth_date,
        municipality=municipality,
        parent_bsns=payload.parent_bsns,
        ends_on=payload.ends_on,
        youth_informed=payload.youth_informed,
        parents_informed=payload.parents_informed,
        informing_postponed=payload.informing_postponed,
        contact_name=payload.contact_name,
        contact_phone=payload.contact_phone,
        contact_email=payload.contact_email,
        own_reference=payload.own_reference,
    )
    try:
        result = services.register_signal(data, actor=user, organisation=organisation)
    except DjangoValidationError as exc:
        raise _invalid(exc) from None
    return Status(
        201,
        RegistrationOut(
            signal=_signal_out(result.signal),
            matches=[_match_out(m, user, result.members.get(m.pk)) for m in result.matches],
        ),
    )


@router.get(
    "/signals", response=list[SignalOut], operation_id="list_signals", summary="My registrations"
)
def list_signals(request: HttpRequest, active: bool = True) -> list[SignalOut]:
    user = api_user(request)
    signals = Signal.objects.visible_to(user).select_related("organisation", "municipality")
    signals = signals.active() if active else signals.archived()
    found = list(signals.order_by("-registered_at")[:500])
    record_read(user, "involvement.signals_listed", data={"signals": [s.pk for s in found]})
    return [_signal_out(s) for s in found]


@router.get(
    "/signals/{signal_id}",
    response=SignalOut,
    operation_id="get_signal",
    summary="One of my registrations",
)
def get_signal(request: HttpRequest, signal_id: PathId) -> SignalOut:
    user = api_user(request)
    signal = get_signal_for_user(user, signal_id)
    record_read(user, "involvement.signal_viewed", signal)
    return _signal_out(signal)


@router.post(
    "/signals/{signal_id}/withdraw",
    response=SignalOut,
    operation_id="withdraw_signal",
    summary="Withdraw my registration (no longer involved)",
)
def withdraw_signal(request: HttpRequest, signal_id: PathId) -> SignalOut:
    user = api_user(request)
    signal = get_signal_for_user(user, signal_id, write=True)
    try:
        services.withdraw_signal(signal, actor=user)
    except DjangoValidationError as exc:
        raise HttpError(409, " ".join(exc.messages)) from None
    return _signal_out(signal)


@router.get("/matches", response=list[MatchOut], operation_id="list_matches", summary="My matches")
def list_matches(request: HttpRequest) -> list[MatchOut]:
    user = api_user(request)
    return [_match_out(m, user) for m in reads.my_matches(user)]


@router.get(
    "/matches/unresolved",
    response=list[MatchOut],
    operation_id="list_unresolved_matches",
    summary="Matches without agreement in my municipality (municipal coordinator)",
)
def list_unresolved(request: HttpRequest) -> list[MatchOut]:
    user = api_user(request)
    return [_match_out(m, user) for m in reads.unresolved_matches(user)]


@router.get("/matches/{match_id}", response=MatchOut, operation_id="get_match", summary="One match")
def get_match(request: HttpRequest, match_id: PathId) -> MatchOut:
    user = api_user(request)
    match = get_match_for_user(user, match_id)
    record_read(user, "involvement.match_viewed", match)
    return _match_out(match, user)


@router.post(
    "/matches/{match_id}/coordinator",
    response=MatchOut,
    operation_id="agree_coordinator",
    summary="Record who coordinates (regievoerder)",
)
def agree_coordinator(
    request: HttpRequest, match_id: PathId, payload: MatchCoordinatorIn
) -> MatchOut:
    user = api_user(request)
    match = get_match_for_user(user, match_id, write=True)
    coordinator = get_object_or_404(Signal, pk=payload.signal_id)
    try:
        services.agree_coordinator(match, coordinator, actor=user)
    except DjangoValidationError as exc:
        raise _invalid(exc) from None
    return _match_out(match, user)


@router.post(
    "/matches/{match_id}/in-touch",
    response=MatchOut,
    operation_id="confirm_in_touch",
    summary="Confirm the professionals have been in touch",
)
def confirm_in_touch(request: HttpRequest, match_id: PathId) -> MatchOut:
    user = api_user(request)
    match = get_match_for_user(user, match_id, write=True)
    services.confirm_in_touch(match, actor=user)
    return _match_out(match, user)


@router.post(
    "/imports",
    response=ImportOut,
    operation_id="import_signals",
    summary="Register a whole file (CSV or JSON lines), all or nothing",
)
def import_signals(
    request: HttpRequest, file: File[UploadedFile], organisation_id: Id | None = None
) -> ImportOut:
    user = api_user(request)
    organisation = (
        Organisation.objects.filter(pk=organisation_id).first() if organisation_id else None
    )
    try:
        result = services.import_signals(
            read_rows(file.file, file.name or ""),  # type: ignore[arg-type]
            actor=user,
            organisation=organisation,
        )
    except FileFormatError as exc:
        raise ValidationError([{"loc": ["file"], "msg": str(exc), "type": "value_error"}]) from None
    except services.ImportRejected as exc:
        raise ValidationError(
            [
                {"loc": ["file", e.row, e.field], "msg": e.message, "type": "value_error"}
                for e in exc.errors
            ]
        ) from None
    return ImportOut(signals=result.signals, matches=result.matches)


def _rights_out(entries: list[tuple[Signal, str]]) -> list[RightsEntryOut]:
    return [
        RightsEntryOut(
            signal_id=s.pk,
            registered_as=role,
            organisation=s.organisation.name,
            contact=services.contact_line(s),
            registered_at=s.registered_at,
            ends_on=s.ends_on,
            ended_at=s.ended_at,
            status=s.status,
        )
        for s, role in entries
    ]


@router.post(
    "/rights/overview",
    response=list[RightsEntryOut],
    operation_id="rights_overview",
    summary="Which organisations registered this person (municipal coordinator)",
    throttle=[api_calls, rights_lookups],
)
def rights_overview(request: HttpRequest, payload: RightsIn) -> list[RightsEntryOut]:
    user = api_user(request)
    try:
        entries = services.rights_overview(payload.bsn, actor=user)
    except DjangoValidationError as exc:
        raise _invalid(exc) from None
    return _rights_out(entries)


@router.post(
    "/rights/signals/{signal_id}/correction",
    response=RightsEntryOut,
    operation_id="rights_correct_signal",
    summary="Correct a registration at the person's request (municipal coordinator)",
)
def rights_correct(
    request: HttpRequest, signal_id: PathId, payload: CorrectionIn
) -> RightsEntryOut:
    user = api_user(request)
    signal = get_signal_for_rights(user, signal_id)
    municipality = None
    if payload.municipality:
        municipality = get_object_or_404(Municipality, code=payload.municipality.upper())
    try:
        services.correct_signal(
            signal,
            actor=user,
            birth_date=payload.birth_date,
            municipality=municipality,
            note=payload.note,
        )
    except DjangoValidationError as exc:
        raise _invalid(exc) from None
    return _rights_out([(signal, "")])[0]


@router.post(
    "/rights/signals/{signal_id}/objection",
    response=RightsEntryOut,
    operation_id="rights_uphold_objection",
    summary="Uphold an objection: the registration ends (municipal coordinator)",
)
def rights_object(request: HttpRequest, signal_id: PathId, payload: ObjectionIn) -> RightsEntryOut:
    user = api_user(request)
    signal = get_signal_for_rights(user, signal_id)
    services.uphold_objection(signal, actor=user, note=payload.note)
    return _rights_out([(signal, "")])[0]
