"""The one-page HTML report (`plan_etl.html_report`) of the shipped report, read back with the
standard library's HTML parser: self-contained, every record in the heat map, the goals' amounts,
the phase legend, the problems, escaping and determinism. `test_html_chromium.py` renders it."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest

from helpers import REPORT
from plan_etl.form.vocabulary import PHASE_WORDS
from plan_etl.html_report import PHASE_COLOURS, heat_cell, render_html
from plan_etl.schemas import (
    ISSUE_LABELS_JA,
    LEVEL_LABELS_JA,
    YEARS,
    Initiative,
    Issue,
    IssueCode,
    Report,
    ScheduleRow,
)
from plan_etl.validate import validate

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node] = field(default_factory=list)
    text_parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """All text inside, in document order."""
        return "".join(self.text_parts)

    def iter(self, tag: str | None = None, **attrs: str):
        """Descendants (self included) with `tag` and attributes (`class_` for class; "" = present)."""
        want = {k.rstrip("_"): v for k, v in attrs.items()}
        if (tag is None or self.tag == tag) and all(
            k in self.attrs and (v == "" or v in self.attrs[k].split() or v == self.attrs[k])
            for k, v in want.items()
        ):
            yield self
        for child in self.children:
            yield from child.iter(tag, **attrs)

    def find(self, tag: str | None = None, **attrs: str) -> Node:
        found = next(self.iter(tag, **attrs), None)
        assert found is not None, f"no <{tag}> with {attrs}"
        return found


class TreeBuilder(HTMLParser):
    """A small DOM: every element with its attributes and its text (text also counts for ancestors)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        for node in self.stack:
            node.text_parts.append(data)


def parse_html(text: str) -> Node:
    builder = TreeBuilder()
    builder.feed(text)
    builder.close()
    unclosed = [n.tag for n in builder.stack[1:]]
    assert not unclosed, f"unclosed elements: {unclosed}"
    return builder.root


@pytest.fixture(scope="module")
def report(parsed_report: Report) -> Report:
    return parsed_report.model_copy(deep=True)


@pytest.fixture(scope="module")
def problems(report: Report) -> list[Issue]:
    return validate(report)


@pytest.fixture(scope="module")
def html(report: Report, problems: list[Issue]) -> str:
    return render_html(report, problems)


@pytest.fixture(scope="module")
def dom(html: str) -> Node:
    return parse_html(html)


def test_one_utf8_japanese_document(html: str, dom: Node) -> None:
    assert html.startswith("<!DOCTYPE html>")
    (root,) = list(dom.iter("html"))
    assert root.attrs["lang"] == "ja"
    assert dom.find("meta", charset="utf-8")
    assert dom.find("title").text.startswith("新たな行政経営への移行実現プラン（令和６年度推進状況）")
    html.encode("utf-8")


def test_self_contained(html: str, dom: Node) -> None:
    """Nothing to fetch: no links, no src, no URLs, no imports; the CSP forbids loading anything."""
    lowered = html.lower()
    for needle in ("http://", "https://", "<link", "src=", "@import", "@font-face", "<iframe", "<object"):
        assert needle not in lowered, needle
    assert re.findall(r"url\(([^)]*)\)", html) and all(
        ref == "#hatch" for ref in re.findall(r"url\(([^)]*)\)", html)
    ), "only references inside the page"
    assert not re.search(r"""=["']//""", html), "protocol-relative URL"
    fetching = {"href", "src", "srcset", "action", "poster", "xlink:href", "background"}
    assert not [(n.tag, a) for n in dom.iter() for a in n.attrs if a in fetching]
    csp = dom.find("meta", **{"http-equiv": "Content-Security-Policy"}).attrs["content"]
    assert "default-src 'none'" in csp
    scripts = list(dom.iter("script"))
    assert len(scripts) == 1 and not scripts[0].attrs


def test_metadata(report: Report, dom: Node) -> None:
    meta = dom.find("dl", id="meta").text
    assert report.document.source_file in meta
    assert report.document.source_sha256 in meta
    assert "2024年度（令和6年度）" in meta
    assert dom.find("h1").text == report.document.title


