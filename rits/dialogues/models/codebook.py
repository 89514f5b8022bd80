"""The region's codebook: themes and the codes under them, each change kept as a version.

Codes are never deleted. Renaming or editing writes a new ``CodeVersion``; merging points
the old code at the one it went into (``merged_into``) and moves only the *counted* code of
its codings, never the code they were given; retiring stops new codings and keeps the old.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


class Kind(models.TextChoices):
    SUCCESS_FACTOR = "success_factor", _("Success factor")
    BOTTLENECK = "bottleneck", _("Bottleneck")
    IMPROVEMENT = "improvement", _("Improvement")


class Theme(models.Model):
    """A theme of the codebook (the top of the hierarchy): it holds codes, is not coded."""

    region = models.ForeignKey(
        "regions.YouthCareRegion",
        on_delete=models.PROTECT,
        related_name="dialogue_themes",
        verbose_name=_("youth-care region"),
    )
    guid = models.UUIDField(default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["region_id", "position", "name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="dialogue_theme_unique_name"),
            models.UniqueConstraint(fields=["region", "guid"], name="dialogue_theme_unique_guid"),
        ]

    def __str__(self) -> str:
        return self.name


class Code(models.Model):
    """A code: what a finding is about, in the region's shared words."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("In use")
        MERGED = "merged", _("Merged into another code")
        RETIRED = "retired", _("Retired")

    region = models.ForeignKey(
        "regions.YouthCareRegion",
        on_delete=models.PROTECT,
        related_name="dialogue_codes",
        verbose_name=_("youth-care region"),
    )
    theme = models.ForeignKey(
        Theme, on_delete=models.PROTECT, related_name="codes", verbose_name=_("theme")
    )
    # Unique within the region: a codebook imported from another region keeps its guids.
    guid = models.UUIDField(default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=150)
    definition = models.TextField(_("definition"), max_length=2000)
    example = models.TextField(_("example"), max_length=2000, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.ACTIVE)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
        verbose_name=_("merged into"),
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["theme__position", "theme__name", "name"]
        verbose_name = _("code")
        verbose_name_plural = _("codes")
        constraints = [
            models.UniqueConstraint(fields=["region", "guid"], name="dialogue_code_unique_guid"),
            models.UniqueConstraint(
                fields=["region", "name"],
                condition=Q(status="active"),
                name="dialogue_code_unique_active_name",
            ),
            models.CheckConstraint(
                condition=Q(status="merged", merged_into__isnull=False)
                | (~Q(status="merged") & Q(merged_into__isnull=True)),
                name="dialogue_code_merged_has_target",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class CodeVersion(models.Model):
    """What a code said from one change to the next: its history, never rewritten."""

    class Change(models.TextChoices):
        CREATED = "created", _("Created")
        EDITED = "edited", _("Changed")
        RENAMED = "renamed", _("Renamed")
        MERGED = "merged", _("Merged")
        RETIRED = "retired", _("Retired")
        IMPORTED = "imported", _("Imported")

    code = models.ForeignKey(Code, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    change = models.CharField(_("change"), max_length=10, choices=Change)
    name = models.CharField(_("name"), max_length=150)
    definition = models.TextField(_("definition"), max_length=2000)
    example = models.TextField(_("example"), max_length=2000, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    note = models.CharField(_("note"), max_length=300, blank=True)
    changed_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        ordering = ["code_id", "number"]
        verbose_name = _("code version")
        verbose_name_plural = _("code versions")
        constraints = [
            models.UniqueConstraint(fields=["code", "number"], name="dialogue_code_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.number})"
