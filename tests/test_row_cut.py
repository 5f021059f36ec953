"""The pruned cut search agrees with trying every cut (best cut, its posterior, the runner-up), on
the real report's rows and on random rows built to be full of repeated cells and ties."""

from __future__ import annotations

import math
from itertools import combinations, pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import REPORT
from plan_etl.extract.text import read_text_document
from plan_etl.parsers.yearly_plan.cut_model import default_settings
from plan_etl.parsers.yearly_plan.row_cut import Found, LabelEnd, search
from plan_etl.parsers.yearly_plan.schedule import label_ends, pieces_of, row_context
from plan_etl.schemas import Report


def every_cut(
    texts: list[str],
    options: list[LabelEnd],
    repeat: float,
    window: float,
    alike: tuple[float, float] = (0, 0),
) -> Found | None:
    """The reference: score all cuts, keep the first best in enumeration order, its posterior
    among the cuts within the window, and the first best cut giving other texts."""
    n = len(texts)

    def span(i: int, j: int) -> str:
        return "".join(texts[i:j])

    cuts = []
    for le in options:
        for e1, e2, e3 in combinations(le.ends, 3):
            cells = [span(le.a, e1), span(e1, e2), span(e2, e3), span(e3, n)]
            s = le.start + le.ends[e1] + le.ends[e2] + le.ends[e3]
            s += repeat * (e1 - le.a) * (cells[0] == cells[1])
            s += repeat * (e2 - e1) * (cells[1] == cells[2])
            s += repeat * (e3 - e2) * (cells[2] == cells[3])
            for c1, c2 in pairwise(cells):
                s += alike[0] * (c1[:2] == c2[:2]) + alike[1] * (c1[-2:] == c2[-2:])
            cuts.append((s, (le.a, e1, e2, e3), (span(0, le.a), *cells)))
    if not cuts:
        return None
    best = max(cuts, key=lambda c: c[0])  # max keeps the first of equal scores
    near = [c for c in cuts if c[0] >= best[0] - window]
    mass = sum(math.exp(s - best[0]) for s, _, _ in near)
    mine = sum(math.exp(s - best[0]) for s, _, t in near if t == best[2])
    others = [c for c in near if c[2] != best[2]]
    other = max(others, key=lambda c: c[0]) if others else None
    by_label: dict[int, float] = {}
    for s, cut, _ in near:
        by_label[cut[0]] = by_label.get(cut[0], 0.0) + math.exp(s - best[0])
    label_end = max(sorted(by_label), key=lambda a: by_label[a])
    return Found(
        best[1], best[0], mine / mass, other[1] if other else None, other[0] if other else None, label_end
    )


def same(a: Found | None, b: Found | None) -> bool:
    if a is None or b is None:
        return a is b
    return (
        a.ends == b.ends
        and a.score == b.score
        and a.confidence == pytest.approx(b.confidence, abs=1e-9)
        and a.runner_up == b.runner_up
        and a.runner_up_score == b.runner_up_score
        and a.label_end == b.label_end
    )


@pytest.fixture(scope="module")
def real_rows(parsed_report: Report) -> list[list]:
    by_no = {ln.no: ln for ln in read_text_document(REPORT).lines}
    report = parsed_report
    rows = []
    for init in report.initiatives:
        for row in init.schedule:
            lines = [by_no[n] for n in row.source_lines]
            rows.append(pieces_of(lines, range(len(lines))))
    return rows


def test_real_rows_match_every_cut(real_rows):
    assert len(real_rows) > 250
    s = default_settings()
    compared = 0
    for pieces in real_rows:
        texts = [p.text for p in pieces]
        row = row_context(pieces, None, s)
        for labelled in (True, False):
            options = label_ends(pieces, labelled, row, s)
            alike = (s.open_alike, s.close_alike)
            for window in (s.window, 2.0):
                got = search(texts, options, s.repeat, window, alike)
                assert same(got, every_cut(texts, options, s.repeat, window, alike)), texts
                compared += 1
    assert compared == 4 * len(real_rows)


WORDS = ["実施", "実", "施", "検討", "検討・実施", "運用", "（", "）", "準備", "・"]


@settings(max_examples=300, deadline=None)
@given(
    texts=st.lists(st.sampled_from(WORDS), min_size=4, max_size=14),
    starts=st.lists(st.integers(-20, 20), min_size=5, max_size=5),
    gaps=st.lists(st.integers(-6, 6), min_size=13, max_size=13),
    repeat=st.sampled_from([0.0, 1.0, 2.5]),
    window=st.sampled_from([0.5, 3.0, 9.0]),
    alike=st.sampled_from([(0.0, 0.0), (2.0, 1.0), (0.5, 3.0)]),
)
def test_random_rows_match_every_cut(texts, starts, gaps, repeat, window, alike):
    n = len(texts)
    options = [
        LabelEnd(a, starts[a] / 2, {e: gaps[e - 1] / 2 for e in range(a + 1, n)})
        for a in range(min(5, n - 3))
    ]
    assert same(
        search(texts, options, repeat, window, alike), every_cut(texts, options, repeat, window, alike)
    )
