"""Agreement between two coders per code (Cohen's kappa), so a region sees which codes
are understood alike.

For one code, every finding both coders coded is a yes/no for each coder: did they give
this code? Kappa = (p_o - p_e) / (1 - p_e), with p_o the share of findings on which they
agree and p_e the agreement expected by chance from each coder's own share of yes.
Written out here (a few lines) rather than pulling in a statistics library for one formula.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rits.dialogues.models import Code, Coding


@dataclass(frozen=True)
class Agreement:
    code: Code
    findings: int
    both: int
    only_first: int
    only_second: int
    kappa: float | None  # None: undefined (both coders always or never gave the code)


def cohens_kappa(first: list[bool], second: list[bool]) -> float | None:
    n = len(first)
    if n == 0 or n != len(second):
        return None
    agree = sum(a == b for a, b in zip(first, second, strict=True)) / n
    p1, p2 = sum(first) / n, sum(second) / n
    chance = p1 * p2 + (1 - p1) * (1 - p2)
    if chance == 1:
        return None
    return (agree - chance) / (1 - chance)


def agreement(codings: Iterable[Coding]) -> list[Agreement]:
    """Per code, over the findings that have codings from both rounds."""
    first: dict[int, set[int]] = defaultdict(set)
    second: dict[int, set[int]] = defaultdict(set)
    codes: dict[int, Code] = {}
    for coding in codings:
        rounds = first if coding.round == Coding.Round.FIRST else second
        rounds[coding.finding_id].add(coding.counted_code_id)
        codes[coding.counted_code_id] = coding.counted_code
    findings = sorted(set(first) & set(second))
    result = []
    for code_id, code in sorted(codes.items(), key=lambda item: item[1].name):
        a = [code_id in first[f] for f in findings]
        b = [code_id in second[f] for f in findings]
        result.append(
            Agreement(
                code=code,
                findings=len(findings),
                both=sum(x and y for x, y in zip(a, b, strict=True)),
                only_first=sum(x and not y for x, y in zip(a, b, strict=True)),
                only_second=sum(y and not x for x, y in zip(a, b, strict=True)),
                kappa=cohens_kappa(a, b),
            )
        )
    return result
