"""Records -> a PDF in a random layout -> `parse_report` -> the same records, for layouts drawn at
random from the generator's space (header bar or cells, row labels in one column or two, ruled,
rows only or unruled, labels split or vertical, Gothic or Mincho, uneven columns, one or two tables
a page or stacked, tables continued over pages, year headers R6 / Ｒ６ / 令和6年度). The reader knows
none of these layouts; it reads label words and geometry. Both PDF engines give the same records.
"""

from __future__ import annotations

import random
import unicodedata
from pathlib import Path

import pytest

from conftest import load_tool

pytest.importorskip("reportlab")
hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from plan_etl.api import parse_report  # noqa: E402
from plan_etl.schemas import Report  # noqa: E402

tool = load_tool("make_report_pdf")
PAGES = (10, 12, 31, 34, 49, 57)
"""Printed pages rendered: two tables on most; seven departments (31), long titles (34), long
schedule labels (49), a table longer than a page at a continued layout's size (57)."""


def norm(text: str | None) -> str | None:
    if text is None:
        return None
    return "".join(unicodedata.normalize("NFKC", tool.read_back(text)).split())


def view(report: Report) -> dict[str, dict]:
    """Every initiative's fields, normalised as the font reads them back."""
    out = {}
    for r in report.initiatives:
        out[r.item_id + (f"#{r.part}" if r.part else "")] = {
            "title": norm(r.title),
            "departments": [norm(d) for d in r.departments],
            "content": norm(r.content),
            "effects": norm(r.effects),
            "results_label": norm(r.results_label),
            "results": norm(r.results),
            "schedule": [
                (norm(s.label), [norm(s.cells[y]) for y in ("R6", "R7", "R8", "R9")]) for s in r.schedule
            ],
        }
    return out


@pytest.fixture(scope="module")
def small(report_path: Path) -> Report:
    report = parse_report(report_path)
    inis = [i for i in report.initiatives if i.page in PAGES]
    return report.model_copy(update={"initiatives": inis, "toc": [e for e in report.toc if e.page in PAGES]})


@pytest.fixture(scope="module")
def want(small: Report) -> dict[str, dict]:
    return view(small)


@settings(
    max_examples=50,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rng=st.randoms(use_true_random=False))
def test_records_come_back_from_random_layouts(
    rng: random.Random, small: Report, want: dict[str, dict], tmp_path: Path
) -> None:
    layout = tool.Layout.draw(rng)
    pdf = tmp_path / "variant.pdf"
    tool.render_report_pdf(small, pdf, layout)
    got = view(parse_report(pdf, workers=1))
    wrong = sorted((k, f) for k in want for f in want[k] if got.get(k, {}).get(f) != want[k][f])
    assert (wrong, sorted(got.keys() - want.keys())) == ([], []), layout


@pytest.mark.parametrize("seed", [3, 7, 21, 55])
def test_both_engines_give_the_same_records(seed: int, small: Report, tmp_path: Path) -> None:
    """Seeds drawing a continued unruled table, vertical labels, a wrapped year header and a
    stacked page; pdfium's text goes through the font's read-back as pdfminer's does."""
    layout = tool.Layout.draw(random.Random(seed))
    pdf = tmp_path / "variant.pdf"
    tool.render_report_pdf(small, pdf, layout)
    fast = view(parse_report(pdf, workers=1, engine="pdfium"))
    plumber = view(parse_report(pdf, workers=1, engine="pdfplumber"))
    assert fast == plumber
    assert fast == view(small)
