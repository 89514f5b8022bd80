"""Findings and their codes, second (blind) coding, and improvement actions with their
dated history and reminders to their owners."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rits.accounts.models import Organisation, User
from rits.accounts.notifications import notify
from rits.audit.models import Entry
from rits.dialogues import account as accounts
from rits.dialogues.models import (
    ActionStatusChange,
    Code,
    Coding,
    DialogueTable,
    Finding,
    ImprovementAction,
    Kind,
    Trajectory,
)
from rits.dialogues.services.common import DialogueError, audit

REMIND_DAYS_BEFORE = 7
REMIND_EVERY_DAYS = 7


def _check_codes(table: DialogueTable, codes: Sequence[Code]) -> None:
    if not codes:
        raise DialogueError(_("Choose at least one code."), field="codes")
    for code in codes:
        if code.region_id != table.region_id:
            raise DialogueError(
                _("The code “%(name)s” is not in this region's codebook.") % {"name": code.name},
                field="codes",
            )
        if not code.is_active:
            raise DialogueError(
                _("The code “%(name)s” is no longer in use.") % {"name": code.name}, field="codes"
            )


@transaction.atomic
def record_finding(
    table: DialogueTable,
    *,
    actor: User,
    text: str,
    phase: str,
    view: str,
    codes: Sequence[Code],
    trajectory: Trajectory | None = None,
) -> Finding:
    """The chair (or facilitator) records a segment with its phase, whose view it is, and
    codes from the region's codebook. The text is cleared of the family's names."""
    if table.status == DialogueTable.Status.CLOSED:
        raise DialogueError(_("This table is closed."))
    if phase not in Finding.Phase.values:
        raise DialogueError(_("Choose a phase."), field="phase")
    if view not in Finding.View.values:
        raise DialogueError(_("Choose whose view it is."), field="view")
    _check_codes(table, codes)
    trajectories = list(table.trajectories.all())
    if trajectory is None and len(trajectories) == 1:
        trajectory = trajectories[0]
    if trajectory is not None and trajectory.pk not in {t.pk for t in trajectories}:
        raise DialogueError(_("Choose a trajectory of this table."), field="trajectory")
    finding = Finding.objects.create(
        table=table,
        trajectory=trajectory,
        text=accounts.scrub_for_table(text, trajectories),
        phase=phase,
        view=view,
        recorded_by=actor,
    )
    Coding.objects.bulk_create(
        Coding(finding=finding, code=c, counted_code=c, coder=actor) for c in codes
    )
    audit(
        actor,
        "dialogues.finding_recorded",
        finding,
        subject=table.reference,
        data={"codes": [str(c.guid) for c in codes]},
    )
    return finding


@transaction.atomic
def second_coding(finding: Finding, *, actor: User, codes: Sequence[Code]) -> list[Coding]:
    """The second coder's codes for a finding, replacing their earlier ones; they never
    see the first coder's (see the views)."""
    _check_codes(finding.table, codes)
    finding.codings.filter(round=Coding.Round.SECOND).delete()
    made = Coding.objects.bulk_create(
        Coding(
            finding=finding,
            code=c,
            counted_code=c,
            coder=actor,
            round=Coding.Round.SECOND,
        )
        for c in codes
    )
    audit(
        actor,
        "dialogues.finding_coded",
        finding,
        subject=finding.table.reference,
        data={"codes": [str(c.guid) for c in codes]},
    )
    return made


@transaction.atomic
def create_action(
    finding: Finding,
    *,
    actor: User,
    what: str,
    owner_organisation: Organisation | None,
    owner: User | None,
    due_date: date | None,
) -> ImprovementAction:
    """An improvement finding becomes an action with an owner (an organisation and a
    person there) and a due date that is not in the past."""
    if not finding.codings.filter(counted_code__kind=Kind.IMPROVEMENT).exists():
        raise DialogueError(_("Only a finding coded as an improvement becomes an action."))
    if owner_organisation is None or owner is None:
        raise DialogueError(
            _("Choose an owner: an organisation and a person there."), field="owner"
        )
    if not owner.memberships.filter(organisation=owner_organisation, active=True).exists():
        raise DialogueError(_("The owner must work at the chosen organisation."), field="owner")
    if owner_organisation.region_id != finding.table.region_id:
        raise DialogueError(_("Choose an organisation of this region."), field="owner_organisation")
    if due_date is None or due_date < timezone.localdate():
        raise DialogueError(_("Choose a due date that is not in the past."), field="due_date")
    action = ImprovementAction.objects.create(
        finding=finding,
        region_id=finding.table.region_id,
        what=accounts.scrub_for_table(what, finding.table.trajectories.all())[:300],
        owner_organisation=owner_organisation,
        owner=owner,
        due_date=due_date,
        created_by=actor,
    )
    ActionStatusChange.objects.create(action=action, status=action.status, changed_by=actor)
    notify(
        owner,
        kind="dialogues.action",
        title=_("An improvement action for you"),
        body=action.what,
        url=f"/dialoogtafels/acties/{action.pk}/",
    )
    audit(actor, "dialogues.action_created", action, subject=finding.table.reference)
    return action


@transaction.atomic
def update_action(
    action: ImprovementAction, *, actor: User, status: str, note: str = "", result: str = ""
) -> ImprovementAction:
    """A new status with the date it changed; closing (done or stopped) needs a result."""
    if status not in ImprovementAction.Status.values:
        raise DialogueError(_("Choose a status."), field="status")
    if action.is_closed:
        raise DialogueError(_("This action is closed."))
    if status in ImprovementAction.CLOSED and not result.strip():
        raise DialogueError(
            _("Say what it has led to before you close the action."), field="result"
        )
    action.status = status
    if status in ImprovementAction.CLOSED:
        action.result = result
        action.closed_on = timezone.localdate()
    action.save(update_fields=["status", "result", "closed_on"])
    ActionStatusChange.objects.create(action=action, status=status, note=note, changed_by=actor)
    audit(
        actor,
        "dialogues.action_updated",
        action,
        subject=action.finding.table.reference,
        data={"status": status},
    )
    return action


def send_reminders(today: date | None = None) -> int:
    """Remind each owner of an open action due within a week, or overdue, at most once a
    week: running it twice on one day sends nothing the second time."""
    today = today or timezone.localdate()
    due = ImprovementAction.objects.exclude(status__in=ImprovementAction.CLOSED).filter(
        due_date__lte=today + timedelta(days=REMIND_DAYS_BEFORE)
    )
    sent = 0
    for action_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            action = (
                ImprovementAction.objects.select_for_update()
                .select_related("owner", "finding__table")
                .get(pk=action_id)
            )
            last = action.last_reminded_on
            if last is not None and last > today - timedelta(days=REMIND_EVERY_DAYS):
                continue
            overdue = action.due_date < today
            notify(
                action.owner,
                kind="dialogues.action_reminder",
                title=_("Improvement action overdue")
                if overdue
                else _("Improvement action due soon"),
                body=action.what,
                url=f"/dialoogtafels/acties/{action.pk}/",
            )
            action.last_reminded_on = today
            action.save(update_fields=["last_reminded_on"])
            audit(
                None,
                "dialogues.action_reminded",
                action,
                subject=action.finding.table.reference,
                purpose=Entry.Purpose.ACCOUNTABILITY,
                data={"overdue": overdue},
            )
            sent += 1
    return sent
