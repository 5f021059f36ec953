"""Hostile files against the run's limits: each is built here by a small generator
(tests/hostile_pdfs.py), parsed by the CLI in a process of its own, and must end with exit 2, one
line naming the limit and its option, no traceback, no output, and little memory; a batch with a
hostile file still writes the good ones. (Times are printed by `make bench`, not asserted here.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from plan_etl.limits import OPTIONS, Limits
from plan_etl.schemas import Report

sys.path.insert(0, str(Path(__file__).resolve().parent))
import hostile_pdfs

PEAK_MIB = 500
"""Memory a hostile file may cost a run (peak resident set of its largest process)."""

MEASURED = """
import resource, subprocess, sys
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
sys.stdout.write(f"{done.returncode}\\n{peak}\\n")
sys.stdout.write(done.stdout)
sys.stderr.write(done.stderr)
"""
"""Runs a command, then prints its exit code and the peak RSS (MiB) of its processes, then its output."""


def _run(*args: str, cwd: Path | None = None) -> tuple[int, int, str, str]:
    """`plan-etl ARGS` in a process of its own: exit code, peak MiB, stdout, stderr."""
    cmd = [sys.executable, "-c", MEASURED, sys.executable, "-m", "plan_etl", *args]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, timeout=600)
    code, peak, out = done.stdout.split("\n", 2)
    return int(code), int(peak), out, done.stderr


def _refused(tmp_path: Path, name: str, data: bytes, *words: str, extra: tuple[str, ...] = ()) -> str:
    pdf = tmp_path / name
    pdf.write_bytes(data)
    out = tmp_path / "out"
    code, peak, stdout, stderr = _run("parse", str(pdf), "-o", str(out), *extra)
    assert code == 2, (stdout, stderr)
    assert "Traceback" not in stderr and stdout == ""
    assert stderr.count("\n") == 1, stderr
    for w in words:
        assert w in stderr, stderr
    assert peak < PEAK_MIB, peak
    assert not out.exists()
    return stderr


def test_a_stream_deflated_twice_that_inflates_to_1_5_gib(tmp_path: Path) -> None:
    bomb = hostile_pdfs.deflate_bomb()
    assert len(bomb) < 16 * 1024
    _refused(tmp_path, "bomb.pdf", bomb, "inflates to more than 128 MiB", "--max-stream-mb")


def test_a_content_stream_of_300_mb_of_path_operators(tmp_path: Path) -> None:
    _refused(tmp_path, "paths.pdf", hostile_pdfs.path_stream(), "--max-stream-mb")


def test_a_page_ruled_300_by_300(tmp_path: Path) -> None:
    ruled = hostile_pdfs.ruled_page(300)
    assert len(ruled) < 64 * 1024
    _refused(tmp_path, "ruled.pdf", ruled, "page 1 has more than 20000 ruling lines", "--max-rules")


@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
def test_the_rules_limit_holds_for_both_engines(engine: str, tmp_path: Path) -> None:
    extra = ("--pdf-engine", engine, "--max-rules", "1000")
    _refused(tmp_path, "ruled.pdf", hostile_pdfs.ruled_page(30), "more than 1000 ruling lines", extra=extra)


def test_a_pdf_of_100000_pages(tmp_path: Path) -> None:
    _refused(
        tmp_path, "pages.pdf", hostile_pdfs.many_pages(), "pages: over the limit of 2000 pages", "--max-pages"
    )


def test_a_bomb_in_an_encrypted_file_and_one_behind_lzw(tmp_path: Path) -> None:
    """An office's PDF opened without a password (AES-128) holding the bomb, and the bomb behind an
    /LZWDecode stage: both decoded by the guard and refused."""
    _refused(tmp_path, "encrypted.pdf", hostile_pdfs.encrypted_bomb("aes-128"), "--max-stream-mb")
    _refused(tmp_path, "lzw.pdf", hostile_pdfs.lzw_bomb(), "--max-stream-mb")


def _opening(command: str, pdf: Path, tmp_path: Path) -> list[str]:
    """The arguments of a command other than parse that opens `pdf`."""
    return {
        "explain": ["explain", "1-1", "--pdf", str(pdf), "-o", str(tmp_path / "x.png")],
        "validate": ["validate", str(pdf)],
        "report": ["report", str(pdf), "-o", "-"],
    }[command]


@pytest.mark.parametrize("command", ["explain", "validate", "report"])
def test_the_page_limit_holds_off_the_parse_path(command: str, tmp_path: Path) -> None:
    pdf = tmp_path / "pages.pdf"
    pdf.write_bytes(hostile_pdfs.many_pages())
    code, peak, _, stderr = _run(*_opening(command, pdf, tmp_path))
    assert code == 2 and stderr.count("\n") == 1, stderr
    assert "100000 pages: over the limit of 2000 pages" in stderr and "--max-pages" in stderr
    assert peak < PEAK_MIB, peak


def test_a_file_over_the_size_limit(report_path: Path, tmp_path: Path) -> None:
    big = (report_path.read_bytes() + b"\n") * 5  # 1.2 MB of text
    _refused(
        tmp_path, "big.txt", big, "over the limit of 1 MiB", "--max-file-mb", extra=("--max-file-mb", "1")
    )


def test_a_parse_over_its_time_is_killed(tmp_path: Path) -> None:
    """A page ruled 300 x 300 with the rules limit off takes seconds (6 s here): the worker (and any
    page workers) are killed at the time limit and no process is left."""
    extra = ("--max-rules", "0", "--timeout", "1", "--workers", "2")
    _refused(
        tmp_path,
        "slow.pdf",
        hostile_pdfs.ruled_page(300),
        "after 1 s: over the time limit",
        "--timeout",
        extra=extra,
    )


def test_a_worker_over_its_memory_is_killed(tmp_path: Path, report_path: Path) -> None:
    extra = ("--max-memory-mb", "20")
    text = report_path.read_bytes()
    _refused(
        tmp_path,
        "report.txt",
        text,
        "more than 20 MiB: over the memory limit",
        "--max-memory-mb",
        extra=extra,
    )


def test_a_batch_with_a_hostile_file_still_writes_the_good_one(report_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a_good.txt").write_bytes(report_path.read_bytes())
    (folder / "b_bomb.pdf").write_bytes(hostile_pdfs.deflate_bomb())
    (folder / "c_ruled.pdf").write_bytes(hostile_pdfs.ruled_page(300))
    out = tmp_path / "dataset"
    code, peak, stdout, stderr = _run("parse", str(folder), "-o", str(out), "--workers", "1")
    assert code == 2, (stdout, stderr)
    assert "Traceback" not in stdout + stderr
    assert "b_bomb.pdf" in stdout and "--max-stream-mb" in stdout
    assert "c_ruled.pdf" in stdout and "--max-rules" in stdout
    assert "1 report(s) written, 2 failed" in stdout
    assert json.loads((out / "json" / "2024.json").read_text(encoding="utf-8"))["initiatives"]
    assert peak < PEAK_MIB


def test_a_limit_of_zero_is_none(tmp_path: Path) -> None:
    """2,100 pages pass with --max-pages 0 (and are then no report), not with the default."""
    pdf = tmp_path / "pages.pdf"
    pdf.write_bytes(hostile_pdfs.many_pages(2100))
    code, _, _, stderr = _run("parse", str(pdf), "-o", str(tmp_path / "o"))
    assert code == 2 and "--max-pages" in stderr
    code, _, _, stderr = _run("parse", str(pdf), "-o", str(tmp_path / "o"), "--max-pages", "0")
    assert code == 2 and "no report structure" in stderr, stderr


def test_every_limit_has_an_option_the_cli_takes() -> None:
    from typer.testing import CliRunner

    from plan_etl.cli import app

    assert set(OPTIONS) == set(Limits.__dataclass_fields__)
    helps = {
        cmd: CliRunner().invoke(app, [cmd, "--help"], env={"COLUMNS": "200"}).output
        for cmd in ("parse", "validate", "report", "diff", "explain", "review")
    }
    for option in OPTIONS.values():  # every command that opens an input takes every limit
        assert all(option in help_text for help_text in helps.values()), option


def test_no_worker_is_left_behind(tmp_path: Path) -> None:
    """After a killed parse, no process of the run is left (its page workers went with it)."""
    pdf = tmp_path / "slow.pdf"
    pdf.write_bytes(hostile_pdfs.ruled_page(300))
    before = _plan_etl_processes()
    _run(
        "parse", str(pdf), "-o", str(tmp_path / "out"), "--max-rules", "0", "--timeout", "1", "--workers", "2"
    )
    assert _plan_etl_processes() <= before


def test_a_received_report_is_kept_without_collections_and_frozen(report_path: Path) -> None:
    """supervise.kept_objects, around receiving a worker's report: no collection inside the block;
    after it the report's objects are frozen and the collector is as it was, enabled or not."""
    import gc

    from plan_etl.pipeline import parse_watched

    try:
        report = parse_watched(report_path, limits=Limits())
        assert len(report.toc) == 105
        assert gc.isenabled()
        young = {id(o) for o in gc.get_objects()}  # every generation but the frozen objects
        assert id(report) not in young and id(report.initiatives[0]) not in young
        gc.disable()
        from plan_etl.supervise import kept_objects

        with kept_objects():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.unfreeze()
        gc.enable()


