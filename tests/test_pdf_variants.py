"""Records -> a PDF in a random layout -> `parse_report` -> the same records, for layouts drawn at
random from the generator's space (header bar or cells, row labels in one column or two, ruled,
rows only or unruled, labels split or vertical, Gothic or Mincho, uneven columns, one or two tables
a page or stacked, tables continued over pages, year headers R6 / Ｒ６ / 令和6年度, goal pages in one
column or with the examples in a column of their own; and 項目 / 所管部 one character a line, the id
and title in one cell, shaded cells without borders, year headers centred over flush-left cells,
department names wrapped in a narrow cell, portrait pages). The reader knows none of these layouts;
it reads label words and geometry. Both PDF engines give the same records.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from helpers import load_tool, norm_printed

pytest.importorskip("reportlab")
hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from plan_etl.api import parse_report  # noqa: E402
from plan_etl.schemas import Box, Report  # noqa: E402

tool = load_tool("make_report_pdf")
PAGES = (10, 12, 31, 34, 49, 57)
"""Printed pages rendered: two tables on most; seven departments (31), long titles (34), long
schedule labels (49), a table longer than a page at a continued layout's size (57)."""


def view(report: Report) -> dict[str, dict]:
    """Every initiative's fields and every goal's, normalised as the font reads them back."""
    out: dict[str, dict] = {
        f"goal {g.goal}": {
            "name": norm_printed(g.name),
            "effect_category": norm_printed(g.effect_category),
            "effect_examples": [norm_printed(x) for x in g.effect_examples],
            "amounts": [(a.label, a.million_yen) for a in g.amounts],
            "hours_reduced": [(h.label, h.hours) for h in g.hours_reduced],
            "hours_target": g.hours_target,
        }
        for g in report.goals
    }
    for r in report.initiatives:
        out[r.record_id] = {
            "title": norm_printed(r.title),
            "departments": [norm_printed(d) for d in r.departments],
            "content": norm_printed(r.content),
            "effects": norm_printed(r.effects),
            "results_label": norm_printed(r.results_label),
            "results": norm_printed(r.results),
            "schedule": [
                (norm_printed(s.label), [norm_printed(s.cells[y]) for y in ("R6", "R7", "R8", "R9")])
                for s in r.schedule
            ],
        }
    return out


@pytest.fixture(scope="module")
def small(parsed_report: Report) -> Report:
    report = parsed_report.model_copy(deep=True)
    inis = [i for i in report.initiatives if i.page in PAGES]
    return report.model_copy(update={"initiatives": inis, "toc": [e for e in report.toc if e.page in PAGES]})


@pytest.fixture(scope="module")
def want(small: Report) -> dict[str, dict]:
    return view(small)


@settings(
    max_examples=200,
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


@pytest.mark.parametrize("seed", [3, 7, 21, 55, 52, 64])
def test_both_engines_give_the_same_records(seed: int, small: Report, tmp_path: Path) -> None:
    """Seeds drawing a continued unruled table, vertical labels, a wrapped year header, a stacked
    page, a portrait page with 項目 and 所管部 vertical and departments wrapped, and the id and title
    in one cell over shaded borderless cells under centred years; pdfium's text goes through the
    font's read-back as pdfminer's does."""
    layout = tool.Layout.draw(random.Random(seed))
    pdf = tmp_path / "variant.pdf"
    tool.render_report_pdf(small, pdf, layout)
    fast = view(parse_report(pdf, workers=1, engine="pdfium"))
    plumber = view(parse_report(pdf, workers=1, engine="pdfplumber"))
    assert fast == plumber
    assert fast == view(small)


def test_explain_draws_the_regions_read(small: Report, tmp_path: Path) -> None:
    """`plan-etl explain ITEM --pdf FILE -o PNG`: the item's page with a region per field and per
    schedule cell; an item the PDF lacks, or a file that is no PDF, is a one-line error."""
    from PIL import Image
    from typer.testing import CliRunner

    from plan_etl.cli import app
    from plan_etl.extract.pdf_debug import find_table, regions

    pdf = tmp_path / "variant.pdf"
    tool.render_report_pdf(small, pdf, tool.Layout.draw(random.Random(21)))
    png = tmp_path / "pics" / "1-4.png"
    result = CliRunner().invoke(app, ["explain", "1-4", "--pdf", str(pdf), "-o", str(png)])
    assert result.exit_code == 0, result.output
    with Image.open(png) as im:
        assert im.format == "PNG" and im.width > 1000
    kinds = [k for k, _, _ in regions(find_table(pdf, "1-4"))]
    [ini] = [i for i in small.initiatives if i.item_id == "1-4"]
    assert kinds.count("cell") == 4 * len(ini.schedule) and kinds.count("label") == len(ini.schedule)
    missing = CliRunner().invoke(app, ["explain", "9-99", "--pdf", str(pdf), "-o", str(png)])
    assert missing.exit_code == 2 and "no initiative table 9-99" in missing.output
    text = tmp_path / "a.txt"
    text.write_text("項目", encoding="utf-8")
    not_pdf = CliRunner().invoke(app, ["explain", "1-4", "--pdf", str(text)])
    assert not_pdf.exit_code == 2 and "not a PDF" in not_pdf.output


def test_fields_read_from_a_pdf_carry_where_they_were_printed(small: Report, tmp_path: Path) -> None:
    """Provenance: each field's and schedule row's page and box hold its text; a field continued
    over a page break has a box on each page; the Parquet table lists them; text input has none."""
    from plan_etl.extract.engines import read_pages
    from plan_etl.writers.parquet import TABLES, build_table

    layout = tool.Layout.draw(random.Random(23))  # tables continued over pages, two fields split
    pdf = tmp_path / "variant.pdf"
    tool.render_report_pdf(small, pdf, layout)
    report = parse_report(pdf, workers=1)
    pages = read_pages(pdf)

    def printed_in(box: Box) -> str:
        chars = pages[box.page - 1].chars
        inside = [c for c in chars if box.x0 - 0.5 <= (c.x0 + c.x1) / 2 <= box.x1 + 0.5]
        return norm_printed(
            "".join(c.text for c in inside if box.top - 0.5 <= (c.top + c.bottom) / 2 <= box.bottom + 0.5)
        )

    spans = sum(len(b) > 1 for rec in report.initiatives for b in rec.provenance.values())
    for rec in report.initiatives:
        assert {"header", "content", "schedule", "effects", "results"} <= rec.provenance.keys(), rec.item_id
        for field in ("content", "effects", "results"):
            boxes = rec.provenance[field]
            text = "".join(printed_in(b) for b in boxes)
            assert norm_printed(getattr(rec, field))[:20] in text, (rec.item_id, field)
        for row in rec.schedule:
            assert row.provenance and norm_printed(row.label)[:6] in printed_in(row.provenance[0]), (
                rec.item_id,
                row.label,
            )
    assert spans >= 2  # schedules run over a page break
    [spec] = [t for t in TABLES if t.name == "provenance"]
    table = build_table(spec, report)
    assert table.num_rows == sum(len(b) for r in report.initiatives for b in r.provenance.values()) + sum(
        len(row.provenance) for r in report.initiatives for row in r.schedule
    )
    assert all(not r.provenance and not any(row.provenance for row in r.schedule) for r in small.initiatives)
