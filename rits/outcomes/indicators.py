"""The registry of indicators: each one is defined here once.

Everything that shows a figure (the pages, the API, the spreadsheets) reads the
figures through this registry and the stored cells it describes (``models.Figure``):
its name and plain-Dutch meaning, what is counted above and below the line, where
the numbers come from, the unit, the period, which way is better and how small
numbers are protected.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from rits.outcomes import sources

#: A count from 1 up to this is shown as "< 10", a percentage or median not at all.
THRESHOLD = 10


class Shape(models.TextChoices):
    COUNT = "count", _("Count")
    SHARE = "share", _("Share (percentage)")
    MEDIAN = "median", _("Median")
    P90 = "p90", _("90th percentile")


class Unit(models.TextChoices):
    NUMBER = "number", _("number")
    PERCENT = "percent", _("percent")
    DAYS = "days", _("days")
    WEEKS = "weeks", _("weeks")
    HOURS = "hours", _("hours a week")


class Direction(models.TextChoices):
    HIGHER_BETTER = "higher_better", _("higher is better")
    LOWER_BETTER = "lower_better", _("lower is better")
    NEUTRAL = "neutral", _("neither better nor worse")


class Timing(models.TextChoices):
    EVENT = "event", _("counted in the month it happened")
    SNAPSHOT = "snapshot", _("the state on the day the figures were made")


class Suppression(models.TextChoices):
    SMALL_COUNTS = (
        "small_counts",
        _(
            "counts from 1 to 9 shown as '< 10', with secondary suppression; a percentage "
            "or median only from 10 upward"
        ),
    )
    NONE = "none", _("none: public information about services, not about families")


class Source(models.TextChoices):
    DIRECTORY = "directory", _("Rits: social map")
    INVOLVEMENT = "involvement", _("Rits: involvement index")
    FAMILY_PLANS = "family_plans", _("Rits: family plans")
    DIALOGUES = "dialogues", _("Rits: dialogue tables")
    KNOWLEDGE = "knowledge", _("Rits: knowledge hub and learning networks")
    CBS = "cbs", _("CBS StatLine (open data)")


@dataclass(frozen=True)
class Indicator:
    code: str
    name: Promise
    meaning: Promise
    numerator: Promise
    denominator: Promise | None
    source: str
    unit: str
    shape: str
    direction: str
    timing: str = Timing.EVENT
    suppression: str = Suppression.SMALL_COUNTS
    #: The aggregate query behind it (``sources``); None while its source does not exist.
    tally: Callable[..., list[Any]] | None = None
    #: A module that must be installed before the figure exists (a seam for later apps).
    needs: str = ""
    by_theme: bool = False

    @property
    def available(self) -> bool:
        if self.tally is None:
            return False
        if self.needs:
            try:
                importlib.import_module(self.needs)
            except ImportError:
                return False
        return True

    @property
    def suppressed(self) -> bool:
        return self.suppression == Suppression.SMALL_COUNTS

    @property
    def source_label(self) -> str:
        return str(Source(self.source).label)

    @property
    def unit_label(self) -> str:
        return str(Unit(self.unit).label)

    @property
    def distribution(self) -> bool:
        return self.shape in (Shape.MEDIAN, Shape.P90)


def _i(**kw: Any) -> Indicator:
    return Indicator(**kw)


INDICATORS: tuple[Indicator, ...] = (
    # ---- social map ----
    _i(
        code="wait_median",
        name=_("Waiting time (median)"),
        meaning=_("Half of the services have a waiting time of at most this many weeks."),
        numerator=_("waiting time of the middle service, in weeks"),
        denominator=_("active services with a known waiting time"),
        source=Source.DIRECTORY,
        unit=Unit.WEEKS,
        shape=Shape.MEDIAN,
        direction=Direction.LOWER_BETTER,
        timing=Timing.SNAPSHOT,
        suppression=Suppression.NONE,
        tally=sources.waiting_weeks,
        by_theme=True,
    ),
    _i(
        code="wait_p90",
        name=_("Waiting time (90th percentile)"),
        meaning=_("Nine out of ten services have a waiting time of at most this many weeks."),
        numerator=_("waiting time of the service at nine tenths, in weeks"),
        denominator=_("active services with a known waiting time"),
        source=Source.DIRECTORY,
        unit=Unit.WEEKS,
        shape=Shape.P90,
        direction=Direction.LOWER_BETTER,
        timing=Timing.SNAPSHOT,
        suppression=Suppression.NONE,
        tally=sources.waiting_weeks,
        by_theme=True,
    ),
    _i(
        code="wait_stale",
        name=_("Waiting times not confirmed"),
        meaning=_("The share of services whose waiting time nobody confirmed in 30 days."),
        numerator=_("active services whose waiting time is older than 30 days or unknown"),
        denominator=_("active services"),
        source=Source.DIRECTORY,
        unit=Unit.PERCENT,
        shape=Shape.SHARE,
        direction=Direction.LOWER_BETTER,
        timing=Timing.SNAPSHOT,
        suppression=Suppression.NONE,
        tally=sources.stale_waits,
        by_theme=True,
    ),
    _i(
        code="crisis_hours",
        name=_("Crisis line reachable"),
        meaning=_(
            "The hours of this week a crisis number can be called (of 168). For a region "
            "or the country: the municipality with the fewest. Any gap is a red flag."
        ),
        numerator=_("hours of the week a crisis line answers"),
        denominator=_("hours in the week"),
        source=Source.DIRECTORY,
        unit=Unit.HOURS,
        shape=Shape.COUNT,
        direction=Direction.HIGHER_BETTER,
        timing=Timing.SNAPSHOT,
        suppression=Suppression.NONE,
        tally=sources.crisis_hours,
    ),
    _i(
        code="crisis_complete",
        name=_("Crisis line always reachable"),
        meaning=_(
            "The share of municipalities where a crisis number answers every hour of the "
            "week and on every public holiday of the year."
        ),
        numerator=_("municipalities without a gap, this week and on the year's public holidays"),
        denominator=_("municipalities"),
        source=Source.DIRECTORY,
        unit=Unit.PERCENT,
        shape=Shape.SHARE,
        direction=Direction.HIGHER_BETTER,
        timing=Timing.SNAPSHOT,
        suppression=Suppression.NONE,
        tally=sources.crisis_complete,
    ),
    # ---- involvement index ----
    _i(
        code="signals",
        name=_("Involvement registered"),
        meaning=_("How often a professional registered that they help a youth."),
        numerator=_("signals registered in the index"),
        denominator=None,
        source=Source.INVOLVEMENT,
        unit=Unit.NUMBER,
        shape=Shape.COUNT,
        direction=Direction.NEUTRAL,
        tally=sources.signals,
    ),
    _i(
        code="client_matches",
        name=_("Client matches"),
        meaning=_("How often two professionals found out they help the same youth."),
        numerator=_("client matches found"),
        denominator=None,
        source=Source.INVOLVEMENT,
        unit=Unit.NUMBER,
        shape=Shape.COUNT,
        direction=Direction.NEUTRAL,
        tally=sources.client_matches,
    ),
    _i(
        code="family_matches",
        name=_("Family matches"),
        meaning=_("How often professionals found out they help children of the same parent."),
        numerator=_("family matches found"),
        denominator=None,
        source=Source.INVOLVEMENT,
        unit=Unit.NUMBER,
        shape=Shape.COUNT,
        direction=Direction.NEUTRAL,
        tally=sources.family_matches,
    ),
    _i(
        code="coordinator_on_time",
        name=_("Coordinator agreed in time"),
        meaning=_(
            "The share of matches where the professionals agreed who coordinates, and "
            "were in touch, within the region's deadline."
        ),
        numerator=_("matches with a coordinator agreed and contact confirmed in time"),
        denominator=_("matches whose deadline has passed"),
        source=Source.INVOLVEMENT,
        unit=Unit.PERCENT,
        shape=Shape.SHARE,
        direction=Direction.HIGHER_BETTER,
        tally=sources.coordinator_on_time,
    ),
    _i(
        code="escalations",
        name=_("Sent to the municipal coordinator"),
        meaning=_("How often a match waited too long and went to the municipal coordinator."),
        numerator=_("matches escalated to the municipal coordinator"),
        denominator=None,
        source=Source.INVOLVEMENT,
        unit=Unit.NUMBER,
        shape=Shape.COUNT,
        direction=Direction.LOWER_BETTER,
        tally=sources.escalations,
    ),
    # ---- family plans ----
    _i(
        code="plans_started",
        name=_("Family plans started"),
        meaning=_("How many families started one plan with their helpers."),
        numerator=_("family plans started"),
        denominator=None,
        source=Source.FAMILY_PLANS,
        unit=Unit.NUMBER,
        shape=Shape.COUNT,
        direction=Direction.NEUTRAL,
        tally=sources.plans_started,
    ),
    _i(
        code="days_to_plan",
        name=_("Days to a plan (median)"),
        meaning=_(
            "Half of the families had a plan within this many days of the first signal "
            "or first contact."
        ),
        numerator=_("days from the first signal or first contact to the plan, middle value"),
        denominator=_("family plans started"),
        source=Source.FAMILY_PLANS,
        unit=Unit.DAYS,
        shape=Shape.MEDIAN,
        direction=Direction.LOWER_BETTER,
        tally=sources.days_to_plan,
    ),
    _i(
        code="family_coordinator",
        name=_("Family coordinates"),
        meaning=_("The share of plans where a parent or the youth is the coordinator."),
        numerator=_("plans started with a parent or the youth as coordinator"),
        denominator=_("family plans started"),
        source=Source.FAMILY_PLANS,
        unit=Unit.PERCENT,
        shape=Shape.SHARE,
        direction=Direction.HIGHER_BETTER,
        tally=sources.family_coordinator,
    ),
    _i(
        code="goals_reached",
        name=_("Goals reached"),
        meaning=_("The share of finished goals that the family reached."),
        numerator=_("goals reached"),
        denominator=_("goals finished (reached, partly, not reached or stopped)"),
        source=Source.FAMILY_PLANS,
        unit=Unit.PERCENT,
        shape=Shape.SHARE,
        direction=Direction.HIGHER_BETTER,
        tally=sources.goals_reached,
    ),
    _i(
        code="with_jim",
        name=_("Youths with a JIM"),
        meaning=_("The share of plans where the youth chose a trusted adult (JIM)."),
        numerator=_("plans started with a JIM in the team"),
        denominator=_("family plans started"),
        source=Source.FAMILY_PLANS,
        unit=Unit.PERCENT,
        shape=Shape.SHARE,
        direction=Direction.HIGHER_BETTER,
        tally=sources.with_jim,
    ),
    _i(
        code="transition_complete",
        name=_("Ready for 18"),
        meaning=_("The share of youths who turned 18 with everything for adulthood arranged."),
        numerator=_("youths turning 18 with every topic of the checklist settled"),
        denominator=_("youths with a plan who turned 18"),
        source=Source.FAMILY_PLANS,
        unit=Unit.PERCENT,
        shape=Shape.SHARE,
        direction=Direction.HIGHER_BETTER,
        tally=sources.transition_complete,
    ),
    _i(
        code="continuity_after_18",
        name=_("Help goes on after 18"),
        meaning=_(
            "The share of youths who still had a JIM or their helpers half a year after turning 18."
        ),
        numerator=_("youths with a JIM or an open plan's team half a year after 18"),
        denominator=_("youths with a plan who turned 18½"),
        source=Source.FAMILY_PLANS,
        unit=Unit.PERCENT,
        shape=Shape.SHARE,
        direction=Direction.HIGHER_BETTER,
        tally=sources.continuity_after_18,
    ),
    # ---- dialogue tables and learning networks (seams) ----
    _i(
        code="actions_on_time",
        name=_("Improvements done in time"),
        meaning=_("The share of improvement actions from dialogue tables done by their date."),
        numerator=_("improvement actions done on time"),
        denominator=_("improvement actions due"),
        source=Source.DIALOGUES,
        unit=Unit.PERCENT,
        shape=Shape.SHARE,
        direction=Direction.HIGHER_BETTER,
        needs="rits.dialogues.figures",
    ),
    _i(
        code="network_updates",
        name=_("Learning-network updates"),
        meaning=_("How often learning networks shared their progress."),
        numerator=_("progress updates posted"),
        denominator=None,
        source=Source.KNOWLEDGE,
        unit=Unit.NUMBER,
        shape=Shape.COUNT,
        direction=Direction.HIGHER_BETTER,
        needs="rits.knowledge.figures",
    ),
)

BY_CODE = {indicator.code: indicator for indicator in INDICATORS}
GROUPS = (
    (Source.DIRECTORY, _("Social map")),
    (Source.INVOLVEMENT, _("Involvement index")),
    (Source.FAMILY_PLANS, _("Family plans")),
    (Source.DIALOGUES, _("Dialogue tables")),
    (Source.KNOWLEDGE, _("Learning networks")),
)


def get(code: str) -> Indicator:
    return BY_CODE[code]
