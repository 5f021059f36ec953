"""One self-contained HTML page for a parsed report: goals, initiatives, schedule heat map, validation.

`render_html(report, problems)` returns a whole UTF-8 HTML document (``lang="ja"``) that needs no
network: inline CSS, inline SVG charts drawn here in Python, one short inline script (a row filter
for the heat map; the page is complete without it) and a Content-Security-Policy that forbids
loading anything. Every text taken from the report is escaped. The output is deterministic: no
timestamps, no set or hash order, so the same report and problems give the same string.

Sections: the document metadata; per goal (到達点) its amounts (予算額 / 決算額, same fiscal year side
by side, then the next year's budget) and hours reduced against the plan-period target, as bar
charts and a table; the initiatives per goal and per department (distinct item ids); the schedule
heat map; the validation problems.

Heat map: one row per initiative record (``data-item-id``, ``data-part``, ``data-goal``), one
column per plan year R6..R9. A cell's colour is its *main phase*, chosen by this rule:

* take the phases (`ScheduleRow.phases`) named by that year's cell in every resolved row of the
  record; the main phase is the **most advanced** of them, i.e. the last one in
  `plan_etl.parsers.phases.PHASE_WORDS` order (検討 < 準備 < 試行 < 実施 < 検証 < 運用 < 見直し);
  an item whose rows read ①実施 and ②検討 in R7 is coloured 実施 there;
* if no row names a phase but some row has text for the year (工事監理, ―), the cell is
  ``none`` (light grey: stated, no phase word);
* if every row's cell for the year is null (the row is unresolved), the cell is ``unresolved``
  (grey hatching); a cell coloured by a phase while another row of the same record is unresolved
  gets a dashed outline (``partial``).

The cell shows the main phase and its ``title`` tooltip lists every row's text for that year.

Phase colours (Okabe-Ito palette, background / text), fixed in `PHASE_COLOURS`:

| phase | background | text |
| --- | --- | --- |
| 検討 | #56B4E9 | #000000 |
| 準備 | #0072B2 | #FFFFFF |
| 試行 | #F0E442 | #000000 |
| 実施 | #009E73 | #FFFFFF |
| 検証 | #E69F00 | #000000 |
| 運用 | #CC79A7 | #000000 |
| 見直し | #D55E00 | #FFFFFF |
| none (text, no phase word) | #E6E6E6 | #333333 |
| unresolved (null cell) | grey hatching | #444444 |
"""

from __future__ import annotations

import base64
import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape

from plan_etl.parsers.phases import PHASE_WORDS
from plan_etl.schemas import YEARS, Goal, Initiative, Report
from plan_etl.validate import Problem

PHASE_COLOURS: dict[str, tuple[str, str]] = {
    "検討": ("#56B4E9", "#000000"),
    "準備": ("#0072B2", "#FFFFFF"),
    "試行": ("#F0E442", "#000000"),
    "実施": ("#009E73", "#FFFFFF"),
    "検証": ("#E69F00", "#000000"),
    "運用": ("#CC79A7", "#000000"),
    "見直し": ("#D55E00", "#FFFFFF"),
}
"""Background and text colour per phase, in PHASE_WORDS order."""

assert list(PHASE_COLOURS) == list(PHASE_WORDS), "a colour for every phase, in PHASE_WORDS order"

NONE_COLOURS = ("#E6E6E6", "#333333")
"""A cell with text but no phase word."""
UNRESOLVED = "unresolved"
NO_PHASE = "none"

AMOUNT_COLOURS = {"budget": "#4E79A7", "settlement": "#F28E2B", "next_budget": "#A0CBE8", "other": "#9C9C9C"}
HOURS_COLOURS = {"reduced": "#59A14F", "target": "#C7E5C0"}
BAR_COLOUR = "#4E79A7"

# --------------------------------------------------------------------------------------- helpers


def _e(text: object) -> str:
    """Escape text for element content and quoted attribute values."""
    return escape(str(text), quote=True)


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


