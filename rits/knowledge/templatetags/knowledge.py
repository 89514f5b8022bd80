from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def glossary(context: Any, text: str) -> SafeString:
    """``{% glossary practice.summary %}``: the text with glossary terms linked once per page."""
    linker = context.get("linker")
    if linker is None:
        return mark_safe(escape(text))
    used = context.render_context.setdefault("glossary_used", set())
    return linker.link(text, used)
