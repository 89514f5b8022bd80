"""The plan in standard formats: FHIR R4 Bundle, iCalendar, an SVG ecogram and the
right-of-access download. Builders only read; the views audit the export."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.careplan import CarePlan
from fhir.resources.R4B.careteam import CareTeam
from fhir.resources.R4B.consent import Consent as FhirConsent
from fhir.resources.R4B.goal import Goal as FhirGoal
from fhir.resources.R4B.group import Group
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.relatedperson import RelatedPerson
from icalendar import Calendar, Event

from rits.audit.models import Entry
from rits.family_plans.models import (
    CareTeamMember,
    Consent,
    Evaluation,
    Goal,
    Person,
    Plan,
    Relationship,
)

V3_ROLE = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
RITS = "https://rits.example.nl/fhir"

# Person.Role to HL7 v3 RoleCode for RelatedPerson.relationship.
_RELATIONSHIP = {
    Person.Role.PARENT: ("PRN", "parent"),
    Person.Role.SIBLING: ("SIB", "sibling"),
    Person.Role.GRANDPARENT: ("GRPRN", "grandparent"),
    Person.Role.NEIGHBOUR: ("NBOR", "neighbor"),
    Person.Role.JIM: ("FRND", "unrelated friend"),
    Person.Role.COACH: ("FRND", "unrelated friend"),
    Person.Role.OTHER: ("FRND", "unrelated friend"),
}

_GOAL_STATUS = {
    Goal.Status.OPEN: ("active", None),
    Goal.Status.REACHED: ("completed", "achieved"),
    Goal.Status.PARTLY: ("completed", "sustaining"),
    Goal.Status.NOT_REACHED: ("completed", "not-achieved"),
    Goal.Status.STOPPED: ("cancelled", None),
}


def _ref(kind: str, pk: object) -> dict[str, str]:
    return {"reference": f"{kind}/{pk}"}


def fhir_bundle(plan: Plan) -> dict[str, Any]:
    """The plan as a FHIR R4 collection Bundle (validated with the R4B models of
    fhir.resources): Patient, RelatedPerson, Group, CareTeam, CarePlan, Goal, Consent.
    The BSN is never exported; the patient carries Rits' pseudonymous reference only."""
    persons = list(plan.family.persons.all())
    youth = plan.youth
    youth_ref = _ref("Patient", f"person-{youth.pk}")
    resources: list[Any] = []
    patient: dict[str, Any] = {
        "id": f"person-{youth.pk}",
        "identifier": [{"system": f"{RITS}/person", "value": youth.reference}],
        "name": [{"text": youth.name}],
    }
    if youth.date_of_birth:
        patient["birthDate"] = youth.date_of_birth.isoformat()
    resources.append(Patient.model_validate(patient))
    for p in persons:
        if p.pk == youth.pk:
            continue
        code, display = _RELATIONSHIP.get(Person.Role(p.role), ("FRND", "unrelated friend"))
        if p.role == Person.Role.YOUTH:
            code, display = "SIB", "sibling"
        related: dict[str, Any] = {
            "id": f"person-{p.pk}",
            "patient": youth_ref,
            "name": [{"text": p.name}],
            "relationship": [
                {
                    "coding": [{"system": V3_ROLE, "code": code, "display": display}],
                    "text": p.get_role_display(),
                }
            ],
        }
        if p.date_of_birth:
            related["birthDate"] = p.date_of_birth.isoformat()
        resources.append(RelatedPerson.model_validate(related))
    resources.append(
        Group.model_validate(
            dict(
                id=f"family-{plan.family_id}",
                type="person",
                actual=True,
                name=plan.family.name,
                member=[
                    {
                        "entity": _ref(
                            "Patient" if p.pk == youth.pk else "RelatedPerson", f"person-{p.pk}"
                        )
                    }
                    for p in persons
                    if p.in_household
                ],
            )
        )
    )
    members = list(
        plan.members.select_related("user", "person", "organisation").exclude(
            status=CareTeamMember.Status.PENDING
        )
    )
    participants = []
    for m in members:
        entry: dict[str, Any] = {
            "role": [{"text": m.title or m.get_kind_display()}],
            "period": {"start": m.created_at.isoformat()},
        }
        if m.person is not None:
            entry["member"] = _ref("RelatedPerson", f"person-{m.person_id}")
        else:
            entry["member"] = {"display": m.display_name}
        if m.organisation is not None:
            entry["onBehalfOf"] = {"display": m.organisation.name}
        if m.left_at:
            entry["period"]["end"] = m.left_at.isoformat()
        participants.append(entry)
    resources.append(
        CareTeam.model_validate(
            dict(
                id=f"careteam-{plan.pk}",
                status="active" if plan.is_active else "inactive",
                name=f"Zorgteam {plan.family.name}",
                subject=youth_ref,
                participant=participants or None,
            )
        )
    )
    goals = list(plan.goals.all())
    for goal in goals:
        lifecycle, achievement = _GOAL_STATUS[Goal.Status(goal.status)]
        data: dict[str, Any] = {
            "id": f"goal-{goal.pk}",
            "lifecycleStatus": lifecycle,
            "description": {"text": goal.title},
            "subject": youth_ref,
            "category": [
                {
                    "coding": [{"system": f"{RITS}/life-domain", "code": goal.domain}],
                    "text": goal.get_domain_display(),
                }
            ],
        }
        if achievement:
            data["achievementStatus"] = {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/goal-achievement",
                        "code": achievement,
                    }
                ]
            }
        if goal.outcome:
            data["note"] = [{"text": goal.outcome}]
        resources.append(FhirGoal.model_validate(data))
    activities = [
        {
            "detail": {
                "status": {
                    "todo": "not-started",
                    "doing": "in-progress",
                    "done": "completed",
                    "cancelled": "cancelled",
                }[a.status],
                "description": a.what,
                "performer": [{"display": a.who}],
                **({"scheduledString": a.due_date.isoformat()} if a.due_date else {}),
            }
        }
        for a in plan.actions.all()
    ]
    careplan: dict[str, Any] = {
        "id": f"plan-{plan.pk}",
        "status": "active" if plan.is_active else "completed",
        "intent": "plan",
        "title": str(plan),
        "subject": youth_ref,
        "period": {
            "start": plan.created_at.isoformat(),
            **({"end": plan.closed_at.isoformat()} if plan.closed_at else {}),
        },
        "careTeam": [_ref("CareTeam", f"careteam-{plan.pk}")],
        "goal": [_ref("Goal", f"goal-{g.pk}") for g in goals] or None,
        "activity": activities or None,
        "note": [
            {"text": f"Besluit: {d.title} ({d.get_status_display()})"} for d in plan.decisions.all()
        ]
        or None,
    }
    resources.append(CarePlan.model_validate(careplan))
    consents = Consent.objects.filter(member__plan=plan).select_related("member", "given_by")
    for c in consents:
        resources.append(
            FhirConsent.model_validate(
                dict(
                    id=f"consent-{c.pk}",
                    status="inactive" if c.withdrawn_at else "active",
                    scope={
                        "coding": [
                            {
                                "system": "http://terminology.hl7.org/CodeSystem/consentscope",
                                "code": "patient-privacy",
                            }
                        ]
                    },
                    category=[
                        {
                            "coding": [{"system": "http://loinc.org", "code": "59284-0"}],
                            "text": c.get_purpose_display(),
                        }
                    ],
                    patient=youth_ref,
                    dateTime=c.given_at.isoformat(),
                    performer=[
                        _ref(
                            "Patient" if c.given_by_id == youth.pk else "RelatedPerson",
                            f"person-{c.given_by_id}",
                        )
                    ],
                    provision={
                        "type": "permit",
                        "period": {
                            "start": c.given_at.isoformat(),
                            **({"end": c.withdrawn_at.isoformat()} if c.withdrawn_at else {}),
                        },
                        "actor": [
                            {
                                "role": {
                                    "coding": [
                                        {
                                            "system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
                                            "code": "IRCP",
                                        }
                                    ]
                                },
                                "reference": {"display": c.member.display_name},
                            }
                        ],
                    },
                )
            )
        )
    bundle = Bundle.model_validate(
        dict(
            type="collection",
            timestamp=timezone.now().isoformat(),
            entry=[
                {
                    "fullUrl": f"{settings.SITE_URL}/fhir/{r.get_resource_type()}/{r.id}",
                    "resource": r,
                }
                for r in resources
            ],
        )
    )
    result: dict[str, Any] = bundle.model_dump(mode="json", exclude_none=True)
    return result