def _num(n: float) -> str:
    return f"{n:,.0f}"


def _reiwa_year(label: str) -> int | None:
    """R6 -> 2024."""
    try:
        return 2018 + int(label.lstrip("R"))
    except ValueError:
        return None


def _record_label(rec: Initiative) -> str:
    """1-1, or 5-13① for a part."""
    if rec.part and 1 <= rec.part <= 20:
        return rec.item_id + chr(0x2460 + rec.part - 1)
    return rec.item_id + (f"({rec.part})" if rec.part else "")


def _svg(width: int, height: int, label: str, body: Iterable[str]) -> str:
    """An inline SVG element (no xmlns: the HTML parser supplies it) scaled to its container."""
    return (
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{_e(label)}"><title>{_e(label)}</title>' + "".join(body) + "</svg>"
    )


def _t(x: float, y: float, text: str, cls: str = "", anchor: str = "start", title: str | None = None) -> str:
    cls_attr = f' class="{cls}"' if cls else ""
    tip = f"<title>{_e(title)}</title>" if title else ""
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{cls_attr}>{tip}{_e(text)}</text>'


def _rect(x: float, y: float, w: float, h: float, fill: str, title: str | None = None, cls: str = "") -> str:
    cls_attr = f' class="{cls}"' if cls else ""
    tip = f"<title>{_e(title)}</title>" if title else ""
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


# ---------------------------------------------------------------------------------- main phase


@dataclass(frozen=True)
class HeatCell:
    """One heat-map cell: its class (a phase, `none` or `unresolved`), the phases and its tooltip."""

    state: str
    phases: tuple[str, ...]
    partial: bool
    tooltip: str


def main_phase(phases: Iterable[str]) -> str | None:
    """The most advanced phase (latest in PHASE_WORDS order) among `phases`, or None."""
    order = list(PHASE_WORDS)
    known = [p for p in phases if p in PHASE_WORDS]
    return max(known, key=order.index) if known else None


def heat_cell(rec: Initiative, year: str) -> HeatCell:
    """The heat-map cell of a record in a plan year (the module docstring states the rule)."""
    named: list[str] = []
    texts: list[str] = []
    stated = unresolved = 0
    for row in rec.schedule:
        cell = row.cells.get(year)
        if cell is None or not row.resolved:
            unresolved += 1
            texts.append(f"{row.label}: （未確定）")
            continue
        stated += 1
        texts.append(f"{row.label}: {cell}")
        named += [p for p in row.phases.get(year, []) if p not in named]
    phases = tuple(p for p in PHASE_WORDS if p in named)
    top = main_phase(phases)
    state = top or (NO_PHASE if stated else UNRESOLVED)
    head = f"{_record_label(rec)} {year}"
    if top:
        head += f" — 主な段階: {top}（{'・'.join(phases)}）"
    elif state == NO_PHASE:
        head += " — 段階語なし"
    else:
        head += " — 未確定"
    return HeatCell(state, phases, bool(top) and unresolved > 0, "\n".join([head, *texts]))


# ------------------------------------------------------------------------------------ sections


def _amount_colour(kind: str, fiscal_year: int, report_year: int | None) -> str:
    if kind == "settlement":
        return AMOUNT_COLOURS["settlement"]
    if report_year is None or fiscal_year == report_year:
        return AMOUNT_COLOURS["budget"]
    return AMOUNT_COLOURS["next_budget"] if fiscal_year > report_year else AMOUNT_COLOURS["other"]


def _goal_name(goal: Goal) -> str:
    return f"{goal.goal} {goal.name}"


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


def _goal_lines(goal: Goal, label_w: float) -> list[str]:
    return _wrap(_goal_name(goal), 13, label_w - 12, 2)


def _goal_label(goal: Goal, label_w: float, middle: float) -> list[str]:
    """A goal's number and name, right-aligned before its bars, on up to two lines."""
    name = _goal_name(goal)
    lines = _goal_lines(goal, label_w)
    y0 = middle + 4 - (len(lines) - 1) * 8
    return [_t(label_w - 8, y0 + i * 16, line, "axis", "end", name) for i, line in enumerate(lines)]


