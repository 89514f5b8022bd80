"""The plan's forms: each opens where it is needed on the plan page (HTMX) or on a
page of its own (without JavaScript), and posts to one service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from rits.family_plans import forms, reads, rules, services
from rits.family_plans.models import Action, Decision, Goal, Plan, TransitionTopic
from rits.family_plans.permissions import get_part_for_user, get_plan_for_user
from rits.family_plans.views.common import (
    acting_user,
    back_to_plan,
    plan_url,
    team_from,
    with_access,
)


def _plan_form(
    request: HttpRequest,
    plan: Plan,
    form: Any,
    *,
    action: str,
    section: str,
    heading: str,
    submit: str,
    form_id: str,
    status: int = 200,
    template: str = "family_plans/plan_form.html",
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """One form of the plan page, opened where it is needed.

    With HTMX it comes alone, in place on the plan page, and posts back with HTMX: its
    section returns on success, the form itself on refusal (its errors with 422, both
    versions after a clash with 409; ``plan.js`` lets htmx show those). Without
    JavaScript it is a page of its own that posts plainly (the plan page follows,
    Post/Redirect/Get; refused input gives 400). The first field with an error, or else
    the first field, takes the focus, so the reader lands in the form that opened.
    """
    names = [n for n in form.fields if not form.fields[n].widget.is_hidden]
    first = next((n for n in form.errors if n in names), names[0] if names else None)
    if first is not None:
        form.fields[first].widget.attrs["autofocus"] = True
    context = with_access(
        plan,
        {
            "plan": plan,
            "plan_url": plan_url(plan),
            "form": form,
            "action": action,
            "section": section,
            "heading": heading,
            "submit_label": submit,
            "form_id": form_id,
            "in_place": bool(request.htmx),  # type: ignore[attr-defined]
            **(extra or {}),
        },
    )
    if request.htmx:  # type: ignore[attr-defined]
        # 422, not 400: the input was read and refused. (In development django-htmx
        # shows a 400 answer as an error page in place of the whole document.)
        status = 422 if status == 400 else status
        response = render(request, "family_plans/plan_form.html#form", context, status=status)
        if status >= 400:
            # The form posted with its section as target; a refusal replaces the form.
            reswap(retarget(response, f"#{form_id}"), "outerHTML")
        return response
    return render(request, template, context, status=status)


def _opened(request: HttpRequest, plan: Plan, form_name: str) -> None:
    """Opening a form shows plan content (its page names the family, a select lists the
    goals or the team): audited as a read, like every view of the plan."""
    services.record_read(plan, actor=acting_user(request), data={"form": form_name})


def _add(
    request: HttpRequest,
    plan: Plan,
    form: Any,
    save: Callable[[dict[str, Any]], object],
    *,
    name: str,
    section: str,
    heading: str,
    submit: str,
    form_id: str,
) -> HttpResponse:
    """A form that adds to the plan (or scores a goal): opening it is a read, a valid
    post saves through ``save`` and returns the section, refused input shows the form."""
    status = 200
    if request.method == "POST":
        if form.is_valid():
            save(form.cleaned_data)
            return back_to_plan(request, plan, section)
        status = 400
    else:
        _opened(request, plan, name)
    return _plan_form(
        request,
        plan,
        form,
        action=request.path,
        section=section,
        heading=heading,
        submit=submit,
        form_id=form_id,
        status=status,
    )


@login_required
def goal_add(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Add a goal in the family's own words."""
    user = acting_user(request)
    plan = get_plan_for_user(user, plan_id, write=True)
    return _add(
        request,
        plan,
        forms.NewGoalForm(request.POST or None, auto_id="new-goal-%s"),
        lambda data: services.add_goal(plan, actor=user, **data),
        name="goal_add",
        section="goals",
        heading=_("Add a goal"),
        submit=_("Add goal"),
        form_id="new-goal",
    )