def evaluation_ics(evaluation: Evaluation) -> bytes:
    """One evaluation as an iCalendar invitation. The family's name stays out of the
    summary: calendars are often shared or synced to other services."""
    cal = Calendar()
    cal.add("prodid", "-//Rits//Gezinsplan//NL")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"evaluation-{evaluation.pk}@rits")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", evaluation.starts_at)
    event.add("dtend", evaluation.starts_at + timedelta(minutes=evaluation.minutes))
    event.add("summary", "Evaluatie gezinsplan (Rits)")
    event.add("sequence", evaluation.sequence)
    if evaluation.location:
        event.add("location", evaluation.location)
    event.add("url", f"{settings.SITE_URL}/gezin/{evaluation.plan_id}/")
    cal.add_component(event)
    data: bytes = cal.to_ical()
    return data


_COLOURS = {
    "household": "#1f5f8b",
    "jim": "#2e7d32",
    "network": "#6d4c41",
    "professional": "#7b1fa2",
}


def ecogram_svg(
    plan: Plan,
    *,
    persons: list[Person] | None = None,
    members: list[CareTeamMember] | None = None,
    relationships: list[Relationship] | None = None,
) -> str:
    """The family's network as an SVG: the youth in the middle, the household on the
    inner ring, the network and the care team on the outer ring. All text is escaped.
    ``persons``, ``members`` and ``relationships`` may be passed when the caller has
    them loaded."""
    if persons is None:
        persons = list(plan.family.persons.all())
    if members is None:
        members = list(plan.members.select_related("user", "person", "organisation"))
    youth = plan.youth
    members = [
        m
        for m in members
        if m.kind == CareTeamMember.Kind.PROFESSIONAL and m.status == CareTeamMember.Status.ACTIVE
    ]
    width, height, cx, cy = 640, 480, 320, 240
    nodes: dict[str, tuple[float, float]] = {f"p{youth.pk}": (cx, cy)}
    parts: list[str] = []
    inner = [p for p in persons if p.in_household and p.pk != youth.pk]
    outer_people = [p for p in persons if not p.in_household]
    outer: list[tuple[str, str, str]] = [
        (f"p{p.pk}", p.name, "jim" if p.role == Person.Role.JIM else "network")
        for p in outer_people
    ] + [(f"m{m.pk}", m.display_name, "professional") for m in members]

    def ring(items: list[tuple[str, str, str]], radius: float, offset: float) -> None:
        for i, (key, _label, _kind) in enumerate(items):
            angle = offset + 2 * math.pi * i / max(len(items), 1)
            nodes[key] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle))

    ring([(f"p{p.pk}", p.name, "household") for p in inner], 110, -math.pi / 2)
    ring(outer, 200, -math.pi / 2 + 0.3)
    names = {f"p{p.pk}": p.name for p in persons}
    # Each line carries a title saying what it is ("Oma supports Petra (strong)"):
    # shown on hover and read by screen readers, since dashes and widths are not.
    lines: list[tuple[str, str, int, str]] = [
        (
            f"p{r.from_person_id}",
            f"p{r.to_person_id}",
            r.strength,
            f"{names.get(f'p{r.from_person_id}', '')} {r.get_kind_display()} "
            f"{names.get(f'p{r.to_person_id}', '')} ({r.get_strength_display()})",
        )
        for r in (
            relationships
            if relationships is not None
            else Relationship.objects.filter(family_id=plan.family_id)
        )
    ] + [(f"m{m.pk}", f"p{youth.pk}", 1, "") for m in members]
    for a, b, strength, label in lines:
        if a in nodes and b in nodes:
            (x1, y1), (x2, y2) = nodes[a], nodes[b]
            dash = ' stroke-dasharray="6 4"' if strength == 1 else ""
            title = f"<title>{escape(label)}</title>" if label else ""
            parts.append(
                f'<line x1="{x1:.0f}" y1="{y1:.0f}" x2="{x2:.0f}" y2="{y2:.0f}" '
                f'stroke="#888" stroke-width="{strength + 1}"{dash}>{title}</line>'
            )
    labelled = [(f"p{youth.pk}", youth.name, "household")]
    labelled += [(f"p{p.pk}", p.name, "household") for p in inner] + outer
    for key, label, kind in labelled:
        x, y = nodes[key]
        radius = 34 if key == f"p{youth.pk}" else 26
        parts.append(
            f'<g><circle cx="{x:.0f}" cy="{y:.0f}" r="{radius}" fill="{_COLOURS[kind]}"/>'
            f'<text x="{x:.0f}" y="{y + radius + 14:.0f}" text-anchor="middle" '
            f'font-size="13" fill="#222">{escape(label)}</text></g>'
        )
    title = escape(f"Netwerk van {plan.family.name}")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="ecogram-title" class="ecogram">'
        f'<title id="ecogram-title">{title}</title>{"".join(parts)}</svg>'
    )


