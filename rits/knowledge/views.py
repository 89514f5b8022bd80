"""The knowledge hub and learning networks as pages, readable without JavaScript."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rits.accounts.auth import acting_user
from rits.accounts.models import User
from rits.knowledge import search, services
from rits.knowledge.exports import meeting_ics
from rits.knowledge.forms import (
    AmendmentForm,
    CloseMeetingForm,
    FitCheckForm,
    ImportForm,
    MeetingForm,
    MemberForm,
    MinutesForm,
    NetworkForm,
    PracticeForm,
    ReportForm,
    SearchForm,
    TermForm,
    UpdateForm,
)
from rits.knowledge.glossary import Linker
from rits.knowledge.models import (
    Amendment,
    Element,
    ExperienceReport,
    GlossaryTerm,
    Member,
    Minutes,
    Network,
    Practice,
    ProgressUpdate,
    SearchDocument,
)
from rits.knowledge.permissions import (
    can_create_network,
    can_edit_hub,
    get_meeting_for_user,
    get_network_for_user,
    get_practice_for_user,
    get_term_for_user,
    manages,
    membership,
)
from rits.knowledge.seams import code_source
from rits.knowledge.services import transfer
from rits.lib import spreadsheet

UPDATES_PER_PAGE = 20


def _errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def document_url(document: SearchDocument) -> str:
    if document.kind == SearchDocument.Kind.TERM:
        return f"/kennis/begrippen/{document.object_id}/"
    if document.kind == SearchDocument.Kind.PROGRESS:
        return f"/kennis/netwerken/{document.network_id}/"
    return f"/kennis/praktijken/{document.practice_id}/"


@login_required
def hub(request: HttpRequest) -> HttpResponse:
    """Search over practices, experience reports, updates and the glossary, with filters."""
    user = acting_user(request)
    form = SearchForm(request.GET or None)
    result = None
    if form.is_valid():
        d = form.cleaned_data
        try:
            page = max(1, int(request.GET.get("page", "1")))
        except ValueError:
            page = 1
        params = search.KnowledgeQuery(
            q=d["q"],
            kind=d["kind"] or None,
            theme=d["theme"],
            age=d["age"],
            evidence=d["evidence"] or None,
            region=d["region"],
            page=page,
        )
        result = search.search(params, user)
        for document in result.documents:
            document.url = document_url(document)  # type: ignore[attr-defined]
    practices = Practice.objects.visible_to(user).only("name", "summary", "evidence")[:50]
    source = code_source()
    region = _home_region(user)
    bottlenecks = []
    if source is not None and region is not None:
        since = timezone.localdate() - timedelta(days=365)
        for code, tables in source.recurring_bottlenecks(region.pk, since)[:10]:
            answers = list(services.practices_for_code(code.guid)[:5])
            bottlenecks.append({"code": code, "tables": tables, "practices": answers})
    return render(
        request,
        "knowledge/hub.html",
        {
            "form": form,
            "result": result,
            "practices": practices,
            "may_edit": can_edit_hub(user),
            "may_start_network": can_create_network(user),
            "networks": Network.objects.visible_to(user)[:20],
            "bottlenecks": bottlenecks,
        },
    )


def practice_detail(request: HttpRequest, practice_id: int) -> HttpResponse:
    """A practice with its context; public practices are readable without logging in."""
    user = request.user if request.user.is_authenticated else None
    practice = get_practice_for_user(user, practice_id)  # type: ignore[arg-type]
    uses = practice.uses.select_related("region", "municipality", "organisation").prefetch_related(
        Prefetch("reports", ExperienceReport.objects.order_by("-written_on", "-pk"))
    )
    guids = list(practice.codes.values_list("code_guid", flat=True))
    source = code_source()
    codes = list(source.codes(guids).values()) if source and guids else []
    elements = list(practice.elements.all())
    return render(
        request,
        "knowledge/practice.html",
        {
            "practice": practice,
            "core": [e for e in elements if e.kind == Element.Kind.CORE],
            "adaptable": [e for e in elements if e.kind == Element.Kind.ADAPTABLE],
            "uses": uses,
            "codes": codes,
            "code_count": len(guids),
            "codebook_available": source is not None,
            "services": practice.services.select_related("provider"),
            "linker": Linker.load() if user else None,
            "may_edit": user is not None and can_edit_hub(user),
        },
    )


def _practice_data(form: PracticeForm) -> services.PracticeData:
    d = form.cleaned_data
    owner = d.get("owner")
    texts: dict[str, Any] = {name: d.get(name) or "" for name in services.practices.TEXT_FIELDS}
    return services.PracticeData(
        **texts,
        evidence=d["evidence"],
        evidence_valid_until=d.get("evidence_valid_until"),
        minimum_age=d.get("minimum_age"),
        maximum_age=d.get("maximum_age"),
        is_public=d.get("is_public", False),
        owner_id=owner.pk if owner else None,
        themes=[t.code for t in d.get("themes") or []],
        core_elements=form.split(d.get("core_elements", "")),
        adaptable=form.split(d.get("adaptable", "")),
        conditions=form.split(d.get("conditions", "")),
    )


@login_required
def practice_new(request: HttpRequest) -> HttpResponse:
    """Add a practice (editors and facilitators)."""
    user = acting_user(request)
    if not can_edit_hub(user):
        raise Http404
    form = PracticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            practice = services.save_practice(_practice_data(form), actor=user)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("The practice is in the knowledge hub."))
            return redirect("knowledge:practice", practice.pk)
    return render(request, "knowledge/practice_form.html", {"form": form})


@login_required
def report_new(request: HttpRequest, practice_id: int) -> HttpResponse:
    """ "How it worked here": a dated experience report for a region (and municipality)."""
    user = acting_user(request)
    practice = get_practice_for_user(user, practice_id)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.add_report(
                practice,
                actor=user,
                region=d["region"],
                municipality=d["municipality"],
                written_on=d["written_on"],
                adapted=d["adapted"],
                effort=d["effort"],
                result=d["result"],
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("Thank you: your experience is on the practice's page."))
            return redirect("knowledge:practice", practice.pk)
    return render(request, "knowledge/report_form.html", {"form": form, "practice": practice})


@login_required
def fit_check(request: HttpRequest, practice_id: int) -> HttpResponse:
    """ "Does it fit here?": answer the conditions, see what is met and who resembles you."""
    user = acting_user(request)
    practice = get_practice_for_user(user, practice_id)
    form = FitCheckForm(request.POST or None, practice=practice)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = services.check_fit(
                practice,
                actor=user,
                met=[int(v) for v in form.cleaned_data["met"]],
                municipality=form.cleaned_data["municipality"],
            )
        except ValidationError as exc:
            _errors(form, exc)
    return render(
        request, "knowledge/fit_check.html", {"form": form, "practice": practice, "result": result}
    )


@login_required
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    """All practices as JSON or XLSX (for another region, or to edit in bulk)."""
    user = acting_user(request)
    if fmt == "xlsx":
        response = HttpResponse(
            transfer.export_xlsx(actor=user), content_type=spreadsheet.XLSX_CONTENT_TYPE
        )
    else:
        response = HttpResponse(transfer.export_json(actor=user), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="praktijken.{fmt}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def practice_import(request: HttpRequest) -> HttpResponse:
    """Import practices: all or nothing, with an error per row."""
    user = acting_user(request)
    if not can_edit_hub(user):
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > transfer.MAX_UPLOAD_BYTES:
            form.add_error("file", _("The file is larger than 5 MB."))
        else:
            try:
                rows = transfer.read_file(upload.name, upload.read())
            except transfer.FileFormatError as exc:
                form.add_error("file", str(exc))
            else:
                report = transfer.import_rows(rows, actor=user, source=upload.name)
                if report.ok:
                    messages.success(
                        request,
                        _("%(created)s practices added, %(changed)s changed.")
                        % {"created": report.created, "changed": report.changed},
                    )
                    return redirect("knowledge:hub")
    return render(request, "knowledge/import.html", {"form": form, "report": report})


@login_required
def glossary(request: HttpRequest) -> HttpResponse:
    """The region's common language."""
    acting_user(request)
    return render(
        request,
        "knowledge/glossary.html",
        {"terms": GlossaryTerm.objects.all(), "may_edit": can_edit_hub(acting_user(request))},
    )


