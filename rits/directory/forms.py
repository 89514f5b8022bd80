"""Forms of the social map. Searching is a GET form, so results have a shareable URL."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rits.accounts.home_region import home_municipalities
from rits.accounts.models import Team
from rits.directory import reachability
from rits.directory.models import LANGUAGES, Provider, Service, Theme
from rits.directory.search import MAX_QUERY_LENGTH
from rits.directory.services import ServiceData
from rits.lib.text import TextForm, TextModelForm
from rits.lib.widgets import DateInput, TimeInput
from rits.regions.forms import MunicipalityField
from rits.regions.models import Area, Municipality


class SearchForm(TextForm):
    q = forms.CharField(
        label=_("What are you looking for?"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. autism 14 years")}),
    )
    gemeente = MunicipalityField(
        label=_("Municipality"),
        required=False,
        help_text=_("Empty: all municipalities. Type a name or a CBS code."),
    )
    wijk = forms.ModelChoiceField(
        label=_("Wijk"),
        queryset=Area.objects.select_related("municipality"),
        required=False,
        empty_label=_("All wijken"),
    )
    leeftijd = forms.IntegerField(label=_("Age"), required=False, min_value=0, max_value=120)
    thema = forms.ModelChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("All themes"),
    )
    taal = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("Any language")), *LANGUAGES]
    )
    wachttijd = forms.IntegerField(
        label=_("Waiting time at most (weeks)"), required=False, min_value=0, max_value=104
    )
    nu_open = forms.BooleanField(label=_("Open now"), required=False)
    pagina = forms.IntegerField(
        required=False, min_value=1, max_value=500, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["gemeente"].offer(home_municipalities(user))  # type: ignore[attr-defined]


class ServiceForm(TextModelForm):
    """An editor's form for one service; saving goes through ``services``."""

    languages_list = forms.MultipleChoiceField(
        label=_("Languages"), choices=LANGUAGES, widget=forms.CheckboxSelectMultiple, initial=["nl"]
    )
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Municipalities where it is offered"),
        queryset=Municipality.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    url = forms.URLField(label=_("web page"), required=False, assume_scheme="https")
    wijken = forms.ModelMultipleChoiceField(
        label=_("Or only in these wijken"),
        queryset=Area.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Service
        fields = [
            "name",
            "description",
            "status",
            "themes",
            "minimum_age",
            "maximum_age",
            "eligibility_description",
            "fees_description",
            "application_process",
            "url",
            "email",
            "wait_weeks",
            "open_on_public_holidays",
        ]
        widgets = {"themes": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, provider: Provider, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region_id = provider.organisation.region_id if provider.organisation else None
        places = Municipality.objects.all()
        if region_id is not None:
            places = places.filter(region_id=region_id)
        self.fields["municipalities"].queryset = places  # type: ignore[attr-defined]
        self.fields["wijken"].queryset = Area.objects.filter(  # type: ignore[attr-defined]
            municipality__in=places
        ).select_related("municipality")
        if self.instance.pk:
            self.fields["languages_list"].initial = self.instance.language_codes
            self.fields["municipalities"].initial = [
                a.municipality_id for a in self.instance.areas.all() if a.area_id is None
            ]
            self.fields["wijken"].initial = [
                a.area_id for a in self.instance.areas.all() if a.area_id is not None
            ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        low, high = cleaned.get("minimum_age"), cleaned.get("maximum_age")
        if low is not None and high is not None and low > high:
            self.add_error("maximum_age", _("The maximum age is lower than the minimum age."))
        return cleaned

    def service_data(self) -> ServiceData:
        c = self.cleaned_data
        return ServiceData(
            name=c["name"],
            description=c["description"],
            status=c["status"],
            themes=list(c["themes"]),
            minimum_age=c["minimum_age"],
            maximum_age=c["maximum_age"],
            eligibility_description=c["eligibility_description"],
            languages=c["languages_list"],
            fees_description=c["fees_description"],
            application_process=c["application_process"],
            url=c["url"],
            email=c["email"],
            wait_weeks=c["wait_weeks"],
            open_on_public_holidays=c["open_on_public_holidays"],
            municipalities=list(c["municipalities"]),
            areas=list(c["wijken"]),
        )

    def _post_clean(self) -> None:
        # Model validation runs in the service, on the whole change.
        return None


class WaitTimeForm(TextForm):
    wait_weeks = forms.IntegerField(label=_("Waiting time now (weeks)"), min_value=0, max_value=104)


class CsvImportForm(TextForm):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8, separated by ; or ,. The first row names the columns."),
    )


class CrisisForm(TextForm):
    """Which municipality, and optionally another moment than now (local time)."""

    gemeente = MunicipalityField(label=_("Your municipality"))
    datum = forms.DateField(label=_("Date"), required=False, widget=DateInput)
    tijd = forms.TimeField(label=_("Time"), required=False, widget=TimeInput)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["gemeente"].offer(home_municipalities(user))  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        day, moment = cleaned.get("datum"), cleaned.get("tijd")
        if day is not None and moment is None and "tijd" not in self.errors:
            self.add_error("tijd", _("Fill in a time as well, or leave the date empty."))
        return cleaned

    def moment(self, now: datetime) -> reachability.Moment:
        """The moment asked about: now, or the date (default today) and time given."""
        clock = self.cleaned_data.get("tijd")
        if clock is None:
            return reachability.Moment(now)
        day = self.cleaned_data.get("datum") or reachability.local(now).date()
        return reachability.moment_from_wall_clock(datetime.combine(day, clock))


class ProfessionalSearchForm(TextForm):
    thema = forms.ModelChoiceField(
        label=_("Expertise"),
        queryset=Theme.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("All themes"),
    )
    gemeente = MunicipalityField(
        label=_("Works in"),
        required=False,
        help_text=_("Empty: all municipalities. Type a name or a CBS code."),
    )
    taal = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("Any language")), *LANGUAGES]
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["gemeente"].offer(home_municipalities(user))  # type: ignore[attr-defined]


class ProfileForm(TextForm):
    """A professional's own profile on "Who do I need?"."""

    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)
    expertise = forms.ModelMultipleChoiceField(
        label=_("Expertise"),
        queryset=Theme.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    expertise_note = forms.CharField(
        label=_("Expertise in your own words"), max_length=300, required=False
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=LANGUAGES, widget=forms.CheckboxSelectMultiple
    )
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Works in"),
        queryset=Municipality.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    phone = forms.CharField(label=_("Work phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("Work e-mail"), required=False)
    reachable = forms.CharField(label=_("When and how to reach me"), max_length=200, required=False)
    published = forms.BooleanField(label=_("Visible to colleagues"), required=False, initial=True)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        memberships = user.memberships.filter(active=True)
        self.fields["team"].queryset = Team.objects.filter(  # type: ignore[attr-defined]
            memberships__in=memberships
        ).distinct()
        regions = memberships.values("organisation__region")
        self.fields["municipalities"].queryset = Municipality.objects.filter(  # type: ignore[attr-defined]
            region__in=regions
        )
