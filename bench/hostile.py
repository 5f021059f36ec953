"""Benchmark: what each hostile input costs a run (issue: bounded time and memory).

usage: python bench/hostile.py

Each case is built by the tests' generators (tests/hostile_pdfs.py) and parsed by `plan-etl parse`
in a process of its own; prints the exit code, the wall time, the peak RSS of the largest process
(its workers included) and the first words of the one-line error. Figures, not tests.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
import hostile_pdfs  # noqa: E402

REPORT = ROOT / "data" / "raw" / "setagaya_plan_r6_progress.txt"

MEASURED = """
import resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
took = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
said = (done.stderr.strip() or done.stdout.strip()).splitlines() or [""]
print(done.returncode, f"{took:.2f}", peak, said[-1])
"""

CASES: dict[str, tuple[str, Callable[[], bytes], tuple[str, ...]]] = {
    "deflate bomb (2 x Flate, 1.5 GiB)": ("bomb.pdf", hostile_pdfs.deflate_bomb, ()),
    "300 MB of path operators": ("paths.pdf", hostile_pdfs.path_stream, ()),
    "one page ruled 300 x 300": ("ruled.pdf", lambda: hostile_pdfs.ruled_page(300), ()),
    "100,000 pages": ("pages.pdf", hostile_pdfs.many_pages, ()),
    "ruled 300 x 300, rules off, --timeout 2": (
        "slow.pdf",
        lambda: hostile_pdfs.ruled_page(300),
        ("--max-rules", "0", "--timeout", "2"),
    ),
    "the report x 50 (text)": ("fifty.txt", lambda: (REPORT.read_bytes() + b"\n") * 50, ()),
    "text quoting %PDF- in its first KB": ("magic.txt", hostile_pdfs.text_with_pdf_magic, ()),
}


def main() -> None:
    print("hostile inputs, one run each (python -m plan_etl parse FILE -f json):")
    print(f"  {'case':46s} {'exit':>4s} {'time':>7s} {'peak':>8s}  message")
    with tempfile.TemporaryDirectory() as tmp:
        for name, (file, build, extra) in CASES.items():
            path = Path(tmp) / file
            path.write_bytes(build())
            out = str(Path(tmp) / "out")
            cmd = [sys.executable, "-m", "plan_etl", "parse", str(path), "-o", out, "-f", "json"]
            line = subprocess.run(
                [sys.executable, "-c", MEASURED, *cmd, *extra], capture_output=True, text=True, check=True
            ).stdout.strip()
            code, took, peak, message = line.split(" ", 3)
            size = path.stat().st_size
            shown = message.replace(str(path), file)[:70]
            label = f"{name} [{size / 1024:,.0f} KB]"
            print(f"  {label:46s} {code:>4s} {took:>6s}s {peak:>4s} MiB  {shown}")


if __name__ == "__main__":
    main()
