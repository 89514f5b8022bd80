"""Every change to the social map: one transaction, the search index updated and an
audit entry written inside it. Views, the API and the importers all come through here."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from rits.accounts.notifications import Message, notify_many
from rits.audit.models import Entry
from rits.audit.services import record
from rits.directory import reachability, search
from rits.directory.models import (
    LANGUAGE_CODES,
    MAX_AGE,
    Closure,
    Contact,
    CrisisLine,
    Location,
    OpeningHours,
    ProfessionalProfile,
    Provider,
    Report,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Theme,
    pack_languages,
)
from rits.directory.public_holidays import validate_holiday_keys
from rits.regions.maps import locate
from rits.regions.models import Area, Municipality

if TYPE_CHECKING:
    from rits.accounts.models import User

ADMIN = Entry.Purpose.ADMINISTRATION


@dataclass
class ServiceData:
    """What an editor may set on a service, checked by ``validate`` before any write."""

    name: str
    description: str
    status: str = Service.Status.ACTIVE
    themes: Sequence[Theme] = ()
    minimum_age: int | None = None
    maximum_age: int | None = None
    eligibility_description: str = ""
    languages: Sequence[str] = ("nl",)
    fees_description: str = ""
    application_process: str = ""
    url: str = ""
    email: str = ""
    wait_weeks: int | None = None
    open_on_public_holidays: bool = False
    municipalities: Sequence[Municipality] = ()
    areas: Sequence[Area] = ()
    phones: Sequence[tuple[str, str]] = ()
    #: The provider's locations where it is offered; None leaves them as they are.
    locations: Sequence[Location] | None = None

    def validate(self) -> None:
        errors: dict[str, list[str]] = {}
        if not self.name.strip():
            errors.setdefault("name", []).append(_("A name is required."))
        if not self.description.strip():
            errors.setdefault("description", []).append(_("A description is required."))
        if self.status not in Service.Status.values:
            errors.setdefault("status", []).append(_("Unknown status."))
        for key in ("minimum_age", "maximum_age"):
            value = getattr(self, key)
            if value is not None and not 0 <= value <= MAX_AGE:
                errors.setdefault(key, []).append(
                    _("An age must be between 0 and %(max)s.") % {"max": MAX_AGE}
                )
        if (
            self.minimum_age is not None
            and self.maximum_age is not None
            and self.minimum_age > self.maximum_age
        ):
            errors.setdefault("maximum_age", []).append(
                _("The maximum age is lower than the minimum age.")
            )
        unknown = sorted(set(self.languages) - LANGUAGE_CODES)
        if unknown:
            errors.setdefault("languages", []).append(
                _("Unknown language code: %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        if self.wait_weeks is not None and not 0 <= self.wait_weeks <= 104:
            errors.setdefault("wait_weeks", []).append(
                _("A waiting time must be between 0 and 104 weeks.")
            )
        if errors:
            raise ValidationError(errors)


CHECK_FIELDS = ("checked_at", "confirmed_at", "confirmed_by", "source")


def _checked(entry: Service | CrisisLine, actor: User | None, source: str = "") -> None:
    """An editor's change confirms the entry; an import marks it as from its source."""
    now = timezone.now()
    if source:
        entry.source = source
        entry.checked_at = now
    elif actor is not None:
        entry.checked_at = entry.confirmed_at = now
        entry.confirmed_by = actor


_SCALAR_FIELDS = (
    "name",
    "description",
    "status",
    "minimum_age",
    "maximum_age",
    "eligibility_description",
    "fees_description",
    "application_process",
    "url",
    "email",
    "open_on_public_holidays",
)


