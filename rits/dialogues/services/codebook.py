"""Changes to a region's codebook. Nothing that was coded is ever lost: a code is never
deleted, each change is a new version, and a merge moves what a coding *counts as*."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from rits.accounts.models import User
from rits.audit.models import Entry
from rits.audit.services import record
from rits.dialogues import seed
from rits.dialogues.models import Code, CodeVersion, Coding, Kind, Theme
from rits.dialogues.services.common import DialogueError
from rits.regions.models import YouthCareRegion

ADMIN = Entry.Purpose.ADMINISTRATION


def _version(code: Code, change: str, actor: User | None, note: str = "") -> CodeVersion:
    return CodeVersion.objects.create(
        code=code,
        number=code.version,
        change=change,
        name=code.name,
        definition=code.definition,
        example=code.example,
        kind=code.kind,
        note=note[:300],
        changed_by=actor,
    )


def _audit(actor: User | None, event: str, code: Code, **data: Any) -> None:
    record(
        actor,
        event,
        code,
        subject=f"codeboek:{code.region_id}",
        purpose=ADMIN,
        data={"guid": str(code.guid), **data},
    )


@transaction.atomic
def seed_codebook(region: YouthCareRegion, *, actor: User | None = None) -> int:
    """Give the region the Frisian themes and codes; a second run adds nothing."""
    added = 0
    for position, (theme_name, description, codes) in enumerate(seed.THEMES):
        theme, _created = Theme.objects.get_or_create(
            region=region,
            name=theme_name,
            defaults={
                "description": description,
                "position": position,
                "guid": seed.theme_guid(region.code, theme_name),
            },
        )
        for name, kind, definition, example in codes:
            guid = seed.code_guid(region.code, name)
            if Code.objects.filter(region=region, guid=guid).exists():
                continue
            code = Code.objects.create(
                region=region,
                theme=theme,
                guid=guid,
                name=name,
                definition=definition,
                example=example,
                kind=kind,
            )
            _version(code, CodeVersion.Change.CREATED, actor)
            added += 1
    return added


def _check_name(region_id: int, name: str, *, exclude: int | None = None) -> None:
    clash = Code.objects.filter(region_id=region_id, name__iexact=name, status=Code.Status.ACTIVE)
    if exclude:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise DialogueError(_("The codebook already has a code with this name."), field="name")


@transaction.atomic
def create_code(
    theme: Theme, *, actor: User, name: str, definition: str, kind: str, example: str = ""
) -> Code:
    if kind not in Kind.values:
        raise DialogueError(_("Choose a kind."), field="kind")
    _check_name(theme.region_id, name)
    code = Code.objects.create(
        region_id=theme.region_id,
        theme=theme,
        name=name,
        definition=definition,
        example=example,
        kind=kind,
    )
    _version(code, CodeVersion.Change.CREATED, actor)
    _audit(actor, "dialogues.code_created", code)
    return code


@transaction.atomic
def change_code(code: Code, *, actor: User, version: int, **changes: str) -> Code:
    """Rename or reword a code; what was coded with it keeps counting for it."""
    code = Code.objects.select_for_update().get(pk=code.pk)
    if code.version != version:
        raise DialogueError(_("Someone else changed this code in the meantime. Reload the page."))
    if not code.is_active:
        raise DialogueError(_("This code is no longer in use and cannot be changed."))
    if "kind" in changes and changes["kind"] not in Kind.values:
        raise DialogueError(_("Choose a kind."), field="kind")
    renamed = "name" in changes and changes["name"] != code.name
    if renamed:
        _check_name(code.region_id, changes["name"], exclude=code.pk)
    old_name = code.name
    for field in ("name", "definition", "example", "kind"):
        if field in changes:
            setattr(code, field, changes[field])
    code.version += 1
    code.save()
    change = CodeVersion.Change.RENAMED if renamed else CodeVersion.Change.EDITED
    _version(code, change, actor, note=f"was: {old_name}" if renamed else "")
    _audit(actor, "dialogues.code_changed", code, change=change, version=code.version)
    return code


@transaction.atomic
def merge_code(code: Code, into: Code, *, actor: User) -> Code:
    """``code`` goes into ``into``: its codings count for ``into`` from now on, and keep
    saying which code the coder chose; codes merged into ``code`` before follow along."""
    if into.region_id != code.region_id:
        raise DialogueError(_("Choose a code from the same codebook."), field="into")
    if into.pk == code.pk or not into.is_active or not code.is_active:
        raise DialogueError(_("Choose another code that is still in use."), field="into")
    Coding.objects.filter(counted_code=code).update(counted_code=into)
    Code.objects.filter(merged_into=code).update(merged_into=into)
    code.status = Code.Status.MERGED
    code.merged_into = into
    code.version = F("version") + 1
    code.save()
    code.refresh_from_db()
    _version(code, CodeVersion.Change.MERGED, actor, note=f"into: {into.name}")
    _audit(actor, "dialogues.code_merged", code, into=str(into.guid))
    return code


@transaction.atomic
def retire_code(code: Code, *, actor: User) -> Code:
    """No new codings with this code; the old ones stay and still count."""
    if not code.is_active:
        raise DialogueError(_("This code is no longer in use."))
    code.status = Code.Status.RETIRED
    code.version += 1
    code.save()
    _version(code, CodeVersion.Change.RETIRED, actor)
    _audit(actor, "dialogues.code_retired", code)
    return code


class ImportRejected(DialogueError):
    """The file was refused; ``errors`` says why, one line per item. Nothing was stored."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(_("The codebook was not imported. Nothing has changed."))
        self.errors = errors