def _amounts_chart(goals: Sequence[Goal], report_year: int | None) -> str:
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
            colour = _amount_colour(amount.kind, amount.fiscal_year, report_year)
            legend.setdefault(amount.label, colour)
            by = y + i * (bar_h + gap)
            w = amount.million_yen * scale
            tip = f"到達点{goal.goal} {amount.label}: {_num(amount.million_yen)} 百万円"
            body.append(_rect(label_w, by, w, bar_h, colour, tip))
            body.append(_t(label_w + w + 5, by + bar_h - 3, f"{_num(amount.million_yen)}", "value"))
        y += group_h + 12
    legend_items, _ = _legend_svg(label_w, 18, list(legend.items()))
    body[:0] = legend_items
    body.append(_t(label_w + bar_w + 60, 18, "単位: 百万円", "note", "end"))
    return _svg(label_w + bar_w + 60, int(y + 4), "到達点別の予算額・決算額（百万円）", body)


def _hours_chart(goals: Sequence[Goal]) -> str:
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
            bars.append(("計画期間の目標", goal.hours_target, HOURS_COLOURS["target"]))
        n = max(len(bars), 1)
        group_h = max(n * (bar_h + gap), 16 * len(_goal_lines(goal, label_w)))
        body += _goal_label(goal, label_w, y + group_h / 2)
        if not bars:
            body.append(_t(label_w + 4, y + bar_h - 3, "削減時間の記載なし", "note"))
        for i, (label, hours, colour) in enumerate(bars):
            legend.setdefault(label, colour)
            by = y + i * (bar_h + gap)
            w = hours * scale
            text = f"{_num(hours)} 時間"
            if goal.hours_target and label != "計画期間の目標":
                text += f"（目標の {hours / goal.hours_target:.0%}）"
            body.append(_rect(label_w, by, w, bar_h, colour, f"到達点{goal.goal} {label}: {text}"))
            body.append(_t(label_w + w + 5, by + bar_h - 3, text, "value"))
        y += group_h + 12
    legend_items, _ = _legend_svg(label_w, 18, list(legend.items()))
    body[:0] = legend_items
    return _svg(label_w + bar_w + 160, int(y + 4), "到達点別の削減時間と計画期間の目標（時間）", body)


def _goals_table(goals: Sequence[Goal]) -> str:
    """The amounts and hours as numbers: one row per goal, one column per label as printed."""
    amount_labels = list(dict.fromkeys(a.label for g in goals for a in g.amounts))
    hour_labels = list(dict.fromkeys(h.label for g in goals for h in g.hours_reduced))
    settle_labels = list(dict.fromkeys(a.label for g in goals for a in g.amounts if a.kind == "settlement"))
    head = (
        "<tr><th>到達点</th><th>名称</th>"
        + "".join(f'<th class="num">{_e(lb)}<br><small>百万円</small></th>' for lb in amount_labels)
        + "".join(f'<th class="num">{_e(lb)} 執行率</th>' for lb in settle_labels)
        + "".join(f'<th class="num">{_e(lb)}<br><small>時間</small></th>' for lb in hour_labels)
        + '<th class="num">計画期間の目標<br><small>時間</small></th></tr>'
    )
    rows: list[str] = []
    for goal in goals:
        amounts = {a.label: a for a in goal.amounts}
        hours = {h.label: h.hours for h in goal.hours_reduced}
        cells = [f"<td>{goal.goal}</td><td>{_e(goal.name)}</td>"]
        for lb in amount_labels:
            a = amounts.get(lb)
            cells.append(f'<td class="num" data-amount="{_e(lb)}">{_num(a.million_yen) if a else "—"}</td>')
        for lb in settle_labels:
            s = amounts.get(lb)
            budget = next(
                (a for a in goal.amounts if s and a.kind == "budget" and a.fiscal_year == s.fiscal_year), None
            )
            rate = f"{s.million_yen / budget.million_yen:.0%}" if s and budget and budget.million_yen else "—"
            cells.append(f'<td class="num">{rate}</td>')
        for lb in hour_labels:
            cells.append(
                f'<td class="num" data-hours="{_e(lb)}">{_num(hours[lb]) if lb in hours else "—"}</td>'
            )
        target = _num(goal.hours_target) if goal.hours_target is not None else "—"
        cells.append(f'<td class="num" data-hours="target">{target}</td>')
        rows.append(f'<tr data-goal="{goal.goal}">{"".join(cells)}</tr>')
    return f'<table class="data" id="goal-table"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'


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


