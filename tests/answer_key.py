"""Where the answer key is (../shared/eval beside the project) and what a test that needs it does
without it: skip with a one-line reason, or fail when CI says the key must be there."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
GOLD = EVAL / "gold_dev.json"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def require_answer_key() -> Path:
    """../shared/eval; skips the test when it is absent (a failure under CI)."""
    if not GOLD.is_file():
        if in_ci():
            pytest.fail(f"CI is set but the answer key is missing: {GOLD}")
        pytest.skip(f"no answer key at {EVAL} (clone ../shared beside the project)")
    return EVAL
