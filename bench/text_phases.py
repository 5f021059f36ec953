"""Where one `plan-etl parse` of the shipped text spends its time, step by step in one fresh process
(imports included, as the command line pays them). Figures, not a test.

usage: python bench/text_phases.py [--runs N]   (median of N fresh processes per step)
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "data" / "raw" / "setagaya_plan_r6_progress.txt"

# runs in a child process so every import is cold; prints one JSON object of step -> seconds
CHILD = """
import json, sys, tempfile, time
from pathlib import Path
steps = {}
t = time.perf_counter()
def lap(name):
    global t
    now = time.perf_counter()
    steps[name] = now - t
    t = now
import plan_etl.cli; lap("import the CLI (typer)")
import pydantic, typer._adapters; lap("import pydantic (typer's parameters need it)")
import plan_etl.schemas; lap("import the records")
from plan_etl.extract import read_document
doc = read_document(Path(sys.argv[1])); lap("read and decode the text")
import plan_etl.parsers.report; lap("import the parsers (regex)")
from plan_etl.pipeline import parse_document
report = parse_document(doc); lap("parse")
out = Path(tempfile.mkdtemp())
from plan_etl.writers.json import write_json
write_json(report, out / "report.json"); lap("write report.json")
from plan_etl.writers.parquet import write_parquet; lap("import pyarrow.parquet")
write_parquet(report, out); lap("write the Parquet tables")
from plan_etl.coverage import coverage
import contextlib, io
with contextlib.redirect_stdout(io.StringIO()):
    plan_etl.cli.show._print_summary(report, coverage(report), [], out)
lap("coverage and the rich summary")
print(json.dumps(steps))
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    runs = [
        json.loads(
            subprocess.run(
                [sys.executable, "-c", CHILD, str(REPORT)], check=True, capture_output=True, text=True
            ).stdout
        )
        for _ in range(args.runs)
    ]
    print(f"one text parse, step by step in a fresh process (median of {args.runs}):")
    total = 0.0
    for step in runs[0]:
        ms = 1000 * statistics.median(r[step] for r in runs)
        total += ms
        print(f"  {step:46s} {ms:6.0f} ms")
    print(f"  {'sum (after the interpreter starts)':46s} {total:6.0f} ms")


if __name__ == "__main__":
    main()
