"""The pages of one table's flow: propose or enter a trajectory, consent, open, invite,
prepare and release the account, record findings, second coding, actions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rits.accounts.auth import acting_user
from rits.accounts.models import Membership
from rits.dialogues import exports, services
from rits.dialogues.forms import (
    AccountForm,
    ActionForm,
    ActionUpdateForm,
    AnswerForm,
    ConsentForm,
    FindingForm,
    HeldForm,
    InviteForm,
    ProposeForm,
    SecondCodingForm,
    TableForm,
    TrajectoryForm,
)
from rits.dialogues.models import Account, Coding, Finding, Participant, Trajectory
from rits.dialogues.permissions import (
    actions_visible_to,
    get_action_for_user,
    get_managed_table,
    get_table_for_user,
    get_trajectory_for_consent,
    is_facilitator,
    regions_of,
    tables_visible_to,
    trajectories_for_facilitator,
)
from rits.dialogues.services import DialogueError
from rits.dialogues.views.common import form_error, home_region
from rits.family_plans.models import Person, Plan
from rits.family_plans.permissions import get_plan_for_user

Role = Membership.Role


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """My tables, my improvement actions, and (for facilitators) trajectories waiting."""
    user = acting_user(request)
    tables = tables_visible_to(user).select_related("municipality").order_by("-created_at")[:100]
    actions = (
        actions_visible_to(user)
        .filter(owner=user)
        .exclude(status__in=("done", "dropped"))
        .select_related("owner_organisation")
    )
    facilitator = bool(regions_of(user, Role.FACILITATOR))
    waiting = (
        trajectories_for_facilitator(user)
        .prefetch_related("consents")
        .order_by("-created_at")[:100]
        if facilitator
        else []
    )
    for trajectory in waiting:
        trajectory.consent_ok = services.consent_complete(trajectory)  # type: ignore[attr-defined]
    return render(
        request,
        "dialogues/overview.html",
        {
            "tables": tables,
            "actions": actions,
            "waiting": waiting,
            "facilitator": facilitator,
            "figures": bool(
                regions_of(user, Role.FACILITATOR, Role.RESEARCHER, Role.MUNICIPALITY_STAFF)
            ),
        },
    )


@login_required
def propose(request: HttpRequest) -> HttpResponse:
    """A member of a closed plan's care team proposes it for a dialogue table."""
    user = acting_user(request)
    closed = (
        Plan.objects.visible_to(user).filter(status=Plan.Status.CLOSED).select_related("family")
    )
    choices = [(p.pk, f"{p} ({p.closed_at:%d-%m-%Y})" if p.closed_at else str(p)) for p in closed]
    form = ProposeForm(request.POST or None, plans=choices)
    if request.method == "POST" and form.is_valid():
        plan = get_plan_for_user(user, form.cleaned_data["plan"])
        try:
            trajectory = services.propose_plan(plan, actor=user, title=form.cleaned_data["title"])
        except DialogueError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Proposed. The family is asked for consent first."))
            del trajectory
            return redirect("dialogues:overview")
    return render(
        request, "dialogues/propose.html", {"form": form}, status=422 if form.errors else 200
    )


@login_required
def trajectory_new(request: HttpRequest) -> HttpResponse:
    """The facilitator enters help given outside Rits."""
    user = acting_user(request)
    region = home_region(user, Role.FACILITATOR)
    form = TrajectoryForm(request.POST or None, region_id=region.pk)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            trajectory = services.enter_trajectory(
                region,
                actor=user,
                title=data["title"],
                summary=data["summary"],
                youth_age=data["youth_age"],
                names=data["names"],
                municipality=data["municipality"],
                started_on=data["started_on"],
                ended_on=data["ended_on"],
            )
        except DialogueError as exc:
            form_error(form, exc)
        else:
            return redirect("dialogues:consent", trajectory.pk)
    return render(
        request, "dialogues/trajectory_new.html", {"form": form}, status=422 if form.errors else 200
    )


