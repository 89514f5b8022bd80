"""The knowledge app's models: the hub (practices, where they run, fit checks, glossary)
and the learning networks (members, meetings, minutes, progress updates)."""

from rits.knowledge.models.networks import (
    AgendaItem,
    AgreedAction,
    Amendment,
    DigestSent,
    FinalMinutesError,
    Meeting,
    Member,
    Minutes,
    Network,
    NetworkTheme,
    ProgressUpdate,
    Registration,
)
from rits.knowledge.models.practices import (
    EDITOR_ROLES,
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
from rits.knowledge.models.search import SearchDocument

__all__ = [
    "EDITOR_ROLES",
    "AgendaItem",
    "AgreedAction",
    "Amendment",
    "Condition",
    "DigestSent",
    "Element",
    "Evidence",
    "ExperienceReport",
    "FinalMinutesError",
    "FitAnswer",
    "FitCheck",
    "GlossaryTerm",
    "Meeting",
    "Member",
    "Minutes",
    "Network",
    "NetworkTheme",
    "Practice",
    "PracticeCode",
    "ProgressUpdate",
    "Registration",
    "SearchDocument",
    "Use",
]
