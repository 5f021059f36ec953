"""The report's inline SVG charts, drawn from view-model objects, and the colours they share with the
page's CSS.

No xmlns (the HTML parser supplies it), sizes in whole pixels scaled to the container, every text
escaped, and a `<title>` tooltip on each bar.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from plan_etl.form.vocabulary import PHASE_WORDS
from plan_etl.report_page.markup import esc, num
from plan_etl.report_page.view import (
    NO_PHASE,
    STATES,
    UNRESOLVED,
    DepartmentCount,
    GoalCount,
    GoalRow,
    YearMix,
)

PHASE_COLOURS: dict[str, tuple[str, str]] = {
    "検討": ("#56B4E9", "#000000"),
    "準備": ("#0072B2", "#FFFFFF"),
    "試行": ("#F0E442", "#000000"),
    "実施": ("#009E73", "#FFFFFF"),
    "検証": ("#E69F00", "#000000"),
    "運用": ("#CC79A7", "#000000"),
    "見直し": ("#D55E00", "#FFFFFF"),
}
"""Background and text colour per phase, in PHASE_WORDS order (Okabe-Ito palette)."""

assert list(PHASE_COLOURS) == list(PHASE_WORDS), "a colour for every phase, in PHASE_WORDS order"

NONE_COLOURS = ("#E6E6E6", "#333333")
"""A cell with text but no phase word (light grey); an unresolved cell is grey hatching, text #444444."""

AMOUNT_COLOURS = {"budget": "#4E79A7", "settlement": "#F28E2B", "next_budget": "#A0CBE8", "other": "#9C9C9C"}
"""Per `AmountValue.series`."""
HOURS_COLOURS = {"reduced": "#59A14F", "target": "#C7E5C0"}
BAR_COLOUR = "#4E79A7"

_STATE_NAMES = {NO_PHASE: "段階語なし", UNRESOLVED: "未確定"}
_TARGET = "計画期間の目標"

# --------------------------------------------------------------------------------------- helpers


def _text_width(text: str, size: float) -> float:
    """Rough rendered width: wide (CJK, full-width) characters 1 em, others 0.6 em."""
    return sum(size if ord(ch) > 0x2E7F else size * 0.6 for ch in text)


def _clip(text: str, size: float, width: float) -> str:
    """`text` cut with … so that it fits `width` at font `size`."""
    if _text_width(text, size) <= width:
        return text
    while text and _text_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"


def _wrap(text: str, size: float, width: float, lines: int) -> list[str]:
    """`text` broken into at most `lines` lines that fit `width`, the last one clipped with …."""
    out: list[str] = []
    while text and len(out) < lines - 1 and _text_width(text, size) > width:
        cut = len(text)
        while cut > 1 and _text_width(text[:cut], size) > width:
            cut -= 1
        out.append(text[:cut])
        text = text[cut:]
    return [*out, _clip(text, size, width)] if text else out


def _svg(width: int, height: int, label: str, body: Iterable[str]) -> str:
    """An inline SVG element (no xmlns: the HTML parser supplies it) scaled to its container."""
    return (
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{esc(label)}"><title>{esc(label)}</title>' + "".join(body) + "</svg>"
    )


def _t(x: float, y: float, text: str, cls: str = "", anchor: str = "start", title: str | None = None) -> str:
    cls_attr = f' class="{cls}"' if cls else ""
    tip = f"<title>{esc(title)}</title>" if title else ""
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{cls_attr}>{tip}{esc(text)}</text>'


def _rect(x: float, y: float, w: float, h: float, fill: str, title: str | None = None, cls: str = "") -> str:
    cls_attr = f' class="{cls}"' if cls else ""
    tip = f"<title>{esc(title)}</title>" if title else ""
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" height="{h:.1f}" fill="{fill}"{cls_attr}>'
        f"{tip}</rect>"
    )


