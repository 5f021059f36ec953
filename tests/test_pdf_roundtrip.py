"""Records -> generated report PDF -> `plan-etl parse` -> the same records.

The PDF is rendered from the records parsed from the shipped text (tools/make_report_pdf.py), so it
holds the real words. The built-in Japanese font reads a few characters back differently (～ as 〜);
`read_back` says how, and both sides are compared after it, NFKC and whitespace removal.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

pytest.importorskip("reportlab")
pytest.importorskip("pdfplumber")

from helpers import ROOT, norm_printed
from plan_etl.api import parse_report
from plan_etl.schemas import Initiative, Report


def _tool():
    spec = importlib.util.spec_from_file_location("make_report_pdf", ROOT / "tools" / "make_report_pdf.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_report_pdf"] = module
    spec.loader.exec_module(module)
    return module


tool = _tool()


@pytest.fixture(scope="module")
def original(parsed_report: Report) -> Report:
    return parsed_report.model_copy(deep=True)


@pytest.fixture(scope="module")
def pdf(original: Report, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "report.pdf"
    tool.render_report_pdf(original, path)
    return path


@pytest.fixture(scope="module")
def from_pdf(pdf: Path) -> Report:
    return parse_report(pdf, workers=2)


def key(rec: Initiative) -> str:
    return rec.record_id


def test_the_pdf_is_read_by_its_bytes_as_a_pdf(pdf: Path, from_pdf: Report) -> None:
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert from_pdf.document.source_file == "report.pdf"


def test_same_table_of_contents(original: Report, from_pdf: Report) -> None:
    assert [(t.item_id, norm_printed(t.title), t.page, t.goal) for t in from_pdf.toc] == [
        (t.item_id, norm_printed(t.title), t.page, t.goal) for t in original.toc
    ]


def test_same_goals(original: Report, from_pdf: Report) -> None:
    def view(r: Report) -> list[tuple]:
        return [
            (
                g.goal,
                norm_printed(g.name),
                norm_printed(g.effect_category),
                [norm_printed(x) for x in g.effect_examples],
                [(a.label, a.million_yen) for a in g.amounts],
                [(h.label, h.hours) for h in g.hours_reduced],
                g.hours_target,
            )
            for g in r.goals
        ]

    assert view(from_pdf) == view(original)


def test_same_initiative_records(original: Report, from_pdf: Report) -> None:
    assert [key(r) for r in from_pdf.initiatives] == [key(r) for r in original.initiatives]


@pytest.mark.parametrize("field", ["title", "content", "effects", "results", "results_label"])
def test_every_text_field_equal(original: Report, from_pdf: Report, field: str) -> None:
    got = {key(r): norm_printed(getattr(r, field)) for r in from_pdf.initiatives}
    want = {key(r): norm_printed(getattr(r, field)) for r in original.initiatives}
    assert got == want


def test_every_department_equal(original: Report, from_pdf: Report) -> None:
    got = {key(r): [norm_printed(d) for d in r.departments] for r in from_pdf.initiatives}
    assert got == {key(r): [norm_printed(d) for d in r.departments] for r in original.initiatives}


def test_every_schedule_row_and_cell_equal(original: Report, from_pdf: Report) -> None:
    def rows(r: Report) -> dict[str, list[tuple]]:
        return {
            key(rec): [
                (
                    norm_printed(row.label),
                    row.number,
                    [norm_printed(row.cells[y]) for y in ("R6", "R7", "R8", "R9")],
                )
                for row in rec.schedule
            ]
            for rec in r.initiatives
        }

    got, want = rows(from_pdf), rows(original)
    cells = sum(len(v) * 4 for v in want.values())
    assert cells > 900
    assert got == want


def test_explain_on_a_pdf_shows_rows_read_from_the_grid(pdf: Path, from_pdf: Report) -> None:
    from plan_etl.api import explain_schedule

    [view] = explain_schedule(pdf, "1-1")
    [rec] = [r for r in from_pdf.initiatives if r.item_id == "1-1"]
    assert [r.label for r in view.rows] == [r.label for r in rec.schedule]
    assert {r.method for r in view.rows} == {"grid"} and view.fragments == []


def test_pdf_parse_validates(from_pdf: Report) -> None:
    from plan_etl.validate import validate

    assert [p for p in validate(from_pdf) if p.level == "error"] == []
    assert from_pdf.unaccounted_lines == []


def test_plain_text_extraction_still_parses(pdf: Path, original: Report, tmp_path: Path) -> None:
    """pdfminer's plain text of the PDF (what the shipped text was made with) through the text path."""
    from pdfminer.high_level import extract_text

    text_file = tmp_path / "report.txt"
    text_file.write_text(extract_text(str(pdf)), encoding="utf-8")
    report = parse_report(text_file)
    assert {t.item_id for t in report.toc} == {t.item_id for t in original.toc}
    found = {key(r) for r in report.initiatives}
    assert found == {key(r) for r in original.initiatives}
    titles = {key(r): norm_printed(r.title) for r in report.initiatives}
    assert titles == {key(r): norm_printed(r.title) for r in original.initiatives}


def test_reader_settings_reach_every_page_worker(pdf: Path, from_pdf: Report) -> None:
    """`parse_report(reader=...)` reads with those tolerances in every page worker: a straddle
    tolerance below zero makes every row's text cross a column edge, so every row is withheld."""
    from plan_etl.extract.pdf_layout import ReaderSettings

    doubtful = parse_report(pdf, workers=2, reader=ReaderSettings(straddle=-100.0))
    rows = [row for rec in doubtful.initiatives for row in rec.schedule]
    assert len(rows) == sum(len(r.schedule) for r in from_pdf.initiatives) > 200
    assert all(not row.resolved and "column boundary" in (row.reason or "") for row in rows)
    assert any(row.resolved for rec in from_pdf.initiatives for row in rec.schedule)
