"""The policy officer's monitor: an area's indicators for a period, its region's
municipalities side by side, the social map per theme and the trend, each table also
as CSV and XLSX. Every page and file read is audited (purpose: policy)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from rits.accounts.auth import acting_user
from rits.family_plans.permissions import get_plan_for_user
from rits.lib import spreadsheet
from rits.outcomes import exports, pictures, reads, services, stories
from rits.outcomes.forms import PeriodForm, ReviewForm, StoryForm, default_period
from rits.outcomes.indicators import BY_CODE
from rits.outcomes.models import Publication, Story
from rits.outcomes.periods import AreaKind
from rits.outcomes.permissions import (
    Reach,
    area_by_code,
    areas_for_user,
    get_area_for_user,
    home_area,
    reach_of,
)
from rits.regions.models import YouthCareRegion


@login_required
def monitor(request: HttpRequest) -> HttpResponse:
    """The monitor opens with the user's own municipality (or region)."""
    area = home_area(acting_user(request))
    target = f"/monitor/{area.code}/"
    if request.GET.get("periode"):
        target += "?" + request.GET.urlencode()
    return redirect(target)


@login_required
def area_page(request: HttpRequest, area_code: str) -> HttpResponse:
    """One area's monitor for one period."""
    user = acting_user(request)
    area = get_area_for_user(user, area_code)
    form = PeriodForm(request.GET or None)
    period = form.period()
    scope = services.Scope((area.code,), period)
    services.audit_read(user, "outcomes.monitor_viewed", scope)
    region = area if area.kind == AreaKind.REGION else None
    shown = pictures.chosen(request.GET.get("beeld"))
    context = {
        "pictures": [
            p
            for p in (
                pictures.area_map(area, period, shown, reach_of(user)),
                pictures.trend(area, period, shown),
                pictures.among_region(area, period, shown),
            )
            if p is not None
        ],
        "picture_indicator": shown,
        "picture_choices": reads.available(),
        "area": area,
        "period": period,
        "form": form,
        "board": reads.board(area, period),
        "matrix": reads.matrix(region, period) if region else None,
        "open_data": reads.open_data(area, period),
        "themes": reads.by_theme(area, period),
        "trend": reads.series(area, reads.last_months(period)),
        "areas": areas_for_user(user),
        "as_of": services.figures_as_of(),
        "tables": exports.TABLES,
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "outcomes/area.html", context, status=status)


@login_required
def export(request: HttpRequest, area_code: str, fmt: str) -> HttpResponse:
    """A table as CSV (``?tabel=``) or all tables as XLSX, suppression applied."""
    user = acting_user(request)
    area = get_area_for_user(user, area_code)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    form = PeriodForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(
            request,
            "outcomes/area.html",
            {"area": area, "form": form, "period": form.period(), "export_error": True},
            status=400,
        )
    period = form.period()
    name = request.GET.get("tabel", "indicatoren")
    if fmt == "csv" and name not in exports.TABLES:
        raise Http404
    scope = services.Scope((area.code,), period)
    services.audit_read(
        user, "outcomes.figures_exported", scope, data={"format": fmt, "table": name}
    )
    base = f"monitor-{slugify(area.name)}-{period.code}"
    if fmt == "xlsx":
        response = HttpResponse(
            spreadsheet.workbook(exports.all_tables(area, period)),
            content_type=spreadsheet.XLSX_CONTENT_TYPE,
        )
        response["Content-Disposition"] = f'attachment; filename="{base}.xlsx"'
        return response
    _title, header, rows = exports.table(name, area, period)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{base}-{name}.csv"'
    writer = spreadsheet.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response