def _legend_svg(x: float, y: float, items: Sequence[tuple[str, str]]) -> tuple[list[str], float]:
    """Swatches with labels in one line from (x, y); returns the elements and the end x."""
    out: list[str] = []
    for label, colour in items:
        out.append(_rect(x, y - 10, 12, 12, colour))
        out.append(_t(x + 16, y, label, "legend"))
        x += 16 + _text_width(label, 12) + 12
    return out, x


def _goal_lines(goal: GoalRow, label_w: float) -> list[str]:
    return _wrap(goal.full_name, 13, label_w - 12, 2)


def _goal_label(goal: GoalRow, label_w: float, middle: float) -> list[str]:
    """A goal's number and name, right-aligned before its bars, on up to two lines."""
    lines = _goal_lines(goal, label_w)
    y0 = middle + 4 - (len(lines) - 1) * 8
    return [_t(label_w - 8, y0 + i * 16, line, "axis", "end", goal.full_name) for i, line in enumerate(lines)]


def _hbar_chart(rows: Sequence[tuple[str, int, str]], label: str, label_w: int, bar_w: int) -> str:
    """Horizontal bars: (name, value, value text) per row."""
    bar_h, gap = 16, 6
    scale = bar_w / max([v for _, v, _ in rows] + [1])
    body: list[str] = []
    y = 6
    for name, value, text in rows:
        body.append(_t(label_w - 8, y + bar_h - 3, _clip(name, 13, label_w - 10), "axis", "end", name))
        body.append(_rect(label_w, y, value * scale, bar_h, BAR_COLOUR, f"{name}: {text}"))
        body.append(_t(label_w + value * scale + 5, y + bar_h - 3, text, "value"))
        y += bar_h + gap
    return _svg(label_w + bar_w + 90, y + 2, label, body)


def _state_colours(state: str) -> tuple[str, str]:
    """Background and text colour of a heat-map state; unresolved is the `#hatch` pattern."""
    if state in PHASE_COLOURS:
        return PHASE_COLOURS[state]
    if state == NO_PHASE:
        return NONE_COLOURS
    return ("url(#hatch)", "#444444")


# ---------------------------------------------------------------------------------------- charts


def amounts_chart(goals: Sequence[GoalRow]) -> str:
    """Per goal one bar per amount, in the report's order (予算額, 決算額 of a year, next 予算額)."""
    label_w, bar_w, bar_h, gap = 190, 350, 14, 3
    top = 34
    values = [a.million_yen for g in goals for a in g.amounts] or [1]
    scale = bar_w / max(max(values), 1)
    legend: dict[str, str] = {}
    body: list[str] = []
    y = top
    for goal in goals:
        n = max(len(goal.amounts), 1)
        group_h = max(n * (bar_h + gap), 16 * len(_goal_lines(goal, label_w)))
        body += _goal_label(goal, label_w, y + group_h / 2)
        if not goal.amounts:
            body.append(_t(label_w + 4, y + bar_h - 3, "金額の記載なし", "note"))
        for i, amount in enumerate(goal.amounts):
            colour = AMOUNT_COLOURS[amount.series]
            legend.setdefault(amount.label, colour)
            by = y + i * (bar_h + gap)
            w = amount.million_yen * scale
            tip = f"到達点{goal.goal} {amount.label}: {num(amount.million_yen)} 百万円"
            body.append(_rect(label_w, by, w, bar_h, colour, tip))
            body.append(_t(label_w + w + 5, by + bar_h - 3, f"{num(amount.million_yen)}", "value"))
        y += group_h + 12
    legend_items, _ = _legend_svg(label_w, 18, list(legend.items()))
    body[:0] = legend_items
    body.append(_t(label_w + bar_w + 60, 18, "単位: 百万円", "note", "end"))
    return _svg(label_w + bar_w + 60, int(y + 4), "到達点別の予算額・決算額（百万円）", body)


