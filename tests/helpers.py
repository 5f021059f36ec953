"""Helpers the tests share (plain functions and paths, not fixtures): where the shipped report and
the answer key are, the text normalisers the tests compare by, and tools/ scripts loaded as modules.
Fixtures live in conftest.py."""

from __future__ import annotations

import importlib.util
import os
import sys
import unicodedata
from pathlib import Path
from types import ModuleType

import pytest

from plan_etl.extract.base import Line
from plan_etl.form.characters import canonical

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "data/raw/setagaya_plan_r6_progress.txt"
EVAL = ROOT.parent / "shared" / "eval"
GOLD = EVAL / "gold_dev.json"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def require_answer_key() -> Path:
    """../shared/eval; skips the test when it is absent (a failure under CI)."""
    if not GOLD.is_file():
        if in_ci():
            pytest.fail(f"CI is set but the answer key is missing: {GOLD}")
        pytest.skip(f"no answer key at {EVAL} (clone ../shared beside the project)")
    return EVAL


def norm(text: str | None) -> str | None:
    """Text compared as score.py compares it: NFKC, all whitespace removed."""
    return None if text is None else "".join(unicodedata.normalize("NFKC", text).split())


def squash(text: str | None) -> str:
    """Text without any whitespace (line wraps, spaces a PDF adds or drops)."""
    return "".join((text or "").split())


def norm_printed(text: str | None) -> str | None:
    """A record's text as it reads back from the generated PDF (tools/make_report_pdf.py
    `read_back`), compared as score.py compares it."""
    return None if text is None else norm(load_tool("make_report_pdf").read_back(text))


def load_tool(name: str) -> ModuleType:
    """A script of tools/ imported as a module (registered by name: dataclasses look it up), once."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


SNIPPETS = ROOT / "tests" / "data" / "snippets"
"""Text cut from the shipped report (never retyped), one file per test case: a few lines in,
records out, as jc's fixture files."""


def snippet(name: str) -> list[Line]:
    """The non-blank lines of `SNIPPETS/<name>.txt`, numbered as in the report: a line `@@ N` says
    the next line is report line N (blank lines, which part the text tool's boxes, count too);
    a line opening with `#` is a comment."""
    return read_snippet(SNIPPETS / f"{name}.txt")[0]


def read_snippet(path: Path) -> tuple[list[Line], list[tuple[int, int]]]:
    """A snippet file's non-blank lines and the report line spans (first, last) it holds."""
    out: list[Line] = []
    spans: list[tuple[int, int]] = []
    no = 0
    for text in path.read_text(encoding="utf-8").split("\n")[:-1]:
        if text.startswith("# ") and not out and no == 0:
            continue
        if text.startswith("@@ "):
            no = int(text[3:])
            spans.append((no, no - 1))
            continue
        if text.strip():
            out.append(Line(no, canonical(text)))  # as the text reader gives it
        spans[-1] = (spans[-1][0], no)
        no += 1
    return out, spans
