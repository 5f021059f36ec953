"""Fit the schedule-cut weights on gold_dev with page-grouped cross-validation.

usage: python tools/fit_cut_weights.py [--write | --check | --committed]
           [--report PATH] [--gold PATH] [--folds PATH]

The procedure (repeatable: deterministic, no random draws):
1. The shipped report is read up to each table's schedule rows as the cut model receives them
   (`row_inputs`, grouped with zero weights so the grouping never depends on a fit).
2. Each gold row with cells is aligned with its fragments: the label and four cells that join,
   exactly, into the gold texts give the gold cut (label end, three cell ends). Rows that no cut
   of their fragments reproduces (text printed in another row or table), and rows of nested
   tables (cut at each ①, not by the model), give no example.
3. The cut model is a conditional random field over cuts: P(cut) is proportional to
   exp(label end's score + its three cell starts' scores + repeat x repeating fragments), each
   score linear in the features of `plan_etl.parsers.yearly_plan.cut_model`. Its weights maximise the
   ridge-penalised log-likelihood of the gold cuts (L-BFGS over every cut of every row), starting
   from per-gap logistic regressions, which also set the two bias terms the CRF cannot identify.
4. For each ridge penalty in L2_GRID an inner cross-validation over the training folds gives
   out-of-fold rows with their confidence; `min_confidence` is the lowest confidence at which the
   rows stated are expected to be TARGET_PRECISION exact (Platt scaling of those rows), and the
   penalty that then states the most rows exactly wins.
5. Five-fold cross-validation (`../shared/eval/folds.json`, split by page) runs steps 3-4 on four
   folds and scores the fifth; the held-out verdicts of all five are summed.

`--write` writes the weights fitted on all five folds, with the figures, to the committed
`src/plan_etl/parsers/yearly_plan/cut_weights.json`; `--check` exits 1 when that file differs from a
fresh fit;
`--committed` prints the figures stored in it (what `make eval` shows). With no flag it fits and
prints the cross-validated and in-sample row verdicts.
"""

from __future__ import annotations

import argparse
import functools
import itertools
import json
import math
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from plan_etl.extract import read_document
from plan_etl.parsers.initiative.initiatives import schedule_inputs, segment_initiatives
from plan_etl.parsers.yearly_plan.cut_model import (
    GAP_FEATURES,
    LABEL_FEATURES,
    WEIGHTS_FILE,
    CutSettings,
    gap_features,
    label_features,
)
from plan_etl.parsers.yearly_plan.schedule import cell_starts, is_nested, may_end_label, row_context
from plan_etl.parsers.yearly_plan.schedule_tables import RowInput, TableInput, parse_schedules, row_inputs
from plan_etl.schemas import YEARS, ScheduleRow
from plan_etl.schemas.records import record_id

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "data/raw/setagaya_plan_r6_progress.txt"
GOLD = ROOT.parent / "shared/eval/gold_dev.json"
FOLDS = ROOT.parent / "shared/eval/folds.json"
WEIGHTS = ROOT / "src/plan_etl/parsers/yearly_plan" / WEIGHTS_FILE

L2 = 1.0
"""Ridge penalty of the per-gap regressions that start the CRF (the bias is not penalised)."""
L2_GRID = (0.1, 0.3, 1.0)
"""Ridge penalties tried for the CRF; inner cross-validation picks one."""
TARGET_PRECISION = 0.98
"""Stated rows must be at least this often exactly right (on out-of-fold rows)."""
NEWTON_STEPS = 50
DIGITS = 4
"""Weights are rounded to this many decimals when written, so a refit reproduces them exactly."""


def norm(s: str | None) -> str | None:
    return None if s is None else "".join(unicodedata.normalize("NFKC", s).split())


def key_of(item_id: str, part: int | None) -> str:
    return record_id(item_id, part or None)


# ---------------------------------------------------------------- data


@dataclass
class Data:
    """The report cut into tables, their rows' fragments, and the answer key by record key."""

    lines: Sequence
    tables: list[TableInput]
    rows: dict[str, list[RowInput]]
    gold: dict[str, list[dict]]
    folds: list[list[str]]


