from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from rits.accounts.home_region import home_municipalities
from rits.accounts.models import Organisation, User
from rits.involvement.models import Signal
from rits.involvement.schemas import RIGHTS_NOTE_LENGTH
from rits.involvement.services import SignalInput, default_duration_days, max_end_date
from rits.lib.text import TextForm
from rits.regions.forms import MunicipalityField
from rits.regions.models import Municipality


class NoEchoInput(forms.TextInput):
    """A text input that never renders its value back: a form shown again after an
    error asks for the BSN anew instead of repeating it in the page."""

    def format_value(self, value: Any) -> None:
        return None


def _bsn_field(label: Any, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=12,
        widget=NoEchoInput(
            attrs={"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )


class DateInput(forms.DateInput):
    """A native date picker, which only accepts ISO dates."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class SignalForm(TextForm):
    bsn = _bsn_field(_("BSN of the youth"))
    birth_date = forms.DateField(label=_("Date of birth"), widget=DateInput)
    municipality = forms.ModelChoiceField(
        label=_("Municipality where the youth lives"), queryset=Municipality.objects.none()
    )
    parent1_bsn = _bsn_field(_("BSN of a parent (optional, for family matches)"), required=False)
    parent2_bsn = _bsn_field(_("BSN of the other parent (optional)"), required=False)
    organisation = forms.ModelChoiceField(
        label=_("Registering for"), queryset=Organisation.objects.none()
    )
    ends_on = forms.DateField(
        label=_("Registration ends on"),
        widget=DateInput,
        help_text=_("At most 2 years from today."),
    )
    youth_informed = forms.BooleanField(
        label=_("The youth (12 or older) has been informed"), required=False
    )
    parents_informed = forms.BooleanField(
        label=_("The parents (youth under 16) have been informed"), required=False
    )
    informing_postponed = forms.ChoiceField(
        label=_("Informing is postponed because"),
        choices=[("", _("Not postponed")), *Signal.Postponed.choices],
        required=False,
    )
    contact_name = forms.CharField(label=_("Your name"), max_length=150)
    contact_phone = forms.CharField(label=_("Your phone number"), max_length=30, required=False)
    contact_email = forms.EmailField(label=_("Your e-mail address"))
    own_reference = forms.CharField(
        label=_("Your own reference (optional)"),
        max_length=40,
        required=False,
        help_text=_("Shown only to you. Never a BSN."),
    )

    def __init__(self, *args: Any, user: User, organisations: list[Organisation], **kw: Any):
        today = timezone.localdate()
        kw.setdefault(
            "initial",
            {
                "contact_name": user.full_name,
                "contact_phone": user.phone,
                "contact_email": user.email,
                "ends_on": today + timedelta(days=default_duration_days()),
                "organisation": organisations[0].pk if len(organisations) == 1 else None,
            },
        )
        super().__init__(*args, **kw)
        regions = {o.region_id for o in organisations}
        self.fields["municipality"].queryset = Municipality.objects.filter(region_id__in=regions)  # type: ignore[attr-defined]
        self.fields["organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            pk__in=[o.pk for o in organisations]
        )
        self.fields["ends_on"].widget.attrs["max"] = max_end_date(today).isoformat()

    def to_input(self) -> SignalInput:
        data = self.cleaned_data
        return SignalInput(
            bsn=data["bsn"],
            birth_date=data["birth_date"],
            municipality=data["municipality"],
            parent_bsns=[p for p in (data.get("parent1_bsn"), data.get("parent2_bsn")) if p],
            ends_on=data["ends_on"],
            youth_informed=data["youth_informed"],
            parents_informed=data["parents_informed"],
            informing_postponed=data["informing_postponed"],
            contact_name=data["contact_name"],
            contact_phone=data["contact_phone"],
            contact_email=data["contact_email"],
            own_reference=data["own_reference"],
        )


class CoordinatorForm(TextForm):
    coordinator = forms.ModelChoiceField(
        label=pgettext_lazy("involvement", "Who coordinates (regievoerder)?"),
        queryset=Signal.objects.none(),
    )

    def __init__(self, *args: Any, signals: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        field = self.fields["coordinator"]
        field.queryset = signals  # type: ignore[attr-defined]
        field.label_from_instance = lambda s: f"{s.contact_name} ({s.organisation.name})"  # type: ignore[attr-defined]


class RightsLookupForm(TextForm):
    bsn = _bsn_field(_("BSN of the youth or parent"))


class CorrectionForm(TextForm):
    birth_date = forms.DateField(label=_("Correct date of birth"), widget=DateInput, required=False)
    # Typed, with the coordinator's region offered: not a list of all 342 per signal.
    municipality = MunicipalityField(label=_("Correct municipality"), required=False)
    note = forms.CharField(
        label=_("Note (what was asked)"),
        max_length=RIGHTS_NOTE_LENGTH,
        required=False,
        widget=forms.Textarea,
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].offer(home_municipalities(user))  # type: ignore[attr-defined]


class ObjectionForm(TextForm):
    note = forms.CharField(
        label=_("Note (why the objection is upheld)"),
        max_length=RIGHTS_NOTE_LENGTH,
        required=False,
        widget=forms.Textarea,
    )


class ImportForm(TextForm):
    file = forms.FileField(label=_("File (.csv or .jsonl)"))
    organisation = forms.ModelChoiceField(
        label=_("Registering for"), queryset=Organisation.objects.none()
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kw: Any) -> None:
        if len(organisations) == 1:
            kw.setdefault("initial", {"organisation": organisations[0].pk})
        super().__init__(*args, **kw)
        self.fields["organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            pk__in=[o.pk for o in organisations]
        )


class MatchPlanForm(TextForm):
    """Starting a family plan from a match: the family's names and the consent they gave
    in person; the youth is known to the index already (no BSN asked again)."""

    family_name = forms.CharField(label=_("Family name"), max_length=150)
    youth_name = forms.CharField(label=_("Name of the youth"), max_length=150)
    youth_birth = forms.DateField(
        label=_("Date of birth of the youth"), widget=forms.DateInput(attrs={"type": "date"})
    )
    parent_1 = forms.CharField(label=_("Parent or carer"), max_length=150, required=False)
    parent_2 = forms.CharField(label=_("Second parent or carer"), max_length=150, required=False)
    consent_in_person = forms.BooleanField(
        label=_("The family gave consent in person for me to start this plan."), required=False
    )
