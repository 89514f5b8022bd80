from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rits.accounts.models import User
from rits.family_plans import forms, rules, services
from rits.family_plans.models import CareTeamMember, Consent, EmergencyAccess, Person
from rits.family_plans.permissions import (
    get_part_for_user,
    get_plan_for_user,
    is_privacy_officer,
    may_break_glass,
)
from rits.family_plans.views.common import acting_user, with_access


@login_required
def team(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The care team, the consents given, the network and the coordinator."""
    user = acting_user(request)
    plan = get_plan_for_user(user, plan_id)
    services.record_read(plan, actor=user, data={"page": "team"})
    members = list(
        plan.members.select_related("user", "person", "organisation").prefetch_related(
            "consents__given_by"
        )
    )
    me = Person.objects.filter(family_id=plan.family_id, user=user).first()
    return render(
        request,
        "family_plans/team.html",
        with_access(
            plan,
            {
                "plan": plan,
                "members": members,
                "persons": list(plan.family.persons.select_related("user")),
                "me": me,
                "i_may_consent": me is not None and rules.may_consent(plan, me),
                "givers_label": services.consent_givers_label(plan),
                "member_form": forms.MemberForm(),
                "person_form": forms.PersonForm(),
                "jim_form": forms.JimForm(),
                "consent_form": forms.ConsentForm(plan=plan),
                "coordinator_form": forms.CoordinatorForm(
                    team=services.team_accounts(plan),
                    initial={"user": str(plan.coordinator_id or "")},
                ),
                "is_youth": me is not None and me.pk == plan.youth_id,
            },
        ),
    )


@login_required
@require_POST
def member_add(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Propose a professional for the care team."""
    user = acting_user(request)
    plan = get_plan_for_user(user, plan_id, write=True)
    form = forms.MemberForm(request.POST)
    if form.is_valid():
        other = User.objects.filter(
            email=form.cleaned_data["email"].lower(), is_active=True
        ).first()
        try:
            if other is None:
                raise services.PlanError(_("There is no professional with this e-mail address."))
            services.propose_member(plan, actor=user, user=other, title=form.cleaned_data["title"])
        except services.PlanError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Proposed. The family is asked for consent."))
    return redirect("family_plans:team", plan.pk)


@login_required
@require_POST
def consent_give(request: HttpRequest, plan_id: int, member_id: int) -> HttpResponse:
    """Give consent for one member and purpose (or record consent given in person)."""
    user = acting_user(request)
    plan, member = get_part_for_user(user, CareTeamMember, plan_id, member_id)
    if not plan.is_active:
        raise PermissionDenied
    form = forms.ConsentForm(request.POST, plan=plan)
    if form.is_valid():
        try:
            services.give_consent(
                member,
                actor=user,
                purpose=form.cleaned_data["purpose"],
                on_behalf_of=form.cleaned_data["on_behalf_of"],
            )
        except services.PlanError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Consent recorded."))
    return redirect("family_plans:team", plan.pk)


@login_required
@require_POST
def consent_withdraw(request: HttpRequest, plan_id: int, consent_id: int) -> HttpResponse:
    """Withdraw a consent; access ends at once."""
    user = acting_user(request)
    plan = get_plan_for_user(user, plan_id)
    consent = (
        Consent.objects.select_related("member__plan")
        .filter(pk=consent_id, member__plan=plan)
        .first()
    )
    if consent is None:
        raise Http404
    try:
        services.withdraw_consent(consent, actor=user)
    except services.PlanError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Consent withdrawn."))
    return redirect("family_plans:team", plan.pk)


@login_required
@require_POST
def member_leave(request: HttpRequest, plan_id: int, member_id: int) -> HttpResponse:
    """A member leaves the team (or is removed by the family or coordinator)."""
    user = acting_user(request)
    plan, member = get_part_for_user(user, CareTeamMember, plan_id, member_id, write=True)
    services.leave_team(member, actor=user)
    return redirect(
        "family_plans:team" if member.user_id != user.pk else "family_plans:list",
        *([plan.pk] if member.user_id != user.pk else []),
    )


@login_required
@require_POST
def jim_invite(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The youth invites their JIM."""
    user = acting_user(request)
    plan = get_plan_for_user(user, plan_id, write=True)
    form = forms.JimForm(request.POST)
    if form.is_valid():
        try:
            _member, _link = services.invite_jim(plan, actor=user, **form.cleaned_data)
        except services.PlanError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Your JIM has been invited by e-mail."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect("family_plans:team", plan.pk)


@login_required
@require_POST
def person_add(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Add someone to the household or network, optionally with an invitation link."""
    user = acting_user(request)
    plan = get_plan_for_user(user, plan_id, write=True)
    form = forms.PersonForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        person = services.add_person(
            plan,
            actor=user,
            role=d["role"],
            name=d["name"],
            date_of_birth=d["date_of_birth"],
            email=d["email"] or "",
        )
        if d["email"] and person.role in (Person.Role.PARENT, Person.Role.YOUTH):
            try:
                link = services.invite_person(person, plan, actor=user, email=d["email"])
            except services.PlanError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("Invitation sent. The link: %(link)s") % {"link": link})
    return redirect("family_plans:team", plan.pk)


@login_required
@require_POST
def person_invite(request: HttpRequest, plan_id: int, person_id: int) -> HttpResponse:
    """Send (again) an invitation link to a parent or youth."""
    user = acting_user(request)
    plan = get_plan_for_user(user, plan_id, write=True)
    person = Person.objects.filter(pk=person_id, family_id=plan.family_id).first()
    if person is None:
        raise Http404
    email = request.POST.get("email", "") or person.email
    try:
        if not email:
            raise services.PlanError(_("Fill in an e-mail address."))
        link = services.invite_person(person, plan, actor=user, email=email)
    except services.PlanError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Invitation sent. The link: %(link)s") % {"link": link})
    return redirect("family_plans:team", plan.pk)


@login_required
@require_POST
def coordinator_set(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Choose the one coordinator."""
    user = acting_user(request)
    plan = get_plan_for_user(user, plan_id, write=True)
    team_users = services.team_accounts(plan)
    form = forms.CoordinatorForm(request.POST, team=team_users)
    if form.is_valid():
        chosen = next(u for u in team_users if str(u.pk) == form.cleaned_data["user"])
        services.set_coordinator(plan, actor=user, user=chosen)
        messages.success(request, _("The coordinator has been changed."))
    return redirect("family_plans:team", plan.pk)


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Accept an invitation link: choose a password and join (no login needed)."""
    found = services.find_invitation(token) if request.method == "GET" else None
    if request.method == "GET" and found is None:
        return render(request, "family_plans/invitation.html", {"invalid": True}, status=410)
    form = forms.InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_invitation(token, password=form.cleaned_data["password"])
        except services.PlanError as exc:
            form.add_error(None, str(exc))
            status = 410 if "link" in str(exc).lower() else 400
            return render(request, "family_plans/invitation.html", {"form": form}, status=status)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome! You can now see your family plan."))
        return redirect("family_plans:list")
    return render(request, "family_plans/invitation.html", {"form": form, "invitation": found})


@login_required
def emergency(request: HttpRequest) -> HttpResponse:
    """Break the glass: emergency access to a plan, with a reason, for a few hours."""
    user = acting_user(request)
    if not may_break_glass(user):
        raise Http404
    form = forms.EmergencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            grant = services.break_glass(
                form.cleaned_data["plan_id"], actor=user, reason=form.cleaned_data["reason"]
            )
        except services.PlanError as exc:
            form.add_error(None, str(exc))
        else:
            messages.warning(
                request,
                _("Emergency access until %(time)s. This is logged and reported.")
                % {"time": grant.expires_at.strftime("%H:%M")},
            )
            return redirect("family_plans:plan", grant.plan_id)
    return render(request, "family_plans/emergency.html", {"form": form})


@login_required
@require_POST
def emergency_end(request: HttpRequest, grant_id: int) -> HttpResponse:
    """End one's own emergency access early."""
    user = acting_user(request)
    grant = (
        EmergencyAccess.objects.select_related("plan__youth")
        .filter(pk=grant_id, user=user, ended_at__isnull=True)
        .first()
    )
    if grant is None:
        raise Http404
    services.end_emergency_access(grant, actor=user)
    messages.success(request, _("Emergency access ended."))
    return redirect("family_plans:list")


@login_required
def emergency_overview(request: HttpRequest) -> HttpResponse:
    """For the privacy officer: every use of emergency access (no plan contents)."""
    user = acting_user(request)
    if not is_privacy_officer(user):
        raise Http404
    grants = EmergencyAccess.objects.select_related("user", "plan__family").order_by("-started_at")[
        :200
    ]
    return render(request, "family_plans/emergency_overview.html", {"grants": grants})
