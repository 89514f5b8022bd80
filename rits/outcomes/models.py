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


class Publication(models.Model):
    """An indicator a region chooses to show on its public page "Wat levert het op?"."""

    region = models.ForeignKey(
        "regions.YouthCareRegion",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("youth-care region"),
    )
    indicator = models.CharField(_("indicator"), max_length=40)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["region_id", "position", "indicator"]
        verbose_name = _("published indicator")
        verbose_name_plural = _("published indicators")
        constraints = [
            models.UniqueConstraint(fields=["region", "indicator"], name="publication_once"),
        ]

    def __str__(self) -> str:
        return self.indicator


class Story(models.Model):
    """What worked, in the words of a professional or the family, about one family plan.

    Public only when the family consented under the age rules (see
    ``rits.family_plans.rules``) and a reviewer took names and identifying details out;
    a withdrawn consent unpublishes it at once, as publication is read from the
    consents on every request (``services.published_stories``).
    """

    plan = models.ForeignKey(
        "family_plans.Plan", on_delete=models.CASCADE, related_name="+", verbose_name=_("plan")
    )
    municipality = models.ForeignKey(
        "regions.Municipality",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("municipality"),
    )
    title = models.CharField(_("title"), max_length=150)
    text = models.TextField(_("what worked"), max_length=5000)
    written_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    written_at = models.DateTimeField(_("written"), default=timezone.now)
    # The text as published: the reviewer's version, without names or other details
    # that would tell who the family is.
    public_title = models.CharField(_("public title"), max_length=150, blank=True)
    public_text = models.TextField(_("public text"), max_length=5000, blank=True)
    reviewed_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    class Meta:
        ordering = ["-written_at"]
        verbose_name = _("success story")
        verbose_name_plural = _("success stories")

    def __str__(self) -> str:
        return self.public_title or self.title


class StoryConsent(models.Model):
    """One family member's consent to publish the story; withdrawn keeps the history."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="consents")
    person = models.ForeignKey(
        "family_plans.Person", on_delete=models.CASCADE, related_name="+", verbose_name=_("person")
    )
    given_at = models.DateTimeField(_("given"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent to publish")
        verbose_name_plural = _("consents to publish")
        constraints = [
            models.UniqueConstraint(
                fields=["story", "person"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="story_consent_one_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.story_id}/{self.person_id}"