@login_required
def consent(request: HttpRequest, trajectory_id: int) -> HttpResponse:
    """The family decides whether their help is looked back on at a table."""
    user = acting_user(request)
    trajectory, person = get_trajectory_for_consent(user, trajectory_id)
    form = ConsentForm(request.POST or None) if person is None else None
    if request.method == "POST":
        try:
            if request.POST.get("withdraw"):
                services.withdraw_consent(trajectory, actor=user, person=person)
                messages.success(request, _("Your consent has been withdrawn."))
            elif person is not None:
                services.give_consent(trajectory, actor=user, person=person)
                messages.success(request, _("Thank you. Your consent has been recorded."))
            elif form is not None and form.is_valid():
                services.give_consent(
                    trajectory, actor=user, person=None, giver=form.cleaned_data["giver"]
                )
                messages.success(request, _("The consent has been recorded."))
            else:
                return render(
                    request,
                    "dialogues/consent.html",
                    _consent_context(trajectory, person, form),
                    status=422,
                )
        except DialogueError as exc:
            messages.error(request, str(exc))
        return redirect("dialogues:consent", trajectory.pk)
    services.record_read(user, "dialogues.consent_viewed", trajectory)
    return render(request, "dialogues/consent.html", _consent_context(trajectory, person, form))


def _consent_context(
    trajectory: Trajectory, person: Person | None, form: object
) -> dict[str, object]:
    mine = trajectory.consents.filter(withdrawn_at__isnull=True)
    return {
        "trajectory": trajectory,
        "person": person,
        "form": form,
        "given": mine.filter(person=person).exists() if person is not None else False,
        "consents": trajectory.consents.all(),
        "missing": services.missing_consent(trajectory),
        "complete": services.consent_complete(trajectory),
    }


@login_required
def table_new(request: HttpRequest) -> HttpResponse:
    """The facilitator opens a table on one trajectory (case) or several (cross-case)."""
    user = acting_user(request)
    region = home_region(user, Role.FACILITATOR)
    trajectories = trajectories_for_facilitator(user).filter(region=region)
    form = TableForm(request.POST or None, trajectories=trajectories)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            table = services.open_table(
                region,
                actor=user,
                kind=data["kind"],
                title=data["title"],
                theme=data["theme"],
                trajectories=list(data["trajectories"]),
                starts_at=data["starts_at"],
                location=data["location"],
            )
        except DialogueError as exc:
            form_error(form, exc)
        else:
            return redirect("dialogues:table", table.pk)
    return render(
        request, "dialogues/table_new.html", {"form": form}, status=422 if form.errors else 200
    )


@login_required
def table_detail(request: HttpRequest, table_id: int) -> HttpResponse:
    """The table: when and where, who comes, the account once released, the findings."""
    user = acting_user(request)
    seat = get_table_for_user(user, table_id)
    table = seat.table
    account = Account.objects.filter(table=table).first()
    withdrawn = table.trajectories.filter(withdrawn_at__isnull=False).exists()
    first_codes = Prefetch(
        "codings",
        queryset=Coding.objects.filter(round=Coding.Round.FIRST).select_related(
            "counted_code", "code"
        ),
    )
    findings = (
        table.findings.prefetch_related(first_codes, "actions")
        if seat.may_record or seat.facilitator
        else table.findings.none()
    )
    own_seats = Participant.objects.filter(table=table, user=user)
    services.record_read(user, "dialogues.table_viewed", table)
    return render(
        request,
        "dialogues/table.html",
        {
            "table": table,
            "seat": seat,
            "account": account if (seat.sees_account and not withdrawn) else None,
            "draft": account is not None and not account.is_released,
            "withdrawn": withdrawn,
            "participants": table.participants.select_related("user") if seat.facilitator else None,
            "own_seats": own_seats,
            "findings": findings,
            "second": table.findings.all() if seat.may_second_code else None,
            "trajectories": table.trajectories.all() if seat.facilitator else None,
            "invite_form": InviteForm() if seat.facilitator else None,
            "answer_form": AnswerForm(),
            "finding_form": FindingForm(region_id=table.region_id) if seat.may_record else None,
            "held_form": HeldForm() if seat.facilitator else None,
            "account_form": (
                AccountForm(initial={"text": account.text, "version": account.version})
                if seat.facilitator and account is not None
                else None
            ),
        },
    )


