"""The age rules for consent and the JIM applied to a plan; the ages themselves are
defined once, in ``rits.lib.ages``.

Under 12 the parents decide; from 12 to 15 the parents and the youth decide together;
from 16 the youth decides alone. A JIM is an adult chosen by the youth, and not a parent.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.utils import timezone

from rits.family_plans.models import Person, Plan
from rits.lib.ages import Stage, consent_stage, is_adult

__all__ = ["Stage"]


def stage(plan: Plan, day: date | None = None) -> Stage:
    """Whose consent counts for this plan now. An unknown age counts as under 12,
    so the parents are always asked."""
    return consent_stage(plan.youth.age(day))


def may_consent(plan: Plan, person: Person, day: date | None = None) -> bool:
    """Whether this person's consent is one of those the age rules ask for."""
    if person.family_id != plan.family_id:
        return False
    current = stage(plan, day)
    is_youth = person.pk == plan.youth_id
    is_parent = person.role == Person.Role.PARENT
    if current is Stage.PARENTS:
        return is_parent
    if current is Stage.TOGETHER:
        return is_parent or is_youth
    return is_youth


def consent_complete(plan: Plan, givers: Iterable[Person], day: date | None = None) -> bool:
    """Whether the consents given by ``givers`` are enough under the current age rules.

    From 12 to 15 one parent and the youth are needed; otherwise one parent, or the youth.
    """
    valid = [p for p in givers if may_consent(plan, p, day)]
    has_youth = any(p.pk == plan.youth_id for p in valid)
    has_parent = any(p.role == Person.Role.PARENT for p in valid)
    current = stage(plan, day)
    if current is Stage.PARENTS:
        return has_parent
    if current is Stage.TOGETHER:
        return has_parent and has_youth
    return has_youth


def jim_problem(plan: Plan, jim: Person, day: date | None = None) -> str:
    """Why this person cannot be the youth's JIM, or "" when they can."""
    from django.utils.translation import gettext as _

    if jim.role == Person.Role.PARENT:
        return _("A parent cannot be the JIM. Choose another adult.")
    if (
        jim.user_id is not None
        and Person.objects.filter(
            family_id=plan.family_id, user_id=jim.user_id, role=Person.Role.PARENT
        ).exists()
    ):
        return _("A parent cannot be the JIM. Choose another adult.")
    age = jim.age(day)
    if age is None:
        return _("Fill in the date of birth of the JIM: a JIM must be an adult.")
    if not is_adult(age):
        return _("A JIM must be 18 or older.")
    return ""


def transition_visible(plan: Plan, day: date | None = None) -> bool:
    """The transition part appears from 16½."""
    starts = plan.youth.transition_starts
    return starts is not None and (day or timezone.localdate()) >= starts
