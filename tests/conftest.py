"""Shared fixtures of the tests: the shipped report (path, non-blank lines by number, the report
parsed once a session) and where the answer key is. Plain helpers are in helpers.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import REPORT, require_answer_key
from plan_etl.extract.base import Line
from plan_etl.extract.text import read_text_document
from plan_etl.schemas import Report


@pytest.fixture(scope="session")
def report_path() -> Path:
    return REPORT


@pytest.fixture(scope="session")
def parsed_report() -> Report:
    """The shipped report parsed (once a session; tests copy it before they change it)."""
    from plan_etl.api import parse_report

    return parse_report(REPORT)


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
