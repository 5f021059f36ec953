"""CLI behaviour that needs no real parser: help, bad input, exit codes, output paths.

The report parser is replaced by a stand-in returning a hand-built Report; test_cli_e2e.py runs the real one.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import types
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from plan_etl import cli, inputs
from plan_etl.errors import InputError
from plan_etl.extract.base import SourceDocument
from plan_etl.schemas import Report
from sample_report import make_report

runner = CliRunner()
PLAN_ETL = Path(sys.executable).with_name("plan-etl")

ParseLines = Callable[..., Report]


@pytest.fixture
def fake_parser(monkeypatch: pytest.MonkeyPatch) -> Callable[[ParseLines], None]:
    """Install a stand-in for `plan_etl.parsers.report.parse_lines`."""

    def install(parse_lines: ParseLines) -> None:
        module = types.ModuleType("plan_etl.parsers.report")
        module.parse_lines = parse_lines  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, "plan_etl.parsers.report", module)

    return install


@pytest.fixture
def report_file(tmp_path: Path) -> Path:
    path = tmp_path / "in" / "plan.txt"
    path.parent.mkdir()
    path.write_text("取組み項目一覧\n", encoding="utf-8")
    return path


def assert_one_line_error(stderr: str, *fragments: str) -> None:
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("plan-etl: error: ")
    for fragment in fragments:
        assert fragment in lines[0]


# --- help -------------------------------------------------------------------------------------------


def test_help() -> None:
    result = runner.invoke(cli.app, ["--help"])
    assert result.exit_code == 0 and "parse" in result.stdout
    result = runner.invoke(cli.app, ["parse", "--help"])
    assert result.exit_code == 0 and "--out-dir" in result.stdout and "--format" in result.stdout


def test_entry_point_help_and_light_imports() -> None:
    proc = subprocess.run([str(PLAN_ETL), "--help"], capture_output=True, text=True, check=False)
    assert proc.returncode == 0 and "parse" in proc.stdout
    probe = "import sys, plan_etl.cli; print(sorted({'pyarrow', 'pydantic', 'duckdb'} & set(sys.modules)))"
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "[]"


# --- bad input: one line on stderr, exit 2 ------------------------------------------------------------


def test_missing_input_subprocess(tmp_path: Path) -> None:
    proc = subprocess.run(
        [str(PLAN_ETL), "parse", str(tmp_path / "nope.txt")], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 2
    assert_one_line_error(proc.stderr, "nope.txt")
    assert proc.stdout == ""


def test_missing_input(tmp_path: Path) -> None:
    result = runner.invoke(cli.app, ["parse", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2
    assert_one_line_error(result.stderr, "cannot read", "nope.txt")


def test_empty_input(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text(" \n\n", encoding="utf-8")
    result = runner.invoke(cli.app, ["parse", str(empty)])
    assert result.exit_code == 2
    assert_one_line_error(result.stderr, "empty")


def test_undecodable_input(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x81\x81\x9f\xfc\xfc\xfc\xa0")  # neither UTF-8, UTF-16 nor Shift_JIS
    result = runner.invoke(cli.app, ["parse", str(bad)])
    assert result.exit_code == 2
    assert_one_line_error(result.stderr, "neither UTF-8")


def test_shift_jis_text_is_decoded(tmp_path: Path) -> None:
    sjis = tmp_path / "sjis.txt"
    sjis.write_bytes("世田谷区".encode("shift_jis"))  # decodes, but is no report
    result = runner.invoke(cli.app, ["parse", str(sjis)])
    assert result.exit_code == 2
    assert_one_line_error(result.stderr, "no report structure")


def test_directory_input(tmp_path: Path) -> None:
    result = runner.invoke(cli.app, ["parse", str(tmp_path)])
    assert result.exit_code == 2
    assert_one_line_error(result.stderr, str(tmp_path))


def test_input_without_report_structure(report_file: Path, fake_parser: Callable[[ParseLines], None]) -> None:
    empty = make_report().model_copy(update={"toc": [], "initiatives": [], "goals": []})
    fake_parser(lambda doc, settings=None, reviewed=(): empty)
    result = runner.invoke(cli.app, ["parse", str(report_file), "--out-dir", str(report_file.parent / "o")])
    assert result.exit_code == 2
    assert_one_line_error(result.stderr, "no report structure")
    assert not (report_file.parent / "o").exists()


def test_parser_input_error(report_file: Path, fake_parser: Callable[[ParseLines], None]) -> None:
    def parse_lines(doc: object, settings: object = None, reviewed: object = ()) -> Report:
        raise InputError("plan.txt: no 取組み項目一覧 found")

    fake_parser(parse_lines)
    result = runner.invoke(cli.app, ["parse", str(report_file)])
    assert result.exit_code == 2
    assert_one_line_error(result.stderr, "no 取組み項目一覧 found")


def test_parser_crash_is_an_internal_error_in_one_line_unless_debug(
    report_file: Path, fake_parser: Callable[[ParseLines], None]
) -> None:
    """A bug is its own class: exit 3 and "internal error", so CI and users tell it from a damaged
    file (exit 2)."""

    def parse_lines(doc: object, settings: object = None, reviewed: object = ()) -> Report:
        raise ValueError("unexpected layout\non two lines")

    fake_parser(parse_lines)
    result = runner.invoke(cli.app, ["parse", str(report_file)])
    assert result.exit_code == 3
    assert_one_line_error(
        result.stderr, "internal error", "ValueError", "unexpected layout on two lines", "--debug", "a bug"
    )
    result = runner.invoke(cli.app, ["parse", str(report_file), "--debug"])
    assert isinstance(result.exception, ValueError)


def test_bad_format(report_file: Path) -> None:
    result = runner.invoke(cli.app, ["parse", str(report_file), "--format", "json,xml"])
    assert result.exit_code == 2
    assert_one_line_error(result.stderr, "--format")


def test_unwritable_out_dir(report_file: Path, fake_parser: Callable[[ParseLines], None]) -> None:
    fake_parser(lambda doc, settings=None, reviewed=(): make_report())
    blocker = report_file.parent / "file"
    blocker.write_text("x", encoding="utf-8")
    result = runner.invoke(cli.app, ["parse", str(report_file), "--out-dir", str(blocker / "out")])
    assert result.exit_code == 2
    assert_one_line_error(result.stderr, "cannot write")


def test_default_input_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inputs, "project_roots", lambda: [tmp_path])
    result = runner.invoke(cli.app, ["parse"])
    assert result.exit_code == 2
    assert_one_line_error(result.stderr, str(inputs.DEFAULT_INPUT), "INPUT")


# --- success and coverage exit codes ----------------------------------------------------------------


def test_parse_writes_outputs_and_summary(
    report_file: Path, fake_parser: Callable[[ParseLines], None]
) -> None:
    fake_parser(lambda doc, settings=None, reviewed=(): make_report())
    out = report_file.parent / "out"
    result = runner.invoke(cli.app, ["parse", str(report_file), "-o", str(out)])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert "report.json" in names and "schedule.parquet" in names and "manifest.json" in names
    assert len(names) == 11  # report.json, nine Parquet tables, the manifest
    assert Report.model_validate_json((out / "report.json").read_text(encoding="utf-8")) == make_report()
    assert "warnings: 1" in result.stdout and "unresolved_cell" in result.stdout
    assert "toc items" in result.stdout and "wrote 11 file(s)" in result.stdout
    assert result.stderr == ""


def test_missing_initiative_exits_1_after_writing(
    report_file: Path, fake_parser: Callable[[ParseLines], None]
) -> None:
    report = make_report()
    report.initiatives = [i for i in report.initiatives if i.item_id != "1-8"]
    fake_parser(lambda doc, settings=None, reviewed=(): report)
    out = report_file.parent / "out"
    result = runner.invoke(cli.app, ["parse", str(report_file), "-o", str(out), "-f", "json"])
    assert result.exit_code == 1
    assert "items with no initiative record: 1-8" in result.stdout
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json", "report.json"]


def test_default_out_dir_is_under_cwd(
    report_file: Path, fake_parser: Callable[[ParseLines], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_parser(lambda doc, settings=None, reviewed=(): make_report())
    monkeypatch.chdir(report_file.parent)
    result = runner.invoke(cli.app, ["parse", "plan.txt", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads((report_file.parent / "data/out/plan/report.json").read_text(encoding="utf-8"))
    assert [t["item_id"] for t in data["toc"]] == ["1-1", "1-8", "5-13"]


def test_default_input_found_under_cwd(
    tmp_path: Path, fake_parser: Callable[[ParseLines], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    shipped = tmp_path / inputs.DEFAULT_INPUT
    shipped.parent.mkdir(parents=True)
    shipped.write_text("x\n", encoding="utf-8")
    seen = tmp_path / "seen.txt"  # the parse runs in a worker process: it leaves its mark in a file

    def parse_lines(doc: SourceDocument, settings: object = None, reviewed: object = ()) -> Report:
        with seen.open("a", encoding="utf-8") as f:
            f.write(doc.source_sha256 + "\n")
        return make_report()

    fake_parser(parse_lines)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli.app, ["parse", "-f", "parquet"])
    assert result.exit_code == 0, result.output
    # the cwd's copy, not the project's
    assert seen.read_text(encoding="utf-8").split() == [hashlib.sha256(b"x\n").hexdigest()]
    out = tmp_path / "data" / "out" / shipped.stem
    assert (out / "schedule.parquet").is_file() and not (out / "report.json").exists()
