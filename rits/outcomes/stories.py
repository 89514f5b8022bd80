"""Success stories: written, consented to under the age rules, reviewed, published.

Steps, in this order, each audited:

1. someone who may read the family plan (the family or its care team) writes what
   worked (``write_story``);
2. the family consents, as the age rules say (``give_consent``; under 12 a parent, from
   12 to 15 a parent and the youth, from 16 the youth), and may withdraw at any time
   (``withdraw_consent``), which unpublishes the story at once;
3. a reviewer (policy staff of the municipality, or the region's functional admin)
   writes the public version without names or identifying details (``review_story``):
   a version that still names someone of the family is refused.

A story is public when it is reviewed and the consents given and not withdrawn are
enough under the age rules on the day it is read.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from rits.accounts.models import Membership, User
from rits.audit.models import Entry
from rits.audit.services import record
from rits.family_plans import rules
from rits.family_plans.models import Person, Plan
from rits.outcomes.models import Story, StoryConsent

Role = Membership.Role


def write_story(plan: Plan, *, actor: User, title: str, text: str) -> Story:
    """The plan comes through ``family_plans.permissions.get_plan_for_user``."""
    if plan.family.municipality_id is None:
        raise ValidationError(_("This family has no municipality, so the story has no place."))
    with transaction.atomic():
        story = Story.objects.create(
            plan=plan,
            municipality_id=plan.family.municipality_id,
            title=title,
            text=text,
            written_by=actor,
        )
        record(
            actor,
            "outcomes.story_written",
            story,
            subject=plan.youth.reference,
            purpose=Entry.Purpose.CARE,
        )
    return story


def own_person(story: Story, user: User) -> Person | None:
    """The user's place in the story's family (a parent or the youth), if any."""
    return Person.objects.filter(
        family_id=story.plan.family_id,
        user=user,
        role__in=(Person.Role.PARENT, Person.Role.YOUTH),
    ).first()


def may_consent(story: Story, user: User) -> bool:
    person = own_person(story, user)
    return person is not None and rules.may_consent(story.plan, person)


def give_consent(story: Story, *, actor: User) -> StoryConsent:
    person = own_person(story, actor)
    if person is None or not rules.may_consent(story.plan, person):
        raise ValidationError(_("Under the age rules, your consent is not the one asked for."))
    with transaction.atomic():
        consent = StoryConsent.objects.filter(
            story=story, person=person, withdrawn_at__isnull=True
        ).first() or StoryConsent.objects.create(story=story, person=person)
        record(
            actor,
            "outcomes.story_consent_given",
            story,
            subject=story.plan.youth.reference,
            purpose=Entry.Purpose.RIGHTS,
        )
    return consent


def withdraw_consent(story: Story, *, actor: User) -> int:
    """Withdraw the actor's consent; the story is no longer public from this moment."""
    person = own_person(story, actor)
    if person is None:
        raise ValidationError(_("Only the family can withdraw its consent."))
    with transaction.atomic():
        count = StoryConsent.objects.filter(
            story=story, person=person, withdrawn_at__isnull=True
        ).update(withdrawn_at=timezone.now())
        record(
            actor,
            "outcomes.story_consent_withdrawn",
            story,
            subject=story.plan.youth.reference,
            purpose=Entry.Purpose.RIGHTS,
        )
    return count


def may_review(story: Story, user: User) -> bool:
    municipality = story.municipality
    return (
        Membership.objects.filter(user=user, active=True)
        .filter(
            role__in=(Role.MUNICIPALITY_STAFF, Role.MUNICIPAL_COORDINATOR),
            organisation__municipality=municipality,
        )
        .exists()
        or Membership.objects.filter(
            user=user,
            active=True,
            role=Role.FUNCTIONAL_ADMIN,
            organisation__region_id=municipality.region_id,
        ).exists()
    )


def names_in(story: Story, text: str) -> list[str]:
    """The names of the family's people (and their parts) that the text still holds."""
    names = Person.objects.filter(family_id=story.plan.family_id).values_list("name", flat=True)
    found = []
    for name in names:
        for part in {name, *name.split()}:
            if len(part) >= 3 and re.search(rf"\b{re.escape(part)}\b", text, re.IGNORECASE):
                found.append(part)
    return sorted(set(found))


def review_story(story: Story, *, actor: User, title: str, text: str) -> Story:
    named = names_in(story, f"{title}\n{text}")
    if named:
        raise ValidationError(
            _("The public version still names someone of the family: %(names)s.")
            % {"names": ", ".join(named)}
        )
    with transaction.atomic():
        story.public_title = title
        story.public_text = text
        story.reviewed_by = actor
        story.reviewed_at = timezone.now()
        story.save(update_fields=["public_title", "public_text", "reviewed_by", "reviewed_at"])
        record(
            actor,
            "outcomes.story_reviewed",
            story,
            subject=story.plan.youth.reference,
            purpose=Entry.Purpose.ACCOUNTABILITY,
        )
    return story


def is_published(story: Story) -> bool:
    if story.reviewed_at is None:
        return False
    givers = [
        c.person for c in story.consents.filter(withdrawn_at__isnull=True).select_related("person")
    ]
    return rules.consent_complete(story.plan, givers)


def published_stories(municipality_ids: list[int]) -> list[Story]:
    """The public stories of these municipalities, decided on every read."""
    candidates: QuerySet[Story] = (
        Story.objects.filter(municipality_id__in=municipality_ids, reviewed_at__isnull=False)
        .select_related("plan__youth", "municipality")
        .order_by("-reviewed_at")[:50]
    )
    return [s for s in candidates if is_published(s)]


def get_story_for_user(user: User, story_id: int) -> Story:
    """Visible to whoever may read its family plan, and to its reviewers; else 404."""
    story = get_object_or_404(Story.objects.select_related("plan", "municipality"), pk=story_id)
    if may_review(story, user):
        return story
    if Plan.objects.visible_to(user).filter(pk=story.plan_id).exists():
        return story
    raise Http404
