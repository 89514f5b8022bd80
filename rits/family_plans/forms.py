from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rits.family_plans.models import (
    Action,
    Comment,
    Consent,
    Decision,
    Domain,
    EmergencyAccess,
    Evaluation,
    Goal,
    Person,
    Plan,
    Position,
    Relationship,
    Score,
    TransitionItem,
    TransitionTopic,
)
from rits.lib.text import TextForm, TextModelForm, limit

# An action need not belong to a goal; say so instead of Django's "---------".
NO_GOAL = _("(no goal)")


class DateInput(forms.DateInput):
    input_type = "date"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"


class VersionedForm(TextModelForm):
    """Carries the version the person started from, so a later save can detect a clash."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class GoalForm(VersionedForm):
    class Meta:
        model = Goal
        fields = ["title", "domain", "description", "status"]
        # A goal is a sentence in the family's own words, not a one-word label.
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }


class NewGoalForm(TextForm):
    title = forms.CharField(
        label=_("Goal in your own words"),
        max_length=limit(Goal, "title"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: Every morning we have breakfast together."),
    )
    domain = forms.ChoiceField(label=_("Life domain"), choices=Domain.choices)
    description = forms.CharField(
        label=_("Explanation"),
        required=False,
        max_length=limit(Goal, "description"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ScoreForm(TextForm):
    score = forms.IntegerField(label=_("Score (0 to 10)"), min_value=0, max_value=10)
    note = forms.CharField(label=_("Note"), max_length=limit(Score, "note"), required=False)


class ActionForm(VersionedForm):
    class Meta:
        model = Action
        fields = ["what", "who", "due_date", "status", "goal"]
        widgets = {"due_date": DateInput}
        labels = {"goal": _("Goal")}  # the model field has no translated name

    def __init__(self, *args: Any, plan: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = plan.goals.all() if plan is not None else Goal.objects.none()  # type: ignore[attr-defined]
        self.fields["goal"].empty_label = NO_GOAL  # type: ignore[attr-defined]


class NewActionForm(TextForm):
    what = forms.CharField(label=_("What"), max_length=limit(Action, "what"))
    who = forms.CharField(label=_("Who"), max_length=limit(Action, "who"))
    due_date = forms.DateField(label=_("By when"), required=False, widget=DateInput)
    goal = forms.ModelChoiceField(
        label=_("Goal"), queryset=Goal.objects.none(), required=False, empty_label=NO_GOAL
    )

    def __init__(self, *args: Any, plan: Any = None, goals: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if plan is not None:
            self.fields["goal"].queryset = plan.goals.all()  # type: ignore[attr-defined]
        if goals is not None:
            # Choices from goals already loaded; validation still uses the queryset.
            self.fields["goal"].choices = [("", NO_GOAL)] + [  # type: ignore[attr-defined]
                (g.pk, g.title) for g in goals
            ]


class DecisionForm(VersionedForm):
    class Meta:
        model = Decision
        fields = ["title", "text", "grounds"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "grounds": forms.Textarea(attrs={"rows": 2}),
        }


class NewDecisionForm(TextForm):
    title = forms.CharField(label=_("Decision"), max_length=limit(Decision, "title"))
    text = forms.CharField(
        label=_("What was decided"),
        required=False,
        max_length=limit(Decision, "text"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    grounds = forms.CharField(
        label=_("Why"),
        required=False,
        max_length=limit(Decision, "grounds"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    ask = forms.MultipleChoiceField(
        label=_("Who must agree?"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, team: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ask"].choices = [(str(u.pk), u.full_name) for u in team]  # type: ignore[attr-defined]


class AnswerForm(TextForm):
    answer = forms.ChoiceField(
        label=_("Your answer"),
        choices=[("agree", _("I agree")), ("disagree", _("I disagree"))],
        widget=forms.RadioSelect,
    )
    grounds = forms.CharField(
        label=_("Why?"),
        required=False,
        max_length=limit(Position, "grounds"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class EvaluationForm(TextForm):
    starts_at = forms.DateTimeField(label=_("Date and time"), widget=DateTimeInput)
    minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=15, max_value=480, initial=60
    )
    location = forms.CharField(
        label=_("Place"), max_length=limit(Evaluation, "location"), required=False
    )


class CommentForm(TextForm):
    text = forms.CharField(
        label=_("Comment"),
        max_length=limit(Comment, "text"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class TransitionForm(TextForm):
    topic = forms.ChoiceField(choices=TransitionTopic.choices, widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    status = forms.ChoiceField(label=_("Status"), choices=TransitionItem.Status.choices)
    note = forms.CharField(
        label=_("What is arranged"),
        required=False,
        max_length=limit(TransitionItem, "note"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class StartPlanForm(TextForm):
    family_name = forms.CharField(label=_("Family name"), max_length=150)
    youth_name = forms.CharField(label=_("Name of the youth"), max_length=150)
    youth_birth = forms.DateField(label=_("Date of birth of the youth"), widget=DateInput)
    youth_bsn = forms.CharField(
        label=_("BSN of the youth (optional)"), max_length=9, required=False
    )
    parent_1 = forms.CharField(label=_("Parent or carer"), max_length=150, required=False)
    parent_2 = forms.CharField(label=_("Second parent or carer"), max_length=150, required=False)
    consent_in_person = forms.BooleanField(
        label=_("The family gave consent in person for me to start this plan."), required=False
    )


class OwnPlanForm(TextForm):
    """A family starts its own plan: for which youth."""

    youth = forms.ModelChoiceField(
        label=_("The plan is about"), queryset=Person.objects.none(), empty_label=None
    )

    def __init__(self, *args: Any, youths: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["youth"]
        field.queryset = Person.objects.filter(pk__in=[p.pk for p in youths])  # type: ignore[attr-defined]


class PersonForm(TextForm):
    role = forms.ChoiceField(
        label=_("Role"), choices=[c for c in Person.Role.choices if c[0] not in (Person.Role.JIM,)]
    )
    name = forms.CharField(label=_("Name"), max_length=150)
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput)
    email = forms.EmailField(label=_("E-mail (for an invitation)"), required=False)


class PersonEditForm(VersionedForm):
    """Someone's details. The youth of the plan and a JIM keep their role: the youth's
    decides the plan, a JIM's goes through the JIM and care-team flow."""

    class Meta:
        model = Person
        fields = ["name", "role", "date_of_birth", "email"]
        labels = {"role": _("Role in the family or network"), "email": _("E-mail address")}
        widgets = {"date_of_birth": DateInput(format="%Y-%m-%d")}

    def __init__(self, *args: Any, fixed_role: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role = self.fields["role"]
        current = self.instance.role if self.instance else ""
        role.choices = [  # type: ignore[attr-defined]
            c for c in Person.Role.choices if c[0] != Person.Role.JIM or current == Person.Role.JIM
        ]
        if fixed_role:
            role.disabled = True
            role.help_text = _("This role cannot be changed here.")


class NewRelationshipForm(TextForm):
    """A new line from one person to another: read it as a sentence, "Oma Truus supports
    Petra"."""

    kind = forms.ChoiceField(label=_("Kind of relationship"), choices=Relationship.Kind.choices)
    to_person = forms.ModelChoiceField(label=_("With whom"), queryset=Person.objects.none())
    strength = forms.TypedChoiceField(
        label=_("How strong is the bond?"),
        choices=Relationship.Strength.choices,
        coerce=int,
        initial=Relationship.Strength.NORMAL,
    )

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "new-line")
        super().__init__(*args, **kwargs)
        self.fields["to_person"].queryset = Person.objects.filter(  # type: ignore[attr-defined]
            family_id=person.family_id
        ).exclude(pk=person.pk)


