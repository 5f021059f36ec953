"""End to end on the shipped report with the real parser (plan_etl.parsers.report)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from helpers import ROOT
from plan_etl.api import parse_report
from plan_etl.coverage import coverage, incomplete
from plan_etl.schemas import YEARS, Report

SHIPPED = ROOT / "data" / "raw" / "setagaya_plan_r6_progress.txt"
PLAN_ETL = Path(sys.executable).with_name("plan-etl")


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Run `plan-etl parse` once on the shipped report; every test here reads its outputs."""
    out = tmp_path_factory.mktemp("e2e") / "out"
    proc = subprocess.run(
        [str(PLAN_ETL), "parse", str(SHIPPED), "--out-dir", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    return out


def test_every_toc_item_has_an_initiative() -> None:
    report = parse_report(SHIPPED)
    assert report.toc and report.goals and report.initiatives
    assert coverage(report).missing == ()


def test_report_json_is_a_valid_report(out_dir: Path) -> None:
    report = Report.model_validate_json((out_dir / "report.json").read_text(encoding="utf-8"))
    assert report.document.source_file == SHIPPED.name
    assert report.document.report_fiscal_year == 2024
    assert {t.goal for t in report.toc} == {g.goal for g in report.goals}
    for ini in report.initiatives:
        for row in ini.schedule:
            assert set(row.cells) == set(YEARS)


def test_parquet_matches_json(out_dir: Path) -> None:
    data = json.loads((out_dir / "report.json").read_text(encoding="utf-8"))
    init = pq.read_table(out_dir / "initiatives.parquet")
    assert init.num_rows == len(data["initiatives"])
    assert pq.read_table(out_dir / "toc.parquet").num_rows == len(data["toc"])
    n_rows = sum(len(i["schedule"]) for i in data["initiatives"])
    assert pq.read_table(out_dir / "schedule.parquet").num_rows == 4 * n_rows


def test_duckdb_queries_the_outputs(out_dir: Path) -> None:
    sched = out_dir / "schedule.parquet"
    years = duckdb.sql(f"SELECT DISTINCT fiscal_year FROM '{sched}' ORDER BY 1").fetchall()
    assert years == [(2024,), (2025,), (2026,), (2027,)]
    missing = duckdb.sql(
        f"SELECT t.item_id FROM '{out_dir / 'toc.parquet'}' t "
        f"ANTI JOIN '{out_dir / 'initiatives.parquet'}' i USING (item_id)"
    ).fetchall()
    assert missing == []


def test_parse_is_deterministic(tmp_path: Path) -> None:
    for name in ("a", "b"):
        proc = subprocess.run(
            [str(PLAN_ETL), "parse", str(SHIPPED), "-o", str(tmp_path / name), "-f", "json"],
            capture_output=True,
            check=False,
        )
        assert proc.returncode == 0
    assert (tmp_path / "a/report.json").read_bytes() == (tmp_path / "b/report.json").read_bytes()


def test_text_without_report_structure_exits_2(tmp_path: Path) -> None:
    junk = tmp_path / "junk.txt"
    junk.write_text("これは報告書ではありません。\nただの文章です。\n", encoding="utf-8")
    proc = subprocess.run(
        [str(PLAN_ETL), "parse", str(junk), "-o", str(tmp_path / "o")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "o").exists()


TOC_ENTRY = re.compile(r"^[1-5][-‐－]\d+ .+ P\.\d+\s*$", re.M)


def test_parse_fails_when_the_document_is_not_a_complete_report(tmp_path: Path) -> None:
    """CI trusts parse's exit code: the report with its 取組み項目一覧 deleted exits 1 with one line
    naming the check, the outputs still written, and --allow-incomplete exits 0; a file with no
    report in it at all (the README) is an unusable input, exit 2."""
    source = tmp_path / "report.txt"
    text = SHIPPED.read_text(encoding="utf-8")
    stripped = TOC_ENTRY.sub("", text)
    assert len(TOC_ENTRY.findall(text)) == 105 and not TOC_ENTRY.search(stripped)
    source.write_text(stripped, encoding="utf-8")
    done = subprocess.run(
        [str(PLAN_ETL), "parse", str(source), "-o", str(tmp_path / "out"), "-f", "json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("plan-etl: error: not a complete report: no item list (取組み項目一覧)")
    assert (tmp_path / "out" / "report.json").is_file()
    allowed = subprocess.run(
        [
            str(PLAN_ETL),
            "parse",
            str(source),
            "-o",
            str(tmp_path / "out2"),
            "-f",
            "json",
            "--allow-incomplete",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert allowed.returncode == 0 and allowed.stderr == ""
    readme = subprocess.run(
        [str(PLAN_ETL), "parse", str(ROOT / "README.md"), "-o", str(tmp_path / "out3")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert readme.returncode != 0 and len(readme.stderr.strip().splitlines()) == 1


def test_parse_of_the_shipped_report_is_complete() -> None:
    assert incomplete(parse_report(SHIPPED)) == ()


def _run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(PLAN_ETL), *args], capture_output=True, text=True, timeout=300, cwd=cwd)


def test_dash_writes_the_one_file_to_standard_output(tmp_path: Path) -> None:
    parsed = _run("parse", str(SHIPPED), "-o", "-", "-f", "json")
    assert parsed.returncode == 0, parsed.stderr
    assert Report.model_validate_json(parsed.stdout).document.source_file == SHIPPED.name
    assert _run("parse", str(SHIPPED), "-o", "-").returncode == 2  # json,parquet: two files
    page = _run("report", str(SHIPPED), "-o", "-")
    assert page.returncode == 0 and page.stdout.startswith("<!DOCTYPE html>")
    # without -o the page goes beside the parse's folder under data/out, not into the working tree
    done = _run("report", str(SHIPPED), cwd=tmp_path)
    assert done.returncode == 0 and (tmp_path / "data/out/setagaya_plan_r6_progress.html").is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["data"]


@pytest.mark.parametrize(
    "args",
    [
        ["parse", "--workers", "0"],
        ["parse", "--nope"],
        ["parse", str(SHIPPED), "--pdf-engine", "foo"],
        ["explain", "1-1", "-o", "x.png"],
        ["validate", str(SHIPPED), "--json", "--format", "junit"],
        ["diff", str(SHIPPED), str(SHIPPED), "--json", "--csv"],
    ],
)
def test_usage_errors_and_options_that_do_not_apply_are_one_line(args: list[str], tmp_path: Path) -> None:
    done = _run(*args, cwd=tmp_path)
    assert done.returncode == 2
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("plan-etl: error: ") and "Traceback" not in done.stderr


def test_flags_are_shown_as_flags_and_completion_is_installable() -> None:
    helps = [_run(cmd, "--help").stdout for cmd in ("parse", "validate", "diff", "review", "explain")]
    assert all("--debug" in h for h in helps)
    shown = [line for h in helps for line in h.splitlines() if "<bool>" in line]
    assert shown and all("--help" in line for line in shown), shown  # only click's own --help
    assert "--install-completion" in _run("--help").stdout


def test_the_readme_examples_run_as_written(tmp_path: Path) -> None:
    """Every plan-etl command of the README's shell blocks, run in a folder holding only the
    shipped report where the README says (no checkout, no answer key): each exits 0."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, re.S)
    commands = [line.split("#")[0].split() for b in blocks for line in b.splitlines()]
    commands = [c for c in commands if c[:1] == ["plan-etl"]]
    assert len(commands) >= 5, commands
    raw = tmp_path / "data" / "raw"
    raw.mkdir(parents=True)
    shutil.copy(SHIPPED, raw / SHIPPED.name)
    for command in commands:
        done = _run(*command[1:], cwd=tmp_path)
        assert done.returncode == 0, (command, done.stderr)
    assert (tmp_path / "out/r6/report.xlsx").is_file() and (tmp_path / "data/out").is_dir()
