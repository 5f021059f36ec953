"""The Parquet tables as plain rows, for formats without Arrow types (CSV, JSON Lines)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from plan_etl.schemas import Report
from plan_etl.writers.parquet import TABLES, TableSpec

LIST_SEPARATOR = "、"
"""How a list cell (departments, phases, lines) is written in CSV: the Japanese list comma."""


def table_rows(spec: TableSpec, report: Report) -> Iterator[dict[str, Any]]:
    """A table's rows with its columns in schema order."""
    names = [f.name for f in spec.fields]
    for row in spec.rows(report):
        yield {n: row[n] for n in names}


def csv_value(value: Any) -> Any:
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def specs() -> tuple[TableSpec, ...]:
    return TABLES
