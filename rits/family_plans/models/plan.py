"""The plan and everything in it: care team and consent, goals, actions, decisions,
evaluations, comments, the transition part and emergency access."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from rits.accounts.models import User

USER = settings.AUTH_USER_MODEL
# The limit of every long text in a plan (explanations, comments, grounds, notes): a few
# pages of writing. Forms and the API take it from the model fields (``rits.lib.text``).
LONG_TEXT = 5000


def new_content_token() -> str:
    """A fresh, never repeated mark for a plan's content (see ``Plan.content_token``)."""
    return secrets.token_hex(8)


class PlanQuerySet(models.QuerySet["Plan"]):
    """Who may see which plan, defined once: ``with_access`` reads the rows that decide
    it, ``visible_to`` keeps the plans where one of them is there. The list of plans and
    the single-plan helper (``permissions``) both stand on it."""

    def own_rows(self, user: User) -> tuple[models.QuerySet[Any], ...]:
        """The user's own deciding rows, defined once for the list and the single plan:
        their places in a household, their active care-team memberships, their
        unexpired emergency access."""
        # Person is reached through the field, so that this module and ``models.family``
        # need not import each other.
        person_model: Any = self.model._meta.get_field("youth").related_model
        return (
            person_model.objects.filter(user=user, role__in=person_model.HOUSEHOLD_ROLES),
            CareTeamMember.objects.filter(user=user, status=CareTeamMember.Status.ACTIVE),
            EmergencyAccess.objects.filter(
                user=user, ended_at__isnull=True, expires_at__gt=timezone.now()
            ),
        )

    def with_access(self, user: User) -> PlanQuerySet:
        """Each plan with the ids of the user's own deciding rows as annotations (NULL when
        absent): ``own_person_id`` (their place in the household), ``own_member_id``
        (their active membership of the care team), ``own_grant_id`` (their unexpired
        emergency access). ``permissions`` reads what it needs of those rows by id."""
        if not user.is_authenticated:
            return self.none()
        person, member, grant = self.own_rows(user)

        def first(rows: models.QuerySet[Any], **link: Any) -> Subquery:
            return Subquery(rows.filter(**link).order_by("pk").values("pk")[:1])

        return self.annotate(
            own_person_id=first(person, family_id=OuterRef("family_id")),
            own_member_id=first(member, plan_id=OuterRef("pk")),
            own_grant_id=first(grant, plan_id=OuterRef("pk")),
        )

    def visible_to(self, user: User) -> PlanQuerySet:
        """Plans the user may read: their own family's, as a consenting care-team member,
        or under emergency access that has not yet expired. Nobody else, whatever their role.

        Filtered from the user's own rows (indexed by user), not by evaluating the
        annotations for every plan in the region or the country."""
        if not user.is_authenticated:
            return self.none()
        person, member, grant = self.own_rows(user)
        return self.filter(
            Q(family_id__in=person.values("family_id"))
            | Q(pk__in=member.values("plan_id"))
            | Q(pk__in=grant.values("plan_id"))
        ).with_access(user)


