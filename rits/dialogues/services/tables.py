"""From a closed trajectory to a table with its account: proposing, consent under the
age rules, opening, inviting (the chair from outside the care team), preparing and
releasing the account, and marking the table as held."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rits.accounts.models import Membership, User
from rits.accounts.notifications import notify
from rits.audit.models import Entry
from rits.dialogues import account as accounts
from rits.dialogues.models import (
    Account,
    DialogueTable,
    Participant,
    TableCase,
    Trajectory,
    TrajectoryConsent,
)
from rits.dialogues.pseudonyms import marks_for
from rits.dialogues.services.common import DialogueError, audit
from rits.family_plans.models import CareTeamMember, Person, Plan
from rits.lib.ages import Stage, consent_stage
from rits.regions.models import Municipality, YouthCareRegion

Giver = TrajectoryConsent.Giver


def trajectory_age(trajectory: Trajectory) -> int | None:
    if trajectory.plan is not None:
        return accounts.plan_youth_age(trajectory.plan)
    return trajectory.youth_age


def missing_consent(trajectory: Trajectory) -> list[str]:
    """Whose consent is still needed, by the age rules: under 12 a parent, 12 to 15 the
    youth and a parent, from 16 the youth."""
    given = set(
        trajectory.consents.filter(withdrawn_at__isnull=True).values_list("giver", flat=True)
    )
    stage = consent_stage(trajectory_age(trajectory))
    needed = {
        Stage.PARENTS: [Giver.PARENT],
        Stage.TOGETHER: [Giver.YOUTH, Giver.PARENT],
        Stage.YOUTH: [Giver.YOUTH],
    }[stage]
    return [g for g in needed if g not in given]


def consent_complete(trajectory: Trajectory) -> bool:
    return trajectory.withdrawn_at is None and not missing_consent(trajectory)


def _notify_household(trajectory: Trajectory, plan: Plan) -> None:
    for person in plan.family.persons.filter(
        role__in=(Person.Role.YOUTH, Person.Role.PARENT), user__isnull=False
    ).select_related("user"):
        assert person.user is not None
        notify(
            person.user,
            kind="dialogues.consent",
            title=_("May we look back on your help together?"),
            body=_(
                "We want to learn from the help you had. Do you agree that we talk about it "
                "at a dialogue table, without your names? You decide."
            ),
            url=f"/dialoogtafels/toestemming/{trajectory.pk}/",
        )


@transaction.atomic
def propose_plan(plan: Plan, *, actor: User, title: str) -> Trajectory:
    """A member of the care team proposes the closed plan; the family is asked for
    consent. ``plan`` comes from the family plan's access helper."""
    if plan.status != Plan.Status.CLOSED:
        raise DialogueError(_("Only a closed family plan can go to a dialogue table."))
    if Trajectory.objects.filter(plan=plan, withdrawn_at__isnull=True).exists():
        raise DialogueError(_("This plan has already been proposed for a dialogue table."))
    municipality = plan.family.municipality
    region_id = municipality.region_id if municipality else None
    if region_id is None:
        region_id = (
            Membership.objects.filter(user=actor, active=True)
            .values_list("organisation__region_id", flat=True)
            .first()
        )
    if region_id is None:
        raise DialogueError(_("This plan belongs to no region."))
    trajectory = Trajectory.objects.create(
        region_id=region_id,
        municipality=municipality,
        source=Trajectory.Source.PLAN,
        plan=plan,
        title=accounts.scrub_for_table(title, []),
        proposed_by=actor,
        started_on=timezone.localdate(plan.created_at),
        ended_on=timezone.localdate(plan.closed_at) if plan.closed_at else None,
        name_marks=accounts.name_marks_for_plan(plan),
    )
    # The title is typed by someone who knows the family: scrub it with their names too.
    trajectory.title = accounts.scrub_for_table(title, [trajectory])[:200]
    trajectory.save(update_fields=["title"])
    audit(
        actor,
        "dialogues.trajectory_proposed",
        trajectory,
        subject=trajectory.reference,
        purpose=Entry.Purpose.COORDINATION,
    )
    _notify_household(trajectory, plan)
    return trajectory


