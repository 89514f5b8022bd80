"""Every change to a family plan: one transaction, one audit entry in it, keyword-only actor.

Errors that the person can fix are ``PlanError`` with a plain-language message; nothing
has changed when one is raised. A save against an older version raises ``StaleVersion``.

Each change ends with two named steps in its transaction: ``renew_content(plan)`` (or
``renew_family_content`` for a change to the family's network, which every plan of the
family shows), so that the plan page reads the content again, and ``audit(...)``.
Services trust their callers to have checked access through ``permissions``
(``get_plan_for_user``), which also refuses changes to a closed plan.

The modules, by subject:

- ``errors``: ``PlanError`` and ``StaleVersion``;
- ``audit``: renewing the content token, the audit entry, audited reads;
- ``notices``: who hears of a change, and telling them;
- ``plans``: starting a plan (professional or the family itself) and closing it;
- ``network``: the family's persons and the lines between them;
- ``invitations``: a person's own account, by link and code;
- ``team``: care-team members, consent under the age rules, the JIM, the coordinator;
- ``versions``: optimistic concurrency for versioned parts;
- ``goals``: goals and scores, actions, decisions and answers, evaluations, comments;
- ``transition``: the transition to adulthood, and the daily reminders;
- ``emergency``: emergency access ("break the glass").

Callers import from ``rits.family_plans.services``; the names below are the public ones.
"""

from rits.family_plans.services.audit import (
    audit,
    record_read,
    renew_content,
    renew_family_content,
)
from rits.family_plans.services.emergency import (
    EMERGENCY_HOURS,
    EmergencyRefused,
    break_glass,
    end_emergency_access,
)
from rits.family_plans.services.errors import (
    PlanError,
    StaleVersion,
)
from rits.family_plans.services.goals import (
    add_action,
    add_comment,
    add_goal,
    answer_decision,
    plan_evaluation,
    propose_decision,
    score_goal,
    update_action,
    update_decision,
    update_goal,
)
from rits.family_plans.services.invitations import (
    ADDRESS_TRIES,
    CODE_MINUTES,
    CODE_RESEND_SECONDS,
    CODE_TRIES,
    CODES_PER_INVITATION,
    INVITATION_DAYS,
    InvitationGone,
    accept_invitation,
    find_invitation,
    identity_problem,
    invite_person,
    mask_email,
    offers_second_factor,
    same_person,
    send_invitation_code,
)
from rits.family_plans.services.network import (
    PERSON_FIELDS,
    DuplicateRelationship,
    PersonChangeRefused,
    add_person,
    add_relationship,
    removal_problem,
    remove_person,
    remove_relationship,
    set_relationship,
    update_person,
)
from rits.family_plans.services.notices import (
    household_accounts,
    in_app_only,
    plan_url,
    sends_email,
    team_accounts,
    tell,
    tell_many,
)
from rits.family_plans.services.plans import (
    close_plan,
    own_plan_youths,
    start_own_plan,
    start_plan,
)
from rits.family_plans.services.team import (
    consent_givers_label,
    give_consent,
    invite_jim,
    leave_team,
    primary_organisation,
    propose_member,
    set_coordinator,
    withdraw_consent,
)
from rits.family_plans.services.transition import (
    send_reminders,
    update_transition,
)
from rits.family_plans.services.versions import (
    save_versioned,
)

__all__ = [
    "ADDRESS_TRIES",
    "CODES_PER_INVITATION",
    "CODE_MINUTES",
    "CODE_RESEND_SECONDS",
    "CODE_TRIES",
    "EMERGENCY_HOURS",
    "INVITATION_DAYS",
    "PERSON_FIELDS",
    "DuplicateRelationship",
    "EmergencyRefused",
    "InvitationGone",
    "PersonChangeRefused",
    "PlanError",
    "StaleVersion",
    "accept_invitation",
    "add_action",
    "add_comment",
    "add_goal",
    "add_person",
    "add_relationship",
    "answer_decision",
    "audit",
    "break_glass",
    "close_plan",
    "consent_givers_label",
    "end_emergency_access",
    "find_invitation",
    "give_consent",
    "household_accounts",
    "identity_problem",
    "in_app_only",
    "invite_jim",
    "invite_person",
    "leave_team",
    "mask_email",
    "offers_second_factor",
    "own_plan_youths",
    "plan_evaluation",
    "plan_url",
    "primary_organisation",
    "propose_decision",
    "propose_member",
    "record_read",
    "removal_problem",
    "remove_person",
    "remove_relationship",
    "renew_content",
    "renew_family_content",
    "same_person",
    "save_versioned",
    "score_goal",
    "send_invitation_code",
    "send_reminders",
    "sends_email",
    "set_coordinator",
    "set_relationship",
    "start_own_plan",
    "start_plan",
    "team_accounts",
    "tell",
    "tell_many",
    "update_action",
    "update_decision",
    "update_goal",
    "update_person",
    "update_transition",
    "withdraw_consent",
]
