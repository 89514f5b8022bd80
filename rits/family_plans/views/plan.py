from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rits.accounts.models import User
from rits.family_plans import forms, services
from rits.family_plans.models import Action, Decision, Domain, Goal, Plan
from rits.family_plans.permissions import get_part_for_user, get_plan_for_user, visible_plans
from rits.family_plans.views.common import (
    acting_user,
    action_rows,
    back_to_plan,
    choice_labels,
    decision_rows,
    goal_rows,
    plan_context,
    plan_url,
    with_access,
)


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    """The plans this user may see."""
    user = acting_user(request)
    plans = visible_plans(user, "family", "youth")
    for plan in plans:
        services.record_read(plan, actor=user, event="family_plans.plan_listed")
    return render(
        request,
        "family_plans/plan_list.html",
        {
            "plans": plans,
            "may_start": user.kind == User.Kind.PROFESSIONAL
            or (user.kind == User.Kind.FAMILY and bool(services.own_plan_youths(user))),
        },
    )


@login_required
def start(request: HttpRequest) -> HttpResponse:
    """Start a family and its plan (professionals, with the family's consent; a parent
    or a youth of 16+ for their own family)."""
    user = acting_user(request)
    if user.kind == User.Kind.FAMILY:
        return _start_own(request, user)
    if user.kind != User.Kind.PROFESSIONAL:
        raise PermissionDenied
    form = forms.StartPlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            plan = services.start_plan(
                actor=user,
                family_name=d["family_name"],
                youth_name=d["youth_name"],
                youth_birth=d["youth_birth"],
                youth_bsn=d["youth_bsn"],
                parent_names=[d["parent_1"], d["parent_2"]],
                consent_in_person=d["consent_in_person"],
            )
        except services.PlanError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The plan has been started. Invite the family."))
            return redirect("family_plans:team", plan.pk)
    return render(request, "family_plans/start.html", {"form": form})


def _start_own(request: HttpRequest, user: User) -> HttpResponse:
    youths = services.own_plan_youths(user)
    if not youths:
        raise PermissionDenied
    form = forms.OwnPlanForm(request.POST or None, youths=youths)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.start_own_plan(actor=user, youth=form.cleaned_data["youth"])
        except services.PlanError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("Your plan has been started. Invite the professionals you choose.")
            )
            return redirect("family_plans:team", plan.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "family_plans/start_own.html", {"form": form}, status=status)


