from rits.dialogues.models.codebook import Code, CodeVersion, Kind, Theme
from rits.dialogues.models.tables import (
    Account,
    ActionStatusChange,
    Coding,
    DialogueTable,
    Finding,
    ImprovementAction,
    Participant,
    TableCase,
    Trajectory,
    TrajectoryConsent,
)

__all__ = [
    "Account",
    "ActionStatusChange",
    "Code",
    "CodeVersion",
    "Coding",
    "DialogueTable",
    "Finding",
    "ImprovementAction",
    "Kind",
    "Participant",
    "TableCase",
    "Theme",
    "Trajectory",
    "TrajectoryConsent",
]
