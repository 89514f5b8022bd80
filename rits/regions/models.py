"""Jeugdregio's, municipalities (CBS codes, 2023 boundaries) and areas (wijken)."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class YouthCareRegion(models.Model):
    """A jeugdregio: the municipalities that commission youth care together (CBS JZ code)."""

    code = models.CharField(
        _("code"), max_length=4, unique=True, validators=[RegexValidator(r"^JZ\d{2}$")]
    )
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("youth-care region")
        verbose_name_plural = _("youth-care regions")

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    """A gemeente, identified by its CBS code (GM0917 = Heerlen)."""

    code = models.CharField(
        _("CBS code"), max_length=6, unique=True, validators=[RegexValidator(r"^GM\d{4}$")]
    )
    name = models.CharField(_("name"), max_length=100)
    province_code = models.CharField(_("province code"), max_length=4)
    province_name = models.CharField(_("province"), max_length=50)
    region = models.ForeignKey(
        YouthCareRegion,
        on_delete=models.PROTECT,
        related_name="municipalities",
        verbose_name=_("youth-care region"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name


class Area(models.Model):
    """A wijk or area within a municipality, as area teams divide their work."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="areas", verbose_name=_("municipality")
    )
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("CBS wijk code"), max_length=8, blank=True)

    class Meta:
        ordering = ["municipality__name", "name"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="area_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.municipality.name})"
