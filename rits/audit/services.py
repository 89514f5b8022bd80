"""Writing to the audit trail. Call ``record`` inside the transaction of the change
it describes, so the entry and the change commit or roll back together."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.db.models import Model

from rits.audit import context, registry
from rits.audit.models import GENESIS_HASH, Entry

if TYPE_CHECKING:
    from rits.accounts.models import User

# Any constant works; it names the one lock that orders the chain on PostgreSQL.
_CHAIN_LOCK_KEY = 7513


def _lock_chain() -> None:
    """Serialise chain appends until the surrounding transaction ends.

    PostgreSQL: a transaction-scoped advisory lock. SQLite: transactions start
    IMMEDIATE (settings), so the write lock is already held.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])


def record(
    actor: User | None,
    event: str,
    obj: Model | None = None,
    *,
    outcome: str = Entry.Outcome.SUCCESS,
    subject: str = "",
    purpose: str = "",
    on_behalf_of: str = "",
    organisation: str = "",
    role: str = "",
    object_type: str = "",
    object_id: str | int = "",
    object_label: str = "",
    data: dict[str, Any] | None = None,
) -> Entry:
    """Append one entry to the trail and return it.

    Steps, in this order: check the event code; take the chain lock; read the
    last hash; compute this entry's hash; insert.
    """
    registry.check(event)
    point = context.current()
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_label = object_label or str(obj)[:200]
    actor_label = ""
    if actor is not None and getattr(actor, "pk", None) is not None:
        actor_label = f"{actor.get_full_name()} <{actor.email}>"[:200]
    else:
        actor = None
    with transaction.atomic():
        _lock_chain()
        previous = Entry.objects.order_by("-id").values_list("entry_hash", flat=True).first()
        entry = Entry(
            event=event,
            outcome=outcome,
            actor=actor,
            actor_label=actor_label,
            on_behalf_of=on_behalf_of[:200],
            organisation=organisation[:200],
            role=role[:50],
            subject=subject,
            object_type=object_type,
            object_id=str(object_id),
            object_label=object_label[:200],
            ip_address=point.ip_address,
            user_agent=point.user_agent,
            channel=point.channel,
            request_id=point.request_id,
            purpose=purpose,
            data=data or {},
            previous_hash=previous or GENESIS_HASH,
        )
        entry.entry_hash = entry.compute_hash()
        entry.save()
    return entry
