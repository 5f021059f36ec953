"""Real text of the shipped R6 report for parser tests: lines numbered as in the file, the answer key.

Snippets are cut from the report itself (never retyped, tests/data/snippets/), so a test sees exactly
what the text tool produced: full-width spaces, odd dashes, trailing blanks and all.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from helpers import GOLD, REPORT, SNIPPETS, read_snippet, require_answer_key
from plan_etl.extract.base import Line, SourceDocument
from plan_etl.extract.text import read_text_document


@cache
def document() -> SourceDocument:
    return read_text_document(REPORT)


class ReportText:
    """The report text one test module reads: the snippet files under `SNIPPETS/<folder>/` (one per
    test, cut from the report), addressed by the report's own line numbers so a case can be traced
    back to its page. A span a test asks for must lie whole inside one file's span."""

    def __init__(self, folder: str) -> None:
        self.by_no: dict[int, Line] = {}
        self.spans: list[tuple[int, int]] = []
        for path in sorted((SNIPPETS / folder).glob("*.txt")):
            lines, spans = read_snippet(path)
            self.by_no.update((ln.no, ln) for ln in lines)
            self.spans += spans
        assert self.by_no, f"no snippets in {SNIPPETS / folder}"

    def lines(self, first: int, last: int) -> list[Line]:
        """The non-blank lines numbered `first`..`last` (inclusive), as the parser gets them."""
        assert any(a <= first and last <= b for a, b in self.spans), f"no snippet holds {first}-{last}"
        return [self.by_no[no] for no in sorted(self.by_no) if first <= no <= last]

    def text(self, no: int) -> str:
        """The text of report line `no`, as printed."""
        return self.by_no[no].text

    def next(self, no: int) -> str:
        """The text of the first non-blank line after report line `no`, in the same span."""
        last = max(b for a, b in self.spans if a <= no <= b)
        return next(self.by_no[n].text for n in range(no + 1, last + 1) if n in self.by_no)


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
