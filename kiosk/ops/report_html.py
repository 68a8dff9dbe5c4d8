"""``kiosk report``'s page: one self-contained HTML file a curator opens in a browser. Pure.

Inline CSS and inline SVG (:mod:`kiosk.ops.report_svg`); no JavaScript, no fonts, images or styles fetched, so it
works opened from a USB stick on a computer without network. Every text that came from a visitor or from the pack
is escaped, and the page's Content-Security-Policy forbids scripts besides, so a question typed as
``<script>...`` is shown as those characters and can never run.
"""

from __future__ import annotations

import math
from datetime import datetime

from kiosk.ops.report_data import Percentiles, ReportFacts
from kiosk.ops.report_svg import ANSWERED, UNANSWERED, bars, columns, donut, esc, rates

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

STYLE = """
*{box-sizing:border-box}
body{margin:0;background:#f3f5f8;color:#1f2933;font:15px/1.45 system-ui,"Segoe UI",Roboto,"Helvetica Neue",Arial,
"Noto Sans CJK SC","Noto Sans CJK KR","Microsoft YaHei","Malgun Gothic",sans-serif}
main{max-width:980px;margin:0 auto;padding:28px 24px 40px}
header.top{display:flex;justify-content:space-between;align-items:flex-end;gap:24px;padding-bottom:18px;
border-bottom:3px solid #2f6fb3;margin-bottom:22px}
.eyebrow{margin:0;color:#66727f;font-size:13px;letter-spacing:.06em;text-transform:uppercase}
h1{margin:4px 0 2px;font-size:30px;line-height:1.15}
.where{margin:0;color:#3e4c59;font-size:16px}
.period{text-align:right;color:#3e4c59;font-size:14px}
.period strong{color:#1f2933;font-size:17px}
.cards{display:grid;grid-template-columns:repeat(4,1fr);gap:14px;margin-bottom:18px}
.card{background:#fff;border-radius:10px;padding:14px 16px;box-shadow:0 1px 2px rgba(31,41,51,.08)}
.card .label{color:#66727f;font-size:13px}
.card .value{font-size:30px;font-weight:700;line-height:1.2}
.card .sub{color:#66727f;font-size:13px}
.panel{background:#fff;border-radius:10px;padding:16px 18px 14px;margin-bottom:18px;
box-shadow:0 1px 2px rgba(31,41,51,.08)}
.panel h2{margin:0 0 2px;font-size:18px}
.panel .hint{margin:0 0 10px;color:#66727f;font-size:13px}
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:18px}
.grid2 .panel{margin-bottom:18px}
.legend{display:flex;gap:16px;font-size:13px;color:#3e4c59;margin:0 0 6px}
.legend i{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:5px;vertical-align:-1px}
.rate{display:flex;align-items:center;gap:18px}
.rate svg.donut{width:150px;flex:none}
.rate svg.rates{flex:1}
svg.chart{display:block;height:auto}
table{width:100%;border-collapse:collapse;font-size:14px}
th{text-align:left;color:#66727f;font-weight:600;font-size:12px;text-transform:uppercase;letter-spacing:.04em;
border-bottom:1px solid #d9dee4;padding:6px 8px}
td{border-bottom:1px solid #eef1f4;padding:7px 8px;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.count{font-weight:700;font-size:16px;text-align:right;width:52px}
.q{font-weight:600}
.also{color:#66727f;font-size:13px;margin-top:2px}
.tag{display:inline-block;background:#fdf0e1;color:#8a4b0f;border-radius:4px;padding:1px 7px;font-size:12px;
white-space:nowrap}
.empty{color:#66727f;font-style:italic;margin:8px 0}
.none{background:#fff;border-radius:10px;padding:40px 24px;text-align:center;font-size:18px;color:#3e4c59}
footer{color:#66727f;font-size:12.5px;line-height:1.5;border-top:1px solid #d9dee4;padding-top:12px}
footer p{margin:0 0 6px}
@media print{body{background:#fff}.panel,.card{box-shadow:none;border:1px solid #d9dee4}}
"""


def day_text(when: datetime) -> str:
    """``10 Mar 2025``."""
    return f"{when.day} {when:%b %Y}"