def load(report: Path, gold_path: Path, folds_path: Path) -> Data:
    doc = read_document(report, 1)
    seg = segment_initiatives(doc.nonblank())
    tables = schedule_inputs(seg)
    rows: dict[str, list[RowInput]] = {}
    zero = CutSettings()
    for table in row_inputs(seg.lines, tables, zero):
        for r in table:
            rows.setdefault(key_of(r.item_id, r.part), []).append(r)
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    folds = json.loads(folds_path.read_text(encoding="utf-8"))["folds"]
    return Data(seg.lines, tables, rows, {g["key"]: g["schedule"] for g in gold["initiatives"]}, folds)


def align(pieces: Sequence, gold_row: dict) -> tuple[int, int, int, int] | None:
    """The label end and cell ends (fragment indices) that join into the gold row exactly."""
    targets = [gold_row["label"], *(gold_row["cells"][y] for y in YEARS)]
    cum = [""]
    for p in pieces:
        cum.append(cum[-1] + norm(p.text))
    ends: list[int] = []
    want = ""
    for t in targets:
        want += norm(t)
        if want not in cum[1:]:
            return None
        ends.append(cum.index(want, 1))
    if ends[-1] != len(pieces):
        return None
    a, e1, e2, e3, _ = ends
    return (a, e1, e2, e3) if 0 < a < e1 < e2 < e3 < len(pieces) else None


Vector = tuple[float, ...]
Example = tuple[Vector, int]


@dataclass(frozen=True)
class TrainRow:
    """One gold row's fragments as the cut model sees them: the features of every label end the
    search tries, of every gap, and the gold cut."""

    ends: tuple[tuple[int, Vector], ...]
    gaps: tuple[Vector, ...]
    gold: tuple[int, int, int, int]
    texts: tuple[str, ...]
    opens: frozenset[int] = frozenset()
    """The fragments a cell may open with (may_open): the cuts the search tries."""


def training_rows(data: Data, keys: Iterable[str], s: CutSettings) -> list[TrainRow]:
    """Step 2: every gold row with cells that some cut of its fragments reproduces exactly."""
    out: list[TrainRow] = []
    for key in keys:
        for g in data.gold.get(key, []):
            if g["cells"] is None:
                continue
            for r in data.rows.get(key, []):
                cut = align(r.pieces, g)
                if cut is None or cut[0] > s.max_label_pieces or is_nested(r.pieces, s):
                    continue
                p = r.pieces
                row = row_context(p, r.table, s)
                opens = cell_starts(p, s)
                ends = tuple(
                    (a, _vector(label_features(p[:a], p[a], row, s), LABEL_FEATURES))
                    for a in range(1, min(s.max_label_pieces, len(p) - 4) + 1)
                    if may_end_label(p[:a], s) and a in opens
                )
                if cut[0] not in dict(ends):
                    continue  # a gold label the search never tries (one that ends mid-phrase)
                gaps = tuple(
                    _vector(gap_features(p[k], p[k + 1], row, s), GAP_FEATURES) for k in range(len(p) - 1)
                )
                if not set(cut) <= opens:
                    continue  # a gold cell the search never tries
                out.append(TrainRow(ends, gaps, cut, tuple(q.text for q in p), opens))
                break
    return out


def _vector(f: dict[str, float], names: Sequence[str]) -> Vector:
    return tuple(f[n] for n in names)


def local_examples(rows: list[TrainRow]) -> tuple[list[Example], list[Example]]:
    """Per-gap examples: each label end tried (1 at the gold one) and each gap after the gold
    label (1 where a gold cell starts)."""
    label_ex: list[Example] = []
    gap_ex: list[Example] = []
    for r in rows:
        a, *cells = r.gold
        label_ex += [(f, int(k == a)) for k, f in r.ends]
        gap_ex += [(r.gaps[k], int(k + 1 in cells)) for k in range(a, len(r.gaps))]
    return label_ex, gap_ex


# ---------------------------------------------------------------- per-gap logistic regression


