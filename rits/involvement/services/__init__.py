"""Every change to the involvement index: register, match, coordinate, end, archive.

A plain BSN enters ``validate`` and leaves as a pseudonym; it is never stored, logged,
audited or put in an exception message. Every mutation runs in one transaction with
its audit entry.

The modules, by subject:

- ``validation``: who may register, and checking and pseudonymising a signal;
- ``registration``: registering one signal and matching it (client and family);
- ``matching``: the matching itself, for one signal or a batch, with the messages;
- ``index``: the signal lookups and inserts of those hot paths (keys, chunks, whole
  pseudonyms compared);
- ``sql``: every plain SQL statement of the index, and why (the only module with any);
- ``reads``: the match lists and auditing every read;
- ``coordination``: agreeing who coordinates, and escalating unresolved matches;
- ``retention``: ending signals, the archive, the daily job and the purge;
- ``rights``: overview, export, correction and objection for youths and parents;
- ``bulk_import``: a whole file at once, all or nothing.

Callers import from ``rits.involvement.services``; the names below are the public ones.
"""

from rits.involvement.services.bulk_import import (
    ImportRejected,
    ImportResult,
    Progress,
    RowError,
    import_signals,
)
from rits.involvement.services.coordination import (
    agree_coordinator,
    confirm_in_touch,
    escalate_unresolved,
    escalation_days,
    municipal_coordinators,
    start_plan_from_match,
)
from rits.involvement.services.index import active_with_parents, insert_sql, signal_rows
from rits.involvement.services.matching import match_messages
from rits.involvement.services.registration import Registration, contact_line, register_signal
from rits.involvement.services.retention import (
    DailyReport,
    purge_archive,
    purge_cutoff,
    run_daily,
    withdraw_signal,
)
from rits.involvement.services.rights import (
    audit_rights_export,
    correct_signal,
    overview_for_pseudonym,
    pseudonym_for_rights,
    require_municipal_coordinator,
    rights_export_rows,
    rights_overview,
    uphold_objection,
)
from rits.involvement.services.validation import (
    MAX_DURATION_YEARS,
    CleanSignal,
    Rules,
    SignalInput,
    authorise_reporter,
    default_duration_days,
    duplicate_error,
    max_end_date,
    refuse_reporter,
    reporter_organisations,
    validate,
)

__all__ = [
    "MAX_DURATION_YEARS",
    "CleanSignal",
    "DailyReport",
    "ImportRejected",
    "ImportResult",
    "Progress",
    "Registration",
    "RowError",
    "Rules",
    "SignalInput",
    "active_with_parents",
    "agree_coordinator",
    "audit_rights_export",
    "authorise_reporter",
    "confirm_in_touch",
    "contact_line",
    "correct_signal",
    "default_duration_days",
    "duplicate_error",
    "escalate_unresolved",
    "escalation_days",
    "import_signals",
    "insert_sql",
    "match_messages",
    "max_end_date",
    "municipal_coordinators",
    "overview_for_pseudonym",
    "pseudonym_for_rights",
    "purge_archive",
    "purge_cutoff",
    "refuse_reporter",
    "register_signal",
    "reporter_organisations",
    "require_municipal_coordinator",
    "rights_export_rows",
    "rights_overview",
    "run_daily",
    "signal_rows",
    "start_plan_from_match",
    "uphold_objection",
    "validate",
    "withdraw_signal",
]