@transaction.atomic
def enter_trajectory(
    region: YouthCareRegion,
    *,
    actor: User,
    title: str,
    summary: str,
    youth_age: int | None,
    names: Sequence[tuple[str, str]] = (),
    municipality: Municipality | None = None,
    started_on: date | None = None,
    ended_on: date | None = None,
) -> Trajectory:
    """Help given outside Rits, entered by the facilitator. ``names`` (name, role) are
    kept only as keyed marks; the summary is stored with them already replaced."""
    if municipality is not None and municipality.region_id != region.pk:
        raise DialogueError(_("Choose a municipality of this region."), field="municipality")
    if started_on and ended_on and ended_on < started_on:
        raise DialogueError(_("The help cannot end before it started."), field="ended_on")
    marks = marks_for([(n, r or "iemand uit het gezin") for n, r in names])
    trajectory = Trajectory(
        region=region,
        municipality=municipality,
        source=Trajectory.Source.MANUAL,
        youth_age=youth_age,
        name_marks=marks,
        started_on=started_on,
        ended_on=ended_on,
        proposed_by=actor,
    )
    trajectory.title = accounts.scrub_for_table(title, [trajectory])[:200]
    trajectory.summary = accounts.scrub_for_table(summary, [trajectory])
    trajectory.save()
    audit(actor, "dialogues.trajectory_entered", trajectory, subject=trajectory.reference)
    return trajectory


def give_consent(
    trajectory: Trajectory, *, actor: User, person: Person | None, giver: str = ""
) -> TrajectoryConsent:
    """The youth or a parent agrees (``person``: their place in the household, from the
    access helper), or the facilitator records consent given on paper (``giver``)."""
    if trajectory.withdrawn_at is not None:
        raise DialogueError(_("Consent was withdrawn. This trajectory is no longer used."))
    if person is not None:
        giver = Giver.YOUTH if person.role == Person.Role.YOUTH else Giver.PARENT
        method = TrajectoryConsent.Method.ONLINE
        if (
            trajectory.plan is not None
            and person.pk != trajectory.plan.youth_id
            and (giver == Giver.YOUTH)
        ):
            giver = ""  # another child of the household does not decide for this youth
    else:
        method = TrajectoryConsent.Method.PAPER
    if giver not in Giver.values:
        # The refusal stays in the trail: its own transaction, before the error.
        with transaction.atomic():
            audit(
                actor,
                "dialogues.consent_refused",
                trajectory,
                subject=trajectory.reference,
                outcome=Entry.Outcome.DENIED,
            )
        raise DialogueError(_("Only the youth or a parent can give this consent."), field="giver")
    return _record_consent(trajectory, actor=actor, person=person, giver=giver, method=method)


@transaction.atomic
def _record_consent(
    trajectory: Trajectory, *, actor: User, person: Person | None, giver: str, method: str
) -> TrajectoryConsent:
    active = trajectory.consents.filter(withdrawn_at__isnull=True)
    existing = active.filter(person=person).first() if person else None
    if existing is not None:
        return existing
    if person is None and active.filter(giver=giver, method=method).exists():
        raise DialogueError(_("This consent has already been recorded."), field="giver")
    consent = TrajectoryConsent.objects.create(
        trajectory=trajectory, giver=giver, person=person, method=method, recorded_by=actor
    )
    audit(
        actor,
        "dialogues.consent_given",
        consent,
        subject=trajectory.reference,
        data={"giver": giver, "method": method},
    )
    return consent


@transaction.atomic
def withdraw_consent(trajectory: Trajectory, *, actor: User, person: Person | None) -> Trajectory:
    """Withdrawal before the table removes the trajectory from it (and the account made
    from it); after the table nothing of it is used any more (synthesis, exports)."""
    now = timezone.now()
    consents = trajectory.consents.filter(withdrawn_at__isnull=True)
    if person is not None:
        consents = consents.filter(person=person)
    consents.update(withdrawn_at=now)
    trajectory.withdrawn_at = now
    trajectory.save(update_fields=["withdrawn_at"])
    removed = []
    for case in TableCase.objects.filter(trajectory=trajectory).select_related("table"):
        table = case.table
        if table.status == DialogueTable.Status.PREPARING:
            removed.append(table.pk)
            table.findings.filter(trajectory=trajectory).delete()
            Account.objects.filter(table=table).delete()
            case.delete()
    audit(
        actor,
        "dialogues.consent_withdrawn",
        trajectory,
        subject=trajectory.reference,
        data={"removed_from_tables": removed},
    )
    return trajectory


