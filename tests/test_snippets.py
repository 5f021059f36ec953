"""The snippet files the parser tests read (tests/data/snippets/) are the shipped report's own text,
line for line and numbered as in it: cut from it, never retyped, and still what it says."""

from __future__ import annotations

import pytest

from helpers import SNIPPETS, snippet
from plan_etl.extract.base import Line

NAMES = sorted(str(p.relative_to(SNIPPETS).with_suffix("")) for p in SNIPPETS.rglob("*.txt"))


@pytest.mark.parametrize("name", NAMES)
def test_a_snippet_is_the_reports_own_text(name: str, by_number: dict[int, Line]) -> None:
    lines = snippet(name)
    assert lines and all(by_number[ln.no] == ln for ln in lines)
    text = (SNIPPETS / f"{name}.txt").read_text(encoding="utf-8")
    starts = [int(t[3:]) for t in text.split("\n") if t.startswith("@@ ")]
    for k, start in enumerate(starts):  # each span whole: every non-blank report line in it
        nxt = starts[k + 1] if k + 1 < len(starts) else None
        span = [ln.no for ln in lines if ln.no >= start and (nxt is None or ln.no < nxt)]
        assert span == [n for n in by_number if span and start <= n <= span[-1]]


def test_there_are_snippets() -> None:
    assert len(NAMES) >= 30
