"""The policy officer's monitor: an area's indicators for a period, its region's
municipalities side by side, the social map per theme and the trend, each table also
as CSV and XLSX. Every page and file read is audited (purpose: policy)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify

from rits.accounts.auth import acting_user
from rits.lib import spreadsheet
from rits.outcomes import exports, pictures, reads, services
from rits.outcomes.forms import PeriodForm
from rits.outcomes.periods import AreaKind
from rits.outcomes.permissions import areas_for_user, get_area_for_user, home_area, reach_of


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