def fit_logistic(ex: list[Example], names: Sequence[str], l2: float = L2) -> list[float]:
    """Ridge logistic regression by Newton's method on the distinct (features, label) pairs: the
    CRF's starting point, and what sets its bias terms (which the CRF cannot identify)."""
    counts: dict[Example, int] = {}
    for e in ex:
        counts[e] = counts.get(e, 0) + 1
    d = len(names)
    w = [0.0] * d
    penal = [0.0 if n == "bias" else l2 for n in names]
    for _ in range(NEWTON_STEPS):
        grad = [-penal[i] * w[i] for i in range(d)]
        hess = [[0.0] * d for _ in range(d)]
        for i in range(d):
            hess[i][i] = penal[i] + 1e-9
        for (x, y), c in counts.items():
            z = sum(wi * xi for wi, xi in zip(w, x, strict=True) if xi)
            p = 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))
            nz = [i for i in range(d) if x[i]]
            for i in nz:
                grad[i] += c * (y - p) * x[i]
                for j in nz:
                    hess[i][j] += c * p * (1 - p) * x[i] * x[j]
        step = _solve(hess, grad)
        w = [wi + si for wi, si in zip(w, step, strict=True)]
        if max(abs(si) for si in step) < 1e-10:
            break
    return w


def _solve(a: list[list[float]], b: list[float]) -> list[float]:
    """Solve a x = b (a symmetric positive definite) by Gaussian elimination with pivoting."""
    n = len(b)
    m = [[*row, rhs] for row, rhs in zip(a, b, strict=True)]
    for col in range(n):
        piv = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[piv] = m[piv], m[col]
        for r in range(col + 1, n):
            f = m[r][col] / m[col][col]
            for c in range(col, n + 1):
                m[r][c] -= f * m[col][c]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (m[r][n] - sum(m[r][c] * x[c] for c in range(r + 1, n))) / m[r][r]
    return x


# ---------------------------------------------------------------- the cut model (a CRF over cuts)


@dataclass(frozen=True)
class RowCuts:
    """Every cut of one training row, as arrays: which label end, which three gaps a cell starts
    after, and how many fragments repeat the next cell (the search's repeat bonus)."""

    ends: np.ndarray  # (label ends tried, label features)
    gaps: np.ndarray  # (gaps, gap features)
    end_of: np.ndarray  # per cut: index into ends
    g1: np.ndarray
    g2: np.ndarray
    g3: np.ndarray
    repeats: np.ndarray
    alike: np.ndarray  # per cut: neighbouring cell pairs that open alike, that close alike
    gold: int  # index of the gold cut


def enumerate_cuts(r: TrainRow) -> RowCuts:
    texts = r.texts
    n = len(texts)
    span = functools.cache(lambda i, j: "".join(texts[i:j]))
    end_of, g1, g2, g3, reps, alike = [], [], [], [], [], []
    gold = -1
    for idx, (a, _) in enumerate(r.ends):
        for e1, e2, e3 in itertools.combinations([k for k in range(a + 1, n) if k in r.opens], 3):
            if (a, e1, e2, e3) == r.gold:
                gold = len(end_of)
            end_of.append(idx)
            g1.append(e1 - 1)
            g2.append(e2 - 1)
            g3.append(e3 - 1)
            rep = 0
            for (i, j), k in (((a, e1), e2), ((e1, e2), e3), ((e2, e3), n)):
                if span(i, j) == span(j, k):
                    rep += j - i
            reps.append(rep)
            cells = [span(a, e1), span(e1, e2), span(e2, e3), span(e3, n)]
            pairs = list(itertools.pairwise(cells))
            alike.append((sum(x[:2] == y[:2] for x, y in pairs), sum(x[-2:] == y[-2:] for x, y in pairs)))
    return RowCuts(
        np.array([f for _, f in r.ends], dtype=float),
        np.array(r.gaps, dtype=float),
        np.array(end_of),
        np.array(g1),
        np.array(g2),
        np.array(g3),
        np.array(reps, dtype=float),
        np.array(alike, dtype=float).reshape(-1, 2),
        gold,
    )