def _check_trajectories(region: YouthCareRegion, trajectories: Sequence[Trajectory]) -> None:
    for trajectory in trajectories:
        if trajectory.region_id != region.pk or trajectory.withdrawn_at is not None:
            raise DialogueError(_("Choose trajectories of this region."), field="trajectories")


@transaction.atomic
def open_table(
    region: YouthCareRegion,
    *,
    actor: User,
    kind: str,
    title: str,
    trajectories: Sequence[Trajectory],
    theme: str = "",
    starts_at: datetime | None = None,
    location: str = "",
) -> DialogueTable:
    if kind not in DialogueTable.Kind.values:
        raise DialogueError(_("Choose a kind of table."), field="kind")
    if not trajectories:
        raise DialogueError(_("Choose at least one trajectory."), field="trajectories")
    if kind == DialogueTable.Kind.CASE and len(trajectories) != 1:
        raise DialogueError(
            _("A case-specific table looks back on exactly one trajectory."), field="trajectories"
        )
    if kind == DialogueTable.Kind.CROSS_CASE and not theme:
        raise DialogueError(_("A cross-case table needs a theme."), field="theme")
    _check_trajectories(region, trajectories)
    municipalities = {t.municipality_id for t in trajectories}
    table = DialogueTable.objects.create(
        region=region,
        municipality_id=municipalities.pop() if len(municipalities) == 1 else None,
        kind=kind,
        title=accounts.scrub_for_table(title, trajectories)[:200],
        theme=theme,
        facilitator=actor,
        starts_at=starts_at,
        location=location,
    )
    TableCase.objects.bulk_create(TableCase(table=table, trajectory=t) for t in trajectories)
    audit(
        actor,
        "dialogues.table_opened",
        table,
        subject=table.reference,
        data={"trajectories": [t.reference for t in trajectories]},
    )
    return table


def was_in_care_team(user: User, table: DialogueTable) -> bool:
    plans = table.trajectories.filter(plan__isnull=False).values("plan_id")
    return (
        CareTeamMember.objects.filter(plan_id__in=plans, user=user).exists()
        or Person.objects.filter(family__plans__in=plans, user=user).exists()
    )


def invite(
    table: DialogueTable, *, actor: User, user: User, role: str, label: str = ""
) -> Participant:
    """Invite someone to the table and send them the meeting. The chair must come from
    outside the network: nobody who was in the care team (or the family) of a trajectory."""
    if role not in Participant.Role.values:
        raise DialogueError(_("Choose a role at the table."), field="role")
    if table.status == DialogueTable.Status.CLOSED:
        raise DialogueError(_("This table is closed."))
    if role in (Participant.Role.CHAIR, Participant.Role.SECOND_CODER) and was_in_care_team(
        user, table
    ):
        with transaction.atomic():  # the refusal stays in the trail
            audit(
                actor,
                "dialogues.chair_refused",
                table,
                subject=table.reference,
                outcome=Entry.Outcome.DENIED,
                data={"role": role},
            )
        raise DialogueError(
            _("This person was involved in this trajectory. Choose someone from outside it."),
            field="user",
        )
    if role == Participant.Role.CHAIR and table.chair_id and table.chair_id != user.pk:
        raise DialogueError(_("This table already has a chair."), field="role")
    return _seat(table, actor=actor, user=user, role=role, label=label)