class RelationshipForm(TextModelForm):
    """What kind of line, and how strong."""

    class Meta:
        model = Relationship
        fields = ["kind", "strength"]
        labels = {"kind": _("Kind of relationship"), "strength": _("How strong is the bond?")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        instance = kwargs.get("instance")
        if instance is not None:
            kwargs.setdefault("prefix", f"line-{instance.pk}")
        super().__init__(*args, **kwargs)


class JimForm(TextForm):
    name = forms.CharField(label=_("Name of your JIM"), max_length=150)
    date_of_birth = forms.DateField(label=_("Date of birth"), widget=DateInput)
    email = forms.EmailField(label=_("E-mail address"))


class MemberForm(TextForm):
    email = forms.EmailField(label=_("E-mail address of the professional"))
    title = forms.CharField(label=_("Role in the team"), max_length=100, required=False)


class ConsentForm(TextForm):
    purpose = forms.ChoiceField(label=_("For"), choices=Consent.Purpose.choices)
    on_behalf_of = forms.ModelChoiceField(
        label=_("Given in person by"), queryset=Person.objects.none(), required=False
    )

    def __init__(self, *args: Any, plan: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if plan is not None:
            self.fields["on_behalf_of"].queryset = plan.family.persons.filter(  # type: ignore[attr-defined]
                role__in=[Person.Role.PARENT, Person.Role.YOUTH]
            )


class CoordinatorForm(TextForm):
    user = forms.ChoiceField(label=_("Coordinator"))

    def __init__(self, *args: Any, team: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [(str(u.pk), u.full_name) for u in team]  # type: ignore[attr-defined]


class CloseForm(TextForm):
    reason = forms.CharField(
        label=_("Why is the plan closed?"),
        max_length=limit(Plan, "close_reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class InvitationAddressForm(TextForm):
    """The first step of an invitation: the address it went to, typed by the recipient."""

    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("The address the invitation was sent to. We send a code there."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


class InvitationForm(TextForm):
    """The second step: the code from the e-mail and a password of one's own."""

    code = forms.RegexField(
        label=_("Code from the e-mail"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("The code has 6 digits.")},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "size": 8}
        ),
    )
    password = forms.CharField(
        label=_("Choose a password"), widget=forms.PasswordInput, min_length=12
    )
    password_again = forms.CharField(label=_("Password again"), widget=forms.PasswordInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") != data.get("password_again"):
            raise forms.ValidationError(_("The two passwords are not the same."))
        return data


class EmergencyForm(TextForm):
    plan_id = forms.IntegerField(label=_("Plan number"), min_value=1, max_value=2**63 - 1)
    reason_class = forms.ChoiceField(
        label=_("Kind of emergency"),
        choices=EmergencyAccess.ReasonClass.choices,
        help_text=_("A closed plan can only be opened when there is acute danger."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        min_length=20,
        max_length=limit(EmergencyAccess, "reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
