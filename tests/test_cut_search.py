"""The schedule-cut search gives the same cuts and confidences as the release that recorded
tests/data/search_cuts.json: every search the parse of the shipped report runs (its rows, and the
splits tried for tables with no row), compared to the last bit. A faster search must not move them.

Record again (only when a change of the model or its weights is meant to move them):
    python tests/test_cut_search.py --write
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data" / "search_cuts.json"


def searches(report: Path) -> list[dict[str, Any]]:
    """Each search of the parse of `report`: its fragments and what it found."""
    from plan_etl.extract.text import read_text_document
    from plan_etl.parsers.yearly_plan import schedule
    from plan_etl.pipeline import parse_document

    found: list[dict[str, Any]] = []
    search = schedule.search

    def recorded(texts: list[str], *args: Any, **kwargs: Any) -> Any:
        f = search(texts, *args, **kwargs)
        found.append(
            {
                "texts": texts,
                "window": args[2],
                "found": None
                if f is None
                else [
                    list(f.ends),
                    f.score,
                    f.confidence,
                    f.runner_up and list(f.runner_up),
                    f.runner_up_score,
                    f.label_end,
                ],
            }
        )
        return f

    schedule.search = recorded
    try:
        parse_document(read_text_document(report))
    finally:
        schedule.search = search
    return found


def test_the_search_finds_the_recorded_cuts(report_path: Path) -> None:
    recorded = json.loads(DATA.read_text(encoding="utf-8"))
    now = json.loads(json.dumps(searches(report_path)))
    assert len(now) == len(recorded) > 300
    assert sum(r["found"] is not None for r in recorded) > 250
    for got, want in zip(now, recorded, strict=True):
        window = got.pop("window")  # the recording predates it: every search used the settings' 9
        if window == 0:  # a search for the best cut's score alone: no posterior
            assert got["texts"] == want["texts"] and (got["found"] or [])[:2] == (want["found"] or [])[:2]
        else:
            assert got == want, got["texts"]


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        sys.exit(__doc__)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from helpers import REPORT

    DATA.write_text(json.dumps(searches(REPORT), ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    # (a new recording holds each search's window too; the test drops it before comparing)