def _per_goal(report: Report) -> str:
    items: dict[int, list[str]] = {}
    records: Counter[int] = Counter()
    for rec in report.initiatives:
        records[rec.goal] += 1
        ids = items.setdefault(rec.goal, [])
        if rec.item_id not in ids:
            ids.append(rec.item_id)
    names = {g.goal: g.name for g in report.goals}
    rows = []
    for goal in sorted(items):
        n = len(items[goal])
        text = f"{n} 項目" + (f"（{records[goal]} 件）" if records[goal] != n else "")
        rows.append((f"{goal} {names.get(goal, '')}".strip(), n, text))
    return _hbar_chart(rows, "到達点別の取組み項目数", label_w=275, bar_w=225)


def _per_department(report: Report) -> str:
    items: dict[str, list[str]] = {}
    for rec in report.initiatives:
        for dept in rec.departments:
            ids = items.setdefault(dept, [])
            if rec.item_id not in ids:
                ids.append(rec.item_id)
    order = list(items)
    ranked = sorted(items, key=lambda d: (-len(items[d]), order.index(d)))
    rows = [(d, len(items[d]), f"{len(items[d])} 項目") for d in ranked]
    return _hbar_chart(rows, "所管部別の取組み項目数", label_w=170, bar_w=300)


def _state_colours(state: str) -> tuple[str, str]:
    if state in PHASE_COLOURS:
        return PHASE_COLOURS[state]
    if state == NO_PHASE:
        return NONE_COLOURS
    return ("url(#hatch)", "#444444")


def _phase_mix_chart(cells: dict[tuple[int, str], HeatCell], n_records: int) -> str:
    """Per plan year, the records counted by their main phase (stacked bars)."""
    states = [*PHASE_WORDS, NO_PHASE, UNRESOLVED]
    label_w, bar_w, bar_h = 40, 550, 24
    scale = bar_w / max(n_records, 1)
    body = [
        '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#F2F2F2"/>'
        '<rect width="3" height="6" fill="#BDBDBD"/></pattern></defs>'
    ]
    names = {NO_PHASE: "段階語なし", UNRESOLVED: "未確定"}
    legend, _ = _legend_svg(label_w, 14, [(names.get(st, st), _state_colours(st)[0]) for st in states])
    body += legend
    y = 26
    for year in YEARS:
        counts = Counter(c.state for (_, y_), c in cells.items() if y_ == year)
        body.append(_t(label_w - 8, y + bar_h - 7, year, "axis", "end"))
        x = float(label_w)
        for state in states:
            n = counts.get(state, 0)
            if not n:
                continue
            bg, fg = _state_colours(state)
            w = n * scale
            name = names.get(state, state)
            body.append(_rect(x, y, w, bar_h, bg, f"{year} {name}: {n} 件"))
            if w >= 22:
                body.append(
                    f'<text x="{x + w / 2:.1f}" y="{y + bar_h - 7:.1f}" text-anchor="middle" '
                    f'class="inbar" style="fill:{fg}">{n}</text>'
                )
            x += w
        y += bar_h + 8
    return _svg(label_w + bar_w + 10, y, "年度別の主な段階の構成（件）", body)