@login_required
def term_new(request: HttpRequest) -> HttpResponse:
    """Add a word to the common language (editors and facilitators)."""
    user = acting_user(request)
    if not can_edit_hub(user):
        raise Http404
    form = TermForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            term = services.save_term(actor=user, **form.cleaned_data)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            return redirect("knowledge:term", term.pk)
    return render(request, "knowledge/simple_form.html", {"form": form, "title": _("New term")})


@login_required
def term_detail(request: HttpRequest, term_id: int) -> HttpResponse:
    """One term: its meaning, the jargon it replaces, an example."""
    term = get_term_for_user(acting_user(request), term_id)
    return render(request, "knowledge/term.html", {"term": term})


@login_required
def networks(request: HttpRequest) -> HttpResponse:
    """The learning networks I may see."""
    user = acting_user(request)
    mine = set(Member.objects.filter(user=user, active=True).values_list("network_id", flat=True))
    found = list(Network.objects.visible_to(user).prefetch_related("organisations"))
    for network in found:
        network.is_mine = network.pk in mine  # type: ignore[attr-defined]
    return render(
        request,
        "knowledge/networks.html",
        {"networks": found, "may_start": can_create_network(user)},
    )


def _home_region(user: Any) -> Any:
    membership = user.memberships.filter(active=True).select_related("organisation__region").first()
    return membership.organisation.region if membership else None


