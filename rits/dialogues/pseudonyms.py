"""Taking the people out of a trajectory's text before anyone but the facilitator reads it.

Names are known from the plan (or typed by the facilitator for a trajectory entered by
hand) and kept only as keyed marks of their lower-case words: a word of the text whose
mark is known is replaced by the role it belongs to ("ouder", "jongere (15)",
"hulpverlener gebiedsteam"). Patterns catch what no list can: BSNs, postcodes, street
addresses, e-mail addresses, phone numbers and dates (a date of birth is one).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from django.utils.crypto import salted_hmac

WORD = re.compile(r"[^\W\d_]{2,}(?:['\u2019-][^\W\d_]+)*", re.UNICODE)
PARTS = re.compile(r"(['\u2019-])")
_MONTHS = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
    "|jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec"
)
PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[e-mailadres]"),
    (re.compile(r"\b\d{4}\s?[A-Za-z]{2}\b(?=\W|$)"), "[postcode]"),
    (
        re.compile(
            r"\b[A-Z][\w'-]*(?:straat|weg|laan|plein|singel|gracht|dreef|hof|pad|kade|steeg|"
            r"markt|park|dijk|baan|veld|ring|allee)\s+\d+\s?[a-zA-Z]?\b"
        ),
        "[adres]",
    ),
    (re.compile(r"\b\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}\b"), "[datum]"),
    (re.compile(r"\b\d{4}-\d{2}-\d{2}\b"), "[datum]"),
    (re.compile(rf"\b\d{{1,2}}\s+(?:{_MONTHS})\.?\s+\d{{4}}\b", re.IGNORECASE), "[datum]"),
    (re.compile(r"(?<!\d)\d{4}[ .]?\d{2}[ .]?\d{3}(?!\d)"), "[nummer]"),  # BSN, 9 digits
    (re.compile(r"(?<!\w)(?:\+31|0)[\s-]?\d(?:[\s-]?\d){7,9}(?!\d)"), "[telefoon]"),
)


def mark(word: str) -> str:
    return salted_hmac("rits-dialogue-name", word.casefold(), algorithm="sha256").hexdigest()[:24]


def marks_for(names: Iterable[tuple[str, str]]) -> dict[str, str]:
    """``(name, label)`` pairs as the keyed marks of the name's words."""
    marks: dict[str, str] = {}
    for name, label in names:
        for word in WORD.findall(name or ""):
            marks.setdefault(mark(word), label)
            # "Vos-Pauwels": also each part, which the text may use alone.
            for part in PARTS.split(word):
                if len(part) >= 2:
                    marks.setdefault(mark(part), label)
    return marks


def scrub(text: str, marks: Mapping[str, str]) -> str:
    """``text`` with every known name replaced by its role and every pattern by its kind."""
    for pattern, replacement in PATTERNS:
        text = pattern.sub(replacement, text)

    def replace(m: re.Match[str]) -> str:
        word = m.group()
        known = marks.get(mark(word))
        if known is not None:
            return known
        parts = PARTS.split(word)
        if len(parts) == 1:
            return word
        return "".join(marks.get(mark(p), p) if i % 2 == 0 else p for i, p in enumerate(parts))

    # A role already in the text ("jongere (15)") is left as it is, so that scrubbing
    # twice changes nothing, even where a surname is also a word of a role.
    labels = sorted(set(marks.values()), key=len, reverse=True)
    if labels:
        protected = re.compile("(" + "|".join(re.escape(label) for label in labels) + ")")
        parts = protected.split(text)
        text = "".join(p if i % 2 else WORD.sub(replace, p) for i, p in enumerate(parts))
    else:
        text = WORD.sub(replace, text)
    # "Jesse Jansen" became "jongere (15) jongere (15)": one role is enough.
    for label in set(marks.values()):
        doubled = re.compile(rf"({re.escape(label)})(?:\s+{re.escape(label)})+")
        text = doubled.sub(r"\1", text)
    return text
