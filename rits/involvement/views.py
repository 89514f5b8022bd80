from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rits.accounts.auth import acting_user
from rits.accounts.models import Membership, User
from rits.family_plans.services import PlanError
from rits.involvement import services
from rits.involvement.forms import (
    CoordinatorForm,
    CorrectionForm,
    ImportForm,
    MatchPlanForm,
    ObjectionForm,
    RightsLookupForm,
    SignalForm,
)
from rits.involvement.imports import FileFormatError, read_rows
from rits.involvement.models import Match, MatchMember, Signal
from rits.involvement.permissions import (
    get_match_for_user,
    get_signal_for_rights,
    get_signal_for_user,
    registrations,
    rights_lookups,
)
from rits.involvement.services import reads
from rits.involvement.services.reads import record_read
from rits.lib import spreadsheet

RIGHTS_SESSION_KEY = "involvement_rights_subject"
SIGNALS_PER_PAGE = 50


@login_required
def my_signals(request: HttpRequest) -> HttpResponse:
    """The signals I registered, active or in my archive, newest first, a page at a time;
    optionally only those with one of my own references."""
    user = acting_user(request)
    archive = request.GET.get("archive") == "1"
    reference = request.GET.get("reference", "").strip()[:40]
    signals = Signal.objects.visible_to(user).select_related("organisation", "municipality")
    if archive:
        signals = signals.archived().order_by("-ended_at", "-pk")
    else:
        signals = signals.active().order_by("-registered_at", "-pk")
    if reference:
        signals = signals.filter(own_reference__iexact=reference)
    page = Paginator(signals, SIGNALS_PER_PAGE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    counts = dict(
        MatchMember.objects.filter(signal_id__in=[s.pk for s in shown])
        .exclude(match__status=Match.Status.CLOSED)
        .values_list("signal_id")
        .annotate(n=Count("pk"))
    )
    for signal in shown:
        signal.match_count = counts.get(signal.pk, 0)  # type: ignore[attr-defined]
    record_read(user, "involvement.signals_listed", data={"signals": [s.pk for s in shown]})
    query = {"archive": "1"} if archive else {}
    if reference:
        query["reference"] = reference
    return render(
        request,
        "involvement/signal_list.html",
        {
            "signals": shown,
            "page": page,
            "archive": archive,
            "reference": reference,
            "query": urlencode(query),
            "may_register": user.has_role(Membership.Role.INDEX_REPORTER),
        },
    )


@login_required
def register(request: HttpRequest) -> HttpResponse:
    """Register involvement with a youth: that you are involved, never why."""
    user = acting_user(request)
    organisations = services.reporter_organisations(user)
    if not organisations:
        services.authorise_reporter(user, None)  # audits the refusal and raises 403
    if request.method == "POST" and not registrations.allow_request(request):
        return registrations.refused(request)
    form = SignalForm(request.POST or None, user=user, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.register_signal(
                form.to_input(), actor=user, organisation=form.cleaned_data["organisation"]
            )
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                target = name if name in form.fields else None
                for error in errors:
                    form.add_error(target, error)
        else:
            if result.matches:
                messages.success(
                    request,
                    _("Registered. Others are involved too: see the match below."),
                )
            else:
                messages.success(request, _("Registered. Nobody else is involved at the moment."))
            return redirect("involvement:signal", result.signal.pk)
    return render(
        request, "involvement/register.html", {"form": form}, status=422 if form.errors else 200
    )


@login_required
def signal_detail(request: HttpRequest, signal_id: int) -> HttpResponse:
    """One of my signals, with its matches."""
    user = acting_user(request)
    signal = get_signal_for_user(user, signal_id)
    # Only the matches I may open: an ended signal has left its matches.
    matches = Match.objects.visible_to(user).filter(members__signal=signal).order_by("-created_at")
    record_read(user, "involvement.signal_viewed", signal)
    return render(request, "involvement/signal_detail.html", {"signal": signal, "matches": matches})


@login_required
@require_POST
def withdraw(request: HttpRequest, signal_id: int) -> HttpResponse:
    """End my signal: I am no longer involved."""
    user = acting_user(request)
    signal = get_signal_for_user(user, signal_id, write=True)
    try:
        services.withdraw_signal(signal, actor=user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The registration has been withdrawn."))
    return redirect("involvement:signal", signal.pk)


@login_required
def my_matches(request: HttpRequest) -> HttpResponse:
    """Matches my active signals are part of."""
    user = acting_user(request)
    return render(request, "involvement/match_list.html", {"matches": reads.my_matches(user)})


def _match_context(match: Match, user: User, form: CoordinatorForm | None = None) -> dict:
    members = match.current_members()
    mine = [m.signal for m in members if m.signal.reporter_id == user.pk]
    signals = Signal.objects.filter(pk__in=[m.signal_id for m in members]).select_related(
        "organisation"
    )
    return {
        "match": match,
        "members": members,
        "mine": mine,
        "may_coordinate": bool(mine) and match.status != Match.Status.CLOSED,
        "form": form
        or CoordinatorForm(signals=signals, initial={"coordinator": match.coordinator_id}),
    }


@login_required
def match_detail(request: HttpRequest, match_id: int) -> HttpResponse:
    """Who else is involved, how to reach them, and who coordinates."""
    user = acting_user(request)
    match = get_match_for_user(user, match_id)
    record_read(user, "involvement.match_viewed", match)
    return render(request, "involvement/match_detail.html", _match_context(match, user))


@login_required
@require_POST
def coordinate(request: HttpRequest, match_id: int) -> HttpResponse:
    """Agree who coordinates, or confirm that we have been in touch (HTMX or plain POST)."""
    user = acting_user(request)
    match = get_match_for_user(user, match_id, write=True)
    form = None
    if "in_touch" in request.POST:
        services.confirm_in_touch(match, actor=user)
    else:
        signals = Signal.objects.filter(pk__in=[m.signal_id for m in match.current_members()])
        form = CoordinatorForm(request.POST, signals=signals.select_related("organisation"))
        if form.is_valid():
            services.agree_coordinator(match, form.cleaned_data["coordinator"], actor=user)
            form = None
    match.refresh_from_db()
    if request.htmx:  # type: ignore[attr-defined]
        return render(
            request,
            "involvement/match_detail.html#coordination",
            _match_context(match, user, form),
        )
    if form is not None:
        return render(
            request, "involvement/match_detail.html", _match_context(match, user, form), status=422
        )
    messages.success(request, _("Saved."))
    return redirect("involvement:match", match.pk)


@login_required
def match_start_plan(request: HttpRequest, match_id: int) -> HttpResponse:
    """Start the family plan from a match, with the family's consent (professionals in
    the match only)."""
    user = acting_user(request)
    match = get_match_for_user(user, match_id, write=True)
    form = MatchPlanForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            try:
                plan = services.start_plan_from_match(
                    match,
                    actor=user,
                    family_name=d["family_name"],
                    youth_name=d["youth_name"],
                    youth_birth=d["youth_birth"],
                    parent_names=[d["parent_1"], d["parent_2"]],
                    consent_in_person=d["consent_in_person"],
                )
            except PlanError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The plan has been started. Invite the family."))
                return redirect(reverse("family_plans:team", args=[plan.pk]))
    else:
        record_read(user, "involvement.match_viewed", match)
    return render(
        request, "involvement/match_plan.html", {"match": match, "form": form}, status=status
    )


@login_required
def unresolved(request: HttpRequest) -> HttpResponse:
    """For municipal coordinators: matches in their municipality still without agreement."""
    user = acting_user(request)
    return render(
        request, "involvement/unresolved.html", {"matches": reads.unresolved_matches(user)}
    )


@login_required
def rights(request: HttpRequest) -> HttpResponse:
    """For municipal coordinators: which organisations registered this person (inzage),
    with correction and objection."""
    user = acting_user(request)
    services.require_municipal_coordinator(user, "involvement.rights_overview")
    if request.method == "POST" and not rights_lookups.allow_request(request):
        return rights_lookups.refused(request)
    form = RightsLookupForm(request.POST or None)
    entries = None
    if request.method == "POST" and form.is_valid():
        try:
            pseudonym = services.pseudonym_for_rights(form.cleaned_data["bsn"])
        except ValidationError as exc:
            form.add_error("bsn", exc.messages)
        else:
            entries = services.overview_for_pseudonym(pseudonym, actor=user)
            # Only the pseudonym is kept, so the export and the page after a correction
            # need not ask for the BSN again.
            request.session[RIGHTS_SESSION_KEY] = pseudonym
    elif request.GET.get("again") and RIGHTS_SESSION_KEY in request.session:
        entries = services.overview_for_pseudonym(request.session[RIGHTS_SESSION_KEY], actor=user)
    return render(
        request,
        "involvement/rights.html",
        {
            "form": RightsLookupForm() if entries is not None else form,
            "entries": entries,
            "correction": CorrectionForm(user=user),
            "objection": ObjectionForm(),
        },
        status=422 if form.errors else 200,
    )


@login_required
def rights_export(request: HttpRequest) -> HttpResponse:
    """The overview from the last rights lookup as CSV, for the person who asked."""
    user = acting_user(request)
    pseudonym = request.session.get(RIGHTS_SESSION_KEY)
    if not pseudonym:
        services.require_municipal_coordinator(user, "involvement.rights_exported")
        return redirect("involvement:rights")
    entries = services.overview_for_pseudonym(pseudonym, actor=user)
    services.audit_rights_export(pseudonym, entries, actor=user)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="betrokkenheid-overzicht.csv"'
    writer = spreadsheet.writer(response)
    writer.writerows(services.rights_export_rows(entries))
    return response


@login_required
@require_POST
def rights_correct(request: HttpRequest, signal_id: int) -> HttpResponse:
    """Correct a registration at the person's request."""
    user = acting_user(request)
    signal = get_signal_for_rights(user, signal_id)
    form = CorrectionForm(request.POST, user=user)
    if form.is_valid():
        try:
            services.correct_signal(
                signal,
                actor=user,
                birth_date=form.cleaned_data["birth_date"],
                municipality=form.cleaned_data["municipality"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The registration has been corrected."))
    else:
        problems = [str(error) for errors in form.errors.values() for error in errors]
        messages.error(request, " ".join([_("The correction could not be saved."), *problems]))
    return redirect(reverse("involvement:rights") + "?again=1")


@login_required
@require_POST
def rights_object(request: HttpRequest, signal_id: int) -> HttpResponse:
    """Uphold an objection: the registration ends at once."""
    user = acting_user(request)
    signal = get_signal_for_rights(user, signal_id)
    form = ObjectionForm(request.POST)
    form.is_valid()
    services.uphold_objection(signal, actor=user, note=form.cleaned_data.get("note", ""))
    messages.success(request, _("The objection has been upheld; the registration has ended."))
    return redirect(reverse("involvement:rights") + "?again=1")


@login_required
def bulk_import(request: HttpRequest) -> HttpResponse:
    """Upload a file from your own case system: all rows are registered, or none."""
    user = acting_user(request)
    organisations = services.reporter_organisations(user)
    if not organisations:
        services.authorise_reporter(user, None)
    form = ImportForm(request.POST or None, request.FILES or None, organisations=organisations)
    context: dict = {"form": form}
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = services.import_signals(
                read_rows(upload.file, upload.name),
                actor=user,
                organisation=form.cleaned_data["organisation"],
            )
        except FileFormatError as exc:
            form.add_error("file", str(exc))
            status = 422
        except services.ImportRejected as exc:
            context["rejected"] = exc
            status = 422
        else:
            context["result"] = result
    if request.htmx:  # type: ignore[attr-defined]
        # htmx swaps only 2xx responses; the outcome partial carries the errors.
        return render(request, "involvement/import.html#outcome", context)
    return render(request, "involvement/import.html", context, status=status)
