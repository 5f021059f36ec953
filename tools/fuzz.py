"""Mutation fuzzing of `plan-etl parse`: seeded, reproducible mutants of generated report PDFs and of
the report text, each parsed by the command as a user runs it, with its exit status, time and peak
memory. An internal error (exit 3, a traceback, or any other status than 0, 1, 2) is our bug; exit
2 is a damaged input told as such.

usage: python tools/fuzz.py [--n N] [--seed S] [--kind pdf|text|both] [--workers W] [--only K]

Case k of a run is mutant k of the seed: `--seed S --n N` always makes the same N files, so the
seed and index a table row names reproduce that case (`--only K`).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "data/raw/setagaya_plan_r6_progress.txt"
PLAN_ETL = Path(sys.executable).with_name("plan-etl")
CASE_TIMEOUT_S = 120
"""A case running longer than this is killed and counted as a hang (an internal error)."""
BASE_RECORDS = 6
"""How many initiative records the generated base PDFs hold (a short report parses fast)."""
TEXT_LINES = 2600
"""How many lines of the shipped report the text base keeps (front matter and the first tables)."""


@dataclass(frozen=True)
class Outcome:
    kind: str
    index: int
    mutation: str
    exit_code: int
    seconds: float
    peak_mib: float
    message: str

    @property
    def internal(self) -> bool:
        return (
            self.exit_code not in (0, 1, 2) or "Traceback" in self.message or "internal error" in self.message
        )


# ---------------------------------------------------------------------------------------- bases


def _tool(name: str):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def base_pdfs(folder: Path) -> list[bytes]:
    """Two short report PDFs (reportlab): the default layout and a drawn one."""
    from plan_etl.api import parse_report

    pdf = _tool("make_report_pdf")
    full = parse_report(REPORT)
    keep = full.initiatives[:BASE_RECORDS]
    ids = {i.item_id for i in keep}
    small = full.model_copy(update={"initiatives": keep, "toc": [t for t in full.toc if t.item_id in ids]})
    out = []
    for k, layout in enumerate((pdf.DEFAULT_LAYOUT, pdf.Layout.draw(random.Random(7)))):
        path = folder / f"base{k}.pdf"
        pdf.render_report_pdf(small, path, layout)
        out.append(path.read_bytes())
    return out


def base_text() -> bytes:
    return "\n".join(REPORT.read_text(encoding="utf-8").split("\n")[:TEXT_LINES]).encode("utf-8")


# ------------------------------------------------------------------------------------- mutations


def _flip(rng: random.Random, data: bytes) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 64)):
        b[rng.randrange(len(b))] = rng.randrange(256)
    return bytes(b)


def _truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(1, len(data))]


def _duplicate(rng: random.Random, data: bytes) -> bytes:
    a = rng.randrange(len(data))
    b = min(len(data), a + rng.randint(1, 20000))
    at = rng.randrange(len(data))
    return data[:at] + data[a:b] + data[at:]


def _delete(rng: random.Random, data: bytes) -> bytes:
    a = rng.randrange(len(data))
    return data[:a] + data[min(len(data), a + rng.randint(1, 20000)) :]


def _break_xref(rng: random.Random, data: bytes) -> bytes:
    m = list(re.finditer(rb"startxref\s+(\d+)", data))
    if not m:
        return _flip(rng, data)
    hit = m[-1]
    return data[: hit.start(1)] + str(rng.randrange(10**7)).encode() + data[hit.end(1) :]


def _replace_stream(rng: random.Random, data: bytes) -> bytes:
    spans = [(m.end(), data.find(b"endstream", m.end())) for m in re.finditer(rb"stream\r?\n", data)]
    spans = [(a, b) for a, b in spans if b > a]
    if not spans:
        return _flip(rng, data)
    a, b = rng.choice(spans)
    return data[:a] + rng.randbytes(max(1, (b - a) + rng.randint(-50, 50))) + data[b:]


def _wrong_length(rng: random.Random, data: bytes) -> bytes:
    m = list(re.finditer(rb"/Length (\d+)", data))
    if not m:
        return _flip(rng, data)
    hit = rng.choice(m)
    value = str(max(0, int(hit.group(1)) + rng.randint(-500, 500))).encode()
    return data[: hit.start(1)] + value + data[hit.end(1) :]


PDF_MUTATIONS: dict[str, Callable[[random.Random, bytes], bytes]] = {
    "flip": _flip,
    "truncate": _truncate,
    "duplicate": _duplicate,
    "delete": _delete,
    "xref": _break_xref,
    "stream": _replace_stream,
    "length": _wrong_length,
}


def _lines_deleted(rng: random.Random, data: bytes) -> bytes:
    lines = data.split(b"\n")
    for _ in range(rng.randint(1, 200)):
        if len(lines) > 1:
            del lines[rng.randrange(len(lines))]
    return b"\n".join(lines)


def _lines_duplicated(rng: random.Random, data: bytes) -> bytes:
    lines = data.split(b"\n")
    a = rng.randrange(len(lines))
    block = lines[a : a + rng.randint(1, 400)]
    at = rng.randrange(len(lines))
    return b"\n".join([*lines[:at], *block, *lines[at:]])


def _controls(rng: random.Random, data: bytes) -> bytes:
    text = data.decode("utf-8", errors="replace")
    chars = list(text)
    for _ in range(rng.randint(1, 100)):
        chars.insert(
            rng.randrange(len(chars)), chr(rng.choice([*range(0, 32), 0x7F, 0x202E, 0x200B, 0xFEFF]))
        )
    return "".join(chars).encode("utf-8")


def _encoding(rng: random.Random, data: bytes) -> bytes:
    text = data.decode("utf-8", errors="replace")
    codec = rng.choice(["cp932", "utf-16", "utf-8-sig", "euc_jp", "latin-1"])
    return text.encode(codec, errors="replace")


def _bad_bytes(rng: random.Random, data: bytes) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 30)):
        at = rng.randrange(len(b))
        b[at:at] = rng.choice([b"\xed\xa0\x80", b"\xff\xfe", b"\x80", b"\xc3", b"\x00"])
    return bytes(b)


TEXT_MUTATIONS: dict[str, Callable[[random.Random, bytes], bytes]] = {
    "lines_deleted": _lines_deleted,
    "lines_duplicated": _lines_duplicated,
    "controls": _controls,
    "encoding": _encoding,
    "bad_bytes": _bad_bytes,
    "flip": _flip,
    "truncate": _truncate,
}


def mutant(kind: str, seed: int, index: int, bases: Sequence[bytes]) -> tuple[str, bytes]:
    """Mutant `index` of `seed`: a base and one to three mutations, all drawn from the pair."""
    rng = random.Random(f"{kind}:{seed}:{index}")
    table = PDF_MUTATIONS if kind == "pdf" else TEXT_MUTATIONS
    data = rng.choice(list(bases))
    names = [rng.choice(list(table)) for _ in range(rng.randint(1, 3))]
    for name in names:
        data = table[name](rng, data) or data[:1]
    return "+".join(names), data


# ------------------------------------------------------------------------------------------ runs


def fuzz(kind: str, n: int, seed: int, workers: int = 2, only: int | None = None) -> list[Outcome]:
    """N mutants of `kind` (pdf or text) of `seed`, each parsed; their outcomes in index order."""
    with tempfile.TemporaryDirectory(prefix="plan-etl-fuzz-") as tmp:
        folder = Path(tmp)
        bases = base_pdfs(folder) if kind == "pdf" else [base_text()]
        indices = [only] if only is not None else list(range(n))

        def one(k: int) -> Outcome:
            name, data = mutant(kind, seed, k, bases)
            path = folder / f"{kind}{k}.{'pdf' if kind == 'pdf' else 'txt'}"
            path.write_bytes(data)
            code, seconds, peak, message = _measured(path, folder / f"out{k}")
            path.unlink(missing_ok=True)
            return Outcome(kind, k, name, code, seconds, peak, message)

        with ThreadPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(one, indices))


def _measured(path: Path, out: Path) -> tuple[int, float, float, str]:
    """`plan-etl parse PATH`: exit status, seconds, peak memory (MiB: the command's, or its
    largest worker's, as wait4 reports it) and the first line it said on stderr."""
    start = time.perf_counter()
    err_path = out.with_suffix(".err")
    with err_path.open("wb") as err:
        proc = subprocess.Popen(
            [str(PLAN_ETL), "parse", str(path), "-o", str(out), "-f", "json", "--workers", "1"],
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
        deadline = start + CASE_TIMEOUT_S
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.02)
    proc.returncode = code = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    text = err_path.read_text(encoding="utf-8", errors="replace")
    err_path.unlink(missing_ok=True)
    first = (text.strip().splitlines() or [""])[0][:300]
    if seconds > CASE_TIMEOUT_S:
        first = f"hang: over {CASE_TIMEOUT_S} s"
    if "Traceback" in text:
        first += " [Traceback]"
    return code, seconds, usage.ru_maxrss / 1024, first


def table(outcomes: Sequence[Outcome], seed: int) -> str:
    """The outcome table: exit statuses, internal errors, max time and memory, the worst seeds."""
    lines = []
    for kind in ("pdf", "text"):
        mine = [o for o in outcomes if o.kind == kind]
        if not mine:
            continue
        codes = Counter(o.exit_code for o in mine)
        internal = [o for o in mine if o.internal]
        slow = max(mine, key=lambda o: o.seconds)
        big = max(mine, key=lambda o: o.peak_mib)
        lines += [
            f"{kind}: {len(mine)} mutants (seed {seed}); exit codes "
            + ", ".join(f"{c}: {k}" for c, k in sorted(codes.items())),
            f"  internal errors: {len(internal)}",
            f"  max time {slow.seconds:.2f} s (case {slow.index}, {slow.mutation}); "
            f"max memory {big.peak_mib:.0f} MiB (case {big.index}, {big.mutation})",
        ]
        lines += [
            f"  internal: case {o.index} ({o.mutation}) exit {o.exit_code}: {o.message}"
            for o in internal[:10]
        ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--kind", choices=("pdf", "text", "both"), default="both")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--only", type=int, help="run one case (its index) of the seed")
    args = ap.parse_args(argv)
    outcomes: list[Outcome] = []
    for kind in ("pdf", "text") if args.kind == "both" else (args.kind,):
        outcomes += fuzz(kind, args.n, args.seed, args.workers, args.only)
    print(table(outcomes, args.seed))
    return 1 if any(o.internal for o in outcomes) else 0


if __name__ == "__main__":
    raise SystemExit(main())
