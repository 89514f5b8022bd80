"""Moving the social map in and out: HSDS JSON export and import (round trip without
loss) and a CSV import for organisations that keep their offer in a spreadsheet.

Imports are all-or-nothing: every row is checked first and the errors reported per
row; only a clean file is written, in one transaction, with audit entries.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from rits.audit.models import Entry
from rits.audit.services import record
from rits.directory import hsds, search
from rits.directory.hsds import documents
from rits.directory.models import (
    LANGUAGE_CODES,
    Closure,
    Contact,
    Location,
    OpeningHours,
    Phone,
    Provider,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Theme,
    pack_languages,
)
from rits.directory.services import ServiceData, Slot, create_service, update_service
from rits.directory.services import validate_schedule as check_schedule
from rits.regions.models import Area, Municipality

#: What an entry's state says when an import brought it ("imported from ...").
HSDS_SOURCE = "HSDS 3.0-bestand"
CSV_SOURCE = "CSV-bestand"

if TYPE_CHECKING:
    from rits.accounts.models import User

Progress = Callable[[str, int, int], None]
MAX_CSV_BYTES = 5 * 1024 * 1024
MAX_CSV_ROWS = 5000


def _quiet(label: str, done: int, total: int) -> None:
    return None


class ImportRejected(ValueError):
    """The file was not imported; ``errors`` says per row (or object) why."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


# HSDS export / import


def export_map(*, actor: User | None = None, progress: Progress = _quiet) -> dict[str, Any]:
    """The whole map as one HSDS document (taxonomy, organizations, services)."""
    providers = list(
        Provider.objects.select_related("municipality").prefetch_related(
            "locations__municipality", "locations__area", "locations__provider"
        )
    )
    services_qs = (
        Service.objects.select_related("provider", "provider__municipality")
        .prefetch_related(*documents.SERVICE_PREFETCH)
        .order_by("pk")
    )
    total = services_qs.count()
    services = []
    for done, service in enumerate(services_qs.iterator(chunk_size=1000), start=1):
        services.append(documents.service_doc(service))
        if done % 500 == 0 or done == total:
            progress("export", done, total)
    result = {
        "hsds_version": "3.0",
        "profile": "rits",
        "exported_at": timezone.now().isoformat(),
        "taxonomies": [documents.taxonomy_doc()],
        "taxonomy_terms": [documents.term_doc(t) for t in Theme.objects.select_related("parent")],
        "organizations": [documents.organization_doc(p) for p in providers],
        "services": services,
    }
    if actor is not None:
        with transaction.atomic():
            record(
                actor,
                "directory.exported",
                purpose=Entry.Purpose.ADMINISTRATION,
                data={"organizations": len(providers), "services": total},
            )
    return result


def _parse_time(value: str) -> time:
    return time.fromisoformat(value)


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


@dataclass
class _Plan:
    """What an import will write, resolved and checked before the first write."""

    providers: list[tuple[dict[str, Any], Municipality | None]] = field(default_factory=list)
    locations: list[tuple[dict[str, Any], str, Municipality, Area | None]] = field(
        default_factory=list
    )
    services: list[dict[str, Any]] = field(default_factory=list)


