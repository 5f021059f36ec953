"""Real text of the shipped R6 report for parser tests: lines numbered as in the file, the answer key.

Snippets are cut from the report itself (never retyped), so a test sees exactly what the text tool
produced: full-width spaces, odd dashes, trailing blanks and all.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from helpers import GOLD, REPORT, require_answer_key
from plan_etl.extract.base import Line, SourceDocument
from plan_etl.extract.text import read_text_document


@cache
def document() -> SourceDocument:
    return read_text_document(REPORT)


def report_lines(first: int, last: int) -> list[Line]:
    """The report's non-blank lines numbered `first`..`last` (inclusive), as the parser gets them."""
    lines = [ln for ln in document().nonblank() if first <= ln.no <= last]
    assert lines and lines[0].no >= first and lines[-1].no <= last
    return lines


def text_at(no: int) -> str:
    """The text of report line `no` (1-based), as printed."""
    return document().lines[no - 1].text


def next_text(no: int) -> str:
    """The text of the first non-blank line after report line `no`."""
    return next(ln.text for ln in document().lines[no:] if ln.text.strip())


def nos(lines: list[Line], idx: list[int]) -> list[int]:
    """Report line numbers of the lines at the given indexes."""
    return [lines[i].no for i in idx]


@cache
def _gold() -> dict[str, Any] | None:
    return json.loads(GOLD.read_text(encoding="utf-8")) if GOLD.is_file() else None


def gold_items() -> dict[str, dict[str, Any]]:
    """The answer key's initiative records by key (`5-13#1`); skips the test when there is no key."""
    gold = _gold()
    if gold is None:
        require_answer_key()
    return {r["key"]: r for r in gold["initiatives"]}


def gold_keys() -> list[str]:
    """Keys of the answer key's records, for parametrizing (empty when the key is missing)."""
    gold = _gold()
    return [] if gold is None else [r["key"] for r in gold["initiatives"]]


def gold_toc_ids() -> list[str]:
    gold = _gold()
    if gold is None:
        require_answer_key()
    return [t["item_id"] for t in gold["toc"]]
