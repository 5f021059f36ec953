"""Benchmark: `plan-etl parse` of the generated full-report PDF vs bare pdfplumber extract_text().

usage: python bench/pdf_vs_pdfplumber.py [--runs N] [--workers W]

Whole processes, side by side in the same run; prints median wall times, their ratio (target with
one worker: ≤ 0.20, at ≤ 100 MiB) and each one's peak RSS. The PDF is rendered from the shipped
report's records by tools/make_report_pdf.py (not committed).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import BARE_PDFPLUMBER, medians, render_report_pdf, report


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        pdf = render_report_pdf(Path(tmp) / "report.pdf")
        out = str(Path(tmp) / "out")
        parse = [sys.executable, "-m", "plan_etl", "parse", str(pdf), "-o", out, "--workers"]
        commands = {
            f"plan-etl parse PDF --workers {args.workers}": [*parse, str(args.workers)],
            "plan-etl parse PDF --workers 1": [*parse, "1"],
            "pdfplumber extract_text, all pages": [sys.executable, "-c", BARE_PDFPLUMBER, str(pdf)],
        }
        med = medians(commands, args.runs)
        size = pdf.stat().st_size // 1024
        print(f"generated report PDF ({size} KiB), {args.runs} runs each on {os.cpu_count()} cores:")
        report(commands, med)
        bare = med["pdfplumber extract_text, all pages"]
        for name in list(commands)[:2]:
            print(
                f"  ratio {name} / bare extraction: {med[name] / bare:.2f} (target with --workers 1: <= 0.20)"
            )


if __name__ == "__main__":
    main()
