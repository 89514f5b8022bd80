"""Trajectories, the family's consent, tables with their participants, the pseudonymised
account, findings with their codings, and improvement actions with their history."""

from __future__ import annotations

import hashlib
import uuid
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rits.dialogues.models.codebook import Code

if TYPE_CHECKING:
    from rits.accounts.models import User

USER = settings.AUTH_USER_MODEL
LONG_TEXT = 5000
ACCOUNT_TEXT = 60000


class Trajectory(models.Model):
    """A stretch of help looked back on: a closed family plan, or help given outside Rits
    and entered by hand. Nothing of it is used before the family's consent is complete."""

    class Source(models.TextChoices):
        PLAN = "plan", _("Closed family plan")
        MANUAL = "manual", _("Entered by hand")

    region = models.ForeignKey(
        "regions.YouthCareRegion", on_delete=models.PROTECT, related_name="+"
    )
    municipality = models.ForeignKey(
        "regions.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    source = models.CharField(_("source"), max_length=10, choices=Source)
    plan = models.ForeignKey(
        "family_plans.Plan",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("family plan"),
    )
    title = models.CharField(_("short description"), max_length=200)
    # For a trajectory entered by hand: what happened, in the facilitator's words. Names
    # given with it are kept only as keyed marks (``name_marks``), never as text.
    summary = models.TextField(_("what happened"), max_length=LONG_TEXT, blank=True)
    youth_age = models.PositiveSmallIntegerField(_("age of the youth"), null=True, blank=True)
    # keyed hash of a lower-case word of a name -> the role that replaces it
    name_marks = models.JSONField(default=dict, editable=False)
    started_on = models.DateField(_("help started"), null=True, blank=True)
    ended_on = models.DateField(_("help ended"), null=True, blank=True)
    proposed_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("proposed by")
    )
    created_at = models.DateTimeField(_("added"), default=timezone.now)
    # Consent withdrawn: before the table the trajectory leaves it; after, it is no longer used.
    withdrawn_at = models.DateTimeField(_("consent withdrawn"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("trajectory")
        verbose_name_plural = _("trajectories")
        constraints = [
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(plan__isnull=False, withdrawn_at__isnull=True),
                name="dialogue_trajectory_one_per_plan",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def reference(self) -> str:
        """A stable, meaningless reference for the audit trail and the research exports."""
        digest = hashlib.sha256(f"rits-trajectory:{self.pk}".encode()).hexdigest()[:12]
        return f"traject:{digest}"


class TrajectoryConsent(models.Model):
    """One family member's consent to use the trajectory at a dialogue table."""

    class Giver(models.TextChoices):
        YOUTH = "youth", _("Youth")
        PARENT = "parent", _("Parent or carer")

    class Method(models.TextChoices):
        ONLINE = "online", _("In Rits")
        PAPER = "paper", _("On paper, recorded by the facilitator")

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="consents")
    giver = models.CharField(_("given by"), max_length=10, choices=Giver)
    person = models.ForeignKey(
        "family_plans.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    method = models.CharField(_("how"), max_length=10, choices=Method, default=Method.ONLINE)
    recorded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    given_at = models.DateTimeField(_("given"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        ordering = ["trajectory_id", "given_at"]
        verbose_name = _("consent for a dialogue table")
        verbose_name_plural = _("consents for dialogue tables")

    def __str__(self) -> str:
        return f"{self.get_giver_display()} ({self.trajectory_id})"


class DialogueTable(models.Model):
    """A dialogue table: a look back together, under an independent chair."""

    class Kind(models.TextChoices):
        CASE = "case", _("Case-specific")
        CROSS_CASE = "cross_case", _("Cross-case")

    class Status(models.TextChoices):
        PREPARING = "preparing", _("Being prepared")
        HELD = "held", _("Held")
        CLOSED = "closed", _("Closed")

    region = models.ForeignKey(
        "regions.YouthCareRegion", on_delete=models.PROTECT, related_name="+"
    )
    municipality = models.ForeignKey(
        "regions.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind, default=Kind.CASE)
    title = models.CharField(_("title"), max_length=200)
    theme = models.CharField(_("theme"), max_length=200, blank=True)
    facilitator = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("facilitator")
    )
    chair = models.ForeignKey(
        USER,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chair"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PREPARING)
    starts_at = models.DateTimeField(_("date and time"), null=True, blank=True)
    minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=120)
    location = models.CharField(_("place"), max_length=200, blank=True)
    sequence = models.PositiveIntegerField(default=0)
    trajectories: models.ManyToManyField[Trajectory, TableCase] = models.ManyToManyField(
        Trajectory, through="TableCase", related_name="tables", verbose_name=_("trajectories")
    )
    created_at = models.DateTimeField(_("opened"), default=timezone.now)
    held_on = models.DateField(_("held on"), null=True, blank=True)
    guid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("dialogue table")
        verbose_name_plural = _("dialogue tables")
        indexes = [models.Index(fields=["region", "held_on"], name="dialogue_table_region_held")]

    def __str__(self) -> str:
        return self.title

    @property
    def reference(self) -> str:
        return f"dialoogtafel:{self.guid.hex[:12]}"

    @property
    def year(self) -> int:
        return (self.held_on or timezone.localdate(self.created_at)).year


class TableCase(models.Model):
    table = models.ForeignKey(DialogueTable, on_delete=models.CASCADE, related_name="cases")
    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="cases")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["table", "trajectory"], name="dialogue_case_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.table_id}:{self.trajectory_id}"


class Participant(models.Model):
    """Someone invited to the table: the family, professionals who were involved, the chair."""

    class Role(models.TextChoices):
        YOUTH = "youth", _("Youth")
        PARENT = "parent", _("Parent or carer")
        PROFESSIONAL = "professional", _("Professional")
        CHAIR = "chair", _("Chair")
        SECOND_CODER = "second_coder", _("Second coder")

    class Answer(models.TextChoices):
        INVITED = "invited", _("Invited")
        ACCEPTED = "accepted", _("Will come")
        DECLINED = "declined", _("Will not come")

    table = models.ForeignKey(DialogueTable, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="dialogue_seats")
    role = models.CharField(_("role at the table"), max_length=15, choices=Role)
    # How the account and the findings speak of them: a role, never a name.
    label = models.CharField(_("named in the account as"), max_length=100)
    answer = models.CharField(_("answer"), max_length=10, choices=Answer, default=Answer.INVITED)
    invited_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    invited_at = models.DateTimeField(_("invited"), default=timezone.now)

    class Meta:
        ordering = ["table_id", "role", "invited_at"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["table", "user", "role"], name="dialogue_participant_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.label


class Account(models.Model):
    """The chronological account of the trajectory, pseudonymised. Only the facilitator
    reads it until they have reviewed it and released it to the table."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft (facilitator only)")
        RELEASED = "released", _("Reviewed and shared with the table")

    table = models.OneToOneField(DialogueTable, on_delete=models.CASCADE, related_name="account")
    text = models.TextField(_("account"), max_length=ACCOUNT_TEXT)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    version = models.PositiveIntegerField(default=1)
    generated_at = models.DateTimeField(default=timezone.now)
    reviewed_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("chronological account")
        verbose_name_plural = _("chronological accounts")

    def __str__(self) -> str:
        return f"Verslag {self.table_id}"

    @property
    def is_released(self) -> bool:
        return self.status == self.Status.RELEASED


class Finding(models.Model):
    """A text segment recorded at or after the table, with the phase and whose view it is."""

    class Phase(models.TextChoices):
        SIGNAL = "signal", _("Signal and first contact")
        ACCESS = "access", _("Access to help")
        PLAN = "plan", _("Plan and decisions")
        HELP = "help", _("During the help")
        ENDING = "ending", _("Ending and after")

    class View(models.TextChoices):
        YOUTH = "youth", _("Youth")
        PARENT = "parent", _("Parent")
        PROFESSIONAL = "professional", _("Professional")
        SHARED = "shared", _("Shared")

    table = models.ForeignKey(DialogueTable, on_delete=models.CASCADE, related_name="findings")
    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.CASCADE, null=True, blank=True, related_name="findings"
    )
    guid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    text = models.TextField(_("finding"), max_length=LONG_TEXT)
    phase = models.CharField(_("phase"), max_length=10, choices=Phase)
    view = models.CharField(_("whose view"), max_length=15, choices=View)
    recorded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["table_id", "recorded_at", "pk"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")

    def __str__(self) -> str:
        return self.text[:60]


class Coding(models.Model):
    """One coder's code on one finding. ``code`` is what the coder chose, for ever;
    ``counted_code`` is where it counts now (the code it was merged into)."""

    class Round(models.TextChoices):
        FIRST = "first", _("First coder")
        SECOND = "second", _("Second coder (blind)")

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="codings")
    code = models.ForeignKey(Code, on_delete=models.PROTECT, related_name="codings")
    counted_code = models.ForeignKey(Code, on_delete=models.PROTECT, related_name="counted_codings")
    round = models.CharField(_("round"), max_length=10, choices=Round, default=Round.FIRST)
    coder = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    guid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    coded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("coding")
        verbose_name_plural = _("codings")
        constraints = [
            models.UniqueConstraint(
                fields=["finding", "code", "round"], name="dialogue_coding_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["counted_code", "round"], name="dialogue_coding_counted"),
        ]

    def __str__(self) -> str:
        return f"{self.finding_id}:{self.code_id} ({self.round})"


class ImprovementAction(models.Model):
    """What will change, who sees to it and by when. It stays in view until it is closed."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        UNDERWAY = "underway", _("Underway")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Stopped")

    CLOSED = (Status.DONE, Status.DROPPED)

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="actions")
    region = models.ForeignKey(
        "regions.YouthCareRegion", on_delete=models.PROTECT, related_name="+"
    )
    what = models.CharField(_("what will change"), max_length=300)
    owner_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner (organisation)"),
    )
    owner = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner (person)")
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    result = models.TextField(_("result"), max_length=LONG_TEXT, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    last_reminded_on = models.DateField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("improvement action")
        verbose_name_plural = _("improvement actions")
        indexes = [models.Index(fields=["region", "status"], name="dialogue_action_region")]

    def __str__(self) -> str:
        return self.what

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED

    def is_overdue(self, today: date | None = None) -> bool:
        return not self.is_closed and self.due_date < (today or timezone.localdate())

    def may_update(self, user: User) -> bool:
        return user.pk == self.owner_id


class ActionStatusChange(models.Model):
    """The dated history of an improvement action's status."""

    action = models.ForeignKey(ImprovementAction, on_delete=models.CASCADE, related_name="history")
    status = models.CharField(_("status"), max_length=10, choices=ImprovementAction.Status)
    note = models.TextField(_("note"), max_length=LONG_TEXT, blank=True)
    changed_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["action_id", "changed_at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.status} ({self.changed_at:%Y-%m-%d})"
