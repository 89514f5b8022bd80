from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rits.audit import registry
from rits.audit.models import Entry
from rits.audit.search import TrailFilters, looks_like_bsn, subject_pseudonym
from rits.lib.pseudonyms import InvalidBSN
from rits.lib.text import TextForm


class TrailFilterForm(TextForm):
    """The filters of the trail search, for the page, the CSV export and the API.

    A BSN typed as subject is replaced by its pseudonym in the form's own data, so
    the page shows the pseudonym back, never the BSN; a BSN that fails the elfproef
    is blanked.
    """

    subject = forms.CharField(
        label=_("Subject"),
        required=False,
        max_length=100,
        help_text=_("A pseudonym, or a BSN: Rits turns a BSN into its pseudonym."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    user = forms.EmailField(label=_("User (e-mail address)"), required=False)
    # The default "not one of the available choices" message repeats the input.
    event = forms.ChoiceField(
        label=_("Event"),
        required=False,
        error_messages={"invalid_choice": _("Choose an event from the list.")},
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        required=False,
        choices=[("", _("All outcomes")), *Entry.Outcome.choices],
        error_messages={"invalid_choice": _("Choose an outcome from the list.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The registry is complete only once every app is ready, so read it per form.
        self.fields["event"].choices = [  # type: ignore[attr-defined]
            ("", _("All events")),
            *((code, f"{label} ({code})") for code, label in registry.all_events().items()),
        ]
        self.subject_from_bsn = False
        # Digits anywhere in the query mean the request's own URL holds a BSN.
        self.had_bsn = any(looks_like_bsn(str(self.data.get(name, ""))) for name in self.fields)

    def clean_subject(self) -> str:
        raw: str = self.cleaned_data.get("subject", "")
        try:
            pseudonym, self.subject_from_bsn = subject_pseudonym(raw)
        except InvalidBSN as error:
            self._replace("subject", "")
            raise forms.ValidationError(
                _("This is not a valid BSN (the elfproef fails)."), code="invalid_bsn"
            ) from error
        if self.subject_from_bsn:
            self._replace("subject", pseudonym)
        return pseudonym

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        # A BSN typed into another field is not shown back either.
        for name in self.errors:
            if name in self.fields and looks_like_bsn(str(self.data.get(name, ""))):
                self._replace(name, "")
        return cleaned

    def _replace(self, name: str, value: str) -> None:
        data = dict(self.data.items())
        data[name] = value
        self.data = data

    def filters(self) -> TrailFilters:
        """The cleaned filters; call after ``is_valid()``."""
        data = self.cleaned_data
        return TrailFilters(
            subject=data.get("subject", ""),
            subject_from_bsn=self.subject_from_bsn,
            user=(data.get("user") or "").lower(),
            event=data.get("event", ""),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            outcome=data.get("outcome", ""),
        )
