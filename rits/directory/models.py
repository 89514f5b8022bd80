# ruff: noqa: RUF001  (phone numbers are written with an en dash, as in the source texts)
"""The social map (sociale kaart): who does what, where, for whom, how to reach them and
how long the wait is; and the crisis lines behind "Who do I call now?".

The shape follows HSDS 3.0 (Open Referral) with a Dutch profile: every object that
HSDS knows carries a ``uuid`` that is its HSDS ``id``; integer primary keys stay
internal (the SQLite FTS5 index keys on them).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rits.accounts.models import Membership, Organisation, Team
from rits.directory.public_holidays import general_days_off, validate_holiday_keys
from rits.regions.models import Area, Municipality, YouthCareRegion

if TYPE_CHECKING:
    # Typing only: django-stubs-ext is a development dependency.
    from django_stubs_ext import StrOrPromise

    from rits.accounts.models import User

#: A waiting time confirmed longer ago than this is shown as stale.
WAIT_STALE_AFTER = timedelta(days=30)
MAX_AGE = 120

#: Languages offered in forms and filters (ISO 639-1), in the order families ask for them.
LANGUAGES: list[tuple[str, StrOrPromise]] = [
    ("nl", _("Dutch")),
    ("en", _("English")),
    ("de", _("German")),
    ("ar", _("Arabic")),
    ("tr", _("Turkish")),
    ("pl", _("Polish")),
    ("ti", _("Tigrinya")),
    ("uk", _("Ukrainian")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("ngt", _("Dutch Sign Language")),
]
LANGUAGE_CODES = {code for code, _label in LANGUAGES}


class Reviewed(models.Model):
    """The state of an entry on the social map: who confirmed it and when, or which
    import brought it; ``checked_at`` is the last of the two and decides staleness."""

    checked_at = models.DateTimeField(_("last checked"), default=timezone.now, db_index=True)
    confirmed_at = models.DateTimeField(_("confirmed on"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    source = models.CharField(
        _("imported from"),
        max_length=100,
        blank=True,
        help_text=_("Empty: entered in Rits."),
    )

    class Meta:
        abstract = True

    @property
    def state(self) -> str:
        """confirmed (by a person, at or after the last import), imported, or entered."""
        if self.confirmed_at is not None and self.confirmed_at >= self.checked_at:
            return "confirmed"
        return "imported" if self.source else "entered"

    def is_stale(self, now: datetime | None = None) -> bool:
        return self.checked_at < stale_before(now)


def stale_before(now: datetime | None = None) -> datetime:
    """Entries last checked before this moment are due for confirmation: every
    ``RITS_REVIEW_EVERY_MONTHS`` months (6, twice a year, unless configured)."""
    months = settings.RITS_REVIEW_EVERY_MONTHS
    return (now or timezone.now()) - timedelta(days=round(months * 30.44))


def _uuid_field() -> models.UUIDField:
    return models.UUIDField(default=uuid.uuid4, unique=True, editable=False)


class Theme(models.Model):
    """A term in the region's taxonomy of youth-care themes (HSDS taxonomy_term)."""

    uuid = _uuid_field()
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)
    description = models.CharField(_("description"), max_length=300)
    # Words people search with that do not occur in the name ("autisme" for "ontwikkeling").
    keywords = models.CharField(_("search words"), max_length=300, blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.name


class ProviderQuerySet(models.QuerySet["Provider"]):
    def editable_by(self, user: User) -> ProviderQuerySet:
        """Providers this user may change: all for the functional admin, otherwise the
        ones linked to an organisation where the user is organisation editor."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser or user.has_role(Membership.Role.FUNCTIONAL_ADMIN):
            return self
        return self.filter(
            organisation__memberships__user=user,
            organisation__memberships__active=True,
            organisation__memberships__role=Membership.Role.ORGANISATION_ADMIN,
        ).distinct()


class Provider(models.Model):
    """The public side of an organisation on the social map (HSDS organization).

    Linked to an ``accounts.Organisation`` when the organisation works in Rits, which
    is what gives its organisation editors the right to change its entries.
    """

    uuid = _uuid_field()
    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="provider",
        verbose_name=_("organisation in Rits"),
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"))
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality of establishment"),
    )
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now, db_index=True)

    objects = ProviderQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("provider")
        verbose_name_plural = _("providers")

    def __str__(self) -> str:
        return self.name


class Location(models.Model):
    """Where a provider receives people (HSDS location with one physical address)."""

    uuid = _uuid_field()
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="locations")
    name = models.CharField(_("name"), max_length=200)
    address_1 = models.CharField(_("street and number"), max_length=200)
    postal_code = models.CharField(_("postcode"), max_length=7)
    city = models.CharField(_("place"), max_length=100)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    area = models.ForeignKey(
        Area,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("wijk"),
    )
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["provider__name", "name"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")

    def __str__(self) -> str:
        return f"{self.name}, {self.city}"


class ServiceQuerySet(models.QuerySet["Service"]):
    def visible_to(self, user: User | None) -> ServiceQuerySet:
        """Active services are public; editors also see their own inactive ones."""
        public = Q(status=Service.Status.ACTIVE)
        if user is None or not user.is_authenticated:
            return self.filter(public)
        editable = Provider.objects.editable_by(user).values("pk")
        return self.filter(public | Q(provider__in=editable))


class Service(Reviewed):
    """What a provider offers, for whom, where and how to get it (HSDS service)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        INACTIVE = "inactive", _("Inactive")
        DEFUNCT = "defunct", _("Stopped")
        TEMPORARILY_CLOSED = "temporarily closed", _("Temporarily closed")

    uuid = _uuid_field()
    provider = models.ForeignKey(
        Provider, on_delete=models.CASCADE, related_name="services", verbose_name=_("provider")
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"))
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.ACTIVE)
    themes = models.ManyToManyField(Theme, related_name="services", verbose_name=_("themes"))
    minimum_age = models.PositiveSmallIntegerField(
        _("minimum age"), null=True, blank=True, validators=[MaxValueValidator(MAX_AGE)]
    )
    maximum_age = models.PositiveSmallIntegerField(
        _("maximum age"), null=True, blank=True, validators=[MaxValueValidator(MAX_AGE)]
    )
    eligibility_description = models.CharField(_("for whom"), max_length=500, blank=True)
    # Space-separated ISO 639 codes with a leading and trailing space (" nl en "), so that
    # "offers English" is one indexed-free LIKE on both databases.
    languages = models.CharField(_("languages"), max_length=100, default=" nl ")
    fees_description = models.CharField(_("cost"), max_length=300, blank=True)
    application_process = models.CharField(_("how to apply"), max_length=500, blank=True)
    url = models.URLField(_("web page"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    wait_weeks = models.PositiveSmallIntegerField(
        _("waiting time in weeks"), null=True, blank=True, validators=[MaxValueValidator(104)]
    )
    wait_confirmed_on = models.DateField(_("waiting time confirmed on"), null=True, blank=True)
    open_on_public_holidays = models.BooleanField(_("open on public holidays"), default=False)
    locations: models.ManyToManyField[Location, ServiceAtLocation] = models.ManyToManyField(
        Location, through="ServiceAtLocation", related_name="services", blank=True
    )
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now, db_index=True)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        constraints = [
            models.CheckConstraint(
                condition=Q(minimum_age__isnull=True)
                | Q(maximum_age__isnull=True)
                | Q(minimum_age__lte=models.F("maximum_age")),
                name="service_age_range",
            ),
        ]
        indexes = [
            models.Index(fields=["provider", "name"], name="service_provider_name"),
            # The review queue reads waiting times out of date, oldest first.
            models.Index(
                fields=["wait_confirmed_on"],
                condition=Q(wait_weeks__isnull=False),
                name="service_wait_confirmed",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def language_codes(self) -> list[str]:
        return self.languages.split()

    @property
    def wait_is_stale(self) -> bool:
        """A waiting time nobody confirmed in the last 30 days cannot be trusted."""
        if self.wait_confirmed_on is None:
            return True
        return timezone.localdate() - self.wait_confirmed_on > WAIT_STALE_AFTER

    def language_labels(self) -> list[str]:
        names = dict(LANGUAGES)
        return [str(names.get(code, code)) for code in self.language_codes]


def pack_languages(codes: Iterable[str]) -> str:
    """The stored form of a language list: sorted, unique, space-padded."""
    unique = sorted({c.strip().lower() for c in codes if c.strip()})
    return f" {' '.join(unique)} " if unique else " "


class ServiceAtLocation(models.Model):
    """A service offered at a location (HSDS service_at_location)."""

    uuid = _uuid_field()
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="at_locations")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("service at location")
        verbose_name_plural = _("services at locations")
        constraints = [
            models.UniqueConstraint(fields=["service", "location"], name="service_at_location"),
        ]

    def __str__(self) -> str:
        return f"{self.service} @ {self.location}"


class ServiceArea(models.Model):
    """A municipality, or one wijk of it, where a service is available."""

    uuid = _uuid_field()
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="areas")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(
        Area, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("service area")
        verbose_name_plural = _("service areas")
        constraints = [
            models.UniqueConstraint(
                fields=["service", "municipality"],
                condition=Q(area__isnull=True),
                name="service_area_unique_municipality",
            ),
            models.UniqueConstraint(
                fields=["service", "area"],
                condition=Q(area__isnull=False),
                name="service_area_unique_wijk",
            ),
        ]
        indexes = [models.Index(fields=["municipality", "service"], name="service_area_muni")]

    def __str__(self) -> str:
        return str(self.area or self.municipality)


class Contact(models.Model):
    """A named contact for a provider or one of its services (HSDS contact)."""

    uuid = _uuid_field()
    provider = models.ForeignKey(
        Provider, on_delete=models.CASCADE, null=True, blank=True, related_name="contacts"
    )
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=150)
    title = models.CharField(_("job title"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return self.name


class Phone(models.Model):
    """A phone number of a service (HSDS phone); the provider's general number is on Provider."""

    uuid = _uuid_field()
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(_("number"), max_length=30)
    description = models.CharField(_("what for"), max_length=200, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("phone number")
        verbose_name_plural = _("phone numbers")

    def __str__(self) -> str:
        return self.number


class CrisisLineQuerySet(models.QuerySet["CrisisLine"]):
    def editable_by(self, user: User) -> CrisisLineQuerySet:
        """Lines this user keeps: all of the functional admin's region (all for a
        superuser), otherwise those of organisations where they are the editor."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if user.has_role(Membership.Role.FUNCTIONAL_ADMIN):
            return self.filter(region__in=admin_regions(user))
        return self.filter(
            organisation__memberships__user=user,
            organisation__memberships__active=True,
            organisation__memberships__role=Membership.Role.ORGANISATION_ADMIN,
        ).distinct()


def admin_regions(user: User) -> models.QuerySet[YouthCareRegion]:
    """The regions where the user is functional admin."""
    return YouthCareRegion.objects.filter(
        organisations__memberships__user=user,
        organisations__memberships__active=True,
        organisations__memberships__role=Membership.Role.FUNCTIONAL_ADMIN,
    ).distinct()


class CrisisLine(Reviewed):
    """A number to call in a crisis: a municipality's line during its office hours, or
    the region's line for evenings, nights, weekends and public holidays.

    ``organisation`` keeps the line up (its organisation editors change and confirm
    it); without one only the region's functional admin does."""

    class Kind(models.TextChoices):
        OFFICE_HOURS = "office_hours", _("Municipality, during office hours")
        OUT_OF_HOURS = "out_of_hours", _("Region, outside office hours")

    uuid = _uuid_field()
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    region = models.ForeignKey(
        YouthCareRegion, on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    municipality = models.OneToOneField(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="crisis_line",
        verbose_name=_("municipality"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="crisis_lines",
        verbose_name=_("kept up by"),
    )
    name = models.CharField(_("name"), max_length=150)
    phone = models.CharField(_("phone"), max_length=30)
    # Per line, because which holidays close an office differs per municipality
    # (Good Friday above all); keys are the holidays package's English names.
    closed_on_holidays = models.JSONField(
        _("closed on these public holidays"),
        default=general_days_off,
        blank=True,
        validators=[validate_holiday_keys],
        help_text=_("On these days the line is closed and the region's line applies."),
    )

    objects = CrisisLineQuerySet.as_manager()

    class Meta:
        ordering = ["region__name", "kind", "name"]
        verbose_name = _("crisis line")
        verbose_name_plural = _("crisis lines")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="office_hours", municipality__isnull=False)
                | Q(kind="out_of_hours", municipality__isnull=True),
                name="crisis_line_kind_scope",
            ),
            models.UniqueConstraint(
                fields=["region"],
                condition=Q(kind="out_of_hours"),
                name="crisis_line_one_regional",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.phone})"


class OpeningHours(models.Model):
    """One weekly opening slot (HSDS schedule, FREQ=WEEKLY;BYDAY=..), for a service or
    the office hours of a crisis line, optionally only within a validity period.

    Slots do not cross midnight: an evening-and-night service has two slots.
    """

    uuid = _uuid_field()
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="hours"
    )
    crisis_line = models.ForeignKey(
        CrisisLine, on_delete=models.CASCADE, null=True, blank=True, related_name="hours"
    )
    weekday = models.PositiveSmallIntegerField(_("day"))  # 0 = Monday, as date.weekday()
    opens_at = models.TimeField(_("opens"))
    closes_at = models.TimeField(_("closes"))
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        ordering = ["weekday", "opens_at"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        constraints = [
            models.CheckConstraint(condition=Q(weekday__lte=6), name="hours_weekday"),
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="hours_order"
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_from__lte=models.F("valid_to")),
                name="hours_validity",
            ),
            models.CheckConstraint(
                condition=Q(service__isnull=False, crisis_line__isnull=True)
                | Q(service__isnull=True, crisis_line__isnull=False),
                name="hours_owner",
            ),
        ]
        # "Open now" asks per service, so the service comes first.
        indexes = [models.Index(fields=["service", "weekday"], name="hours_service_day")]

    def __str__(self) -> str:
        return f"{self.weekday} {self.opens_at:%H:%M}-{self.closes_at:%H:%M}"

    def applies_on(self, day: date) -> bool:
        return (
            day.weekday() == self.weekday
            and (self.valid_from is None or self.valid_from <= day)
            and (self.valid_to is None or day <= self.valid_to)
        )


class Closure(models.Model):
    """Days a service or a municipality's office is closed outside the public holidays."""

    uuid = _uuid_field()
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="closures"
    )
    crisis_line = models.ForeignKey(
        CrisisLine, on_delete=models.CASCADE, null=True, blank=True, related_name="closures"
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until and including"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    # Where to go instead while closed; a closure without one is flagged for review.
    alternative = models.CharField(_("instead, go to"), max_length=200, blank=True)

    class Meta:
        ordering = ["starts_on"]
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="closure_order"
            ),
            models.CheckConstraint(
                condition=Q(service__isnull=False, crisis_line__isnull=True)
                | Q(service__isnull=True, crisis_line__isnull=False),
                name="closure_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_on}–{self.ends_on}"


class ProfileQuerySet(models.QuerySet["ProfessionalProfile"]):
    def visible_to(self, user: User | None) -> ProfileQuerySet:
        """Professionals see each other's published profiles; families and the public do not."""
        if user is None or not user.is_authenticated or user.kind != "professional":
            return self.none()
        return self.filter(published=True, user__is_active=True)


class ProfessionalProfile(models.Model):
    """How a professional can be found and reached by colleagues ("who do I need")."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="directory_profile"
    )
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="profiles"
    )
    expertise = models.ManyToManyField(Theme, blank=True, related_name="profiles")
    expertise_note = models.CharField(_("expertise in own words"), max_length=300, blank=True)
    languages = models.CharField(_("languages"), max_length=100, default=" nl ")
    municipalities = models.ManyToManyField(Municipality, blank=True, related_name="+")
    phone = models.CharField(_("work phone"), max_length=30, blank=True)
    email = models.EmailField(_("work e-mail"), blank=True)
    reachable = models.CharField(_("when and how to reach me"), max_length=200, blank=True)
    published = models.BooleanField(_("visible to colleagues"), default=True)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ProfileQuerySet.as_manager()

    class Meta:
        ordering = ["user__full_name"]
        verbose_name = _("professional profile")
        verbose_name_plural = _("professional profiles")

    def __str__(self) -> str:
        return str(self.user)

    @property
    def language_codes(self) -> list[str]:
        return self.languages.split()


class TsVectorField(models.Field):  # type: ignore[type-arg]
    """A PostgreSQL ``tsvector`` (plain text on SQLite, where the column stays empty)."""

    def db_type(self, connection: object) -> str:
        return "tsvector" if getattr(connection, "vendor", "") == "postgresql" else "text"


class ServiceSearchVector(models.Model):
    """The PostgreSQL full-text document of a service (Snowball's Dutch stems from
    ``rits.directory.search``, indexed as they are with the 'simple' configuration; GIN),
    written only by ``rits.directory.search.reindex``. A model, not a bare table, so that
    flushing the database (TransactionTestCase) empties it along with the services.
    SQLite keeps its index in the FTS5 table ``directory_service_fts`` instead."""

    service = models.OneToOneField(
        Service, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    document = TsVectorField()

    class Meta:
        db_table = "directory_service_tsv"
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")

    def __str__(self) -> str:
        return str(self.service_id)


class Report(models.Model):
    """Something about an entry that needs a person's attention: a user reporting
    "this number is wrong", or two sources giving different numbers for the same line
    and hour. Open until an editor or the functional admin resolves it."""

    class Kind(models.TextChoices):
        WRONG_NUMBER = "wrong_number", _("Reported: this number is wrong")
        CONFLICT = "conflict", _("Conflicting numbers")

    uuid = _uuid_field()
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    crisis_line = models.ForeignKey(
        CrisisLine, on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    number = models.CharField(_("number shown"), max_length=30, blank=True)
    suggested = models.CharField(_("right number"), max_length=30, blank=True)
    note = models.CharField(_("explanation"), max_length=500, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("reported on"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved on"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    resolution = models.CharField(_("how it was resolved"), max_length=300, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(service__isnull=False, crisis_line__isnull=True)
                | Q(service__isnull=True, crisis_line__isnull=False),
                name="report_owner",
            ),
        ]
        # The review queue reads open reports oldest first.
        indexes = [
            models.Index(
                fields=["created_at"], condition=Q(resolved_at__isnull=True), name="report_open"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.number}"

    @property
    def entry(self) -> Service | CrisisLine:
        return self.service or self.crisis_line  # type: ignore[return-value]


class ReviewRequest(models.Model):
    """A request to an organisation's editors to confirm their entries, sent once per
    period (``key``) and kind, so the rhythm command may run as often as it likes."""

    class Kind(models.TextChoices):
        CONFIRM = "confirm", _("Confirm your entries")
        WAIT_TIME = "wait_time", _("Waiting time out of date")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="review_requests"
    )
    kind = models.CharField(max_length=20, choices=Kind)
    key = models.CharField(max_length=40)
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("review request")
        verbose_name_plural = _("review requests")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "key"], name="review_request_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.kind} {self.key}"
