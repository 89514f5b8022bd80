"""Pages where organisation editors keep the social map true: their review page, the
forms for hours, locations, contacts and crisis lines, confirming with one click, and
the region's review queue for the functional admin. Reports of a wrong number come from
any signed-in user. (Apart from ``views``, which holds the public pages.)

Every form goes through the same services as the API; an editor who does not keep an
entry gets a 404 for it, as an outsider does.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rits.accounts.auth import acting_user
from rits.directory import review, services
from rits.directory.forms import (
    ClosureFormSet,
    ContactFormSet,
    CrisisLineForm,
    LocationForm,
    ReportForm,
    ResolveForm,
    SlotFormSet,
    closure_initial,
    slot_initial,
)
from rits.directory.models import CrisisLine, Provider, Service
from rits.directory.permissions import (
    get_crisis_line_for_user,
    get_location_for_editor,
    get_provider_for_editor,
    get_report_for_keeper,
    get_service_for_editor,
    get_service_for_user,
)


def add_errors(form: BaseForm, exc: ValidationError) -> None:
    """Put a service's errors on the form: on the field they name, else on the form."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _changed_message(request: HttpRequest, changed: list[str], warnings: list[str]) -> None:
    if changed:
        messages.success(request, _("Saved. Changed: %(fields)s.") % {"fields": ", ".join(changed)})
    else:
        messages.info(request, _("Nothing changed; the entry is confirmed."))
    for warning in warnings:
        messages.warning(request, warning)


@login_required
def review_page(request: HttpRequest) -> HttpResponse:
    """One page with everything the editor keeps, what needs attention first."""
    user = acting_user(request)
    items = review.editor_entries(user)
    providers = Provider.objects.editable_by(user).prefetch_related("locations__municipality")
    if not items and not providers.exists():
        raise Http404
    return render(
        request,
        "directory/review.html",
        {
            "items": items,
            "attention": sum(1 for i in items if i.reasons),
            "providers": providers,
            "is_admin": bool(review.queue_regions(user)),
        },
    )


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    """The region's review queue (functional admin), oldest first."""
    regions = review.queue_regions(acting_user(request))
    if not regions:
        raise Http404
    return render(request, "directory/review_queue.html", {"items": review.queue(regions)})


def _back(request: HttpRequest, default: str, **kwargs: Any) -> HttpResponse:
    if request.POST.get("terug") == "overzicht":
        return redirect("directory_review")
    if request.POST.get("terug") == "wachtrij":
        return redirect("directory_review_queue")
    return redirect(default, **kwargs)


@login_required
@require_POST
def service_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """One click: this service is still right."""
    service = get_service_for_editor(request.user, pk)
    services.confirm_entry(service, actor=acting_user(request))
    messages.success(request, _("Confirmed: %(name)s.") % {"name": service.name})
    return _back(request, "directory_service", pk=service.pk)


@login_required
@require_POST
def crisis_line_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """One click: this crisis line is still right."""
    line = get_crisis_line_for_user(request.user, pk, write=True)
    services.confirm_entry(line, actor=acting_user(request))
    messages.success(request, _("Confirmed: %(name)s.") % {"name": line.name})
    return _back(request, "directory_review")


