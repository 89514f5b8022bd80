"""The social map as HSDS 3.0 documents (the API, the export and the import share these).

HSDS has no place for some things a Dutch social map needs; they travel in one
``x_rits`` object (HSDS allows extra properties), so an export imports without loss.
Ids HSDS requires for rows Rits does not store separately (a language, a theme link,
an address) are name-based UUIDs, stable across exports.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.utils.timezone import localtime

from rits.directory.models import (
    LANGUAGES,
    Location,
    OpeningHours,
    Provider,
    Reviewed,
    Service,
    ServiceAtLocation,
    Theme,
)

#: The one taxonomy Rits publishes: the region's youth-care themes.
TAXONOMY_ID = uuid.UUID("2f1d3c4e-8a7b-4c59-9e0d-1b2a3c4d5e6f")
TAXONOMY_NAME = "Rits thema's jeugdhulp"
_DERIVED = uuid.UUID("6d1a9b2c-3e4f-4a5b-8c7d-9e0f1a2b3c4d")
BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def derived_id(*parts: object) -> str:
    return str(uuid.uuid5(_DERIVED, "/".join(str(p) for p in parts)))


def _clean(document: dict[str, Any]) -> dict[str, Any]:
    """HSDS types do not allow null: leave out empty values instead."""
    return {k: v for k, v in document.items() if v is not None and v != ""}


def taxonomy_doc() -> dict[str, Any]:
    return {
        "id": str(TAXONOMY_ID),
        "name": TAXONOMY_NAME,
        "description": "Thema's voor de sociale kaart van een jeugdregio (Rits).",
        "version": "1",
    }


def term_doc(theme: Theme) -> dict[str, Any]:
    return _clean(
        {
            "id": str(theme.uuid),
            "code": theme.code,
            "name": theme.name,
            "description": theme.description,
            "parent_id": str(theme.parent.uuid) if theme.parent_id and theme.parent else None,
            "taxonomy": TAXONOMY_NAME,
            "taxonomy_id": str(TAXONOMY_ID),
            "language": "nl",
        }
    )


def _attribute(link_id: str, theme: Theme, entity: str) -> dict[str, Any]:
    return {
        "id": derived_id("attribute", link_id, theme.uuid),
        "link_id": link_id,
        "link_type": "theme",
        "link_entity": entity,
        "taxonomy_term_id": str(theme.uuid),
        "taxonomy_term": term_doc(theme),
    }


def location_doc(location: Location) -> dict[str, Any]:
    lid = str(location.uuid)
    return _clean(
        {
            "id": lid,
            "location_type": "physical",
            "organization_id": str(location.provider.uuid),
            "name": location.name,
            "latitude": location.latitude,
            "longitude": location.longitude,
            "addresses": [
                {
                    "id": derived_id("address", lid),
                    "location_id": lid,
                    "address_1": location.address_1,
                    "city": location.city,
                    "state_province": location.municipality.province_name,
                    "postal_code": location.postal_code,
                    "country": "NL",
                    "address_type": "physical",
                }
            ],
            "x_rits": _clean(
                {
                    "municipality": location.municipality.code,
                    "area": location.area.name if location.area else None,
                    "last_modified": location.updated_at.isoformat(),
                }
            ),
        }
    )


def organization_doc(provider: Provider, *, full: bool = True) -> dict[str, Any]:
    pid = str(provider.uuid)
    document: dict[str, Any] = {
        "id": pid,
        "name": provider.name,
        "description": provider.description,
        "email": provider.email or None,
        "website": provider.website or None,
        "x_rits": _clean(
            {
                "municipality": provider.municipality.code if provider.municipality else None,
                "last_modified": provider.updated_at.isoformat(),
            }
        ),
    }
    if provider.phone:
        document["phones"] = [
            {"id": derived_id("phone", pid), "organization_id": pid, "number": provider.phone}
        ]
    if full:
        document["locations"] = [location_doc(loc) for loc in provider.locations.all()]
    return _clean(document)


def schedule_doc(hours: OpeningHours, service_id: str) -> dict[str, Any]:
    return _clean(
        {
            "id": str(hours.uuid),
            "service_id": service_id,
            "freq": "WEEKLY",
            "wkst": "MO",
            "byday": BYDAY[hours.weekday],
            "opens_at": hours.opens_at.strftime("%H:%M"),
            "closes_at": hours.closes_at.strftime("%H:%M"),
            "valid_from": hours.valid_from.isoformat() if hours.valid_from else None,
            "valid_to": hours.valid_to.isoformat() if hours.valid_to else None,
            "description": f"{BYDAY[hours.weekday]} {hours.opens_at:%H:%M}-{hours.closes_at:%H:%M}",
        }
    )


def service_doc(service: Service, *, full: bool = True) -> dict[str, Any]:
    """A service; ``full`` adds schedules, locations, contacts and the organization."""
    sid = str(service.uuid)
    names = dict(LANGUAGES)
    document: dict[str, Any] = {
        "id": sid,
        "organization_id": str(service.provider.uuid),
        "name": service.name,
        "description": service.description,
        "status": service.status,
        "url": service.url or None,
        "email": service.email or None,
        "eligibility_description": service.eligibility_description or None,
        "minimum_age": service.minimum_age,
        "maximum_age": service.maximum_age,
        "application_process": service.application_process or None,
        "fees_description": service.fees_description or None,
        "last_modified": service.updated_at.isoformat(),
        "phones": [
            _clean(
                {
                    "id": str(p.uuid),
                    "service_id": sid,
                    "number": p.number,
                    "description": p.description,
                }
            )
            for p in service.phones.all()
        ],
        "service_areas": [
            _clean(
                {
                    "id": str(a.uuid),
                    "service_id": sid,
                    "name": a.area.name if a.area_id and a.area else a.municipality.name,
                    "extent": a.municipality.code,
                    "extent_type": "wijk" if a.area_id else "cbs_gemeente",
                }
            )
            for a in service.areas.all()
        ],
        "languages": [
            {
                "id": derived_id("language", sid, code),
                "service_id": sid,
                "code": code,
                "name": str(names.get(code, code)),
            }
            for code in service.language_codes
        ],
        "attributes": [_attribute(sid, theme, "service") for theme in service.themes.all()],
        "metadata": review_metadata(service, sid, "service", service.provider.name),
        "x_rits": _clean(
            {
                "review": review_doc(service),
                "wait_weeks": service.wait_weeks,
                "wait_confirmed_on": (
                    service.wait_confirmed_on.isoformat() if service.wait_confirmed_on else None
                ),
                "wait_is_stale": service.wait_is_stale if service.wait_weeks is not None else None,
                "open_on_public_holidays": service.open_on_public_holidays,
            }
        ),
    }
    if full:
        document["schedules"] = [schedule_doc(h, sid) for h in service.hours.all()]
        document["x_rits"]["closures"] = [
            _clean(
                {
                    "id": str(c.uuid),
                    "starts_on": c.starts_on.isoformat(),
                    "ends_on": c.ends_on.isoformat(),
                    "reason": c.reason,
                    "alternative": c.alternative,
                }
            )
            for c in service.closures.all()
        ]
        document["service_at_locations"] = [
            service_at_location_doc(sal) for sal in service.at_locations.all()
        ]
        document["contacts"] = [
            _clean(
                {
                    "id": str(c.uuid),
                    "service_id": sid,
                    "name": c.name,
                    "title": c.title,
                    "email": c.email,
                    "phones": (
                        [{"id": derived_id("contact-phone", c.uuid), "number": c.phone}]
                        if c.phone
                        else None
                    ),
                }
            )
            for c in service.contacts.all()
        ]
        document["organization"] = organization_doc(service.provider, full=False)
    return _clean(document)


def review_doc(entry: Reviewed) -> dict[str, Any]:
    """An entry's state on the social map: when last checked, confirmed, from which source."""
    return _clean(
        {
            "state": entry.state,
            "checked_at": entry.checked_at.isoformat(),
            "confirmed_at": entry.confirmed_at.isoformat() if entry.confirmed_at else None,
            "source": entry.source,
        }
    )