def _apply(service: Service, data: ServiceData) -> list[str]:
    """Copy ``data`` onto ``service`` and its relations; return the changed field names."""
    changed = [f for f in _SCALAR_FIELDS if getattr(service, f) != getattr(data, f)]
    for name in _SCALAR_FIELDS:
        setattr(service, name, getattr(data, name))
    languages = pack_languages(data.languages)
    if service.languages != languages:
        service.languages = languages
        changed.append("languages")
    if service.wait_weeks != data.wait_weeks:
        service.wait_weeks = data.wait_weeks
        service.wait_confirmed_on = timezone.localdate() if data.wait_weeks is not None else None
        changed.append("wait_weeks")
    service.updated_at = timezone.now()
    service.full_clean(exclude=["provider", "uuid"])
    service.save()
    if {t.pk for t in service.themes.all()} != {t.pk for t in data.themes}:
        service.themes.set(data.themes)
        changed.append("themes")
    wanted = {(m.pk, None) for m in data.municipalities} | {
        (a.municipality_id, a.pk) for a in data.areas
    }
    current = set(service.areas.values_list("municipality_id", "area_id"))
    if wanted != current:
        service.areas.all().delete()
        ServiceArea.objects.bulk_create(
            ServiceArea(service=service, municipality_id=m, area_id=a)
            for m, a in sorted(wanted, key=lambda pair: (pair[0], pair[1] or 0))
        )
        changed.append("areas")
    if data.locations is not None:
        foreign = [loc for loc in data.locations if loc.provider_id != service.provider_id]
        if foreign:
            raise ValidationError({"locations": [_("This location is not the provider's.")]})
        if set(service.at_locations.values_list("location_id", flat=True)) != {
            loc.pk for loc in data.locations
        }:
            service.at_locations.all().delete()
            ServiceAtLocation.objects.bulk_create(
                ServiceAtLocation(service=service, location=loc) for loc in data.locations
            )
            changed.append("locations")
    if data.phones:
        current_phones = list(service.phones.values_list("number", "description"))
        if current_phones != list(data.phones):
            service.phones.all().delete()
            for number, description in data.phones:
                service.phones.create(number=number, description=description)
            changed.append("phones")
    return changed


@transaction.atomic
def create_service(
    provider: Provider, data: ServiceData, *, actor: User | None, source: str = ""
) -> Service:
    data.validate()
    service = Service(provider=provider, name=data.name, description=data.description)
    _checked(service, actor, source)
    service.save()
    _apply(service, data)
    search.reindex([service.pk])
    record(actor, "directory.service_created", service, purpose=ADMIN)
    return service


@transaction.atomic
def update_service(
    service: Service, data: ServiceData, *, actor: User | None, source: str = ""
) -> list[str]:
    """Apply an editor's (or an import's) change; returns the names of the changed fields."""
    data.validate()
    _checked(service, actor, source)
    changed = _apply(service, data)
    search.reindex([service.pk])
    if changed:
        record(
            actor, "directory.service_changed", service, purpose=ADMIN, data={"changed": changed}
        )
    return changed


@transaction.atomic
def delete_service(service: Service, *, actor: User | None) -> None:
    pk = service.pk
    record(
        actor, "directory.service_deleted", service, purpose=ADMIN, data={"uuid": str(service.uuid)}
    )
    service.delete()
    search.reindex([pk])


@transaction.atomic
def confirm_wait_time(service: Service, *, actor: User | None, weeks: int) -> None:
    """Record the current waiting time; confirming the same number also renews its date."""
    if not 0 <= weeks <= 104:
        raise ValidationError(
            {"wait_weeks": [_("A waiting time must be between 0 and 104 weeks.")]}
        )
    previous = service.wait_weeks
    service.wait_weeks = weeks
    service.wait_confirmed_on = timezone.localdate()
    service.updated_at = timezone.now()
    service.save(update_fields=["wait_weeks", "wait_confirmed_on", "updated_at"])
    search.reindex([service.pk])  # the waiting time is a search filter
    record(
        actor,
        "directory.wait_time_confirmed",
        service,
        purpose=ADMIN,
        data={"old": previous, "new": weeks},
    )


@dataclass(frozen=True)
class Slot:
    weekday: int
    opens_at: time
    closes_at: time
    valid_from: date | None = None
    valid_to: date | None = None


@dataclass(frozen=True)
class ClosureData:
    starts_on: date
    ends_on: date
    reason: str = ""
    #: Where to go instead while closed; a closure without one is flagged.
    alternative: str = ""


def _periods_overlap(a: Slot, b: Slot) -> bool:
    return (a.valid_to is None or b.valid_from is None or b.valid_from <= a.valid_to) and (
        b.valid_to is None or a.valid_from is None or a.valid_from <= b.valid_to
    )