def _legend_html() -> str:
    items = []
    for i, (phase, words) in enumerate(PHASE_WORDS.items()):
        shown = "・".join(words[:3]) + ("…" if len(words) > 3 else "")
        items.append(
            f'<li data-phase="{_e(phase)}" title="{_e("・".join(words))}"><span class="sw ph-{i}"></span>'
            f"{_e(phase)}<small>{_e(shown)}</small></li>"
        )
    extra = [
        (f'data-phase="{NO_PHASE}"', "st-none", "段階語なし", "記載あり"),
        (f'data-phase="{UNRESOLVED}"', "st-unresolved", "未確定", "セル不明"),
        ('data-marker="partial"', "partial-sw", "点線枠", "一部の行が未確定"),
    ]
    items += [
        f'<li {a}><span class="sw {cls}"></span>{name}<small>{note}</small></li>'
        for a, cls, name, note in extra
    ]
    return f'<ul class="legend" id="phase-legend">{"".join(items)}</ul>'


def _contents_order(report: Report) -> list[tuple[int, Initiative]]:
    """(index, record) in the table of contents' order, parts in order; unlisted ones after, as printed."""
    position: dict[str, int] = {}
    for i, entry in enumerate(report.toc):
        position.setdefault(entry.item_id, i)
    return sorted(
        enumerate(report.initiatives),
        key=lambda ir: (position.get(ir[1].item_id, len(position)), ir[1].part or 0, ir[0]),
    )


def _heatmap(report: Report, cells: dict[tuple[int, str], HeatCell]) -> str:
    names = {g.goal: g.name for g in report.goals}
    phase_index = {p: i for i, p in enumerate(PHASE_WORDS)}
    groups: dict[int, list[tuple[int, Initiative]]] = {}
    for idx, rec in _contents_order(report):
        groups.setdefault(rec.goal, []).append((idx, rec))
    years = "".join(f'<th class="yr">{y}<br><small>{_reiwa_year(y) or ""}</small></th>' for y in YEARS)
    head = f"<thead><tr><th>項目</th><th>取組み項目</th><th>所管部</th>{years}</tr></thead>"
    bodies: list[str] = []
    for goal in sorted(groups):
        recs = groups[goal]
        rows = [
            f'<tr class="goal-row"><th colspan="{3 + len(YEARS)}">到達点{goal} {_e(names.get(goal, ""))}'
            f" <small>{len(recs)} 件</small></th></tr>"
        ]
        for idx, rec in recs:
            depts = "、".join(rec.departments)
            search = " ".join([_record_label(rec), rec.item_id, rec.title, *rec.departments]).lower()
            tds = []
            for year in YEARS:
                c = cells[(idx, year)]
                cls = f"ph-{phase_index[c.state]}" if c.state in phase_index else f"st-{c.state}"
                if c.partial:
                    cls += " partial"
                shown = {NO_PHASE: "—", UNRESOLVED: "未確定"}.get(c.state, c.state)
                tds.append(
                    f'<td class="hc {cls}" data-year="{year}" title="{_e(c.tooltip)}">{_e(shown)}</td>'
                )
            part = "" if rec.part is None else str(rec.part)
            rows.append(
                f'<tr data-item-id="{_e(rec.item_id)}" data-part="{part}" data-goal="{rec.goal}" '
                f'data-search="{_e(search)}"><th class="id">{_e(_record_label(rec))}</th>'
                f'<td class="title">{_e(rec.title)}</td><td class="dept">{_e(depts)}</td>{"".join(tds)}</tr>'
            )
        bodies.append(f'<tbody data-goal="{goal}">{"".join(rows)}</tbody>')
    return f'<table id="heatmap">{head}{"".join(bodies)}</table>'


