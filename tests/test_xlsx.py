"""The Excel workbook (`--format xlsx`), read back with openpyxl: an overview sheet, a sheet per table
of the registry and `schedule_wide`, Japanese headings over column names, row counts equal to the
Parquet tables', typed cells, text never a formula."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from plan_etl import api
from plan_etl.schemas import Report
from plan_etl.writers.tables import TABLES, WIDE_TABLES

openpyxl = pytest.importorskip("openpyxl")


@pytest.fixture(scope="module")
def report(report_path: Path) -> Report:
    return api.parse_report(report_path)


@pytest.fixture(scope="module")
def out(report: Report, tmp_path_factory: pytest.TempPathFactory) -> Path:
    evil = '=HYPERLINK("http://example.invalid","x")'
    first = report.initiatives[0].model_copy(update={"title": evil, "results": "+1"})
    hostile = report.model_copy(update={"initiatives": [first, *report.initiatives[1:]]})
    out = tmp_path_factory.mktemp("xlsx") / "out"
    api.write_outputs(hostile, out, ["parquet", "xlsx"])
    return out


@pytest.fixture(scope="module")
def book(out: Path):  # -> openpyxl Workbook
    return openpyxl.load_workbook(out / "report.xlsx")


def test_sheets_overview_first_then_every_table(book) -> None:
    assert book.sheetnames == ["概要", *(t.name for t in TABLES), *(t.name for t in WIDE_TABLES)]


def test_row_counts_equal_the_parquet_tables(book, out: Path, report: Report) -> None:
    for spec in TABLES:
        sheet = book[spec.name]
        assert sheet.max_row - 2 == pq.read_table(out / f"{spec.name}.parquet").num_rows, spec.name
    wide = book["schedule_wide"]
    assert wide.max_row - 2 == sum(len(r.schedule) for r in report.initiatives)


def test_two_header_rows_frozen_and_filtered(book) -> None:
    for spec in (*TABLES, *WIDE_TABLES):
        sheet = book[spec.name]
        assert [c.value for c in sheet[1]] == [c.ja for c in spec.columns]
        assert [c.value for c in sheet[2]] == [c.name for c in spec.columns]
        assert sheet.freeze_panes == "A3"
        assert sheet.auto_filter.ref.startswith("A2:")
    assert [c.value for c in book["initiatives"][1]][:6] == [
        "記録ID",
        "項目番号",
        "分割番号",
        "項目番号（表記）",
        "到達点",
        "取組み項目名",
    ]


def test_cells_are_typed_and_exact(book, out: Path) -> None:
    table = pq.read_table(out / "schedule.parquet").to_pylist()
    sheet = book["schedule"]
    names = [c.value for c in sheet[2]]
    for k, row in enumerate(table[:200]):
        got = dict(zip(names, (c.value for c in sheet[k + 3]), strict=True))
        for name, value in row.items():
            want = "、".join(value) if isinstance(value, list) else value
            assert got[name] == (want if want != "" else None), (k, name)
    goal = book["goal_amounts"]
    assert all(isinstance(c.value, int) for c in goal["E"][2:])  # million_yen as numbers


def test_text_is_never_a_formula(book) -> None:
    sheet = book["initiatives"]
    title = sheet.cell(row=3, column=6)
    assert title.value == '=HYPERLINK("http://example.invalid","x")'
    assert title.data_type == "s"  # a string cell, not a formula
    for row in book["initiatives"].iter_rows(min_row=3):
        for cell in row:
            assert cell.data_type != "f"


def test_the_overview_says_where_the_data_came_from(book, report: Report) -> None:
    sheet = book["概要"]
    about = {sheet.cell(row=r, column=1).value: sheet.cell(row=r, column=2).value for r in range(1, 8)}
    assert about["入力ファイル"] == report.document.source_file
    assert about["SHA-256"] == report.document.source_sha256
    assert about["作成ツール"].startswith("plan-etl ")
    listed = {sheet.cell(row=r, column=1).value: sheet.cell(row=r, column=4).value for r in range(10, 21)}
    assert listed["initiatives"] == len(report.initiatives)


def test_all_formats_include_the_workbook(tmp_path: Path, report_path: Path) -> None:
    from typer.testing import CliRunner

    from plan_etl.cli import app

    result = CliRunner().invoke(app, ["parse", str(report_path), "-o", str(tmp_path / "o"), "-f", "all"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "o" / "report.xlsx").is_file()