class Plan(models.Model):
    """One family, one plan, one coordinator."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")

    family = models.ForeignKey(
        "family_plans.Family",
        on_delete=models.CASCADE,
        related_name="plans",
        verbose_name=_("family"),
    )
    youth = models.ForeignKey(
        "family_plans.Person",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("youth"),
        help_text=_("The youth whose age decides who gives consent."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.ACTIVE)
    coordinator = models.ForeignKey(
        USER,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("coordinator"),
    )
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    close_reason = models.TextField(_("reason for closing"), max_length=LONG_TEXT, blank=True)
    version = models.PositiveIntegerField(default=1)
    # Renewed in the same transaction as every change to the plan or its parts (through
    # ``services``): the plan page keeps what it read of a plan under this mark
    # (``rits.family_plans.reads``). Random rather than a counter, so that a rolled-back
    # change can never hand out a mark that a later change uses again.
    content_token = models.CharField(max_length=16, default=new_content_token, editable=False)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("family plan")
        verbose_name_plural = _("family plans")
        constraints = [
            models.UniqueConstraint(
                fields=["family"], condition=Q(status="active"), name="plan_one_active_per_family"
            ),
        ]

    def __str__(self) -> str:
        return f"Gezinsplan {self.family.name}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class CareTeamMember(models.Model):
    """A professional or an informal member (JIM, grandparent...) of the plan's care team.

    ``status`` is ACTIVE only while the consent the age rules require is in place, so
    ``Plan.objects.visible_to`` needs no consent arithmetic per request.
    """

    class Kind(models.TextChoices):
        PROFESSIONAL = "professional", _("Professional")
        INFORMAL = "informal", _("Informal (network)")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for consent")
        ACTIVE = "active", _("Active")
        WITHDRAWN = "withdrawn", _("Consent withdrawn")
        LEFT = "left", _("Left the team")

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="members", verbose_name=_("plan")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    user = models.ForeignKey(
        USER,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="care_team_memberships",
        verbose_name=_("account"),
    )
    person = models.ForeignKey(
        "family_plans.Person",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="care_team_memberships",
        verbose_name=_("network person"),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    title = models.CharField(_("role in the team"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    can_edit = models.BooleanField(_("may edit the plan"), default=True)
    added_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("added by")
    )
    created_at = models.DateTimeField(_("added"), default=timezone.now)
    left_at = models.DateTimeField(_("left"), null=True, blank=True)

    class Meta:
        ordering = ["plan_id", "kind", "created_at"]
        verbose_name = _("care-team member")
        verbose_name_plural = _("care-team members")
        indexes = [models.Index(fields=["user", "status"], name="careteam_user_status")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.person is not None:
            return self.person.name
        return str(self.user) if self.user else "?"

    @property
    def is_jim(self) -> bool:
        return self.person is not None and self.person.role == self.person.Role.JIM


class Consent(models.Model):
    """One family member's consent for one care-team member and purpose.

    Which family members must consent depends on the youth's age (see ``rules``);
    a withdrawn consent stays as history with ``withdrawn_at`` set.
    """

    class Purpose(models.TextChoices):
        PLAN = "plan", _("See and work on the family plan")
        CONTACT = "contact", _("Talk with the other team members about the family")

    class Method(models.TextChoices):
        ONLINE = "online", _("Given in Rits")
        IN_PERSON = "in_person", _("Given in person, recorded by a professional")

    member = models.ForeignKey(
        CareTeamMember, on_delete=models.CASCADE, related_name="consents", verbose_name=_("member")
    )
    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose)
    given_by = models.ForeignKey(
        "family_plans.Person",
        on_delete=models.CASCADE,
        related_name="consents_given",
        verbose_name=_("given by"),
    )
    method = models.CharField(_("how"), max_length=10, choices=Method, default=Method.ONLINE)
    recorded_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("recorded by")
    )
    given_at = models.DateTimeField(_("given"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        USER,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )

    class Meta:
        ordering = ["-given_at"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "purpose", "given_by"],
                condition=Q(withdrawn_at__isnull=True),
                name="consent_one_active_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.given_by} → {self.member} ({self.purpose})"


class Versioned(models.Model):
    """Optimistic concurrency: every save of a changed object raises ``version`` by one,
    and a save that names an older version is refused (see ``services.save_versioned``)."""

    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        abstract = True


class Domain(models.TextChoices):
    PARENTING = "parenting", _("Parenting")
    SCHOOL_WORK = "school_work", _("School or work")
    HEALTH = "health", _("Health")
    MONEY = "money", _("Money")
    HOUSING = "housing", _("Housing")
    SAFETY = "safety", _("Safety")
    NETWORK = "network", _("Social network")


class Goal(Versioned):
    """A goal in the family's own words, linked to a life domain."""

    class Status(models.TextChoices):
        OPEN = "open", _("Working on it")
        REACHED = "reached", _("Reached")
        PARTLY = "partly", _("Partly reached")
        NOT_REACHED = "not_reached", _("Not reached")
        STOPPED = "stopped", _("Stopped")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    domain = models.CharField(_("life domain"), max_length=20, choices=Domain)
    title = models.CharField(_("goal in your own words"), max_length=300)
    description = models.TextField(_("explanation"), max_length=LONG_TEXT, blank=True)
    status = models.CharField(_("status"), max_length=15, choices=Status, default=Status.OPEN)
    outcome = models.TextField(_("outcome"), max_length=LONG_TEXT, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        ordering = ["plan_id", "created_at", "pk"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self) -> str:
        return self.title


class Score(models.Model):
    """Progress on a goal, 0 to 10, as the family or a professional sees it at one moment."""

    class Perspective(models.TextChoices):
        FAMILY = "family", _("Family")
        PROFESSIONAL = "professional", _("Professional")

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="scores")
    perspective = models.CharField(_("scored by"), max_length=15, choices=Perspective)
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(0), MaxValueValidator(10)]
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    scored_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    scored_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["goal_id", "scored_at", "pk"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.CheckConstraint(condition=Q(score__lte=10), name="score_at_most_ten"),
        ]

    def __str__(self) -> str:
        return f"{self.goal}: {self.score}"


