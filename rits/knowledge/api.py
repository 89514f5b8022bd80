"""The knowledge hub and learning networks in the JSON API: the same services as the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from ninja import File, Query, Router, Schema, Status, UploadedFile
from ninja.errors import HttpError, ValidationError
from pydantic import Field

from rits.accounts.auth import api_user
from rits.accounts.models import Organisation
from rits.directory.models import Theme
from rits.knowledge import schemas as s
from rits.knowledge import search, services
from rits.knowledge.models import (
    Element,
    Evidence,
    FinalMinutesError,
    GlossaryTerm,
    Meeting,
    Member,
    Minutes,
    Network,
    Practice,
    ProgressUpdate,
    SearchDocument,
)
from rits.knowledge.permissions import (
    get_meeting_for_user,
    get_network_for_user,
    get_practice_for_user,
)
from rits.knowledge.services import transfer
from rits.lib.ids import PathId
from rits.lib.text import Line
from rits.regions.models import Municipality, YouthCareRegion

router = Router(tags=["knowledge"])


def _invalid(exc: DjangoValidationError) -> ValidationError:
    errors: list[dict[str, Any]] = []
    if hasattr(exc, "error_dict"):
        for name, messages in exc.message_dict.items():
            errors.extend(
                {"loc": ["body", name], "msg": m, "type": "value_error"} for m in messages
            )
    else:
        errors.extend({"loc": ["body"], "msg": m, "type": "value_error"} for m in exc.messages)
    return ValidationError(errors)


def _practice_out(p: Practice) -> s.PracticeOut:
    elements = list(p.elements.all())
    return s.PracticeOut(
        id=p.pk,
        uuid=p.uuid,
        name=p.name,
        summary=p.summary,
        evidence=p.evidence,
        evidence_expired=p.evidence_expired,
        is_public=p.is_public,
        problem=p.problem,
        why_it_works=p.why_it_works,
        target_group=p.target_group,
        goals=p.goals,
        approach=p.approach,
        needs_people=p.needs_people,
        needs_training=p.needs_training,
        needs_time=p.needs_time,
        needs_money=p.needs_money,
        needs_materials=p.needs_materials,
        evidence_source=p.evidence_source,
        evidence_valid_until=p.evidence_valid_until,
        owner=p.owner_label,
        contact_email=p.contact_email,
        contact_phone=p.contact_phone,
        minimum_age=p.minimum_age,
        maximum_age=p.maximum_age,
        themes=[t.code for t in p.themes.all()],
        core_elements=[e.text for e in elements if e.kind == Element.Kind.CORE],
        adaptable=[e.text for e in elements if e.kind == Element.Kind.ADAPTABLE],
        conditions=[s.ConditionOut(id=c.pk, text=c.text) for c in p.conditions.all()],
        services=[x.uuid for x in p.services.all()],
        codes=[c.code_guid for c in p.codes.all()],
        uses=[
            s.UseOut(
                id=u.pk,
                region=u.region.code,
                municipality=u.municipality.code if u.municipality else None,
                organisation=u.organisation.name if u.organisation else None,
                reports=u.reports.count(),
            )
            for u in p.uses.select_related("region", "municipality", "organisation")
        ],
    )


def _summary(p: Practice) -> s.PracticeSummaryOut:
    return s.PracticeSummaryOut(
        id=p.pk,
        uuid=p.uuid,
        name=p.name,
        summary=p.summary,
        evidence=p.evidence,
        evidence_expired=p.evidence_expired,
        is_public=p.is_public,
    )


def _data(payload: s.PracticeIn) -> services.PracticeData:
    return services.PracticeData(**payload.model_dump())


class SearchFilters(Schema):
    q: Line = Field(default="", max_length=search.MAX_QUERY_LENGTH)
    kind: SearchDocument.Kind | None = None
    theme: Line | None = Field(default=None, max_length=40, description="Theme code.")
    age: int | None = Field(default=None, ge=0, le=120)
    evidence: Evidence | None = None
    region: Line | None = Field(default=None, max_length=4, description="JZxx")
    page: int = Field(default=1, ge=1, le=search.MAX_PAGE)


@router.get(
    "/search",
    response=s.KnowledgeSearchOut,
    operation_id="knowledge_search",
    summary="Search the knowledge hub",
)
def knowledge_search(request: HttpRequest, filters: Query[SearchFilters]) -> s.KnowledgeSearchOut:
    user = api_user(request)
    theme = Theme.objects.filter(code=filters.theme).first() if filters.theme else None
    if filters.theme and theme is None:
        raise HttpError(422, "Onbekend thema.")
    region = (
        YouthCareRegion.objects.filter(code=filters.region.upper()).first()
        if filters.region
        else None
    )
    if filters.region and region is None:
        raise HttpError(422, "Onbekende regio.")
    result = search.search(
        search.KnowledgeQuery(
            q=filters.q,
            kind=filters.kind,
            theme=theme,
            age=filters.age,
            evidence=filters.evidence,
            region=region,
            page=filters.page,
        ),
        user,
    )
    return s.KnowledgeSearchOut(
        total=result.total,
        page=result.page,
        results=[
            s.KnowledgeDocumentOut(
                kind=d.kind,
                id=d.object_id,
                title=d.title,
                snippet=d.snippet,
                practice_id=d.practice_id,
                network_id=d.network_id,
            )
            for d in result.documents
        ],
    )


@router.get(
    "/practices",
    response=list[s.PracticeSummaryOut],
    operation_id="list_practices",
    summary="All practices",
)
def list_practices(request: HttpRequest) -> list[s.PracticeSummaryOut]:
    user = api_user(request)
    return [_summary(p) for p in Practice.objects.visible_to(user)[:1000]]


@router.post(
    "/practices",
    response={201: s.PracticeOut},
    operation_id="create_practice",
    summary="Add a practice (editors)",
)
def create_practice(request: HttpRequest, payload: s.PracticeIn) -> Status[s.PracticeOut]:
    user = api_user(request)
    try:
        practice = services.save_practice(_data(payload), actor=user)
    except DjangoValidationError as exc:
        raise _invalid(exc) from None
    return Status(201, _practice_out(practice))


@router.get(
    "/practices/export",
    response=s.PracticeExportOut,
    operation_id="export_practices",
    summary="All practices in the import format",
)
def export_practices(request: HttpRequest) -> s.PracticeExportOut:
    return s.PracticeExportOut(practices=transfer.export_rows(actor=api_user(request), fmt="api"))


@router.post(
    "/practices/import",
    response=s.PracticeImportOut,
    operation_id="import_practices",
    summary="Import practices from JSON or XLSX, all or nothing",
)
def import_practices(request: HttpRequest, file: File[UploadedFile]) -> s.PracticeImportOut:
    user = api_user(request)
    try:
        services.practices.check_editor(user)
        if (file.size or 0) > transfer.MAX_UPLOAD_BYTES:
            raise transfer.FileFormatError("Het bestand is groter dan 5 MB.")
        rows = transfer.read_file(file.name or "", file.read(transfer.MAX_UPLOAD_BYTES + 1))
    except transfer.FileFormatError as exc:
        raise ValidationError([{"loc": ["file"], "msg": str(exc), "type": "value_error"}]) from None
    except DjangoValidationError as exc:
        raise HttpError(403, " ".join(exc.messages)) from None
    report = transfer.import_rows(rows, actor=user, source=file.name or "")
    if not report.ok:
        raise ValidationError(
            [
                {"loc": ["file", row], "msg": "; ".join(messages), "type": "value_error"}
                for row, messages in report.errors.items()
            ]
        )
    return s.PracticeImportOut(created=report.created, changed=report.changed)


@router.get(
    "/practices/{practice_id}",
    response=s.PracticeOut,
    operation_id="get_practice",
    summary="One practice",
)
def get_practice(request: HttpRequest, practice_id: PathId) -> s.PracticeOut:
    return _practice_out(get_practice_for_user(api_user(request), practice_id))


@router.put(
    "/practices/{practice_id}",
    response=s.PracticeOut,
    operation_id="replace_practice",
    summary="Replace what a practice says (editors)",
)
def replace_practice(
    request: HttpRequest, practice_id: PathId, payload: s.PracticeIn
) -> s.PracticeOut:
    user = api_user(request)
    practice = get_practice_for_user(user, practice_id, write=True)
    try:
        practice = services.save_practice(_data(payload), actor=user, practice=practice)
    except DjangoValidationError as exc:
        raise _invalid(exc) from None
    return _practice_out(practice)


@router.post(
    "/practices/{practice_id}/reports",
    response={201: s.ExperienceReportOut},
    operation_id="add_experience_report",
    summary="How it worked here: an experience report",
)
def add_experience_report(
    request: HttpRequest, practice_id: PathId, payload: s.ExperienceReportIn
) -> Status[s.ExperienceReportOut]:
    user = api_user(request)
    practice = get_practice_for_user(user, practice_id)
    region = YouthCareRegion.objects.filter(code=payload.region.upper()).first()
    municipality = None
    if payload.municipality:
        municipality = Municipality.objects.filter(code=payload.municipality.upper()).first()
        if municipality is None:
            raise _invalid(DjangoValidationError({"municipality": ["Onbekende gemeente."]}))
    organisation = None
    if payload.organisation_id is not None:
        organisation = Organisation.objects.filter(pk=payload.organisation_id).first()
        if organisation is None:
            raise _invalid(DjangoValidationError({"organisation_id": ["Onbekende organisatie."]}))
    if region is None:
        raise _invalid(DjangoValidationError({"region": ["Onbekende regio."]}))
    try:
        report = services.add_report(
            practice,
            actor=user,
            region=region,
            municipality=municipality,
            organisation=organisation,
            written_on=payload.written_on,
            adapted=payload.adapted,
            effort=payload.effort,
            result=payload.result,
        )
    except DjangoValidationError as exc:
        raise _invalid(exc) from None
    return Status(
        201,
        s.ExperienceReportOut(
            id=report.pk,
            use_id=report.use_id,
            written_on=report.written_on,
            adapted=report.adapted,
            effort=report.effort,
            result=report.result,
        ),
    )


def _fit_out(result: services.FitResult) -> s.FitOut:
    return s.FitOut(
        id=result.check.pk,
        fits=result.fits,
        met=[s.ConditionOut(id=c.pk, text=c.text) for c in result.met],
        not_met=[s.ConditionOut(id=c.pk, text=c.text) for c in result.not_met],
        resembling=[
            s.ResemblanceOut(
                region=r.region.name, same=r.same, compared=r.compared, checked=r.checked
            )
            for r in result.resembling
        ],
    )


@router.post(
    "/practices/{practice_id}/fit-checks",
    response={201: s.FitOut},
    operation_id="check_fit",
    summary="Does it fit here? Answer the conditions",
)
def check_fit(request: HttpRequest, practice_id: PathId, payload: s.FitIn) -> Status[s.FitOut]:
    user = api_user(request)
    practice = get_practice_for_user(user, practice_id)
    municipality = Municipality.objects.filter(code=payload.municipality.upper()).first()
    if municipality is None:
        raise _invalid(DjangoValidationError({"municipality": ["Onbekende gemeente."]}))
    try:
        result = services.check_fit(
            practice, actor=user, met=payload.met, municipality=municipality
        )
    except DjangoValidationError as exc:
        raise _invalid(exc) from None
    return Status(201, _fit_out(result))


@router.get(
    "/glossary",
    response=list[s.TermOut],
    operation_id="list_glossary",
    summary="The region's glossary",
)
def list_glossary(request: HttpRequest) -> list[s.TermOut]:
    api_user(request)
    return [
        s.TermOut(id=t.pk, term=t.term, meaning=t.meaning, replaces=t.replaces, example=t.example)
        for t in GlossaryTerm.objects.all()[:2000]
    ]


def _network_out(network: Network, mine: set[int]) -> s.LearningNetworkOut:
    return s.LearningNetworkOut(
        id=network.pk,
        name=network.name,
        theme=network.theme,  # type: ignore[arg-type]
        description=network.description,
        is_public=network.is_public,
        organisations=[o.name for o in network.organisations.all()],
        member=network.pk in mine,
    )


def _mine(request: HttpRequest) -> set[int]:
    user = api_user(request)
    return set(Member.objects.filter(user=user, active=True).values_list("network_id", flat=True))


@router.get(
    "/networks",
    response=list[s.LearningNetworkOut],
    operation_id="list_networks",
    summary="The learning networks I may see",
)
def list_networks(request: HttpRequest) -> list[s.LearningNetworkOut]:
    user = api_user(request)
    mine = _mine(request)
    return [
        _network_out(n, mine)
        for n in Network.objects.visible_to(user).prefetch_related("organisations")[:500]
    ]


@router.get(
    "/networks/{network_id}",
    response=s.LearningNetworkOut,
    operation_id="get_network",
    summary="One learning network",
)
def get_network(request: HttpRequest, network_id: PathId) -> s.LearningNetworkOut:
    return _network_out(get_network_for_user(api_user(request), network_id), _mine(request))


def _update_out(u: ProgressUpdate) -> s.ProgressUpdateOut:
    return s.ProgressUpdateOut(
        id=u.pk,
        organisation=u.organisation.name,
        posted_at=u.posted_at,
        working_on=u.working_on,
        went_well=u.went_well,
        changed=u.changed,
        practice_id=u.practice_id,
    )


@router.get(
    "/networks/{network_id}/updates",
    response=list[s.ProgressUpdateOut],
    operation_id="list_network_updates",
    summary="A network's feed, newest first",
)
def list_network_updates(
    request: HttpRequest, network_id: PathId, page: int = 1
) -> list[s.ProgressUpdateOut]:
    network = get_network_for_user(api_user(request), network_id)
    start = (min(max(page, 1), 1000) - 1) * 20
    feed = ProgressUpdate.objects.filter(network=network).select_related("organisation")
    return [_update_out(u) for u in feed.order_by("-posted_at", "-pk")[start : start + 20]]


@router.post(
    "/networks/{network_id}/updates",
    response={201: s.ProgressUpdateOut},
    operation_id="post_network_update",
    summary="Post what my organisation is working on",
)
def post_network_update(
    request: HttpRequest, network_id: PathId, payload: s.ProgressUpdateIn
) -> Status[s.ProgressUpdateOut]:
    user = api_user(request)
    network = get_network_for_user(user, network_id, take_part=True)
    organisation = None
    if payload.organisation_id is not None:
        organisation = Organisation.objects.filter(pk=payload.organisation_id).first()
        if organisation is None:
            raise _invalid(DjangoValidationError({"organisation_id": ["Onbekende organisatie."]}))
    practice = None
    if payload.practice_id is not None:
        practice = Practice.objects.filter(pk=payload.practice_id).first()
        if practice is None:
            raise _invalid(DjangoValidationError({"practice_id": ["Onbekende praktijk."]}))
    try:
        update = services.post_update(
            network,
            actor=user,
            working_on=payload.working_on,
            went_well=payload.went_well,
            changed=payload.changed,
            organisation=organisation,
            practice=practice,
        )
    except DjangoValidationError as exc:
        raise _invalid(exc) from None
    return Status(201, _update_out(update))


def _meeting_out(m: Meeting) -> s.MeetingOut:
    registrations = list(m.registrations.all())
    return s.MeetingOut(
        id=m.pk,
        network_id=m.network_id,
        title=m.title,
        starts_at=m.starts_at,
        minutes_long=m.minutes_long,
        location=m.location,
        status=m.status,
        agenda=[a.title for a in m.agenda.all()],
        registered=len(registrations),
        attended=sum(1 for r in registrations if r.attended),
        report=m.report,
        actions=[
            s.AgreedActionOut(what=a.what, owner_member_id=a.owner_id, due_on=a.due_on)
            for a in m.actions.all()
        ],
        practice_ids=[p.pk for p in m.practices.all()],
    )


@router.post(
    "/networks/{network_id}/meetings",
    response={201: s.MeetingOut},
    operation_id="plan_meeting",
    summary="Plan a meeting and invite the members (facilitator)",
)
def plan_meeting(
    request: HttpRequest, network_id: PathId, payload: s.MeetingIn
) -> Status[s.MeetingOut]:
    user = api_user(request)
    network = get_network_for_user(user, network_id, write=True)
    try:
        meeting = services.plan_meeting(network, actor=user, **payload.model_dump())
    except DjangoValidationError as exc:
        raise _invalid(exc) from None
    return Status(201, _meeting_out(meeting))


@router.get(
    "/meetings/{meeting_id}",
    response=s.MeetingOut,
    operation_id="get_meeting",
    summary="One network meeting",
)
def get_meeting(request: HttpRequest, meeting_id: PathId) -> s.MeetingOut:
    return _meeting_out(get_meeting_for_user(api_user(request), meeting_id))


@router.post(
    "/meetings/{meeting_id}/registration",
    response=s.MeetingOut,
    operation_id="register_for_meeting",
    summary="I am coming (members)",
)
def register_for_meeting(request: HttpRequest, meeting_id: PathId) -> s.MeetingOut:
    user = api_user(request)
    meeting = get_meeting_for_user(user, meeting_id, take_part=True)
    try:
        services.register(meeting, actor=user)
    except DjangoValidationError as exc:
        raise HttpError(409, " ".join(exc.messages)) from None
    return _meeting_out(meeting)


@router.post(
    "/meetings/{meeting_id}/close",
    response=s.MeetingOut,
    operation_id="close_meeting",
    summary="The closing step: report, attendance, actions, practices",
)
def close_meeting(
    request: HttpRequest, meeting_id: PathId, payload: s.MeetingCloseIn
) -> s.MeetingOut:
    user = api_user(request)
    meeting = get_meeting_for_user(user, meeting_id, write=True)
    try:
        services.close_meeting(
            meeting,
            actor=user,
            report=payload.report,
            attended=payload.attended_member_ids,
            actions=[
                services.ActionData(a.what, a.owner_member_id, a.due_on) for a in payload.actions
            ],
            practice_ids=payload.practice_ids,
        )
    except DjangoValidationError as exc:
        raise _invalid(exc) from None
    return _meeting_out(meeting)


def _minutes_out(m: Minutes) -> s.MinutesOut:
    return s.MinutesOut(
        meeting_id=m.meeting_id,
        status=m.status,
        version=m.version,
        text=m.text,
        notes=[
            s.MinutesNoteOut(kind=a.kind, text=a.text, created_at=a.created_at)
            for a in m.amendments.all()
        ],
    )


def _minutes_of(meeting: Meeting) -> Minutes:
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is None:
        raise HttpError(409, "Er is nog geen verslag.")
    return minutes


@router.put(
    "/meetings/{meeting_id}/minutes",
    response=s.MinutesOut,
    operation_id="save_minutes",
    summary="Write the draft minutes (facilitator)",
)
def save_minutes(request: HttpRequest, meeting_id: PathId, payload: s.MinutesIn) -> s.MinutesOut:
    user = api_user(request)
    meeting = get_meeting_for_user(user, meeting_id, write=True)
    try:
        minutes = services.save_minutes(
            meeting, actor=user, text=payload.text, version=payload.version
        )
    except FinalMinutesError as exc:
        raise HttpError(409, " ".join(exc.messages)) from None
    except DjangoValidationError as exc:
        raise _invalid(exc) from None
    return _minutes_out(minutes)


@router.post(
    "/meetings/{meeting_id}/minutes/amendments",
    response=s.MinutesOut,
    operation_id="amend_minutes",
    summary="Add to the draft minutes (members)",
)
def amend_minutes(
    request: HttpRequest, meeting_id: PathId, payload: s.MinutesNoteIn
) -> s.MinutesOut:
    user = api_user(request)
    meeting = get_meeting_for_user(user, meeting_id, take_part=True)
    minutes = _minutes_of(meeting)
    try:
        services.amend_minutes(minutes, actor=user, text=payload.text)
    except FinalMinutesError as exc:
        raise HttpError(409, " ".join(exc.messages)) from None
    except DjangoValidationError as exc:
        raise _invalid(exc) from None
    return _minutes_out(Minutes.objects.get(pk=minutes.pk))


@router.post(
    "/meetings/{meeting_id}/minutes/final",
    response=s.MinutesOut,
    operation_id="finalise_minutes",
    summary="Make the minutes final (facilitator)",
)
def finalise_minutes(request: HttpRequest, meeting_id: PathId) -> s.MinutesOut:
    user = api_user(request)
    meeting = get_meeting_for_user(user, meeting_id, write=True)
    try:
        minutes = services.finalise_minutes(_minutes_of(meeting), actor=user)
    except DjangoValidationError as exc:
        raise HttpError(409, " ".join(exc.messages)) from None
    return _minutes_out(minutes)


@router.post(
    "/meetings/{meeting_id}/minutes/corrections",
    response=s.MinutesOut,
    operation_id="correct_minutes",
    summary="A correction after final minutes",
)
def correct_minutes(
    request: HttpRequest, meeting_id: PathId, payload: s.MinutesNoteIn
) -> s.MinutesOut:
    user = api_user(request)
    meeting = get_meeting_for_user(user, meeting_id, take_part=True)
    minutes = _minutes_of(meeting)
    try:
        services.correct_minutes(minutes, actor=user, text=payload.text)
    except DjangoValidationError as exc:
        raise HttpError(409, " ".join(exc.messages)) from None
    return _minutes_out(minutes)