def _problems(problems: Sequence[Problem]) -> str:
    levels = Counter(p.level for p in problems)
    codes = Counter((p.level, p.code) for p in problems)
    cards = (
        f'<div class="cards"><div class="card {"bad" if levels["error"] else "ok"}" id="error-count">'
        f"<b>{levels['error']}</b>エラー</div>"
        f'<div class="card {"warn" if levels["warning"] else "ok"}" id="warning-count">'
        f"<b>{levels['warning']}</b>警告</div></div>"
    )
    if not problems:
        return cards + '<p class="ok-text" id="no-problems">問題は見つかりませんでした。</p>'
    code_rows = "".join(
        f'<tr><td><span class="lvl {lvl}">{_e(lvl)}</span></td><td><code>{_e(code)}</code></td>'
        f'<td class="num">{n}</td></tr>'
        for (lvl, code), n in sorted(codes.items(), key=lambda kv: (kv[0][0] != "error", -kv[1], kv[0][1]))
    )
    by_code = (
        '<table class="data compact" id="problem-codes"><thead><tr><th>level</th><th>code</th>'
        f'<th class="num">件数</th></tr></thead><tbody>{code_rows}</tbody></table>'
    )
    rows = []
    for p in problems:
        lines = ", ".join(map(str, p.lines[:8])) + (f" …（+{len(p.lines) - 8}）" if len(p.lines) > 8 else "")
        rows.append(
            f'<tr class="problem" data-level="{_e(p.level)}" data-code="{_e(p.code)}">'
            f'<td><span class="lvl {_e(p.level)}">{_e(p.level)}</span></td><td><code>{_e(p.code)}</code></td>'
            f'<td class="id">{_e(p.item_id or "")}</td><td>{_e(p.message)}</td>'
            f'<td class="lines" title="{_e(", ".join(map(str, p.lines)))}">{_e(lines)}</td></tr>'
        )
    table = (
        '<table class="data" id="problems"><thead><tr><th>level</th><th>code</th><th>項目</th>'
        f"<th>内容</th><th>行</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    return cards + by_code + table


# ------------------------------------------------------------------------------------- page


_SCRIPT = """(() => {
  const q = document.getElementById("filter");
  const g = document.getElementById("goal-filter");
  const out = document.getElementById("shown");
  const rows = Array.from(document.querySelectorAll("#heatmap tr[data-item-id]"));
  const apply = () => {
    const text = q.value.trim().toLowerCase();
    let n = 0;
    for (const r of rows) {
      const ok = (!g.value || r.dataset.goal === g.value) && (!text || r.dataset.search.includes(text));
      r.hidden = !ok;
      if (ok) n++;
    }
    for (const tb of document.querySelectorAll("#heatmap tbody")) {
      tb.hidden = !tb.querySelector("tr[data-item-id]:not([hidden])");
    }
    out.textContent = n + " / " + rows.length + " 件";
  };
  q.addEventListener("input", apply);
  g.addEventListener("change", apply);
  document.getElementById("filter-box").hidden = false;
  apply();
})();"""

_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #F5F6F8; color: #1F2328;
  font: 14px/1.55 "Noto Sans CJK JP", "Hiragino Kaku Gothic ProN", "Yu Gothic", Meiryo, sans-serif; }
