"""Rights of youths and parents: overview (inspection), export, correction and
objection, handled by the municipal coordinator and audited."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from rits.accounts.models import Membership, User
from rits.audit.models import Entry
from rits.audit.services import record
from rits.involvement.models import (
    AGE_LIMIT_YEARS,
    Signal,
)
from rits.involvement.services import index
from rits.involvement.services.reads import record_read
from rits.involvement.services.registration import contact_line
from rits.involvement.services.retention import _end
from rits.involvement.services.validation import _DIGIT_RUNS, Purpose, Role
from rits.lib.ages import add_years, age_on
from rits.lib.pseudonyms import is_valid_bsn, pseudonymise_bsn
from rits.regions.models import Municipality

# --- Rights of youths and parents -----------------------------------------------------


def pseudonym_for_rights(bsn: str) -> str:
    if not is_valid_bsn(bsn or ""):
        raise ValidationError({"bsn": [_("This is not a valid BSN (the elfproef fails).")]})
    return pseudonymise_bsn(bsn)


def rights_overview(bsn: str, *, actor: User) -> list[tuple[Signal, str]]:
    """Every registration (active and archived) about this person, as youth or parent,
    in the actor's region: the basis for an inspection request (inzageverzoek).

    Only municipal coordinators may do this; the search itself is audited with the
    person's pseudonym as subject.
    """
    regions = require_municipal_coordinator(actor, "involvement.rights_overview")
    return overview_for_pseudonym(pseudonym_for_rights(bsn), actor=actor, regions=regions)


def overview_for_pseudonym(
    pseudonym: str, *, actor: User, regions: set[int] | None = None
) -> list[tuple[Signal, str]]:
    """The rights overview for a person already known by pseudonym (audited)."""
    if regions is None:
        regions = require_municipal_coordinator(actor, "involvement.rights_overview")
    # Indexed lookups instead of one OR, which SQLite would answer with a scan.
    ids = index.signals_naming(pseudonym)
    signals = list(
        Signal.objects.filter(pk__in=ids, organisation__region_id__in=regions)
        .select_related("organisation", "municipality")
        .order_by("registered_at")
    )
    _record_rights_read(actor, "involvement.rights_overview", pseudonym, signals)
    return [(s, "youth" if s.youth_pseudonym == pseudonym else "parent") for s in signals]


def require_municipal_coordinator(actor: User, attempted: str) -> set[int]:
    """The regions the actor handles rights requests for; a refusal is audited (403)."""
    regions = set(
        Membership.objects.filter(
            user=actor, active=True, role=Role.MUNICIPAL_COORDINATOR
        ).values_list("organisation__region_id", flat=True)
    )
    if not regions:
        with transaction.atomic():
            record(
                actor,
                "involvement.rights_denied",
                outcome=Entry.Outcome.DENIED,
                purpose=Purpose.SECURITY,
                data={"attempted": attempted},
            )
        raise PermissionDenied(
            pgettext("involvement", "Only a municipal coordinator handles rights requests.")
        )
    return regions


def rights_export_rows(entries: list[tuple[Signal, str]]) -> list[list[str]]:
    """The overview as rows for the person: which organisation, since when, until when.
    No BSN, no pseudonym."""
    rows = [
        [
            _("Registered as"),
            _("Organisation"),
            _("Contact"),
            _("Registered on"),
            _("Ends or ended on"),
            _("Status"),
        ]
    ]
    for signal, role in entries:
        end = timezone.localdate(signal.ended_at) if signal.ended_at else signal.ends_on
        rows.append(
            [
                _("youth") if role == "youth" else _("parent"),
                signal.organisation.name,
                contact_line(signal),
                timezone.localdate(signal.registered_at).isoformat(),
                end.isoformat(),
                str(signal.get_status_display()),
            ]
        )
    return rows


def audit_rights_export(pseudonym: str, entries: list[tuple[Signal, str]], *, actor: User) -> None:
    require_municipal_coordinator(actor, "involvement.rights_exported")
    _record_rights_read(actor, "involvement.rights_exported", pseudonym, [s for s, _r in entries])


def _record_rights_read(actor: User, event: str, pseudonym: str, signals: list[Signal]) -> None:
    """A read of a person's registrations, for a rights request, by the municipal coordinator."""
    record_read(
        actor,
        event,
        subject=pseudonym,
        purpose=Purpose.RIGHTS,
        role=Role.MUNICIPAL_COORDINATOR,
        object_type=Signal._meta.label_lower,  # the registrations in the data
        data={"signals": [s.pk for s in signals]},
    )


@transaction.atomic
def correct_signal(
    signal: Signal,
    *,
    actor: User,
    birth_date: date | None = None,
    municipality: Municipality | None = None,
    note: str = "",
) -> Signal:
    """Correct a registration at the person's request (date of birth, municipality)."""
    old: dict[str, Any] = {}
    new: dict[str, Any] = {}
    if birth_date and birth_date != signal.birth_date:
        if (
            age_on(birth_date, timezone.localdate()) >= AGE_LIMIT_YEARS
            or birth_date > timezone.localdate()
        ):
            raise ValidationError({"birth_date": [_("The youth must be 0 to 22 years old.")]})
        old["birth_date"], new["birth_date"] = signal.birth_date.isoformat(), birth_date.isoformat()
        signal.birth_date = birth_date
        signal.ends_on = min(signal.ends_on, add_years(birth_date, AGE_LIMIT_YEARS))
    if municipality and municipality.pk != signal.municipality_id:
        old["municipality"], new["municipality"] = signal.municipality_id, municipality.pk
        signal.municipality = municipality
    if not new:
        raise ValidationError(_("Nothing to correct."))
    signal.save(update_fields=["birth_date", "ends_on", "municipality"])
    record(
        actor,
        "involvement.signal_corrected",
        signal,
        subject=signal.youth_pseudonym,
        purpose=Purpose.RIGHTS,
        role=Role.MUNICIPAL_COORDINATOR,
        data={"old": old, "new": new, "note": _DIGIT_RUNS.sub("…", note)[:500]},
    )
    return signal


@transaction.atomic
def uphold_objection(signal: Signal, *, actor: User, note: str = "") -> Signal:
    """The person objected and the municipality upheld it: the registration ends now."""
    if signal.is_active:
        _end(signal, Signal.Status.OBJECTED, now=timezone.now())
    else:
        signal.status = Signal.Status.OBJECTED
        signal.save(update_fields=["status"])
    record(
        actor,
        "involvement.objection_upheld",
        signal,
        subject=signal.youth_pseudonym,
        purpose=Purpose.RIGHTS,
        role=Role.MUNICIPAL_COORDINATOR,
        data={"note": _DIGIT_RUNS.sub("…", note)[:500]},
    )
    return signal