def _overlaps(slots: Sequence[Slot]) -> list[str]:
    """Two slots of the same day whose times and validity periods overlap (touching
    slots, 12:00-13:00 after 09:00-12:00, do not)."""
    found = []
    for i, a in enumerate(slots, start=1):
        for j, b in enumerate(slots[i:], start=i + 1):
            if (
                a.weekday == b.weekday
                and a.opens_at < b.closes_at
                and b.opens_at < a.closes_at
                and _periods_overlap(a, b)
            ):
                found.append(
                    _("Slots %(a)s and %(b)s overlap on the same day and in the same period.")
                    % {"a": i, "b": j}
                )
    return found


def closure_warnings(closures: Sequence[ClosureData]) -> list[str]:
    """Closures that do not say where to go instead: saved, but flagged."""
    return [
        _("Closure %(n)s (%(start)s to %(end)s) does not say where people can go instead.")
        % {"n": n, "start": c.starts_on.strftime("%d-%m-%Y"), "end": c.ends_on.strftime("%d-%m-%Y")}
        for n, c in enumerate(closures, start=1)
        if not c.alternative.strip()
    ]


def validate_schedule(slots: Sequence[Slot], closures: Sequence[ClosureData] = ()) -> None:
    """Reject impossible slots with a message per slot ("slot 2: ...")."""
    errors: list[str] = []
    for number, slot in enumerate(slots, start=1):
        if not 0 <= slot.weekday <= 6:
            errors.append(
                _("Slot %(n)s: the day must be 0 (Monday) to 6 (Sunday).") % {"n": number}
            )
        if slot.closes_at <= slot.opens_at:
            errors.append(
                _("Slot %(n)s: closing time must be after opening time (split slots at midnight).")
                % {"n": number}
            )
        if slot.valid_from and slot.valid_to and slot.valid_from > slot.valid_to:
            errors.append(
                _("Slot %(n)s: the validity period ends before it starts.") % {"n": number}
            )
    if not errors:
        errors.extend(_overlaps(slots))
    for number, closure in enumerate(closures, start=1):
        if closure.ends_on < closure.starts_on:
            errors.append(_("Closure %(n)s: it ends before it starts.") % {"n": number})
    if errors:
        raise ValidationError({"schedule": errors})


@transaction.atomic
def replace_schedule(
    service: Service,
    slots: Sequence[Slot],
    closures: Sequence[ClosureData] = (),
    *,
    actor: User | None,
    source: str = "",
) -> list[str]:
    """Replace a service's week and closures; returns the warnings (closures without an
    alternative), which do not stop the change."""
    validate_schedule(slots, closures)
    service.hours.all().delete()
    service.closures.all().delete()
    OpeningHours.objects.bulk_create(
        OpeningHours(
            service=service,
            weekday=s.weekday,
            opens_at=s.opens_at,
            closes_at=s.closes_at,
            valid_from=s.valid_from,
            valid_to=s.valid_to,
        )
        for s in slots
    )
    Closure.objects.bulk_create(
        Closure(
            service=service,
            starts_on=c.starts_on,
            ends_on=c.ends_on,
            reason=c.reason,
            alternative=c.alternative,
        )
        for c in closures
    )
    service.updated_at = timezone.now()
    _checked(service, actor, source)
    service.save(update_fields=["updated_at", *CHECK_FIELDS])
    warnings = closure_warnings(closures)
    record(
        actor,
        "directory.schedule_replaced",
        service,
        purpose=ADMIN,
        data={"slots": len(slots), "closures": len(closures), "warnings": len(warnings)},
    )
    return warnings


