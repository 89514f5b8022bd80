"""Changes to learning networks: members, meetings and their closing step, minutes,
progress updates. Each change is one transaction with its audit entry."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rits.accounts.models import Organisation, User
from rits.accounts.notifications import Message, notify_many
from rits.audit.services import record
from rits.knowledge import search
from rits.knowledge.models import (
    AgendaItem,
    AgreedAction,
    Amendment,
    FinalMinutesError,
    Meeting,
    Member,
    Minutes,
    Network,
    NetworkTheme,
    Practice,
    ProgressUpdate,
    Registration,
)
from rits.knowledge.permissions import can_create_network, manages, membership
from rits.regions.models import YouthCareRegion


@transaction.atomic
def create_network(
    *,
    actor: User,
    name: str,
    theme: str,
    region: YouthCareRegion,
    organisation_ids: Iterable[int] = (),
    description: str = "",
    is_public: bool = False,
) -> Network:
    """A new network; its creator is its first facilitator. Organisations must be the
    platform's own organisations in the region, not free text."""
    if not can_create_network(actor):
        raise ValidationError(_("Only a learning-network facilitator may start a network."))
    if theme not in NetworkTheme.values:
        raise ValidationError({"theme": [_("Unknown theme.")]})
    organisations = _organisations(region, organisation_ids)
    network = Network(
        name=name.strip(),
        theme=theme,
        region=region,
        description=description.strip(),
        is_public=is_public,
    )
    network.full_clean()
    network.save()
    network.organisations.set(organisations)
    Member.objects.create(network=network, user=actor, role=Member.Role.FACILITATOR)
    record(actor, "knowledge.network_created", network, data={"organisations": len(organisations)})
    return network


def _organisations(region: YouthCareRegion, ids: Iterable[int]) -> list[Organisation]:
    wanted = list(dict.fromkeys(ids))
    found = list(Organisation.objects.filter(pk__in=wanted, region=region))
    unknown = sorted(set(wanted) - {o.pk for o in found})
    if unknown:
        raise ValidationError(
            {
                "organisations": [
                    _("Unknown organisation in this region: %(ids)s.")
                    % {"ids": ", ".join(str(i) for i in unknown)}
                ]
            }
        )
    return found


@transaction.atomic
def add_member(
    network: Network,
    *,
    actor: User,
    user: User,
    role: str,
    organisation: Organisation | None = None,
) -> Member:
    """Professionals join for an organisation of the network; parents, youths and
    experts by experience join as themselves."""
    if not manages(network, actor):
        raise ValidationError(_("Only the network's facilitator adds members."))
    if role not in Member.Role.values:
        raise ValidationError({"role": [_("Unknown role.")]})
    if organisation is not None and not network.organisations.filter(pk=organisation.pk).exists():
        raise ValidationError({"organisation": [_("This organisation is not in the network.")]})
    if role == Member.Role.PROFESSIONAL and organisation is None:
        raise ValidationError({"organisation": [_("A professional joins for an organisation.")]})
    member, _created = Member.objects.update_or_create(
        network=network,
        user=user,
        defaults={"role": role, "organisation": organisation, "active": True},
    )
    record(actor, "knowledge.member_added", member, data={"network": network.pk, "role": role})
    return member


@transaction.atomic
def set_digest(member: Member, *, actor: User, on: bool) -> Member:
    if member.user_id != actor.pk:
        raise ValidationError(_("Only members themselves turn their digest on or off."))
    member.digest = on
    member.save(update_fields=["digest"])
    record(actor, "knowledge.digest_changed", member, data={"on": on})
    return member


def meeting_url(meeting: Meeting) -> str:
    return reverse("knowledge:meeting", args=[meeting.pk])


