"""The region's codebook: read by facilitators, researchers and municipality staff;
changed, exported and imported by facilitators."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from rits.accounts.auth import acting_user
from rits.accounts.models import Membership
from rits.audit.models import Entry
from rits.audit.services import record
from rits.dialogues import refi, services
from rits.dialogues.codesource import practices_for
from rits.dialogues.forms import CodeChangeForm, CodeForm, ImportForm, MergeForm
from rits.dialogues.models import Code, Theme
from rits.dialogues.permissions import FIGURE_ROLES, get_code_for_user, is_facilitator
from rits.dialogues.services import DialogueError
from rits.dialogues.views.common import form_error, home_region

Role = Membership.Role


@login_required
def codebook(request: HttpRequest) -> HttpResponse:
    """Themes and codes of the region, with what each code means and an example."""
    user = acting_user(request)
    region = home_region(user, *FIGURE_ROLES)
    may_change = is_facilitator(user, region.pk)
    form = CodeForm(request.POST or None, region_id=region.pk) if may_change else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                code = services.create_code(
                    data["theme"],
                    actor=user,
                    name=data["name"],
                    definition=data["definition"],
                    kind=data["kind"],
                    example=data["example"],
                )
            except DialogueError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("The code has been added."))
                return redirect("dialogues:code", code.pk)
    themes = Theme.objects.filter(region=region).prefetch_related(
        Prefetch("codes", queryset=Code.objects.annotate(used=Count("counted_codings")))
    )
    return render(
        request,
        "dialogues/codebook.html",
        {"region": region, "themes": themes, "form": form, "may_change": may_change},
        status=422 if form is not None and form.errors else 200,
    )


@login_required
def code_detail(request: HttpRequest, code_id: int) -> HttpResponse:
    """One code: its meaning, its history, and practices that answer it."""
    user = acting_user(request)
    code = get_code_for_user(user, code_id)
    may_change = is_facilitator(user, code.region_id) and code.is_active
    change_form = merge_form = None
    if may_change:
        change_form = CodeChangeForm(
            request.POST if request.POST.get("change") else None,
            initial={
                "name": code.name,
                "kind": code.kind,
                "definition": code.definition,
                "example": code.example,
                "version": code.version,
            },
        )
        merge_form = MergeForm(request.POST if request.POST.get("merge") else None, code=code)
    if request.method == "POST":
        if not may_change or change_form is None or merge_form is None:
            raise Http404
        try:
            if request.POST.get("retire"):
                services.retire_code(code, actor=user)
                messages.success(request, _("The code is retired. What was coded with it stays."))
                return redirect("dialogues:code", code.pk)
            if request.POST.get("merge") and merge_form.is_valid():
                services.merge_code(code, merge_form.cleaned_data["into"], actor=user)
                messages.success(
                    request, _("The codes have been merged. Nothing that was coded is lost.")
                )
                return redirect("dialogues:code", code.pk)
            if request.POST.get("change") and change_form.is_valid():
                data = change_form.cleaned_data
                services.change_code(
                    code,
                    actor=user,
                    version=data["version"],
                    name=data["name"],
                    kind=data["kind"],
                    definition=data["definition"],
                    example=data["example"],
                )
                messages.success(request, _("The code has been changed."))
                return redirect("dialogues:code", code.pk)
        except DialogueError as exc:
            form_error(merge_form if request.POST.get("merge") else change_form, exc)
    return render(
        request,
        "dialogues/code.html",
        {
            "code": code,
            "versions": code.versions.select_related("changed_by"),
            "merged_from": code.merged_from.all(),
            "practices": practices_for(code),
            "coded": code.codings.count(),
            "counted": code.counted_codings.count(),
            "change_form": change_form,
            "merge_form": merge_form,
        },
        status=422
        if (change_form and change_form.errors) or (merge_form and merge_form.errors)
        else 200,
    )


@login_required
def codebook_export(request: HttpRequest) -> HttpResponse:
    """The codebook as REFI-QDA (.qdc)."""
    user = acting_user(request)
    region = home_region(user, *FIGURE_ROLES)
    data = refi.codebook_xml(region.pk)
    record(
        user,
        "dialogues.codebook_exported",
        None,
        subject=f"codeboek:{region.pk}",
        purpose=Entry.Purpose.RESEARCH,
        object_type="dialogues.codebook",
        object_id=region.pk,
    )
    response = HttpResponse(data, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="codeboek-{region.code}.qdc"'
    return response


@login_required
def codebook_import(request: HttpRequest) -> HttpResponse:
    """Import another region's codebook (.qdc): all or nothing, with a line per problem."""
    user = acting_user(request)
    region = home_region(user, Role.FACILITATOR)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > refi.MAX_QDC_BYTES:
            errors = [_("The file is too large (more than 2 MB).")]
        else:
            try:
                added = services.import_codebook(region, actor=user, data=upload.read())
            except services.ImportRejected as exc:
                errors = exc.errors
            else:
                messages.success(request, _("%(count)d codes imported.") % {"count": added})
                return redirect("dialogues:codebook")
    return render(
        request,
        "dialogues/codebook_import.html",
        {"form": form, "errors": errors},
        status=422 if errors or form.errors else 200,
    )
