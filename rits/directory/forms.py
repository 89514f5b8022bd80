"""Forms of the social map. Searching is a GET form, so results have a shareable URL."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rits.accounts.home_region import home_municipalities
from rits.accounts.models import Team
from rits.directory import public_holidays, reachability
from rits.directory.models import LANGUAGES, Location, Provider, Service, Theme
from rits.directory.search import MAX_QUERY_LENGTH
from rits.directory.services import (
    ClosureData,
    ContactData,
    LocationData,
    ServiceData,
    Slot,
)
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
    locations = forms.ModelMultipleChoiceField(
        label=_("Offered at these locations"),
        queryset=Location.objects.none(),
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
        self.fields["locations"].queryset = provider.locations.all()  # type: ignore[attr-defined]
        if self.instance.pk:
            self.fields["locations"].initial = [
                sal.location_id for sal in self.instance.at_locations.all()
            ]
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
            locations=list(c["locations"]) if "locations" in self.data else None,
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


# Keeping entries up (organisation editors and the functional admin).

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class SlotForm(TextForm):
    """One weekly slot; an empty row is left out."""

    weekday = forms.TypedChoiceField(label=_("Day"), choices=WEEKDAYS, coerce=int)
    opens_at = forms.TimeField(label=_("Opens"), widget=TimeInput)
    closes_at = forms.TimeField(label=_("Closes"), widget=TimeInput)
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=DateInput)
    valid_to = forms.DateField(label=_("Valid until"), required=False, widget=DateInput)

    def slot(self) -> Slot:
        c = self.cleaned_data
        return Slot(c["weekday"], c["opens_at"], c["closes_at"], c["valid_from"], c["valid_to"])


class ClosureForm(TextForm):
    starts_on = forms.DateField(label=_("Closed from"), widget=DateInput)
    ends_on = forms.DateField(label=_("Until and including"), widget=DateInput)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)
    alternative = forms.CharField(
        label=_("Instead, go to"),
        max_length=200,
        required=False,
        help_text=_("Another location or number, so nobody is left without help."),
    )

    def closure(self) -> ClosureData:
        c = self.cleaned_data
        return ClosureData(c["starts_on"], c["ends_on"], c["reason"], c["alternative"])


class _Rows(forms.BaseFormSet):  # type: ignore[type-arg]
    """Rows that were left empty or marked for removal are not part of the change."""

    def kept(self) -> list[Any]:
        return [
            f
            for f in self.forms
            if f.has_changed() and not (self.can_delete and f.cleaned_data.get("DELETE"))
        ]


SlotFormSet = forms.formset_factory(SlotForm, formset=_Rows, extra=3, can_delete=True, max_num=100)
ClosureFormSet = forms.formset_factory(
    ClosureForm, formset=_Rows, extra=2, can_delete=True, max_num=100
)


def slot_initial(hours: Any) -> list[dict[str, Any]]:
    return [
        {
            "weekday": h.weekday,
            "opens_at": h.opens_at,
            "closes_at": h.closes_at,
            "valid_from": h.valid_from,
            "valid_to": h.valid_to,
        }
        for h in hours
    ]


def closure_initial(closures: Any) -> list[dict[str, Any]]:
    return [
        {
            "starts_on": c.starts_on,
            "ends_on": c.ends_on,
            "reason": c.reason,
            "alternative": c.alternative,
        }
        for c in closures
    ]


class ContactForm(TextForm):
    name = forms.CharField(label=_("Name"), max_length=150)
    title = forms.CharField(label=_("Job title"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)

    def contact(self) -> ContactData:
        c = self.cleaned_data
        return ContactData(c["name"], c["title"], c["email"], c["phone"])


ContactFormSet = forms.formset_factory(
    ContactForm, formset=_Rows, extra=2, can_delete=True, max_num=50
)


class LocationForm(TextForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    address_1 = forms.CharField(label=_("Street and number"), max_length=200)
    postal_code = forms.CharField(label=_("Postcode"), max_length=7)
    city = forms.CharField(label=_("Place"), max_length=100)
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.none()
    )
    area = forms.ModelChoiceField(
        label=_("Wijk"), queryset=Area.objects.none(), required=False, empty_label=_("No wijk")
    )
    latitude = forms.FloatField(
        label=_("Latitude"),
        required=False,
        help_text=_("For the map, e.g. 50.8882 (north). Leave empty if you do not know."),
    )
    longitude = forms.FloatField(label=_("Longitude"), required=False, help_text=_("e.g. 5.9795"))

    def __init__(self, *args: Any, region_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        places = Municipality.objects.all()
        if region_id is not None:
            places = places.filter(region_id=region_id)
        self.fields["municipality"].queryset = places  # type: ignore[attr-defined]
        self.fields["area"].queryset = Area.objects.filter(  # type: ignore[attr-defined]
            municipality__in=places
        ).select_related("municipality")

    def location_data(self) -> LocationData:
        c = self.cleaned_data
        return LocationData(
            name=c["name"],
            address_1=c["address_1"],
            postal_code=c["postal_code"],
            city=c["city"],
            municipality=c["municipality"],
            latitude=c["latitude"],
            longitude=c["longitude"],
            area=c["area"],
        )


class CrisisLineForm(TextForm):
    name = forms.CharField(label=_("Name"), max_length=150)
    phone = forms.CharField(label=_("Phone"), max_length=30)
    closed_on_holidays = forms.MultipleChoiceField(
        label=_("Closed on these public holidays"),
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    accept_gaps = forms.BooleanField(
        label=_("Save anyway: I know that a municipality then has no number at these times"),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["closed_on_holidays"].choices = public_holidays.holiday_choices()  # type: ignore[attr-defined]


class ReportForm(TextForm):
    """Any signed-in user: this number is wrong."""

    suggested = forms.CharField(
        label=_("The right number, if you know it"), max_length=30, required=False
    )
    note = forms.CharField(
        label=_("What is wrong?"), max_length=500, required=False, widget=forms.Textarea
    )


class ResolveForm(TextForm):
    resolution = forms.CharField(label=_("What did you do?"), max_length=300, required=False)
    use_suggested = forms.BooleanField(label=_("Use the suggested number"), required=False)
