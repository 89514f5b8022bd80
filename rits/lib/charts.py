"""Line and bar charts drawn on the server as SVG: offline, no script, no web fonts.

A chart is for those who look; the page that shows one also shows the same figures as a
table, and the SVG carries a title and a description (``role="img"``) for screen
readers. A value of ``None`` is a figure that is not shown (unknown, or suppressed
because it is too small): a line breaks there and a bar says so in words, so nothing
hidden can be read off the picture. Colours are the Okabe-Ito palette, which stays
distinguishable for the common kinds of colour blindness, and they are presentation
attributes, not inline styles, so the Content-Security-Policy needs no exception.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

PALETTE = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#000000")
GRID = "#dddddd"
TEXT = "#333333"
FONT = "system-ui, sans-serif"


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]


def nice_ceiling(value: float) -> float:
    """The smallest round number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of
    ten) that is at least ``value``: the top of an axis with four gridlines below it."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if step * power >= value:
            return step * power
    return 10 * power  # pragma: no cover - the loop always returns


def _number(value: float) -> str:
    text = f"{value:,.1f}" if value % 1 else f"{value:,.0f}"
    return text.replace(",", "\u202f").replace(".", ",")  # Dutch: 1 234,5


def _open(width: int, height: int, title: str, description: str) -> SafeString:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {} {}" '
        'width="{}" height="{}" role="img" font-family="{}" font-size="12" fill="{}">'
        "<title>{}</title><desc>{}</desc>",
        width,
        height,
        width,
        height,
        FONT,
        TEXT,
        title,
        description,
    )


def line_chart(
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    unit: str = "",
    width: int = 560,
    height: int = 240,
) -> SafeString:
    """A line per series over the ``labels`` (periods), with a y axis from zero."""
    left, right, top, bottom = 52, 32, 12, 44 + 18 * math.ceil(len(series) / 3)
    plot_w, plot_h = width - left - right, height - top - bottom
    known = [v for s in series for v in s.values if v is not None]
    ceiling = nice_ceiling(max(known, default=0))
    steps = max(len(labels) - 1, 1)

    def x(i: int) -> float:
        return left + plot_w * (i / steps if len(labels) > 1 else 0.5)

    def y(v: float) -> float:
        return top + plot_h * (1 - v / ceiling)

    parts = [_open(width, height, title, description)]
    for k in range(5):
        tick = ceiling * k / 4
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}"/>'
                '<text x="{}" y="{}" text-anchor="end" dominant-baseline="middle">{}</text>',
                left,
                width - right,
                f"{y(tick):.1f}",
                f"{y(tick):.1f}",
                GRID,
                left - 6,
                f"{y(tick):.1f}",
                _number(tick) + unit,
            )
        )
    every = max(1, math.ceil(len(labels) / 8))
    for i, label in enumerate(labels):
        if i % every == 0 or i == len(labels) - 1:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="middle">{}</text>',
                    f"{x(i):.1f}",
                    top + plot_h + 16,
                    label,
                )
            )
    for n, line in enumerate(series):
        colour = PALETTE[n % len(PALETTE)]
        runs: list[list[str]] = [[]]
        for i, value in enumerate(line.values):
            if value is None:
                runs.append([])
                continue
            runs[-1].append(f"{x(i):.1f},{y(value):.1f}")
            parts.append(
                format_html(
                    '<circle cx="{}" cy="{}" r="3" fill="{}"><title>{}: {}</title></circle>',
                    f"{x(i):.1f}",
                    f"{y(value):.1f}",
                    colour,
                    f"{line.name}, {labels[i]}",
                    _number(value) + unit,
                )
            )
        for run in runs:
            if len(run) > 1:
                parts.append(
                    format_html(
                        '<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>',
                        " ".join(run),
                        colour,
                    )
                )
        row, column = divmod(n, 3)
        lx, ly = left + column * (plot_w / 3), top + plot_h + 34 + row * 18
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="14" height="4" fill="{}"/>'
                '<text x="{}" y="{}" dominant-baseline="middle">{}</text>',
                f"{lx:.1f}",
                f"{ly - 2:.1f}",
                colour,
                f"{lx + 20:.1f}",
                f"{ly:.1f}",
                line.name,
            )
        )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(parts))


def bar_chart(
    title: str,
    description: str,
    bars: Sequence[tuple[str, float | None]],
    *,
    unit: str = "",
    hidden: str = "niet getoond",
    width: int = 560,
    highlight: str | None = None,
) -> SafeString:
    """A horizontal bar per (label, value); a value of None shows ``hidden`` in words.
    The bar whose label is ``highlight`` (the municipality itself, say) stands out."""
    row, label_w, value_w = 24, 180, 80
    height = row * len(bars) + 8
    plot_w = width - label_w - value_w
    ceiling = nice_ceiling(max((v for _, v in bars if v is not None), default=0))
    parts = [_open(width, height, title, description)]
    for i, (label, value) in enumerate(bars):
        top = 4 + i * row
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" dominant-baseline="middle">{}</text>',
                label_w - 8,
                top + row / 2,
                label,
            )
        )
        if value is None:
            shown = hidden
        else:
            shown = _number(value) + unit
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
                    label_w,
                    top + 4,
                    f"{plot_w * value / ceiling:.1f}",
                    row - 8,
                    PALETTE[1] if label == highlight else PALETTE[0],
                )
            )
        end = label_w + (plot_w * value / ceiling if value is not None else 0)
        parts.append(
            format_html(
                '<text x="{}" y="{}" dominant-baseline="middle">{}</text>',
                f"{end + 6:.1f}",
                top + row / 2,
                shown,
            )
        )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(parts))
