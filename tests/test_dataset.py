"""Dataset mode decided by the library (api.parse_dataset, plan_etl/dataset.py) and written in every
format asked for: editions of one year by a deterministic rule, copies kept once, the outcome's exit
status as data, CSV/JSON Lines/Excel per edition, one DuckDB with report_year, a manifest."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from editions import REPORT, write_r7_edition
from plan_etl import api
from plan_etl.cli import app
from plan_etl.dataset import decide
from plan_etl.schemas import Report

runner = CliRunner()


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """r6, the r7 edition, another r6 (one title changed) and a byte copy of r7."""
    folder = tmp_path_factory.mktemp("editions")
    r6 = folder / "a_r6.txt"
    r6.write_bytes(REPORT.read_bytes())
    r7 = write_r7_edition(folder / "b_r7.txt")
    r6b = folder / "c_r6_revised.txt"
    r6b.write_text(
        REPORT.read_text(encoding="utf-8").replace("広報・広聴機能の強化", "広報機能の強化"), "utf-8"
    )
    copy = folder / "d_r7_copy.txt"
    copy.write_bytes(r7.read_bytes())
    return {"r6": r6, "r7": r7, "r6b": r6b, "copy": copy}


@pytest.fixture(scope="module")
def parsed(files: dict[str, Path]) -> dict[str, Report]:
    return {k: api.parse_report(p) for k, p in files.items()}


def test_two_files_of_one_year_are_an_error_naming_both(
    files: dict[str, Path], parsed: dict[str, Report]
) -> None:
    paths = [files["r6"], files["r7"], files["r6b"]]
    outcome = decide(paths, [(parsed[k], None) for k in ("r6", "r7", "r6b")])
    assert [e.path for e in outcome.editions] == [files["r7"]]
    assert {f.path for f in outcome.failures} == {files["r6"], files["r6b"]}
    reason = outcome.failures[0].reason
    assert str(files["r6"]) in reason and str(files["r6b"]) in reason and "2024" in reason
    assert outcome.exit_code == 2


@pytest.mark.parametrize(("rule", "kept"), [("first", "r6"), ("last", "r6b")])
def test_same_year_keeps_the_first_or_the_last_given(
    rule: str, kept: str, files: dict[str, Path], parsed: dict[str, Report]
) -> None:
    paths = [files["r6"], files["r7"], files["r6b"]]
    outcome = decide(paths, [(parsed[k], None) for k in ("r6", "r7", "r6b")], rule)  # type: ignore[arg-type]
    assert [e.path for e in outcome.editions] == sorted([files[kept], files["r7"]], key=paths.index)
    assert outcome.exit_code == 0 and not outcome.failures
    assert len(outcome.superseded) == 1


def test_a_byte_copy_is_kept_once_and_a_failure_is_data(
    files: dict[str, Path], parsed: dict[str, Report]
) -> None:
    paths = [files["r7"], files["copy"], files["r6"]]
    outcome = decide(paths, [(parsed["r7"], None), (parsed["copy"], None), (None, "x.pdf: broken")])
    assert [e.path for e in outcome.editions] == [files["r7"]]
    assert outcome.copies == [(files["copy"], files["r7"])]
    assert [(f.path, f.reason) for f in outcome.failures] == [(files["r6"], "x.pdf: broken")]
    assert outcome.exit_code == 2


def _run(args: list[str]) -> tuple[int, str]:
    result = runner.invoke(app, args)
    return result.exit_code, result.output


def test_the_outcome_does_not_depend_on_the_workers(files: dict[str, Path], tmp_path: Path) -> None:
    folder = files["r6"].parent
    seen = []
    for workers in ("1", "2"):
        out = tmp_path / f"w{workers}"
        code, output = _run(["parse", str(folder), "-o", str(out), "-f", "csv", "--workers", workers])
        files_written = sorted(
            str(p.relative_to(out)) for p in out.rglob("*") if p.is_file() and p.name != "manifest.json"
        )
        seen.append((code, output.replace(str(out), "OUT"), files_written))
    assert seen[0] == seen[1]
    code, output, written = seen[0]
    assert code == 2 and "are both the 2024 edition" in output
    assert written == [
        "csv/2025/" + p for p in sorted(p.name for p in (tmp_path / "w1" / "csv" / "2025").iterdir())
    ] + ["json/2025.json"]


def test_a_dataset_in_csv_writes_csv_and_a_manifest_not_parquet(
    files: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "ds"
    code, output = _run(
        ["parse", str(files["r6"]), str(files["r7"]), "-o", str(out), "-f", "csv,jsonl,xlsx,duckdb"]
    )
    assert code == 0, output
    assert not list(out.rglob("*.parquet"))
    for year in ("2024", "2025"):
        assert (out / "csv" / year / "schedule.csv").is_file()
        assert (out / "jsonl" / year / "schedule.jsonl").is_file()
        assert (out / "xlsx" / f"{year}.xlsx").is_file()
        assert (out / "json" / f"{year}.json").is_file()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [e["report_year"] for e in manifest["editions"]] == [2024, 2025]
    listed = {p for p in manifest["files"]}
    on_disk = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file() and p.name != "manifest.json"}
    assert listed == on_disk
    con = duckdb.connect(str(out / "report.duckdb"), read_only=True)
    assert con.sql("SELECT report_year, count(*) FROM initiatives GROUP BY 1 ORDER BY 1").fetchall() == [
        (2024, 106),
        (2025, 106),
    ]
    assert con.sql("SELECT count(*) FROM initiative_overview").fetchall() == [(212,)]
    con.close()


def test_a_new_edition_keeps_the_others_and_the_database_holds_all(
    files: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "ds"
    assert _run(["parse", str(files["r6"]), str(files["r6"]), "-o", str(out), "-f", "duckdb"])[0] == 0
    assert _run(["parse", str(files["r7"]), str(files["copy"]), "-o", str(out), "-f", "duckdb"])[0] == 0
    assert sorted(p.name for p in (out / "json").iterdir()) == ["2024.json", "2025.json"]
    con = duckdb.connect(str(out / "report.duckdb"), read_only=True)
    assert con.sql("SELECT DISTINCT report_year FROM schedule ORDER BY 1").fetchall() == [(2024,), (2025,)]
    con.close()


def test_an_edition_parsed_again_leaves_none_of_its_old_files(files: dict[str, Path], tmp_path: Path) -> None:
    """2024 in Parquet and DuckDB, then 2024 again in CSV: its Parquet partitions go (they would be
    the earlier parse's), the database is rebuilt, the other year's files stay."""
    out = tmp_path / "ds"
    assert _run(["parse", str(files["r6"]), str(files["r7"]), "-o", str(out), "-f", "parquet,duckdb"])[0] == 0
    assert _run(["parse", str(files["r6b"]), str(files["r6b"]), "-o", str(out), "-f", "csv"])[0] == 0
    assert not list(out.glob("*/report_year=2024/*.parquet"))
    assert list(out.glob("*/report_year=2025/*.parquet"))
    assert (out / "csv" / "2024" / "initiatives.csv").is_file()
    con = duckdb.connect(str(out / "report.duckdb"), read_only=True)
    titles = con.sql("SELECT title FROM initiatives WHERE report_year = 2024 AND item_id = '1-1'").fetchall()
    con.close()
    assert titles == [("広報機能の強化",)]  # the revised 2024 file's, not the first parse's
