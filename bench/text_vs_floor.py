"""Benchmark: `plan-etl parse` of the shipped text (JSON + Parquet) vs the floor
`python -c "import pyarrow, pydantic"`, whole processes side by side. Target ratio ≤ 1.5.

A third process imports only what any parse to JSON + Parquet on this stack must load (pyarrow's
Parquet writer, pydantic's BaseModel, typer, regex) and does nothing: its ratio to the floor is the
least the parse could reach, so the two ratios together say how much of the gap is ours.

usage: python bench/text_vs_floor.py [--runs N]
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
STACK_IMPORTS = "import pyarrow.parquet, regex, typer; from pydantic import BaseModel"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        commands = {
            "plan-etl parse (text -> JSON + Parquet)": [
                sys.executable,
                "-m",
                "plan_etl",
                "parse",
                str(REPORT),
                "-o",
                tmp,
                "-f",
                "json,parquet",
            ],
            "floor: import pyarrow, pydantic": [sys.executable, "-c", "import pyarrow, pydantic"],
            "stack: imports a parse cannot skip": [sys.executable, "-c", STACK_IMPORTS],
        }
        med = medians(commands, args.runs)
        print(f"text report end to end, {args.runs} runs each:")
        report(commands, med)
        parse, floor, stack = med.values()
        print(f"  ratio parse / floor: {parse / floor:.2f} (target <= 1.5)")
        print(f"  ratio stack imports / floor: {stack / floor:.2f} (the least a parse can reach)")


if __name__ == "__main__":
    main()
