"""Benchmark: `plan-etl parse` of the shipped text (JSON + Parquet) vs the floor
`python -c "import pyarrow, pydantic"`, whole processes side by side. Target ratio ≤ 1.5.

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
        }
        med = medians(commands, args.runs)
        print(f"text report end to end, {args.runs} runs each:")
        report(commands, med)
        a, b = med.values()
        print(f"  ratio parse / floor: {a / b:.2f} (target <= 1.5)")


if __name__ == "__main__":
    main()