def _plan_etl_processes() -> set[int]:
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
            except OSError:
                continue
            if b"plan_etl" in cmdline and b"slow.pdf" in cmdline:
                found.add(int(entry))
    return found


# --- every command under the same limits --------------------------------------------------------


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(Path(sys.executable).with_name("plan-etl")), *args], capture_output=True, text=True, timeout=120
    )


def test_a_report_json_over_the_json_limit_or_with_a_key_twice_is_refused(
    tmp_path: Path, parsed_report: Report
) -> None:
    doc = parsed_report.model_dump_json()
    big = tmp_path / "big.json"
    big.write_text(doc + " " * (2 * 2**20), encoding="utf-8")
    for command in (["validate", str(big)], ["report", str(big), "-o", "-"], ["diff", str(big), str(big)]):
        done = _cli(*command, "--max-json-mb", "1")
        assert done.returncode == 2, (command, done.stderr)
        assert "--max-json-mb" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    twice = tmp_path / "twice.json"
    twice.write_text(doc.replace('"initiatives":[', '"initiatives":[],"initiatives":[', 1), encoding="utf-8")
    done = _cli("validate", str(twice))
    assert done.returncode == 2 and "'initiatives' is given twice" in done.stderr


@pytest.mark.parametrize("command", ["explain", "validate", "report"])
def test_a_bomb_is_refused_by_every_command_that_opens_a_pdf(command: str, tmp_path: Path) -> None:
    import hostile_pdfs as hp

    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(hp.run_length_bomb())
    done = _cli(*_opening(command, bomb, tmp_path))
    assert done.returncode == 2, done.stderr
    assert "--max-stream-mb" in done.stderr and len(done.stderr.strip().splitlines()) == 1