def test_heatmap_has_every_record(report: Report, dom: Node) -> None:
    heat = dom.find("table", id="heatmap")
    rows = list(heat.iter("tr", **{"data-item-id": ""}))
    assert len(rows) == len(report.initiatives) == 106
    assert len({r.attrs["data-item-id"] for r in rows}) == 105
    keys = {(r.attrs["data-item-id"], r.attrs["data-part"] or None) for r in rows}
    assert keys == {(i.item_id, str(i.part) if i.part else None) for i in report.initiatives}
    assert [r.attrs["data-part"] for r in rows if r.attrs["data-item-id"] == "5-13"] == ["1", "2"]
    by_key = {(i.item_id, i.part): i for i in report.initiatives}
    for row in rows:
        part = row.attrs["data-part"]
        rec = by_key[(row.attrs["data-item-id"], int(part) if part else None)]
        assert rec.title in row.text
        assert row.attrs["data-goal"] == str(rec.goal)
        cells = list(row.iter("td", class_="hc"))
        assert [c.attrs["data-year"] for c in cells] == list(YEARS)
        for cell, year in zip(cells, YEARS, strict=True):
            expected = heat_cell(rec, year)
            assert cell.attrs["title"] == expected.tooltip
            classes = cell.attrs["class"].split()
            if len(expected.phases) == 1:
                assert f"ph-{list(PHASE_WORDS).index(expected.phases[0])}" in classes
            elif expected.phases:
                assert "multi" in classes
                assert all(PHASE_COLOURS[p][0] in cell.attrs["style"] for p in expected.phases)
            else:
                assert f"st-{expected.state}" in classes
            if expected.phases:
                assert cell.text == "・".join(expected.phases)
            for sched in rec.schedule:
                if sched.cells.get(year):
                    assert sched.cells[year] in cell.attrs["title"]


def test_heatmap_in_contents_order(report: Report, dom: Node) -> None:
    rows = dom.find("table", id="heatmap").iter("tr", **{"data-item-id": ""})
    ids = [r.attrs["data-item-id"] for r in rows]
    assert list(dict.fromkeys(ids)) == [t.item_id for t in report.toc]


def test_five_goals_with_their_amounts(report: Report, dom: Node) -> None:
    assert len(report.goals) == 5
    table = dom.find("table", id="goal-table")
    goals_section = dom.find("section", id="goals")
    chart_text = " ".join(t.text for t in goals_section.iter("text"))
    for goal in report.goals:
        row = table.find("tr", **{"data-goal": str(goal.goal)})
        assert goal.name in row.text
        assert goal.amounts
        for amount in goal.amounts:
            cell = row.find("td", **{"data-amount": amount.label})
            assert cell.text == f"{amount.million_yen:,}"
            assert f"{amount.million_yen:,}" in chart_text
        for hours in goal.hours_reduced:
            assert row.find("td", **{"data-hours": hours.label}).text == f"{hours.hours:,}"
            assert f"{hours.hours:,} 時間" in chart_text
        target = row.find("td", **{"data-hours": "target"}).text
        assert target == (f"{goal.hours_target:,}" if goal.hours_target is not None else "—")
    headers = [th.text for th in table.find("thead").iter("th")]
    assert any(h.startswith("R6予算額") for h in headers) and any(h.startswith("R6決算額") for h in headers)
    assert any(h.startswith("R7予算額") for h in headers)


def test_charts_per_goal_and_department(report: Report, dom: Node) -> None:
    section = dom.find("section", id="initiatives")
    svgs = list(section.iter("svg"))
    assert len(svgs) == 3
    text = section.text
    for dept in {d for i in report.initiatives for d in i.departments}:
        assert dept in text
    assert "17 項目（18 件）" in text  # goal 5: 5-13 printed in two parts


def test_legend_has_every_phase(dom: Node) -> None:
    legend = dom.find("ul", id="phase-legend")
    phases = [li.attrs["data-phase"] for li in legend.iter("li", **{"data-phase": ""})]
    assert phases == [*PHASE_WORDS, "none", "unresolved"]
    css = dom.find("style").text
    for i, (phase, (bg, fg)) in enumerate(PHASE_COLOURS.items()):
        assert f".ph-{i} {{ background: {bg}; color: {fg}; }}" in css, phase
    assert "repeating-linear-gradient" in css  # the hatching of unresolved cells


def test_problems_table(report: Report, problems: list[Issue], dom: Node) -> None:
    pages = {t.item_id: t.page for t in report.toc}
    section = dom.find("section", id="validation")
    rows = list(section.find("table", id="problems").iter("tr", class_="problem"))
    assert len(rows) == len(problems) > 0
    for row, problem in zip(rows, problems, strict=True):
        assert row.attrs["data-code"] == problem.code and row.attrs["data-level"] == problem.level
        assert problem.message in row.attrs["title"]  # the detail, for those who want it
        assert ISSUE_LABELS_JA[problem.code] in row.text and LEVEL_LABELS_JA[problem.level] in row.text
        assert problem.code not in row.text  # the page is Japanese: codes are labels
        if problem.item_id and problem.item_id in pages:
            assert f"P.{pages[problem.item_id]}" in row.text
    errors = sum(p.level == "error" for p in problems)
    warnings = sum(p.level == "warning" for p in problems)
    assert section.find(id="error-count").text == f"{errors}エラー"
    assert section.find(id="warning-count").text == f"{warnings}警告"


def test_no_problems(report: Report) -> None:
    section = parse_html(render_html(report, [])).find("section", id="validation")
    assert section.find(id="no-problems")
    assert not list(section.iter("table"))


def test_deterministic(report: Report, problems: list[Issue], html: str) -> None:
    assert render_html(report, problems) == html
    assert render_html(report.model_copy(deep=True), list(problems)) == html


