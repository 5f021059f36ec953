"""A parse killed with SIGKILL while its worker parses leaves no live process behind (the worker is
tied to its parent's life), no copy of the caller's output open (a wrapper reading it sees the end
at once) and no lock held: the next run into the same folder goes ahead."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import REPORT

PLAN_ETL = Path(sys.executable).with_name("plan-etl")


def _live(session: int) -> list[str]:
    """The session's processes that are still alive (a zombie waits only for its reaper)."""
    out = subprocess.run(
        ["ps", "-o", "pid=,stat=", "-s", str(session)], capture_output=True, text=True
    ).stdout.split("\n")
    return [line for line in out if line.strip() and not line.split()[1].startswith("Z")]


def _children(pid: int) -> list[str]:
    return subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the parent-death tie is Linux's")
def test_sigkill_during_a_parse_leaves_no_worker_and_no_lock(tmp_path: Path) -> None:
    out = tmp_path / "out"
    for _attempt in range(3):
        proc = subprocess.Popen(
            [str(PLAN_ETL), "parse", str(REPORT), "-o", str(out), "-f", "json", "--workers", "1"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while not _children(proc.pid) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        if proc.poll() is None and _children(proc.pid):
            break
        proc.communicate()
    else:
        pytest.skip("the parse ended before its worker could be seen")
    worker = _children(proc.pid)
    os.kill(proc.pid, signal.SIGKILL)
    try:
        proc.communicate(timeout=30)  # ends: nothing else holds the caller's output open
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        pytest.fail("a worker outlived its killed parent, holding the caller's output open")
    end = time.monotonic() + 10
    while _live(proc.pid) and time.monotonic() < end:
        time.sleep(0.05)
    assert worker and _live(proc.pid) == []
    again = subprocess.run(
        [str(PLAN_ETL), "parse", str(REPORT), "-o", str(out), "-f", "json"], capture_output=True, text=True
    )
    assert again.returncode == 0, again.stderr
    assert f"took over the lock on {out} left by pid {proc.pid}" in again.stderr  # one line, a note


def test_an_out_dir_that_is_a_symlink_is_written_through_and_stays_a_link(tmp_path: Path) -> None:
    target = tmp_path / "target"
    target.mkdir()
    link = tmp_path / "link"
    link.symlink_to(target)
    for formats in ("json", "json,parquet"):  # a first set, then one that replaces it
        done = subprocess.run(
            [str(PLAN_ETL), "parse", str(REPORT), "-o", str(link), "-f", formats],
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
        assert link.is_symlink() and link.resolve() == target.resolve()
        assert (target / "report.json").is_file()
    assert (target / "schedule.parquet").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "target"]  # no staging left
