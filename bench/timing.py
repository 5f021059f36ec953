"""Timing whole processes for the benchmarks: median wall time over runs, and peak RSS."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "data" / "raw" / "setagaya_plan_r6_progress.txt"
BARE_PDFPLUMBER = """
import sys, pdfplumber
with pdfplumber.open(sys.argv[1]) as pdf:
    for page in pdf.pages:
        page.extract_text()
"""
"""The baseline: bare pdfplumber `extract_text()` of every page of the PDF given as argv[1]."""


def render_report_pdf(pdf: Path) -> Path:
    """The generated full-report PDF (tools/make_report_pdf.py on the shipped report) at `pdf`."""
    subprocess.run(
        [sys.executable, str(ROOT / "tools" / "make_report_pdf.py"), str(REPORT), str(pdf)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return pdf


def wall(cmd: list[str]) -> float:
    """Seconds one run of `cmd` takes (output discarded; a failure raises)."""
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def peak_mib(cmd: list[str]) -> int:
    """Peak RSS in MiB of `cmd` (its largest process, pool workers included), via GNU time."""
    out = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], check=True, capture_output=True, text=True)
    return int(out.stderr.strip().splitlines()[-1]) // 1024


def medians(commands: dict[str, list[str]], runs: int) -> dict[str, float]:
    """Median wall time of each command, the commands interleaved run by run."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, cmd in commands.items():
            times[name].append(wall(cmd))
    return {name: statistics.median(v) for name, v in times.items()}


def report(commands: dict[str, list[str]], med: dict[str, float]) -> None:
    for name, cmd in commands.items():
        print(f"  {name:40s} median {med[name]:6.2f} s   peak RSS {peak_mib(cmd):4d} MiB")
