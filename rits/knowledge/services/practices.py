"""Changes to the knowledge hub: practices, where they run, fit checks, the glossary.
Each change is one transaction with its audit entry and its search document."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from rits.accounts.models import Organisation, Team, User
from rits.audit.services import record
from rits.directory.models import Service, Theme
from rits.knowledge import search
from rits.knowledge.models import (
    Condition,
    Element,
    Evidence,
    ExperienceReport,
    FitAnswer,
    FitCheck,
    GlossaryTerm,
    Practice,
    PracticeCode,
    Use,
)
from rits.knowledge.permissions import can_edit_hub
from rits.regions.models import Municipality, YouthCareRegion

# The text fields of a practice, in the order of the NJi worksheet.
TEXT_FIELDS = (
    "name",
    "summary",
    "problem",
    "why_it_works",
    "target_group",
    "goals",
    "approach",
    "needs_people",
    "needs_training",
    "needs_time",
    "needs_money",
    "needs_materials",
    "evidence_source",
    "owner_name",
    "contact_email",
    "contact_phone",
    "website",
)


@dataclass
class PracticeData:
    """What a practice says, as a form, the API or an import row hands it in. Themes by
    their code on the social map, services by their uuid, the owner by organisation id."""

    name: str
    summary: str
    problem: str
    why_it_works: str = ""
    target_group: str = ""
    goals: str = ""
    approach: str = ""
    needs_people: str = ""
    needs_training: str = ""
    needs_time: str = ""
    needs_money: str = ""
    needs_materials: str = ""
    evidence: str = Evidence.LOCAL
    evidence_source: str = ""
    evidence_valid_until: date | None = None
    owner_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    website: str = ""
    minimum_age: int | None = None
    maximum_age: int | None = None
    is_public: bool = False
    owner_id: int | None = None
    themes: Sequence[str] = ()
    core_elements: Sequence[str] = ()
    adaptable: Sequence[str] = ()
    conditions: Sequence[str] = ()
    services: Sequence[uuid.UUID] = ()
    codes: Sequence[uuid.UUID] = ()
    uuid: uuid.UUID | None = None


def _resolve(data: PracticeData) -> tuple[list[Theme], list[Service], Organisation | None]:
    """The themes, services and owner named, or a ValidationError naming the unknown ones."""
    errors: dict[str, list[str]] = {}
    codes = list(dict.fromkeys(data.themes))
    themes = list(Theme.objects.filter(code__in=codes))
    unknown = sorted(set(codes) - {t.code for t in themes})
    if unknown:
        errors["themes"] = [
            _("Unknown theme: %(codes)s. Use a theme code of the social map.")
            % {"codes": ", ".join(unknown)}
        ]
    wanted = list(dict.fromkeys(data.services))
    services = list(Service.objects.filter(uuid__in=wanted))
    missing = sorted(str(u) for u in set(wanted) - {s.uuid for s in services})
    if missing:
        errors["services"] = [
            _("Unknown service on the social map: %(ids)s.") % {"ids": ", ".join(missing)}
        ]
    owner = None
    if data.owner_id is not None:
        owner = Organisation.objects.filter(pk=data.owner_id).first()
        if owner is None:
            errors["owner_id"] = [_("Unknown organisation.")]
    if errors:
        raise ValidationError(errors)
    return themes, services, owner


def check_editor(actor: User) -> None:
    if not can_edit_hub(actor):
        raise ValidationError(_("Only editors and facilitators may change the knowledge hub."))


@transaction.atomic
def save_practice(data: PracticeData, *, actor: User, practice: Practice | None = None) -> Practice:
    """Create a practice, or replace everything a practice says (its elements and
    conditions too). Unknown themes, services or owner, an assessment without a source
    or date: a ValidationError and nothing changed. Steps: resolve the references;
    validate the practice; write it and its parts; index it; audit."""
    check_editor(actor)
    themes, services, owner = _resolve(data)
    created = practice is None
    if practice is None:
        practice = Practice(uuid=data.uuid or uuid.uuid4())
    for name in TEXT_FIELDS:
        setattr(practice, name, getattr(data, name).strip())
    practice.evidence = data.evidence
    practice.evidence_valid_until = data.evidence_valid_until
    practice.minimum_age = data.minimum_age
    practice.maximum_age = data.maximum_age
    practice.is_public = data.is_public
    practice.owner = owner
    practice.updated_at = timezone.now()
    practice.full_clean(exclude=["uuid"] if not created else None, validate_unique=created)
    practice.save()
    practice.themes.set(themes)
    practice.services.set(services)
    practice.elements.all().delete()
    Element.objects.bulk_create(
        [
            Element(practice=practice, kind=kind, text=text.strip()[:500], position=i)
            for kind, texts in (
                (Element.Kind.CORE, data.core_elements),
                (Element.Kind.ADAPTABLE, data.adaptable),
            )
            for i, text in enumerate(texts)
            if text.strip()
        ]
    )
    _set_conditions(practice, data.conditions)
    practice.codes.all().delete()
    PracticeCode.objects.bulk_create(
        PracticeCode(practice=practice, code_guid=g) for g in dict.fromkeys(data.codes)
    )
    search.index_practice(practice)
    record(
        actor,
        "knowledge.practice_created" if created else "knowledge.practice_changed",
        practice,
        data={"evidence": practice.evidence},
    )
    return practice


def _set_conditions(practice: Practice, texts: Iterable[str]) -> None:
    """Keep the conditions whose text stays (their fit-check answers stay with them)."""
    wanted = [t.strip()[:300] for t in texts if t.strip()]
    existing = {c.text: c for c in practice.conditions.all()}
    practice.conditions.exclude(text__in=wanted).delete()
    for position, text in enumerate(dict.fromkeys(wanted)):
        condition = existing.get(text)
        if condition is None:
            Condition.objects.create(practice=practice, text=text, position=position)
        elif condition.position != position:
            condition.position = position
            condition.save(update_fields=["position"])


def practices_for_code(guid: uuid.UUID) -> QuerySet[Practice]:
    """The practices that answer a dialogue-table code (read by the dialogues app)."""
    return Practice.objects.filter(codes__code_guid=guid).order_by("name", "pk")


@transaction.atomic
def add_report(
    practice: Practice,
    *,
    actor: User,
    region: YouthCareRegion,
    municipality: Municipality | None = None,
    organisation: Organisation | None = None,
    since: date | None = None,
    written_on: date | None = None,
    adapted: str = "",
    effort: str = "",
    result: str,
) -> ExperienceReport:
    """ "How it worked here": the place (created when it is new) and its dated report.
    A municipality must lie in the region named; an organisation must belong to it."""
    if not actor.is_authenticated or actor.kind != User.Kind.PROFESSIONAL:
        raise ValidationError(_("Only professionals write experience reports."))
    if municipality is not None and municipality.region_id != region.pk:
        raise ValidationError({"municipality": [_("This municipality is not in that region.")]})
    if organisation is not None and organisation.region_id != region.pk:
        raise ValidationError({"organisation": [_("This organisation is not in that region.")]})
    if not result.strip():
        raise ValidationError({"result": [_("Say what came of it.")]})
    day = written_on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({"written_on": [_("A report cannot be dated in the future.")]})
    use, made = Use.objects.get_or_create(
        practice=practice,
        region=region,
        municipality=municipality,
        organisation=organisation,
        defaults={"since": since},
    )
    if made:
        record(actor, "knowledge.use_added", use, data={"practice": practice.pk})
    report = ExperienceReport.objects.create(
        use=use,
        written_on=day,
        adapted=adapted.strip(),
        effort=effort.strip(),
        result=result.strip(),
        author=actor,
    )
    search.put([search.report_entry(report)])
    record(actor, "knowledge.report_added", report, data={"practice": practice.pk})
    return report


@dataclass(frozen=True)
class Resemblance:
    region: YouthCareRegion
    same: int
    compared: int
    checked: bool


@dataclass(frozen=True)
class FitResult:
    check: FitCheck
    met: list[Condition]
    not_met: list[Condition]
    resembling: list[Resemblance]

    @property
    def fits(self) -> bool:
        return not self.not_met


@transaction.atomic
def check_fit(
    practice: Practice,
    *,
    actor: User,
    met: Iterable[int],
    municipality: Municipality | None = None,
    team: Team | None = None,
) -> FitResult:
    """Record a team's or municipality's answers ("does it fit here?"): every condition
    not in ``met`` counts as not met. The region is the municipality's or the team's."""
    if not actor.is_authenticated or actor.kind != User.Kind.PROFESSIONAL:
        raise ValidationError(
            _("Only professionals answer a fit check for a team or municipality.")
        )
    if (
        team is not None
        and not team.organisation.memberships.filter(user=actor, active=True).exists()
    ):
        raise ValidationError(
            {"team": [_("You can only answer for a team of your own organisation.")]}
        )
    place = municipality or (team.municipality if team is not None else None)
    if place is None:
        raise ValidationError(
            {"municipality": [_("Choose the municipality or team you answer for.")]}
        )
    conditions = list(practice.conditions.all())
    if not conditions:
        raise ValidationError(_("This practice names no conditions to check."))
    chosen = set(met)
    unknown = chosen - {c.pk for c in conditions}
    if unknown:
        raise ValidationError({"met": [_("These conditions do not belong to this practice.")]})
    check = FitCheck.objects.create(
        practice=practice,
        region_id=place.region_id,
        municipality=place,
        team=team,
        created_by=actor,
    )
    FitAnswer.objects.bulk_create(
        FitAnswer(check_run=check, condition=c, met=c.pk in chosen) for c in conditions
    )
    record(
        actor,
        "knowledge.fit_checked",
        check,
        data={"practice": practice.pk, "met": len(chosen), "conditions": len(conditions)},
    )
    return fit_result(check)


def fit_result(check: FitCheck) -> FitResult:
    """Which conditions are met, and which regions that run the practice resemble the
    asker's: per region its latest fit check, compared answer by answer (the same
    answer on a condition counts); regions without a check are listed last."""
    answers = {a.condition_id: a.met for a in check.answers.all()}
    conditions = list(check.practice.conditions.all())
    met = [c for c in conditions if answers.get(c.pk)]
    not_met = [c for c in conditions if not answers.get(c.pk)]
    regions = {
        u.region_id: u.region
        for u in check.practice.uses.select_related("region").exclude(region_id=check.region_id)
    }
    latest: dict[int, FitCheck] = {}
    for other in (
        FitCheck.objects.filter(practice=check.practice, region_id__in=list(regions))
        .prefetch_related("answers")
        .order_by("-created_at", "-pk")
    ):
        latest.setdefault(other.region_id, other)
    found = []
    for region_id, region in regions.items():
        last = latest.get(region_id)
        if last is None:
            found.append(Resemblance(region, 0, 0, False))
            continue
        theirs = {a.condition_id: a.met for a in last.answers.all()}
        both = [c for c in answers if c in theirs]
        same = sum(1 for c in both if answers[c] == theirs[c])
        found.append(Resemblance(region, same, len(both), True))
    found.sort(
        key=lambda r: (not r.checked, -(r.same / r.compared if r.compared else 0), r.region.name)
    )
    return FitResult(check, met, not_met, found)


@transaction.atomic
def save_term(
    *,
    actor: User,
    term: str,
    meaning: str,
    replaces: str = "",
    example: str = "",
    region: YouthCareRegion | None = None,
    existing: GlossaryTerm | None = None,
) -> GlossaryTerm:
    check_editor(actor)
    if not term.strip() or not meaning.strip():
        raise ValidationError(_("A term needs a word and its meaning."))
    slug = slugify(term.strip())[:90]
    taken = GlossaryTerm.objects.filter(
        region=region if existing is None else existing.region, slug=slug
    )
    if existing is not None:
        taken = taken.exclude(pk=existing.pk)
    if taken.exists():
        raise ValidationError({"term": [_("This term is already in the glossary.")]})
    item = existing or GlossaryTerm(region=region)
    item.term, item.meaning = term.strip(), meaning.strip()
    item.replaces, item.example = replaces.strip(), example.strip()
    item.updated_at = timezone.now()
    item.slug = slug or "term"
    item.full_clean(exclude=["slug"])
    item.save()
    search.put([search.term_entry(item)])
    record(actor, "knowledge.term_saved", item)
    return item
