"""Inviting a person of the family or network to their own account: link, code, password."""

from __future__ import annotations

import secrets
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from rits.accounts.models import User
from rits.audit.models import Entry
from rits.audit.services import record
from rits.family_plans.models import (
    CareTeamMember,
    Invitation,
    Person,
    Plan,
)
from rits.family_plans.services.audit import audit, renew_content, renew_family_content
from rits.family_plans.services.errors import PlanError
from rits.family_plans.services.notices import household_accounts, sends_email, tell_many
from rits.lib import ages

INVITATION_DAYS = 7


# The one-time code that proves the recipient reads the invited address: how long it
# works, how many wrong tries it takes, how many codes one invitation may send and how
# long between two, and how many wrong addresses spend the invitation.
CODE_MINUTES = 15


CODE_TRIES = 5


CODES_PER_INVITATION = 5


CODE_RESEND_SECONDS = 60


ADDRESS_TRIES = 5


class InvitationGone(PlanError):
    """The invitation link is unknown, used, expired or spent; a new invitation is needed."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "This link no longer works: it was already used or it has expired. "
                "Ask for a new invitation."
            )
        )


def mask_email(email: str) -> str:
    """An address as others in the family may see it: enough to recognise, not to use
    (``p***@t***.nl``)."""
    local, _at, domain = email.partition("@")
    host, _dot, tld = domain.rpartition(".")
    return f"{local[:1]}***@{host[:1]}***.{tld}" if host else f"{local[:1]}***@***"


def same_person(plan: Plan, email: str, *, exclude: Person | None = None) -> Person | None:
    """The person of the plan's family who is already known by this e-mail address: as
    their own address or as their account's (any case). Role rules (the JIM is not a
    parent, one person once in the network) are decided on this identity, never on a
    typed name."""
    email = email.strip()
    if not email:
        return None
    found = plan.family.persons.filter(Q(email__iexact=email) | Q(user__email__iexact=email))
    if exclude is not None:
        found = found.exclude(pk=exclude.pk)
    return found.select_related("user").first()


def identity_problem(plan: Plan, email: str, *, exclude: Person | None = None) -> str:
    """Why ``email`` cannot be given to a new or other person of the family, or ""."""
    other = same_person(plan, email, exclude=exclude)
    if other is None:
        return ""
    return _(
        "This e-mail address belongs to %(name)s, who is already in the family or network. "
        "One person is in the network once."
    ) % {"name": other.name}


@transaction.atomic
def invite_person(person: Person, plan: Plan, *, actor: User, email: str) -> Invitation:
    """Create a single-use link for ``person`` and mail it to ``email`` only.

    The link is never returned or shown: it is a secret of the recipient. Steps: check
    the person may get an account and the address is not someone else's in the family;
    end older links; store the token's hash; mail the link after commit; tell the
    household's other accounts who was invited, by whom, at which (masked) address.
    """
    if person.user_id is not None:
        raise PlanError(_("This person already has an account."))
    if person.role == Person.Role.SIBLING or (
        person.role == Person.Role.YOUTH and (person.age() or 0) < ages.CONSENT_TOGETHER_FROM
    ):
        raise PlanError(_("Children under 12 do not get their own account."))
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise PlanError(_("Fill in a valid e-mail address.")) from None
    problem = identity_problem(plan, email, exclude=person)
    if problem:
        raise PlanError(problem)
    if User.objects.filter(email=email).exists():
        raise PlanError(
            _("There is already an account with this e-mail address. It cannot be invited.")
        )
    raw = secrets.token_urlsafe(32)
    Invitation.objects.filter(person=person, used_at__isnull=True).update(expires_at=timezone.now())
    invitation = Invitation.objects.create(
        person=person,
        email=email,
        token_hash=Invitation.hash(raw),
        created_by=actor,
        expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
    )
    person.email = email
    person.save(update_fields=["email"])
    link = settings.SITE_URL + reverse("family_plans:invitation", args=[raw])
    mail = partial(
        send_mail,
        subject=_("Rits: you are invited to the family plan"),
        message=_(
            "%(name)s invites you to the family plan of %(family)s in Rits.\n\n"
            "Open this link. Then fill in this e-mail address: we send you a code to "
            "choose a password. The link works once and for %(days)s days. It is only for "
            "you: do not pass it on.\n"
            "\n%(link)s\n"
        )
        % {
            "name": actor.full_name,
            "family": plan.family.name,
            "days": INVITATION_DAYS,
            "link": link,
        },
        from_email=None,
        recipient_list=[invitation.email],
        fail_silently=True,
    )
    if sends_email():
        transaction.on_commit(mail)
    tell_many(
        [u for u in household_accounts(plan) if u.pk != person.user_id],
        kind="family_plans.invitation_sent",
        title=_("%(name)s was invited to your family plan") % {"name": person.name},
        body=_(
            "%(actor)s invited %(name)s to your family plan. The invitation went by e-mail "
            "to %(address)s. Do you not know about this? Tell your coordinator."
        )
        % {"actor": actor.full_name, "name": person.name, "address": mask_email(email)},
        url=reverse("family_plans:team", args=[plan.pk]),
        skip=actor,
    )
    renew_content(plan)
    audit(
        actor,
        "family_plans.invitation_created",
        plan,
        person,
        data={"invitation": invitation.pk, "address": mask_email(email)},
    )
    return invitation


def _refuse_invitation(invitation: Invitation | None, why: str) -> None:
    # The family's youth is the subject, as in the entry that created the link.
    plan = (
        Plan.objects.filter(family_id=invitation.person.family_id).select_related("youth").first()
        if invitation
        else None
    )
    record(
        None,
        "family_plans.invitation_refused",
        invitation.person if invitation else None,
        object_type="" if invitation else "family_plans.invitation",
        subject=plan.youth.reference if plan else "",
        outcome=Entry.Outcome.DENIED,
        purpose=Entry.Purpose.SECURITY,
        data={"why": why, **({"invitation": invitation.pk} if invitation else {})},
    )


def _gone_reason(invitation: Invitation | None) -> str:
    if invitation is None:
        return "unknown"
    return "used" if invitation.used_at else "expired"


def find_invitation(raw: str) -> Invitation | None:
    """The invitation for a raw token if it can still be used; None otherwise (audited)."""
    invitation = (
        Invitation.objects.select_related("person__family")
        .filter(token_hash=Invitation.hash(raw))
        .first()
    )
    if invitation is not None and invitation.is_usable:
        return invitation
    with transaction.atomic():
        _refuse_invitation(invitation, _gone_reason(invitation))
    return None


def _locked_invitation(raw: str) -> Invitation | None:
    return (
        Invitation.objects.select_for_update()
        .select_related("person__family")
        .filter(token_hash=Invitation.hash(raw))
        .first()
    )


def send_invitation_code(raw: str, *, email: str) -> None:
    """The recipient typed the address the invitation went to: mail a one-time code there.

    Steps: lock the invitation; refuse when it cannot be used (``InvitationGone``); refuse
    a wrong address, and spend the invitation after ``ADDRESS_TRIES`` of them; refuse a
    new code within ``CODE_RESEND_SECONDS`` of the last or after
    ``CODES_PER_INVITATION``; store the code's keyed hash with its expiry; mail it after
    commit. Every refusal is audited and its count kept, then raised as ``PlanError``.
    """
    refusal: PlanError | None = None
    with transaction.atomic():
        invitation = _locked_invitation(raw)
        now = timezone.now()
        if invitation is None or not invitation.is_usable:
            _refuse_invitation(invitation, _gone_reason(invitation))
            refusal = InvitationGone()
        elif email.strip().lower() != invitation.email:
            invitation.address_tries += 1
            fields = ["address_tries"]
            if invitation.address_tries >= ADDRESS_TRIES:
                invitation.expires_at = now
                fields.append("expires_at")
            invitation.save(update_fields=fields)
            _refuse_invitation(
                invitation,
                "too many wrong addresses" if "expires_at" in fields else "wrong address",
            )
            refusal = (
                InvitationGone()
                if "expires_at" in fields
                else PlanError(
                    _(
                        "This is not the e-mail address the invitation was sent to. "
                        "Check the address and try again."
                    )
                )
            )
        elif invitation.codes_sent >= CODES_PER_INVITATION:
            _refuse_invitation(invitation, "too many codes")
            refusal = PlanError(
                _("We sent you enough codes for this invitation. Ask for a new invitation.")
            )
        elif invitation.code_sent_at is not None and (
            now - invitation.code_sent_at < timedelta(seconds=CODE_RESEND_SECONDS)
        ):
            _refuse_invitation(invitation, "code asked too soon")
            refusal = PlanError(
                _("We just sent you a code. Wait a minute before you ask for a new one.")
            )
        else:
            code = f"{secrets.randbelow(10**6):06d}"
            invitation.code_hash = invitation.hash_code(code)
            invitation.code_expires_at = now + timedelta(minutes=CODE_MINUTES)
            invitation.code_tries = 0
            invitation.codes_sent += 1
            invitation.code_sent_at = now
            invitation.save(
                update_fields=[
                    "code_hash",
                    "code_expires_at",
                    "code_tries",
                    "codes_sent",
                    "code_sent_at",
                ]
            )
            transaction.on_commit(
                partial(
                    send_mail,
                    subject=_("Rits: your code is %(code)s") % {"code": code},
                    message=_(
                        "Your code for Rits is %(code)s.\n\n"
                        "Fill it in on the page of your invitation. The code works for "
                        "%(minutes)s minutes. Did you not ask for it? Then you do not have "
                        "to do anything.\n"
                    )
                    % {"code": code, "minutes": CODE_MINUTES},
                    from_email=None,
                    recipient_list=[invitation.email],
                    fail_silently=True,
                )
            )
            record(
                None,
                "family_plans.invitation_code_sent",
                invitation.person,
                subject=invitation.person.reference,
                purpose=Entry.Purpose.SECURITY,
                data={"invitation": invitation.pk, "codes_sent": invitation.codes_sent},
            )
    if refusal is not None:
        raise refusal


def accept_invitation(raw: str, *, code: str, password: str, full_name: str = "") -> User:
    """Create the account behind an invitation, once, for whoever holds the mailed code.

    Steps: lock the invitation; refuse when used, expired or unknown (``InvitationGone``);
    refuse without a valid code: none asked, expired, or wrong (counted; after
    ``CODE_TRIES`` the code stops working); validate the password; create the account;
    link it to the person and to their care-team membership (a JIM); mark the invitation
    used. All in one transaction: a refusal's count and audit entry are kept (the block
    ends normally, then the refusal is raised); a weak password rolls back everything.
    """
    refusal: PlanError | None = None
    with transaction.atomic():
        invitation = _locked_invitation(raw)
        now = timezone.now()
        if invitation is None or not invitation.is_usable:
            _refuse_invitation(invitation, _gone_reason(invitation))
            refusal = InvitationGone()
        elif not invitation.code_hash or (
            invitation.code_expires_at is not None and invitation.code_expires_at <= now
        ):
            _refuse_invitation(
                invitation, "no code" if not invitation.code_hash else "code expired"
            )
            refusal = PlanError(
                _("Your code has expired. Fill in your e-mail address again for a new code.")
                if invitation.code_hash
                else _("Fill in your e-mail address first: we send you a code.")
            )
        elif not constant_time_compare(invitation.hash_code(code.strip()), invitation.code_hash):
            invitation.code_tries += 1
            spent = invitation.code_tries >= CODE_TRIES
            if spent:
                invitation.code_hash = ""
            invitation.save(update_fields=["code_tries", "code_hash"])
            _refuse_invitation(invitation, "too many wrong codes" if spent else "wrong code")
            refusal = PlanError(
                _(
                    "This code was wrong too often. Fill in your e-mail address again "
                    "for a new code."
                )
                if spent
                else _("This code is not correct. Check the code in the e-mail and try again.")
            )
        else:
            person = invitation.person
            if User.objects.filter(email=invitation.email).exists():
                raise PlanError(
                    _("There is already an account with this e-mail address. Log in instead.")
                )
            kind = User.Kind.FAMILY if person.in_household else User.Kind.NETWORK
            candidate = User(email=invitation.email, full_name=full_name or person.name, kind=kind)
            try:
                validate_password(password, candidate)
            except ValidationError as exc:
                raise PlanError(" ".join(exc.messages)) from None
            user = User.objects.create_user(
                invitation.email, password, full_name=full_name or person.name, kind=kind
            )
            person.user = user
            person.save(update_fields=["user"])
            CareTeamMember.objects.filter(person=person, user__isnull=True).update(user=user)
            # The person now has an account: the pages' people must be read again.
            renew_family_content(person.family_id)
            invitation.used_at = timezone.now()
            invitation.code_hash = ""
            invitation.save(update_fields=["used_at", "code_hash"])
            record(
                user,
                "family_plans.invitation_accepted",
                person,
                subject=person.reference,
                purpose=Entry.Purpose.RIGHTS,
                data={"invitation": invitation.pk},
            )
            return user
    assert refusal is not None
    raise refusal


def offers_second_factor(user: User) -> bool:
    """Whether a family account is offered a second factor: a parent, or a youth of 16+
    (younger children's accounts stay simple; professionals must have one anyway)."""
    return any(
        p.role == Person.Role.PARENT
        or (p.role == Person.Role.YOUTH and (p.age() or 0) >= ages.CONSENT_ALONE_FROM)
        for p in Person.objects.filter(user=user)
    )
