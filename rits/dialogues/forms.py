from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rits.accounts.models import Organisation, User
from rits.dialogues.models import (
    Code,
    DialogueTable,
    Finding,
    ImprovementAction,
    Kind,
    Participant,
    Theme,
    Trajectory,
    TrajectoryConsent,
)
from rits.lib.text import TextForm
from rits.lib.widgets import DateInput
from rits.regions.models import Municipality


def set_queryset(form: forms.Form, name: str, queryset: Any) -> None:
    """The choices of a model choice field, narrowed to what this user may choose."""
    field: Any = form.fields[name]
    field.queryset = queryset


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class UserByEmailField(forms.EmailField):
    """Someone with an account in Rits, by e-mail address."""

    def clean(self, value: Any) -> User | None:  # type: ignore[override]
        address = super().clean(value)
        if not address:
            return None
        user = User.objects.filter(email__iexact=address, is_active=True).first()
        if user is None:
            raise forms.ValidationError(
                _("Nobody with this e-mail address has an account in Rits.")
            )
        return user


class ProposeForm(TextForm):
    plan = forms.TypedChoiceField(label=_("Closed family plan"), coerce=int)
    title = forms.CharField(
        label=_("Short description (no names)"),
        max_length=200,
        help_text=_("For example: “School absence, 14 years, 2025”."),
    )

    def __init__(self, *args: Any, plans: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan"].choices = plans  # type: ignore[attr-defined]


class TrajectoryForm(TextForm):
    title = forms.CharField(label=_("Short description (no names)"), max_length=200)
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.none(), required=False
    )
    youth_age = forms.IntegerField(
        label=_("Age of the youth"), min_value=0, max_value=27, required=False
    )
    started_on = forms.DateField(label=_("Help started"), widget=DateInput, required=False)
    ended_on = forms.DateField(label=_("Help ended"), widget=DateInput, required=False)
    summary = forms.CharField(
        label=_("What happened, in order"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    names = forms.CharField(
        label=_("Names that occur in the text"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One per line, with the role after a colon, e.g. “Sanne: moeder”. Rits replaces "
            "them by the role and does not keep the names."
        ),
    )

    def __init__(self, *args: Any, region_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "municipality", Municipality.objects.filter(region_id=region_id))

    def clean_names(self) -> list[tuple[str, str]]:
        pairs = []
        for line in self.cleaned_data["names"].splitlines():
            name, _sep, role = line.partition(":")
            if name.strip():
                pairs.append((name.strip(), role.strip()))
        return pairs


class TableForm(TextForm):
    kind = forms.ChoiceField(label=_("Kind of table"), choices=DialogueTable.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    theme = forms.CharField(label=_("Theme (cross-case tables)"), max_length=200, required=False)
    trajectories = forms.ModelMultipleChoiceField(
        label=_("Trajectories"),
        queryset=Trajectory.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    starts_at = forms.DateTimeField(label=_("Date and time"), widget=DateTimeInput, required=False)
    location = forms.CharField(label=_("Place"), max_length=200, required=False)

    def __init__(self, *args: Any, trajectories: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "trajectories", trajectories)
        self.fields["trajectories"].label_from_instance = lambda t: (  # type: ignore[attr-defined]
            f"{t.title} ({t.get_source_display().lower()})"
        )


class ConsentForm(TextForm):
    """For the facilitator: consent given on paper for a trajectory entered by hand."""

    giver = forms.ChoiceField(label=_("Given by"), choices=TrajectoryConsent.Giver.choices)


class InviteForm(TextForm):
    email = UserByEmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role at the table"), choices=Participant.Role.choices)
    label = forms.CharField(
        label=_("Named in the account as"),
        max_length=100,
        required=False,
        help_text=_("A role, never a name: “moeder”, “hulpverlener gebiedsteam”."),
    )


class AnswerForm(TextForm):
    answer = forms.ChoiceField(
        label=_("Your answer"),
        choices=[
            (Participant.Answer.ACCEPTED, _("I will come")),
            (Participant.Answer.DECLINED, _("I will not come")),
        ],
    )


class AccountForm(TextForm):
    text = forms.CharField(
        label=_("Account"), max_length=60000, widget=forms.Textarea(attrs={"rows": 20})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class HeldForm(TextForm):
    held_on = forms.DateField(label=_("Held on"), widget=DateInput)


class CodeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Code) -> str:  # type: ignore[override]
        return f"{obj.theme.name} — {obj.name} ({obj.get_kind_display().lower()})"


def code_field(region_id: int) -> CodeChoiceField:
    return CodeChoiceField(
        label=_("Codes"),
        queryset=Code.objects.filter(region_id=region_id, status=Code.Status.ACTIVE).select_related(
            "theme"
        ),
        widget=forms.CheckboxSelectMultiple,
    )


class FindingForm(TextForm):
    text = forms.CharField(
        label=_("Finding"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    phase = forms.ChoiceField(label=_("Phase of the trajectory"), choices=Finding.Phase.choices)
    view = forms.ChoiceField(label=_("Whose view"), choices=Finding.View.choices)

    def __init__(self, *args: Any, region_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["codes"] = code_field(region_id)


class SecondCodingForm(TextForm):
    def __init__(self, *args: Any, region_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["codes"] = code_field(region_id)


class ActionForm(TextForm):
    what = forms.CharField(label=_("What will change"), max_length=300)
    owner_organisation = forms.ModelChoiceField(
        label=_("Owner (organisation)"), queryset=Organisation.objects.none()
    )
    owner = UserByEmailField(label=_("Owner (e-mail address of a person there)"))
    due_date = forms.DateField(label=_("Due date"), widget=DateInput)

    def __init__(self, *args: Any, region_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "owner_organisation", Organisation.objects.filter(region_id=region_id))


class ActionUpdateForm(TextForm):
    status = forms.ChoiceField(label=_("Status"), choices=ImprovementAction.Status.choices)
    note = forms.CharField(
        label=_("Note"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    result = forms.CharField(
        label=_("Result (when you close it)"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CodeForm(TextForm):
    theme = forms.ModelChoiceField(label=_("Theme"), queryset=Theme.objects.none())
    name = forms.CharField(label=_("Name"), max_length=150)
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    definition = forms.CharField(
        label=_("Definition"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    example = forms.CharField(
        label=_("Example"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, region_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "theme", Theme.objects.filter(region_id=region_id))


class CodeChangeForm(TextForm):
    name = forms.CharField(label=_("Name"), max_length=150)
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    definition = forms.CharField(
        label=_("Definition"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    example = forms.CharField(
        label=_("Example"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class MergeForm(TextForm):
    into = forms.ModelChoiceField(label=_("Merge into"), queryset=Code.objects.none())

    def __init__(self, *args: Any, code: Code, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        others = Code.objects.filter(region_id=code.region_id, status=Code.Status.ACTIVE)
        set_queryset(self, "into", others.exclude(pk=code.pk))


class ImportForm(TextForm):
    file = forms.FileField(label=_("REFI-QDA codebook (.qdc)"))


class PeriodForm(TextForm):
    start = forms.DateField(label=_("From"), widget=DateInput, required=False)
    end = forms.DateField(label=_("Until"), widget=DateInput, required=False)
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.none(), required=False
    )
    mine = forms.BooleanField(label=_("Only my own tables"), required=False)

    def __init__(self, *args: Any, region_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "municipality", Municipality.objects.filter(region_id=region_id))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("The end of the period is before its start."))
        return data
