"""The pruned cut search agrees with trying every cut, on the real report's rows and on random
rows built to be full of repeated cells and ties."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plan_etl.api import parse_report
from plan_etl.extract.text import read_text_document
from plan_etl.parsers.row_cut import REPEAT, Found, LabelEnd, search
from plan_etl.parsers.schedule import MARGIN, label_ends, pieces_of

REPORT = Path(__file__).resolve().parents[1] / "data/raw/setagaya_plan_r6_progress.txt"


def every_cut(texts: list[str], options: list[LabelEnd], margin: float) -> Found | None:
    """The reference: score all cuts, keep the first best in enumeration order."""
    n = len(texts)

    def span(i: int, j: int) -> str:
        return "".join(texts[i:j])

    cuts = []
    for le in options:
        for e1, e2, e3 in combinations(le.ends, 3):
            cells = [span(le.a, e1), span(e1, e2), span(e2, e3), span(e3, n)]
            s = le.start + le.ends[e1] + le.ends[e2] + le.ends[e3]
            s += REPEAT * (e1 - le.a) * (cells[0] == cells[1])
            s += REPEAT * (e2 - e1) * (cells[1] == cells[2])
            s += REPEAT * (e3 - e2) * (cells[2] == cells[3])
            cuts.append((s, (le.a, e1, e2, e3), (span(0, le.a), *cells)))
    if not cuts:
        return None
    best = max(cuts, key=lambda c: c[0])  # max keeps the first of equal scores
    contested = any(s > best[0] - margin and t != best[2] for s, _, t in cuts)
    return Found(best[1], best[0], contested)


@pytest.fixture(scope="module")
def real_rows() -> list[list]:
    by_no = {ln.no: ln for ln in read_text_document(REPORT).lines}
    report = parse_report(REPORT)
    rows = []
    for init in report.initiatives:
        for row in init.schedule:
            lines = [by_no[n] for n in row.source_lines]
            rows.append(pieces_of(lines, range(len(lines))))
    return rows


def test_real_rows_match_every_cut(real_rows):
    assert len(real_rows) > 250
    compared = 0
    for pieces in real_rows:
        texts = [p.text for p in pieces]
        for labelled in (True, False):
            options = label_ends(pieces, labelled)
            for margin in (MARGIN, 0.0):
                assert search(texts, options, margin) == every_cut(texts, options, margin), texts
                compared += 1
    assert compared == 4 * len(real_rows)


WORDS = ["実施", "実", "施", "検討", "検討・実施", "運用", "（", "）", "準備", "・"]


@settings(max_examples=300, deadline=None)
@given(
    texts=st.lists(st.sampled_from(WORDS), min_size=4, max_size=14),
    starts=st.lists(st.integers(-20, 20), min_size=5, max_size=5),
    gaps=st.lists(st.integers(-6, 6), min_size=13, max_size=13),
    margin=st.sampled_from([0.0, MARGIN, 3.0]),
)
def test_random_rows_match_every_cut(texts, starts, gaps, margin):
    n = len(texts)
    options = [
        LabelEnd(a, starts[a] / 2, {e: gaps[e - 1] / 2 for e in range(a + 1, n)})
        for a in range(min(5, n - 3))
    ]
    assert search(texts, options, margin) == every_cut(texts, options, margin)
