"""BI outputs: DuckDB, CSV (Excel-ready), JSON Lines, the published JSON Schema and data dictionary."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from helpers import REPORT, ROOT
from plan_etl.cli import app
from plan_etl.dictionary import data_dictionary, json_schema_text
from plan_etl.writers.parquet import TABLES

NAMES = [t.name for t in TABLES]


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("all")
    result = CliRunner().invoke(app, ["parse", str(REPORT), "--out-dir", str(out), "--format", "all"])
    assert result.exit_code == 0, result.output
    return out


def test_format_all_writes_every_format(out: Path) -> None:
    assert (out / "report.json").is_file() and (out / "report.duckdb").is_file()
    for name in NAMES:
        for ext in ("parquet", "csv", "jsonl"):
            assert (out / f"{name}.{ext}").is_file(), (name, ext)


def test_duckdb_file_and_parquet_give_the_same_counts(out: Path) -> None:
    con = duckdb.connect(str(out / "report.duckdb"), read_only=True)
    for name in NAMES:
        in_db = con.sql(f'SELECT count(*) FROM "{name}"').fetchall()[0]
        in_parquet = duckdb.sql(f"SELECT count(*) FROM '{out / name}.parquet'").fetchall()[0]
        assert in_db == in_parquet, name
    assert con.sql("SELECT count(*) FROM initiatives").fetchall()[0] == (106,)
    keys = dict(
        con.sql(
            "SELECT table_name, constraint_column_names FROM duckdb_constraints() "
            "WHERE constraint_type = 'PRIMARY KEY'"
        ).fetchall()
    )
    assert keys["initiatives"] == ["record_id"]
    assert keys["schedule"] == ["record_id", "row_number", "reiwa"]


def test_duckdb_views(out: Path) -> None:
    con = duckdb.connect(str(out / "report.duckdb"), read_only=True)
    overview = con.sql(
        "SELECT goal_name, title, departments FROM initiative_overview WHERE record_id = '1-4'"
    ).fetchall()
    assert overview == [
        (
            "新たな仕組みづくり",
            "お問い合わせセンター運営業務の再構築",
            "政策経営部、庁舎管理担当部、DX推進担当部",
        )
    ]
    wide = con.sql(
        "SELECT label, R6, R7, R8, R9, resolved, confidence > 0.9 FROM schedule_wide "
        "WHERE record_id = '1-1' ORDER BY row_number"
    )
    assert wide.fetchall()[1] == (
        "②区政PR素材の拡充",
        "検討",
        "実施・検証",
        "実施・検証",
        "実施・検証",
        True,
        True,
    )
    unresolved = con.sql(
        "SELECT R6, R7, R8, R9, resolved, reason FROM schedule_wide "
        "WHERE reason_code = 'low_confidence' ORDER BY record_id, row_number"
    ).fetchall()[0]
    assert unresolved[:5] == (None, None, None, None, False) and "confidence" in unresolved[5]
    n_rows = con.sql("SELECT count(*) FROM schedule").fetchall()[0][0]
    assert con.sql("SELECT count(*) FROM schedule_wide").fetchall()[0][0] * 4 == n_rows


def test_csv_opens_with_correct_japanese_in_a_bom_aware_reader(out: Path) -> None:
    raw = (out / "departments.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with (out / "departments.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["record_id", "item_id", "part", "item_order", "row_number", "department"]
    assert {
        "record_id": "1-1",
        "item_id": "1-1",
        "part": "",
        "item_order": "100100",
        "row_number": "1",
        "department": "政策経営部",
    } in rows
    with (out / "initiatives.csv").open(encoding="utf-8-sig", newline="") as f:
        init = {r["record_id"]: r for r in csv.DictReader(f)}
    assert init["1-4"]["departments"] == "政策経営部、庁舎管理担当部、DX推進担当部"
    assert init["5-13#2"]["part"] == "2"


def test_jsonl_rows_match_parquet(out: Path) -> None:
    for name in NAMES:
        lines = (out / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
        assert len(lines) == duckdb.sql(f"SELECT count(*) FROM '{out / name}.parquet'").fetchall()[0][0]
    first = json.loads((out / "schedule.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert first["cell"] == "試行・検証（動画ガイドラインの検討）"
    assert first["phases"] == ["検討", "試行", "検証"] and first["reiwa"] == "R6"


def test_committed_json_schema_matches_the_models() -> None:
    assert (ROOT / "schemas" / "report.schema.json").read_text(encoding="utf-8") == json_schema_text(), (
        "schemas/report.schema.json is stale: run `plan-etl schema > schemas/report.schema.json`"
    )


def test_committed_data_dictionary_matches_the_models() -> None:
    assert (ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8") == data_dictionary(), (
        "docs/data-dictionary.md is stale: run `plan-etl schema --dictionary > docs/data-dictionary.md`"
    )


def test_parsed_json_validates_against_the_schema(out: Path) -> None:
    from plan_etl.schemas import Report

    schema = json.loads(json_schema_text())
    doc = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert set(schema["required"]) <= set(doc)
    Report.model_validate(doc)


def test_schema_command_prints_it() -> None:
    result = CliRunner().invoke(app, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["title"] == "plan-etl report"


def test_the_duckdb_file_opens_in_a_duckdb_1_x_reader(out: Path) -> None:
    """The file is written in DuckDB's 1.0 storage format: the `duckdb` command of DuckDB 1.x (the
    duckdb-cli package; the Python package that wrote it is newer) reads its tables and views."""
    import shutil
    import subprocess
    import sys

    cli = Path(sys.executable).with_name("duckdb")
    if not cli.exists():
        found = shutil.which("duckdb")
        if found is None:
            pytest.skip("no duckdb command (pip install duckdb-cli)")
        cli = Path(found)
    version = subprocess.run([str(cli), "--version"], capture_output=True, text=True, check=True).stdout
    assert version.startswith("v1."), version
    done = subprocess.run(
        [
            str(cli),
            "-readonly",
            "-json",
            str(out / "report.duckdb"),
            "-c",
            "SELECT (SELECT count(*) FROM schedule) AS n, (SELECT count(*) FROM initiative_overview) AS m",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    [row] = json.loads(done.stdout)
    con = duckdb.connect(str(out / "report.duckdb"), read_only=True)
    assert (row["n"], row["m"]) == con.sql(
        "SELECT (SELECT count(*) FROM schedule), (SELECT count(*) FROM initiative_overview)"
    ).fetchall()[0]


def test_order_by_item_order_gives_print_order_and_one_results_label_spelling(out: Path) -> None:
    con = duckdb.connect(str(out / "report.duckdb"), read_only=True)
    listed = [r[0] for r in con.sql("SELECT item_id FROM toc").fetchall()]  # the list's print order
    ordered = [r[0] for r in con.sql("SELECT item_id FROM toc ORDER BY item_order").fetchall()]
    assert ordered == listed and ordered.index("1-2") < ordered.index("1-10")
    records = [r[0] for r in con.sql("SELECT record_id FROM initiatives ORDER BY item_order").fetchall()]
    assert records.index("5-13#1") + 1 == records.index("5-13#2")
    assert [r for r in dict.fromkeys(x.split("#")[0] for x in records)] == listed
    rows = con.sql(
        "SELECT number FROM schedule_wide WHERE record_id = '1-1' ORDER BY item_order, row_number"
    ).fetchall()
    assert [r[0] for r in rows] == sorted(r[0] for r in rows)
    labels = con.sql("SELECT DISTINCT results_label FROM initiatives WHERE results_label IS NOT NULL")
    assert labels.fetchall() == [("R6実績",)]


def _sections(markdown: str) -> dict[str, set[str]]:
    """The dictionary's sections (by table or view name) and the columns each lists."""
    out: dict[str, set[str]] = {}
    name = None
    for line in markdown.splitlines():
        if line.startswith("## `"):
            name = line.split("`")[1]
            out[name] = set()
        elif name and line.startswith("| `"):
            out[name].add(line.split("`")[1])
    return out


