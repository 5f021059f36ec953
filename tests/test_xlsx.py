"""The Excel workbook (`--format xlsx`), read back with openpyxl and opened in LibreOffice: an
overview sheet in Japanese, a sheet per table under its Japanese name (the wide schedule beside the
long one), one header row of Japanese headings, 列の説明, row counts equal to the Parquet tables',
typed cells, text never a formula."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from helpers import in_ci, load_tool
from plan_etl import api
from plan_etl.schemas import Report
from plan_etl.writers.tables import TABLES, WIDE_TABLES
from plan_etl.writers.xlsx import COLUMNS, OVERVIEW, sheet_order

openpyxl = pytest.importorskip("openpyxl")


@pytest.fixture(scope="module")
def report(parsed_report: Report) -> Report:
    return parsed_report.model_copy(deep=True)


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


def test_sheets_overview_first_then_every_table_by_its_japanese_name(book) -> None:
    assert book.sheetnames == [OVERVIEW, *(t.ja for t in sheet_order()), COLUMNS]
    names = book.sheetnames
    assert names.index("年次別計画（横）") == names.index("年次別計画") + 1


def test_row_counts_equal_the_parquet_tables(book, out: Path, report: Report) -> None:
    for spec in TABLES:
        sheet = book[spec.ja]
        assert sheet.max_row - 1 == pq.read_table(out / f"{spec.name}.parquet").num_rows, spec.name
    wide = book["年次別計画（横）"]
    assert wide.max_row - 1 == sum(len(r.schedule) for r in report.initiatives)


def test_one_header_row_of_japanese_headings_frozen_and_filtered(book) -> None:
    for spec in (*TABLES, *WIDE_TABLES):
        sheet = book[spec.ja]
        assert [c.value for c in sheet[1]] == [c.ja for c in spec.columns]
        assert [c.comment.text.split("\n")[0] for c in sheet[1]] == [c.name for c in spec.columns]
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref.startswith("A1:")
    assert [c.value for c in book["取組み"][1]][:7] == [
        "記録ID",
        "項目番号",
        "分割番号",
        "並び順",
        "項目番号（表記）",
        "到達点",
        "取組み項目名",
    ]
    described = {(r[0].value, r[2].value) for r in book[COLUMNS].iter_rows(min_row=2)}
    assert described == {(t.ja, c.name) for t in (*TABLES, *WIDE_TABLES) for c in t.columns}


def test_cells_are_typed_and_exact(book, out: Path) -> None:
    table = pq.read_table(out / "schedule.parquet").to_pylist()
    sheet = book["年次別計画"]
    names = [c.comment.text.split("\n")[0] for c in sheet[1]]
    for k, row in enumerate(table[:200]):
        got = dict(zip(names, (c.value for c in sheet[k + 2]), strict=True))
        for name, value in row.items():
            want = "、".join(value) if isinstance(value, list) else value
            assert got[name] == (want if want != "" else None), (k, name)
    goal = book["到達点の金額"]
    assert all(isinstance(c.value, int) for c in goal["E"][1:])  # million_yen as numbers


def test_text_is_never_a_formula(book) -> None:
    sheet = book["取組み"]
    title = sheet.cell(row=2, column=7)
    assert title.value == '=HYPERLINK("http://example.invalid","x")'
    assert title.data_type == "s"  # a string cell, not a formula
    for row in book["取組み"].iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f"


def test_the_overview_says_where_the_data_came_from(book, report: Report) -> None:
    sheet = book["概要"]
    about = {sheet.cell(row=r, column=1).value: sheet.cell(row=r, column=2).value for r in range(1, 8)}
    assert about["入力ファイル"] == report.document.source_file
    assert about["SHA-256"] == report.document.source_sha256
    assert about["作成ツール"].startswith("plan-etl ")
    listed = {sheet.cell(row=r, column=2).value: sheet.cell(row=r, column=4).value for r in range(10, 21)}
    assert listed["initiatives"] == len(report.initiatives)
    grains = [sheet.cell(row=r, column=3).value for r in range(10, 20)]
    assert all(g and not g.isascii() for g in grains)  # what a row is, in Japanese


def test_all_formats_include_the_workbook(tmp_path: Path, report_path: Path) -> None:
    from typer.testing import CliRunner

    from plan_etl.cli import app

    result = CliRunner().invoke(app, ["parse", str(report_path), "-o", str(tmp_path / "o"), "-f", "all"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "o" / "report.xlsx").is_file()


def test_the_workbook_opens_in_libreoffice(out: Path, tmp_path: Path) -> None:
    """LibreOffice Calc (headless) opens the workbook and exports every sheet as CSV: one header
    row, then the data, as a spreadsheet reads it."""
    import subprocess

    soffice = load_tool("make_report_html").soffice()
    if soffice is None:
        if in_ci():
            pytest.fail("LibreOffice is missing in CI (make browser installs it)")
        pytest.skip("LibreOffice (soffice) is not installed")
    done = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
            "--outdir",
            str(tmp_path / "csv"),
            str(out / "report.xlsx"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    csvs = {p.stem.removeprefix("report-"): p for p in (tmp_path / "csv").glob("*.csv")}
    if "年次別計画（横）" not in csvs and "Error" in done.stderr + done.stdout and not in_ci():
        pytest.skip(f"LibreOffice Calc could not convert: {done.stderr.strip()[:200]}")
    assert set(csvs) >= {t.ja for t in sheet_order()}, (done.stdout, done.stderr)
    import csv

    with csvs["年次別計画（横）"].open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0][:7] == ["記録ID", "項目番号", "分割番号", "並び順", "行番号", "丸数字", "行見出し"]
    assert rows[1][0] == "1-1" and len(rows) - 1 == pq.read_table(out / "schedule.parquet").num_rows // 4