class Action(Versioned):
    """Who does what by when."""

    class Status(models.TextChoices):
        TODO = "todo", _("To do")
        DOING = "doing", _("Busy")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    goal = models.ForeignKey(
        Goal, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    what = models.CharField(_("what"), max_length=300)
    who = models.CharField(_("who"), max_length=150)
    due_date = models.DateField(_("by when"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.TODO)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        ordering = ["plan_id", "due_date", "pk"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def __str__(self) -> str:
        return self.what


class Decision(Versioned):
    """What was decided, who agreed and who disagreed, on what grounds."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for answers")
        AGREED = "agreed", _("Everyone agreed")
        DISAGREED = "disagreed", _("Not everyone agreed")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="decisions")
    title = models.CharField(_("decision"), max_length=300)
    text = models.TextField(_("what was decided"), max_length=LONG_TEXT, blank=True)
    grounds = models.TextField(_("why"), max_length=LONG_TEXT, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        ordering = ["plan_id", "-created_at", "-pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return self.title


class Position(models.Model):
    """One person's answer to a decision: agree or disagree, and why."""

    class Answer(models.TextChoices):
        PENDING = "pending", _("No answer yet")
        AGREE = "agree", _("Agrees")
        DISAGREE = "disagree", _("Disagrees")

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="positions")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    answer = models.CharField(_("answer"), max_length=10, choices=Answer, default=Answer.PENDING)
    grounds = models.TextField(_("why"), max_length=LONG_TEXT, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["decision_id", "pk"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        constraints = [
            models.UniqueConstraint(fields=["decision", "user"], name="position_one_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.answer}"


class Evaluation(models.Model):
    """A moment to look at the plan together; sent as an iCalendar invitation."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="evaluations")
    starts_at = models.DateTimeField(_("date and time"))
    minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)
    location = models.CharField(_("place"), max_length=200, blank=True)
    note = models.TextField(_("note"), max_length=LONG_TEXT, blank=True)
    sequence = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["plan_id", "starts_at"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")

    def __str__(self) -> str:
        return f"Evaluatie {self.starts_at:%Y-%m-%d %H:%M}"


class Comment(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="comments")
    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    author = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(_("comment"), max_length=LONG_TEXT)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["plan_id", "created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return self.text[:50]


class TransitionTopic(models.TextChoices):
    INCOME = "income", _("Income and benefits")
    INSURANCE = "insurance", _("Health insurance")
    HOUSING = "housing", _("Housing")
    EDUCATION = "education", _("Education or work")
    MONEY = "money", _("Money matters")
    WHO_STAYS = "who_stays", _("Who stays after 18 (JIM)")
    EXTENDED_CARE = "extended_care", _("Youth care after 18 (up to 21)")


class TransitionItem(Versioned):
    """One topic of the transition to adulthood; appears when the youth is 16½."""

    class Status(models.TextChoices):
        TODO = "todo", _("Still to arrange")
        ARRANGED = "arranged", _("Arranged")
        NOT_NEEDED = "not_needed", _("Not needed")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="transition_items")
    topic = models.CharField(_("topic"), max_length=20, choices=TransitionTopic)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.TODO)
    note = models.TextField(_("what is arranged"), max_length=LONG_TEXT, blank=True)

    class Meta:
        ordering = ["plan_id", "topic"]
        verbose_name = _("transition item")
        verbose_name_plural = _("transition items")
        constraints = [
            models.UniqueConstraint(fields=["plan", "topic"], name="transition_one_per_topic"),
        ]

    def __str__(self) -> str:
        return self.get_topic_display()


class EmergencyAccess(models.Model):
    """Break the glass: a professional reads a plan without consent, for a stated reason,
    for a limited time. Reported to the privacy officer and shown to the family."""

    class ReasonClass(models.TextChoices):
        ACUTE_SAFETY = "acute_safety", _("Acute danger to the youth or someone else")
        MISSING = "missing", _("The youth is missing")
        MEDICAL = "medical", _("Medical emergency")
        CRISIS = "crisis", _("Crisis, and nobody of the care team can be reached")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="emergency_accesses")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    # The organisation the professional broke the glass for: one working in the family's
    # region (see ``permissions.plan_for_emergency``). Empty only on grants from before
    # that rule.
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    # Blank only on grants from before reason classes existed.
    reason_class = models.CharField(
        _("kind of emergency"), max_length=20, choices=ReasonClass, blank=True
    )
    reason = models.TextField(_("reason"), max_length=2000)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    expires_at = models.DateTimeField(_("ends"))
    ended_at = models.DateTimeField(_("ended early"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("emergency access")
        verbose_name_plural = _("emergency accesses")

    def __str__(self) -> str:
        return f"{self.user} → {self.plan} ({self.started_at:%Y-%m-%d %H:%M})"


class Reminder(models.Model):
    """A reminder that has been sent, so a daily run never sends it twice."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reminders")
    key = models.CharField(max_length=40)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="reminder_once")]

    def __str__(self) -> str:
        return self.key
