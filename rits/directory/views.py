"""Pages of the social map and of "Who do I call now?"."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rits.accounts.auth import acting_user
from rits.accounts.home_region import home_region_ids
from rits.accounts.models import Team
from rits.directory import exchange, maps, reachability, search, services
from rits.directory.forms import (
    CrisisForm,
    CsvImportForm,
    ProfessionalSearchForm,
    ProfileForm,
    SearchForm,
    ServiceForm,
    WaitTimeForm,
)
from rits.directory.models import CrisisLine, ProfessionalProfile, Provider, Service
from rits.directory.permissions import (
    can_edit_provider,
    get_provider_for_user,
    get_service_for_editor,
    get_service_for_user,
)
from rits.regions.models import YouthCareRegion


def changed_labels(changed: list[str]) -> list[str]:
    """The changed fields by their labels on the form, for "what changed"."""
    labels = {
        "areas": _("municipalities and wijken"),
        "locations": _("locations"),
        "themes": _("themes"),
        "languages": _("languages"),
        "phones": _("phone numbers"),
        "wait_weeks": _("waiting time"),
    }
    found = []
    for name in changed:
        if name in labels:
            found.append(str(labels[name]))
        else:
            found.append(str(getattr(Service._meta.get_field(name), "verbose_name", name)))
    return found


def social_map(request: HttpRequest) -> HttpResponse:
    """Search the social map; HTMX swaps only the results."""
    form = SearchForm(request.GET or None, user=request.user)
    result = None
    error = ""
    if form.is_valid():
        c = form.cleaned_data
        params = search.SearchParams(
            q=c["q"] or "",
            municipality=c["gemeente"],
            area=c["wijk"],
            age=c["leeftijd"],
            theme=c["thema"],
            language=c["taal"] or None,
            max_wait_weeks=c["wachttijd"],
            open_at=timezone.now() if c["nu_open"] else None,
            page=c["pagina"] or 1,
        )
        try:
            result = search.search(params)
        except search.QueryTooLong:
            error = _("The search text is too long.")
    elif not request.GET:
        result = search.search(search.SearchParams())
    query = {k: v for k, v in request.GET.items() if k != "pagina" and v}
    chosen = form.cleaned_data.get("gemeente") if form.is_valid() else None
    context: dict[str, Any] = {
        "form": form,
        "result": result,
        "error": error,
        "query_string": urlencode(query),
        "results_map": maps.results_map(
            result.services,
            maps.region_of_search(chosen, request.user),
            query,
        )
        if result is not None
        else None,
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "directory/social_map.html#results", context)
    return render(request, "directory/social_map.html", context)


def service_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One service: what, for whom, where, how to reach it, waiting time and opening."""
    service = get_service_for_user(request.user, pk)
    service = (
        Service.objects.select_related("provider")
        .prefetch_related(
            "themes",
            "areas__municipality",
            "areas__area",
            "phones",
            "hours",
            "closures",
            "contacts",
            "at_locations__location",
        )
        .get(pk=service.pk)
    )
    now = timezone.now()
    return render(
        request,
        "directory/service_detail.html",
        {
            "service": service,
            "opening": reachability.opening(service, now),
            "can_edit": can_edit_provider(request.user, service.provider),
            "wait_form": WaitTimeForm(initial={"wait_weeks": service.wait_weeks}),
            "service_map": maps.service_map(service),
        },
    )