def import_codebook(region: YouthCareRegion, *, actor: User, data: bytes) -> int:
    """Add the themes and codes of a ``.qdc`` to the region's codebook, all or nothing.
    A theme with a name the region has already takes the new codes; the guids stay, so
    both regions speak of the same code."""
    from rits.dialogues import refi

    parsed = refi.parse_codebook(data)
    errors = list(parsed.errors)
    if not errors:
        existing_guids = {
            str(g) for g in Code.objects.filter(region=region).values_list("guid", flat=True)
        }
        active_names = {
            n.casefold()
            for n in Code.objects.filter(region=region, status=Code.Status.ACTIVE).values_list(
                "name", flat=True
            )
        }
        new_names: set[str] = set()
        for theme_item in parsed.themes:
            for item in theme_item.codes:
                if str(item.guid) in existing_guids:
                    errors.append(
                        f"“{item.name}”: deze code staat al in het codeboek van de regio."
                    )
                elif item.name.casefold() in active_names | new_names:
                    errors.append(f"“{item.name}”: het codeboek heeft al een code met deze naam.")
                new_names.add(item.name.casefold())
    if errors:
        with transaction.atomic():
            record(
                actor,
                "dialogues.codebook_import_rejected",
                None,
                subject=f"codeboek:{region.pk}",
                purpose=ADMIN,
                object_type="dialogues.codebook",
                object_id=region.pk,
                outcome=Entry.Outcome.FAILURE,
                data={"errors": len(errors)},
            )
        raise ImportRejected(errors)
    with transaction.atomic():
        added = 0
        last = Theme.objects.filter(region=region).count()
        for theme_in in parsed.themes:
            theme = Theme.objects.filter(region=region, name__iexact=theme_in.name).first()
            if theme is None:
                theme = Theme.objects.create(
                    region=region,
                    guid=theme_in.guid,
                    name=theme_in.name,
                    description=theme_in.description[:2000],
                    position=last,
                )
                last += 1
            for code_in in theme_in.codes:
                code = Code.objects.create(
                    region=region,
                    theme=theme,
                    guid=code_in.guid,
                    name=code_in.name,
                    definition=code_in.definition,
                    example=code_in.example,
                    kind=code_in.kind,
                )
                _version(code, CodeVersion.Change.IMPORTED, actor)
                added += 1
        record(
            actor,
            "dialogues.codebook_imported",
            None,
            subject=f"codeboek:{region.pk}",
            purpose=ADMIN,
            object_type="dialogues.codebook",
            object_id=region.pk,
            data={"codes": added},
        )
    return added