def render_report(facts: ReportFacts, *, retention_days: int | None = None, log_questions: bool = True) -> str:
    """The whole page for these figures."""
    zone = facts.zone
    where = " · ".join(esc(part) for part in (f"Kiosk {facts.kiosk}", facts.location) if part)
    generated = facts.generated.astimezone(zone)
    head = (
        '<header class="top"><div><p class="eyebrow">Docent · what visitors asked</p>'
        f'<h1>{esc(facts.venue)}</h1><p class="where">{where}</p></div>'
        f'<div class="period"><strong>{esc(_period(facts))}</strong><br>'
        f"Made {esc(day_text(generated))}, {generated:%H:%M} ({esc(facts.timezone)})</div></header>"
    )
    if not facts.asked:
        body = f'<div class="none" id="no-questions">{esc(_nothing(facts))}</div>'
    else:
        body = "".join(
            (
                _cards(facts),
                _hours(facts),
                _days(facts),
                '<div class="grid2">',
                _exhibits(facts),
                _languages(facts),
                "</div>",
                '<div class="grid2">',
                _rate(facts),
                _latency(facts),
                "</div>",
                _groups(facts),
            )
        )
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        '<meta name="generator" content="Docent kiosk report">'
        f"<title>What visitors asked · {esc(facts.venue)}</title><style>{STYLE}</style></head>\n"
        f"<body><main>{head}{body}{_footer(facts, retention_days, log_questions)}</main></body></html>\n"
    )


def _period(facts: ReportFacts) -> str:
    if facts.since is not None:
        return f"Since {day_text(facts.since.astimezone(facts.zone))}"
    if facts.first is None or facts.last is None:
        return "Everything recorded"
    first, last = facts.first.astimezone(facts.zone), facts.last.astimezone(facts.zone)
    return day_text(first) if first.date() == last.date() else f"{day_text(first)} – {day_text(last)}"


def _nothing(facts: ReportFacts) -> str:
    if facts.since is not None:
        return f"No questions since {day_text(facts.since.astimezone(facts.zone))}."
    return "No questions recorded yet. Each question a visitor asks at the kiosk is counted here."


def _legend() -> str:
    return (
        f'<p class="legend"><span><i style="background:{ANSWERED}"></i>answered</span>'
        f'<span><i style="background:{UNANSWERED}"></i>not answered</span></p>'
    )


def _card(label: str, value: str, sub: str, ident: str) -> str:
    return (
        f'<div class="card" id="{ident}"><div class="label">{esc(label)}</div>'
        f'<div class="value">{esc(value)}</div><div class="sub">{esc(sub)}</div></div>'
    )


def _ms(value: float) -> str:
    return f"{value / 1000:.1f} s" if value >= 1000 else f"{value:.0f} ms" if value >= 10 else f"{value:.1f} ms"


def _cards(facts: ReportFacts) -> str:
    days = len(facts.days)
    per_day = facts.asked / days if days else 0
    unheard = f", {facts.not_heard} spoken but not understood" if facts.not_heard else ""
    waits = [(label, p) for label, p in reversed(facts.latency) if p is not None]
    wait = _ms(waits[0][1].p50) if waits else "–"
    wait_sub = "; ".join(f"{label.lower()} {_ms(p.p50)}" for label, p in waits) or "not measured"
    return (
        '<section class="cards">'
        + _card("Questions asked", f"{facts.asked:,}", f"{per_day:.0f} a day over {days} days", "asked")
        + _card("Answered", f"{facts.rate:.0%}", f"{facts.answered:,} of {facts.asked:,} questions", "answered")
        + _card("Not answered", f"{facts.unanswered:,}", f"grouped below{unheard}", "unanswered")
        + _card("Response time, median", wait, wait_sub, "wait")
        + "</section>"
    )


def _hours(facts: ReportFacts) -> str:
    chart = columns(
        [(f"{h:02d}", asked, answered) for h, asked, answered in facts.hours],
        title="Questions per hour of the day",
        height=220,
    )
    busiest = max(facts.hours, key=lambda row: row[1])
    return (
        '<section class="panel" id="per-hour"><h2>Questions per hour of the day</h2>'
        f'<p class="hint">All days together; busiest {busiest[0]:02d}:00–{busiest[0] + 1:02d}:00 '
        f"({busiest[1]} questions).</p>{_legend()}{chart}</section>"
    )


def _days(facts: ReportFacts) -> str:
    rows = facts.days
    short = len(rows) <= 14
    labels = [f"{d.day:%a} {d.day.day}" if short else f"{d.day.day} {d.day:%b}" for d in rows]
    chart = columns(
        [(label, d.asked, d.answered) for label, d in zip(labels, rows, strict=True)],
        title="Questions per day",
        height=220,
        label_every=max(1, math.ceil(len(rows) / 14)),
    )
    return f'<section class="panel" id="per-day"><h2>Questions per day</h2>{_legend()}{chart}</section>'


def _exhibits(facts: ReportFacts) -> str:
    if not facts.exhibits:
        inner = '<p class="empty">No question was about an exhibit.</p>'
    else:
        rows = [(line.label, line.asked, line.answered) for line in facts.exhibits]
        inner = bars(rows, title="Most asked-about exhibits")
    return (
        '<section class="panel" id="exhibits"><h2>Most asked-about exhibits</h2>'
        f'<p class="hint">Questions the guide took to be about each exhibit.</p>{inner}</section>'
    )