@transaction.atomic
def update_provider(provider: Provider, *, actor: User | None, **fields: Any) -> list[str]:
    allowed = {"name", "description", "email", "website", "phone"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    changed = [k for k, v in fields.items() if getattr(provider, k) != v]
    for key, value in fields.items():
        setattr(provider, key, value)
    provider.updated_at = timezone.now()
    provider.full_clean(exclude=["organisation", "uuid"])
    provider.save()
    if changed:
        # The provider's name is part of every service's indexed text.
        search.reindex(provider.services.values_list("pk", flat=True))
        record(
            actor, "directory.provider_changed", provider, purpose=ADMIN, data={"changed": changed}
        )
    return changed


@dataclass
class ProfileData:
    expertise: Sequence[Theme] = ()
    expertise_note: str = ""
    languages: Sequence[str] = ("nl",)
    municipalities: Sequence[Municipality] = ()
    phone: str = ""
    email: str = ""
    reachable: str = ""
    published: bool = True
    team_id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@transaction.atomic
def save_profile(user: User, data: ProfileData, *, actor: User) -> ProfessionalProfile:
    """A professional keeps their own profile; only they (or the functional admin) change it."""
    unknown = sorted(set(data.languages) - LANGUAGE_CODES)
    if unknown:
        raise ValidationError(
            {"languages": [_("Unknown language code: %(codes)s.") % {"codes": ", ".join(unknown)}]}
        )
    profile, _created = ProfessionalProfile.objects.get_or_create(user=user)
    profile.expertise_note = data.expertise_note
    profile.languages = pack_languages(data.languages)
    profile.phone = data.phone
    profile.email = data.email
    profile.reachable = data.reachable
    profile.published = data.published
    profile.team_id = data.team_id
    profile.updated_at = timezone.now()
    profile.full_clean(exclude=["user"])
    profile.save()
    profile.expertise.set(data.expertise)
    profile.municipalities.set(data.municipalities)
    record(actor, "directory.profile_changed", profile, purpose=ADMIN)
    return profile


# Keeping entries up: locations, contacts, crisis lines, confirmation and reports.

POSTCODE = re.compile(r"^[1-9][0-9]{3} ?[A-Z]{2}$")
PHONE = re.compile(r"^\+?[0-9][0-9 ()\-–]{2,28}$")  # noqa: RUF001  (the en dash of the source texts)


def region_of(provider: Provider) -> int | None:
    """The provider's region: its organisation's, else its municipality's (None: unknown)."""
    if provider.organisation is not None:
        return provider.organisation.region_id
    if provider.municipality is not None:
        return provider.municipality.region_id
    return None


@dataclass(frozen=True)
class LocationData:
    name: str
    address_1: str
    postal_code: str
    city: str
    municipality: Municipality | None
    latitude: float | None = None
    longitude: float | None = None
    area: Area | None = None

    def validate(self, region_id: int | None) -> None:
        errors: dict[str, list[str]] = {}
        for key, message in (
            ("name", _("A name is required.")),
            ("address_1", _("Fill in the street and house number.")),
            ("city", _("Fill in the place.")),
        ):
            if not getattr(self, key).strip():
                errors.setdefault(key, []).append(message)
        if not POSTCODE.match(self.postal_code.strip().upper()):
            errors.setdefault("postal_code", []).append(
                _("A Dutch postcode has four digits and two letters, such as 6411 AB.")
            )
        if self.municipality is None:
            errors.setdefault("municipality", []).append(_("Choose the municipality."))
        elif region_id is not None and self.municipality.region_id != region_id:
            errors.setdefault("municipality", []).append(
                _("%(place)s is not a municipality of this region.")
                % {"place": self.municipality.name}
            )
        if self.area is not None and self.area.municipality_id != getattr(
            self.municipality, "pk", None
        ):
            errors.setdefault("area", []).append(_("This wijk is not in that municipality."))
        if (self.latitude is None) != (self.longitude is None):
            errors.setdefault("latitude", []).append(
                _("Fill in both latitude and longitude, or neither.")
            )
        elif (
            self.latitude is not None
            and self.longitude is not None
            and locate(self.longitude, self.latitude) is None
        ):
            errors.setdefault("latitude", []).append(
                _("These coordinates are outside the Netherlands.")
            )
        if errors:
            raise ValidationError(errors)


_LOCATION_FIELDS = ("name", "address_1", "postal_code", "city", "latitude", "longitude")


@transaction.atomic
def save_location(
    provider: Provider, data: LocationData, *, actor: User | None, location: Location | None = None
) -> tuple[Location, list[str]]:
    """Add a location to a provider or change one; returns it and what changed."""
    data.validate(region_of(provider))
    assert data.municipality is not None
    if location is None:
        location = Location(provider=provider)
        changed = ["created"]
    else:
        changed = [f for f in _LOCATION_FIELDS if getattr(location, f) != getattr(data, f)]
        if location.municipality_id != data.municipality.pk:
            changed.append("municipality")
        if location.area_id != (data.area.pk if data.area else None):
            changed.append("area")
    for name in _LOCATION_FIELDS:
        setattr(location, name, getattr(data, name))
    location.postal_code = data.postal_code.strip().upper()
    location.municipality = data.municipality
    location.area = data.area
    location.updated_at = timezone.now()
    location.save()
    if changed:
        record(
            actor, "directory.location_saved", location, purpose=ADMIN, data={"changed": changed}
        )
    return location, changed


@transaction.atomic
def delete_location(location: Location, *, actor: User | None) -> None:
    record(
        actor,
        "directory.location_removed",
        location,
        purpose=ADMIN,
        data={"uuid": str(location.uuid)},
    )
    location.delete()


@dataclass(frozen=True)
class ContactData:
    name: str
    title: str = ""
    email: str = ""
    phone: str = ""


@transaction.atomic
def replace_contacts(
    service: Service, contacts: Sequence[ContactData], *, actor: User | None
) -> bool:
    """Set a service's contacts; returns whether anything changed."""
    errors = []
    for number, contact in enumerate(contacts, start=1):
        if not contact.name.strip():
            errors.append(_("Contact %(n)s: a name is required.") % {"n": number})
        if contact.phone and not PHONE.match(contact.phone):
            errors.append(_("Contact %(n)s: this is not a phone number.") % {"n": number})
    if errors:
        raise ValidationError({"contacts": errors})
    current = [
        ContactData(c.name, c.title, c.email, c.phone) for c in service.contacts.order_by("pk")
    ]
    if current == list(contacts):
        return False
    service.contacts.all().delete()
    for contact in contacts:
        created = Contact(service=service, **contact.__dict__)
        created.full_clean(exclude=["uuid", "provider", "service"])
        created.save()
    _checked(service, actor)
    service.updated_at = timezone.now()
    service.save(update_fields=["updated_at", *CHECK_FIELDS])
    record(
        actor,
        "directory.contacts_changed",
        service,
        purpose=ADMIN,
        data={"before": len(current), "after": len(contacts)},
    )
    return True


class GapsFound(ValidationError):
    """The change would leave a municipality without a number at some moment."""

    def __init__(self, gaps: list[str]) -> None:
        super().__init__({"schedule": gaps})
        self.gaps = gaps


@dataclass(frozen=True)
class CrisisLineData:
    name: str
    phone: str
    slots: Sequence[Slot] = ()
    closures: Sequence[ClosureData] = ()
    closed_on_holidays: Sequence[str] = ()


def coverage_gaps(line: CrisisLine, today: date | None = None) -> list[str]:
    """The stretches of this week and of this year's public holidays in which a
    municipality the line serves has no number to call, one sentence each."""
    today = today or timezone.localdate()
    places = (
        [line.municipality]
        if line.municipality is not None
        else list(Municipality.objects.filter(region_id=line.region_id))
    )
    days = sorted({*reachability.week_of(today), *reachability.public_holidays_in(today.year)})
    names = {m.pk: m.name for m in places}
    found = []
    for municipality_id, coverage in sorted(
        reachability.crisis_coverage(places, days).items(), key=lambda kv: names[kv[0]]
    ):
        for gap in coverage.gaps:
            starts, ends = reachability.local(gap.starts), reachability.local(gap.ends)
            found.append(
                _("%(place)s has no number from %(start)s to %(end)s%(holiday)s.")
                % {
                    "place": names[municipality_id],
                    "start": date_format(starts, "l j F H:i"),
                    "end": date_format(ends, "l j F H:i"),
                    "holiday": f" ({gap.holiday})" if gap.holiday else "",
                }
            )
    return found


@transaction.atomic
def save_crisis_line(
    line: CrisisLine, data: CrisisLineData, *, actor: User | None, accept_gaps: bool = False
) -> tuple[list[str], list[str]]:
    """Change a crisis line: its name, number, office hours, closures and the public
    holidays that close it. Returns what changed and the warnings (closures without an
    alternative; gaps the editor accepted).

    Steps: check everything (no hours is refused for a municipality's office line);
    write; check the coverage of every municipality the line serves this week and on
    this year's public holidays: a gap rolls the change back (``GapsFound``) unless the
    editor saw it and accepts it; audit."""
    errors: dict[str, list[str]] = {}
    if not data.name.strip():
        errors["name"] = [_("A name is required.")]
    if not PHONE.match(data.phone.strip()):
        errors["phone"] = [_("Fill in a phone number, such as 045 560 25 61.")]
    if line.kind == CrisisLine.Kind.OFFICE_HOURS and not data.slots:
        errors["schedule"] = [
            _("A crisis line needs its hours: without them nobody knows when to call it.")
        ]
    try:
        validate_holiday_keys(list(data.closed_on_holidays))
    except ValidationError as exc:
        errors["closed_on_holidays"] = exc.messages
    try:
        validate_schedule(data.slots, data.closures)
    except ValidationError as exc:
        errors.setdefault("schedule", []).extend(exc.message_dict["schedule"])
    if errors:
        raise ValidationError(errors)
    changed = []
    if line.name != data.name.strip():
        changed.append("name")
    if line.phone != data.phone.strip():
        changed.append("phone")
    if sorted(line.closed_on_holidays or []) != sorted(data.closed_on_holidays):
        changed.append("closed_on_holidays")
    before = (
        sorted(
            (h.weekday, h.opens_at, h.closes_at, h.valid_from, h.valid_to) for h in line.hours.all()
        ),
        sorted((c.starts_on, c.ends_on, c.reason, c.alternative) for c in line.closures.all()),
    )
    after = (
        sorted((s.weekday, s.opens_at, s.closes_at, s.valid_from, s.valid_to) for s in data.slots),
        sorted((c.starts_on, c.ends_on, c.reason, c.alternative) for c in data.closures),
    )
    if before[0] != after[0]:
        changed.append("hours")
    if before[1] != after[1]:
        changed.append("closures")
    old_phone = line.phone
    line.name = data.name.strip()
    line.phone = data.phone.strip()
    line.closed_on_holidays = list(data.closed_on_holidays)
    _checked(line, actor)
    line.save()
    if "hours" in changed:
        line.hours.all().delete()
        OpeningHours.objects.bulk_create(
            OpeningHours(
                crisis_line=line,
                weekday=s.weekday,
                opens_at=s.opens_at,
                closes_at=s.closes_at,
                valid_from=s.valid_from,
                valid_to=s.valid_to,
            )
            for s in data.slots
        )
    if "closures" in changed:
        line.closures.all().delete()
        Closure.objects.bulk_create(
            Closure(
                crisis_line=line,
                starts_on=c.starts_on,
                ends_on=c.ends_on,
                reason=c.reason,
                alternative=c.alternative,
            )
            for c in data.closures
        )
    reachability.forget_crisis_lines()
    gaps = coverage_gaps(line)
    if gaps and not accept_gaps:
        raise GapsFound(gaps)
    warnings = closure_warnings(data.closures) + gaps
    data_out: dict[str, Any] = {"changed": changed, "warnings": len(warnings)}
    if "phone" in changed:
        data_out.update(old=old_phone, new=line.phone)
    record(actor, "directory.crisis_line_changed", line, purpose=ADMIN, data=data_out)
    return changed, warnings


ReviewEntry = Service | CrisisLine


def entry_kind(entry: ReviewEntry) -> str:
    return "service" if isinstance(entry, Service) else "crisis_line"


@transaction.atomic
def confirm_entry(entry: ReviewEntry, *, actor: User) -> None:
    """The editor says: this entry is still right (one click on the review page)."""
    _checked(entry, actor)
    entry.save(update_fields=list(CHECK_FIELDS))
    record(
        actor, "directory.entry_confirmed", entry, purpose=ADMIN, data={"kind": entry_kind(entry)}
    )


def _editors_of(entry: ReviewEntry) -> list[User]:
    from rits.accounts.models import Membership, User

    organisation_id = (
        entry.provider.organisation_id if isinstance(entry, Service) else entry.organisation_id
    )
    if organisation_id is None:
        return []
    return list(
        User.objects.filter(
            is_active=True,
            memberships__organisation_id=organisation_id,
            memberships__role=Membership.Role.ORGANISATION_ADMIN,
            memberships__active=True,
        ).distinct()
    )


def _number_of(entry: ReviewEntry) -> str:
    if isinstance(entry, CrisisLine):
        return entry.phone
    first = entry.phones.first()
    return first.number if first else ""


@transaction.atomic
def report_wrong_number(
    entry: ReviewEntry, *, actor: User, suggested: str = "", note: str = ""
) -> Report:
    """Any signed-in user: "this number is wrong". It lands in the review queue and the
    entry's editors are told."""
    suggested = suggested.strip()
    if suggested and not PHONE.match(suggested):
        raise ValidationError({"suggested": [_("This is not a phone number.")]})
    report = Report.objects.create(
        kind=Report.Kind.WRONG_NUMBER,
        service=entry if isinstance(entry, Service) else None,
        crisis_line=entry if isinstance(entry, CrisisLine) else None,
        number=_number_of(entry),
        suggested=suggested,
        note=note.strip(),
        reported_by=actor,
    )
    record(
        actor, "directory.number_reported", entry, purpose=ADMIN, data={"report": str(report.uuid)}
    )
    notify_many(
        [
            Message(
                user_id=editor.pk,
                email=editor.email,
                kind="directory.report",
                title=_("Someone reports a wrong number: %(name)s") % {"name": entry.name},
                body=_("Check the number on your review page."),
                url=reverse("directory_review"),
            )
            for editor in _editors_of(entry)
        ]
    )
    return report


@transaction.atomic
def record_conflict(
    line: CrisisLine, *, number: str, source: str, actor: User | None
) -> Report | None:
    """A source gives another number for the same line and hours (two published
    versions of one crisis page): keep the line's number and put both in the queue.
    Returns None when the number is the line's own or already in an open conflict."""
    number = number.strip()
    if (
        number == line.phone
        or line.reports.filter(
            kind=Report.Kind.CONFLICT, suggested=number, resolved_at__isnull=True
        ).exists()
    ):
        return None
    report = Report.objects.create(
        kind=Report.Kind.CONFLICT,
        crisis_line=line,
        number=line.phone,
        suggested=number,
        source=source,
    )
    record(
        actor,
        "directory.conflict_found",
        line,
        purpose=ADMIN,
        data={"report": str(report.uuid), "numbers": [line.phone, number]},
    )
    return report


@transaction.atomic
def resolve_report(
    report: Report, *, actor: User, resolution: str, use_suggested: bool = False
) -> None:
    """Close a report; ``use_suggested`` puts the suggested number on a crisis line
    (a service's numbers are changed on its own form)."""
    if report.resolved_at is not None:
        raise ValidationError({"report": [_("This report has already been resolved.")]})
    if use_suggested:
        if report.crisis_line is None or not report.suggested:
            raise ValidationError(
                {"use_suggested": [_("Only a crisis line's suggested number can be taken over.")]}
            )
        line = report.crisis_line
        old = line.phone
        line.phone = report.suggested
        _checked(line, actor)
        line.save(update_fields=["phone", *CHECK_FIELDS])
        reachability.forget_crisis_lines()
        record(
            actor,
            "directory.crisis_line_changed",
            line,
            purpose=ADMIN,
            data={"changed": ["phone"], "old": old, "new": line.phone},
        )
    report.resolved_at = timezone.now()
    report.resolved_by = actor
    report.resolution = resolution.strip()[:300]
    report.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    record(
        actor,
        "directory.report_resolved",
        report.entry,
        purpose=ADMIN,
        data={"report": str(report.uuid), "took_suggested": use_suggested},
    )


def period_start(now: datetime, months: int) -> date:
    """The first day of the review period that ``now`` falls in (periods start in
    January: with 6 months, on 1 January and 1 July)."""
    day = timezone.localdate(now)
    index = (day.month - 1) // months * months
    return date(day.year, index + 1, 1)


def _editor_messages(organisation_id: int, title: str, body: str) -> list[Message]:
    from rits.accounts.models import Membership, User

    editors = User.objects.filter(
        is_active=True,
        memberships__organisation_id=organisation_id,
        memberships__role=Membership.Role.ORGANISATION_ADMIN,
        memberships__active=True,
    ).distinct()
    url = reverse("directory_review")
    return [
        Message(
            user_id=u.pk, email=u.email, kind="directory.review", title=title, body=body, url=url
        )
        for u in editors.only("pk", "email")
    ]


@dataclass
class RequestsSent:
    confirm: int = 0
    wait_time: int = 0
    messages: int = 0


def send_review_requests(now: datetime | None = None) -> RequestsSent:
    """The rhythm: once per review period, ask each organisation's editors to confirm
    their entries if any was not checked since the period began; and once per waiting
    time that passes its staleness limit, ask to confirm it. Each request is kept
    (``ReviewRequest``), so running this again sends nothing twice."""
    from django.conf import settings

    from rits.directory.models import WAIT_STALE_AFTER, ReviewRequest

    now = now or timezone.now()
    months = max(1, min(12, settings.RITS_REVIEW_EVERY_MONTHS))
    start = period_start(now, months)
    begun = datetime.combine(start, time(0), tzinfo=reachability.AMSTERDAM)
    key = start.isoformat()
    sent = RequestsSent()
    due: dict[int, int] = {}
    for org_id in Service.objects.filter(
        checked_at__lt=begun, provider__organisation__isnull=False
    ).values_list("provider__organisation_id", flat=True):
        due[org_id] = due.get(org_id, 0) + 1
    for org_id in CrisisLine.objects.filter(
        checked_at__lt=begun, organisation__isnull=False
    ).values_list("organisation_id", flat=True):
        due[org_id] = due.get(org_id, 0) + 1
    already = set(
        ReviewRequest.objects.filter(
            kind=ReviewRequest.Kind.CONFIRM, key=key, organisation_id__in=due
        ).values_list("organisation_id", flat=True)
    )
    for org_id, count in sorted(due.items()):
        if org_id in already:
            continue
        with transaction.atomic():
            messages = _editor_messages(
                org_id,
                _("Are your entries on the social map still right?"),
                _(
                    "%(count)s of your entries have not been confirmed since %(day)s. "
                    "Check them on one page and confirm with one click each."
                )
                % {"count": count, "day": start.strftime("%d-%m-%Y")},
            )
            ReviewRequest.objects.create(
                organisation_id=org_id,
                kind=ReviewRequest.Kind.CONFIRM,
                key=key,
                sent_at=now,
                recipients=len(messages),
            )
            notify_many(messages)
            record(
                None,
                "directory.review_requested",
                purpose=ADMIN,
                object_type="accounts.organisation",
                object_id=org_id,
                data={"kind": "confirm", "period": key, "entries": count},
            )
        sent.confirm += 1
        sent.messages += len(messages)
    stale_day = timezone.localdate(now) - WAIT_STALE_AFTER
    waits: dict[int, list[tuple[str, str]]] = {}
    for pk, name, confirmed, org_id in Service.objects.filter(
        wait_weeks__isnull=False,
        wait_confirmed_on__lt=stale_day,
        provider__organisation__isnull=False,
        status=Service.Status.ACTIVE,
    ).values_list("pk", "name", "wait_confirmed_on", "provider__organisation_id"):
        waits.setdefault(org_id, []).append((f"{pk}:{confirmed}", name))
    for org_id, keyed in sorted(waits.items()):
        known = set(
            ReviewRequest.objects.filter(
                organisation_id=org_id,
                kind=ReviewRequest.Kind.WAIT_TIME,
                key__in=[k for k, _n in keyed],
            ).values_list("key", flat=True)
        )
        new = [(k, n) for k, n in keyed if k not in known]
        if not new:
            continue
        with transaction.atomic():
            messages = _editor_messages(
                org_id,
                _("Is your waiting time still right?"),
                _("The waiting time of %(names)s has not been confirmed for over 30 days.")
                % {"names": ", ".join(n for _k, n in new[:5]) + (" …" if len(new) > 5 else "")},
            )
            ReviewRequest.objects.bulk_create(
                ReviewRequest(
                    organisation_id=org_id,
                    kind=ReviewRequest.Kind.WAIT_TIME,
                    key=k,
                    sent_at=now,
                    recipients=len(messages),
                )
                for k, _n in new
            )
            notify_many(messages)
            record(
                None,
                "directory.review_requested",
                purpose=ADMIN,
                object_type="accounts.organisation",
                object_id=org_id,
                data={"kind": "wait_time", "services": len(new)},
            )
        sent.wait_time += len(new)
        sent.messages += len(messages)
    return sent