@transaction.atomic
def plan_meeting(
    network: Network,
    *,
    actor: User,
    title: str,
    starts_at: datetime,
    minutes_long: int = 90,
    location: str = "",
    agenda: Sequence[str] = (),
) -> Meeting:
    """Plan a meeting with its agenda and invite every member (in Rits and by e-mail,
    with the iCalendar invitation one click away)."""
    if not manages(network, actor):
        raise ValidationError(_("Only the network's facilitator plans meetings."))
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": [_("A meeting is planned in the future.")]})
    if not 15 <= minutes_long <= 8 * 60:
        raise ValidationError(
            {"minutes_long": [_("A meeting lasts between 15 minutes and 8 hours.")]}
        )
    meeting = Meeting(
        network=network,
        title=title.strip(),
        starts_at=starts_at,
        minutes_long=minutes_long,
        location=location.strip(),
    )
    meeting.full_clean()
    meeting.save()
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, title=t.strip()[:200], position=i)
        for i, t in enumerate(agenda)
        if t.strip()
    )
    when = timezone.localtime(starts_at).strftime("%d-%m-%Y %H:%M")
    notify_many(
        [
            Message(
                user_id=m.user_id,
                email=m.user.email,
                kind="knowledge.meeting",
                title=_("Invitation: %(title)s") % {"title": meeting.title},
                body=_(
                    "%(network)s meets on %(when)s. Add it to your calendar from the meeting page."
                )
                % {"network": network.name, "when": when},
                url=meeting_url(meeting),
            )
            for m in network.members.filter(active=True).exclude(user=actor).select_related("user")
        ]
    )
    record(actor, "knowledge.meeting_planned", meeting, data={"network": network.pk})
    return meeting


@transaction.atomic
def register(meeting: Meeting, *, actor: User) -> Registration:
    member = membership(meeting.network, actor)
    if member is None:
        raise ValidationError(_("Only members register for a meeting."))
    if meeting.status != Meeting.Status.PLANNED:
        raise ValidationError(_("This meeting has been held."))
    registration, _created = Registration.objects.get_or_create(meeting=meeting, member=member)
    record(actor, "knowledge.meeting_registered", meeting, data={"member": member.pk})
    return registration


@dataclass(frozen=True)
class ActionData:
    what: str
    owner_id: int
    due_on: date


@transaction.atomic
def close_meeting(
    meeting: Meeting,
    *,
    actor: User,
    report: str,
    attended: Iterable[int],
    actions: Sequence[ActionData] = (),
    practice_ids: Iterable[int] = (),
) -> Meeting:
    """The closing step: a short report, who attended (member ids), the agreed actions
    with owner and due date, and the practices discussed. Once."""
    if not manages(meeting.network, actor):
        raise ValidationError(_("Only the network's facilitator closes a meeting."))
    if meeting.status == Meeting.Status.CLOSED:
        raise ValidationError(_("This meeting has been closed already."))
    members = {m.pk: m for m in meeting.network.members.all()}
    present = set(attended)
    if present - set(members):
        raise ValidationError({"attended": [_("Only members of the network can attend.")]})
    for action in actions:
        if action.owner_id not in members:
            raise ValidationError({"actions": [_("An action's owner must be a member.")]})
        if not action.what.strip():
            raise ValidationError({"actions": [_("Say what is agreed.")]})
    wanted = list(dict.fromkeys(practice_ids))
    practices = list(Practice.objects.filter(pk__in=wanted))
    if len(practices) != len(wanted):
        raise ValidationError({"practices": [_("Unknown practice.")]})
    for member_id in present:
        Registration.objects.update_or_create(
            meeting=meeting, member_id=member_id, defaults={"attended": True}
        )
    meeting.registrations.exclude(member_id__in=present).update(attended=False)
    AgreedAction.objects.bulk_create(
        AgreedAction(
            meeting=meeting, what=a.what.strip()[:300], owner_id=a.owner_id, due_on=a.due_on
        )
        for a in actions
    )
    meeting.practices.set(practices)
    meeting.report = report.strip()
    meeting.status = Meeting.Status.CLOSED
    meeting.closed_at = timezone.now()
    meeting.full_clean()
    meeting.save()
    record(
        actor,
        "knowledge.meeting_closed",
        meeting,
        data={"attended": len(present), "actions": len(actions), "practices": len(practices)},
    )
    return meeting


def _refuse_final(minutes: Minutes, actor: User) -> None:
    """Audit the refusal (it stays in the trail), then refuse."""
    with transaction.atomic():
        record(actor, "knowledge.minutes_change_refused", minutes, outcome="denied")
    raise FinalMinutesError(_("Final minutes cannot be changed; add a correction."))


def save_minutes(
    meeting: Meeting, *, actor: User, text: str, version: int | None = None
) -> Minutes:
    """Write or rewrite the draft (the facilitator). ``version``: the version the writer
    started from; an older one means someone else saved in between."""
    if not manages(meeting.network, actor):
        raise ValidationError(_("Only the network's facilitator writes the minutes."))
    if not text.strip():
        raise ValidationError({"text": [_("The minutes are empty.")]})
    with transaction.atomic():
        minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first()
        if minutes is not None and minutes.status == Minutes.Status.FINAL:
            refused = minutes
        else:
            refused = None
            if minutes is None:
                minutes = Minutes(meeting=meeting, text=text.strip())
            else:
                if version is not None and version != minutes.version:
                    raise ValidationError(
                        _("Someone else changed these minutes in the meantime. Reload the page.")
                    )
                minutes.text = text.strip()
                minutes.version += 1
            minutes.full_clean()
            minutes.save()
            record(actor, "knowledge.minutes_saved", minutes, data={"version": minutes.version})
            return minutes
    # Outside the rolled-back block: the refusal is audited and kept.
    assert refused is not None
    _refuse_final(refused, actor)
    raise AssertionError("unreachable")


