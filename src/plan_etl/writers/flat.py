"""The registry's tables as plain rows, for formats without Arrow types (CSV, JSON Lines, Excel)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from plan_etl.schemas import Report
from plan_etl.writers.tables import TABLES, TableSpec

LIST_SEPARATOR = "、"
"""How a list cell (departments, phases, lines) is written in CSV: the Japanese list comma."""


def table_rows(spec: TableSpec, report: Report) -> Iterator[dict[str, Any]]:
    """A table's rows with its columns in schema order."""
    names = [f.name for f in spec.fields]
    for row in spec.rows(report):
        yield {n: row[n] for n in names}


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet takes for the start of a formula in a text cell (OWASP, CSV injection)."""


def neutralise(text: str) -> str:
    """A text cell a spreadsheet would run as a formula (`=HYPERLINK(…)`), made inert by a leading
    `'`, as OWASP advises; any other text as it is."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_value(value: Any, raw: bool = False) -> Any:
    """A cell for a CSV file: lists joined with 、, booleans as true/false, text neutralised
    (see `neutralise`) unless `raw`."""
    if isinstance(value, list):
        value = LIST_SEPARATOR.join(str(v) for v in value)
    elif isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and not raw:
        return neutralise(value)
    return value


def specs() -> tuple[TableSpec, ...]:
    return TABLES
