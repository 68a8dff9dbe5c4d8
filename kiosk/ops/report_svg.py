"""Inline SVG charts for the report: no scripts, no fonts or files to fetch, every text escaped. Pure.

Each function returns one ``<svg>`` element that scales with the page (``viewBox``, ``width="100%"``). Answered is
drawn in blue, not answered in amber, everywhere.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

ANSWERED = "#2f6fb3"
UNANSWERED = "#e8912d"
INK = "#1f2933"
MUTED = "#66727f"
GRID = "#e3e7ec"
TRACK = "#eef1f4"


def esc(text: object) -> str:
    """Text safe inside HTML and SVG, in element content and in quoted attributes."""
    return escape(str(text), quote=True)


def nice_ticks(top: int, most: int = 5) -> list[int]:
    """0 and round steps (1, 2, 5 x 10^n) up to at least ``top``, at most ``most`` steps."""
    if top <= 0:
        return [0, 1]
    step = 1
    for power in range(0, 12):
        for base in (1, 2, 5):
            step = base * 10**power
            if math.ceil(top / step) <= most:
                return [step * n for n in range(math.ceil(top / step) + 1)]
    return [0, top]


def _svg(width: int, height: int, title: str, body: list[str], kind: str) -> str:
    return (
        f'<svg class="chart {kind}" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{esc(title)}</title>{''.join(body)}</svg>"
    )


def columns(
    bars: Sequence[tuple[str, int, int]],
    *,
    title: str,
    width: int = 880,
    height: int = 240,
    label_every: int = 1,
) -> str:
    """Stacked columns: for each (label, asked, answered) the answered part in blue, the rest in amber on top."""
    left, right, top_pad, bottom = 44, 8, 12, 30
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    ticks = nice_ticks(max((asked for _, asked, _ in bars), default=0))
    scale = plot_h / ticks[-1]
    body: list[str] = []
    for tick in ticks:
        y = top_pad + plot_h - tick * scale
        body.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        body.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="{MUTED}">{tick}</text>'
        )
    slot = plot_w / max(len(bars), 1)
    bar_w = max(1.0, min(slot * 0.72, 48.0))
    for i, (label, asked, answered) in enumerate(bars):
        x = left + i * slot + (slot - bar_w) / 2
        base = top_pad + plot_h
        h_ans = answered * scale
        h_un = (asked - answered) * scale
        tip = f"{label}: {asked} asked, {answered} answered"
        if answered:
            body.append(
                f'<rect class="bar answered" x="{x:.1f}" y="{base - h_ans:.1f}" width="{bar_w:.1f}" '
                f'height="{h_ans:.1f}" fill="{ANSWERED}"><title>{esc(tip)}</title></rect>'
            )
        if asked - answered:
            body.append(
                f'<rect class="bar unanswered" x="{x:.1f}" y="{base - h_ans - h_un:.1f}" width="{bar_w:.1f}" '
                f'height="{h_un:.1f}" fill="{UNANSWERED}"><title>{esc(tip)}</title></rect>'
            )
        if i % label_every == 0:
            body.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{height - bottom + 16}" text-anchor="middle" font-size="11" '
                f'fill="{MUTED}">{esc(label)}</text>'
            )
    body.append(
        f'<line x1="{left}" x2="{width - right}" y1="{top_pad + plot_h}" y2="{top_pad + plot_h}" stroke="{MUTED}"/>'
    )
    return _svg(width, height, title, body, "columns")


def bars(rows: Sequence[tuple[str, int, int]], *, title: str, width: int = 420) -> str:
    """Horizontal stacked bars, one row per (label, asked, answered), the count at the end."""
    row_h, label_w, value_w = 30, 196, 44
    height = row_h * max(len(rows), 1) + 4
    plot_w = width - label_w - value_w
    most = max((asked for _, asked, _ in rows), default=1) or 1
    body: list[str] = []
    for i, (label, asked, answered) in enumerate(rows):
        y = 4 + i * row_h
        shown = label if len(label) <= 26 else label[:25] + "…"
        body.append(
            f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end" font-size="13" fill="{INK}">'
            f"<title>{esc(label)}</title>{esc(shown)}</text>"
        )
        w_ans = plot_w * answered / most
        w_un = plot_w * (asked - answered) / most
        tip = esc(f"{label}: {asked} asked, {answered} answered")
        body.append(f'<rect x="{label_w}" y="{y + 5}" width="{plot_w}" height="16" rx="3" fill="{TRACK}"/>')
        if answered:
            body.append(
                f'<rect class="bar answered" x="{label_w}" y="{y + 5}" width="{w_ans:.1f}" height="16" rx="3" '
                f'fill="{ANSWERED}"><title>{tip}</title></rect>'
            )
        if asked - answered:
            body.append(
                f'<rect class="bar unanswered" x="{label_w + w_ans:.1f}" y="{y + 5}" width="{w_un:.1f}" height="16" '
                f'rx="3" fill="{UNANSWERED}"><title>{tip}</title></rect>'
            )
        body.append(
            f'<text x="{width - value_w + 8}" y="{y + 17}" font-size="13" font-weight="600" fill="{INK}">{asked}</text>'
        )
    return _svg(width, height, title, body, "bars")


def rates(rows: Sequence[tuple[str, float, int]], *, title: str, width: int = 250) -> str:
    """Answer rate per row (label, rate 0-1, asked): a bar out of 100 %, the percentage at the end."""
    row_h, label_w, value_w = 30, 66, 78
    height = row_h * max(len(rows), 1) + 4
    plot_w = width - label_w - value_w
    body: list[str] = []
    for i, (label, rate, asked) in enumerate(rows):
        y = 4 + i * row_h
        body.append(
            f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end" font-size="12" fill="{INK}">{esc(label)}</text>'
        )
        body.append(f'<rect x="{label_w}" y="{y + 5}" width="{plot_w}" height="16" rx="3" fill="{UNANSWERED}"/>')
        body.append(
            f'<rect class="bar answered" x="{label_w}" y="{y + 5}" width="{plot_w * rate:.1f}" height="16" rx="3" '
            f'fill="{ANSWERED}"><title>{esc(f"{label}: {rate:.0%} of {asked} answered")}</title></rect>'
        )
        body.append(
            f'<text x="{width - value_w + 6}" y="{y + 17}" font-size="12" fill="{INK}">'
            f'<tspan font-weight="600">{rate:.0%}</tspan> <tspan fill="{MUTED}">of {asked}</tspan></text>'
        )
    return _svg(width, height, title, body, "rates")


def donut(rate: float, *, title: str, caption: str, size: int = 180) -> str:
    """The share answered as a ring, the percentage in the middle."""
    r, stroke = size / 2 - 14, 22
    c = size / 2
    circumference = 2 * math.pi * r
    done = circumference * max(0.0, min(1.0, rate))
    body = [
        f'<circle cx="{c}" cy="{c}" r="{r:.1f}" fill="none" stroke="{UNANSWERED}" stroke-width="{stroke}"/>',
        f'<circle class="bar answered" cx="{c}" cy="{c}" r="{r:.1f}" fill="none" stroke="{ANSWERED}" '
        f'stroke-width="{stroke}" stroke-dasharray="{done:.2f} {circumference:.2f}" '
        f'transform="rotate(-90 {c} {c})"/>',
        f'<text x="{c}" y="{c + 8}" text-anchor="middle" font-size="30" font-weight="700" fill="{INK}">'
        f"{rate:.0%}</text>",
        f'<text x="{c}" y="{c + 28}" text-anchor="middle" font-size="12" fill="{MUTED}">{esc(caption)}</text>',
    ]
    return _svg(size, size, title, body, "donut")


__all__ = ["ANSWERED", "UNANSWERED", "bars", "columns", "donut", "esc", "nice_ticks", "rates"]
