from __future__ import annotations

from django import forms
from django.http import Http404

from rits.accounts.models import User
from rits.dialogues.permissions import regions_of
from rits.dialogues.services import DialogueError
from rits.regions.models import YouthCareRegion


def home_region(user: User, *roles: str) -> YouthCareRegion:
    """The (first) region where the user holds one of ``roles``; 404 without one."""
    ids = sorted(regions_of(user, *roles))
    if not ids:
        raise Http404
    return YouthCareRegion.objects.get(pk=ids[0])


def form_error(form: forms.BaseForm, exc: DialogueError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, str(exc))
