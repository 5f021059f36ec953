"""Benchmark: the two PDF engines (extract/engines.py) reading every page of the generated
full-report PDF into the page model, vs bare pdfplumber extract_text().

usage: python bench/pdf_engines.py [--runs N]

Whole processes (imports included), side by side in the same run; prints each one's median wall
time and peak RSS, and the engines' ratios to bare extraction. The PDF is rendered from the shipped
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

from plan_etl.extract.engines import page_count

ENGINE = """
import sys
from pathlib import Path
from plan_etl.extract.engines import read_pages
pages = read_pages(Path(sys.argv[1]), sys.argv[2])
assert pages and any(p.chars for p in pages)
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        pdf = render_report_pdf(Path(tmp) / "report.pdf")
        bare = "pdfplumber extract_text, all pages"
        commands = {
            "(a) read_pages pdfium, all pages": [sys.executable, "-c", ENGINE, str(pdf), "pdfium"],
            "(b) read_pages pdfplumber, all pages": [sys.executable, "-c", ENGINE, str(pdf), "pdfplumber"],
            f"(c) {bare}": [sys.executable, "-c", BARE_PDFPLUMBER, str(pdf)],
        }
        med = medians(commands, args.runs)
        size = pdf.stat().st_size // 1024
        n_pages = page_count(pdf)
        cores = os.cpu_count()
        print(f"generated report PDF ({size} KiB, {n_pages} pages), {args.runs} runs each on {cores} cores:")
        report(commands, med)
        c = med[f"(c) {bare}"]
        a, b = (med[name] for name in list(commands)[:2])
        print(f"  ratio a/c (pdfium engine / bare extraction):     {a / c:.2f}")
        print(f"  ratio b/c (pdfplumber engine / bare extraction): {b / c:.2f}")


if __name__ == "__main__":
    main()
