"""One self-contained HTML page for a parsed report: `render_html` fills the page template with the
view model's charts and tables and inlines the CSS and JS, so that the page needs no network.

The template, CSS and JS are package data in `plan_etl/report_page/`: the page text lives there, the data
in `plan_etl.report_page.view`, the SVG drawing in `plan_etl.report_page.charts`. A Content-Security-Policy
forbids loading anything; the one script (the heat map's row filter) is allowed by its hash, and the
page is complete without it. Every report text is escaped, and the output is deterministic.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from functools import cache
from importlib.resources import files
from string import Template

from plan_etl.form.ids import reiwa_to_western, western_to_reiwa
from plan_etl.form.vocabulary import PHASE_WORDS
from plan_etl.report_page.charts import (
    NONE_COLOURS,
    PHASE_COLOURS,
    amounts_chart,
    department_counts_chart,
    goal_counts_chart,
    hours_chart,
    phase_mix_chart,
)
from plan_etl.report_page.markup import esc, num
from plan_etl.report_page.view import (
    NO_PHASE,
    UNRESOLVED,
    HeatCell,
    ProblemsView,
    ReportView,
    build_view,
    heat_cell,
)
from plan_etl.schemas import ISSUE_LABELS_JA, LEVEL_LABELS_JA, Issue, Report

__all__ = ["PHASE_COLOURS", "HeatCell", "heat_cell", "render_html"]

_PAGE_FILES = "plan_etl.report_page"
_PHASE_INDEX = {p: i for i, p in enumerate(PHASE_WORDS)}

# -------------------------------------------------------------------------------- package data


@cache
def _package_text(name: str) -> str:
    return (files(_PAGE_FILES) / name).read_text(encoding="utf-8")


def _inlined(name: str) -> str:
    """A static file's text as it goes into the page: without the file's final newline."""
    return _package_text(name).removesuffix("\n")


@cache
def _template() -> Template:
    return Template(_package_text("page.html"))


def _fill(template: Template, values: Mapping[str, str]) -> str:
    """`template` with every placeholder filled; a placeholder without a value or a value without a
    placeholder is an error."""
    names = set(template.get_identifiers())
    if names != set(values):
        raise ValueError(
            f"page.html placeholders {sorted(names ^ set(values))} do not match the page's values"
        )
    return template.substitute(values)


# ---------------------------------------------------------------------------------------- parts


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
    reiwa = western_to_reiwa(year)
    return f"{year}年度（令和{reiwa}年度）" if reiwa else f"{year}年度"


def _reiwa_year(label: str) -> int | None:
    """R6 -> 2024."""
    try:
        return reiwa_to_western(int(label.lstrip("R")))
    except ValueError:
        return None


def _goals_table(view: ReportView) -> str:
    """The amounts and hours as numbers: one row per goal, one column per label as printed."""
    cols = view.goal_columns
    head = (
        "<tr><th>到達点</th><th>名称</th>"
        + "".join(f'<th class="num">{esc(lb)}<br><small>百万円</small></th>' for lb in cols.amounts)
        + "".join(f'<th class="num">{esc(lb)} 執行率</th>' for lb in cols.settlements)
        + "".join(f'<th class="num">{esc(lb)}<br><small>時間</small></th>' for lb in cols.hours)
        + '<th class="num">計画期間の目標<br><small>時間</small></th></tr>'
    )
    rows: list[str] = []
    for goal in view.goals:
        amounts = {a.label: a.million_yen for a in goal.amounts}
        hours = {h.label: h.hours for h in goal.hours_reduced}
        cells = [f"<td>{goal.goal}</td><td>{esc(goal.name)}</td>"]
        for lb in cols.amounts:
            shown = num(amounts[lb]) if lb in amounts else "—"
            cells.append(f'<td class="num" data-amount="{esc(lb)}">{shown}</td>')
        for lb in cols.settlements:
            rate = goal.execution_rates.get(lb)
            cells.append(f'<td class="num">{"—" if rate is None else f"{rate:.0%}"}</td>')
        for lb in cols.hours:
            cells.append(
                f'<td class="num" data-hours="{esc(lb)}">{num(hours[lb]) if lb in hours else "—"}</td>'
            )
        target = num(goal.hours_target) if goal.hours_target is not None else "—"
        cells.append(f'<td class="num" data-hours="target">{target}</td>')
        rows.append(f'<tr data-goal="{goal.goal}">{"".join(cells)}</tr>')
    return f'<table class="data" id="goal-table"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'


def _phase_legend() -> str:
    """The legend's entry per phase with its first words; the template adds none, unresolved, partial."""
    items: list[str] = []
    for i, (phase, words) in enumerate(PHASE_WORDS.items()):
        shown = "・".join(words[:3]) + ("…" if len(words) > 3 else "")
        items.append(
            f'<li data-phase="{esc(phase)}" title="{esc("・".join(words))}"><span class="sw ph-{i}"></span>'
            f"{esc(phase)}<small>{esc(shown)}</small></li>"
        )
    return "".join(items)


