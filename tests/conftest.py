"""Shared fixtures: the shipped report (path, non-blank lines by number), the answer key's path,
and the helper that turns report lines into schedule fragments."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from answer_key import EVAL, in_ci, require_answer_key  # noqa: F401 (in_ci: for the modules that import it from here)
from plan_etl.extract.base import Line
from plan_etl.extract.text import read_text_document

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "data/raw/setagaya_plan_r6_progress.txt"


@pytest.fixture(scope="session")
def report_path() -> Path:
    return REPORT


@pytest.fixture(scope="session")
def nonblank() -> list[Line]:
    """The shipped report's non-blank lines (numbered as in the file), as the parsers see them."""
    return read_text_document(REPORT).nonblank()


@pytest.fixture(scope="session")
def by_number(nonblank: list[Line]) -> dict[int, Line]:
    return {ln.no: ln for ln in nonblank}


@pytest.fixture(scope="session")
def eval_dir() -> Path:
    """../shared/eval (answer key, folds, scorer): skipped when absent, a failure under CI."""
    return require_answer_key()


def lines_between(by_number: dict[int, Line], *spans: tuple[int, int]) -> list[Line]:
    """The report's non-blank lines in the given inclusive line-number spans, in order."""
    return [by_number[n] for a, b in spans for n in range(a, b + 1) if n in by_number]


def load_tool(name: str) -> ModuleType:
    """A script of tools/ imported as a module (registered by name: dataclasses look it up)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module