def review_metadata(entry: Reviewed, rid: str, kind: str, by: str) -> list[dict[str, Any]]:
    """HSDS metadata (provenance) for the confirmation: "verified" on the day a person
    confirmed the entry, "imported" on the day an import brought it. ``updated_by`` is
    the organisation, never the person (the export is public)."""
    rows = []
    if entry.confirmed_at is not None:
        rows.append(("verified", entry.confirmed_at, by))
    if entry.source and (entry.confirmed_at is None or entry.checked_at > entry.confirmed_at):
        rows.append(("imported", entry.checked_at, entry.source))
    return [
        {
            "id": derived_id("metadata", rid, action),
            "resource_id": rid,
            "resource_type": kind,
            "last_action_date": localtime(when).date().isoformat(),
            "last_action_type": action,
            "field_name": "",
            "previous_value": "",
            "replacement_value": "",
            "updated_by": who,
        }
        for action, when, who in rows
    ]


def service_at_location_doc(sal: ServiceAtLocation) -> dict[str, Any]:
    return {
        "id": str(sal.uuid),
        "service_id": str(sal.service.uuid),
        "location_id": str(sal.location.uuid),
        "location": location_doc(sal.location),
    }


SERVICE_PREFETCH = (
    "themes",
    "areas__municipality",
    "areas__area",
    "phones",
    "hours",
    "closures",
    "contacts",
    "at_locations__location__municipality",
    "at_locations__location__area",
    "at_locations__location__provider",
    "at_locations__service",
)


def modified_label(value: object) -> str:
    return localtime(value).isoformat() if value else ""  # type: ignore[arg-type]
