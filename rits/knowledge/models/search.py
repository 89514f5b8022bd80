"""The rows the knowledge search finds: one per practice, experience report, progress
update and glossary term, with the columns its filters and access rule need. The text
itself is indexed beside it (``rits.knowledge.search``), keyed by this row's id."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rits.knowledge.models.networks import Network
from rits.knowledge.models.practices import Practice
from rits.regions.models import YouthCareRegion


class SearchDocument(models.Model):
    class Kind(models.TextChoices):
        PRACTICE = "practice", _("Practice")
        REPORT = "report", _("Experience report")
        PROGRESS = "update", _("Progress update")
        TERM = "term", _("Glossary term")

    kind = models.CharField(max_length=10, choices=Kind)
    object_id = models.BigIntegerField()
    # The practice a practice or report document belongs to: theme, age and evidence
    # filters read it. The network of an update: its access rule reads it.
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, null=True, related_name="+")
    network = models.ForeignKey(Network, on_delete=models.CASCADE, null=True, related_name="+")
    region = models.ForeignKey(
        YouthCareRegion, on_delete=models.CASCADE, null=True, related_name="+"
    )
    title = models.CharField(max_length=300)
    snippet = models.CharField(max_length=300)
    dated = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_once")
        ]

    def __str__(self) -> str:
        return self.title