main { max-width: 1320px; margin: 0 auto; padding: 24px 28px 48px; }
header h1 { font-size: 24px; margin: 0 0 6px; }
header .sub { color: #57606A; margin: 0 0 12px; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0; font-size: 13px; }
dl.meta dt { color: #57606A; } dl.meta dd { margin: 0; overflow-wrap: anywhere; }
section { background: #FFF; border: 1px solid #D8DEE4; border-radius: 8px; padding: 16px 20px;
  margin: 18px 0; }
h2 { font-size: 18px; margin: 0 0 12px; border-left: 4px solid #4E79A7; padding-left: 8px; }
h3 { font-size: 15px; margin: 14px 0 6px; }
p.note, .note { color: #57606A; font-size: 12px; }
.grid2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(560px, 1fr)); gap: 8px 24px; }
svg.chart { max-width: 100%; height: auto; display: block; }
svg text { font-size: 12px; fill: #1F2328; }
svg text.axis { font-size: 13px; } svg text.value { font-size: 12px; fill: #333; }
svg text.note { fill: #57606A; } svg text.inbar { font-size: 12px; font-weight: 600; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 4px 0 12px; }
.card { min-width: 120px; padding: 8px 14px; border-radius: 6px; background: #F6F8FA;
  border: 1px solid #D8DEE4; }
.card b { display: block; font-size: 22px; }
.card.bad { background: #FFEBE9; border-color: #FF8182; }
.card.warn { background: #FFF8C5; border-color: #D4A72C; }
.card.ok { background: #DAFBE1; border-color: #4AC26B; }
table { border-collapse: collapse; }
table.data { width: 100%; font-size: 13px; margin: 8px 0; }
table.data.compact { width: auto; }
table.data th, table.data td { border-bottom: 1px solid #E1E4E8; padding: 4px 8px; text-align: left;
  vertical-align: top; }
table.data thead th { background: #F6F8FA; position: sticky; top: 0; }
.num { text-align: right !important; font-variant-numeric: tabular-nums; white-space: nowrap; }
#problems td.id { white-space: nowrap; }
td.lines { font-size: 11px; color: #57606A; white-space: nowrap; }
.lvl { display: inline-block; padding: 0 6px; border-radius: 4px; font-size: 12px; }
.lvl.error { background: #CF222E; color: #FFF; } .lvl.warning { background: #FFF8C5; color: #7D4E00; }
ul.legend { list-style: none; padding: 0; margin: 6px 0 10px; display: flex; flex-wrap: wrap; gap: 6px 16px; }
ul.legend li { display: flex; align-items: center; gap: 5px; }
ul.legend small { color: #57606A; }
.sw { display: inline-block; width: 18px; height: 14px; border: 1px solid #0003; }
#filter-box { margin: 6px 0 10px; display: flex; gap: 10px; align-items: center; }
#filter-box input { width: 320px; padding: 4px 8px; font: inherit; }
#filter-box select { padding: 3px 6px; font: inherit; }
#heatmap { width: 100%; font-size: 12.5px; table-layout: fixed; }
#heatmap thead th { position: sticky; top: 0; background: #F6F8FA; z-index: 1;
  border-bottom: 1px solid #D0D7DE; padding: 4px 6px; text-align: left; }
#heatmap th.yr { text-align: center; width: 92px; }
#heatmap thead th:nth-child(1) { width: 64px; } #heatmap thead th:nth-child(3) { width: 230px; }
#heatmap tr.goal-row th { background: #EAEEF2; text-align: left; padding: 5px 8px; font-size: 13px; }
#heatmap th.id { font-weight: 600; white-space: nowrap; padding: 2px 6px; text-align: left; }
#heatmap td { padding: 2px 6px; border-bottom: 1px solid #EEF0F2; }
#heatmap td.title { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
#heatmap td.dept { color: #57606A; font-size: 11.5px; overflow: hidden; text-overflow: ellipsis;
  white-space: nowrap; }
#heatmap td.hc { text-align: center; border: 2px solid #FFF; font-size: 12px; cursor: help; }
td.partial, .partial-sw { outline: 2px dashed #444; outline-offset: -4px; }
.partial-sw { background: #FFF; outline-offset: -3px; }
"""


def _phase_css() -> str:
    rules = [
        f".ph-{i} {{ background: {bg}; color: {fg}; }}" for i, (bg, fg) in enumerate(PHASE_COLOURS.values())
    ]
    rules.append(f".st-none {{ background: {NONE_COLOURS[0]}; color: {NONE_COLOURS[1]}; }}")
    rules.append(
        ".st-unresolved { color: #444444; background: repeating-linear-gradient(45deg, #BDBDBD 0 3px, "
        "#F2F2F2 3px 7px); }"
    )
    return "\n".join(rules)


def _fiscal_year(year: int | None) -> str:
    if year is None:
        return "不明"
    return f"{year}年度（令和{year - 2018}年度）" if year >= 2019 else f"{year}年度"


def render_html(report: Report, problems: list[Problem]) -> str:
    """The whole report page as one self-contained HTML document (deterministic for the same input)."""
    doc = report.document
    cells = {
        (idx, year): heat_cell(rec, year) for idx, rec in enumerate(report.initiatives) for year in YEARS
    }
    n_items = len(dict.fromkeys(r.item_id for r in report.initiatives))
    n_rows = sum(len(r.schedule) for r in report.initiatives)
    n_unresolved_cells = sum(
        1 for r in report.initiatives for row in r.schedule for y in YEARS if row.cells.get(y) is None
    )
    script_hash = base64.b64encode(hashlib.sha256(_SCRIPT.encode("utf-8")).digest()).decode("ascii")
    csp = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        f"script-src 'sha256-{script_hash}'; base-uri 'none'; form-action 'none'"
    )
    goal_options = "".join(f'<option value="{g.goal}">到達点{g.goal}</option>' for g in report.goals)
    meta = [
        ("表題", doc.title),
        ("対象年度", _fiscal_year(doc.report_fiscal_year)),
        ("入力ファイル", doc.source_file),
        ("SHA-256", doc.source_sha256),
        ("目次の項目", f"{len(report.toc)} 項目"),
        ("取組み記録", f"{len(report.initiatives)} 件（{n_items} 項目）"),
        ("年次別計画", f"{n_rows} 行（未確定セル {n_unresolved_cells}）"),
    ]
    meta_html = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in meta)
    report_year = doc.report_fiscal_year
    parts = [
        "<!DOCTYPE html>",
        '<html lang="ja">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_e(csp)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="plan-etl">',
        f"<title>{_e(doc.title)} — plan-etl レポート</title>",
        f"<style>{_CSS}{_phase_css()}\n</style>",
        "</head>",
        "<body><main>",
        f'<header><h1 id="title">{_e(doc.title)}</h1>'
        '<p class="sub">plan-etl による解析結果（1ページ版）</p>'
        f'<dl class="meta" id="meta">{meta_html}</dl></header>',
        '<section id="goals"><h2>到達点: 予算額・決算額と削減時間</h2>',
        '<div class="grid2"><div><h3>予算額・決算額（百万円）</h3>',
        _amounts_chart(report.goals, report_year),
        "</div><div><h3>削減時間と計画期間の目標</h3>",
        _hours_chart(report.goals),
        "</div></div>",
        _goals_table(report.goals),
        '<p class="note">執行率 = 同じ年度の決算額 ÷ 予算額。'
        "金額・時間は報告書の記載どおり（百万円・時間）。</p>",
        "</section>",
        '<section id="initiatives"><h2>取組み項目の分布</h2><div class="grid2">',
        "<div><h3>到達点別</h3>",
        _per_goal(report),
        "<h3>年度別の主な段階</h3>",
        _phase_mix_chart(cells, len(report.initiatives)),
        "</div><div><h3>所管部別（1項目に複数の所管部あり）</h3>",
        _per_department(report),
        "</div></div></section>",
        '<section id="schedule"><h2>年次別計画ヒートマップ</h2>',
        '<p class="note">1行が1件の取組み記録（分割掲載の項目は部ごと）。セルの色はその年度の主な段階: '
        "年次別計画の各行のセルが挙げる段階のうち最も進んだもの（検討→準備→試行→実施→検証→運用→見直し）。"
        "灰色は段階語のない記載、斜線は未確定（セルを決められなかった行）、点線枠は一部の行が未確定。"
        "セルにカーソルを合わせると各行の記載が表示されます。</p>",
        _legend_html(),
        '<div id="filter-box" hidden><input id="filter" type="search" '
        'placeholder="項目番号・名称・所管部で絞り込み" aria-label="絞り込み">'
        f'<select id="goal-filter" aria-label="到達点"><option value="">すべての到達点</option>{goal_options}'
        '</select><span id="shown"></span></div>',
        _heatmap(report, cells),
        "</section>",
        '<section id="validation"><h2>検証結果（plan-etl validate）</h2>',
        _problems(problems),
        "</section>",
        "</main>",
        f"<script>{_SCRIPT}</script>",
        "</body></html>",
        "",
    ]
    return "\n".join(parts)
