"""Learning networks: partners that meet, keep minutes and tell each other what they
are working on, so that they "structurally inform each other"."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rits.accounts.models import Membership, Organisation
from rits.knowledge.models.practices import Practice
from rits.regions.models import YouthCareRegion

if TYPE_CHECKING:
    from rits.accounts.models import User


class NetworkTheme(models.TextChoices):
    """The SAMEN themes (academische werkplaats SAMEN), the seed of every region's list."""

    VULNERABLE_FAMILIES = "vulnerable_families", _("Families in vulnerable circumstances")
    NORMALISING = "normalising", _("Normalising")
    INTEGRATED_WORK = "integrated_work", _("Integrated work")
    LEARNING = "learning", _("Learning and implementing")


class NetworkQuerySet(models.QuerySet["Network"]):
    def visible_to(self, user: User | None) -> NetworkQuerySet:
        """Members see their network; a public network every signed-in user; the
        region's facilitators and functional admin see their region's networks."""
        if user is None or not user.is_authenticated:
            return self.none()
        condition = Q(is_public=True) | Q(members__user=user, members__active=True)
        regions = Membership.objects.filter(
            user=user,
            active=True,
            role__in=(Membership.Role.FACILITATOR, Membership.Role.FUNCTIONAL_ADMIN),
        ).values("organisation__region_id")
        condition |= Q(region_id__in=regions)
        return self.filter(pk__in=self.filter(condition).values("pk"))


class Network(models.Model):
    """A learning network (leernetwerk) around one theme, with member organisations."""

    name = models.CharField(_("name"), max_length=200)
    theme = models.CharField(_("theme"), max_length=30, choices=NetworkTheme)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    region = models.ForeignKey(
        YouthCareRegion, on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    organisations = models.ManyToManyField(
        Organisation, related_name="learning_networks", blank=True, verbose_name=_("organisations")
    )
    is_public = models.BooleanField(_("public to every signed-in user"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects = NetworkQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("learning network")

    def __str__(self) -> str:
        return self.name


class Member(models.Model):
    """Someone in a network: a professional, an expert by experience, a parent or a
    youth, or its facilitator. Parents and youths take part as themselves, never as a
    case: nothing links a member to a family plan."""

    class Role(models.TextChoices):
        FACILITATOR = "facilitator", _("Facilitator")
        PROFESSIONAL = "professional", _("Professional")
        EXPERT_BY_EXPERIENCE = "expert", _("Expert by experience")
        PARENT = "parent", _("Parent")
        YOUTH = "youth", _("Young person")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="network_memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    active = models.BooleanField(default=True)
    digest = models.BooleanField(_("weekly digest by e-mail"), default=True)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["network", "role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["network", "user"], name="network_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class Meeting(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        CLOSED = "closed", _("Held")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    minutes_long = models.PositiveSmallIntegerField(_("duration in minutes"), default=90)
    location = models.CharField(_("place or link"), max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.PLANNED)
    report = models.TextField(_("short report"), max_length=4000, blank=True)
    practices = models.ManyToManyField(Practice, related_name="meetings", blank=True)
    sequence = models.PositiveIntegerField(default=0)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def ends_at(self) -> object:
        return self.starts_at + timedelta(minutes=self.minutes_long)


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    title = models.CharField(_("agenda item"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class Registration(models.Model):
    """A member's "I am coming"; the closing step records who attended."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="registrations")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="registrations")
    registered_at = models.DateTimeField(default=timezone.now)
    attended = models.BooleanField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="registration_once")
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.meeting}"


class AgreedAction(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    what = models.CharField(_("what"), max_length=300)
    owner = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="actions")
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.what


class FinalMinutesError(ValidationError):
    pass


class Minutes(models.Model):
    """The minutes of a meeting: draft → members amend → final. Final minutes never
    change; a correction follows them instead."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        AMENDED = "amended", _("Amended by members")
        FINAL = "final", _("Final")

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    text = models.TextField(_("minutes"), max_length=20000)
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    version = models.PositiveIntegerField(default=1)
    finalised_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.meeting} ({self.get_status_display()})"

    def save(self, *args: object, **kwargs: object) -> None:
        # The last line of defence: a final report is written once (when it becomes
        # final) and refused ever after, whoever calls save().
        if self.pk is not None:
            stored = Minutes.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == Minutes.Status.FINAL:
                raise FinalMinutesError(_("Final minutes cannot be changed; add a correction."))
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Amendment(models.Model):
    """A member's proposed change to draft minutes, or a correction after final ones."""

    class Kind(models.TextChoices):
        AMENDMENT = "amendment", _("Amendment")
        CORRECTION = "correction", _("Correction")

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="amendments")
    kind = models.CharField(max_length=12, choices=Kind)
    text = models.TextField(_("text"), max_length=4000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.minutes}"


class ProgressUpdate(models.Model):
    """What a member organisation is working on, what went well, what it changed."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="updates")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    working_on = models.TextField(_("what we are working on"), max_length=4000)
    went_well = models.TextField(_("what went well"), max_length=4000, blank=True)
    changed = models.TextField(_("what we changed"), max_length=4000, blank=True)
    practice = models.ForeignKey(
        Practice, on_delete=models.SET_NULL, null=True, blank=True, related_name="updates"
    )
    posted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-posted_at", "-pk"]
        indexes = [models.Index(fields=["network", "-posted_at", "-id"], name="update_feed")]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.posted_at:%Y-%m-%d}"


class DigestSent(models.Model):
    """One weekly digest per member and week: running the command twice sends once."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="digests")
    week = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "week"], name="digest_once")]

    def __str__(self) -> str:
        return f"{self.member} · {self.week}"