def test_deterministic_across_processes(html: str) -> None:
    """Another interpreter with another hash seed writes the same bytes."""
    code = (
        "import hashlib, sys; from plan_etl.api import parse_report; from plan_etl.validate import validate;"
        "from plan_etl.html_report import render_html; r = parse_report(sys.argv[1]);"
        "print(hashlib.sha256(render_html(r, validate(r)).encode()).hexdigest())"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run(
        [sys.executable, "-c", code, str(REPORT)], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.strip() == hashlib.sha256(html.encode()).hexdigest()


def test_text_is_escaped(report: Report) -> None:
    nasty = '<script>alert("x")</script> & "quoted" \'single\''
    first = report.initiatives[0].model_copy(update={"title": nasty, "departments": ["<b>部</b>"]})
    doc = report.document.model_copy(update={"title": "<i>表題</i>", "source_file": 'a"b<c>.txt'})
    changed = report.model_copy(update={"initiatives": [first, *report.initiatives[1:]], "document": doc})
    problem = Issue(
        level="error", code="x<y>", message="<img src=x onerror=alert(1)>", item_id="1-1", lines=[1]
    )
    out = render_html(changed, [problem])
    for raw in ("<script>alert", "<b>部", "<i>表題", "<img", 'a"b<c>'):
        assert raw not in out
    dom = parse_html(out)
    assert dom.find("h1").text == "<i>表題</i>"
    row = dom.find("tr", **{"data-item-id": first.item_id})
    assert nasty in row.text and "<b>部</b>" in row.text
    assert dom.find("tr", class_="problem").attrs["data-code"] == "x<y>"
    assert len(list(dom.iter("script"))) == 1


def test_report_without_amounts_or_year(report: Report) -> None:
    """An edition with no amounts, hours or fiscal year still renders."""
    empty = {"amounts": [], "hours_reduced": [], "hours_target": None}
    goals = [g.model_copy(update=empty) for g in report.goals]
    doc = report.document.model_copy(update={"report_fiscal_year": None})
    dom = parse_html(render_html(report.model_copy(update={"goals": goals, "document": doc}), []))
    assert "金額の記載なし" in dom.find("section", id="goals").text
    assert "不明" in dom.find("dl", id="meta").text


# ----------------------------------------------------------------- the heat-map cell rule


def _rec(*rows: ScheduleRow) -> Initiative:
    return Initiative(
        item_id="9-1", id_raw="9-1", goal=9, title="t", departments=[], content="c",
        schedule=list(rows), effects="e", results_label=None, results=None,
    )  # fmt: skip


def _report_of(rec: Initiative, base: Report) -> Report:
    return base.model_copy(update={"initiatives": [rec]})


def _row(number: int, cells: dict[str, str | None], resolved: bool = True) -> ScheduleRow:
    from plan_etl.parsers.yearly_plan.phases import classify_phases

    return ScheduleRow(
        number=number, label=f"row{number}", cells=cells, resolved=resolved,
        phases={y: classify_phases(c) for y, c in cells.items()},
    )  # fmt: skip


def test_a_cell_shows_every_phase_it_names_as_printed(report: Report) -> None:
    """実施・検証 is both 実施 and 検証; no phase is ranked above another (見直し is not "the most
    advanced")."""
    rec = _rec(
        _row(1, {"R6": "検討", "R7": "実施・検証", "R8": "工事監理", "R9": None}, resolved=True),
        _row(2, {"R6": "準備・試行", "R7": "見直し", "R8": "―", "R9": None}, resolved=True),
    )
    r6 = heat_cell(rec, "R6")
    assert (r6.state, r6.phases, r6.partial) == ("phases", ("検討", "準備", "試行"), False)
    r7 = heat_cell(rec, "R7")
    assert r7.phases == ("実施", "検証", "見直し") and "段階: 実施・検証・見直し" in r7.tooltip
    r8 = heat_cell(rec, "R8")
    assert r8.state == "none" and "工事監理" in r8.tooltip and "―" in r8.tooltip
    assert heat_cell(rec, "R9").state == "unresolved"
    page = render_html(_report_of(rec, report), [])
    assert 'data-phases="実施 検証 見直し"' in page and "linear-gradient" in page


def test_partly_unresolved_cell() -> None:
    rec = _rec(
        _row(1, {"R6": "実施", "R7": "実施", "R8": "実施", "R9": "実施"}),
        _row(2, dict.fromkeys(YEARS), resolved=False),
    )
    cell = heat_cell(rec, "R7")
    assert cell.phases == ("実施",) and cell.partial
    assert "row2: （未確定）" in cell.tooltip


def test_every_problem_code_has_a_japanese_label() -> None:
    """Every problem code (IssueCode; test_house holds the source to it) has its label, so the page
    never falls back to the machine code."""
    assert len(IssueCode) > 20 and all(c.ja and ISSUE_LABELS_JA[c] == c.ja for c in IssueCode)