@login_required
def service_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a service (organisation editor or functional admin)."""
    service = get_service_for_editor(request.user, pk)
    form = ServiceForm(request.POST or None, instance=service, provider=service.provider)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.update_service(
                service, form.service_data(), actor=acting_user(request)
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            if changed:
                messages.success(
                    request,
                    _("The service has been saved. Changed: %(fields)s.")
                    % {"fields": ", ".join(changed_labels(changed))},
                )
            else:
                messages.success(request, _("Nothing changed; the service is confirmed."))
            return redirect("directory_service", pk=service.pk)
    return render(
        request,
        "directory/service_form.html",
        {"form": form, "service": service, "provider": service.provider},
    )


@login_required
def service_create(request: HttpRequest, provider_pk: int) -> HttpResponse:
    """Add a service to a provider's offer."""
    provider = _provider_or_404(request, provider_pk)
    form = ServiceForm(request.POST or None, provider=provider)
    if request.method == "POST" and form.is_valid():
        try:
            service = services.create_service(
                provider, form.service_data(), actor=acting_user(request)
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The service has been added."))
            return redirect("directory_service", pk=service.pk)
    return render(request, "directory/service_form.html", {"form": form, "provider": provider})


def _provider_or_404(request: HttpRequest, provider_pk: int) -> Provider:
    """Editors only; anyone else gets a 404 so the edit pages reveal nothing."""
    provider = get_object_or_404(Provider, pk=provider_pk)
    if not can_edit_provider(request.user, provider):
        raise Http404
    return provider


def _add_errors(form: ServiceForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
@require_POST
def wait_time_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm the waiting time as it is today (one click: "still 8 weeks")."""
    service = get_service_for_editor(request.user, pk)
    form = WaitTimeForm(request.POST)
    if form.is_valid():
        services.confirm_wait_time(
            service,
            actor=acting_user(request),
            weeks=form.cleaned_data["wait_weeks"],  # type: ignore[arg-type]
        )
        messages.success(request, _("The waiting time has been confirmed."))
    else:
        messages.error(request, _("Fill in a waiting time between 0 and 104 weeks."))
    if request.POST.get("terug") in ("overzicht", "wachtrij"):
        return redirect(
            "directory_review" if request.POST["terug"] == "overzicht" else "directory_review_queue"
        )
    return redirect("directory_service", pk=service.pk)


@login_required
def provider_import(request: HttpRequest, provider_pk: int) -> HttpResponse:
    """Upload a CSV with a provider's offer; all rows are imported or none."""
    provider = _provider_or_404(request, provider_pk)
    form = CsvImportForm(request.POST or None, request.FILES or None)
    report: list[tuple[str, str]] = []
    counts = None
    if request.method == "POST" and form.is_valid():
        try:
            counts = exchange.import_csv(
                provider,
                form.cleaned_data["file"].read(),
                actor=acting_user(request),
            )
        except exchange.ImportRejected as rejected:
            report = rejected.errors
    # htmx swaps only 2xx answers; the report is the answer it should show.
    status = 422 if report and not request.htmx else 200  # type: ignore[attr-defined]
    return render(
        request,
        "directory/import.html",
        {
            "form": form,
            "provider": provider,
            "report": report,
            "counts": counts,
            "columns": exchange.CSV_COLUMNS,
        },
        status=status,
    )


def provider_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A provider's public page with its services."""
    provider = get_provider_for_user(request.user, pk)
    offered = Service.objects.visible_to(request.user).filter(provider=provider)  # type: ignore[arg-type]
    return render(
        request,
        "directory/provider_detail.html",
        {
            "provider": provider,
            "services": offered.prefetch_related("themes"),
            "can_edit": can_edit_provider(request.user, provider),
        },
    )


@login_required
def professionals(request: HttpRequest) -> HttpResponse:
    """Who do I need? Teams and their members' published profiles (professionals only)."""
    user = acting_user(request)
    if user.kind != "professional":
        raise Http404
    form = ProfessionalSearchForm(request.GET or None, user=user)
    profiles = ProfessionalProfile.objects.visible_to(user)
    if form.is_valid():
        c = form.cleaned_data
        if c["thema"]:
            profiles = profiles.filter(expertise=c["thema"])
        if c["gemeente"]:
            profiles = profiles.filter(municipalities=c["gemeente"])
        if c["taal"]:
            profiles = profiles.filter(languages__contains=f" {c['taal']} ")
    profiles = profiles.select_related("user").prefetch_related("expertise", "municipalities")
    teams = (
        Team.objects.filter(profiles__in=profiles)
        .distinct()
        .select_related("organisation", "municipality")
        .prefetch_related(Prefetch("profiles", queryset=profiles, to_attr="shown_profiles"))
    )
    loose = profiles.filter(team__isnull=True)
    return render(
        request,
        "directory/professionals.html",
        {"form": form, "teams": teams, "loose": loose},
    )


@login_required
def my_profile(request: HttpRequest) -> HttpResponse:
    """A professional keeps their own profile for colleagues."""
    user = acting_user(request)
    if user.kind != "professional":
        raise Http404
    profile = ProfessionalProfile.objects.filter(user=user).first()
    initial: dict[str, Any] = {"languages": ["nl"], "email": user.email, "published": True}
    if profile is not None:
        initial = {
            "team": profile.team_id,
            "expertise": list(profile.expertise.all()),
            "expertise_note": profile.expertise_note,
            "languages": profile.language_codes,
            "municipalities": list(profile.municipalities.all()),
            "phone": profile.phone,
            "email": profile.email,
            "reachable": profile.reachable,
            "published": profile.published,
        }
    form = ProfileForm(request.POST or None, initial=initial, user=user)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        services.save_profile(
            user,
            services.ProfileData(
                expertise=list(c["expertise"]),
                expertise_note=c["expertise_note"],
                languages=c["languages"],
                municipalities=list(c["municipalities"]),
                phone=c["phone"],
                email=c["email"],
                reachable=c["reachable"],
                published=c["published"],
                team_id=c["team"].pk if c["team"] else None,
            ),
            actor=user,
        )
        messages.success(request, _("Your profile has been saved."))
        return redirect("directory_professionals")
    return render(request, "directory/profile_form.html", {"form": form})


def crisis(request: HttpRequest) -> HttpResponse:
    """Who do I call now? Public, no login."""
    form = CrisisForm(request.GET or None, user=request.user)
    route = None
    missing = False
    moment = None
    if form.is_valid():
        moment = form.moment(timezone.now())
        try:
            route = reachability.route_crisis(form.cleaned_data["gemeente"], moment.at)
        except reachability.NoCrisisLine:
            missing = True
    return render(
        request,
        "directory/crisis.html",
        {
            "form": form,
            "route": route,
            "missing": missing,
            "other_moment": moment is not None and moment.wall is not None,
            "moment_note": reachability.moment_note(moment) if moment else "",
            "crisis_cover": maps.crisis_cover_map(route.municipality.region, route.at)
            if route
            else None,
            "municipalities": CrisisLine.objects.filter(kind="office_hours")
            .select_related("municipality")
            .order_by("municipality__name"),
        },
    )


def overview_map(request: HttpRequest) -> HttpResponse:
    """The social map of a region (a dot per location) or of the country (?regio=NL)."""
    code = request.GET.get("regio", "")
    region = None
    if code.upper() != "NL":
        region = YouthCareRegion.objects.filter(code=code.upper()).first() if code else None
        if region is None:
            home = home_region_ids(request.user)
            region = YouthCareRegion.objects.filter(pk__in=home[:1]).first()
    return render(
        request,
        "directory/overview_map.html",
        {
            "drawn": maps.overview_map(region),
            "place": region.name if region else _("the Netherlands"),
            "regions": YouthCareRegion.objects.filter(
                pk__in=home_region_ids(request.user)
            ).order_by("name"),
        },
    )


def crisis_print(request: HttpRequest) -> HttpResponse:
    """All crisis numbers of the region on one page, for the fridge or the notice board."""
    lines = CrisisLine.objects.select_related("municipality", "region").prefetch_related("hours")
    code = request.GET.get("gemeente")
    if code:
        lines = lines.filter(region__municipalities__code=code)
    regions: dict[str, dict[str, Any]] = {}
    for line in lines.order_by("region__name", "kind", "municipality__name"):
        entry = regions.setdefault(line.region.name, {"office": [], "regional": []})
        entry["office" if line.kind == CrisisLine.Kind.OFFICE_HOURS else "regional"].append(line)
    return render(request, "directory/crisis_print.html", {"regions": regions})