def _heat_td(year: str, cell: HeatCell) -> str:
    """A year's cell: every phase its rows name, as printed (one colour, or the colours side by
    side for several: 実施・検証 is both), or no phase word, or unresolved."""
    style = ""
    if len(cell.phases) == 1:
        cls = f"ph-{_PHASE_INDEX[cell.phases[0]]}"
    elif cell.phases:
        cls = "multi"
        step = 100 / len(cell.phases)
        stops = ", ".join(
            f"{PHASE_COLOURS[p][0]} {k * step:.0f}% {(k + 1) * step:.0f}%" for k, p in enumerate(cell.phases)
        )
        style = f' style="background: linear-gradient(90deg, {stops})"'
    else:
        cls = f"st-{cell.state}"
    if cell.partial:
        cls += " partial"
    shown = "・".join(cell.phases) or {NO_PHASE: "—", UNRESOLVED: "未確定"}.get(cell.state, cell.state)
    return (
        f'<td class="hc {cls}" data-year="{year}" data-phases="{esc(" ".join(cell.phases))}"{style} '
        f'title="{esc(cell.tooltip)}">{esc(shown)}</td>'
    )


def _heatmap(view: ReportView) -> str:
    """One tbody per goal: its heading row, then a row per record with a cell per plan year."""
    years = "".join(f'<th class="yr">{y}<br><small>{_reiwa_year(y) or ""}</small></th>' for y in view.years)
    head = f"<thead><tr><th>項目</th><th>取組み項目</th><th>所管部</th>{years}</tr></thead>"
    bodies: list[str] = []
    for group in view.heat_groups:
        rows = [
            f'<tr class="goal-row"><th colspan="{3 + len(view.years)}">到達点{group.goal} {esc(group.name)}'
            f" <small>{len(group.rows)} 件</small></th></tr>"
        ]
        for row in group.rows:
            tds = "".join(_heat_td(year, cell) for year, cell in zip(view.years, row.cells, strict=True))
            part = "" if row.part is None else str(row.part)
            rows.append(
                f'<tr data-item-id="{esc(row.item_id)}" data-part="{part}" data-goal="{row.goal}" '
                f'data-search="{esc(row.search)}"><th class="id">{esc(row.label)}</th>'
                f'<td class="title">{esc(row.title)}</td>'
                f'<td class="dept">{esc("、".join(row.departments))}</td>{tds}</tr>'
            )
        bodies.append(f'<tbody data-goal="{group.goal}">{"".join(rows)}</tbody>')
    return f'<table id="heatmap">{head}{"".join(bodies)}</table>'


