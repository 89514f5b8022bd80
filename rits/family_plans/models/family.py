"""The family (household), its persons and its network, and how they are related."""

from __future__ import annotations

import hashlib
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from rits.lib.ages import ADULT_FROM, add_years, age_on, transition_starts


class Family(models.Model):
    """A household with its own network. One family has at most one active plan."""

    name = models.CharField(_("name"), max_length=150)
    municipality = models.ForeignKey(
        "regions.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("family")
        verbose_name_plural = _("families")

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """Someone in the household or in its network. The BSN is only kept as a pseudonym."""

    class Role(models.TextChoices):
        YOUTH = "youth", _("Youth")
        PARENT = "parent", _("Parent or carer")
        SIBLING = "sibling", _("Brother or sister")
        GRANDPARENT = "grandparent", _("Grandparent")
        NEIGHBOUR = "neighbour", _("Neighbour")
        COACH = "coach", _("Coach or trainer")
        JIM = "jim", _("JIM (chosen mentor)")
        OTHER = "other", _("Other")

    HOUSEHOLD_ROLES = (Role.YOUTH, Role.PARENT, Role.SIBLING)

    family = models.ForeignKey(
        Family, on_delete=models.CASCADE, related_name="persons", verbose_name=_("family")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role)
    name = models.CharField(_("name"), max_length=150)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    bsn_pseudonym = models.CharField(_("BSN (pseudonym)"), max_length=64, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="family_persons",
        verbose_name=_("account"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # Optimistic concurrency, as for goals: two people changing the same person's details
    # never silently overwrite each other (see ``services.save_versioned``).
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        ordering = ["family_id", "role", "name"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        constraints = [
            models.UniqueConstraint(
                fields=["family", "user"],
                condition=Q(user__isnull=False),
                name="person_one_per_account_per_family",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def in_household(self) -> bool:
        return self.role in self.HOUSEHOLD_ROLES

    def age(self, day: date | None = None) -> int | None:
        if self.date_of_birth is None:
            return None
        return age_on(self.date_of_birth, day or timezone.localdate())

    @property
    def eighteenth_birthday(self) -> date | None:
        return add_years(self.date_of_birth, ADULT_FROM) if self.date_of_birth else None

    @property
    def transition_starts(self) -> date | None:
        """16½: the day the transition part of the plan appears."""
        return transition_starts(self.date_of_birth) if self.date_of_birth else None

    @property
    def reference(self) -> str:
        """A stable reference for audit entries: the pseudonym, never the BSN itself."""
        return self.bsn_pseudonym or (
            "person:" + hashlib.sha256(f"rits-person:{self.pk}".encode()).hexdigest()[:16]
        )


class Relationship(models.Model):
    """A line on the ecogram: how two persons of one family stand to each other.

    The family says what kind of line it is and how strong: a weak line is drawn dashed,
    a strong one thick.
    """

    class Kind(models.TextChoices):
        PARENT_OF = "parent_of", _("is parent of")
        PARTNER_OF = "partner_of", _("is partner of")
        SIBLING_OF = "sibling_of", _("is brother or sister of")
        GRANDPARENT_OF = "grandparent_of", _("is grandparent of")
        MENTOR_OF = "mentor_of", _("is JIM of")
        SUPPORTS = "supports", _("supports")

    class Strength(models.IntegerChoices):
        WEAK = 1, _("weak")
        NORMAL = 2, _("normal")
        STRONG = 3, _("strong")

    # Kinds that read the same both ways: "A is partner of B" is "B is partner of A".
    MUTUAL_KINDS = (Kind.PARTNER_OF, Kind.SIBLING_OF)

    family = models.ForeignKey(
        Family, on_delete=models.CASCADE, related_name="relationships", verbose_name=_("family")
    )
    from_person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="relations_out", verbose_name=_("person")
    )
    to_person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="relations_in", verbose_name=_("related to")
    )
    kind = models.CharField(_("relationship"), max_length=20, choices=Kind)
    strength = models.PositiveSmallIntegerField(
        _("strength"), choices=Strength, default=Strength.NORMAL
    )

    class Meta:
        verbose_name = _("relationship")
        verbose_name_plural = _("relationships")
        constraints = [
            models.UniqueConstraint(
                fields=["from_person", "to_person", "kind"], name="relationship_unique"
            ),
            models.CheckConstraint(
                condition=Q(strength__gte=1, strength__lte=3), name="relationship_strength_1_to_3"
            ),
            models.CheckConstraint(
                condition=~Q(from_person=models.F("to_person")), name="relationship_two_persons"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_person} {self.get_kind_display()} {self.to_person}"


class Invitation(models.Model):
    """A single-use, expiring link that lets a family or network member set a password.

    The link goes by e-mail to the invited person only and is never shown to anyone;
    only the SHA-256 of its token is stored. The link alone is not enough: the recipient
    types the address it went to, and Rits mails a one-time code to that address. Only
    with that code can a password be chosen, so whoever sent the invitation (and knows
    the link's address) cannot take over the account.
    """

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("person")
    )
    email = models.EmailField(_("e-mail address"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    # The one-time code mailed after the address was typed: a keyed hash only, with its
    # own expiry and a count of wrong tries; how many codes were sent and when the last
    # one went bound how often an address can be mailed.
    code_hash = models.CharField(max_length=64, blank=True, editable=False)
    code_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    code_tries = models.PositiveSmallIntegerField(default=0, editable=False)
    codes_sent = models.PositiveSmallIntegerField(default=0, editable=False)
    code_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    address_tries = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.person} ({self.email})"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    def hash_code(self, code: str) -> str:
        """Keyed with the deployment's secret and this invitation: six digits are few,
        so a plain hash of them would be read back from the database at once."""
        return salted_hmac(
            "rits-invitation-code", f"{self.pk}:{code}", algorithm="sha256"
        ).hexdigest()

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and self.expires_at > timezone.now()
