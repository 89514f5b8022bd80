"""The monitor's stored figures: one row per published cell of the grid.

A cell is one indicator for one area (municipality, region, country), one period (a
month, quarter or year) and optionally one theme. The daily refresh
(``services.refresh_figures``) computes every cell from the other apps' tables and
applies the suppression before anything is stored: a hidden cell is stored without
its value, so no page, export or API call can show what was never kept.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rits.outcomes.periods import AreaKind, PeriodKind


class Figure(models.Model):
    class Status(models.TextChoices):
        SHOWN = "shown", _("shown")
        SMALL = "small", _("fewer than 10")
        HIDDEN = "hidden", _("hidden, so that a small number cannot be worked out")

    indicator = models.CharField(_("indicator"), max_length=40)
    area_kind = models.CharField(_("area"), max_length=12, choices=AreaKind)
    # GM0917, JZ41 or NL: the codes CBS uses.
    area_code = models.CharField(_("area code"), max_length=6)
    # A theme's code for the social map's figures per theme; empty for all themes.
    breakdown = models.CharField(_("theme"), max_length=40, blank=True, default="")
    period_kind = models.CharField(_("period"), max_length=8, choices=PeriodKind)
    period_start = models.DateField(_("period starts"))
    status = models.CharField(_("status"), max_length=8, choices=Status)
    # Empty unless shown: the count, percentage, median or 90th percentile.
    value = models.FloatField(_("value"), null=True, blank=True)
    # Empty unless shown: what a percentage or median is taken over.
    base = models.PositiveIntegerField(_("number it is taken over"), null=True, blank=True)
    made_on = models.DateField(_("figures as of"))

    class Meta:
        verbose_name = _("figure")
        verbose_name_plural = _("figures")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area_code", "breakdown", "period_kind", "period_start"],
                name="figure_one_per_cell",
            ),
        ]
        indexes = [
            # A page: every indicator of one area and period.
            models.Index(
                fields=["area_code", "period_kind", "period_start"], name="figure_area_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.area_code} {self.period_kind} {self.period_start}"


class Refresh(models.Model):
    """One run of the daily refresh: when, for which day, how long and how many cells."""

    made_on = models.DateField(_("figures as of"))
    finished_at = models.DateTimeField(_("finished"), default=timezone.now)
    cells = models.PositiveIntegerField(_("cells"), default=0)
    seconds = models.FloatField(_("seconds"), default=0)

    class Meta:
        ordering = ["-finished_at"]
        verbose_name = _("refresh of the figures")
        verbose_name_plural = _("refreshes of the figures")

    def __str__(self) -> str:
        return f"{self.made_on} ({self.cells})"


class OpenDataImport(models.Model):
    """One file from CBS StatLine, imported whole (or refused whole)."""

    table = models.CharField(_("StatLine table"), max_length=12)
    file_name = models.CharField(_("file"), max_length=200)
    rows = models.PositiveIntegerField(_("rows"))
    imported_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    imported_at = models.DateTimeField(_("imported"), default=timezone.now)

    class Meta:
        ordering = ["-imported_at"]
        verbose_name = _("open-data import")
        verbose_name_plural = _("open-data imports")

    def __str__(self) -> str:
        return f"{self.table} {self.file_name}"


class OpenFigure(models.Model):
    """One figure of a CBS StatLine table: a measure for a municipality and a period.

    A figure CBS keeps secret or does not have ("." or empty) is stored as suppressed,
    without a value: never as zero.
    """

    class Status(models.TextChoices):
        PRELIMINARY = "preliminary", _("preliminary")
        DEFINITIVE = "definitive", _("definitive")

    table = models.CharField(_("StatLine table"), max_length=12)
    measure = models.CharField(_("measure"), max_length=60)
    area_code = models.CharField(_("area code"), max_length=6)
    period_kind = models.CharField(_("period"), max_length=8, choices=PeriodKind)
    period_start = models.DateField(_("period starts"))
    value = models.FloatField(_("value"), null=True, blank=True)
    suppressed = models.BooleanField(_("kept secret or not available at CBS"), default=False)
    status = models.CharField(_("status"), max_length=12, choices=Status)
    source = models.ForeignKey(
        OpenDataImport, on_delete=models.CASCADE, related_name="figures", verbose_name=_("import")
    )

    class Meta:
        verbose_name = _("open-data figure")
        verbose_name_plural = _("open-data figures")
        constraints = [
            models.UniqueConstraint(
                fields=["table", "measure", "area_code", "period_kind", "period_start"],
                name="open_figure_one_per_cell",
            ),
        ]
        indexes = [
            models.Index(fields=["area_code", "period_start"], name="open_figure_area_period"),
        ]

    def __str__(self) -> str:
        return f"{self.table} {self.measure} {self.area_code} {self.period_start}"