def _languages(facts: ReportFacts) -> str:
    rows = [(line.label, line.asked, line.answered) for line in facts.languages]
    shares = ", ".join(f"{line.label} {line.asked / facts.asked:.0%}" for line in facts.languages)
    return (
        '<section class="panel" id="languages"><h2>Languages</h2>'
        f'<p class="hint">{esc(shares)}.</p>{bars(rows, title="Questions per language")}</section>'
    )


def _rate(facts: ReportFacts) -> str:
    ring = donut(facts.rate, title="Share of questions answered", caption=f"of {facts.asked:,} answered")
    per_language = rates(
        [(line.label, line.rate, line.asked) for line in facts.languages], title="Answer rate per language"
    )
    return (
        '<section class="panel" id="answer-rate"><h2>Answer rate</h2>'
        f'<p class="hint">Overall, and per language.</p>{_legend()}'
        f'<div class="rate">{ring}{per_language}</div></section>'
    )


def _latency(facts: ReportFacts) -> str:
    rows = [_latency_row(label, p) for label, p in facts.latency]
    return (
        '<section class="panel" id="latency"><h2>Response time</h2>'
        '<p class="hint">From the end of the visitor\'s question to the answer being chosen: for a spoken question '
        "from the end of speech (recognition included), for a typed or tapped one from sending it. Speaking the "
        "answer is not included.</p>"
        '<table><thead><tr><th>Asked by</th><th class="n">Questions</th><th class="n">Median</th>'
        '<th class="n">9 in 10 within</th><th class="n">99 in 100 within</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></section>"
    )


def _latency_row(label: str, p: Percentiles | None) -> str:
    if p is None:
        return f'<tr><td>{esc(label)}</td><td class="n">0</td><td class="n" colspan="3">none asked</td></tr>'
    return (
        f'<tr><td>{esc(label)}</td><td class="n">{p.count:,}</td><td class="n">{_ms(p.p50)}</td>'
        f'<td class="n">{_ms(p.p90)}</td><td class="n">{_ms(p.p99)}</td></tr>'
    )


def _groups(facts: ReportFacts) -> str:
    zone = facts.zone
    if not facts.groups:
        if facts.without_text:
            text = f"{facts.without_text} questions were not answered; their words are not kept on this kiosk."
        else:
            text = "The guide answered every question it understood."
        inner = f'<p class="empty">{esc(text)}</p>'
    else:
        rows = []
        for g in facts.groups:
            also = ", ".join(f"“{text}”" + (f" ×{n}" if n > 1 else "") for text, n in g.wordings[:3])
            more = f" and {len(g.wordings) - 3} more" if len(g.wordings) > 3 else ""
            also_html = f'<div class="also">also: {esc(also)}{esc(more)}</div>' if also else ""
            rows.append(
                f'<tr class="group"><td class="count">{g.count}</td><td><div class="q">{esc(g.question)}</div>'
                f"{also_html}</td><td>{esc(g.language)}</td>"
                f'<td class="n">{esc(day_text(g.last_asked.astimezone(zone)))}</td>'
                f'<td><span class="tag">{esc(g.why)}</span></td></tr>'
            )
        inner = (
            '<table><thead><tr><th class="n">Times</th><th>Question (and other ways it was put)</th><th>Lang.</th>'
            f'<th class="n">Last asked</th><th>Why not answered</th></tr></thead><tbody>{"".join(rows)}</tbody></table>'
        )
        if facts.more_groups:
            inner += f'<p class="empty">and {facts.more_groups} more, each asked less often.</p>'
        if facts.without_text:
            inner += f'<p class="empty">{facts.without_text} more were not answered; their words were not kept.</p>'
    return (
        '<section class="panel" id="unanswered-groups"><h2>Questions the guide could not answer</h2>'
        '<p class="hint">Grouped when they ask the same thing, most asked first. Add answers in the editor '
        "(<code>kiosk report export</code>, then “What visitors asked”).</p>"
        f"{inner}</section>"
    )


def _footer(facts: ReportFacts, retention_days: int | None, log_questions: bool) -> str:
    kept = f"kept for {retention_days} days" if retention_days else "kept as long as the kiosk's settings say"
    words = (
        "The words of questions are kept with phone numbers, ID numbers and e-mail addresses masked."
        if log_questions
        else "This kiosk does not keep the words of questions (log_questions is off)."
    )
    return (
        "<footer><p><strong>Answered</strong>: the guide answered from the venue's content (an exhibit, directions, "
        "hours, tickets, rules). <strong>Not answered</strong>: it said it could not help: outside its topics, not "
        "understood, not in the content, or it asked which exhibit was meant.</p>"
        f"<p>Text only, never audio; {esc(kept)}. {esc(words)} Questions asked with the kiosk command on a "
        f"technician's computer are not counted. Times are {esc(facts.timezone)}.</p></footer>"
    )


__all__ = ["CSP", "day_text", "render_report"]