@login_required
def story_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Write what worked for a family, from its plan."""
    user = acting_user(request)
    plan = get_plan_for_user(user, plan_id)
    form = StoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            story = stories.write_story(plan, actor=user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("outcomes:story", story.pk)
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "outcomes/story_new.html", {"form": form, "plan": plan}, status=status)


def _story_page(request: HttpRequest, story: Story, user: Any, **extra: Any) -> HttpResponse:
    person = stories.own_person(story, user)
    consented = (
        person is not None
        and story.consents.filter(person=person, withdrawn_at__isnull=True).exists()
    )
    review_form = extra.pop("review_form", None) or ReviewForm(
        initial={
            "title": story.public_title or story.title,
            "text": story.public_text or story.text,
        }
    )
    context = {
        "story": story,
        "published": stories.is_published(story),
        "may_consent": stories.may_consent(story, user),
        "own_consent": consented,
        "may_review": stories.may_review(story, user),
        "review_form": review_form,
        **extra,
    }
    status = 400 if extra.get("error") or review_form.errors else 200
    return render(request, "outcomes/story.html", context, status=status)


@login_required
def story_detail(request: HttpRequest, story_id: int) -> HttpResponse:
    """A story, whether it is public, and the family's consent or the review."""
    user = acting_user(request)
    return _story_page(request, stories.get_story_for_user(user, story_id), user)


@require_POST
@login_required
def story_consent(request: HttpRequest, story_id: int) -> HttpResponse:
    """The family gives or withdraws its consent to publish."""
    user = acting_user(request)
    story = stories.get_story_for_user(user, story_id)
    try:
        if request.POST.get("action") == "withdraw":
            stories.withdraw_consent(story, actor=user)
        else:
            stories.give_consent(story, actor=user)
    except ValidationError as exc:
        return _story_page(request, story, user, error=" ".join(exc.messages))
    return redirect("outcomes:story", story.pk)


@require_POST
@login_required
def story_review(request: HttpRequest, story_id: int) -> HttpResponse:
    """The reviewer's public version, without names."""
    user = acting_user(request)
    story = stories.get_story_for_user(user, story_id)
    if not stories.may_review(story, user):
        raise PermissionDenied
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            stories.review_story(story, actor=user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error("text", exc)
        else:
            return redirect("outcomes:story", story.pk)
    return _story_page(request, story, user, review_form=form)


def public_index(request: HttpRequest) -> HttpResponse:
    """ "Wat levert het op?": choose a region or municipality. No login."""
    regions = YouthCareRegion.objects.filter(
        pk__in=Publication.objects.values("region_id")
    ).prefetch_related("municipalities")
    return render(request, "outcomes/public_index.html", {"regions": regions})


def public_area(request: HttpRequest, area_code: str) -> HttpResponse:
    """A municipality's or region's public page: what the region publishes, its map and
    its stories. No login; the same suppressed cells as the monitor."""
    area = area_by_code(area_code)
    if area is None or area.kind == AreaKind.COUNTRY:
        raise Http404
    region_code = area.code if area.kind == AreaKind.REGION else area.region.code  # type: ignore[union-attr]
    region = YouthCareRegion.objects.get(code=region_code)
    chosen = [
        BY_CODE[p.indicator]
        for p in Publication.objects.filter(region=region)
        if p.indicator in BY_CODE and BY_CODE[p.indicator].available
    ]
    period = default_period()
    columns = reads.comparisons(area)
    found = reads.cells([c for c, _n in columns], [period])
    rows = [
        (i, [reads.shown(i, found.get((i.code, c, period))) for c, _n in columns]) for i in chosen
    ]
    picture = (
        pictures.area_map(area, period, chosen[0], Reach(frozenset(), frozenset()))
        if chosen
        else None
    )
    if area.kind == AreaKind.REGION:
        ids = list(region.municipalities.values_list("pk", flat=True))
    else:
        ids = list(region.municipalities.filter(code=area.code).values_list("pk", flat=True))
    context = {
        "area": area,
        "period": period,
        "columns": [n for _c, n in columns],
        "rows": rows,
        "picture": picture,
        "stories": stories.published_stories(ids),
        "as_of": services.figures_as_of(),
    }
    return render(request, "outcomes/public_area.html", context)