def import_map(
    document: dict[str, Any], *, actor: User | None, progress: Progress = _quiet
) -> dict[str, int]:
    """Import an HSDS document made by ``export_map`` (or by another HSDS 3.0 source that
    uses the Rits taxonomy). Objects are matched on their HSDS id; nothing is written
    unless every object is valid."""
    errors: list[tuple[str, str]] = []
    if not isinstance(document, dict):
        raise ImportRejected([("document", _("The file is not an HSDS JSON object."))])
    municipalities = {m.code: m for m in Municipality.objects.all()}
    themes = {str(t.uuid): t for t in Theme.objects.all()}
    plan = _Plan()
    org_ids: set[str] = {str(u) for u in Provider.objects.values_list("uuid", flat=True)}
    for index, org in enumerate(document.get("organizations", []) or []):
        where = f"organizations/{index}"
        for message in hsds.errors("organization", org):
            errors.append((where, message))
        if not isinstance(org, dict) or "id" not in org:
            continue
        extra = org.get("x_rits", {}) or {}
        code = extra.get("municipality")
        if code and code not in municipalities:
            errors.append((where, _("Unknown municipality code %(code)s.") % {"code": code}))
        plan.providers.append((org, municipalities.get(code) if code else None))
        org_ids.add(str(org["id"]))
        for lindex, loc in enumerate(org.get("locations", []) or []):
            lwhere = f"{where}/locations/{lindex}"
            lextra = loc.get("x_rits", {}) or {}
            lcode = lextra.get("municipality")
            if lcode not in municipalities:
                errors.append((lwhere, _("Unknown municipality code %(code)s.") % {"code": lcode}))
                continue
            area = None
            if lextra.get("area"):
                area = Area.objects.filter(
                    municipality=municipalities[lcode], name=lextra["area"]
                ).first()
                if area is None:
                    errors.append((lwhere, _("Unknown wijk %(name)s.") % {"name": lextra["area"]}))
            if not loc.get("addresses"):
                errors.append((lwhere, _("A location needs an address.")))
                continue
            plan.locations.append((loc, str(org["id"]), municipalities[lcode], area))
    for index, svc in enumerate(document.get("services", []) or []):
        where = f"services/{index}"
        for message in hsds.errors("service", svc):
            errors.append((where, message))
        if not isinstance(svc, dict) or "id" not in svc:
            continue
        if str(svc.get("organization_id")) not in org_ids:
            errors.append((where, _("Unknown organization_id.")))
        for attribute in svc.get("attributes", []) or []:
            if str(attribute.get("taxonomy_term_id")) not in themes:
                errors.append((where, _("Unknown theme (taxonomy_term_id).")))
        for area in svc.get("service_areas", []) or []:
            if area.get("extent") not in municipalities:
                errors.append(
                    (where, _("Unknown municipality code %(code)s.") % {"code": area.get("extent")})
                )
            elif (
                area.get("extent_type") == "wijk"
                and not Area.objects.filter(
                    municipality=municipalities[area["extent"]], name=area.get("name", "")
                ).exists()
            ):
                errors.append((where, _("Unknown wijk %(name)s.") % {"name": area.get("name")}))
        for language in svc.get("languages", []) or []:
            if language.get("code") not in LANGUAGE_CODES:
                errors.append(
                    (
                        where,
                        _("Unknown language code: %(codes)s.") % {"codes": language.get("code")},
                    )
                )
        try:
            slots = [_slot_of(s) for s in svc.get("schedules", []) or []]
            check_schedule(slots)
        except (ValueError, KeyError) as exc:
            errors.append((where, _("Malformed schedule: %(error)s") % {"error": exc}))
        except ValidationError as exc:
            errors.extend((where, m) for m in exc.messages)
        low, high = svc.get("minimum_age"), svc.get("maximum_age")
        if (low is not None and not 0 <= low <= 120) or (high is not None and not 0 <= high <= 120):
            errors.append((where, _("An age must be between 0 and %(max)s.") % {"max": 120}))
        elif low is not None and high is not None and low > high:
            errors.append((where, _("The maximum age is lower than the minimum age.")))
        plan.services.append(svc)
    if errors:
        if actor is not None:
            _record_rejection(actor, "hsds", len(errors))
        raise ImportRejected(errors)
    return _write_plan(plan, municipalities, themes, actor=actor, progress=progress)


def _slot_of(schedule: dict[str, Any]) -> Slot:
    if schedule.get("freq", "WEEKLY") != "WEEKLY":
        raise ValueError(_("only weekly schedules are supported"))
    byday = schedule.get("byday", "")
    if byday not in documents.BYDAY:
        raise ValueError(_("byday must be one day (MO..SU), got %(value)r") % {"value": byday})
    return Slot(
        weekday=documents.BYDAY.index(byday),
        opens_at=_parse_time(schedule["opens_at"]),
        closes_at=_parse_time(schedule["closes_at"]),
        valid_from=_date(schedule.get("valid_from")),
        valid_to=_date(schedule.get("valid_to")),
    )


def _record_rejection(actor: User, kind: str, count: int) -> None:
    with transaction.atomic():
        record(
            actor,
            "directory.import_rejected",
            outcome=Entry.Outcome.FAILURE,
            purpose=Entry.Purpose.ADMINISTRATION,
            data={"format": kind, "errors": count},
        )


def _stamp(value: str | None) -> datetime:
    parsed = parse_datetime(value) if value else None
    return parsed or timezone.now()