@login_required
@require_POST
def table_invite(request: HttpRequest, table_id: int) -> HttpResponse:
    """Invite someone to the table."""
    user = acting_user(request)
    table = get_managed_table(user, table_id)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            services.invite(
                table,
                actor=user,
                user=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                label=form.cleaned_data["label"],
            )
        except DialogueError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Invited. They have been sent the meeting."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("dialogues:table", table.pk)


@login_required
@require_POST
def table_answer(request: HttpRequest, table_id: int) -> HttpResponse:
    """Answer an invitation: I will come, or not."""
    user = acting_user(request)
    seat = get_table_for_user(user, table_id)
    form = AnswerForm(request.POST)
    participant = Participant.objects.filter(table=seat.table, user=user).order_by("pk").first()
    if participant is None:
        raise Http404
    if form.is_valid():
        services.answer_invitation(participant, actor=user, answer=form.cleaned_data["answer"])
        messages.success(request, _("Thank you for your answer."))
    else:
        messages.error(request, _("Choose an answer."))
    if form.is_valid() and form.cleaned_data["answer"] == Participant.Answer.DECLINED:
        return redirect("dialogues:overview")
    return redirect("dialogues:table", seat.table.pk)


@login_required
def table_account(request: HttpRequest, table_id: int) -> HttpResponse:
    """The facilitator prepares, edits and releases the account."""
    user = acting_user(request)
    table = get_managed_table(user, table_id)
    if request.method != "POST":
        return redirect("dialogues:table", table.pk)
    try:
        if request.POST.get("prepare"):
            services.prepare_account(table, actor=user)
            messages.success(request, _("The account is ready. Read it and change what is needed."))
        else:
            account = Account.objects.filter(table=table).first()
            if account is None:
                raise DialogueError(_("Prepare the account first."))
            if request.POST.get("release"):
                services.release_account(account, actor=user)
                messages.success(request, _("The account is shared with the table."))
            else:
                form = AccountForm(request.POST)
                if not form.is_valid():
                    raise DialogueError(
                        " ".join(str(e) for errs in form.errors.values() for e in errs)
                    )
                services.edit_account(
                    account,
                    actor=user,
                    text=form.cleaned_data["text"],
                    version=form.cleaned_data["version"],
                )
                messages.success(request, _("The account has been saved."))
    except DialogueError as exc:
        messages.error(request, str(exc))
    return redirect("dialogues:table", table.pk)


@login_required
@require_POST
def table_held(request: HttpRequest, table_id: int) -> HttpResponse:
    """Mark the table as held."""
    user = acting_user(request)
    table = get_managed_table(user, table_id)
    form = HeldForm(request.POST)
    if form.is_valid():
        try:
            services.mark_held(table, actor=user, held_on=form.cleaned_data["held_on"])
        except DialogueError as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, _("Enter the date the table was held."))
    return redirect("dialogues:table", table.pk)