@login_required
def plan_page(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The family plan: goals, actions, decisions, team, evaluations, transition."""
    user = acting_user(request)
    plan = get_plan_for_user(user, plan_id)
    services.record_read(plan, actor=user)
    context = with_access(plan, plan_context(plan))
    context.update(
        goal_form=forms.NewGoalForm(),
        action_form=forms.NewActionForm(goals=context["goals"]),  # shown, never validated
        decision_form=forms.NewDecisionForm(team=context["team"]),
        evaluation_form=forms.EvaluationForm(),
        comment_form=forms.CommentForm(),
    )
    return render(request, "family_plans/plan.html", context)


def _section(
    request: HttpRequest, plan: Plan, section: str, heading: str, context: dict[str, Any]
) -> HttpResponse:
    """A full list of one plan section: its own page, or with HTMX the section itself
    (it replaces the shortened section on the plan page)."""
    services.record_read(plan, actor=acting_user(request), data={"list": section})
    context = with_access(plan, {"plan": plan, "plan_url": plan_url(plan), **context})
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, f"family_plans/plan.html#{section}", context)
    context.update(section=f"family_plans/plan.html#{section}", heading=heading)
    return render(request, "family_plans/section_list.html", context)


@login_required
def goal_list(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Every goal of the plan."""
    plan = get_plan_for_user(acting_user(request), plan_id)
    goals = goal_rows(plan, choice_labels())
    return _section(
        request,
        plan,
        "goals",
        _("Our goals"),
        {"goals": goals, "shown_goals": goals, "goal_domains": Domain.choices},
    )


@login_required
def action_list(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Every action of the plan, by due date."""
    plan = get_plan_for_user(acting_user(request), plan_id)
    names = choice_labels()
    goals = goal_rows(plan, names)
    actions = action_rows(plan, names, {g.pk: g for g in goals})
    form = forms.NewActionForm(plan=plan, goals=goals)
    return _section(
        request,
        plan,
        "actions",
        _("Who does what by when"),
        {"actions": actions, "action_form": form},
    )


@login_required
def decision_list(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Every decision of the plan, newest first, with who agreed and who did not."""
    plan = get_plan_for_user(acting_user(request), plan_id)
    team = services.team_accounts(plan)
    decisions = decision_rows(plan, choice_labels(), {u.pk: u.full_name for u in team})
    form = forms.NewDecisionForm(team=team)
    return _section(
        request,
        plan,
        "decisions",
        _("Decisions"),
        {"decisions": decisions, "decision_form": form},
    )


@login_required
def print_view(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The plan on paper (print stylesheet; the browser saves it as PDF)."""
    user = acting_user(request)
    plan = get_plan_for_user(user, plan_id)
    services.record_read(plan, actor=user, event="family_plans.plan_printed")
    context = plan_context(plan, full=True)
    return render(request, "family_plans/print.html", with_access(plan, context))


def _invalid(request: HttpRequest, plan: Plan, form: Any) -> HttpResponse:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect("family_plans:plan", plan.pk)


@login_required
@require_POST
def goal_add(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Add a goal in the family's own words."""
    user = acting_user(request)
    plan = get_plan_for_user(user, plan_id, write=True)
    form = forms.NewGoalForm(request.POST)
    if not form.is_valid():
        return _invalid(request, plan, form)
    services.add_goal(plan, actor=user, **form.cleaned_data)
    return back_to_plan(request, plan, "goals")


@login_required
@require_POST
def goal_score(request: HttpRequest, plan_id: int, goal_id: int) -> HttpResponse:
    """Score progress on a goal."""
    user = acting_user(request)
    plan, goal = get_part_for_user(user, Goal, plan_id, goal_id, write=True)
    form = forms.ScoreForm(request.POST)
    if not form.is_valid():
        return _invalid(request, plan, form)
    services.score_goal(goal, actor=user, plan=plan, **form.cleaned_data)
    return back_to_plan(request, plan, "goals")


def _edit(
    request: HttpRequest,
    plan_id: int,
    part_id: int,
    model: type[Model],
    form_class: Any,
    update: Any,
    heading: str,
) -> HttpResponse:
    """Edit a versioned part; a clash shows both versions instead of overwriting."""
    user = acting_user(request)
    write = request.method == "POST"
    plan, part = get_part_for_user(user, model, plan_id, part_id, write=write)
    kwargs: dict[str, Any] = {"plan": plan} if form_class is forms.ActionForm else {}
    conflict = None
    if write:
        form = form_class(request.POST, instance=model._default_manager.get(pk=part.pk), **kwargs)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            try:
                update(part, actor=user, plan=plan, version=form.cleaned_data["version"], **data)
            except services.StaleVersion as exc:
                conflict = exc.current
                messages.error(request, str(exc))
                form = form_class(request.POST, **kwargs)
                form.data = form.data.copy()
                form.data["version"] = str(conflict.version)  # type: ignore[attr-defined]
            except services.PlanError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Saved."))
                return redirect("family_plans:plan", plan.pk)
    else:
        services.record_read(plan, actor=user, data={"part": model._meta.model_name, "id": part.pk})
        form = form_class(instance=part, initial={"version": part.version}, **kwargs)  # type: ignore[attr-defined]
    status = 409 if conflict is not None else 200
    context = with_access(
        plan, {"plan": plan, "form": form, "part": part, "conflict": conflict, "heading": heading}
    )
    if conflict is not None:
        context["conflict_fields"] = [
            (field.label, _display(conflict, name))
            for name, field in form.fields.items()
            if name != "version"
        ]
    if isinstance(part, Goal):
        context["scores"] = list(part.scores.select_related("scored_by"))
    if isinstance(part, Decision):
        context["positions"] = list(part.positions.select_related("user"))
        context["answer_form"] = forms.AnswerForm()
        context["may_answer"] = any(p.user_id == user.pk for p in context["positions"])
    return render(request, "family_plans/edit.html", context, status=status)


def _display(obj: Model, name: str) -> Any:
    getter = getattr(obj, f"get_{name}_display", None)
    return getter() if getter else getattr(obj, name)


@login_required
def goal_edit(request: HttpRequest, plan_id: int, goal_id: int) -> HttpResponse:
    """Change a goal."""
    return _edit(
        request, plan_id, goal_id, Goal, forms.GoalForm, services.update_goal, _("Change goal")
    )


@login_required
def action_edit(request: HttpRequest, plan_id: int, action_id: int) -> HttpResponse:
    """Change an action."""
    return _edit(
        request,
        plan_id,
        action_id,
        Action,
        forms.ActionForm,
        services.update_action,
        _("Change action"),
    )


@login_required
def decision_edit(request: HttpRequest, plan_id: int, decision_id: int) -> HttpResponse:
    """A decision: change it, or agree or disagree."""
    return _edit(
        request,
        plan_id,
        decision_id,
        Decision,
        forms.DecisionForm,
        services.update_decision,
        _("Decision"),
    )


@login_required
@require_POST
def action_add(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Add an action: who does what by when."""
    user = acting_user(request)
    plan = get_plan_for_user(user, plan_id, write=True)
    form = forms.NewActionForm(request.POST, plan=plan)
    if not form.is_valid():
        return _invalid(request, plan, form)
    services.add_action(plan, actor=user, **form.cleaned_data)
    return back_to_plan(request, plan, "actions")


@login_required
@require_POST
def decision_add(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Record a decision and ask who must agree."""
    user = acting_user(request)
    plan = get_plan_for_user(user, plan_id, write=True)
    team = services.team_accounts(plan)
    form = forms.NewDecisionForm(request.POST, team=team)
    if not form.is_valid():
        return _invalid(request, plan, form)
    d = form.cleaned_data
    asked = [u for u in team if str(u.pk) in d["ask"]]
    services.propose_decision(
        plan, actor=user, title=d["title"], text=d["text"], grounds=d["grounds"], ask=asked
    )
    return back_to_plan(request, plan, "decisions")


@login_required
@require_POST
def decision_answer(request: HttpRequest, plan_id: int, decision_id: int) -> HttpResponse:
    """Agree or disagree with a decision."""
    user = acting_user(request)
    # Answering is taking part, not editing: read access is checked here, team
    # membership in the service (so a refusal is audited).
    plan, decision = get_part_for_user(user, Decision, plan_id, decision_id)
    if not plan.is_active:
        raise PermissionDenied(_("This plan is closed. It can no longer be changed."))
    form = forms.AnswerForm(request.POST)
    if not form.is_valid():
        return _invalid(request, plan, form)
    try:
        services.answer_decision(decision, actor=user, plan=plan, **form.cleaned_data)
    except services.PlanError as exc:
        messages.error(request, str(exc))
        return redirect("family_plans:decision_edit", plan.pk, decision.pk)
    messages.success(request, _("Your answer has been saved."))
    return redirect("family_plans:plan", plan.pk)


@login_required
@require_POST
def evaluation_add(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Plan an evaluation moment."""
    user = acting_user(request)
    plan = get_plan_for_user(user, plan_id, write=True)
    form = forms.EvaluationForm(request.POST)
    if not form.is_valid():
        return _invalid(request, plan, form)
    services.plan_evaluation(plan, actor=user, **form.cleaned_data)
    return back_to_plan(request, plan)


@login_required
@require_POST
def comment_add(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Add a comment."""
    user = acting_user(request)
    plan = get_plan_for_user(user, plan_id, write=True)
    form = forms.CommentForm(request.POST)
    if not form.is_valid():
        return _invalid(request, plan, form)
    services.add_comment(plan, actor=user, text=form.cleaned_data["text"])
    return back_to_plan(request, plan)


@login_required
@require_POST
def transition_update(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Update one topic of the transition to adulthood."""
    user = acting_user(request)
    plan = get_plan_for_user(user, plan_id, write=True)
    form = forms.TransitionForm(request.POST)
    if not form.is_valid():
        return _invalid(request, plan, form)
    try:
        services.update_transition(plan, actor=user, **form.cleaned_data)
    except services.PlanError as exc:
        messages.error(request, str(exc))
    return redirect("family_plans:plan", plan.pk)


@login_required
def close(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Close the plan with a reason and an outcome per goal."""
    user = acting_user(request)
    plan = get_plan_for_user(user, plan_id, write=request.method == "POST")
    goals = list(plan.goals.all())
    form = forms.CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcomes = {
            g.pk: (
                request.POST.get(f"status_{g.pk}", g.status),
                request.POST.get(f"outcome_{g.pk}", ""),
            )
            for g in goals
        }
        valid = {s for s, _label in Goal.Status.choices}
        if any(s not in valid for s, _o in outcomes.values()):
            raise Http404
        try:
            services.close_plan(
                plan, actor=user, reason=form.cleaned_data["reason"], outcomes=outcomes
            )
        except services.PlanError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The plan is closed."))
            return redirect("family_plans:plan", plan.pk)
    elif request.method != "POST":
        services.record_read(plan, actor=user)
    return render(
        request,
        "family_plans/close.html",
        with_access(
            plan,
            {
                "plan": plan,
                "form": form,
                "goals": goals,
                "statuses": Goal.Status.choices[1:],
            },
        ),
    )
