"""Users, organisations, teams and the roles people hold in them."""

from __future__ import annotations

import hashlib
from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rits.regions.models import Municipality, YouthCareRegion


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who logs in: professionals, staff and (later) family members.

    Login is by e-mail address. ``kind`` separates professionals from family
    accounts; what a professional may do comes from their memberships.
    """

    class Kind(models.TextChoices):
        PROFESSIONAL = "professional", _("Professional")
        FAMILY = "family", _("Family member")
        NETWORK = "network", _("Informal network member")

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    phone = models.CharField(_("phone number"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.PROFESSIONAL)
    preferred_language = models.CharField(
        _("language"), max_length=5, choices=[("nl", "Nederlands"), ("en", "English")], default="nl"
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("may use the admin"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def roles(self) -> set[str]:
        """The roles this user holds in any active membership (cached per instance)."""
        cached: set[str] | None = getattr(self, "_roles_cache", None)
        if cached is None:
            cached = set(
                self.memberships.filter(active=True).values_list("role", flat=True).distinct()
            )
            self._roles_cache = cached
        return cached

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles() & set(roles))

    @property
    def requires_two_factor(self) -> bool:
        """Professionals and anyone with admin rights must use a second factor; a family or
        network account that turned one on must use it from then on."""
        if self.kind == self.Kind.PROFESSIONAL or self.is_staff or self.is_superuser:
            return True
        chosen: bool | None = getattr(self, "_chose_two_factor", None)
        if chosen is None:
            from django_otp.plugins.otp_totp.models import TOTPDevice

            chosen = TOTPDevice.objects.filter(user_id=self.pk, confirmed=True).exists()
            self._chose_two_factor = chosen
        return chosen


class Organisation(models.Model):
    """A partner in the region: area team, provider, school, municipality, and so on."""

    class Kind(models.TextChoices):
        AREA_TEAM = "area_team", _("Area team (gebiedsteam/wijkteam)")
        YOUTH_CARE_PROVIDER = "youth_care_provider", _("Youth-care provider")
        YOUTH_HEALTH_CARE = "jgz", _("Youth health care (JGZ)")
        EDUCATION = "education", _("Education")
        MUNICIPALITY = "municipality", _("Municipality")
        VEILIG_THUIS = "veilig_thuis", _("Veilig Thuis")
        MENTAL_HEALTH = "ggz", _("Mental health care (GGZ)")
        POLICE = "police", _("Police")
        KNOWLEDGE_INSTITUTE = "knowledge_institute", _("Knowledge institute")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=30, choices=Kind)
    region = models.ForeignKey(
        YouthCareRegion,
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name=_("youth-care region"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("municipality of establishment"),
    )
    kvk_number = models.CharField(_("KvK number"), max_length=8, blank=True)
    email = models.EmailField(_("general e-mail"), blank=True)
    phone = models.CharField(_("general phone"), max_length=30, blank=True)
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="organisation_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """A team within an organisation, such as the area team for one municipality."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="teams", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=200)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="teams",
        verbose_name=_("working area"),
    )

    class Meta:
        ordering = ["organisation__name", "name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="team_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation.name})"


class Membership(models.Model):
    """A person's role in an organisation (and optionally one of its teams).

    A person may hold several memberships: a youth-care worker who also chairs
    dialogue tables, or a privacy officer who is also a functional admin.
    """

    class Role(models.TextChoices):
        PROFESSIONAL = "professional", _("Professional")
        INDEX_REPORTER = "index_reporter", _("Authorised to register involvement")
        ORGANISATION_ADMIN = "organisation_admin", _("Organisation editor")
        MUNICIPALITY_STAFF = "municipality_staff", _("Municipality staff (policy)")
        MUNICIPAL_COORDINATOR = "municipal_coordinator", _("Municipal coordinator")
        PRIVACY_OFFICER = "privacy_officer", _("Privacy officer")
        FUNCTIONAL_ADMIN = "functional_admin", _("Functional admin (region)")
        FACILITATOR = "facilitator", _("Learning-network facilitator")
        RESEARCHER = "researcher", _("Researcher")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("team"),
    )
    role = models.CharField(_("role"), max_length=30, choices=Role)
    job_title = models.CharField(_("job title"), max_length=100, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            # Two partial constraints instead of nulls_distinct=False, which SQLite lacks.
            models.UniqueConstraint(
                fields=["user", "organisation", "team", "role"],
                condition=models.Q(team__isnull=False),
                name="membership_unique_team_role",
            ),
            models.UniqueConstraint(
                fields=["user", "organisation", "role"],
                condition=models.Q(team__isnull=True),
                name="membership_unique_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.organisation}"


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def visible_to(self, user: User) -> ApiTokenQuerySet:
        """Tokens are personal: a user sees only their own, admins included."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 hash is stored; the token is shown once."""

    PREFIX = "rits_"

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(_("first characters"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class NotificationQuerySet(models.QuerySet["Notification"]):
    def visible_to(self, user: User) -> NotificationQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """An in-app message for one user (also sent by e-mail): an invitation, a match, a
    decision awaiting agreement. Capability apps create them through ``notify``."""

    # Indexed by "notification_unread" below, which leads with the user.
    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("user"),
        db_index=False,
    )
    kind = models.CharField(_("kind"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.title
