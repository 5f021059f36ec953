"""The fitting procedure of the schedule-cut weights (tools/fit_cut_weights.py): gold rows align
with real fragments, the CRF's gradient is right, and a fresh fit reproduces the committed weights
and figures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from helpers import ROOT, load_tool
from plan_etl.parsers.yearly_plan.cut_model import WEIGHTS_FILE, CutSettings

TOOL = ROOT / "tools" / "fit_cut_weights.py"


@pytest.fixture(scope="module")
def fit() -> ModuleType:
    return load_tool("fit_cut_weights")


@pytest.fixture(scope="module")
def data(fit: ModuleType, eval_dir: Path):
    return fit.load(fit.REPORT, eval_dir / "gold_dev.json", eval_dir / "folds.json")


def test_gold_row_aligns_with_its_fragments(fit: ModuleType, data) -> None:
    # 1-1 ①: label over two lines, R6 over three, three cells on one line (lines 577-587)
    [row] = [r for r in data.rows["1-1"] if r.pieces[0].line == 577]
    gold = data.gold["1-1"][0]
    assert fit.align(row.pieces, gold) == (2, 5, 6, 7)
    assert fit.align(row.pieces, {**gold, "label": "①区民に伝わる"}) is None


def test_training_rows_leave_out_what_no_cut_reproduces(fit: ModuleType, data) -> None:
    keys = [k for f in data.folds for k in f]
    rows = fit.training_rows(data, keys, CutSettings())
    with_cells = sum(g["cells"] is not None for k in keys for g in data.gold[k])
    assert 130 <= len(rows) < with_cells  # nested rows and rows printed apart give no example


def test_crf_gradient_matches_finite_differences(fit: ModuleType, data) -> None:
    rows = fit.training_rows(data, ["1-1", "1-5", "1-18"], CutSettings())
    cuts = [fit.enumerate_cuts(r) for r in rows]
    n = len(fit.LABEL_FEATURES) + len(fit.GAP_FEATURES) + 3  # + repeat, open_alike, close_alike
    w = np.random.default_rng(7).normal(0, 0.5, n)
    l2 = np.full(n, 0.3)
    value, grad = fit.crf_objective(w, cuts, l2)
    for i in (1, 5, n - 5, n - 1):
        step = np.zeros(n)
        step[i] = 1e-6
        numeric = (fit.crf_objective(w + step, cuts, l2)[0] - fit.crf_objective(w - step, cuts, l2)[0]) / 2e-6
        assert numeric == pytest.approx(grad[i], rel=1e-4, abs=1e-6)
    assert value > 0


def test_fresh_fit_reproduces_the_committed_weights(eval_dir: Path) -> None:
    out = subprocess.run(
        [sys.executable, str(TOOL), "--check", "--gold", str(eval_dir / "gold_dev.json"),
         "--folds", str(eval_dir / "folds.json")],
        capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    committed = json.loads(
        (ROOT / "src/plan_etl/parsers/yearly_plan" / WEIGHTS_FILE).read_text(encoding="utf-8")
    )
    cv = committed["fit"]["cross_validated"]
    assert f"sched.rows_exact: {cv['rows_exact']}/{cv['rows']}" in out.stdout
