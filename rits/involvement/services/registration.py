"""Registering one signal and matching it: client matches (same youth) and family
matches (a shared parent), with the notifications that tell each professional
who the others are."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from rits.accounts.models import Organisation, User
from rits.audit.services import record
from rits.involvement.models import Match, Signal
from rits.involvement.services import index, matching
from rits.involvement.services.matching import Member, contact_text
from rits.involvement.services.validation import (
    CleanSignal,
    Purpose,
    Role,
    SignalInput,
    authorise_reporter,
    duplicate_error,
    validate,
)

# --- Register and match ------------------------------------------------------------


@dataclass
class Registration:
    signal: Signal
    matches: list[Match]
    # Per match id: the active signals in it, with what the reporter may see of them.
    members: dict[int, list[Member]] = field(default_factory=dict)


def register_signal(
    data: SignalInput, *, actor: User, organisation: Organisation | None = None
) -> Registration:
    """Register involvement and match it against the index.

    Steps, in this order: check that the organisation authorised the actor (refusals
    are audited); validate and pseudonymise; then in one transaction: look up the
    active signals for this youth or naming one of its parents (one statement serves
    the duplicate check and both kinds of match), refuse a duplicate, insert, match
    and notify, and write one audit entry that names the matches found or joined.
    """
    organisation = authorise_reporter(actor, organisation)
    clean = validate(data, actor=actor)
    now = timezone.now()
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            known = index.relatives(cursor, clean.youth_pseudonym, clean.parent_pseudonyms)
            if any(r[1] == clean.youth_pseudonym and r[4] == actor.pk for r in known):
                raise duplicate_error()
            row = index.signal_rows([clean], actor, organisation, now)[0]
            signal = _signal(index.insert_one(cursor, row), clean, data, actor, organisation, now)
            outcome = matching.Outcome()
            if known:
                new = [
                    matching.NewSignal(
                        pk=signal.pk, youth=signal.youth_pseudonym, parents=clean.parent_pseudonyms
                    )
                ]
                outcome = matching.apply(new, matching.related(new, known), now=now)
            record(
                actor,
                "involvement.signal_registered",
                signal,
                subject=signal.youth_pseudonym,
                purpose=Purpose.COORDINATION,
                organisation=organisation.name,
                role=Role.INDEX_REPORTER,
                data={
                    "ends_on": signal.ends_on.isoformat(),
                    "parents": len(clean.parent_pseudonyms),
                    **outcome.audit_data(),
                },
            )
    except IntegrityError as exc:
        # Two identical registrations raced; the unique constraint kept one.
        raise duplicate_error() from exc
    return Registration(
        signal=signal,
        matches=[t.as_match(now) for t in outcome.touched],
        members={t.pk: t.members for t in outcome.touched},
    )


def _signal(
    pk: int,
    clean: CleanSignal,
    data: SignalInput,
    actor: User,
    organisation: Organisation,
    now: datetime,
) -> Signal:
    """The signal just inserted, as the model instance the database would hand back."""
    parents = (*clean.parent_pseudonyms, "", "")
    signal = Signal(
        id=pk,
        youth_pseudonym=clean.youth_pseudonym,
        parent1_pseudonym=parents[0],
        parent2_pseudonym=parents[1],
        birth_date=clean.birth_date,
        municipality=data.municipality,
        reporter=actor,
        organisation=organisation,
        contact_name=clean.contact_name,
        contact_phone=clean.contact_phone,
        contact_email=clean.contact_email,
        own_reference=clean.own_reference,
        youth_informed=clean.youth_informed,
        parents_informed=clean.parents_informed,
        informing_postponed=clean.informing_postponed,
        registered_at=now,
        ends_on=clean.ends_on,
        status=Signal.Status.ACTIVE,
    )
    signal._state.adding = False
    signal._state.db = connection.alias
    return signal


def contact_line(signal: Signal) -> str:
    return contact_text(
        signal.contact_name, signal.organisation.name, signal.contact_phone, signal.contact_email
    )
