"""Layout variants of the PDF fixture generator (tools/make_report_pdf.py): ``Layout.draw`` spans the
space of layouts, every drawn layout renders each initiative's words where a reader finds them, and the
default layout is the tool's old output.

A rendered text is looked for in the page text (pdfplumber) as fragments on successive lines: a cell's
wrapped lines are contiguous runs of the page lines they fall on, whatever sits in the cells beside it.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import fields
from pathlib import Path

import pytest

from helpers import load_tool, squash

pdfplumber = pytest.importorskip("pdfplumber")
pytest.importorskip("reportlab")

from plan_etl.schemas.records import YEARS, Initiative, Report  # noqa: E402

PAGES = (10, 12, 31, 34, 49, 57)
"""Printed pages rendered: two tables each, except 31 (2-5: seven departments) and 57 (5-2: longer
than a page at a continued layout's size); long titles on 34, long schedule labels on 49."""
LONG = "5-2"
SEEDS = range(20)

tool = load_tool("make_report_pdf")
Layout = tool.Layout


def printed(text: str | None) -> str:
    """A text as it reads back from the PDF (see tool.read_back), whitespace removed."""
    return squash(tool.read_back(text or ""))


def found(text: str, lines: list[str], start: int = 0, shortest: int = 2) -> int | None:
    """Where text ends if it is printed as fragments of lines[start:], one fragment a line, in line
    order (a fragment at least `shortest` characters but for the last): the index past its last
    line, else None."""
    best: dict[int, int] = {0: start}  # characters placed -> first line still free
    for p in range(len(text)):
        if p not in best:
            continue
        least = min(shortest, len(text) - p)
        for n in range(best[p], len(lines)):
            line, k = lines[n], least
            if text[p : p + k] not in line:
                continue
            while p + k < len(text) and text[p : p + k + 1] in line:
                k += 1
            for q in range(p + least, p + k + 1):
                best[q] = min(best.get(q, n + 1), n + 1)
    return best.get(len(text))


def found_as_printed(text: str, lines: list[str], vertical: bool = False) -> bool:
    """A text whose printed lines ("\\n") must each start on a new line (one character a line when
    vertical)."""
    at: int | None = 0
    for part in text.split("\n"):
        at = found(printed(part), lines, at, 1 if vertical else 2)
        if at is None:
            return False
    return True


def test_found_reads_fragments_in_line_order() -> None:
    lines = ["xx abc", "yy", "defzz", "g"]
    assert found("abcdefg", lines) == 4
    assert found("abcdef", lines[::-1]) is None
    assert found("abcdef", lines, start=1) is None
    assert found("adg", lines) is None and found("adg", lines, shortest=1) == 4
    assert found_as_printed("ab\nde", lines) and not found_as_printed("abc\nd\nz", lines)


@pytest.fixture(scope="module")
def report(parsed_report: Report) -> Report:
    return parsed_report.model_copy(deep=True)


@pytest.fixture(scope="module")
def small(report: Report) -> Report:
    """Six printed pages of the shipped report (goals and front matter kept: they take the font)."""
    inis = [i for i in report.initiatives if i.page in PAGES]
    toc = [e for e in report.toc if e.page in PAGES]
    assert {i.item_id for i in inis} >= {"1-4", "2-5", "2-11", "3-15", LONG}
    assert max(len(i.departments) for i in inis) == 7 and max(len(i.title) for i in inis) > 40
    return report.model_copy(update={"initiatives": inis, "toc": toc})


def _item_pages(path: Path) -> list[tuple[str, list[str], object]]:
    """The initiative pages: (printed page number, squashed text lines, pdfplumber page summary)."""
    out = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            raw = (page.extract_text(y_tolerance=1) or "").split("\n")
            if raw[0] == tool.PART3_HEADER and len(raw) > 1 and raw[1].startswith(tool.ITEMS_HEADER):
                summary = {
                    "fonts": {c["fontname"] for c in page.chars},
                    # x of the vertical rules (lines, rectangle sides)
                    "columns": {round(e["x0"]) for e in page.edges if e["orientation"] == "v"},
                    "edges": len(page.edges),
                }
                out.append((raw[-1], [squash(t) for t in raw[2:-1]], summary))
    return out


def _fields_text(ini: Initiative) -> str:
    return printed(" ".join(filter(None, [ini.title, ini.content, ini.effects, ini.results])))


def _check_initiative(ini: Initiative, lines: list[str], layout) -> None:
    def has(text: str, vertical: bool = False) -> None:
        assert found_as_printed(text, lines, vertical), (ini.item_id, text, layout)

    cells = layout.header != "bar"  # the header in cells: its label words may stand vertically
    # names wrap anywhere in a narrow cell, and the header anywhere on an upright page
    narrow = (cells and layout.narrow_departments) or layout.portrait
    has(ini.id_raw)
    has(ini.title)
    for d in ini.departments:
        assert found_as_printed(d, lines, vertical=narrow), (ini.item_id, d, layout)
    item_vertical = cells and layout.vertical_header and layout.header != "label_id"  # 「項目 1-4」 stays
    has("\n".join("項目") if item_vertical else "項目", vertical=item_vertical)
    mark_vertical = cells and layout.vertical_header
    has("\n".join("所管部") if mark_vertical else "所管部", vertical=mark_vertical)
    for row in ini.schedule:
        has(row.label)
    if ini.results_label is not None:
        has(ini.results_label)
    for y in YEARS:
        has(layout.year_label(y))
    words = ["取組み内容", "年次別計画", "目指すべき効果・成果"]
    for word in words:
        # as the layout prints it, spelt out independently of layout.label
        if layout.vertical_labels:
            has("\n".join(word), vertical=True)
        elif layout.split_labels and word == "取組み内容":
            has("取組み\n内容")
        elif layout.split_labels and word == "目指すべき効果・成果":
            has("目指すべき\n効果・成果")
        else:
            has(word)
        broken = layout.vertical_labels or (layout.split_labels and word != "年次別計画")
        if broken and printed(word) not in _fields_text(ini):
            assert not any(printed(word) in line for line in lines), (ini.item_id, word, layout)
    joined = printed("、".join(ini.departments))
    if layout.header == "split" and len(ini.departments) > 1:
        # one department a line in the split header
        assert not any(joined in line for line in lines), (ini.item_id, layout)
    else:
        assert found_as_printed("、".join(ini.departments), lines, vertical=narrow), (ini.item_id, layout)


@pytest.mark.parametrize("seed", SEEDS)
def test_a_drawn_layout_prints_every_initiative(small: Report, tmp_path: Path, seed: int) -> None:
    layout = Layout.draw(random.Random(seed))
    path = tmp_path / f"layout{seed}.pdf"
    tool.render_report_pdf(small, path, layout)
    pages = _item_pages(path)
    per_page = 1 if layout.portrait and layout.per_page == 2 else layout.per_page  # none abreast upright
    item_vertical = layout.header == "split" and layout.vertical_header
    by_number: dict[str, list[str]] = defaultdict(list)
    physical: dict[str, int] = defaultdict(int)
    for number, lines, summary in pages:
        by_number[number] += lines
        physical[number] += 1
        # by family: pdfminer names the Gothic font "HeiseKakuGo-W5" (the PDF says HeiseiKakuGo-W5)
        family = "Min" if "Min" in layout.font else "KakuGo"
        assert summary["fonts"] and all(family in f for f in summary["fonts"]), (summary, layout)
        if layout.rules == "none":  # no lines; a shaded layout's fills have edges, pdfplumber's
            assert layout.shaded or summary["edges"] == 0, layout
        elif layout.rules == "rows":
            # no column rules: vertical lines only at the tables' sides (two tables side by side at most)
            assert 2 <= len(summary["columns"]) <= 4, (summary, layout)
        else:
            assert len(summary["columns"]) >= 6, (summary, layout)
        # tables per page, counted by their ids (項目 may stand vertically before them)
        heads = [sum(line.count(f"{'' if item_vertical else '項目'}{i.id_raw}") for i in small.initiatives)
                 for line in lines]  # fmt: skip
        if per_page == 1:
            assert sum(heads) <= 1, layout
        elif per_page == "stacked":
            assert sum(heads) <= 2 and max(heads, default=0) <= 1, layout
        else:
            assert sum(heads) <= 2 and sum(heads) == max(heads, default=0), layout
    expected = tool.initiative_pages(small)
    assert sorted(by_number) == sorted(str(p) for p, _ in expected)
    for number, inis in expected:
        for ini in inis:
            _check_initiative(ini, by_number[str(number)], layout)
    if per_page == 2:
        assert any(
            sum(line.count(f"{'' if item_vertical else '項目'}{i.id_raw}") for i in small.initiatives) == 2
            for _number, lines, _ in pages
            for line in lines
        ), "two tables side by side"
    [long_page] = [p for p, inis in expected if any(i.item_id == LONG for i in inis)]
    if layout.continued:
        assert physical[str(long_page)] > 1, "a table longer than a page continues"
    elif per_page == 2:
        assert physical[str(long_page)] == 1, "shrunk to fit"


def test_the_grid_layout_has_vertical_rules(small: Report, tmp_path: Path) -> None:
    """The rules checks above mean something: the default grid rules its columns, "rows" does not."""
    for rules, least, most in (("grid", 6, 99), ("rows", 2, 4)):
        path = tmp_path / f"{rules}.pdf"
        tool.render_report_pdf(small, path, Layout(rules=rules))
        columns = [len(summary["columns"]) for _n, _l, summary in _item_pages(path)]
        assert all(least <= n <= most for n in columns), (rules, columns)


def test_draw_spans_every_option() -> None:
    drawn = [Layout.draw(random.Random(seed)) for seed in range(50)]
    options = {
        "header": {"bar", "split", "label_id"},
        "schedule_labels": {"column", "merged", "wide"},
        "rules": {"grid", "rows", "none"},
        "split_labels": {False, True},
        "vertical_labels": {False, True},
        "font": {"HeiseiKakuGo-W5", "HeiseiMin-W3"},
        "per_page": {2, 1, "stacked"},
        "continued": {False, True},
        "year_header": {"R6", "Ｒ６", "R6年度", "令和6年度"},
        "goal_columns": {False, True},
        "vertical_header": {False, True},
        "id_in_title": {False, True},
        "shaded": {False, True},
        "centred_years": {False, True},
        "narrow_departments": {False, True},
        "portrait": {False, True},
    }
    assert set(options) | {"label_width", "year_widths"} == {f.name for f in fields(Layout)}
    for name, values in options.items():
        assert {getattr(layout, name) for layout in drawn} == values, name
    widths = [layout.label_width for layout in drawn]
    assert min(widths) < 0.8 and max(widths) > 1.3
    assert all(0.7 <= w <= 1.4 for w in widths)
    assert any(max(layout.year_widths) / min(layout.year_widths) > 1.4 for layout in drawn)
    assert Layout.draw(random.Random(7)) == Layout.draw(random.Random(7))
    assert len(set(drawn)) == 50


def test_default_layout_is_the_old_output(small: Report, tmp_path: Path) -> None:
    tool.render_report_pdf(small, tmp_path / "plain.pdf")
    tool.render_report_pdf(small, tmp_path / "default.pdf", Layout())
    assert (tmp_path / "plain.pdf").read_bytes() == (tmp_path / "default.pdf").read_bytes()
    assert Layout() == tool.DEFAULT_LAYOUT


@pytest.mark.parametrize(
    "change",
    [
        {"header": "split"},
        {"header": "label_id"},
        {"schedule_labels": "merged"},
        {"schedule_labels": "wide"},
        {"rules": "rows"},
        {"rules": "none"},
        {"split_labels": True},
        {"vertical_labels": True},
        {"font": "HeiseiMin-W3"},
        {"label_width": 1.3},
        {"year_widths": (1.2, 0.8, 1.0, 1.0)},
        {"per_page": 1},
        {"per_page": "stacked"},
        {"continued": True},
        {"year_header": "Ｒ６"},
        {"year_header": "R6年度"},
        {"year_header": "令和6年度"},
        {"header": "split", "vertical_header": True},
        {"header": "split", "id_in_title": True},
        {"rules": "none", "shaded": True},
        {"centred_years": True},
        {"header": "label_id", "narrow_departments": True},
        {"portrait": True},
    ],
    ids=lambda change: "-".join(f"{k}={v}" for k, v in change.items()),
)
def test_each_option_changes_the_drawing(report: Report, tmp_path: Path, change: dict) -> None:
    """Every option value, alone, draws other pages (and the same pages again when asked again)."""
    pages = (10, 57)
    two = report.model_copy(
        update={
            "initiatives": [i for i in report.initiatives if i.page in pages],
            "toc": [e for e in report.toc if e.page in pages],
            "sections": [],
            "goals": [],
        }
    )
    tool.render_report_pdf(two, tmp_path / "default.pdf")
    tool.render_report_pdf(two, tmp_path / "a.pdf", Layout(**change))
    tool.render_report_pdf(two, tmp_path / "b.pdf", Layout(**change))
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
    assert (tmp_path / "a.pdf").read_bytes() != (tmp_path / "default.pdf").read_bytes()


def test_goal_columns_draw_the_goal_pages_in_two_columns(report: Report, tmp_path: Path) -> None:
    """The goal pages alone: with goal_columns the examples stand in a column of their own, right
    of the text (their x), and the same pages come again when asked again."""
    goals = report.model_copy(update={"initiatives": [], "toc": [], "sections": []})
    tool.render_report_pdf(goals, tmp_path / "default.pdf")
    tool.render_report_pdf(goals, tmp_path / "a.pdf", Layout(goal_columns=True))
    tool.render_report_pdf(goals, tmp_path / "b.pdf", Layout(goal_columns=True))
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()

    def legend_x(path: Path) -> set[int]:
        with pdfplumber.open(path) as pdf:
            words = [w for page in pdf.pages for w in page.extract_words()]
        return {round(w["x0"]) for w in words if w["text"].startswith(tool.EFFECT_LEGEND)}

    assert legend_x(tmp_path / "default.pdf") == {tool.MARGIN}
    assert min(legend_x(tmp_path / "a.pdf")) > tool.PAGE_W / 2


def test_bad_layouts_are_refused() -> None:
    with pytest.raises(ValueError, match="header"):
        Layout(header="banner")
    with pytest.raises(ValueError, match="year_widths"):
        Layout(year_widths=(1.0, 1.0))
    with pytest.raises(ValueError, match="per_page"):
        Layout(per_page=3)


def test_read_back_holds_for_the_mincho_font(small: Report, tmp_path: Path) -> None:
    """Both fonts print through the same CMap (Adobe-Japan1): ～ reads back as 〜 in Mincho too."""
    ini = small.initiatives[0].model_copy(update={"content": "3～5年 AI－OCR ➀"})
    one = small.model_copy(update={"initiatives": [ini], "toc": small.toc[:1]})
    path = tmp_path / "mincho.pdf"
    tool.render_report_pdf(one, path, Layout(font="HeiseiMin-W3"))
    text = "".join(line for _n, lines, _s in _item_pages(path) for line in lines)
    assert squash(tool.read_back("3～5年 AI－OCR ➀")) in text


def test_cli_layout_seed(small: Report, tmp_path: Path) -> None:
    one = small.model_copy(update={"initiatives": small.initiatives[:2], "toc": small.toc[:2]})
    src = tmp_path / "report.json"
    src.write_text(one.model_dump_json(), encoding="utf-8")
    assert tool.main(["--layout-seed", "5", str(src), str(tmp_path / "cli.pdf")]) == 0
    assert tool.main([str(src), str(tmp_path / "cli2.pdf"), "--layout-seed=5"]) == 0
    tool.render_report_pdf(one, tmp_path / "direct.pdf", Layout.draw(random.Random(5)))
    direct = (tmp_path / "direct.pdf").read_bytes()
    assert (tmp_path / "cli.pdf").read_bytes() == direct == (tmp_path / "cli2.pdf").read_bytes()
    assert tool.main(["--layout-seed", "x", str(src), str(tmp_path / "bad.pdf")]) == 2
    assert tool.main(["--layout-seed", str(src), str(tmp_path / "bad.pdf")]) == 2
    assert not (tmp_path / "bad.pdf").exists()