@login_required
def service_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    """Opening hours (with validity periods) and closures of a service."""
    service = get_service_for_editor(request.user, pk)
    data = request.POST if request.method == "POST" else None
    slots: Any = SlotFormSet(data, prefix="slot", initial=slot_initial(service.hours.all()))
    closures: Any = ClosureFormSet(
        data, prefix="closure", initial=closure_initial(service.closures.all())
    )
    error = ""
    if data is not None and slots.is_valid() and closures.is_valid():
        try:
            warnings = services.replace_schedule(
                service,
                [f.slot() for f in slots.kept()],
                [f.closure() for f in closures.kept()],
                actor=acting_user(request),
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            _changed_message(request, [_("opening hours")], warnings)
            return redirect("directory_service", pk=service.pk)
    return render(
        request,
        "directory/schedule_form.html",
        {"service": service, "slots": slots, "closures": closures, "error": error},
        status=422 if error or (data is not None) else 200,
    )


@login_required
def service_contacts(request: HttpRequest, pk: int) -> HttpResponse:
    """The named contacts of a service."""
    service = get_service_for_editor(request.user, pk)
    initial = [
        {"name": c.name, "title": c.title, "email": c.email, "phone": c.phone}
        for c in service.contacts.order_by("pk")
    ]
    data = request.POST if request.method == "POST" else None
    contacts: Any = ContactFormSet(data, prefix="contact", initial=initial)
    error = ""
    if data is not None and contacts.is_valid():
        try:
            changed = services.replace_contacts(
                service, [f.contact() for f in contacts.kept()], actor=acting_user(request)
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            _changed_message(request, [_("contacts")] if changed else [], [])
            return redirect("directory_service", pk=service.pk)
    return render(
        request,
        "directory/contacts_form.html",
        {"service": service, "contacts": contacts, "error": error},
        status=422 if error or (data is not None) else 200,
    )


def _location_form(request: HttpRequest, provider: Provider, location: Any = None) -> HttpResponse:
    region_id = services.region_of(provider)
    initial = (
        {
            "name": location.name,
            "address_1": location.address_1,
            "postal_code": location.postal_code,
            "city": location.city,
            "municipality": location.municipality_id,
            "area": location.area_id,
            "latitude": location.latitude,
            "longitude": location.longitude,
        }
        if location
        else None
    )
    form = LocationForm(request.POST or None, initial=initial, region_id=region_id)
    if request.method == "POST" and form.is_valid():
        try:
            _saved, changed = services.save_location(
                provider, form.location_data(), actor=acting_user(request), location=location
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            _changed_message(request, changed, [])
            return redirect("directory_review")
    return render(
        request,
        "directory/location_form.html",
        {"form": form, "provider": provider, "location": location},
        status=422 if form.errors else 200,
    )


@login_required
def location_create(request: HttpRequest, provider_pk: int) -> HttpResponse:
    """Add a location (address with coordinates) to a provider."""
    return _location_form(request, get_provider_for_editor(request.user, provider_pk))


@login_required
def location_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a provider's location."""
    location = get_location_for_editor(request.user, pk)
    return _location_form(request, location.provider, location)


@login_required
def crisis_line_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """A crisis line's number, office hours, closures and the holidays that close it."""
    line = get_crisis_line_for_user(request.user, pk, write=True)
    data = request.POST if request.method == "POST" else None
    form = CrisisLineForm(
        data,
        initial={
            "name": line.name,
            "phone": line.phone,
            "closed_on_holidays": line.closed_on_holidays,
        },
    )
    slots: Any = SlotFormSet(data, prefix="slot", initial=slot_initial(line.hours.all()))
    closures: Any = ClosureFormSet(
        data, prefix="closure", initial=closure_initial(line.closures.all())
    )
    gaps: list[str] = []
    if data is not None and form.is_valid() and slots.is_valid() and closures.is_valid():
        c = form.cleaned_data
        try:
            changed, warnings = services.save_crisis_line(
                line,
                services.CrisisLineData(
                    name=c["name"],
                    phone=c["phone"],
                    slots=[f.slot() for f in slots.kept()],
                    closures=[f.closure() for f in closures.kept()],
                    closed_on_holidays=c["closed_on_holidays"],
                ),
                actor=acting_user(request),
                accept_gaps=c["accept_gaps"],
            )
        except services.GapsFound as found:
            gaps = found.gaps
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            _changed_message(request, changed, warnings)
            return redirect("directory_review")
    return render(
        request,
        "directory/crisis_line_form.html",
        {"line": line, "form": form, "slots": slots, "closures": closures, "gaps": gaps},
        status=422 if data is not None else 200,
    )


def _report(request: HttpRequest, entry: Service | CrisisLine) -> HttpResponse:
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_wrong_number(
                entry,
                actor=acting_user(request),
                suggested=form.cleaned_data["suggested"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Thank you. The editor will check the number."))
            if isinstance(entry, Service):
                return redirect("directory_service", pk=entry.pk)
            return redirect("crisis")
    return render(
        request,
        "directory/report_form.html",
        {"form": form, "entry": entry},
        status=422 if form.errors else 200,
    )


@login_required
def service_report(request: HttpRequest, pk: int) -> HttpResponse:
    """Any signed-in user: this service's number is wrong."""
    return _report(request, get_service_for_user(request.user, pk))


@login_required
def crisis_line_report(request: HttpRequest, pk: int) -> HttpResponse:
    """Any signed-in user: this crisis number is wrong."""
    return _report(request, get_crisis_line_for_user(request.user, pk))


@login_required
@require_POST
def report_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    """The keeper of the entry closes a report, optionally taking the suggested number."""
    report = get_report_for_keeper(request.user, pk)
    form = ResolveForm(request.POST)
    if form.is_valid():
        try:
            services.resolve_report(
                report,
                actor=acting_user(request),
                resolution=form.cleaned_data["resolution"],
                use_suggested=form.cleaned_data["use_suggested"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The report has been resolved."))
    else:
        messages.error(request, " ".join(str(e) for es in form.errors.values() for e in es))
    return _back(request, "directory_review")
