"""The search for a schedule row's best cut into label + four cells, given the gap scores.

A cut is a label end `a` and three cell ends e1 < e2 < e3 (fragment indices). Its score is the
label end's `start` plus the score of each gap it cuts, plus `repeat` per fragment of a cell
whose text equals the next cell's (year cells often repeat: 実施 実施 実施). Scores are
log-likelihoods, so the cuts within `window` of the best give the best cut's posterior.

Enumerating every cut costs O(L³) per label end for L candidate gaps. Without the repeat bonus
the best cut is simply the three best gaps, and a cell can only equal its neighbour when their
lengths match, which fixes the other end: so the search takes the best value from the top three
gaps and the few cuts with a bonus, then lists only the cuts that score near it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from itertools import accumulate, pairwise


@dataclass(frozen=True)
class LabelEnd:
    """One way to end the label: after fragment `a`, with this base score and the candidate
    cell ends (absolute fragment indices, ascending) each with the score cutting there adds."""

    a: int
    start: float
    ends: dict[int, float]


@dataclass(frozen=True)
class Found:
    """The best cut (a, e1, e2, e3) and its score; its posterior among the cuts within the window
    (cuts giving the same texts count as one); the best cut giving other texts, if any."""

    ends: tuple[int, int, int, int]
    score: float
    confidence: float
    runner_up: tuple[int, int, int, int] | None = None
    runner_up_score: float | None = None
    label_end: int = 0
    """The label end with the most posterior mass (summed over every cell cut): the label to
    keep when the cells are left unresolved."""


def search(
    texts: list[str],
    label_ends: list[LabelEnd],
    repeat: float,
    window: float,
    alike: tuple[float, float] = (0.0, 0.0),
) -> Found | None:
    """The best cut of fragments `texts` (ties go to the shorter label, then earlier cell ends).
    `alike` scores each pair of neighbouring cells that open (close) with the same two characters
    (taken as at least 0, so that the search's bound holds)."""
    n = len(texts)
    opens, closes = max(alike[0], 0.0), max(alike[1], 0.0)

    @cache
    def span(i: int, j: int) -> str:
        return "".join(texts[i:j])

    twins = _twins(texts, span)

    def score(le: LabelEnd, e1: int, e2: int, e3: int) -> float:
        d = le.ends
        s = le.start + d[e1] + d[e2] + d[e3]
        if (le.a, e1, e2) in twins:
            s += repeat * (e1 - le.a)
        if (e1, e2, e3) in twins:
            s += repeat * (e2 - e1)
        if (e2, e3, n) in twins:
            s += repeat * (e3 - e2)
        if opens or closes:
            cells = (span(le.a, e1), span(e1, e2), span(e2, e3), span(e3, n))
            for c1, c2 in pairwise(cells):
                s += opens * (c1[:2] == c2[:2]) + closes * (c1[-2:] == c2[-2:])
        return s

    def bonus_cuts(le: LabelEnd) -> set[tuple[int, int, int]]:
        """Every cut of this label end that earns a repeat bonus."""
        ends = le.ends
        found: set[tuple[int, int, int]] = set()
        for i, j, k in twins:
            if j not in ends or (i != le.a and i not in ends) or (k != n and k not in ends):
                continue
            if i == le.a:  # label | cell 1 == cell 2 | ...
                found.update((j, k, e3) for e3 in ends if e3 > k)
            if k == n:  # ... | cell 3 == cell 4
                found.update((e1, i, j) for e1 in ends if e1 < i)
            if i != le.a and k != n:
                found.add((i, j, k))
        return found

    bonus = {le.a: bonus_cuts(le) for le in label_ends}
    best = max(
        (
            v
            for le in label_ends
            if len(le.ends) >= 3
            for v in (
                le.start + sum(sorted(le.ends.values(), reverse=True)[:3]),
                *(score(le, *c) for c in bonus[le.a]),
            )
        ),
        default=None,
    )
    if best is None:
        return None
    # a cut within the window of the best scores at least this much from its gaps and repeats
    # alone; the alike pairs add at most 3 * (opens + closes)
    floor = best - window - 3 * (opens + closes) - 1e-9  # sums may round apart from score()'s
    candidates = [
        ((le.a, *c), s)
        for le in label_ends
        for c in _at_least(le, floor) | bonus[le.a]
        if (s := score(le, *c)) >= floor
    ]
    best = max(s for _, s in candidates)
    near = sorted((c, s) for c, s in candidates if s >= best - window - 1e-9)
    top = next(c for c, s in near if s == best)

    def cells(c: tuple[int, ...]) -> tuple[str, ...]:
        a, e1, e2, e3 = c
        return (span(0, a), span(a, e1), span(e1, e2), span(e2, e3), span(e3, n))

    mass: dict[tuple[str, ...], float] = {}
    by_label: dict[int, float] = {}
    mine = cells(top)
    other: tuple[float, tuple[int, ...]] | None = None
    for c, s in near:
        texts_c = cells(c)
        weight = math.exp(s - best)
        mass[texts_c] = mass.get(texts_c, 0.0) + weight
        by_label[c[0]] = by_label.get(c[0], 0.0) + weight
        if texts_c != mine and (other is None or s > other[0]):
            other = (s, c)
    return Found(
        top,
        best,
        mass[mine] / sum(mass.values()),
        other[1] if other else None,  # type: ignore[arg-type]
        other[0] if other else None,
        max(sorted(by_label), key=lambda a: by_label[a]),
    )


def _at_least(le: LabelEnd, floor: float) -> set[tuple[int, int, int]]:
    """The cuts of this label end whose score without repeat bonuses is at least `floor`
    (branch and bound on the best gaps still available after each cut)."""
    ends = list(le.ends)
    d = [le.ends[e] for e in ends]
    m = len(ends)
    if m < 3:
        return set()
    best1 = list(accumulate(reversed(d), max))[::-1]  # best single gap from index i on
    best2 = [float("-inf")] * m  # best pair of gaps from index i on
    for i in range(m - 2, -1, -1):
        best2[i] = max(best2[i + 1], d[i] + best1[i + 1])
    found: set[tuple[int, int, int]] = set()
    for i0 in range(m - 2):
        s0 = le.start + d[i0]
        if s0 + best2[i0 + 1] < floor:
            continue
        for i1 in range(i0 + 1, m - 1):
            s1 = s0 + d[i1]
            if s1 + best1[i1 + 1] < floor:
                continue
            found.update((ends[i0], ends[i1], ends[i2]) for i2 in range(i1 + 1, m) if s1 + d[i2] >= floor)
    return found


def _twins(texts: list[str], span: Callable[[int, int], str]) -> set[tuple[int, int, int]]:
    """Every (i, j, k) whose spans [i, j) and [j, k) hold the same text: for given i and j only
    the k that makes the lengths equal can, and equal spans open with the same character."""
    offsets = list(accumulate(map(len, texts), initial=0))
    index_at = {o: k for k, o in enumerate(offsets)}
    opening: dict[str, list[int]] = {}
    for i, t in enumerate(texts):
        opening.setdefault(t[0], []).append(i)
    twins: set[tuple[int, int, int]] = set()
    for j, t in enumerate(texts):
        for i in opening[t[0]]:
            if i >= j:
                break
            k = index_at.get(2 * offsets[j] - offsets[i])
            if k is not None and span(i, j) == span(j, k):
                twins.add((i, j, k))
    return twins