@login_required
def table_findings(request: HttpRequest, table_id: int) -> HttpResponse:
    """The chair records a finding with its phase, whose view, and codes."""
    user = acting_user(request)
    seat = get_table_for_user(user, table_id)
    if not seat.may_record:
        raise Http404
    form = FindingForm(request.POST or None, region_id=seat.table.region_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            finding = services.record_finding(
                seat.table,
                actor=user,
                text=data["text"],
                phase=data["phase"],
                view=data["view"],
                codes=list(data["codes"]),
            )
        except DialogueError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("The finding has been recorded."))
            if finding.codings.filter(counted_code__kind="improvement").exists():
                return redirect("dialogues:action_new", finding.pk)
            return redirect("dialogues:table", seat.table.pk)
    return render(
        request,
        "dialogues/finding_form.html",
        {"form": form, "table": seat.table},
        status=422 if form.errors else 200,
    )


@login_required
def table_ics(request: HttpRequest, table_id: int) -> HttpResponse:
    """The meeting as a calendar file."""
    user = acting_user(request)
    seat = get_table_for_user(user, table_id)
    if seat.table.starts_at is None:
        raise Http404
    response = HttpResponse(
        exports.table_ics(seat.table), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="dialoogtafel.ics"'
    return response


def _finding_for(user: object, finding_id: int) -> Finding:
    finding = Finding.objects.select_related("table").filter(pk=finding_id).first()
    if finding is None:
        raise Http404
    return finding


@login_required
def finding_second_coding(request: HttpRequest, finding_id: int) -> HttpResponse:
    """The second coder codes a finding blind: the first coder's codes are not shown."""
    user = acting_user(request)
    finding = _finding_for(user, finding_id)
    seat = get_table_for_user(user, finding.table_id)
    if not seat.may_second_code:
        raise Http404
    own = finding.codings.filter(round=Coding.Round.SECOND).values_list(
        "counted_code_id", flat=True
    )
    form = SecondCodingForm(
        request.POST or None, region_id=seat.table.region_id, initial={"codes": list(own)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.second_coding(finding, actor=user, codes=list(form.cleaned_data["codes"]))
        except DialogueError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Your codes have been saved."))
            return redirect("dialogues:table", seat.table.pk)
    return render(
        request,
        "dialogues/second_coding.html",
        {"form": form, "finding": finding, "table": seat.table},
        status=422 if form.errors else 200,
    )


@login_required
def action_new(request: HttpRequest, finding_id: int) -> HttpResponse:
    """An improvement finding becomes an action with an owner and a due date."""
    user = acting_user(request)
    finding = _finding_for(user, finding_id)
    seat = get_table_for_user(user, finding.table_id)
    if not seat.may_record:
        raise Http404
    form = ActionForm(request.POST or None, region_id=seat.table.region_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            action = services.create_action(
                finding,
                actor=user,
                what=data["what"],
                owner_organisation=data["owner_organisation"],
                owner=data["owner"],
                due_date=data["due_date"],
            )
        except DialogueError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("The action has been created. The owner has been told."))
            return redirect("dialogues:action", action.pk)
    return render(
        request,
        "dialogues/action_new.html",
        {"form": form, "finding": finding, "table": seat.table},
        status=422 if form.errors else 200,
    )


@login_required
def action_detail(request: HttpRequest, improvement_id: int) -> HttpResponse:
    """An improvement action with its history; its owner updates and closes it."""
    user = acting_user(request)
    action = get_action_for_user(user, improvement_id)
    may_update = action.may_update(user) and not action.is_closed
    form = (
        ActionUpdateForm(request.POST or None, initial={"status": action.status})
        if may_update
        else None
    )
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                services.update_action(
                    action,
                    actor=user,
                    status=form.cleaned_data["status"],
                    note=form.cleaned_data["note"],
                    result=form.cleaned_data["result"],
                )
            except DialogueError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("The action has been updated."))
                return redirect("dialogues:action", action.pk)
    services.record_read(user, "dialogues.table_viewed", action.finding.table, action=action.pk)
    return render(
        request,
        "dialogues/action.html",
        {
            "action": action,
            "history": action.history.select_related("changed_by"),
            "form": form,
            "facilitator": is_facilitator(user, action.region_id),
        },
        status=422 if form is not None and form.errors else 200,
    )
