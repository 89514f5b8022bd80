"""The knowledge hub: practices with the context they need, where they run, whether
they fit here, and the region's glossary.

A practice follows the structure of the Dutch recognition system for youth
interventions (NJi's Databank Effectieve Jeugdinterventies and its worksheet) and holds
local practice too. Nothing here refers to a family, a person in care or a plan: the
hub holds what works, never whom it was done with.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from rits.accounts.models import Membership, Organisation, Team
from rits.directory.models import Service, Theme
from rits.regions.models import Municipality, YouthCareRegion

if TYPE_CHECKING:
    from rits.accounts.models import User

MAX_AGE = 120
# The roles that keep the hub: organisation editors (redacteuren), learning-network
# facilitators and the region's functional admin.
EDITOR_ROLES = (
    Membership.Role.ORGANISATION_ADMIN,
    Membership.Role.FACILITATOR,
    Membership.Role.FUNCTIONAL_ADMIN,
)


class Evidence(models.TextChoices):
    """Recognition levels of the Databank Effectieve Jeugdinterventies, and local practice."""

    WELL_DESCRIBED = "well_described", _("Well described")
    WELL_FOUNDED = "well_founded", _("Well founded in theory")
    EFFECTIVE = "effective", _("Effective")
    LOCAL = "local", _("Local practice, not assessed")


class PracticeQuerySet(models.QuerySet["Practice"]):
    def visible_to(self, user: User | None) -> PracticeQuerySet:
        """Every signed-in user reads every practice; anyone else only the public ones."""
        if user is not None and user.is_authenticated:
            return self
        return self.filter(is_public=True)


class Practice(models.Model):
    """A way of working worth sharing (werkwijze, interventie, lokale praktijk)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    summary = models.TextField(_("summary"), max_length=1200)
    problem = models.TextField(_("the problem it addresses"), max_length=4000)
    why_it_works = models.TextField(_("why it works"), max_length=4000, blank=True)
    minimum_age = models.PositiveSmallIntegerField(
        _("minimum age"), null=True, blank=True, validators=[MaxValueValidator(MAX_AGE)]
    )
    maximum_age = models.PositiveSmallIntegerField(
        _("maximum age"), null=True, blank=True, validators=[MaxValueValidator(MAX_AGE)]
    )
    target_group = models.CharField(_("target group"), max_length=300, blank=True)
    themes = models.ManyToManyField(
        Theme, related_name="practices", blank=True, verbose_name=_("themes")
    )
    goals = models.TextField(_("goals"), max_length=4000, blank=True)
    approach = models.TextField(_("approach"), max_length=8000, blank=True)
    needs_people = models.TextField(_("people and expertise"), max_length=2000, blank=True)
    needs_training = models.TextField(_("training"), max_length=2000, blank=True)
    needs_time = models.TextField(_("time"), max_length=2000, blank=True)
    needs_money = models.TextField(_("money"), max_length=2000, blank=True)
    needs_materials = models.TextField(_("materials"), max_length=2000, blank=True)
    evidence = models.CharField(
        _("evidence"), max_length=20, choices=Evidence, default=Evidence.LOCAL
    )
    evidence_source = models.CharField(_("source of the assessment"), max_length=300, blank=True)
    evidence_valid_until = models.DateField(_("assessment valid until"), null=True, blank=True)
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="practices_owned",
        verbose_name=_("owner"),
    )
    owner_name = models.CharField(_("owner (outside Rits)"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    website = models.URLField(_("website"), blank=True)
    is_public = models.BooleanField(_("public (readable without logging in)"), default=False)
    services = models.ManyToManyField(
        Service, related_name="practices", blank=True, verbose_name=_("services on the social map")
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = PracticeQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("practice")
        verbose_name_plural = _("practices")
        constraints = [
            models.CheckConstraint(
                condition=Q(evidence="local")
                | (~Q(evidence_source="") & Q(evidence_valid_until__isnull=False)),
                name="practice_assessed_has_source",
            ),
            models.CheckConstraint(
                condition=Q(minimum_age__isnull=True)
                | Q(maximum_age__isnull=True)
                | Q(minimum_age__lte=models.F("maximum_age")),
                name="practice_age_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.evidence != Evidence.LOCAL:
            if not self.evidence_source.strip():
                errors["evidence_source"] = str(
                    _("An assessed practice needs the source of its assessment.")
                )
            if self.evidence_valid_until is None:
                errors["evidence_valid_until"] = str(
                    _("An assessed practice needs the date its assessment is valid until.")
                )
        if (
            self.minimum_age is not None
            and self.maximum_age is not None
            and self.minimum_age > self.maximum_age
        ):
            errors["maximum_age"] = str(_("The maximum age is below the minimum age."))
        if errors:
            raise ValidationError(errors)

    @property
    def evidence_expired(self) -> bool:
        """An assessment past its date is shown as expired, not hidden."""
        return (
            self.evidence != Evidence.LOCAL
            and self.evidence_valid_until is not None
            and self.evidence_valid_until < timezone.localdate()
        )

    @property
    def owner_label(self) -> str:
        return self.owner.name if self.owner_id and self.owner else self.owner_name

    def ages_label(self) -> str:
        low, high = self.minimum_age, self.maximum_age
        if low is None and high is None:
            return ""
        if high is None:
            return str(_("from %(low)s years") % {"low": low})
        return str(_("%(low)s to %(high)s years") % {"low": low or 0, "high": high})


class Element(models.Model):
    """A core element (what must stay as it is) or a part a region may adapt."""

    class Kind(models.TextChoices):
        CORE = "core", _("Core element")
        ADAPTABLE = "adaptable", _("May be adapted")

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="elements")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    text = models.CharField(_("text"), max_length=500)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["kind", "position", "pk"]

    def __str__(self) -> str:
        return self.text


class Condition(models.Model):
    """What a practice needs to work in a place, asked in the fit check ("does it fit here?")."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="conditions")
    text = models.CharField(_("condition"), max_length=300)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class PracticeCode(models.Model):
    """A dialogue-table code (success factor, bottleneck, improvement) that the practice
    answers. The code lives in the dialogues app, which is read through
    ``rits.knowledge.seams``; here only its stable guid is kept, no foreign key."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="codes")
    code_guid = models.UUIDField(_("code"), db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["practice", "code_guid"], name="practice_code_once")
        ]

    def __str__(self) -> str:
        return str(self.code_guid)


class Use(models.Model):
    """Where a practice runs: a region, optionally one municipality and organisation in it."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="uses")
    region = models.ForeignKey(
        YouthCareRegion, on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    since = models.DateField(_("runs since"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["region__name", "pk"]
        constraints = [
            # Once per place; "no municipality" and "no organisation" count as one place.
            models.UniqueConstraint(
                F("practice"),
                F("region"),
                Coalesce("municipality", Value(0)),
                Coalesce("organisation", Value(0)),
                name="practice_use_once",
            )
        ]

    def __str__(self) -> str:
        where = [self.region.name]
        if self.municipality_id and self.municipality:
            where.append(self.municipality.name)
        if self.organisation_id and self.organisation:
            where.append(self.organisation.name)
        return " · ".join(where)


class ExperienceReport(models.Model):
    """ "How it worked here": what a place adapted, what it took, what came of it."""

    use = models.ForeignKey(Use, on_delete=models.CASCADE, related_name="reports")
    written_on = models.DateField(_("date"), default=date.today)
    adapted = models.TextField(_("what we adapted"), max_length=4000, blank=True)
    effort = models.TextField(_("what it took"), max_length=4000, blank=True)
    result = models.TextField(_("what came of it"), max_length=4000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-written_on", "-pk"]
        verbose_name = _("experience report")

    def __str__(self) -> str:
        return f"{self.use} ({self.written_on})"


class FitCheck(models.Model):
    """A team's or municipality's answers to a practice's conditions."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="fit_checks")
    region = models.ForeignKey(YouthCareRegion, on_delete=models.PROTECT, related_name="+")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.practice} · {self.team or self.municipality or self.region}"


class FitAnswer(models.Model):
    check_run = models.ForeignKey(FitCheck, on_delete=models.CASCADE, related_name="answers")
    condition = models.ForeignKey(Condition, on_delete=models.CASCADE, related_name="answers")
    met = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["check_run", "condition"], name="fit_answer_once")
        ]

    def __str__(self) -> str:
        return f"{self.condition}: {self.met}"


class GlossaryTerm(models.Model):
    """A word of the region's common language: what it means in plain Dutch and the
    jargon it replaces."""

    region = models.ForeignKey(
        YouthCareRegion, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    term = models.CharField(_("term"), max_length=80)
    slug = models.SlugField(max_length=90)
    meaning = models.TextField(_("meaning in plain Dutch"), max_length=1000)
    replaces = models.CharField(_("jargon it replaces"), max_length=300, blank=True)
    example = models.TextField(_("example"), max_length=1000, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["term", "pk"]
        verbose_name = _("glossary term")
        constraints = [
            models.UniqueConstraint(
                Coalesce("region", Value(0)), F("slug"), name="glossary_slug_once"
            )
        ]

    def __str__(self) -> str:
        return self.term

    def save(self, *args: object, **kwargs: object) -> None:
        if not self.slug:
            self.slug = slugify(self.term)[:90] or "term"
        super().save(*args, **kwargs)  # type: ignore[arg-type]
