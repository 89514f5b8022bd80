"""Small numbers never show a family.

Primary suppression: a cell whose count (or, for a percentage or median, the number
it is taken over) is below the threshold is shown as "< 10". Zero is shown: it tells of
no family, and hiding it would hide every total next to a quiet month.

Secondary suppression: published cells add up. A region is the sum of its
municipalities, the country of its regions, a quarter of its months and a year of its
quarters. Wherever a total is shown, the cells hidden beneath it must not be
recoverable by subtraction: a group with hidden cells needs at least two of them,
together at least the threshold. Otherwise the smallest shown cell of the group is
hidden as well (or, with none left, the total), and the groups are checked again until
none changes: hiding a cell in one direction (an area) can open it in the other (a
period). Periods exist only on the grid of months, quarters and years, so any two
overlapping periods nest and are such a group.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import TypeVar

Cell = TypeVar("Cell", bound=Hashable)


def suppress(
    values: Mapping[Cell, int], groups: Iterable[tuple[Cell, Sequence[Cell]]], threshold: int
) -> tuple[set[Cell], set[Cell]]:
    """The cells to show as "< threshold" (small) and the cells hidden for their sake.

    ``values`` holds each cell's additive count (a missing cell counts 0, and is
    shown); ``groups`` each total with the cells that add up to it.
    """
    groups = list(groups)
    small = {cell for cell, value in values.items() if 0 < value < threshold}
    hidden: set[Cell] = set()

    def concealed(cell: Cell) -> bool:
        return cell in small or cell in hidden

    changed = True
    while changed:
        changed = False
        for total, parts in groups:
            if concealed(total):
                continue
            masked = [p for p in parts if concealed(p)]
            if not masked:
                continue
            if len(masked) >= 2 and sum(values.get(p, 0) for p in masked) >= threshold:
                continue
            shown = [p for p in parts if not concealed(p)]
            if shown:
                hidden.add(min(shown, key=lambda p: (values.get(p, 0), str(p))))
            else:
                hidden.add(total)
            changed = True
    return small, hidden
