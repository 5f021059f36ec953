"""Hostile but realistic inputs and runs: no text lost silently, outputs safe to open in a
spreadsheet and on a terminal, consistent output sets, one-line errors for bad values.

Each case is built here from the shipped report (or a small generator), run through the CLI, and
checked for what the user sees: the exit code, one line on error, no traceback, what was written.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from plan_etl import api
from plan_etl.cli import app
from plan_etl.parsers import layout
from plan_etl.schemas import Report
from plan_etl.validate import validate
from plan_etl.writers.output_set import output_lock

runner = CliRunner()


@pytest.fixture(scope="module")
def report_text(report_path: Path) -> str:
    return report_path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def parsed(parsed_report: Report) -> Report:
    return parsed_report.model_copy(deep=True)


def _one_line_exit_2(result) -> str:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    message = result.output.strip()
    assert len(message.splitlines()) == 1, message
    return message


# --- no text lost silently ---------------------------------------------------------------------


def test_a_running_head_is_the_whole_line_in_its_exact_form() -> None:
    """Real running heads are furniture; a line of text that opens with 到達点１ is not."""
    for head in (
        "到達点１ 新たな仕組みづくり",
        "　到達点５　組織力の向上・人材の育成（専門性の向上）",
        "２．取組み項目 到達点１ 新たな仕組みづくり",
        " Ⅲ プランの取組み",
    ):
        assert layout.is_page_header(head) or layout.is_section_header(head), head
    for text in (
        "到達点１の実現に向けて、区民サービスの質の向上を図る。",
        "到達点１ 新たな仕組みづくりを進めるため、体制を整備した。",
        "２．取組み項目 到達点１の達成に向け、検討を進めた",
        "Ⅲ期の計画では、検討を進めた。",
    ):
        assert not layout.is_page_header(text) and not layout.is_section_header(text), text
        assert layout.goal_of_line(text) is None


def test_a_content_line_opening_with_a_goal_name_is_kept(report_text: str, tmp_path: Path) -> None:
    """The report's own line, given the opening 「到達点１の…」: it stays in its record's text and
    the parse is valid (no line dropped as a page header)."""
    line = "①区のおしらせ「せたがや」発行方針等を新たに改定・策定するとともに、紙"
    assert report_text.count(line) == 1
    src = tmp_path / "report.txt"
    src.write_text(report_text.replace(line, "到達点１の" + line), encoding="utf-8")
    report = api.parse_report(src)
    texts = [r.results or "" for r in report.initiatives] + [r.content for r in report.initiatives]
    assert any("到達点１の①区のおしらせ" in t.replace("\n", "") for t in texts)
    assert not report.unaccounted_lines
    assert not [p for p in validate(report) if p.level == "error"]


def test_repeated_copies_of_the_report_warn_per_item(report_text: str, tmp_path: Path) -> None:
    src = tmp_path / "fifty.txt"
    src.write_text(report_text * 50, encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["parse", str(src), "-o", str(out), "-f", "json"])
    assert result.exit_code == 0, result.output
    assert "printed 50 times" in result.output  # the summary says so
    report = Report.model_validate_json((out / "report.json").read_bytes())
    repeated = [w for w in report.warnings if w.code == "repeated_report"]
    assert len(repeated) == 1 and "50 times" in repeated[0].message
    per_item = {w.item_id for w in report.warnings if w.code == "duplicate_item"}
    assert per_item == {r.item_id for r in report.initiatives}
    assert not report.unaccounted_lines
    assert "duplicate_copy" in report.line_roles


def test_validate_fails_an_empty_document_and_an_empty_contents_list(parsed: Report) -> None:
    empty = parsed.model_copy(update={"toc": [], "initiatives": []})
    assert [p.code for p in validate(empty) if p.level == "error"][:1] == ["empty_document"]
    no_toc = parsed.model_copy(update={"toc": []})
    assert "empty_toc" in {p.code for p in validate(no_toc) if p.level == "error"}


def test_validate_fails_two_different_records_for_one_id(parsed: Report, tmp_path: Path) -> None:
    first = parsed.initiatives[0]
    other = first.model_copy(update={"title": first.title + "（改）"})
    doc = tmp_path / "report.json"
    doc.write_text(
        parsed.model_copy(update={"initiatives": [first, other, *parsed.initiatives[1:]]}).model_dump_json(),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["validate", str(doc), "--json"])
    assert result.exit_code == 1
    problems = json.loads(result.output)["problems"]
    assert {"conflicting_records"} <= {p["code"] for p in problems if p["level"] == "error"}
    same = parsed.model_copy(update={"initiatives": [first, first, *parsed.initiatives[1:]]})
    assert [p.level for p in validate(same) if p.code == "duplicate_record"] == ["warning"]


# --- safe outputs ------------------------------------------------------------------------------


def test_csv_cells_never_open_with_a_formula(parsed: Report, tmp_path: Path) -> None:
    evil = '=HYPERLINK("http://example.invalid","x")'
    first = parsed.initiatives[0].model_copy(
        update={"title": evil, "content": "+1+2\n-3", "departments": ["@x"]}
    )
    doc = tmp_path / "report.json"
    doc.write_text(
        parsed.model_copy(update={"initiatives": [first, *parsed.initiatives[1:]]}).model_dump_json(),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    report = Report.model_validate_json(doc.read_bytes())
    api.write_outputs(report, out, ["csv"])
    for path in out.glob("*.csv"):
        with path.open(encoding="utf-8-sig", newline="") as f:
            for row in csv.reader(f):
                for cell in row:
                    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (path.name, cell)
    with (out / "initiatives.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows[0]["title"] == "'" + evil
    assert rows[0]["content"] == "'+1+2\n-3"
    api.write_outputs(report, out, ["csv"], raw_csv=True)
    with (out / "initiatives.csv").open(encoding="utf-8-sig", newline="") as f:
        assert next(csv.DictReader(f))["title"] == evil


def test_report_text_and_paths_print_as_text(parsed: Report, report_text: str, tmp_path: Path) -> None:
    """`[/]` in a title and `[x]` in a path are text to rich; an escape sequence in the text reaches
    the terminal escaped."""
    first = parsed.initiatives[0].model_copy(update={"title": "[/] [bold]x \x1b[2J\x1b]0;pwned\x07"})
    folder = tmp_path / "[x]"
    folder.mkdir()
    doc = folder / "report.json"
    doc.write_text(
        parsed.model_copy(update={"initiatives": [first, *parsed.initiatives[1:]]}).model_dump_json(),
        encoding="utf-8",
    )
    for args in (["validate", str(doc)], ["diff", str(doc), str(doc)]):
        result = runner.invoke(app, args)
        assert result.exit_code in (0, 1), result.output
        assert "\x1b" not in result.output and "\x07" not in result.output
        assert "Traceback" not in result.output
    out = tmp_path / "[out]"
    src = folder / "[red]report [x].txt"
    src.write_text(report_text, encoding="utf-8")
    result = runner.invoke(app, ["parse", str(src), "-o", str(out), "-f", "json"])
    assert result.exit_code == 0, result.output
    assert "[red]report [x].txt" in result.output and "[out]" in result.output
    src.write_text(parsed.document.title + "\n", encoding="utf-8")
    message = _one_line_exit_2(runner.invoke(app, ["parse", str(src), "-o", str(out)]))
    assert "[red]report [x].txt" in message


def test_a_huge_integer_is_a_one_line_error(parsed: Report, tmp_path: Path) -> None:
    doc = json.loads(parsed.model_dump_json())
    doc["goals"][0]["amounts"][0]["million_yen"] = int("9" * 400)
    path = tmp_path / "report.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    for command in ("report", "validate"):
        message = _one_line_exit_2(runner.invoke(app, [command, str(path)]))
        assert "not a plan-etl report document" in message


def test_an_unforeseen_error_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    from plan_etl import cli

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("nobody saw this coming")

    monkeypatch.setattr(cli, "_print_problems", boom)
    monkeypatch.setattr(sys, "argv", ["plan-etl", "validate"])
    assert cli.outcome() == 3  # an internal error: ours, not the file's (run() exits with it)
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal error: RuntimeError: nobody saw this coming" in err


# --- right messages -----------------------------------------------------------------------------


def test_the_default_out_dir_stays_in_data_out(report_text: str, tmp_path: Path) -> None:
    src = tmp_path / "...txt"
    src.write_text(report_text, encoding="utf-8")
    cmd = [sys.executable, "-m", "plan_etl", "parse", "...txt", "-f", "json"]
    done = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "data" / "out" / "report" / "report.json").is_file()
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == ["out"]


def test_text_that_quotes_the_pdf_header_is_read_as_text(report_text: str, tmp_path: Path) -> None:
    head, rest = report_text.split("\n", 1)
    src = tmp_path / "report.txt"
    src.write_text(head + "\n（原本: plan.pdf, %PDF-1.7）\n%PDF-1.7 形式で公開\n" + rest, encoding="utf-8")
    assert b"%PDF-" in src.read_bytes()[:1024]
    report = api.parse_report(src)
    assert len(report.initiatives) == 106


# --- consistent output sets ---------------------------------------------------------------------


def test_a_second_run_into_a_busy_out_dir_stops(report_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    with output_lock(out):
        cmd = [sys.executable, "-m", "plan_etl", "parse", str(report_path), "-o", str(out)]
        done = subprocess.run(cmd, capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "another plan-etl run" in done.stderr
    assert f"pid {os.getpid()}" in done.stderr
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # the lock went with its holder


def test_an_interrupted_run_leaves_the_previous_set(
    parsed: Report, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    api.write_outputs(parsed, out, ["json", "csv"])
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    from plan_etl.writers import csv as csv_writer

    def full_disk(*args: object, **kwargs: object) -> list[Path]:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(csv_writer, "write_csv", full_disk)
    with pytest.raises(OSError):
        api.write_outputs(parsed, out, ["json", "parquet", "csv"])
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no staging, no lock left


def test_a_new_set_replaces_the_old_whole(parsed: Report, tmp_path: Path) -> None:
    """A run with other formats leaves no file of the run before: the set is the new run's."""
    out = tmp_path / "out"
    api.write_outputs(parsed, out, ["json", "csv"])
    api.write_outputs(parsed, out, ["jsonl"])
    names = sorted(p.name for p in out.iterdir())
    assert "report.json" not in names and not any(n.endswith(".csv") for n in names)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(manifest["files"]) == [n for n in names if n != "manifest.json"]


def test_an_out_dir_with_other_files_or_the_working_directory_is_refused(
    parsed: Report, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    from plan_etl.errors import OutputError

    with pytest.raises(OutputError, match=r"notes\.txt, which plan-etl did not write"):
        api.write_outputs(parsed, out, ["json"])
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    monkeypatch.chdir(out)
    with pytest.raises(OutputError, match="working directory"):
        api.write_outputs(parsed, ".", ["json"])