def amend_minutes(minutes: Minutes, *, actor: User, text: str) -> Amendment:
    """A member's amendment to the draft; the minutes become "amended"."""
    if membership(minutes.meeting.network, actor) is None:
        raise ValidationError(_("Only members amend the minutes."))
    if not text.strip():
        raise ValidationError({"text": [_("The amendment is empty.")]})
    with transaction.atomic():
        minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
        if minutes.status != Minutes.Status.FINAL:
            amendment = Amendment.objects.create(
                minutes=minutes, kind=Amendment.Kind.AMENDMENT, text=text.strip(), author=actor
            )
            if minutes.status == Minutes.Status.DRAFT:
                minutes.status = Minutes.Status.AMENDED
                minutes.save(update_fields=["status"])
            record(actor, "knowledge.minutes_amended", minutes, data={"amendment": amendment.pk})
            return amendment
    _refuse_final(minutes, actor)
    raise AssertionError("unreachable")


@transaction.atomic
def finalise_minutes(minutes: Minutes, *, actor: User, version: int | None = None) -> Minutes:
    if not manages(minutes.meeting.network, actor):
        raise ValidationError(_("Only the network's facilitator makes the minutes final."))
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if minutes.status == Minutes.Status.FINAL:
        raise ValidationError(_("These minutes are final already."))
    if version is not None and version != minutes.version:
        raise ValidationError(
            _("Someone else changed these minutes in the meantime. Reload the page.")
        )
    minutes.status = Minutes.Status.FINAL
    minutes.finalised_at = timezone.now()
    minutes.save()
    record(actor, "knowledge.minutes_finalised", minutes, data={"version": minutes.version})
    return minutes


@transaction.atomic
def correct_minutes(minutes: Minutes, *, actor: User, text: str) -> Amendment:
    """After final minutes, a correction follows them (members and facilitators)."""
    if membership(minutes.meeting.network, actor) is None and not manages(
        minutes.meeting.network, actor
    ):
        raise ValidationError(_("Only members correct the minutes."))
    minutes = Minutes.objects.get(pk=minutes.pk)
    if minutes.status != Minutes.Status.FINAL:
        raise ValidationError(_("Draft minutes are amended, not corrected."))
    if not text.strip():
        raise ValidationError({"text": [_("The correction is empty.")]})
    correction = Amendment.objects.create(
        minutes=minutes, kind=Amendment.Kind.CORRECTION, text=text.strip(), author=actor
    )
    record(actor, "knowledge.minutes_corrected", minutes, data={"correction": correction.pk})
    return correction


@transaction.atomic
def post_update(
    network: Network,
    *,
    actor: User,
    working_on: str,
    went_well: str = "",
    changed: str = "",
    organisation: Organisation | None = None,
    practice: Practice | None = None,
) -> ProgressUpdate:
    """A member organisation's update. The organisation is the member's own (or, for a
    facilitator, any organisation of the network)."""
    member = membership(network, actor)
    if member is None:
        raise ValidationError(_("Only members post progress updates."))
    organisation = organisation or member.organisation
    if organisation is None:
        raise ValidationError({"organisation": [_("Name the organisation this update is from.")]})
    if not network.organisations.filter(pk=organisation.pk).exists():
        raise ValidationError({"organisation": [_("This organisation is not in the network.")]})
    if member.role != Member.Role.FACILITATOR and organisation.pk != member.organisation_id:
        raise ValidationError({"organisation": [_("You post for your own organisation.")]})
    if not working_on.strip():
        raise ValidationError({"working_on": [_("Say what you are working on.")]})
    update = ProgressUpdate(
        network=network,
        organisation=organisation,
        author=actor,
        working_on=working_on.strip(),
        went_well=went_well.strip(),
        changed=changed.strip(),
        practice=practice,
    )
    update.full_clean()
    update.save()
    search.put([search.update_entry(update)])
    record(actor, "knowledge.update_posted", update, data={"network": network.pk})
    return update