@login_required
def network_new(request: HttpRequest) -> HttpResponse:
    """Start a learning network (facilitators)."""
    user = acting_user(request)
    region = _home_region(user)
    if not can_create_network(user) or region is None:
        raise Http404
    form = NetworkForm(request.POST or None, region=region)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            network = services.create_network(
                actor=user,
                name=d["name"],
                theme=d["theme"],
                region=region,
                organisation_ids=[o.pk for o in d["organisations"]],
                description=d["description"],
                is_public=d["is_public"],
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            return redirect("knowledge:network", network.pk)
    return render(
        request,
        "knowledge/simple_form.html",
        {"form": form, "title": _("Start a learning network")},
    )


@login_required
def member_new(request: HttpRequest, network_id: int) -> HttpResponse:
    """Add a member: a professional for an organisation, or a parent, youth or expert by
    experience as themselves (facilitator)."""
    user = acting_user(request)
    network = get_network_for_user(user, network_id, write=True)
    form = MemberForm(request.POST or None, network=network)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        person = User.objects.filter(email__iexact=d["email"], is_active=True).first()
        if person is None:
            form.add_error("email", _("Nobody with this e-mail address has an account in Rits."))
        else:
            try:
                services.add_member(
                    network, actor=user, user=person, role=d["role"], organisation=d["organisation"]
                )
            except ValidationError as exc:
                _errors(form, exc)
            else:
                messages.success(request, _("The member is added."))
                return redirect("knowledge:network", network.pk)
    return render(
        request,
        "knowledge/simple_form.html",
        {"form": form, "title": _("Add a member to %(network)s") % {"network": network.name}},
    )


@login_required
def network_detail(request: HttpRequest, network_id: int) -> HttpResponse:
    """A network: its feed of progress updates, meetings, members and organisations."""
    user = acting_user(request)
    network = get_network_for_user(user, network_id)
    feed = ProgressUpdate.objects.filter(network=network).select_related("organisation", "practice")
    page = Paginator(feed.order_by("-posted_at", "-pk"), UPDATES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    me = membership(network, user)
    return render(
        request,
        "knowledge/network.html",
        {
            "network": network,
            "page": page,
            "me": me,
            "manages": manages(network, user),
            "meetings": network.meetings.all()[:20],
            "members": network.members.filter(active=True).select_related("user", "organisation"),
            "organisations": network.organisations.all(),
            "form": UpdateForm() if me else None,
            "linker": Linker.load(),
        },
    )


@login_required
@require_POST
def update_new(request: HttpRequest, network_id: int) -> HttpResponse:
    """Post what my organisation is working on."""
    user = acting_user(request)
    network = get_network_for_user(user, network_id, take_part=True)
    form = UpdateForm(request.POST)
    if form.is_valid():
        try:
            services.post_update(network, actor=user, **form.cleaned_data)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("Your update is in the network's feed."))
            return redirect("knowledge:network", network.pk)
    return render(request, "knowledge/update_form.html", {"form": form, "network": network})


@login_required
@require_POST
def digest(request: HttpRequest, network_id: int) -> HttpResponse:
    """Turn my weekly digest of this network on or off."""
    user = acting_user(request)
    network = get_network_for_user(user, network_id, take_part=True)
    me = membership(network, user)
    if me is None:
        raise Http404
    services.set_digest(me, actor=user, on=request.POST.get("on") == "1")
    messages.success(request, _("Your choice is saved."))
    return redirect("knowledge:network", network.pk)


@login_required
def meeting_new(request: HttpRequest, network_id: int) -> HttpResponse:
    """Plan a meeting and invite the members (facilitator)."""
    user = acting_user(request)
    network = get_network_for_user(user, network_id, write=True)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            meeting = services.plan_meeting(
                network,
                actor=user,
                title=d["title"],
                starts_at=d["starts_at"],
                minutes_long=d["minutes_long"],
                location=d["location"],
                agenda=PracticeForm.split(d["agenda"]),
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("The meeting is planned and the members are invited."))
            return redirect("knowledge:meeting", meeting.pk)
    return render(request, "knowledge/meeting_form.html", {"form": form, "network": network})


@login_required
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """A meeting: agenda, who comes, the closing step, the minutes and their amendments."""
    user = acting_user(request)
    meeting = get_meeting_for_user(user, meeting_id)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    me = membership(meeting.network, user)
    return render(
        request,
        "knowledge/meeting.html",
        {
            "meeting": meeting,
            "network": meeting.network,
            "minutes": minutes,
            "amendments": minutes.amendments.filter(kind=Amendment.Kind.AMENDMENT)
            if minutes
            else [],
            "corrections": minutes.amendments.filter(kind=Amendment.Kind.CORRECTION)
            if minutes
            else [],
            "registrations": meeting.registrations.select_related("member__user"),
            "actions": meeting.actions.select_related("owner__user"),
            "me": me,
            "registered": me is not None and meeting.registrations.filter(member=me).exists(),
            "manages": manages(meeting.network, user),
            "minutes_form": MinutesForm(
                initial={
                    "text": minutes.text if minutes else "",
                    "version": minutes.version if minutes else None,
                }
            ),
            "amendment_form": AmendmentForm(),
        },
    )


@login_required
def meeting_ics_view(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The meeting as an iCalendar invitation."""
    meeting = get_meeting_for_user(acting_user(request), meeting_id)
    response = HttpResponse(meeting_ics(meeting), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="bijeenkomst-{meeting.pk}.ics"'
    return response


@login_required
@require_POST
def meeting_register(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """I am coming."""
    user = acting_user(request)
    meeting = get_meeting_for_user(user, meeting_id, take_part=True)
    try:
        services.register(meeting, actor=user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("You are registered."))
    return redirect("knowledge:meeting", meeting.pk)


@login_required
def meeting_close(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The closing step: report, attendance, agreed actions, practices discussed."""
    user = acting_user(request)
    meeting = get_meeting_for_user(user, meeting_id, write=True)
    form = CloseMeetingForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        actions = []
        if d["action"]:
            actions.append(services.ActionData(d["action"], int(d["owner"]), d["due_on"]))
        try:
            services.close_meeting(
                meeting,
                actor=user,
                report=d["report"],
                attended=[int(v) for v in d["attended"]],
                actions=actions,
                practice_ids=[p.pk for p in d["practices"]],
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("The meeting is closed."))
            return redirect("knowledge:meeting", meeting.pk)
    return render(request, "knowledge/meeting_close.html", {"form": form, "meeting": meeting})


def _minutes_step(request: HttpRequest, meeting_id: int, step: str) -> HttpResponse:
    user = acting_user(request)
    meeting = get_meeting_for_user(
        user, meeting_id, write=step in ("save", "final"), take_part=True
    )
    minutes = Minutes.objects.filter(meeting=meeting).first()
    try:
        if step == "save":
            form: Any = MinutesForm(request.POST)
            if not form.is_valid():
                raise ValidationError(form.errors.get("text") or _("The minutes are empty."))
            services.save_minutes(
                meeting,
                actor=user,
                text=form.cleaned_data["text"],
                version=form.cleaned_data["version"],
            )
        elif minutes is None:
            raise ValidationError(_("There are no minutes yet."))
        elif step == "final":
            services.finalise_minutes(minutes, actor=user)
        else:
            form = AmendmentForm(request.POST)
            if not form.is_valid():
                raise ValidationError(form.errors.get("text") or _("The text is empty."))
            if step == "amend":
                services.amend_minutes(minutes, actor=user, text=form.cleaned_data["text"])
            else:
                services.correct_minutes(minutes, actor=user, text=form.cleaned_data["text"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Saved."))
    return redirect("knowledge:meeting", meeting.pk)


@login_required
@require_POST
def minutes_save(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Write the draft minutes (facilitator)."""
    return _minutes_step(request, meeting_id, "save")


@login_required
@require_POST
def minutes_amend(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Add to the draft minutes (members)."""
    return _minutes_step(request, meeting_id, "amend")


@login_required
@require_POST
def minutes_final(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Make the minutes final (facilitator)."""
    return _minutes_step(request, meeting_id, "final")


@login_required
@require_POST
def minutes_correct(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Add a correction after the minutes are final."""
    return _minutes_step(request, meeting_id, "correct")
