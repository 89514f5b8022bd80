"""A municipality field people can type into: a name or a CBS code.

A region's professionals mostly need their own region's municipalities, so those are
offered as suggestions (a native ``<datalist>``, which needs no JavaScript); any other
municipality is found by typing its name. That keeps pages small: no list of all 342.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rits.regions.lookup import MunicipalityNotFound, find_municipality
from rits.regions.models import Municipality


class MunicipalityInput(forms.TextInput):
    template_name = "regions/widgets/municipality.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"autocomplete": "off", "spellcheck": "false", **(attrs or {})})
        self.options: list[str] = []

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        widget["options"] = self.options
        if self.options:
            widget["list_id"] = f"{widget['attrs'].get('id') or name}-list"
            widget["attrs"]["list"] = widget["list_id"]
        return context

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, Municipality):
            return value.name
        return super().format_value(value)  # type: ignore[no-any-return]


class MunicipalityField(forms.Field):
    """Cleans to a Municipality; the error names suggestions when the text fits
    none or several."""

    widget = MunicipalityInput

    def __init__(self, *, max_length: int = 100, **kwargs: Any) -> None:
        kwargs.setdefault(
            "help_text", _("Type a name or a CBS code; your region's municipalities are offered.")
        )
        super().__init__(**kwargs)
        self.max_length = max_length
        self.widget.attrs["maxlength"] = str(max_length)

    def offer(self, municipalities: Iterable[Municipality]) -> None:
        """Suggest these municipalities (in this order) while typing."""
        self.widget.options = [m.name for m in municipalities]  # type: ignore[attr-defined]

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int):
            found = Municipality.objects.filter(pk=value).first()
            return found.name if found else value
        return value

    def to_python(self, value: Any) -> Municipality | None:
        if isinstance(value, Municipality):
            return value
        text = (value or "").strip()
        if not text:
            return None
        if len(text) > self.max_length:
            raise forms.ValidationError(_("That is too long for the name of a municipality."))
        try:
            return find_municipality(text)
        except MunicipalityNotFound as exc:
            raise forms.ValidationError(str(exc), code="municipality") from None