def crf_objective(w: np.ndarray, rows: list[RowCuts], l2: np.ndarray) -> tuple[float, np.ndarray]:
    """The negative conditional log-likelihood of the gold cuts plus the ridge penalty, and its
    gradient. P(cut) is proportional to exp(its score), the score the search ranks cuts by: the
    label end's, the three cell starts', `repeat` per repeating fragment and the alike pairs.
    w = (label weights, gap weights, repeat, open_alike, close_alike)."""
    nl, ng = len(LABEL_FEATURES), len(GAP_FEATURES)
    wl, wg, rep, wa = w[:nl], w[nl : nl + ng], w[nl + ng], w[nl + ng + 1 :]
    value = 0.5 * float(np.sum(l2 * w * w))
    grad = l2 * w
    for r in rows:
        u = r.ends @ wl
        v = r.gaps @ wg
        sc = u[r.end_of] + v[r.g1] + v[r.g2] + v[r.g3] + rep * r.repeats + r.alike @ wa
        top = sc.max()
        p = np.exp(sc - top)
        z = p.sum()
        p /= z
        value -= sc[r.gold] - top - math.log(z)
        pe = np.bincount(r.end_of, p, minlength=len(r.ends))
        pg = sum(np.bincount(g, p, minlength=len(r.gaps)) for g in (r.g1, r.g2, r.g3))
        pe[r.end_of[r.gold]] -= 1
        for g in (r.g1, r.g2, r.g3):
            pg[g[r.gold]] -= 1
        grad[:nl] += pe @ r.ends
        grad[nl : nl + ng] += pg @ r.gaps
        grad[nl + ng] += p @ r.repeats - r.repeats[r.gold]
        grad[nl + ng + 1 :] += p @ r.alike - r.alike[r.gold]
    return value, grad


