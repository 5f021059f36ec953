"""Benchmark: a batch of 20 copies of the shipped report, `--workers 1` vs `--workers 2`.

usage: python bench/batch_workers.py [--runs N] [--copies N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import medians, report

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "data" / "raw" / "setagaya_plan_r6_progress.txt"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--copies", type=int, default=20)
    args = ap.parse_args()
    text = REPORT.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "reports"
        folder.mkdir()
        for n in range(args.copies):
            # each copy a different edition year, so each gets its own partition
            year = 6 + n
            copy = text.replace("令和６年度推進状況", f"令和{year}年度推進状況")
            (folder / f"report_{n:02d}.txt").write_text(copy, encoding="utf-8")
        commands = {
            f"{args.copies} reports, --workers {w}": [
                sys.executable,
                "-m",
                "plan_etl",
                "parse",
                str(folder),
                "-o",
                str(Path(tmp) / f"out{w}"),
                "--workers",
                str(w),
            ]
            for w in (1, 2)
        }
        med = medians(commands, args.runs)
        print(f"batch of {args.copies} copies, {args.runs} runs each:")
        report(commands, med)
        one, two = med.values()
        print(f"  speed-up --workers 2 over --workers 1: {one / two:.2f}x")


if __name__ == "__main__":
    main()
