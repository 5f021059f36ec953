"""Outputs are deterministic (byte-identical run to run; run metadata only in manifest.json) and
atomic (a run killed while writing leaves the previous outputs intact and no partial files)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from helpers import REPORT

FORMATS = "json,parquet,csv,jsonl"


def _parse(out: Path, report: Path = REPORT) -> None:
    cmd = [sys.executable, "-m", "plan_etl", "parse", str(report), "-o", str(out), "-f", FORMATS]
    subprocess.run(cmd, check=True, capture_output=True)


def _files(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.name != "manifest.json"}


def test_same_input_twice_gives_byte_identical_files(tmp_path: Path) -> None:
    _parse(tmp_path / "a")
    _parse(tmp_path / "b")
    a, b = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert len(a) == 1 + 3 * 9  # report.json and nine tables in three formats
    assert a == b
    manifest = json.loads((tmp_path / "a" / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["files"]) == set(a)
    assert manifest["started_at"] <= manifest["finished_at"]


# a run whose every file write is slowed down, so a kill lands in the middle of the writing
SLOW_WRITER = """
import sys, time
import plan_etl.writers.atomic as atomic
real = atomic.atomic_write
def slow(path, writer_fn):
    def fn(tmp):
        writer_fn(tmp)
        print("written-temp", path, flush=True)
        time.sleep(0.3)
    return real(path, fn)
atomic.atomic_write = slow
for name in ("json", "parquet", "csv", "jsonl"):
    module = __import__(f"plan_etl.writers.{name}", fromlist=["atomic_write"])
    module.atomic_write = slow
from plan_etl.cli import app
sys.argv = ["plan-etl", "parse", *sys.argv[1:]]
app()
"""


def _kill_mid_write(out: Path, report: Path, sig: int, after_files: int) -> None:
    cmd = [sys.executable, "-c", SLOW_WRITER, str(report), "-o", str(out), "-f", FORMATS]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"}
    )
    assert proc.stdout is not None
    seen = 0
    deadline = time.monotonic() + 60
    while seen < after_files and time.monotonic() < deadline:
        if proc.stdout.readline().startswith("written-temp"):
            seen += 1
    assert seen == after_files
    proc.send_signal(sig)  # while the last temp file is written and not yet moved into place
    proc.wait(timeout=30)
    assert proc.returncode != 0


def _assert_previous_set(out: Path, old: dict[str, bytes]) -> None:
    """The directory holds the previous set, whole: no file of the stopped run, no temp file."""
    assert _files(out) == old
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")]
    json.loads((out / "report.json").read_text(encoding="utf-8"))
    for name in old:
        if name.endswith(".parquet"):
            duckdb.sql(f"SELECT count(*) FROM '{out / name}'").fetchall()


def _beside(out: Path) -> list[str]:
    """What a run left beside the output directory (staging directories, the lock)."""
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


def _edited_report(tmp_path: Path) -> Path:
    edited = tmp_path / REPORT.name
    edited.write_text(
        REPORT.read_text(encoding="utf-8").replace("広報・広聴機能の強化", "広報機能の強化"), "utf-8"
    )
    return edited


def test_sigterm_mid_write_keeps_previous_outputs(tmp_path: Path) -> None:
    """The stopped run's files were written into its staging directory, which it removes: the
    directory holds the previous set, whole, and nothing is left beside it."""
    out = tmp_path / "out"
    _parse(out)
    old = _files(out)
    edited = _edited_report(tmp_path)
    _kill_mid_write(out, edited, signal.SIGTERM, after_files=5)
    _assert_previous_set(out, old)
    assert _beside(out) == []


def test_sigkill_mid_write_then_rerun_leaves_no_partial_files(tmp_path: Path) -> None:
    """SIGKILL cannot clean up: the directory still holds the previous set, the staging directory
    is left beside it, and the next run removes it and swaps in its own set."""
    out = tmp_path / "out"
    _parse(out)
    old = _files(out)
    edited = _edited_report(tmp_path)
    _kill_mid_write(out, edited, signal.SIGKILL, after_files=3)
    _assert_previous_set(out, old)
    assert any(".staging-" in name for name in _beside(out))
    _parse(out, edited)
    assert _beside(out) == []
    _parse(tmp_path / "complete_new", edited)
    assert _files(out) == _files(tmp_path / "complete_new") != old
