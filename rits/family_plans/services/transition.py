"""The transition to adulthood, and the daily reminders (transition, evaluations)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rits.accounts.models import User
from rits.audit.models import Entry
from rits.audit.services import record
from rits.family_plans import rules
from rits.family_plans.models import (
    Plan,
    Reminder,
    TransitionItem,
    TransitionTopic,
)
from rits.family_plans.services.audit import audit, renew_content
from rits.family_plans.services.errors import PlanError
from rits.family_plans.services.notices import plan_url, team_accounts, tell_many
from rits.family_plans.services.versions import save_versioned


@transaction.atomic
def update_transition(
    plan: Plan, *, actor: User, topic: str, status: str, note: str, version: int
) -> TransitionItem:
    """Update one topic of the transition part; a topic is stored on its first change."""
    if not rules.transition_visible(plan):
        raise PlanError(_("The transition part starts when the youth is 16 and a half."))
    item, created = TransitionItem.objects.get_or_create(plan=plan, topic=TransitionTopic(topic))
    if created and version == 0:
        version = item.version
    diff = save_versioned(item, expected_version=version, changes={"status": status, "note": note})
    renew_content(plan)
    audit(actor, "family_plans.transition_changed", plan, item, data={"changes": diff})
    return item


def send_reminders(today: date | None = None) -> int:
    """Daily: transition reminders before the 18th birthday and evaluations due.

    Each reminder is sent once (``Reminder`` is unique per plan and key). Returns the count.
    """
    today = today or timezone.localdate()
    sent = 0
    plans = Plan.objects.filter(status=Plan.Status.ACTIVE).select_related("family", "youth")
    for plan in plans:
        due: list[tuple[str, str, str]] = []
        birthday = plan.youth.eighteenth_birthday
        if birthday is not None and rules.transition_visible(plan, today) and today < birthday:
            days = (birthday - today).days
            due.append(
                (
                    "transition-start",
                    _("The transition to 18 starts now"),
                    _("%(name)s turns 18 on %(date)s. Plan what is needed after 18."),
                )
            )
            for window in (180, 90, 30):
                if days <= window:
                    due.append(
                        (
                            f"18-in-{window}",
                            _("%(name)s turns 18 soon"),
                            _("%(name)s turns 18 on %(date)s. Check the transition part."),
                        )
                    )
        for key, title, body in due:
            sent += _remind(
                plan,
                key,
                title % {"name": plan.youth.name},
                body
                % {
                    "name": plan.youth.name,
                    "date": birthday.strftime("%d-%m-%Y") if birthday else "",
                },
            )
        soon = timezone.make_aware(datetime.combine(today + timedelta(days=3), datetime.min.time()))
        for evaluation in plan.evaluations.filter(
            starts_at__gte=timezone.now(), starts_at__lt=soon
        ):
            when = timezone.localtime(evaluation.starts_at).strftime("%d-%m-%Y %H:%M")
            sent += _remind(
                plan,
                f"evaluation-{evaluation.pk}",
                _("Evaluation due on %(when)s") % {"when": when},
                _("Look at the plan together: what went well, what is next?"),
            )
    return sent


def _remind(plan: Plan, key: str, title: str, body: str) -> int:
    with transaction.atomic():
        _reminder, created = Reminder.objects.get_or_create(plan=plan, key=key)
        if not created:
            return 0
        users = team_accounts(plan)
        if plan.coordinator is not None and plan.coordinator.pk not in {u.pk for u in users}:
            users.append(plan.coordinator)
        tell_many(users, kind="family_plans.reminder", title=title, body=body, url=plan_url(plan))
        record(
            None,
            "family_plans.reminder_sent",
            plan,
            subject=plan.youth.reference,
            purpose=Entry.Purpose.COORDINATION,
            data={"key": key},
        )
    return 1