def lbfgs(f, w0: np.ndarray, steps: int = 500, memory: int = 10, tol: float = 1e-10) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Minimise a smooth convex f (returning value and gradient) by L-BFGS with backtracking."""
    w = np.array(w0, dtype=float)
    fx, g = f(w)
    hist: list[tuple[np.ndarray, np.ndarray, float]] = []
    for _ in range(steps):
        q = g.copy()
        alphas = []
        for sv, yv, rho in reversed(hist):
            al = rho * float(sv @ q)
            q -= al * yv
            alphas.append(al)
        if hist:
            sv, yv, _ = hist[-1]
            q *= float(sv @ yv) / float(yv @ yv)
        for (sv, yv, rho), al in zip(hist, reversed(alphas), strict=True):
            q += (al - rho * float(yv @ q)) * sv
        d = -q
        slope = float(g @ d)
        if slope >= 0:
            d, slope, hist = -g, -float(g @ g), []
        t = 1.0
        while True:
            wn = w + t * d
            fn, gn = f(wn)
            if fn <= fx + 1e-4 * t * slope or t < 1e-12:
                break
            t *= 0.5
        sv, yv = wn - w, gn - g
        sy = float(sv @ yv)
        if sy > 1e-12:
            hist = [*hist[-(memory - 1) :], (sv, yv, 1.0 / sy)]
        done = abs(fx - fn) <= tol * max(1.0, abs(fx))
        w, fx, g = wn, fn, gn
        if done:
            break
    return w


# ---------------------------------------------------------------- scoring


Verdict = tuple[str, float | None, int, int]
"""(exact | stated_but_wrong | unresolved, the parsed row's confidence, cells right, cells scored)."""


def parse_rows(data: Data, s: CutSettings) -> dict[str, list[ScheduleRow]]:
    """Every table's schedule rows under settings `s`, by record key."""
    out: dict[str, list[ScheduleRow]] = {}
    for t, sched in zip(data.tables, parse_schedules(data.lines, data.tables, s), strict=True):
        out.setdefault(key_of(t.item_id, t.part), sched.rows)
    return out


def verdicts(rows: dict[str, list[ScheduleRow]], data: Data, keys: Iterable[str]) -> list[Verdict]:
    """One verdict per gold row, matched as `../shared/eval/score.py` matches them."""
    out: list[Verdict] = []
    for key in keys:
        prow = rows.get(key, [])
        labels = [norm(r.label) for r in prow]
        for i, g in enumerate(data.gold.get(key, [])):
            gl = norm(g["label"])
            match = prow[labels.index(gl)] if gl in labels else (prow[i] if i < len(prow) else None)
            cells = match.cells if match else {}
            right = scored = 0
            if g["cells"] is not None:
                scored = 4
                right = sum(norm(cells.get(y)) == norm(g["cells"][y]) for y in YEARS)
            if match is None:
                out.append(("unresolved", None, right, scored))
            elif norm(match.label) == gl and (g["cells"] is None or right == 4):
                out.append(("exact", match.confidence, right, scored))
            elif match.resolved and (g["cells"] is None or all(cells.get(y) for y in YEARS)):
                out.append(("stated_but_wrong", match.confidence, right, scored))
            else:
                out.append(("unresolved", match.confidence, right, scored))
    return out


def at_threshold(vs: list[Verdict], tau: float) -> list[Verdict]:
    """The verdicts had rows below confidence `tau` been left unresolved (cells null)."""
    out: list[Verdict] = []
    for v, conf, right, scored in vs:
        if conf is not None and conf < tau and v != "unresolved":
            out.append(("unresolved" if scored else v, conf, 0, scored))
        else:
            out.append((v, conf, right, scored))
    return out


def choose_threshold(vs: list[Verdict]) -> float:
    """The lowest confidence at which the stated rows' expected precision, under a logistic fit of
    "exact" on the confidence's log-odds (Platt scaling of the out-of-fold rows), reaches
    TARGET_PRECISION: smoother than counting, where one row moves the threshold far."""
    rows = [(c, v == "exact") for v, c, _, scored in vs if c is not None and scored and v != "unresolved"]
    if not rows:
        return 0.0

    def logit(c: float) -> float:
        c = min(max(c, 1e-4), 1 - 1e-4)
        return math.log(c / (1 - c))

    a, b = fit_logistic([((1.0, logit(c)), int(ok)) for c, ok in rows], ("bias", "slope"), 1e-3)
    p = {c: 1 / (1 + math.exp(-(a + b * logit(c)))) for c, _ in rows}
    for tau in sorted({0.0} | set(p)):
        above = [p[c] for c, _ in rows if c >= tau]
        if not above or sum(above) >= TARGET_PRECISION * len(above):
            return round(tau, 3)
    return 1.0


def summary(vs: list[Verdict]) -> dict[str, object]:
    n = len(vs)
    right = sum(r for _, _, r, _ in vs)
    cells = sum(s for _, _, _, s in vs)
    out: dict[str, object] = {"rows": n, "cells": cells, "cells_right": right}
    for name in ("exact", "stated_but_wrong", "unresolved"):
        out[f"rows_{name}"] = sum(v == name for v, _, _, _ in vs)
    return out


def lines_of(title: str, sm: dict[str, object]) -> list[str]:
    n = int(sm["rows"])  # type: ignore[arg-type]
    c = int(sm["cells"])  # type: ignore[arg-type]
    out = [f"{title}:"]
    for name in ("exact", "stated_but_wrong", "unresolved"):
        k = int(sm[f"rows_{name}"])  # type: ignore[arg-type]
        out.append(f"  sched.rows_{name}: {k}/{n} = {k / n:.3f}")
    r = int(sm["cells_right"])  # type: ignore[arg-type]
    out.append(f"  sched.cell: {r}/{c} = {r / c:.3f}")
    return out


# ---------------------------------------------------------------- the procedure


def fit_weights(data: Data, keys: list[str], base: CutSettings, l2: float) -> CutSettings:
    """Step 3 on `keys`: the cut model's weights under ridge penalty `l2` (min_confidence 0)."""
    rows = training_rows(data, keys, base)
    label_ex, gap_ex = local_examples(rows)
    w0 = np.array(
        [*fit_logistic(label_ex, LABEL_FEATURES), *fit_logistic(gap_ex, GAP_FEATURES), 0.0, 0.0, 0.0]
    )
    names = (*LABEL_FEATURES, *GAP_FEATURES, "repeat", "open_alike", "close_alike")
    penalty = np.array([0.0 if n == "bias" else l2 for n in names])
    cuts = [enumerate_cuts(r) for r in rows]
    w = lbfgs(lambda w: crf_objective(w, cuts, penalty), w0)
    nl, ng = len(LABEL_FEATURES), len(GAP_FEATURES)
    return replace(
        base,
        label_weights={n: round(float(v), DIGITS) for n, v in zip(LABEL_FEATURES, w[:nl], strict=True)},
        gap_weights={n: round(float(v), DIGITS) for n, v in zip(GAP_FEATURES, w[nl : nl + ng], strict=True)},
        repeat=round(float(w[nl + ng]), DIGITS),
        open_alike=round(float(w[nl + ng + 1]), DIGITS),
        close_alike=round(float(w[nl + ng + 2]), DIGITS),
        min_confidence=0.0,
    )


def fit(data: Data, folds: list[list[str]], base: CutSettings) -> tuple[CutSettings, float]:
    """Steps 3-4 on the union of `folds`: for each penalty in L2_GRID, an inner cross-validation
    over `folds` gives out-of-fold rows, their threshold and how many rows it states exactly; the
    best penalty's weights are fitted on all of `folds` with that threshold. Returns the settings
    and the penalty."""
    keys = [k for f in folds for k in f]
    best: tuple[int, float, float] | None = None
    for l2 in L2_GRID:
        inner: list[Verdict] = []
        for i, held in enumerate(folds):
            train = [k for j, f in enumerate(folds) if j != i for k in f]
            inner += verdicts(parse_rows(data, fit_weights(data, train, base, l2)), data, held)
        tau = choose_threshold(inner)
        exact = int(summary(at_threshold(inner, tau))["rows_exact"])  # type: ignore[call-overload]
        if best is None or exact > best[0]:
            best = (exact, l2, tau)
    assert best is not None
    _, l2, tau = best
    return replace(fit_weights(data, keys, base, l2), min_confidence=tau), l2


def cross_validate(data: Data, base: CutSettings) -> tuple[list[Verdict], list[dict[str, object]]]:
    """Step 5: each fold scored by the procedure fitted on the other four."""
    held_out: list[Verdict] = []
    per_fold: list[dict[str, object]] = []
    for i, held in enumerate(data.folds):
        s, l2 = fit(data, [f for j, f in enumerate(data.folds) if j != i], base)
        vs = verdicts(parse_rows(data, s), data, held)
        held_out += vs
        per_fold.append({"fold": i, "l2": l2, "min_confidence": s.min_confidence, **summary(vs)})
    return held_out, per_fold


def weights_document(data: Data, base: CutSettings) -> dict[str, object]:
    s, l2 = fit(data, data.folds, base)
    keys = [k for f in data.folds for k in f]
    cv, per_fold = cross_validate(data, base)
    return {
        "about": "Schedule-cut weights fitted by tools/fit_cut_weights.py (make fit); do not edit by hand.",
        "gap_weights": dict(s.gap_weights),
        "label_weights": dict(s.label_weights),
        "repeat": s.repeat,
        "open_alike": s.open_alike,
        "close_alike": s.close_alike,
        "min_confidence": s.min_confidence,
        "fit": {
            "l2": l2,
            "target_precision": TARGET_PRECISION,
            "in_sample": summary(verdicts(parse_rows(data, s), data, keys)),
            "cross_validated": summary(cv),
            "folds": per_fold,
        },
    }


def print_figures(doc: dict) -> None:
    """The row verdicts of a weights document: cross-validated first, then in-sample."""
    fit_info = doc["fit"]
    title = "schedule rows, cross-validated (5 page-grouped folds, each scored by a fit on the other four)"
    print("\n".join(lines_of(title, fit_info["cross_validated"])))
    print(
        "\n".join(
            lines_of("schedule rows, in-sample (fitted and scored on all 61 tables)", fit_info["in_sample"])
        )
    )
    print(f"fitted: repeat={doc['repeat']} min_confidence={doc['min_confidence']} l2={fit_info['l2']}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--write", action="store_true", help="write the fitted weights to " + WEIGHTS_FILE)
    ap.add_argument("--check", action="store_true", help="exit 1 when the committed weights differ")
    ap.add_argument(
        "--committed",
        action="store_true",
        help="print the figures stored with the committed weights (no fit)",
    )
    ap.add_argument("--report", type=Path, default=REPORT)
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("--folds", type=Path, default=FOLDS)
    args = ap.parse_args(argv)
    if args.committed:
        stored = json.loads(WEIGHTS.read_text(encoding="utf-8"))
        print_figures(stored)
        return 0
    for p in (args.gold, args.folds):
        if not p.is_file():
            print(f"fit_cut_weights: no answer key at {p}", file=sys.stderr)
            return 2
    data = load(args.report, args.gold, args.folds)
    doc = weights_document(data, CutSettings())
    print_figures(doc)
    text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    if args.check:
        committed = WEIGHTS.read_text(encoding="utf-8") if WEIGHTS.is_file() else ""
        if committed != text:
            print(f"fit_cut_weights: {WEIGHTS} differs from a fresh fit (run make fit)", file=sys.stderr)
            return 1
    if args.write:
        WEIGHTS.write_text(text, encoding="utf-8")
        print(f"wrote {WEIGHTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