@transaction.atomic
def _write_plan(
    plan: _Plan,
    municipalities: dict[str, Municipality],
    themes: dict[str, Theme],
    *,
    actor: User | None,
    progress: Progress,
) -> dict[str, int]:
    providers: dict[str, Provider] = {str(p.uuid): p for p in Provider.objects.all()}
    for org, municipality in plan.providers:
        extra = org.get("x_rits", {}) or {}
        phones = org.get("phones") or []
        provider, _created = Provider.objects.update_or_create(
            uuid=UUID(org["id"]),
            defaults={
                "name": org["name"],
                "description": org["description"],
                "email": org.get("email", ""),
                "website": org.get("website", ""),
                "phone": phones[0]["number"] if phones else "",
                "municipality": municipality,
                "updated_at": _stamp(extra.get("last_modified")),
            },
        )
        providers[str(provider.uuid)] = provider
    locations: dict[str, Location] = {str(loc.uuid): loc for loc in Location.objects.all()}
    for loc, provider_id, municipality, area in plan.locations:
        address = loc["addresses"][0]
        location, _created = Location.objects.update_or_create(
            uuid=UUID(loc["id"]),
            defaults={
                "provider": providers[provider_id],
                "name": loc.get("name", address["address_1"]),
                "address_1": address["address_1"],
                "postal_code": address["postal_code"],
                "city": address["city"],
                "municipality": municipality,
                "area": area,
                "latitude": loc.get("latitude"),
                "longitude": loc.get("longitude"),
                "updated_at": _stamp((loc.get("x_rits") or {}).get("last_modified")),
            },
        )
        locations[str(location.uuid)] = location
    total = len(plan.services)
    ids: list[int] = []
    for done, svc in enumerate(plan.services, start=1):
        ids.append(_write_service(svc, providers, locations, municipalities, themes).pk)
        if done % 200 == 0 or done == total:
            progress("import", done, total)
    search.reindex(ids)
    counts = {"organizations": len(plan.providers), "services": total}
    record(actor, "directory.imported", purpose=Entry.Purpose.ADMINISTRATION, data=counts)
    return counts


def _review_fields(review: dict[str, Any] | None) -> dict[str, Any]:
    """An entry's state as the document gives it (a Rits export keeps its provenance);
    from any other source: imported now, from an HSDS file."""
    if not review:
        return {"source": HSDS_SOURCE, "checked_at": timezone.now(), "confirmed_at": None}
    confirmed = review.get("confirmed_at")
    return {
        "source": review.get("source", ""),
        "checked_at": _stamp(review.get("checked_at")),
        "confirmed_at": _stamp(confirmed) if confirmed else None,
    }


