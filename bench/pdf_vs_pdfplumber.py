"""Benchmark: `plan-etl parse` of the generated full-report PDF vs bare pdfplumber extract_text().

usage: python bench/pdf_vs_pdfplumber.py [--runs N] [--workers W]

Both are timed as whole processes, several runs each, side by side in the same run; prints the
median wall times, their ratio and each one's peak memory (max RSS). The PDF is rendered from the
shipped report's records by tools/make_report_pdf.py (not committed).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "data" / "raw" / "setagaya_plan_r6_progress.txt"
BARE = """
import sys, pdfplumber
with pdfplumber.open(sys.argv[1]) as pdf:
    for page in pdf.pages:
        page.extract_text()
"""


def run(cmd: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (MiB) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(peak, before) // 1024


def peak_of(cmd: list[str]) -> int:
    """Peak RSS (MiB) of one command on its own, via GNU time when present."""
    try:
        out = subprocess.run(
            ["/usr/bin/time", "-f", "%M", *cmd], check=True, capture_output=True, text=True
        ).stderr
        return int(out.strip().splitlines()[-1]) // 1024
    except (FileNotFoundError, ValueError, subprocess.CalledProcessError):
        return -1


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "report.pdf"
        subprocess.run(
            [sys.executable, str(ROOT / "tools" / "make_report_pdf.py"), str(REPORT), str(pdf)], check=True
        )
        ours = [
            sys.executable,
            "-m",
            "plan_etl",
            "parse",
            str(pdf),
            "--out-dir",
            str(Path(tmp) / "out"),
            "--workers",
            str(args.workers),
        ]
        bare = [sys.executable, "-c", BARE, str(pdf)]
        one = [*ours[:-1], "1"]
        commands = {
            f"plan-etl parse --workers {args.workers}": ours,
            "plan-etl parse --workers 1": one,
            "pdfplumber extract_text": bare,
        }
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, cmd in commands.items():
                times[name].append(run(cmd)[0])
        med = {k: statistics.median(v) for k, v in times.items()}
        size = pdf.stat().st_size // 1024
        print(f"generated PDF: {size} KiB; {args.runs} runs each on {os.cpu_count()} cores")
        for name, cmd in commands.items():
            print(f"{name:32s} median {med[name]:.2f} s   peak RSS {peak_of(cmd)} MiB")
        bare_t = med["pdfplumber extract_text"]
        for name in list(commands)[:2]:
            print(f"ratio {name} / bare extraction: {med[name] / bare_t:.2f}")


if __name__ == "__main__":
    main()
