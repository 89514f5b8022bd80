"""A term of the glossary used on a page links to its meaning: the first time each term
occurs in a text, it becomes a link to the term's page with its meaning as a title."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from rits.knowledge.models import GlossaryTerm


@dataclass
class Linker:
    pattern: re.Pattern[str] | None
    terms: dict[str, GlossaryTerm]

    @classmethod
    def load(cls) -> Linker:
        terms = {t.term.lower(): t for t in GlossaryTerm.objects.all()}
        if not terms:
            return cls(None, {})
        alternation = "|".join(re.escape(escape(t)) for t in sorted(terms, key=len, reverse=True))
        return cls(re.compile(rf"(?<![\w&])({alternation})(?!\w)", re.IGNORECASE), terms)

    def link(self, text: str, used: set[str] | None = None) -> SafeString:
        """The text escaped, with the first use of each term (per ``used``) linked."""
        escaped = escape(text)
        if self.pattern is None:
            return mark_safe(escaped)
        seen = used if used is not None else set()

        def replace(match: re.Match[str]) -> str:
            key = match.group(0).lower()
            term = self.terms.get(key) or self.terms.get(key.replace("&amp;", "&"))
            if term is None or key in seen:
                return match.group(0)
            seen.add(key)
            url = reverse("knowledge:term", args=[term.pk])
            return (
                f'<a class="term" href="{url}" title="{escape(term.meaning[:200])}">'
                f"{match.group(0)}</a>"
            )

        return mark_safe(self.pattern.sub(replace, escaped))
