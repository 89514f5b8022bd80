"""Every change to the social map: one transaction, the search index updated and an
audit entry written inside it. Views, the API and the importers all come through here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, time
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rits.audit.models import Entry
from rits.audit.services import record
from rits.directory import search
from rits.directory.models import (
    LANGUAGE_CODES,
    MAX_AGE,
    Closure,
    OpeningHours,
    ProfessionalProfile,
    Provider,
    Service,
    ServiceArea,
    Theme,
    pack_languages,
)
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
    if data.phones:
        current_phones = list(service.phones.values_list("number", "description"))
        if current_phones != list(data.phones):
            service.phones.all().delete()
            for number, description in data.phones:
                service.phones.create(number=number, description=description)
            changed.append("phones")
    return changed


@transaction.atomic
def create_service(provider: Provider, data: ServiceData, *, actor: User | None) -> Service:
    data.validate()
    service = Service(provider=provider, name=data.name, description=data.description)
    service.save()
    _apply(service, data)
    search.reindex([service.pk])
    record(actor, "directory.service_created", service, purpose=ADMIN)
    return service


@transaction.atomic
def update_service(service: Service, data: ServiceData, *, actor: User | None) -> list[str]:
    data.validate()
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
) -> None:
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
        Closure(service=service, starts_on=c.starts_on, ends_on=c.ends_on, reason=c.reason)
        for c in closures
    )
    service.updated_at = timezone.now()
    service.save(update_fields=["updated_at"])
    record(
        actor,
        "directory.schedule_replaced",
        service,
        purpose=ADMIN,
        data={"slots": len(slots), "closures": len(closures)},
    )


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
