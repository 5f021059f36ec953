"""Doubt measured, not assumed: the PDF reader states a schedule row only when the page's geometry
decides it, and hands on every piece of text in a table's region that no field or cell took (ink
accounting), so that it is reported as lost rather than dropped. Pages placed by hand with the
report's words (helpers of test_pdf_layout)."""

from __future__ import annotations

from plan_etl.extract.pdf_layout import join_pages, read_page
from plan_etl.parsers.yearly_plan.schedule import row_from_cells
from test_pdf_layout import SIZE, _table, page, place


def _read(chars, segs=()):  # -> (lines, tables)
    return join_pages([read_page(page(chars, list(segs)))])


def test_a_ruled_table_is_stated_whole_and_takes_every_run() -> None:
    chars, segs = _table(30, ruled=True, merged=False, split_header=False, widths=(80, 80, 80, 80))
    lines, [table] = _read(chars, segs)
    assert len(table.rows) == 2 and table.doubts == {}
    every = {
        *table.header,
        *table.labels.values(),
        *(n for v in table.fields.values() for n in v),
        *table.rows,
    }
    assert every == set(range(1, len(lines) + 1))  # no line of the table outside its fields


def test_a_label_run_into_the_first_year_column_withholds_its_row() -> None:
    """The row label ①制度構築の推進と見 printed over the label/R6 rule up to R6's text with no gap
    (a close column, as in narrow layouts): label and cell read as one run across the edge, so where
    the label ends is not on the page, and the row is withheld with the reason."""
    chars, segs = _table(30, ruled=True, merged=False, split_header=False, widths=(80, 80, 80, 80))
    at = next(c for c in chars if c.text == "①")
    label = [c for c in chars if c.top == at.top and at.x0 <= c.x0 < 30 + 60]
    chars = [c for c in chars if c not in label] + place("①制度構築の推進と見", at.x0, at.top)
    lines, [table] = _read(chars, segs)
    [(no, why)] = table.doubts.items()
    assert lines[no - 1][0].startswith("①") and "column boundary" in why
    row = row_from_cells(*_split(lines[no - 1][0]), [no], why)
    assert not row.resolved and row.cells == dict.fromkeys(("R6", "R7", "R8", "R9"))
    assert row.reason == why and row.raw == lines[no - 1][0]


def test_text_left_of_a_fields_label_is_handed_on_as_a_line_of_no_field() -> None:
    """A note printed in the label column under 取組み内容 (left of the label's right edge, in the
    field's band): no field takes it, so it comes out as a line of its own that no field lists
    (lost text for validate), never silently dropped."""
    chars, segs = _table(30, ruled=True, merged=False, split_header=False, widths=(80, 80, 80, 80))
    label = next(c for c in chars if c.text == "内")  # 取組み / 内容, the label's second line
    chars += place("※注", 32, label.top + SIZE * 1.25)
    lines, [table] = _read(chars, segs)
    listed = {
        *table.header,
        *table.labels.values(),
        *(n for v in table.fields.values() for n in v),
        *table.rows,
    }
    stray = [n for n in range(1, len(lines) + 1) if n not in listed]
    assert [lines[n - 1][0] for n in stray] == ["※注"]
    assert lines[stray[0] - 1][1] is not None  # where it was printed


def _listed(table) -> set[int]:  # the lines a table hands on in its header, labels, fields and rows
    fields = (n for v in table.fields.values() for n in v)
    return {*table.header, *table.labels.values(), *fields, *table.rows}


def _split(text: str) -> tuple[str, list[str]]:
    label, *cells = text.split("\t")
    return label, cells


def test_the_explain_picture_marks_withheld_rows_and_unassigned_text() -> None:
    """`explain --pdf` draws a withheld row over its whole width with its reason, and each piece of
    unassigned text, besides the regions read."""
    from plan_etl.extract.pdf_debug import regions

    chars, segs = _table(30, ruled=True, merged=False, split_header=False, widths=(80, 80, 80, 80))
    at = next(c for c in chars if c.text == "①")
    label = [c for c in chars if c.top == at.top and at.x0 <= c.x0 < 30 + 60]
    chars = [c for c in chars if c not in label] + place("①制度構築の推進と見", at.x0, at.top)
    chars += place("※注", 32, next(c for c in chars if c.text == "内").top + SIZE * 1.25)
    [table] = read_page(page(chars, segs)).tables
    marks = {kind: (name, box) for kind, name, box in regions(table) if kind in ("doubt", "unassigned")}
    assert "column boundary" in marks["doubt"][0] and marks["doubt"][1][2] > 30 + 60 + 3 * 80  # to R9
    assert marks["unassigned"][0] == "※注"