@transaction.atomic
def _seat(table: DialogueTable, *, actor: User, user: User, role: str, label: str) -> Participant:
    default_labels: dict[str, str] = {
        Participant.Role.YOUTH: "jongere",
        Participant.Role.PARENT: "ouder",
        Participant.Role.PROFESSIONAL: "hulpverlener",
        Participant.Role.CHAIR: "voorzitter",
        Participant.Role.SECOND_CODER: "tweede codeur",
    }
    label = accounts.scrub_for_table(label, table.trajectories.all()) or default_labels[role]
    participant, created = Participant.objects.get_or_create(
        table=table,
        user=user,
        role=role,
        defaults={"label": label[:100], "invited_by": actor},
    )
    if not created:
        raise DialogueError(_("This person has already been invited."), field="user")
    if role == Participant.Role.CHAIR:
        table.chair = user
        table.save(update_fields=["chair"])
    notify(
        user,
        kind="dialogues.invitation",
        title=_("Invitation to a dialogue table"),
        body=_("You are invited to look back on a trajectory together. Open the link to answer."),
        url=f"/dialoogtafels/{table.pk}/",
    )
    audit(
        actor,
        "dialogues.participant_invited",
        participant,
        subject=table.reference,
        data={"role": role},
    )
    return participant


@transaction.atomic
def answer_invitation(participant: Participant, *, actor: User, answer: str) -> Participant:
    if participant.user_id != actor.pk:
        raise DialogueError(_("Only the invited person can answer."))
    if answer not in (Participant.Answer.ACCEPTED, Participant.Answer.DECLINED):
        raise DialogueError(_("Choose an answer."), field="answer")
    participant.answer = answer
    participant.save(update_fields=["answer"])
    audit(
        actor,
        "dialogues.invitation_answered",
        participant,
        subject=participant.table.reference,
        data={"answer": answer},
    )
    return participant


@transaction.atomic
def prepare_account(table: DialogueTable, *, actor: User) -> Account:
    """Prepare (or prepare again) the account from the trajectories; only after every
    trajectory's consent is complete. It stays a draft the facilitator alone reads."""
    trajectories = list(
        table.trajectories.select_related("plan__family", "plan__youth", "municipality")
    )
    if not trajectories:
        raise DialogueError(_("This table has no trajectory (any more)."))
    for trajectory in trajectories:
        if not consent_complete(trajectory):
            raise DialogueError(
                _(
                    "The family has not given (all) consent yet. "
                    "Nothing of the trajectory is used before that."
                )
            )
    text = accounts.table_account(trajectories)
    account, created = Account.objects.get_or_create(table=table, defaults={"text": text})
    if not created:
        account.text = text
        account.status = Account.Status.DRAFT
        account.version += 1
        account.generated_at = timezone.now()
        account.reviewed_by = None
        account.reviewed_at = None
        account.save()
    audit(actor, "dialogues.account_prepared", account, subject=table.reference)
    return account


@transaction.atomic
def edit_account(account: Account, *, actor: User, text: str, version: int) -> Account:
    """The facilitator's edit. Names of the family are replaced once more, whoever typed them."""
    current = Account.objects.select_for_update().get(pk=account.pk)
    if current.version != version:
        raise DialogueError(_("Someone else changed the account in the meantime. Reload the page."))
    current.text = accounts.scrub_for_table(text, current.table.trajectories.all())
    current.version += 1
    current.save(update_fields=["text", "version"])
    audit(actor, "dialogues.account_edited", current, subject=current.table.reference)
    return current


@transaction.atomic
def release_account(account: Account, *, actor: User) -> Account:
    account.status = Account.Status.RELEASED
    account.reviewed_by = actor
    account.reviewed_at = timezone.now()
    account.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    audit(actor, "dialogues.account_released", account, subject=account.table.reference)
    return account


@transaction.atomic
def mark_held(table: DialogueTable, *, actor: User, held_on: date) -> DialogueTable:
    if held_on > timezone.localdate():
        raise DialogueError(_("A table cannot have been held in the future."), field="held_on")
    if not Account.objects.filter(table=table, status=Account.Status.RELEASED).exists():
        raise DialogueError(_("Share the reviewed account with the table first."))
    table.status = DialogueTable.Status.HELD
    table.held_on = held_on
    table.save(update_fields=["status", "held_on"])
    audit(actor, "dialogues.table_held", table, subject=table.reference)
    return table


def record_read(actor: User, event: str, obj: DialogueTable | Trajectory, **data: object) -> None:
    audit(actor, event, obj, subject=obj.reference, data=dict(data) or None)
