"""An Excel workbook for the ward's analysts (XlsxWriter): a first sheet 概要 that says what each
sheet holds and where the data came from, one sheet per table of the registry under its Japanese
name (年次別計画（横）, the wide schedule, beside 年次別計画), and 列の説明, every column's Japanese
heading, English name and meaning.

Each table sheet has one header row, the Japanese heading of each column (from the registry), so
Power Query and pivot tables take it as the header and every other row as data; the English name
and meaning are the header cell's comment. The header is frozen, with an autofilter; cells are
typed (numbers as numbers, true/false as booleans, lists joined with 、, null as an empty cell) and
text is always written as text, never as a formula, a number or a link, whatever it opens with.
Column widths fit Japanese text (a full-width character counts twice).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from plan_etl.schemas import Report
from plan_etl.version import __version__
from plan_etl.writers.atomic import atomic_write
from plan_etl.writers.flat import LIST_SEPARATOR, table_rows
from plan_etl.writers.tables import TABLES, WIDE_TABLES, TableSpec

OVERVIEW = "概要"
"""The first sheet's name."""
COLUMNS = "列の説明"
"""The last sheet's name: every column of every sheet."""
MAX_WIDTH = 60
"""The widest a column is made (characters); longer text wraps in the cell when opened."""


def write_xlsx(report: Report, path: str | Path) -> Path:
    """Write the workbook to `path` atomically."""
    import xlsxwriter

    specs = sheet_order()
    rows = {spec.name: list(table_rows(spec, report)) for spec in specs}

    def build(tmp: Path) -> None:
        options = {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}
        book = xlsxwriter.Workbook(str(tmp), options)
        book.set_properties({"title": report.document.title, "comments": f"plan-etl {__version__}"})
        head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
        _overview(book, report, specs, rows, head)
        for spec in specs:
            _table_sheet(book, spec, rows[spec.name], head)
        _columns_sheet(book, specs, head)
        book.close()

    return atomic_write(path, build)


def _overview(
    book: Any, report: Report, specs: Iterable[TableSpec], rows: dict[str, list], head: Any
) -> None:
    """The first sheet: the source (file, SHA-256, title, year, tool), then a line per sheet."""
    sheet = book.add_worksheet(OVERVIEW)
    doc = report.document
    about = [
        ("表題", doc.title),
        ("年度", doc.report_fiscal_year),
        ("入力ファイル", doc.source_file),
        ("SHA-256", doc.source_sha256),
        ("作成ツール", f"plan-etl {__version__}"),
        ("取組み記録数", len(report.initiatives)),
        ("警告数", len(report.warnings)),
    ]
    for r, (label, value) in enumerate(about):
        sheet.write_string(r, 0, label, head)
        _write(sheet, r, 1, value)
    top = len(about) + 1
    for c, title in enumerate(("シート", "表の名前（英語）", "1行の単位", "行数", "主キー")):
        sheet.write_string(top, c, title, head)
    for r, spec in enumerate(specs, top + 1):
        sheet.write_url(r, 0, f"internal:'{spec.ja}'!A1", string=spec.ja)
        sheet.write_string(r, 1, spec.name)
        sheet.write_string(r, 2, spec.grain_ja)
        sheet.write_number(r, 3, len(rows[spec.name]))
        sheet.write_string(r, 4, "、".join(_heading(spec, k) for k in spec.key))
    sheet.write_url(top + 1 + len(specs), 0, f"internal:'{COLUMNS}'!A1", string=COLUMNS)
    sheet.write_string(top + 1 + len(specs), 2, "各シートの列の見出し・英語名・説明")
    sheet.set_column(0, 0, 20)
    sheet.set_column(1, 1, 18)
    sheet.set_column(2, 2, 60)
    sheet.set_column(3, 4, 14)


def sheet_order() -> tuple[TableSpec, ...]:
    """The tables in sheet order: the registry's, each wide table right after its long one."""
    out: list[TableSpec] = []
    for spec in TABLES:
        out.append(spec)
        out += [w for w in WIDE_TABLES if w.name == f"{spec.name}_wide"]
    return (*out, *(w for w in WIDE_TABLES if w not in out))


def _heading(spec: TableSpec, name: str) -> str:
    return next(c.ja for c in spec.columns if c.name == name)


def _columns_sheet(book: Any, specs: Iterable[TableSpec], head: Any) -> None:
    """Every column of every sheet: sheet, Japanese heading, English name, type, meaning."""
    sheet = book.add_worksheet(COLUMNS)
    for c, title in enumerate(("シート", "列の見出し", "列名（英語）", "型", "説明", "読み取り元")):
        sheet.write_string(0, c, title, head)
    r = 1
    for spec in specs:
        for column in spec.columns:
            meta = column.field.metadata or {}
            about = meta.get(b"description", b"").decode("utf-8")
            for c, value in enumerate(
                (spec.ja, column.ja, column.name, str(column.field.type), about, column.read_from)
            ):
                _write(sheet, r, c, value)
            r += 1
    for c, w in enumerate((20, 24, 22, 14, 80, 24)):
        sheet.set_column(c, c, w)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, r - 1, 5)


def _table_sheet(book: Any, spec: TableSpec, rows: list[dict[str, Any]], head: Any) -> None:
    """One table under its Japanese name: one header row of Japanese headings (the English name and
    meaning in each header cell's comment), frozen, filtered, typed cells."""
    sheet = book.add_worksheet(spec.ja)
    widths = [_width(c.ja) for c in spec.columns]
    for c, column in enumerate(spec.columns):
        sheet.write_string(0, c, column.ja, head)
        meta = column.field.metadata or {}
        about = meta.get(b"description", b"").decode("utf-8")
        sheet.write_comment(0, c, f"{column.name}\n{about}".strip(), {"x_scale": 2, "y_scale": 1.5})
    for r, row in enumerate(rows, 1):
        for c, column in enumerate(spec.columns):
            shown = _write(sheet, r, c, row[column.name])
            if shown is not None and widths[c] < MAX_WIDTH:
                widths[c] = max(widths[c], min(_width(shown), MAX_WIDTH))
    for c, w in enumerate(widths):
        sheet.set_column(c, c, min(w, MAX_WIDTH) + 2)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, len(rows), max(len(spec.columns) - 1, 0))


def _write(sheet: Any, r: int, c: int, value: Any) -> str | None:
    """Write one typed cell; return the text shown (for the width), None for an empty cell."""
    if value is None:
        return None
    if isinstance(value, bool):
        sheet.write_boolean(r, c, value)
        return str(value).upper()
    if isinstance(value, int | float):
        sheet.write_number(r, c, value)
        return str(value)
    if isinstance(value, list):
        value = LIST_SEPARATOR.join(str(v) for v in value)
    text = str(value)
    if not text:  # an empty list or text: an empty cell, as a null
        return None
    sheet.write_string(r, c, text)
    return max(text.splitlines() or [""], key=_width)


def _width(text: str) -> int:
    """Columns a text takes on screen: full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