@login_required
def goal_score(request: HttpRequest, plan_id: int, goal_id: int) -> HttpResponse:
    """Score progress on a goal."""
    user = acting_user(request)
    plan, goal = get_part_for_user(user, Goal, plan_id, goal_id, write=True)
    form_id = f"score-{goal.pk}"
    return _add(
        request,
        plan,
        forms.ScoreForm(request.POST or None, auto_id=f"{form_id}-%s"),
        lambda data: services.score_goal(goal, actor=user, plan=plan, **data),
        name="goal_score",
        section="goals",
        heading=_("Score: %(goal)s") % {"goal": goal.title},
        submit=_("Save score"),
        form_id=form_id,
    )


_PART_SECTIONS: dict[type[Model], str] = {Goal: "goals", Action: "actions", Decision: "decisions"}


def _edit(
    request: HttpRequest,
    plan_id: int,
    part_id: int,
    model: type[Model],
    form_class: Any,
    update: Any,
    heading: str,
) -> HttpResponse:
    """Edit a versioned part; a clash shows both versions instead of overwriting.
    Readers without write access see the part (a decision to answer) but no form."""
    user = acting_user(request)
    write = request.method == "POST" or bool(request.htmx)  # type: ignore[attr-defined]
    plan, part = get_part_for_user(user, model, plan_id, part_id, write=write)
    name = model._meta.model_name
    form_id = f"{name}-{part.pk}-form"
    kwargs: dict[str, Any] = {"auto_id": f"{name}-{part.pk}-%s"}
    if form_class is forms.ActionForm:
        kwargs["plan"] = plan
    conflict = None
    status = 200
    if request.method == "POST":
        form = form_class(request.POST, instance=model._default_manager.get(pk=part.pk), **kwargs)
        status = 400
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            try:
                update(part, actor=user, plan=plan, version=form.cleaned_data["version"], **data)
            except services.StaleVersion as exc:
                conflict = exc.current
                status = 409
                form = form_class(request.POST, **kwargs)
                form.data = form.data.copy()
                form.data["version"] = str(conflict.version)  # type: ignore[attr-defined]
                form.add_error(None, str(exc))
            except services.PlanError as exc:
                form.add_error(None, str(exc))
            else:
                if request.htmx:  # type: ignore[attr-defined]
                    return back_to_plan(request, plan, _PART_SECTIONS[model])
                messages.success(request, _("Saved."))
                return redirect("family_plans:plan", plan.pk)
    else:
        services.record_read(plan, actor=user, data={"part": name, "id": part.pk})
        form = form_class(instance=part, initial={"version": part.version}, **kwargs)  # type: ignore[attr-defined]
    extra: dict[str, Any] = {"part": part, "conflict": conflict}
    if conflict is not None:
        extra["conflict_fields"] = [
            (field.label, _display(conflict, field_name))
            for field_name, field in form.fields.items()
            if field_name != "version"
        ]
    if not request.htmx:  # type: ignore[attr-defined]
        if isinstance(part, Goal):
            extra["scores"] = list(part.scores.select_related("scored_by"))
        if isinstance(part, Decision):
            extra["positions"] = list(part.positions.select_related("user"))
            extra["answer_form"] = forms.AnswerForm()
    return _plan_form(
        request,
        plan,
        form,
        action=request.path,
        section=_PART_SECTIONS[model],
        heading=heading,
        submit=_("Save"),
        form_id=form_id,
        status=status,
        template="family_plans/edit.html",
        extra=extra,
    )


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
def action_add(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Add an action: who does what by when."""
    user = acting_user(request)
    plan = get_plan_for_user(user, plan_id, write=True)
    return _add(
        request,
        plan,
        forms.NewActionForm(request.POST or None, plan=plan, auto_id="new-action-%s"),
        lambda data: services.add_action(plan, actor=user, **data),
        name="action_add",
        section="actions",
        heading=_("Add an action"),
        submit=_("Add action"),
        form_id="new-action",
    )


@login_required
def decision_add(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Record a decision and ask who must agree."""
    user = acting_user(request)
    plan = get_plan_for_user(user, plan_id, write=True)
    members, persons = reads.page_people(plan)
    team = team_from(persons, members)

    def propose(d: dict[str, Any]) -> object:
        asked = [u for u in team if str(u.pk) in d["ask"]]
        return services.propose_decision(
            plan, actor=user, title=d["title"], text=d["text"], grounds=d["grounds"], ask=asked
        )

    return _add(
        request,
        plan,
        forms.NewDecisionForm(request.POST or None, team=team, auto_id="new-decision-%s"),
        propose,
        name="decision_add",
        section="decisions",
        heading=_("Record a decision"),
        submit=_("Save decision"),
        form_id="new-decision",
    )


@login_required
@require_POST
def decision_answer(request: HttpRequest, plan_id: int, decision_id: int) -> HttpResponse:
    """Agree or disagree with a decision."""
    user = acting_user(request)
    # Answering is taking part, not editing: read access is checked here, team
    # membership in the service (so a refusal is audited).
    plan, decision = get_part_for_user(user, Decision, plan_id, decision_id, take_part=True)
    form = forms.AnswerForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("family_plans:decision_edit", plan.pk, decision.pk)
    try:
        services.answer_decision(decision, actor=user, plan=plan, **form.cleaned_data)
    except services.PlanError as exc:
        messages.error(request, str(exc))
        return redirect("family_plans:decision_edit", plan.pk, decision.pk)
    messages.success(request, _("Your answer has been saved."))
    return redirect("family_plans:plan", plan.pk)


@login_required
def evaluation_add(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Plan an evaluation moment."""
    user = acting_user(request)
    plan = get_plan_for_user(user, plan_id, write=True)
    return _add(
        request,
        plan,
        forms.EvaluationForm(request.POST or None, auto_id="new-evaluation-%s"),
        lambda data: services.plan_evaluation(plan, actor=user, **data),
        name="evaluation_add",
        section="evaluations",
        heading=_("Plan evaluation"),
        submit=_("Plan evaluation"),
        form_id="new-evaluation",
    )


@login_required
def comment_add(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Add a comment."""
    user = acting_user(request)
    plan = get_plan_for_user(user, plan_id, write=True)
    return _add(
        request,
        plan,
        forms.CommentForm(request.POST or None, auto_id="new-comment-%s"),
        lambda data: services.add_comment(plan, actor=user, text=data["text"]),
        name="comment_add",
        section="comments",
        heading=_("Place comment"),
        submit=_("Place comment"),
        form_id="new-comment",
    )


@login_required
def transition_update(request: HttpRequest, plan_id: int, topic: str = "") -> HttpResponse:
    """Update one topic of the transition to adulthood (the form: ``topic`` in the path;
    the post names it in the form)."""
    user = acting_user(request)
    plan = get_plan_for_user(user, plan_id, write=True)
    if request.method == "POST":
        form = forms.TransitionForm(request.POST)
        topic = request.POST.get("topic", "")
    else:
        if topic not in TransitionTopic.values or not rules.transition_visible(plan):
            raise Http404
        item = plan.transition_items.filter(topic=topic).first()
        form = forms.TransitionForm(
            initial={
                "topic": topic,
                "version": item.version if item else 0,
                "status": item.status if item else "todo",
                "note": item.note if item else "",
            }
        )
    form.auto_id = f"transition-{topic}-%s" if topic in TransitionTopic.values else "transition-%s"
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.update_transition(plan, actor=user, **form.cleaned_data)
            except services.StaleVersion as exc:
                # The form now starts from what is stored, so saving again is a choice.
                data = request.POST.copy()
                data["version"] = str(exc.current.version)  # type: ignore[attr-defined]
                form = forms.TransitionForm(data, auto_id=form.auto_id)
                form.is_valid()
                form.add_error(None, str(exc))
                status = 409
            except services.PlanError as exc:
                form.add_error(None, str(exc))
            else:
                return back_to_plan(request, plan, "transition")
    else:
        _opened(request, plan, "transition")
    label = TransitionTopic(topic).label if topic in TransitionTopic.values else ""
    return _plan_form(
        request,
        plan,
        form,
        action=reverse("family_plans:transition", args=[plan.pk]),
        section="transition",
        heading=str(label),
        submit=_("Save"),
        form_id=f"transition-{topic}-form",
        status=status,
    )
