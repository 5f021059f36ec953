"""PDF fixture generator (tools/make_report_pdf.py): the shipped report rendered to PDF reads back, with
pdfplumber, as the records it was rendered from."""

from __future__ import annotations

import math
import time
from pathlib import Path

import pytest

from helpers import load_tool, squash

pdfplumber = pytest.importorskip("pdfplumber")
pytest.importorskip("reportlab")

from plan_etl.extract.base import Line  # noqa: E402
from plan_etl.parsers.front.goals import parse_goals  # noqa: E402
from plan_etl.parsers.front.toc import parse_toc  # noqa: E402
from plan_etl.schemas.records import YEARS, Initiative, Issue, Report  # noqa: E402

tool = load_tool("make_report_pdf")


def printed(text: str | None) -> str:
    """A record's text as it reads back from the PDF, whitespace removed (see tool.read_back)."""
    return squash(tool.read_back(text or ""))


@pytest.fixture(scope="module")
def report(parsed_report: Report) -> Report:
    return parsed_report.model_copy(deep=True)


@pytest.fixture(scope="module")
def pdf_path(report: Report, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "report.pdf"
    start = time.perf_counter()
    tool.render_report_pdf(report, path)
    print(f"\nrendered {path.name} in {time.perf_counter() - start:.2f}s")
    return path


@pytest.fixture(scope="module")
def pages(pdf_path: Path) -> list[tuple[list[str], list[list[list[str | None]]]]]:
    """Per page: the plain text lines and the tables found (left to right), each as extracted rows."""
    out = []
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            lines = (page.extract_text() or "").split("\n")
            tables = sorted(page.find_tables(), key=lambda t: (t.bbox[0], t.bbox[1]))
            out.append((lines, [_rows(page, t) for t in tables]))
    return out


def _rows(page, table) -> list[list[str | None]]:
    """The table's rows, the header bar read as the text inside its row (it spans all columns, but
    the table finder cuts it at the column lines of the rows below)."""
    rows = table.extract()
    bar = page.crop(table.rows[0].bbox).extract_text() or ""
    rows[0] = ["".join(bar.split("\n")), None, None, None, None]
    return rows


def _kind(lines: list[str]) -> str:
    if lines[0] == tool.GOALS_HEADER:
        return "goals"
    if lines[0] == tool.PART3_HEADER and len(lines) > 1 and lines[1] == tool.TOC_HEADER:
        return "toc"
    if lines[0] == tool.PART3_HEADER and len(lines) > 1 and lines[1].startswith(tool.ITEMS_HEADER):
        return "items"
    return "front"


def _lines(pages: list[tuple[list[str], list]]) -> list[Line]:
    """The document's text lines top to bottom, numbered from 1, as an extractor would give them."""
    texts = [t for lines, _ in pages for t in lines]
    return [Line(i, t) for i, t in enumerate(texts, 1)]


def test_metadata_and_page_count(report: Report, pdf_path: Path, pages) -> None:
    with pdfplumber.open(pdf_path) as pdf:
        assert pdf.metadata["Title"] == report.document.title
    kinds = [_kind(lines) for lines, _ in pages]
    # front matter, then goals, then the contents, then the initiative pages, never interleaved
    order = ["front", "goals", "toc", "items"]
    assert [order.index(k) for k in kinds] == sorted(order.index(k) for k in kinds)
    n_front = len(tool.section_groups(report))
    n_goals = kinds.count("goals")
    n_toc = kinds.count("toc")
    n_items = len({e.page for e in report.toc})
    assert kinds.count("front") == n_front == 2
    assert n_goals == math.ceil(len(report.goals) / 2)
    assert n_toc >= 1
    assert kinds.count("items") == n_items == len(tool.initiative_pages(report)) == 58
    assert len(pages) == n_front + n_goals + n_toc + n_items


def _header(ini: Initiative) -> str:
    return f"項目 {ini.id_raw} {ini.title} 所管部 {'、'.join(ini.departments)}"


def _expected_labels(ini: Initiative) -> list[str]:
    labels = [_header(ini), "取組み内容", "年次別計画"]
    labels += [row.label for row in ini.schedule]
    labels.append("目指すべき効果・成果")
    if ini.results_label is not None:
        labels.append(ini.results_label)
    return [printed(x) for x in labels]


def _item_pages(report: Report, pages) -> list[tuple[int | None, list[Initiative], list[str], list]]:
    items = [(lines, tables) for lines, tables in pages if _kind(lines) == "items"]
    layout = tool.initiative_pages(report)
    assert len(items) == len(layout)
    return [(p, inis, lines, tables) for (p, inis), (lines, tables) in zip(layout, items, strict=True)]


def test_initiative_pages_hold_one_ruled_table_per_initiative(report: Report, pages) -> None:
    names = {g.goal: g.name for g in report.goals}
    for page, inis, lines, tables in _item_pages(report, pages):
        assert lines[-1] == str(page), "printed page number at the foot"
        assert lines[1].endswith(names[inis[0].goal]), lines[1]
        assert len(tables) == len(inis), (page, [i.item_id for i in inis])
        for ini, rows in zip(inis, tables, strict=True):
            assert all(len(row) == 5 for row in rows), ini.item_id
            assert [squash(row[0]) for row in rows] == _expected_labels(ini), ini.item_id


def test_initiative_cells_read_back_as_the_records(report: Report, pages) -> None:
    """Each field in its own cell, text intact; a spanned cell's covered columns come back None."""
    for _page, inis, _lines, tables in _item_pages(report, pages):
        for ini, rows in zip(inis, tables, strict=True):
            head, content, years, *sched = rows
            n = len(ini.schedule)
            sched, tail = sched[:n], sched[n:]
            # the header bar: one cell over the five columns
            assert printed(head[0]) == printed(_header(ini)) and head[1:] == [None] * 4
            assert printed(content[1]) == printed(ini.content) and content[2:] == [None] * 3
            assert [squash(c) for c in years[1:]] == list(YEARS)
            for row, rec in zip(sched, ini.schedule, strict=True):
                # a null cell is an empty cell: "" (not None, which marks a spanned column)
                assert [printed(c) for c in row[1:]] == [printed(rec.cells.get(y)) for y in YEARS], (
                    ini.item_id,
                    rec.label,
                )
                assert None not in row
            effects, *results = tail
            assert printed(effects[1]) == printed(ini.effects) and effects[2:] == [None] * 3
            if ini.results_label is None:
                assert results == []
            else:
                assert printed(results[0][1]) == printed(ini.results) and results[0][2:] == [None] * 3


def test_cells_keep_line_breaks(report: Report, pages) -> None:
    """A "\\n" in a field is a line break in its cell (besides the wraps)."""
    ini = report.initiatives[0]
    assert ini.item_id == "1-1" and ini.content and "\n" in ini.content
    _page, _inis, _lines, tables = _item_pages(report, pages)[0]
    cell = tables[0][1][1]
    for para in ini.content.split("\n"):
        assert any(line.startswith(para[:8]) for line in cell.split("\n")), para


def test_toc_round_trips_through_parse_toc(report: Report, pages) -> None:
    issues: list[Issue] = []
    toc = parse_toc(_lines(pages), issues)
    assert issues == []
    got = [(e.item_id, e.id_raw, squash(e.title), e.page, e.goal) for e in toc]
    want = [(e.item_id, tool.read_back(e.id_raw), printed(e.title), e.page, e.goal) for e in report.toc]
    assert got == want


def test_goals_round_trip_through_parse_goals(report: Report, pages) -> None:
    issues: list[Issue] = []
    goals = parse_goals(_lines(pages), issues)
    assert issues == []
    assert len(goals) == len(report.goals) == 5
    for got, rec in zip(goals, report.goals, strict=True):
        assert got.goal == rec.goal
        assert got.name == tool.read_back(rec.name)
        assert got.description == tool.read_back(rec.description)
        assert got.effect_category == tool.read_back(rec.effect_category)
        # ➢ has no glyph in the CID font: it prints as ▶, which parse_goals also reads as a bullet
        assert got.effect_examples == [tool.read_back(x) for x in rec.effect_examples]
        assert got.amounts == rec.amounts
        assert got.hours_reduced == rec.hours_reduced
        assert got.hours_target == rec.hours_target
    assert [g.hours_target for g in goals] == [None, 96000, 129000, None, None]


def test_same_records_give_the_same_bytes(report: Report, pdf_path: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.pdf"
    tool.render_report_pdf(report, again)
    assert again.read_bytes() == pdf_path.read_bytes()


def test_cli_renders_a_json_document(report: Report, tmp_path: Path) -> None:
    small = report.model_copy(update={"initiatives": report.initiatives[:3], "toc": report.toc[:3]})
    src = tmp_path / "report.json"
    src.write_text(small.model_dump_json(), encoding="utf-8")
    assert tool.main([str(src), str(tmp_path / "cli.pdf")]) == 0
    tool.render_report_pdf(small, tmp_path / "direct.pdf")
    assert (tmp_path / "cli.pdf").read_bytes() == (tmp_path / "direct.pdf").read_bytes()
    assert tool.main([str(src)]) == 2


def test_a_table_too_tall_for_a_page_continues_on_the_next(report: Report, tmp_path: Path) -> None:
    """Last resort: even at the smallest font the table does not fit, so it goes on over pages, each
    with the page header and number, and the text complete."""
    long = "\n".join(f"{k:03d}行目の取組み内容です。" * 6 for k in range(200))
    big = report.initiatives[0].model_copy(update={"content": long})
    small = report.model_copy(update={"initiatives": [big], "toc": report.toc[:1]})
    path = tmp_path / "big.pdf"
    tool.render_report_pdf(small, path)
    text = ""
    with pdfplumber.open(path) as pdf:
        item_pages = [p for p in pdf.pages if _kind((p.extract_text() or "").split("\n")) == "items"]
        assert len(item_pages) > 1
        for p in item_pages:
            lines = (p.extract_text() or "").split("\n")
            assert lines[0] == tool.PART3_HEADER and lines[-1] == str(big.page)
            text += "".join(lines[2:-1])
    for k in range(200):
        assert squash(text).count(f"{k:03d}行目の取組み内容です。") == 6, k


def test_read_back_models_the_cid_font() -> None:
    assert tool.printable("➢ 例") == "▶ 例"
    assert tool.read_back("3～5年 AI－OCR ➀") == "3〜5年 AI−OCR ①"
    assert tool.read_back("到達点２ 区民") == "到達点２ 区民"