def _write_service(
    svc: dict[str, Any],
    providers: dict[str, Provider],
    locations: dict[str, Location],
    municipalities: dict[str, Municipality],
    themes: dict[str, Theme],
) -> Service:
    extra = svc.get("x_rits", {}) or {}
    service, _created = Service.objects.update_or_create(
        uuid=UUID(svc["id"]),
        defaults={
            "provider": providers[str(svc["organization_id"])],
            "name": svc["name"],
            "description": svc.get("description", ""),
            "status": svc["status"],
            "url": svc.get("url", ""),
            "email": svc.get("email", ""),
            "eligibility_description": svc.get("eligibility_description", ""),
            "minimum_age": svc.get("minimum_age"),
            "maximum_age": svc.get("maximum_age"),
            "application_process": svc.get("application_process", ""),
            "fees_description": svc.get("fees_description", ""),
            "languages": pack_languages([lang["code"] for lang in svc.get("languages", [])]),
            "wait_weeks": extra.get("wait_weeks"),
            "wait_confirmed_on": _date(extra.get("wait_confirmed_on")),
            "open_on_public_holidays": bool(extra.get("open_on_public_holidays", False)),
            "updated_at": _stamp(svc.get("last_modified")),
            **_review_fields(extra.get("review")),
        },
    )
    service.themes.set([themes[str(a["taxonomy_term_id"])] for a in svc.get("attributes", [])])
    service.areas.all().delete()
    for area in svc.get("service_areas", []):
        municipality = municipalities[area["extent"]]
        wijk = (
            Area.objects.get(municipality=municipality, name=area["name"])
            if area.get("extent_type") == "wijk"
            else None
        )
        ServiceArea.objects.create(
            uuid=UUID(area["id"]), service=service, municipality=municipality, area=wijk
        )
    service.phones.all().delete()
    for phone in svc.get("phones", []):
        Phone.objects.create(
            uuid=UUID(phone["id"]),
            service=service,
            number=phone["number"],
            description=phone.get("description", ""),
        )
    service.hours.all().delete()
    for schedule in svc.get("schedules", []):
        slot = _slot_of(schedule)
        OpeningHours.objects.create(
            uuid=UUID(schedule["id"]),
            service=service,
            weekday=slot.weekday,
            opens_at=slot.opens_at,
            closes_at=slot.closes_at,
            valid_from=slot.valid_from,
            valid_to=slot.valid_to,
        )
    if "closures" in extra:
        service.closures.all().delete()
        for closure in extra["closures"]:
            Closure.objects.create(
                uuid=UUID(closure["id"]),
                service=service,
                starts_on=date.fromisoformat(closure["starts_on"]),
                ends_on=date.fromisoformat(closure["ends_on"]),
                reason=closure.get("reason", ""),
                alternative=closure.get("alternative", ""),
            )
    service.contacts.all().delete()
    for contact in svc.get("contacts", []):
        phones = contact.get("phones") or []
        Contact.objects.create(
            uuid=UUID(contact["id"]),
            service=service,
            name=contact.get("name", ""),
            title=contact.get("title", ""),
            email=contact.get("email", ""),
            phone=phones[0]["number"] if phones else "",
        )
    service.at_locations.all().delete()
    for sal in svc.get("service_at_locations", []):
        location = locations.get(str(sal.get("location_id")))
        if location is not None:
            ServiceAtLocation.objects.create(
                uuid=UUID(sal["id"]), service=service, location=location
            )
    return service


# CSV import

CSV_COLUMNS = [
    "name",
    "description",
    "themes",
    "minimum_age",
    "maximum_age",
    "languages",
    "municipalities",
    "phone",
    "wait_weeks",
    "fees",
    "how_to_apply",
    "url",
    "email",
    "hours",
]
_DAYS = {"ma": 0, "di": 1, "wo": 2, "do": 3, "vr": 4, "za": 5, "zo": 6}
_HOURS = re.compile(
    r"^\s*(ma|di|wo|do|vr|za|zo)(?:\s*-\s*(ma|di|wo|do|vr|za|zo))?\s+"
    r"(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})\s*$"
)


def parse_hours(text: str) -> list[Slot]:
    """Read "ma-vr 09:00-17:00; za 10:00-12:00" as slots; a ValueError names the wrong part."""
    slots: list[Slot] = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        match = _HOURS.match(part.lower())
        if not match:
            raise ValueError(
                _("cannot read opening hours %(part)r (use e.g. 'ma-vr 09:00-17:00')")
                % {"part": part}
            )
        first, last, opens, closes = match.groups()
        start, end = _DAYS[first], _DAYS[last or first]
        if end < start:
            raise ValueError(_("day range %(part)r runs backwards") % {"part": part})
        try:
            opens_at, closes_at = (
                time.fromisoformat(opens.zfill(5)),
                time.fromisoformat(closes.zfill(5)),
            )
        except ValueError:
            raise ValueError(_("impossible time in %(part)r") % {"part": part}) from None
        slots.extend(Slot(day, opens_at, closes_at) for day in range(start, end + 1))
    check_schedule(slots)
    return slots