def test_the_dictionary_covers_every_column_of_every_output(out: Path) -> None:
    """Drift test: each table and view of the DuckDB file, each Parquet and CSV file and each sheet
    of the workbook has a section of the dictionary listing every one of its columns, and every
    table, view and column of the database carries a comment."""
    sections = _sections(data_dictionary())
    con = duckdb.connect(str(out / "report.duckdb"), read_only=True)
    objects = con.sql("SELECT table_name, column_name, comment FROM duckdb_columns() WHERE NOT internal")
    for table_name, column, comment in objects.fetchall():
        assert column in sections[table_name], (table_name, column)
        assert comment, (table_name, column)
    commented = con.sql(
        "SELECT count(*) FROM (SELECT comment FROM duckdb_tables() UNION ALL "
        "SELECT comment FROM duckdb_views() WHERE NOT internal) WHERE comment IS NULL"
    ).fetchall()[0][0]
    assert commented == 0
    for name in NAMES:
        with (out / f"{name}.csv").open(encoding="utf-8-sig", newline="") as f:
            assert set(next(csv.reader(f))) <= sections[name], name
    assert {"initiative_overview", "schedule_wide"} <= set(sections)
    text = data_dictionary()
    assert "## Phases (`phases`)" in text and "| 実施 |" in text and "`low_confidence` | 確信度不足" in text
