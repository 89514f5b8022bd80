from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from rits.accounts.models import User
from rits.family_plans import forms, rules, services
from rits.family_plans.exports import ecogram_svg
from rits.family_plans.models import (
    CareTeamMember,
    Consent,
    EmergencyAccess,
    Person,
    Plan,
    Relationship,
)
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
    return _team_page(request, get_plan_for_user(acting_user(request), plan_id))


def _team_page(
    request: HttpRequest,
    plan: Plan,
    *,
    person_form: forms.PersonForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = acting_user(request)
    services.record_read(plan, actor=user, data={"page": "team"})
    members = list(
        plan.members.select_related("user", "person", "organisation").prefetch_related(
            "consents__given_by"
        )
    )
    me = Person.objects.filter(family_id=plan.family_id, user=user).first()
    persons = list(plan.family.persons.select_related("user"))
    relationships = list(Relationship.objects.filter(family_id=plan.family_id))
    return render(
        request,
        "family_plans/team.html",
        with_access(
            plan,
            {
                "plan": plan,
                "members": members,
                "persons": _with_lines(persons, relationships),
                "ecogram": ecogram_svg(
                    plan, persons=persons, members=members, relationships=relationships
                ),
                "me": me,
                "i_may_consent": me is not None and rules.may_consent(plan, me),
                "givers_label": services.consent_givers_label(plan),
                "member_form": forms.MemberForm(),
                # Its own ids: the other forms on this page also have a name and e-mail.
                "person_form": person_form or forms.PersonForm(auto_id="person-%s"),
                "jim_form": forms.JimForm(),
                "consent_form": forms.ConsentForm(plan=plan),
                "coordinator_form": forms.CoordinatorForm(
                    team=services.team_accounts(plan),
                    initial={"user": str(plan.coordinator_id or "")},
                ),
                "is_youth": me is not None and me.pk == plan.youth_id,
            },
        ),
        status=status,
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
    plan, member = get_part_for_user(user, CareTeamMember, plan_id, member_id, take_part=True)
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
            services.invite_jim(plan, actor=user, **form.cleaned_data)
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
    form = forms.PersonForm(request.POST, auto_id="person-%s")
    if not form.is_valid():
        return _team_page(request, plan, person_form=form, status=400)
    d = form.cleaned_data
    try:
        person = services.add_person(
            plan,
            actor=user,
            role=d["role"],
            name=d["name"],
            date_of_birth=d["date_of_birth"],
            email=d["email"] or "",
        )
    except services.PlanError as exc:
        form.add_error("email", str(exc))
        return _team_page(request, plan, person_form=form, status=400)
    if d["email"] and person.role in (Person.Role.PARENT, Person.Role.YOUTH):
        try:
            services.invite_person(person, plan, actor=user, email=d["email"])
        except services.PlanError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _invitation_sent(person))
    return redirect("family_plans:team", plan.pk)


def _invitation_sent(person: Person) -> str:
    # The link is the recipient's secret: the sender is told it went, never what it is.
    return _("Invitation sent by e-mail to %(name)s. Only %(name)s can use it.") % {
        "name": person.name
    }


def _with_lines(persons: list[Person], relationships: list[Relationship]) -> list[Person]:
    """Give each person ``lines``: the lines of the network picture they are part of,
    each as (relationship, sentence), e.g. "Oma Truus supports Petra Ouder (strong)"."""
    by_pk = {p.pk: p for p in persons}
    for person in persons:
        person.lines = []  # type: ignore[attr-defined]
    for r in relationships:
        a, b = by_pk.get(r.from_person_id), by_pk.get(r.to_person_id)
        if a is None or b is None:
            continue
        r.from_person, r.to_person = a, b
        sentence = _("%(from)s %(kind)s %(to)s (%(strength)s)") % {
            "from": a.name,
            "kind": r.get_kind_display(),
            "to": b.name,
            "strength": r.get_strength_display(),
        }
        for end in {a.pk: a, b.pk: b}.values():
            end.lines.append((r, sentence))  # type: ignore[attr-defined]
    return persons


def _person_of(plan: Plan, person_id: int) -> Person:
    """A person of the plan's family; 404 when they belong to another family."""
    person = Person.objects.filter(pk=person_id, family_id=plan.family_id).first()
    if person is None:
        raise Http404
    return person


def _relationship_of(plan: Plan, person: Person, relationship_id: int) -> Relationship:
    """A line of the family that ``person`` is part of; 404 otherwise."""
    found = (
        Relationship.objects.filter(pk=relationship_id, family_id=plan.family_id)
        .filter(Q(from_person=person) | Q(to_person=person))
        .first()
    )
    if found is None:
        raise Http404
    return found


def _person_page(
    request: HttpRequest,
    plan: Plan,
    person: Person,
    *,
    form: forms.PersonEditForm | None = None,
    conflict: Person | None = None,
    new_line_form: forms.NewRelationshipForm | None = None,
    bound_line: forms.RelationshipForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The small page of one person: their details, their lines, removing them."""
    fixed_role = Plan.objects.filter(youth=person).exists() or person.role == Person.Role.JIM
    if form is None:
        form = forms.PersonEditForm(
            instance=person, initial={"version": person.version}, fixed_role=fixed_role
        )
    persons = list(plan.family.persons.all())
    relationships = list(
        Relationship.objects.filter(family_id=plan.family_id).filter(
            Q(from_person=person) | Q(to_person=person)
        )
    )
    _with_lines(persons, relationships)
    shown = next(p for p in persons if p.pk == person.pk)
    lines: list[tuple[Relationship, str, forms.RelationshipForm]] = []
    for relationship, sentence in shown.lines:  # type: ignore[attr-defined]
        line_form = (
            bound_line
            if bound_line is not None and bound_line.instance.pk == relationship.pk
            else forms.RelationshipForm(instance=relationship)
        )
        lines.append((relationship, sentence, line_form))
    context: dict[str, Any] = {
        "plan": plan,
        "person": person,
        "form": form,
        "conflict": conflict,
        "lines": lines,
        "new_line_form": new_line_form or forms.NewRelationshipForm(person=person),
        "removal_problem": services.removal_problem(plan, person),
    }
    if conflict is not None:
        context["conflict_fields"] = [
            (form.fields[name].label, _shown(conflict, name)) for name in services.PERSON_FIELDS
        ]
    return render(request, "family_plans/person.html", with_access(plan, context), status=status)


def _shown(person: Person, name: str) -> Any:
    if name == "role":
        return person.get_role_display()
    return getattr(person, name)


@login_required
def person_edit(request: HttpRequest, plan_id: int, person_id: int) -> HttpResponse:
    """Change someone's details; a clash with another save shows both versions."""
    user = acting_user(request)
    plan = get_plan_for_user(user, plan_id, write=True)
    person = _person_of(plan, person_id)
    if request.method != "POST":
        services.record_read(plan, actor=user, data={"part": "person", "id": person.pk})
        return _person_page(request, plan, person)
    fixed_role = Plan.objects.filter(youth=person).exists() or person.role == Person.Role.JIM
    form = forms.PersonEditForm(
        request.POST, instance=Person.objects.get(pk=person.pk), fixed_role=fixed_role
    )
    if not form.is_valid():
        return _person_page(request, plan, person, form=form, status=400)
    data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
    try:
        services.update_person(
            person, actor=user, plan=plan, version=form.cleaned_data["version"], **data
        )
    except services.StaleVersion as exc:
        current: Person = exc.current  # type: ignore[assignment]
        messages.error(request, str(exc))
        # Their own text stays in the form, now on top of the version saved meanwhile.
        mine = request.POST.copy()
        mine["version"] = str(current.version)
        form = forms.PersonEditForm(mine, instance=current, fixed_role=fixed_role)
        return _person_page(request, plan, current, form=form, conflict=current, status=409)
    except services.PersonChangeRefused as exc:
        form.add_error(None if form.fields[exc.field].disabled else exc.field, str(exc))
        return _person_page(request, plan, person, form=form, status=400)
    except services.PlanError as exc:
        form.add_error(None, str(exc))
        return _person_page(request, plan, person, form=form, status=400)
    messages.success(request, _("Saved."))
    return redirect("family_plans:team", plan.pk)


@login_required
def person_remove(request: HttpRequest, plan_id: int, person_id: int) -> HttpResponse:
    """Remove someone from the network: first a question, then the removal (no JavaScript)."""
    user = acting_user(request)
    plan = get_plan_for_user(user, plan_id, write=True)
    person = _person_of(plan, person_id)
    problem = ""
    status = 200
    if request.method == "POST":
        try:
            services.remove_person(person, actor=user, plan=plan)
        except services.PlanError as exc:
            problem, status = str(exc), 400
        else:
            messages.success(
                request, _("%(name)s has been removed from the network.") % {"name": person.name}
            )
            return redirect("family_plans:team", plan.pk)
    else:
        services.record_read(plan, actor=user, data={"part": "person", "id": person.pk})
        problem = services.removal_problem(plan, person)
    lines = Relationship.objects.filter(Q(from_person=person) | Q(to_person=person)).count()
    return render(
        request,
        "family_plans/person_remove.html",
        with_access(plan, {"plan": plan, "person": person, "problem": problem, "lines": lines}),
        status=status,
    )


def _field_of(error: services.PlanError) -> str | None:
    """A duplicate line is about its kind (same two people, same kind): the error is
    shown at that field; other refusals above the form."""
    return "kind" if isinstance(error, services.DuplicateRelationship) else None


@login_required
@require_POST
def relationship_add(request: HttpRequest, plan_id: int, person_id: int) -> HttpResponse:
    """Draw a new line from this person to someone else in the family or network."""
    user = acting_user(request)
    plan = get_plan_for_user(user, plan_id, write=True)
    person = _person_of(plan, person_id)
    form = forms.NewRelationshipForm(request.POST, person=person)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.add_relationship(
                plan,
                actor=user,
                from_person=person,
                to_person=d["to_person"],
                kind=d["kind"],
                strength=d["strength"],
            )
        except services.PlanError as exc:
            form.add_error(_field_of(exc), str(exc))
        else:
            messages.success(request, _("The line has been added."))
            return redirect("family_plans:person_edit", plan.pk, person.pk)
    return _person_page(request, plan, person, new_line_form=form, status=400)


@login_required
@require_POST
def relationship_change(
    request: HttpRequest, plan_id: int, person_id: int, relationship_id: int
) -> HttpResponse:
    """Say what kind of line this is and how strong."""
    user = acting_user(request)
    plan = get_plan_for_user(user, plan_id, write=True)
    person = _person_of(plan, person_id)
    relationship = _relationship_of(plan, person, relationship_id)
    form = forms.RelationshipForm(
        request.POST, instance=Relationship.objects.get(pk=relationship.pk)
    )
    if form.is_valid():
        try:
            services.set_relationship(
                relationship,
                actor=user,
                plan=plan,
                kind=form.cleaned_data["kind"],
                strength=form.cleaned_data["strength"],
            )
        except services.PlanError as exc:
            form.add_error(_field_of(exc), str(exc))
        else:
            messages.success(request, _("Saved."))
            return redirect("family_plans:person_edit", plan.pk, person.pk)
    return _person_page(request, plan, person, bound_line=form, status=400)


@login_required
@require_POST
def relationship_remove(
    request: HttpRequest, plan_id: int, person_id: int, relationship_id: int
) -> HttpResponse:
    """Take a line off the network picture; both people stay."""
    user = acting_user(request)
    plan = get_plan_for_user(user, plan_id, write=True)
    person = _person_of(plan, person_id)
    relationship = _relationship_of(plan, person, relationship_id)
    try:
        services.remove_relationship(relationship, actor=user, plan=plan)
    except services.PlanError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The line has been removed."))
    return redirect("family_plans:person_edit", plan.pk, person.pk)


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
        services.invite_person(person, plan, actor=user, email=email)
    except services.PlanError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _invitation_sent(person))
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


# The link's token, once opened, lives in the recipient's session and not in the address
# bar: the steps' page has no token in its address, so neither a Referer, the browser's
# history nor a page element (the language switch's "next") can pass it on.
_INVITATION_SESSION_KEY = "family_plans_invitation"


@never_cache
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Open an invitation link (no login needed): keep its token in this browser's
    session and go on to the steps, which say when the link no longer works."""
    if services.find_invitation(token) is None:
        request.session.pop(_INVITATION_SESSION_KEY, None)
    else:
        request.session[_INVITATION_SESSION_KEY] = token
    return redirect("family_plans:invitation_steps")


@never_cache
def invitation_steps(request: HttpRequest) -> HttpResponse:
    """Accept an opened invitation, in two steps: type the e-mail address it went to and
    get a code there; then the code and a password. The page never shows the address,
    the person or the family: the link alone tells nobody anything."""
    page = "family_plans/invitation.html"
    token = request.session.get(_INVITATION_SESSION_KEY, "")
    if not token:
        return render(request, page, {"invalid": True}, status=410)
    if request.method != "POST":
        return render(request, page, {"address_form": forms.InvitationAddressForm()})
    if "code" not in request.POST:
        address_form = forms.InvitationAddressForm(request.POST)
        if not address_form.is_valid():
            return render(request, page, {"address_form": address_form}, status=400)
        try:
            services.send_invitation_code(token, email=address_form.cleaned_data["email"])
        except services.InvitationGone:
            return render(request, page, {"invalid": True}, status=410)
        except services.PlanError as exc:
            address_form.add_error("email", str(exc))
            return render(request, page, {"address_form": address_form}, status=400)
        return render(request, page, {"form": forms.InvitationForm()})
    form = forms.InvitationForm(request.POST)
    if not form.is_valid():
        return render(request, page, {"form": form}, status=400)
    try:
        user = services.accept_invitation(
            token, code=form.cleaned_data["code"], password=form.cleaned_data["password"]
        )
    except services.InvitationGone:
        return render(request, page, {"invalid": True}, status=410)
    except services.PlanError as exc:
        form.add_error(None, str(exc))
        return render(request, page, {"form": form}, status=400)
    request.session.pop(_INVITATION_SESSION_KEY, None)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("Welcome! You can now see your family plan."))
    if services.offers_second_factor(user):
        query = urlencode({"next": reverse("family_plans:list")})
        return redirect(f"{reverse('accounts:second_factor_setup')}?{query}")
    return redirect("family_plans:list")


@login_required
def emergency(request: HttpRequest) -> HttpResponse:
    """Break the glass: emergency access to a plan, with a reason, for a few hours."""
    user = acting_user(request)
    if not may_break_glass(user):
        raise Http404
    form = forms.EmergencyForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                grant = services.break_glass(
                    form.cleaned_data["plan_id"],
                    actor=user,
                    reason=form.cleaned_data["reason"],
                    reason_class=form.cleaned_data["reason_class"],
                )
            except services.EmergencyRefused as exc:
                # The same page for a plan that does not exist and one the user may not open.
                form.add_error(None, str(exc))
                status = 404
            except services.PlanError as exc:
                form.add_error(None, str(exc))
            else:
                messages.warning(
                    request,
                    _("Emergency access until %(time)s. This is logged and reported.")
                    % {"time": timezone.localtime(grant.expires_at).strftime("%H:%M")},
                )
                return redirect("family_plans:plan", grant.plan_id)
    return render(request, "family_plans/emergency.html", {"form": form}, status=status)


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
    grants = EmergencyAccess.objects.select_related("user", "organisation").order_by("-started_at")[
        :200
    ]
    return render(request, "family_plans/emergency_overview.html", {"grants": grants})
