"""Seeing across tables: the synthesis page, the segments behind a figure, agreement
between coders, and the exports (REFI-QDA project, CSV/XLSX)."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from rits.accounts.auth import acting_user
from rits.accounts.models import Membership, User
from rits.audit.models import Entry
from rits.audit.services import record
from rits.dialogues import exports, refi
from rits.dialogues import synthesis as figures
from rits.dialogues.forms import PeriodForm
from rits.dialogues.kappa import agreement as kappa_agreement
from rits.dialogues.models import Code, Coding, Kind
from rits.dialogues.permissions import FIGURE_ROLES, SEGMENT_ROLES, regions_of
from rits.dialogues.views.common import home_region
from rits.lib import charts, spreadsheet
from rits.regions.models import YouthCareRegion

Role = Membership.Role
MAX_SEGMENTS = 200


def _scope(
    request: HttpRequest, user: User, region: YouthCareRegion
) -> tuple[PeriodForm, figures.Scope]:
    form = PeriodForm(request.GET or None, region_id=region.pk)
    today = timezone.localdate()
    start, end = date(today.year - 2, 1, 1), today
    municipality_ids: list[int] = []
    mine = False
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
        if form.cleaned_data["municipality"]:
            municipality_ids = [form.cleaned_data["municipality"].pk]
        mine = form.cleaned_data["mine"]
    return form, figures.Scope(
        region_id=region.pk,
        start=start,
        end=end,
        municipality_ids=municipality_ids,
        facilitator_id=user.pk if mine else None,
    )


def _audit(user: User, event: str, region: YouthCareRegion, **data: object) -> None:
    record(
        user,
        event,
        None,
        subject=f"regio:{region.code}",
        purpose=Entry.Purpose.RESEARCH,
        object_type="regions.youthcareregion",
        object_id=region.pk,
        object_label=region.name,
        data={k: str(v) for k, v in data.items()},
    )


@login_required
def synthesis(request: HttpRequest) -> HttpResponse:
    """Counts per code by kind, trend per half-year, codes that come together,
    municipalities and regions side by side, open actions per owner."""
    user = acting_user(request)
    region = home_region(user, *FIGURE_ROLES)
    form, scope = _scope(request, user, region)
    if form.is_bound and not form.is_valid():
        return render(
            request, "dialogues/synthesis.html", {"form": form, "region": region}, status=422
        )
    result = figures.synthesis(scope)
    _audit(user, "dialogues.synthesis_viewed", region, start=scope.start, end=scope.end)
    kinds = [(k, label, result.counts[k]) for k, label in Kind.choices]
    chart = charts.line_chart(
        _("Tables per half-year"),
        _(
            "Number of tables per half-year that found a success factor, a bottleneck or an "
            "improvement; a gap is a half-year with fewer than five tables. The same figures "
            "are in the table below."
        ),
        [label for label, _row in result.trend],
        [
            charts.Series(str(name), [row[kind] for _label, row in result.trend])
            for kind, name in Kind.choices
        ],
        unit=_("tables"),
    )
    return render(
        request,
        "dialogues/synthesis.html",
        {
            "form": form,
            "region": region,
            "scope": scope,
            "result": result,
            "kinds": kinds,
            "kind_labels": Kind.choices,
            "trend": [(label, [row[k] for k in Kind.values]) for label, row in result.trend],
            "trend_chart": chart if result.trend else None,
            "municipalities": figures.by_municipality(scope),
            # Every region's tables: only when asked for, it is not part of the region's page.
            "regions": (
                figures.by_region(scope.start, scope.end) if request.GET.get("regions") else None
            ),
            "actions": figures.actions_per_owner(region.pk),
            "segments_allowed": bool(regions_of(user, *SEGMENT_ROLES)),
            "query": request.GET.urlencode(),
            "min_tables": figures.MIN_TABLES,
        },
    )


@login_required
def segments(request: HttpRequest) -> HttpResponse:
    """The pseudonymised segments behind one figure (facilitators and researchers)."""
    user = acting_user(request)
    region = home_region(user, *SEGMENT_ROLES)
    form, scope = _scope(request, user, region)
    try:
        ids = [int(v) for v in request.GET.getlist("code")][:2]
    except ValueError:
        ids = []
    codes = list(Code.objects.filter(region=region, pk__in=ids))
    if not codes or len(codes) != len(set(ids)):
        raise Http404
    found = figures.segments(scope, [c.pk for c in codes])
    tables = found.values("table_id").distinct().count()
    shown = tables >= figures.MIN_TABLES
    rows = list(found[:MAX_SEGMENTS]) if shown else []
    _audit(user, "dialogues.segments_viewed", region, codes=",".join(str(c.guid) for c in codes))
    return render(
        request,
        "dialogues/segments.html",
        {
            "codes": codes,
            "rows": rows,
            "shown": shown,
            "tables": tables,
            "form": form,
            "scope": scope,
            "min_tables": figures.MIN_TABLES,
            "more": found.count() > MAX_SEGMENTS if shown else False,
        },
    )


@login_required
def agreement(request: HttpRequest) -> HttpResponse:
    """Agreement between first and second coders per code (Cohen's kappa)."""
    user = acting_user(request)
    region = home_region(user, *SEGMENT_ROLES)
    codings = Coding.objects.filter(finding__table__region=region).select_related("counted_code")
    rows = kappa_agreement(codings)
    _audit(user, "dialogues.synthesis_viewed", region, view="agreement")
    return render(request, "dialogues/agreement.html", {"rows": rows, "region": region})


@login_required
def synthesis_csv(request: HttpRequest) -> HttpResponse:
    """The counts per code as CSV."""
    return synthesis_export(request, "csv")


@login_required
def synthesis_xlsx(request: HttpRequest) -> HttpResponse:
    """The counts per code as XLSX."""
    return synthesis_export(request, "xlsx")


@login_required
def findings_csv(request: HttpRequest) -> HttpResponse:
    """The pseudonymised findings as CSV."""
    return findings_export(request, "csv")


@login_required
def findings_xlsx(request: HttpRequest) -> HttpResponse:
    """The pseudonymised findings as XLSX."""
    return findings_export(request, "xlsx")


def synthesis_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The counts per code as CSV or XLSX (the same suppression as the page)."""
    user = acting_user(request)
    region = home_region(user, *FIGURE_ROLES)
    _form, scope = _scope(request, user, region)
    result = figures.synthesis(scope)
    _audit(user, "dialogues.material_exported", region, what="counts", format=fmt)
    return _spreadsheet(fmt, "tellingen", exports.COUNTS_HEADER, list(exports.count_rows(result)))


def findings_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The region's pseudonymised findings as CSV or XLSX (facilitators and researchers)."""
    user = acting_user(request)
    region = home_region(user, *SEGMENT_ROLES)
    _form, scope = _scope(request, user, region)
    rows = exports.finding_rows(figures.segments(scope, []))
    _audit(user, "dialogues.material_exported", region, what="findings", format=fmt)
    return _spreadsheet(fmt, "bevindingen", exports.FINDINGS_HEADER, rows)


def _spreadsheet(fmt: str, name: str, header: list[str], rows: object) -> HttpResponse:
    if fmt == "xlsx":
        data = spreadsheet.workbook([(name, header, rows)])  # type: ignore[list-item]
        response = HttpResponse(
            data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    elif fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        writer = spreadsheet.writer(response)
        writer.writerow(header)
        writer.writerows(rows)  # type: ignore[arg-type]
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="dialoogtafels-{name}.{fmt}"'
    return response


@login_required
def project_export(request: HttpRequest) -> StreamingHttpResponse:
    """The region's coded material as a REFI-QDA project (.qdpx), streamed."""
    user = acting_user(request)
    region = home_region(user, *SEGMENT_ROLES)
    _audit(user, "dialogues.material_exported", region, what="qdpx")
    response = StreamingHttpResponse(
        refi.project_stream(region.pk, name=f"Dialoogtafels {region.name}"),
        content_type="application/zip",
    )
    response["Content-Disposition"] = f'attachment; filename="dialoogtafels-{region.code}.qdpx"'
    return response
