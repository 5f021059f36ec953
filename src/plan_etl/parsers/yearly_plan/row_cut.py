"""The search for a schedule row's best cut into label + four cells, given the gap scores.

A cut is a label end `a` and three cell ends e1 < e2 < e3 (fragment indices). Its score is the
label end's `start` plus the score of each gap it cuts, plus `repeat` per fragment of a cell
whose text equals the next cell's (year cells often repeat: 実施 実施 実施). Scores are
log-likelihoods, so the cuts within `window` of the best give the best cut's posterior.

Enumerating every cut costs O(L³) per label end for L candidate gaps. Without the repeat bonus
the best cut is simply the three best gaps, and a cell can only equal its neighbour when their
lengths match, which fixes the other end: so the search takes the best value from the top three
gaps and the few cuts with a bonus, then lists only the cuts that score near it, by branch and
bound (the bound of a partial cut: its gaps and alike pairs so far, the best last cell with its
pair to the fourth, each pair not yet fixed at its most). Texts are slices of one joined string,
and the first and last two characters of every span between cut places are taken once.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate


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
    cat = "".join(texts)
    off = list(accumulate(map(len, texts), initial=0))  # a span [i, j) is cat[off[i]:off[j]]
    twins = _twins(texts, cat, off)

    # the first and last two characters of each span between the places a cut may fall
    places = sorted({n, *(le.a for le in label_ends), *(e for le in label_ends for e in le.ends)})
    heads: list[list[str]] = [[]] * (n + 1)
    tails: list[list[str]] = [[]] * (n + 1)
    for i in places:
        oi = off[i]
        heads[i], tails[i] = [""] * (n + 1), [""] * (n + 1)
        for j in places:
            if j > i:
                oj = off[j]
                heads[i][j], tails[i][j] = cat[oi : min(oi + 2, oj)], cat[max(oj - 2, oi) : oj]

    def pair(i: int, j: int, k: int) -> float:
        """What neighbouring cells [i, j) and [j, k) add for opening (closing) alike."""
        return opens * (heads[i][j] == heads[j][k]) + closes * (tails[i][j] == tails[j][k])

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
            s += pair(le.a, e1, e2)
            s += pair(e1, e2, e3)
            s += pair(e2, e3, n)
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
    # `best` is no more than the best cut's score (alike pairs and repeats only add), so every
    # cut within the window of the best scores at least this
    floor = best - window - 1e-9  # sums may round apart from score()'s
    scored: dict[tuple[int, int, int, int], float] = {}
    for le in label_ends:
        _at_least(le, floor, (opens, closes), pair, (heads, tails), bonus[le.a], n, scored)
        scored.update(((le.a, *c), s) for c in bonus[le.a] if (s := score(le, *c)) >= floor)
    best = max(scored.values())
    near = sorted((c, s) for c, s in scored.items() if s >= best - window - 1e-9)
    top = next(c for c, s in near if s == best)

    def cells(c: tuple[int, ...]) -> tuple[int, ...]:
        """The cut's texts, as the character offsets they end at (the same offsets, the same texts)."""
        a, e1, e2, e3 = c
        return off[a], off[e1], off[e2], off[e3]

    mass: dict[tuple[int, ...], float] = {}
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


def _at_least(
    le: LabelEnd,
    floor: float,
    alike: tuple[float, float],
    pair: Callable[[int, int, int], float],
    spans: tuple[list[list[str]], list[list[str]]],
    bonus: set[tuple[int, int, int]],
    n: int,
    found: dict[tuple[int, int, int, int], float],
) -> None:
    """The cuts of this label end without a repeat bonus that score at least `floor`, with their
    scores, into `found` (cuts with a bonus are scored apart). Branch and bound, the last cell's gap and its
    alike pair with the fourth cell known for each (e2, e3), every other alike pair not yet fixed
    bounded by `pair_max`."""
    ends = list(le.ends)
    d = [le.ends[e] for e in ends]
    m = len(ends)
    if m < 3:
        return
    opens, closes = alike
    pair_max = opens + closes
    heads, tails = spans
    floor_b = floor - 1e-9  # bounds are summed in another order than scores
    # tail[i1][k]: the third cell's gap (e3 = ends[i1 + 1 + k]) and its alike pair with the fourth
    last = [[pair(ends[i1], ends[i2], n) for i2 in range(i1 + 1, m)] for i1 in range(m - 1)]
    tail = [[d[i1 + 1 + k] + p3 for k, p3 in enumerate(ps)] for i1, ps in enumerate(last)]
    best_tail = [max(t) for t in tail]
    # best from the second cell's gap on, for a second cell starting at index i or later
    from_2nd = list(accumulate(reversed([d[i] + best_tail[i] for i in range(m - 1)]), max))[::-1]
    a = le.a
    for i0 in range(m - 2):
        s0 = le.start + d[i0]
        if s0 + from_2nd[i0 + 1] + 2 * pair_max < floor_b:
            continue
        e1 = ends[i0]
        for i1 in range(i0 + 1, m - 1):
            e2 = ends[i1]
            s01 = s0 + d[i1]
            p1 = pair(le.a, e1, e2)
            if s01 + p1 + pair_max + best_tail[i1] < floor_b:
                continue
            bound = floor_b - s01 - p1 - pair_max
            h12, t12, h2, t2 = heads[e1][e2], tails[e1][e2], heads[e2], tails[e2]
            for k, t in enumerate(tail[i1]):
                if t >= bound:
                    i2 = i1 + 1 + k
                    e3 = ends[i2]
                    if (e1, e2, e3) in bonus:
                        continue
                    # score() of a cut without a repeat bonus, added in its order (p2 is pair())
                    p2 = opens * (h12 == h2[e3]) + closes * (t12 == t2[e3])
                    s = s01 + d[i2] + p1 + p2 + last[i1][k]
                    if s >= floor:
                        found[a, e1, e2, e3] = s


def _twins(texts: list[str], cat: str, off: list[int]) -> set[tuple[int, int, int]]:
    """Every (i, j, k) whose spans [i, j) and [j, k) hold the same text: for given i and j only
    the k that makes the lengths equal can, and equal spans open with the same character."""
    index_at = {o: k for k, o in enumerate(off)}
    opening: dict[str, list[int]] = {}
    for i, t in enumerate(texts):
        opening.setdefault(t[0], []).append(i)
    twins: set[tuple[int, int, int]] = set()
    for j, t in enumerate(texts):
        for i in opening[t[0]]:
            if i >= j:
                break
            k = index_at.get(2 * off[j] - off[i])
            if k is not None and cat[off[i] : off[j]] == cat[off[j] : off[k]]:
                twins.add((i, j, k))
    return twins
