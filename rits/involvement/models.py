"""The involvement index (betrokkenheidsindex): who is involved with which youth.

A signal says *that* a professional is involved with a youth, never why. The youth
and parents are known only by keyed pseudonyms of their BSNs (rits.lib.pseudonyms).
Ended signals stay in the same table with an end status: that is the archive, kept
five years and then purged (see ``services.run_daily``).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from rits.accounts.models import Membership, Organisation, User
from rits.lib.ages import INDEX_AGE_LIMIT, add_years
from rits.regions.models import Municipality

if TYPE_CHECKING:
    from rits.accounts.models import User as UserType

AGE_LIMIT_YEARS = INDEX_AGE_LIMIT
ARCHIVE_YEARS = 5
# The pseudonyms are indexed by their first 16 hex digits (64 bits): a third of the
# size of an index on the whole pseudonym, so that the index of ten million signals
# stays in memory. A lookup compares the whole pseudonym too; two different youths
# share a key about once in 2**64 pairs, and then both rows are read and compared.
KEY_LENGTH = 16
PSEUDONYM_FIELDS = ("youth_pseudonym", "parent1_pseudonym", "parent2_pseudonym")
# Each pseudonym's key has an index of the active signals and one of the ended ones:
# registering and matching search and write only the first, which the archive (five
# years of ended signals) does not swell. Plain SQL names them (INDEXED BY). The active
# youths' key index is also the one-per-reporter constraint.
KEY_INDEXES = {
    (f, active): f"signal_{'active' if active else 'ended'}_{f[:-10]}_key"
    for f in PSEUDONYM_FIELDS
    for active in (True, False)
}
ACTIVE_YOUTH_KEY = KEY_INDEXES["youth_pseudonym", True]


def pseudonym_key(field: str) -> Substr:
    """The indexed key of a pseudonym column, as the indexes below define it."""
    return Substr(field, 1, KEY_LENGTH)


def signal_reference(pk: int) -> str:
    """A short public reference for a signal: the row id, never anything derived from the BSN."""
    return f"B-{pk:06d}"


def coordinator_municipality_ids(user: UserType) -> set[int]:
    """The municipalities a user is municipal coordinator for (through their memberships)."""
    return set(
        Membership.objects.filter(
            user=user,
            active=True,
            role=Membership.Role.MUNICIPAL_COORDINATOR,
            organisation__municipality__isnull=False,
        ).values_list("organisation__municipality_id", flat=True)
    )


class SignalQuerySet(models.QuerySet["Signal"]):
    def active(self) -> SignalQuerySet:
        return self.filter(status=Signal.Status.ACTIVE)

    def archived(self) -> SignalQuerySet:
        return self.exclude(status=Signal.Status.ACTIVE)

    def visible_to(self, user: Any) -> SignalQuerySet:
        """A professional sees only the signals they registered themselves.

        Other professionals' signals are never listed: they show up only as contact
        details inside a match (see ``MatchQuerySet.visible_to``).
        """
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(reporter=user)


class Signal(models.Model):
    """One professional's registration of involvement with one youth (0 to 23)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        EXPIRED = "expired", _("Expired")
        AGED_OUT = "aged_out", _("Ended: youth turned 23")
        OBJECTED = "objected", _("Ended after objection")

    class Postponed(models.TextChoices):
        SAFETY = "safety", _("Informing now would endanger the youth or someone else")
        INVESTIGATION = "investigation", _("Informing now would harm an ongoing investigation")
        NOT_REACHED = "not_reached", _("Not reached yet; will inform at the first contact")

    youth_pseudonym = models.CharField(_("youth (pseudonym)"), max_length=64)
    parent1_pseudonym = models.CharField(
        _("parent (pseudonym)"), max_length=64, blank=True, default=""
    )
    parent2_pseudonym = models.CharField(
        _("second parent (pseudonym)"), max_length=64, blank=True, default=""
    )
    birth_date = models.DateField(_("date of birth"))
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("municipality where the youth lives"),
    )
    # Indexed by "signal_reporter_time" below, which leads with the reporter.
    reporter = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registered by"),
        db_index=False,
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    contact_name = models.CharField(_("contact name"), max_length=150)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("contact e-mail"))
    own_reference = models.CharField(
        _("own reference"),
        max_length=40,
        blank=True,
        help_text=_("Your own case number, shown only to you. Never a BSN."),
    )
    youth_informed = models.BooleanField(_("youth informed"), default=False)
    parents_informed = models.BooleanField(_("parents informed"), default=False)
    informing_postponed = models.CharField(
        _("informing postponed because"), max_length=20, choices=Postponed, blank=True
    )
    registered_at = models.DateTimeField(_("registered"), default=timezone.now)
    # The earlier of the chosen end date and the youth's 23rd birthday.
    ends_on = models.DateField(_("ends on"))
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.ACTIVE)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    objects = SignalQuerySet.as_manager()

    class Meta:
        ordering = ["-registered_at"]
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        indexes = [
            # Lookups by pseudonym (see KEY_LENGTH and KEY_INDEXES); the active youths'
            # key is the unique constraint below.
            *(
                models.Index(
                    pseudonym_key(f),
                    condition=Q(status="active") if active else ~Q(status="active"),
                    name=name,
                )
                for (f, active), name in KEY_INDEXES.items()
                if name != ACTIVE_YOUTH_KEY
            ),
            # "My registrations", newest first, a page at a time, straight from the index.
            models.Index(
                fields=["reporter", "status", "registered_at", "id"], name="signal_reporter_time"
            ),
            models.Index(fields=["status", "ends_on"], name="signal_ends"),
            # Only the archive: a new (active) signal does not have to touch it.
            models.Index(fields=["ended_at"], condition=~Q(status="active"), name="signal_archive"),
        ]
        constraints = [
            # One active signal per reporter and youth, and the index that registering
            # searches: the youth's key, not the whole pseudonym (753 MB at ten million
            # signals, where this takes about a third). The lookup before the insert
            # compares whole pseudonyms; only two youths of one reporter whose keys are
            # equal (about once in 2**64 pairs) would be refused as a duplicate.
            models.UniqueConstraint(
                pseudonym_key("youth_pseudonym"),
                F("reporter"),
                condition=Q(status="active"),
                name=ACTIVE_YOUTH_KEY,
            ),
            models.CheckConstraint(
                condition=Q(status="active") | Q(ended_at__isnull=False),
                name="signal_ended_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.organisation_id})"

    @property
    def reference(self) -> str:
        return signal_reference(self.pk) if self.pk else "B-new"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def age_limit_on(self) -> date:
        return add_years(self.birth_date, AGE_LIMIT_YEARS)

    @property
    def purge_on(self) -> date | None:
        if self.ended_at is None:
            return None
        return add_years(timezone.localdate(self.ended_at), ARCHIVE_YEARS)

    @property
    def parent_pseudonyms(self) -> list[str]:
        return [p for p in (self.parent1_pseudonym, self.parent2_pseudonym) if p]


class MatchQuerySet(models.QuerySet["Match"]):
    """The matches a user may see, and the two lists built from them.

    ``visible_to`` decides access to a single match (``permissions.get_match_for_user``);
    "my matches" and "unresolved" are the same rule's two halves, narrowed for their
    page, so that nothing listed is refused on opening and the HTML pages and the API
    list the same matches.
    """

    def _with_active_member(self, condition: Q) -> MatchQuerySet:
        # A subquery, not a join: a match with several such members comes once.
        members = MatchMember.objects.filter(condition, signal__status=Signal.Status.ACTIVE)
        return self.filter(pk__in=members.values("match_id"))

    @staticmethod
    def _reporter(user: Any) -> Q:
        return Q(signal__reporter=user)

    @staticmethod
    def _municipalities(ids: set[int]) -> Q:
        return Q(signal__municipality_id__in=ids)

    def visible_to(self, user: Any) -> MatchQuerySet:
        """Professionals see the matches their own active signals are part of; municipal
        coordinators see the matches with an active signal about a youth in their
        municipality."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        condition = self._reporter(user)
        municipalities = coordinator_municipality_ids(user)
        if municipalities:
            condition |= self._municipalities(municipalities)
        return self._with_active_member(condition)

    def with_contacts(self) -> MatchQuerySet:
        """With the active members and their organisations, as the pages and the API show
        them (``Match.current_members``): one query for the whole list."""
        return self.prefetch_related(
            models.Prefetch(
                "members",
                queryset=MatchMember.objects.active_in_order(),
                to_attr="prefetched_members",
            )
        )

    def mine(self, user: Any) -> MatchQuerySet:
        """My matches: not closed, with an active signal of mine; open ones first."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return (
            self._with_active_member(self._reporter(user))
            .exclude(status=Match.Status.CLOSED)
            .order_by("status", "-awaiting_since", "-pk")
        )

    def unresolved(self, municipality_ids: set[int]) -> MatchQuerySet:
        """Matches still awaiting agreement with an active signal about a youth in these
        municipalities (the municipal coordinator's list): the longest waiting first."""
        return (
            self._with_active_member(self._municipalities(municipality_ids))
            .filter(status=Match.Status.OPEN)
            .order_by("awaiting_since", "pk")
        )


class Match(models.Model):
    """Two or more professionals involved with the same youth (client match) or with
    youths who share a parent (family match). They agree who coordinates and confirm
    that they have been in touch; until then the match is open."""

    class Kind(models.TextChoices):
        CLIENT = "client", _("Client match")
        FAMILY = "family", _("Family match")

    class Status(models.TextChoices):
        OPEN = "open", _("Awaiting agreement")
        SETTLED = "settled", pgettext_lazy("involvement", "Coordinator agreed and in touch")
        CLOSED = "closed", _("Closed")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    # The shared pseudonym: the youth's (client) or a shared parent's (family).
    key = models.CharField(max_length=64)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    created_at = models.DateTimeField(_("found"), default=timezone.now)
    # Reset when a professional joins, so the newcomer gets the full period too.
    awaiting_since = models.DateTimeField(_("awaiting agreement since"), default=timezone.now)
    coordinator = models.ForeignKey(
        Signal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=pgettext_lazy("involvement", "coordinator (regievoerder)"),
    )
    in_touch_at = models.DateTimeField(_("in touch"), null=True, blank=True)
    in_touch_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    escalated_at = models.DateTimeField(
        pgettext_lazy("involvement", "municipal coordinator notified"), null=True, blank=True
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = MatchQuerySet.as_manager()

    class Meta:
        ordering = ["-awaiting_since"]
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        # Matches are found through their members, never by key: one index fewer to
        # write for every new match (at ten million signals, a page read from disk).
        indexes = [models.Index(fields=["status", "awaiting_since"], name="match_awaiting")]

    def __str__(self) -> str:
        return f"M-{self.pk:06d}" if self.pk else "M-new"

    @property
    def reference(self) -> str:
        return str(self)

    def active_members(self) -> models.QuerySet[MatchMember]:
        return MatchMember.objects.active_in_order().filter(match=self)

    def current_members(self) -> list[MatchMember]:
        """The active members, from ``MatchQuerySet.with_contacts`` when it loaded them."""
        loaded: list[MatchMember] | None = getattr(self, "prefetched_members", None)
        return loaded if loaded is not None else list(self.active_members())


class MatchMemberQuerySet(models.QuerySet["MatchMember"]):
    def active_in_order(self) -> MatchMemberQuerySet:
        """Members whose signal is active, with what a match shows of them, oldest first."""
        return (
            self.filter(signal__status=Signal.Status.ACTIVE)
            .select_related("signal__organisation", "signal__municipality")
            .order_by("joined_at", "pk")
        )


class MatchMember(models.Model):
    """A signal taking part in a match."""

    # Indexed by the unique constraint below, which leads with the match.
    match = models.ForeignKey(
        Match, on_delete=models.CASCADE, related_name="members", db_index=False
    )
    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="memberships")
    joined_at = models.DateTimeField(default=timezone.now)

    objects = MatchMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("match member")
        verbose_name_plural = _("match members")
        constraints = [
            models.UniqueConstraint(fields=["match", "signal"], name="match_member_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.match} / {self.signal}"