def _int_or_none(value: str, label: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not value.isdigit():
        raise ValueError(
            _("%(label)s must be a whole number, not %(value)r") % {"label": label, "value": value}
        )
    return int(value)


@dataclass
class CsvRow:
    number: int
    data: ServiceData
    slots: list[Slot] | None


def read_csv(raw: bytes) -> list[CsvRow]:
    """Parse and check every row; raise ImportRejected with all errors at once."""
    if len(raw) > MAX_CSV_BYTES:
        raise ImportRejected([("file", _("The file is larger than 5 MB."))])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRejected(
            [("file", _("The file is not UTF-8 text (save it as CSV UTF-8)."))]
        ) from None
    if "\x00" in text:
        # PostgreSQL cannot store it; a spreadsheet's CSV export never has one.
        raise ImportRejected(
            [("file", _("The file contains a NUL character; save it as plain UTF-8 text."))]
        )
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    missing = [c for c in ("name", "description") if c not in (reader.fieldnames or [])]
    if missing:
        raise ImportRejected(
            [("header", _("Missing column(s): %(cols)s.") % {"cols": ", ".join(missing)})]
        )
    unknown = [c for c in reader.fieldnames or [] if c not in CSV_COLUMNS]
    if unknown:
        raise ImportRejected(
            [("header", _("Unknown column(s): %(cols)s.") % {"cols": ", ".join(unknown)})]
        )
    themes = {t.code: t for t in Theme.objects.all()}
    municipalities = {m.code: m for m in Municipality.objects.all()}
    rows: list[CsvRow] = []
    errors: list[tuple[str, str]] = []
    for row in reader:
        number = reader.line_num
        if len(rows) + len(errors) >= MAX_CSV_ROWS:
            errors.append(("file", _("More than %(n)s rows.") % {"n": MAX_CSV_ROWS}))
            break
        where = _("row %(n)s") % {"n": number}
        if None in row or any(v is None for v in row.values()):
            errors.append((where, _("The number of fields does not match the header.")))
            continue
        try:
            codes = [c.strip() for c in row.get("themes", "").split(";") if c.strip()]
            bad = [c for c in codes if c not in themes]
            if bad:
                raise ValueError(_("unknown theme(s): %(codes)s") % {"codes": ", ".join(bad)})
            places = [
                c.strip().upper() for c in row.get("municipalities", "").split(";") if c.strip()
            ]
            bad = [c for c in places if c not in municipalities]
            if bad:
                raise ValueError(
                    _("unknown municipality code(s): %(codes)s") % {"codes": ", ".join(bad)}
                )
            languages = [
                c.strip().lower() for c in (row.get("languages") or "nl").split(";") if c.strip()
            ]
            phone = (row.get("phone") or "").strip()
            data = ServiceData(
                name=row["name"].strip(),
                description=row["description"].strip(),
                themes=[themes[c] for c in codes],
                minimum_age=_int_or_none(row.get("minimum_age", ""), "minimum_age"),
                maximum_age=_int_or_none(row.get("maximum_age", ""), "maximum_age"),
                languages=languages,
                municipalities=[municipalities[c] for c in places],
                wait_weeks=_int_or_none(row.get("wait_weeks", ""), "wait_weeks"),
                fees_description=(row.get("fees") or "").strip(),
                application_process=(row.get("how_to_apply") or "").strip(),
                url=(row.get("url") or "").strip(),
                email=(row.get("email") or "").strip(),
                phones=[(phone, "")] if phone else [],
            )
            data.validate()
            slots = parse_hours(row["hours"]) if (row.get("hours") or "").strip() else None
            rows.append(CsvRow(number, data, slots))
        except ValueError as exc:
            errors.append((where, str(exc)))
        except ValidationError as exc:
            for key, messages in getattr(exc, "message_dict", {"": exc.messages}).items():
                errors.extend((where, f"{key}: {m}" if key else m) for m in messages)
    if errors:
        raise ImportRejected(errors)
    return rows


def import_csv(
    provider: Provider, raw: bytes, *, actor: User | None, progress: Progress = _quiet
) -> dict[str, int]:
    """Import a provider's offer from CSV: services are matched on name (updated) or
    added. Checked completely first; then written in one transaction."""
    from rits.directory.services import replace_schedule

    try:
        rows = read_csv(raw)
    except ImportRejected as rejected:
        if actor is not None:
            _record_rejection(actor, "csv", len(rejected.errors))
        raise
    created = updated = 0
    existing = {s.name: s for s in provider.services.all()}
    with transaction.atomic():
        for done, row in enumerate(rows, start=1):
            service = existing.get(row.data.name)
            if service is None:
                service = create_service(provider, row.data, actor=actor, source=CSV_SOURCE)
                existing[service.name] = service
                created += 1
            else:
                update_service(service, row.data, actor=actor, source=CSV_SOURCE)
                updated += 1
            if row.slots is not None:
                replace_schedule(service, row.slots, actor=actor, source=CSV_SOURCE)
            progress("csv", done, len(rows))
        counts = {"created": created, "updated": updated}
        record(
            actor,
            "directory.csv_imported",
            provider,
            purpose=Entry.Purpose.ADMINISTRATION,
            data=counts,
        )
    return counts
