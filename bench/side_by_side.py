"""Benchmark: our commands beside what the stack itself costs, whole processes run interleaved in one
session (median of N runs each, peak RSS by GNU time), printed as ratios with their targets:

- text: `plan-etl parse` of the shipped text report (JSON + Parquet) vs the stack floor, a process
  that only imports pyarrow.parquet, pydantic, typer and regex (target <= 2.0x);
- PDF: `plan-etl parse --workers 1` of the generated report PDF vs pypdfium2 reading every
  character box of it (target <= 2.5x) and vs bare pdfplumber `extract_text()` of every page
  (target <= 0.20x), and its peak RSS (target <= 100 MiB);
- batch: 20 text editions with `--workers 2` vs one edition (target <= 10x).

Then what the command costs with no parse at all: the same runs with the worker handing back a
report parsed beforehand (for the PDF, after reading the characters with our engine, nothing more).
No parser speed-up can bring a run below these; when they are over a target, the target needs the
rest of the command (the CLI's options, its imports, the writes) or the character reading cheaper.

Then where the text parse's imports go (`python -X importtime`, the largest top-level imports).

usage: python bench/side_by_side.py [--runs N]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import BARE_PDFPLUMBER, REPORT, medians, peak_mib, render_report_pdf

FLOOR = "import pyarrow.parquet, pydantic, typer, regex"
PDFIUM_BOXES = """
import sys, pypdfium2 as pdfium
pdf = pdfium.PdfDocument(sys.argv[1])
for page in pdf:
    text = page.get_textpage()
    for i in range(text.count_chars()):
        text.get_charbox(i)
"""
"""pypdfium2 alone: every character's box on every page (what any reader of the PDF must do)."""
PARSED = """
import pickle, sys
import plan_etl.pipeline as pipeline
saved, read_chars = sys.argv[1], sys.argv[2] == "chars"

def parsed(path, *args, **kwargs):
    if read_chars:  # page by page, each dropped once read, as the parse reads them
        from plan_etl.extract.engines import iter_pages
        for _ in iter_pages(path):
            pass
    with open(saved, "rb") as f:
        return pickle.load(f)

pipeline.parse_report = parsed
sys.argv = ["plan-etl", "parse", *sys.argv[3:]]
from plan_etl.cli import run
run()
"""
"""`plan-etl parse ARGS` whose worker, instead of parsing, loads the report pickled in argv[1]
(after reading the PDF's characters with our engine when argv[2] is `chars`)."""


def parsed_beforehand(source: Path, saved: Path) -> Path:
    """`source` parsed in this process and pickled to `saved`."""
    import pickle

    from plan_etl.pipeline import parse_report

    saved.write_bytes(pickle.dumps(parse_report(source, workers=1)))
    return saved


def editions(folder: Path, copies: int) -> Path:
    """`copies` text editions of the shipped report, each its own year."""
    folder.mkdir()
    text = REPORT.read_text(encoding="utf-8")
    for n in range(copies):
        copy = text.replace("令和６年度推進状況", f"令和{6 + n}年度推進状況")
        (folder / f"report_{n:02d}.txt").write_text(copy, encoding="utf-8")
    return folder


def import_times(cmd: list[str], top: int = 8) -> tuple[float, list[tuple[float, str]]]:
    """Seconds of all top-level imports of `cmd` (run under -X importtime) and the largest ones."""
    out = subprocess.run([sys.executable, "-X", "importtime", *cmd], capture_output=True, text=True)
    rows = []
    for line in out.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            _, cumulative, name = line.split("|")
            if cumulative.strip().isdigit() and not name.startswith("  "):
                rows.append((int(cumulative) / 1e6, name.strip()))
    return sum(s for s, _ in rows), sorted(rows, reverse=True)[:top]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--copies", type=int, default=20)
    args = ap.parse_args()
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        pdf = render_report_pdf(t / "report.pdf")
        folder = editions(t / "editions", args.copies)
        parse = [py, "-m", "plan_etl", "parse"]
        text_done = [py, "-c", PARSED, str(parsed_beforehand(REPORT, t / "text.pickle")), "-"]
        pdf_done = [py, "-c", PARSED, str(parsed_beforehand(pdf, t / "pdf.pickle")), "chars"]
        commands = {
            "stack floor (import pyarrow.parquet, pydantic, typer, regex)": [py, "-c", FLOOR],
            "plan-etl parse, text report": [*parse, str(REPORT), "-o", str(t / "text")],
            "pypdfium2: every character box of the PDF": [py, "-c", PDFIUM_BOXES, str(pdf)],
            "plan-etl parse, PDF, --workers 1": [*parse, str(pdf), "-o", str(t / "pdf"), "--workers", "1"],
            "bare pdfplumber extract_text, every page": [py, "-c", BARE_PDFPLUMBER, str(pdf)],
            f"plan-etl parse, {args.copies} text editions, --workers 2": [
                *parse, str(folder), "-o", str(t / "batch"), "--workers", "2",
            ],
        }  # fmt: skip
        bounds = {
            "plan-etl parse, text report, parsed beforehand": [*text_done, str(REPORT), "-o", str(t / "b1")],
            "plan-etl parse, PDF, --workers 1, only its characters read": [
                *pdf_done, str(pdf), "-o", str(t / "b2"), "--workers", "1",
            ],
        }  # fmt: skip
        med = medians({**commands, **bounds}, args.runs)
        rss = {name: peak_mib(cmd) for name, cmd in commands.items()}
        floor, text, boxes, pdf_parse, plumber, batch, text_bound, pdf_bound = med.values()
        print(f"side by side, median of {args.runs} interleaved runs each (whole processes):")
        for name in commands:
            print(f"  {name:62s} {med[name]:6.3f} s  {rss[name]:4d} MiB")
        pdf_rss = rss["plan-etl parse, PDF, --workers 1"]
        print("ratios (target):")
        print(f"  text parse / stack floor                 {text / floor:5.2f}x  (<= 2.0)")
        print(f"  PDF parse / pypdfium2 character boxes    {pdf_parse / boxes:5.2f}x  (<= 2.5)")
        print(f"  PDF parse / bare pdfplumber              {pdf_parse / plumber:5.2f}x  (<= 0.20)")
        print(f"  PDF parse peak RSS                       {pdf_rss:5d} MiB (<= 100)")
        print(f"  {args.copies} editions, 2 workers / one edition   {batch / text:5.2f}x  (<= 10)")
        print("the same commands with no parse (lower bounds of any parser speed-up):")
        for name in bounds:
            print(f"  {name:62s} {med[name]:6.3f} s")
        print(f"  text, parsed beforehand / stack floor    {text_bound / floor:5.2f}x  (<= 2.0)")
        print(f"  PDF, characters only / pypdfium2 boxes   {pdf_bound / boxes:5.2f}x  (<= 2.5)")
        print(f"  PDF, characters only / bare pdfplumber   {pdf_bound / plumber:5.2f}x  (<= 0.20)")
        total, largest = import_times(["-m", "plan_etl", "parse", str(REPORT), "-o", str(t / "imports")])
        print(f"imports of the text parse (-X importtime, this process only): {total:.3f} s, largest:")
        for seconds, name in largest:
            print(f"  {name:40s} {seconds * 1000:6.1f} ms")


if __name__ == "__main__":
    main()