def subject_access_export(plan: Plan) -> dict[str, Any]:
    """Everything Rits holds about this family (right of access, AVG art. 15): persons
    (no BSN), plans with all their parts, consents, and the audit entries about them."""
    family = plan.family
    plans = list(family.plans.all())
    data: dict[str, Any] = {
        "family": {"name": family.name, "created_at": family.created_at.isoformat()},
        "persons": [
            {
                "name": p.name,
                "role": p.role,
                "date_of_birth": p.date_of_birth.isoformat() if p.date_of_birth else None,
                "email": p.email,
                "has_account": p.user_id is not None,
                "bsn": "stored only as a pseudonym" if p.bsn_pseudonym else None,
            }
            for p in family.persons.all()
        ],
        "plans": [],
        "audit_trail": [],
    }
    for p in plans:
        data["plans"].append(
            {
                "id": p.pk,
                "status": p.status,
                "created_at": p.created_at.isoformat(),
                "closed_at": p.closed_at.isoformat() if p.closed_at else None,
                "close_reason": p.close_reason,
                "fhir": fhir_bundle(p),
                "decisions": [
                    {
                        "title": d.title,
                        "text": d.text,
                        "grounds": d.grounds,
                        "status": d.status,
                        "positions": [
                            {"user": str(pos.user), "answer": pos.answer, "grounds": pos.grounds}
                            for pos in d.positions.all()
                        ],
                    }
                    for d in p.decisions.all()
                ],
                "comments": [
                    {
                        "text": c.text,
                        "at": c.created_at.isoformat(),
                        "author": str(c.author) if c.author else "",
                    }
                    for c in p.comments.all()
                ],
                "evaluations": [
                    {"at": e.starts_at.isoformat(), "location": e.location}
                    for e in p.evaluations.all()
                ],
            }
        )
        for entry in access_log(p)[:5000]:
            data["audit_trail"].append(
                {
                    "at": entry.occurred_at.isoformat(),
                    "event": entry.event,
                    "label": entry.event_label,
                    "who": entry.actor_label,
                    "organisation": entry.organisation,
                    "purpose": entry.purpose,
                    "outcome": entry.outcome,
                }
            )
    return data


