from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rits.lib.text import TextForm
from rits.outcomes import periods
from rits.outcomes.periods import Period


def default_period(today: date | None = None) -> Period:
    """The current year: the figures so far."""
    return periods.year_of(today or periods.today())


class PeriodForm(TextForm):
    periode = forms.CharField(
        label=_("Period"),
        max_length=7,
        required=False,
        help_text=_("A year (2026), a quarter (2026-K3) or a month (2026-07)."),
    )

    def clean_periode(self) -> Period:
        code = self.cleaned_data.get("periode") or ""
        if not code:
            return default_period()
        try:
            return periods.parse(code, today=periods.today())
        except periods.UnknownPeriod as exc:
            raise forms.ValidationError(str(exc)) from None

    def period(self) -> Period:
        if self.is_valid():
            chosen: Any = self.cleaned_data["periode"]
            return chosen
        return default_period()


class StoryForm(TextForm):
    title = forms.CharField(label=_("Title"), max_length=150)
    text = forms.CharField(
        label=_("What worked?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Tell what helped, in your own words. Names are taken out before anyone else reads it."
        ),
    )


class ReviewForm(TextForm):
    title = forms.CharField(label=_("Public title"), max_length=150)
    text = forms.CharField(
        label=_("Public text"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Without names, places, dates or other details that tell who the family is."),
    )