def hours_chart(goals: Sequence[GoalRow]) -> str:
    """Per goal the hours reduced in each stated year against the plan-period target."""
    label_w, bar_w, bar_h, gap = 190, 250, 14, 3
    top = 34
    values = [h.hours for g in goals for h in g.hours_reduced] + [g.hours_target or 0 for g in goals]
    scale = bar_w / max(max(values or [1]), 1)
    body: list[str] = []
    legend: dict[str, str] = {}
    y = top
    for goal in goals:
        bars: list[tuple[str, int, str]] = [
            (h.label, h.hours, HOURS_COLOURS["reduced"]) for h in goal.hours_reduced
        ]
        if goal.hours_target is not None:
            bars.append((_TARGET, goal.hours_target, HOURS_COLOURS["target"]))
        n = max(len(bars), 1)
        group_h = max(n * (bar_h + gap), 16 * len(_goal_lines(goal, label_w)))
        body += _goal_label(goal, label_w, y + group_h / 2)
        if not bars:
            body.append(_t(label_w + 4, y + bar_h - 3, "削減時間の記載なし", "note"))
        for i, (label, hours, colour) in enumerate(bars):
            legend.setdefault(label, colour)
            by = y + i * (bar_h + gap)
            w = hours * scale
            text = f"{num(hours)} 時間"
            if goal.hours_target and label != _TARGET:
                text += f"（目標の {hours / goal.hours_target:.0%}）"
            body.append(_rect(label_w, by, w, bar_h, colour, f"到達点{goal.goal} {label}: {text}"))
            body.append(_t(label_w + w + 5, by + bar_h - 3, text, "value"))
        y += group_h + 12
    legend_items, _ = _legend_svg(label_w, 18, list(legend.items()))
    body[:0] = legend_items
    return _svg(label_w + bar_w + 160, int(y + 4), "到達点別の削減時間と計画期間の目標（時間）", body)


def goal_counts_chart(counts: Sequence[GoalCount]) -> str:
    """Distinct items per goal, with the records where an item is printed in parts."""
    rows = [
        (c.label, c.items, f"{c.items} 項目" + (f"（{c.records} 件）" if c.records != c.items else ""))
        for c in counts
    ]
    return _hbar_chart(rows, "到達点別の取組み項目数", label_w=275, bar_w=225)


def department_counts_chart(counts: Sequence[DepartmentCount]) -> str:
    """Distinct items per department, most first."""
    rows = [(c.name, c.items, f"{c.items} 項目") for c in counts]
    return _hbar_chart(rows, "所管部別の取組み項目数", label_w=170, bar_w=300)


def phase_mix_chart(mix: Sequence[YearMix], n_records: int) -> str:
    """Per plan year, a bar per phase: the records whose cells name it (a record naming 実施・検証
    counts for both, so the bars of a year are not stacked), then no phase word and unresolved."""
    label_w, bar_w, bar_h = 40, 550, 9
    scale = bar_w / max(n_records, 1)
    body = [
        '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#F2F2F2"/>'
        '<rect width="3" height="6" fill="#BDBDBD"/></pattern></defs>'
    ]
    legend, _ = _legend_svg(label_w, 14, [(_STATE_NAMES.get(st, st), _state_colours(st)[0]) for st in STATES])
    body += legend
    y = 26
    for year_mix in mix:
        body.append(_t(label_w - 8, y + 4 * (bar_h + 1), year_mix.year, "axis", "end"))
        for state, n in year_mix.counts:
            bg, _ = _state_colours(state)
            w = n * scale
            name = _STATE_NAMES.get(state, state)
            if n:
                body.append(_rect(label_w, y, w, bar_h, bg, f"{year_mix.year} {name}: {n} 件"))
            body.append(_t(label_w + w + 4, y + bar_h - 1, f"{n}", "axis", "start"))
            y += bar_h + 1
        y += 10
    title = "年度別・段階別の件数（実施・検証のように複数の段階を含む項目は、それぞれに数える）"
    return _svg(label_w + bar_w + 40, y, title, body)