def _problem_tables(problems: ProblemsView, pages: Mapping[str, int]) -> str:
    """The problems per kind and one row per problem, in Japanese (the machine code and the
    detailed message, which is in English, are the row's tooltip), with the item's page in the
    report where known; a sentence when there are none."""
    if not problems.rows:
        return '<p class="ok-text" id="no-problems">問題は見つかりませんでした。</p>'

    def level(name: str) -> str:
        return f'<span class="lvl {esc(name)}">{esc(LEVEL_LABELS_JA.get(name, name))}</span>'

    code_rows = "".join(
        f'<tr data-code="{esc(c.code)}"><td>{level(c.level)}</td>'
        f'<td title="{esc(c.code)}">{esc(ISSUE_LABELS_JA.get(c.code, c.code))}</td>'
        f'<td class="num">{c.count}</td></tr>'
        for c in problems.by_code
    )
    by_code = (
        '<table class="data compact" id="problem-codes"><thead><tr><th>重要度</th><th>種類</th>'
        f'<th class="num">件数</th></tr></thead><tbody>{code_rows}</tbody></table>'
    )
    rows: list[str] = []
    for p in problems.rows:
        page = pages.get(p.item_id)
        where = f"P.{page}" if page is not None else ""
        rows.append(
            f'<tr class="problem" data-level="{esc(p.level)}" data-code="{esc(p.code)}" '
            f'title="{esc(p.code + ": " + p.message)}">'
            f"<td>{level(p.level)}</td><td>{esc(ISSUE_LABELS_JA.get(p.code, p.code))}</td>"
            f'<td class="id">{esc(p.item_id)}</td><td class="page">{esc(where)}</td>'
            f'<td class="lines">{esc(_lines_ja(p.lines))}</td></tr>'
        )
    table = (
        '<table class="data" id="problems"><thead><tr><th>重要度</th><th>種類</th><th>項目</th>'
        f"<th>掲載ページ</th><th>原文の行</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    return by_code + table


def _lines_ja(lines: tuple[int, ...]) -> str:
    shown = "、".join(map(str, lines[:8]))
    return shown + (f" ほか{len(lines) - 8}行" if len(lines) > 8 else "")


# ----------------------------------------------------------------------------------------- page


def _pages(report: Report) -> dict[str, int]:
    """Each item's page in the report (the item list's P.), for problems to say where to look."""
    pages = {t.item_id: t.page for t in report.toc if t.page is not None}
    pages.update(
        {i.item_id: i.page for i in report.initiatives if i.page is not None and i.item_id not in pages}
    )
    return pages


def render_html(report: Report, problems: list[Issue]) -> str:
    """The whole report page as one self-contained HTML document (deterministic for the same input)."""
    view = build_view(report, problems)
    meta = view.meta
    script = _inlined("page.js")
    script_hash = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    csp = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        f"script-src 'sha256-{script_hash}'; base-uri 'none'; form-action 'none'"
    )
    values = {
        "csp": esc(csp),
        "css": _inlined("page.css"),
        "phase_css": _phase_css(),
        "script": script,
        "title": esc(meta.title),
        "fiscal_year": esc(_fiscal_year(meta.report_fiscal_year)),
        "source_file": esc(meta.source_file),
        "source_sha256": esc(meta.source_sha256),
        "toc_entries": str(meta.toc_entries),
        "records": str(meta.records),
        "items": str(meta.items),
        "schedule_rows": str(meta.schedule_rows),
        "unresolved_cells": str(meta.unresolved_cells),
        "amounts_chart": amounts_chart(view.goals),
        "hours_chart": hours_chart(view.goals),
        "goals_table": _goals_table(view),
        "goals_count_chart": goal_counts_chart(view.goal_counts),
        "phase_mix_chart": phase_mix_chart(view.phase_mix, view.n_records),
        "departments_count_chart": department_counts_chart(view.department_counts),
        "phase_legend": _phase_legend(),
        "goal_options": "".join(f'<option value="{g.goal}">到達点{g.goal}</option>' for g in view.goals),
        "heatmap": _heatmap(view),
        "error_card": "bad" if view.problems.errors else "ok",
        "errors": str(view.problems.errors),
        "warning_card": "warn" if view.problems.warnings else "ok",
        "warnings": str(view.problems.warnings),
        "problem_tables": _problem_tables(view.problems, _pages(report)),
    }
    return _fill(_template(), values)
