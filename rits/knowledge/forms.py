"""The knowledge app's forms. Text limits come from the model fields; every text field
refuses control characters (``TextForm``/``TextModelForm``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rits.accounts.models import Organisation
from rits.directory.models import Theme
from rits.knowledge.models import (
    Evidence,
    ExperienceReport,
    GlossaryTerm,
    Meeting,
    Member,
    Network,
    NetworkTheme,
    Practice,
    ProgressUpdate,
    SearchDocument,
)
from rits.knowledge.search import MAX_QUERY_LENGTH
from rits.lib.text import TextForm, TextModelForm, form_field
from rits.regions.models import Municipality, YouthCareRegion

LINES_HELP = _("One per line.")


class SearchForm(TextForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=MAX_QUERY_LENGTH)
    kind = forms.ChoiceField(
        label=_("What"),
        required=False,
        choices=[("", _("Everything")), *SearchDocument.Kind.choices],
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"), required=False, queryset=Theme.objects.all(), to_field_name="code"
    )
    age = forms.IntegerField(label=_("Age"), required=False, min_value=0, max_value=120)
    evidence = forms.ChoiceField(
        label=_("Evidence"), required=False, choices=[("", _("Any")), *Evidence.choices]
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        required=False,
        queryset=YouthCareRegion.objects.all(),
        to_field_name="code",
    )


def _lines(label: Any, length: int = 500) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=LINES_HELP,
        max_length=length * 20,
    )


class PracticeForm(TextModelForm):
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"), required=False, queryset=Theme.objects.all(), to_field_name="code"
    )
    core_elements = _lines(_("Core elements (what must stay as it is)"))
    adaptable = _lines(_("What a region may adapt"))
    conditions = _lines(_("Conditions (asked in the fit check)"), 300)
    website = forms.URLField(
        label=_("website"), required=False, max_length=200, assume_scheme="https"
    )

    class Meta:
        model = Practice
        fields = [
            "name",
            "summary",
            "problem",
            "why_it_works",
            "target_group",
            "minimum_age",
            "maximum_age",
            "goals",
            "approach",
            "needs_people",
            "needs_training",
            "needs_time",
            "needs_money",
            "needs_materials",
            "evidence",
            "evidence_source",
            "evidence_valid_until",
            "owner",
            "owner_name",
            "contact_email",
            "contact_phone",
            "website",
            "is_public",
        ]
        widgets = {"evidence_valid_until": forms.DateInput(attrs={"type": "date"})}

    @staticmethod
    def split(text: str) -> list[str]:
        return [line.strip() for line in text.splitlines() if line.strip()]


class ReportForm(TextModelForm):
    region = forms.ModelChoiceField(label=_("Region"), queryset=YouthCareRegion.objects.all())
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), required=False, queryset=Municipality.objects.all()
    )

    class Meta:
        model = ExperienceReport
        fields = ["written_on", "adapted", "effort", "result"]
        widgets = {"written_on": forms.DateInput(attrs={"type": "date"})}


class FitCheckForm(TextForm):
    municipality = forms.ModelChoiceField(
        label=_("Municipality you answer for"), queryset=Municipality.objects.all()
    )

    def __init__(self, *args: Any, practice: Practice, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.conditions = list(practice.conditions.all())
        self.fields["met"] = forms.MultipleChoiceField(
            label=_("Which conditions are met here?"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            choices=[(str(c.pk), c.text) for c in self.conditions],
        )


class TermForm(TextModelForm):
    class Meta:
        model = GlossaryTerm
        fields = ["term", "meaning", "replaces", "example"]


class NetworkForm(TextForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    theme = forms.ChoiceField(label=_("Theme"), choices=NetworkTheme.choices)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=4000, widget=forms.Textarea
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Member organisations"), required=False, queryset=Organisation.objects.none()
    )
    is_public = forms.BooleanField(label=_("Public to every signed-in user"), required=False)

    def __init__(self, *args: Any, region: YouthCareRegion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = Organisation.objects.filter(region=region)  # type: ignore[attr-defined]


class MemberForm(TextForm):
    email = forms.EmailField(label=_("E-mail address of the member in Rits"), max_length=254)
    role = forms.ChoiceField(label=_("Takes part as"), choices=Member.Role.choices)
    organisation = forms.ModelChoiceField(
        label=_("For organisation"), required=False, queryset=Organisation.objects.none()
    )

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = network.organisations.all()  # type: ignore[attr-defined]


class UpdateForm(TextModelForm):
    class Meta:
        model = ProgressUpdate
        fields = ["working_on", "went_well", "changed"]


class MeetingForm(TextModelForm):
    agenda = _lines(_("Agenda"), 200)

    class Meta:
        model = Meeting
        fields = ["title", "starts_at", "minutes_long", "location"]
        widgets = {"starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"})}


class CloseMeetingForm(TextForm):
    report = form_field(Meeting, "report")
    attended = forms.MultipleChoiceField(
        label=_("Who attended"), required=False, widget=forms.CheckboxSelectMultiple
    )
    action = forms.CharField(label=_("Agreed action"), required=False, max_length=300)
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    due_on = forms.DateField(
        label=_("Due on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    practices = forms.ModelMultipleChoiceField(
        label=_("Practices discussed"), required=False, queryset=Practice.objects.all()
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = [(str(m.pk), str(m)) for m in meeting.network.members.select_related("user")]
        self.fields["attended"].choices = members  # type: ignore[attr-defined]
        self.fields["owner"].choices = [("", "—"), *members]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") and not (data.get("owner") and data.get("due_on")):
            self.add_error("owner", _("An agreed action needs an owner and a due date."))
        return data


class MinutesForm(TextForm):
    text = forms.CharField(label=_("Minutes"), max_length=20000, widget=forms.Textarea)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class AmendmentForm(TextForm):
    text = forms.CharField(label=_("Your addition"), max_length=4000, widget=forms.Textarea)


class ImportForm(TextForm):
    file = forms.FileField(label=_("File (.json or .xlsx, at most 5 MB)"))
