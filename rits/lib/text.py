"""Free text that people type, on a page or through the API: one rule for all of it.

- Lengths are set once, on the model field (``max_length``, also on a ``TextField``);
  forms and API schemas take them from there (``limit``), so both refuse the same text.
- Control characters (NUL, escape sequences, bell, the C1 range...) are refused
  everywhere: they are never meant, a database may refuse them (PostgreSQL refuses
  NUL), and they can hide or disguise text in a page, a CSV or a terminal. Long text
  keeps line breaks and tabs; a single line keeps neither.

Forms take the validators through ``TextForm``/``TextModelForm`` (every ``CharField``,
a ``Textarea`` counting as long text); schemas through the ``Line`` and ``Text`` types.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated, Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.translation import gettext_lazy as _
from pydantic import AfterValidator, Field

# What long text may hold besides printable characters.
LONG_TEXT_ALLOWED = frozenset("\n\r\t")


def first_control_character(value: str, *, multiline: bool) -> str | None:
    """The first control character in ``value`` that is not allowed, or None."""
    for char in value:
        if unicodedata.category(char) == "Cc" and not (multiline and char in LONG_TEXT_ALLOWED):
            return char
    return None


def _message(char: str) -> str:
    return str(
        _("This text contains a character that is not allowed (U+%(code)04X).")
        % {"code": ord(char)}
    )


def validate_line(value: str) -> None:
    """Django validator for a single line of text."""
    char = first_control_character(value, multiline=False)
    if char is not None:
        raise ValidationError(_message(char), code="control_character")


def validate_text(value: str) -> None:
    """Django validator for long text: line breaks and tabs are allowed."""
    char = first_control_character(value, multiline=True)
    if char is not None:
        raise ValidationError(_message(char), code="control_character")


def _check(multiline: bool) -> Any:
    def check(value: str) -> str:
        char = first_control_character(value, multiline=multiline)
        if char is not None:
            raise ValueError(_message(char))
        return value

    return check


# API input types: a single line, and long text.
Line = Annotated[str, AfterValidator(_check(False))]
Text = Annotated[str, AfterValidator(_check(True))]


def limit(model: type[Model], name: str) -> int:
    """The model field's ``max_length``: the one place a text's limit is set."""
    length = getattr(model._meta.get_field(name), "max_length", None)
    if length is None:
        raise ValueError(f"{model.__name__}.{name} has no max_length.")
    return int(length)


def model_field(model: type[Model], name: str, **kwargs: Any) -> Any:
    """An API schema ``Field`` with the model field's limit, e.g.
    ``title: Line = model_field(Goal, "title", min_length=1)``."""
    return Field(max_length=limit(model, name), **kwargs)


def omittable(**kwargs: Any) -> Any:
    """A field a PATCH may leave out, but not set to null: left out it stays unset
    (``exclude_unset``), and null fails the field's own type. The schema shows no
    ``null`` default."""
    return Field(None, json_schema_extra=_drop_default, **kwargs)


def _drop_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def form_field(model: type[Model], name: str, **kwargs: Any) -> forms.Field:
    """The model field's own form field (label, limit, required), for plain forms."""
    field = model._meta.get_field(name).formfield(**kwargs)  # type: ignore[union-attr]
    assert field is not None
    return field


def _guard(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        if not isinstance(field, forms.CharField):
            continue
        long_text = isinstance(field.widget, forms.Textarea)
        validator = validate_text if long_text else validate_line
        if validator not in field.validators:
            field.validators.append(validator)


class TextForm(forms.Form):
    """A form whose text fields refuse control characters (see the module docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _guard(self)


class TextModelForm(forms.ModelForm):
    """``TextForm`` for model forms."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _guard(self)
