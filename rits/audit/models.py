"""The append-only, hash-chained audit trail (NEN 7513 style)."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rits.audit import registry

GENESIS_HASH = "0" * 64


def genesis_hash(lane: int) -> str:
    """What the first entry of a lane names as its predecessor.

    Lane 0 starts from the all-zero hash, as the single chain did before lanes, so an
    existing trail is lane 0 unchanged; every other lane from a hash of its own number,
    so that no two lanes share a first ``previous_hash`` (which is unique).
    """
    if lane == 0:
        return GENESIS_HASH
    return hashlib.sha256(f"rits-audit-lane:{lane}".encode()).hexdigest()


class AppendOnlyError(RuntimeError):
    """Raised on any attempt to change or delete an audit entry through the ORM."""


class EntryQuerySet(models.QuerySet["Entry"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit entries cannot be changed.")

    def delete(self) -> NoReturn:  # type: ignore[override]
        raise AppendOnlyError("Audit entries cannot be deleted.")

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit entries cannot be changed.")

    def bulk_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit entries are appended one by one with audit.record().")


class Entry(models.Model):
    """One audited event: who did what to which subject, from where, why, with what outcome.

    ``entry_hash`` covers every field below, the entry's ``lane`` and ``previous_hash``
    (the hash of the entry before it in the same lane), so changing or removing any row
    breaks its lane's chain from that row on (``verify_audit_chain``). The lanes are
    explained in ``rits/audit/README.md``.
    """

    class Outcome(models.TextChoices):
        SUCCESS = "success", _("Success")
        DENIED = "denied", _("Denied")
        FAILURE = "failure", _("Failure")

    class Purpose(models.TextChoices):
        CARE = "care", _("Care for the client")
        COORDINATION = "coordination", _("Coordination of care")
        EMERGENCY = "emergency", _("Emergency access")
        RIGHTS = "rights", _("Rights of the person concerned")
        ACCOUNTABILITY = "accountability", _("Accountability and supervision")
        SECURITY = "security", _("Security")
        ADMINISTRATION = "administration", _("Administration")
        RESEARCH = "research", _("Learning and research (pseudonymised)")
        POLICY = "policy", _("Policy: figures about municipalities and regions")

    occurred_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    event = models.CharField(_("event"), max_length=80, db_index=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome, default="success")
    # The user row may be removed later; the entry keeps its id and label. Indexed by
    # "audit_actor_time" below, which leads with the actor.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    actor_label = models.CharField(_("user (as it was)"), max_length=200, blank=True)
    on_behalf_of = models.CharField(_("on behalf of"), max_length=200, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=50, blank=True)
    subject = models.CharField(_("subject (pseudonym)"), max_length=100, blank=True, db_index=True)
    object_type = models.CharField(_("object type"), max_length=80, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_label = models.CharField(_("object"), max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    channel = models.CharField(_("access point"), max_length=20, blank=True)
    request_id = models.CharField(_("request id"), max_length=32, blank=True)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    # Unique: two entries naming the same predecessor would be a fork in the chain,
    # so the database refuses the second one even if the chain lock were bypassed.
    # Which of the parallel chains the entry extends (see README): writers in different
    # lanes never wait for each other. Indexed with the id by "audit_lane_id" below.
    lane = models.SmallIntegerField(_("chain lane"), default=0)
    previous_hash = models.CharField(_("previous hash"), max_length=64, unique=True)
    entry_hash = models.CharField(_("hash"), max_length=64, unique=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            models.Index(fields=["actor", "occurred_at"], name="audit_actor_time"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
            # The head of a lane: its newest entry, read by every append.
            models.Index(fields=["lane", "id"], name="audit_lane_id"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.event} {self.actor_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Audit entries cannot be changed.")
        if not self.entry_hash or self.entry_hash != self.compute_hash():
            raise AppendOnlyError(
                "Audit entries are appended with audit.record(), which chains them."
            )
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit entries cannot be deleted.")

    @property
    def event_label(self) -> str:
        return registry.label(self.event)

    # The hashed content, in a fixed order. Adding a field means adding it here
    # and accepting that older entries hash without it (versioned by "v").
    HASHED_FIELDS = (
        "occurred_at",
        "event",
        "outcome",
        "actor_id",
        "actor_label",
        "on_behalf_of",
        "organisation",
        "role",
        "subject",
        "object_type",
        "object_id",
        "object_label",
        "ip_address",
        "user_agent",
        "channel",
        "request_id",
        "purpose",
        "data",
    )

    def compute_hash(self) -> str:
        return hash_content({name: getattr(self, name) for name in HASHED_VALUES})


# What ``verify_audit_chain`` reads per row: the hashed content, the lane and the two
# hashes.
HASHED_VALUES = (*Entry.HASHED_FIELDS, "lane", "previous_hash")


def hash_content(values: dict[str, Any]) -> str:
    """The SHA-256 of one entry's canonical JSON (fields of ``HASHED_VALUES``).

    A plain function over a dict, so the verifier can hash ``values()`` rows
    without building model instances for millions of entries. The lane is hashed
    for every lane but lane 0, whose entries hash exactly as the single chain's did
    (version 1), so a trail written before lanes still verifies; moving an entry to
    another lane changes its hash either way.
    """
    content: dict[str, Any] = {"v": 1}
    for name in HASHED_VALUES:
        value = values[name]
        if name == "lane":
            if value:
                content["lane"] = value
            continue
        if name == "occurred_at":
            value = value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        content[name] = value
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()