def access_log(plan: Plan) -> Any:
    """Audit entries about this plan and its parts, newest first (read-only)."""
    from django.db.models import Q

    parts = {
        "family_plans.plan": [str(plan.pk)],
        "family_plans.goal": [str(pk) for pk in plan.goals.values_list("pk", flat=True)],
        "family_plans.action": [str(pk) for pk in plan.actions.values_list("pk", flat=True)],
        "family_plans.decision": [str(pk) for pk in plan.decisions.values_list("pk", flat=True)],
        "family_plans.careteammember": [
            str(pk) for pk in plan.members.values_list("pk", flat=True)
        ],
        "family_plans.consent": [
            str(pk) for pk in Consent.objects.filter(member__plan=plan).values_list("pk", flat=True)
        ],
        "family_plans.evaluation": [
            str(pk) for pk in plan.evaluations.values_list("pk", flat=True)
        ],
        "family_plans.comment": [str(pk) for pk in plan.comments.values_list("pk", flat=True)],
        "family_plans.transitionitem": [
            str(pk) for pk in plan.transition_items.values_list("pk", flat=True)
        ],
        "family_plans.person": [str(pk) for pk in plan.family.persons.values_list("pk", flat=True)],
    }
    query = Q()
    for object_type, ids in parts.items():
        if ids:
            query |= Q(object_type=object_type, object_id__in=ids)
    return Entry.objects.filter(query).order_by("-id")
