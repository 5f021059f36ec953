"""Parquet tables of a Report: flat, typed, one file per table, schemas derived from the models.

Tables: initiatives, departments, schedule (long: one row per schedule row and plan year),
provenance (where a PDF printed each field), goals,
goal_amounts, goal_hours, toc, warnings. Hours reduced are in `goal_hours`, long like `goal_amounts`.
An initiative record is keyed by record_id ("1-1", "5-13#1"): (item_id, part) with part null for most
items, which SQL joins on equality would drop.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from plan_etl.parsers.ids import reiwa_to_western
from plan_etl.schemas import (
    YEARS,
    Amount,
    Box,
    Goal,
    HoursReduced,
    Initiative,
    Issue,
    Report,
    ScheduleRow,
    TocEntry,
)
from plan_etl.writers.arrow_schema import derived_column, model_column
from plan_etl.writers.atomic import atomic_write

# The tables are small (hundreds of rows): the C library's allocator serves them, where pyarrow's
# default (jemalloc or mimalloc) would reserve arenas that add ~10 MiB to a run's peak memory.
pa.set_memory_pool(pa.system_memory_pool())

Row = dict[str, Any]


@dataclass(frozen=True)
class TableSpec:
    """One output table: its columns (Arrow fields) and how to draw its rows from a Report."""

    name: str
    description: str
    fields: tuple[pa.Field, ...]
    rows: Callable[[Report], Iterator[Row]]


def _pick(record: Any, *names: str) -> Row:
    return {n: getattr(record, n) for n in names}


_INIT_KEY = (
    derived_column(
        "record_id",
        pa.string(),
        "Join key of an initiative record: item_id, plus #part if printed in parts (5-13#1)",
    ),
    model_column(Initiative, "item_id"),
    model_column(Initiative, "part"),
)


def _key(ini: Initiative) -> Row:
    """The key columns of an initiative record; record_id is never null, unlike part, so joins work."""
    record_id = ini.item_id if ini.part is None else f"{ini.item_id}#{ini.part}"
    return {"record_id": record_id, "item_id": ini.item_id, "part": ini.part}


_INIT_FIELDS = (
    "id_raw",
    "goal",
    "title",
    "departments",
    "content",
    "effects",
    "results_label",
    "results",
    "page",
)


def _initiative_rows(report: Report) -> Iterator[Row]:
    for ini in report.initiatives:
        yield (
            _key(ini)
            | _pick(ini, *_INIT_FIELDS)
            | {
                "n_schedule_rows": len(ini.schedule),
                "n_unresolved_rows": sum(not r.resolved for r in ini.schedule),
            }
        )


def _department_rows(report: Report) -> Iterator[Row]:
    for ini in report.initiatives:
        for dept in ini.departments:
            yield _key(ini) | {"department": dept}


def _schedule_rows(report: Report) -> Iterator[Row]:
    for ini in report.initiatives:
        for row_number, row in enumerate(ini.schedule, 1):
            for year in YEARS:
                yield (
                    _key(ini)
                    | _pick(row, "number", "label", "resolved", "confidence", "reason")
                    | {
                        "row_number": row_number,
                        "reiwa": year,
                        "fiscal_year": reiwa_to_western(int(year[1:])),
                        "cell": row.cells.get(year),
                        "phases": row.phases.get(year, []),
                    }
                )


def _provenance_rows(report: Report) -> Iterator[Row]:
    for ini in report.initiatives:
        for field, boxes in ini.provenance.items():
            for box in boxes:
                yield _key(ini) | {"field": field, "row_number": None} | box.model_dump()
        for row_number, row in enumerate(ini.schedule, 1):
            for box in row.provenance:
                yield _key(ini) | {"field": "schedule_row", "row_number": row_number} | box.model_dump()


def _goal_rows(report: Report) -> Iterator[Row]:
    for goal in report.goals:
        yield _pick(goal, "goal", "name", "description", "effect_category", "effect_examples", "hours_target")


def _amount_rows(report: Report) -> Iterator[Row]:
    for goal in report.goals:
        for amount in goal.amounts:
            yield {"goal": goal.goal} | _pick(amount, "label", "fiscal_year", "kind", "million_yen")


def _hours_rows(report: Report) -> Iterator[Row]:
    for goal in report.goals:
        for hours in goal.hours_reduced:
            yield {"goal": goal.goal} | _pick(hours, "label", "fiscal_year", "hours")


def _toc_rows(report: Report) -> Iterator[Row]:
    for entry in report.toc:
        yield _pick(entry, "item_id", "id_raw", "title", "page", "goal", "line")


def _warning_rows(report: Report) -> Iterator[Row]:
    for issue in report.warnings:
        yield _pick(issue, "level", "code", "message", "item_id", "lines")


def _cols(model: type, *names: str) -> tuple[pa.Field, ...]:
    return tuple(model_column(model, n) for n in names)


TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "initiatives",
        "One row per initiative record (an item, or one part of an item printed in parts)",
        (
            *_INIT_KEY,
            *_cols(Initiative, *_INIT_FIELDS),
            derived_column("n_schedule_rows", pa.int64(), "Number of 年次別計画 rows"),
            derived_column(
                "n_unresolved_rows", pa.int64(), "年次別計画 rows with a cell that could not be placed"
            ),
        ),
        _initiative_rows,
    ),
    TableSpec(
        "departments",
        "One row per responsible department (所管部) of an initiative record",
        (*_INIT_KEY, model_column(Initiative, "departments", column="department", unwrap="item")),
        _department_rows,
    ),
    TableSpec(
        "schedule",
        "年次別計画 in long form: one row per schedule row and plan year",
        (
            *_INIT_KEY,
            derived_column("row_number", pa.int64(), "1-based position of the row in the item's 年次別計画"),
            *_cols(ScheduleRow, "number", "label"),
            derived_column("reiwa", pa.string(), "Plan year as printed in the table header (R6..R9)"),
            derived_column(
                "fiscal_year", pa.int64(), "Western year in which the plan year starts (R6 -> 2024)"
            ),
            model_column(ScheduleRow, "cells", column="cell", unwrap="value"),
            model_column(ScheduleRow, "phases", unwrap="value"),
            model_column(ScheduleRow, "resolved"),
            model_column(ScheduleRow, "confidence"),
            model_column(ScheduleRow, "reason"),
        ),
        _schedule_rows,
    ),
    TableSpec(
        "provenance",
        "Where each field of a record read from a PDF was printed: a box per field and page "
        "(no rows for text input)",
        (
            *_INIT_KEY,
            derived_column(
                "field",
                pa.string(),
                "The field: header, content, schedule, effects, results, or schedule_row (one row)",
                nullable=False,
            ),
            derived_column(
                "row_number", pa.int64(), "The schedule row (1-based) for field schedule_row", nullable=True
            ),
            *_cols(Box, "page", "x0", "top", "x1", "bottom"),
        ),
        _provenance_rows,
    ),
    TableSpec(
        "goals",
        "One row per goal (到達点)",
        _cols(Goal, "goal", "name", "description", "effect_category", "effect_examples", "hours_target"),
        _goal_rows,
    ),
    TableSpec(
        "goal_amounts",
        "Budget and settlement amounts per goal and fiscal year",
        (model_column(Goal, "goal"), *_cols(Amount, "label", "fiscal_year", "kind", "million_yen")),
        _amount_rows,
    ),
    TableSpec(
        "goal_hours",
        "Working hours reduced per goal and fiscal year (削減時間)",
        (model_column(Goal, "goal"), *_cols(HoursReduced, "label", "fiscal_year", "hours")),
        _hours_rows,
    ),
    TableSpec(
        "toc",
        "Table of contents (取組み項目一覧): one row per listed item",
        _cols(TocEntry, "item_id", "id_raw", "title", "page", "goal", "line"),
        _toc_rows,
    ),
    TableSpec(
        "warnings",
        "Problems the parser noticed",
        _cols(Issue, "level", "code", "message", "item_id", "lines"),
        _warning_rows,
    ),
)


def build_table(spec: TableSpec, report: Report) -> pa.Table:
    """Build one table; ValueError if a row's keys differ from the columns or a required column has nulls."""
    names = [f.name for f in spec.fields]
    rows = list(spec.rows(report))
    for row in rows:
        if set(row) != set(names):
            raise ValueError(f"{spec.name}: row keys {sorted(row)} != columns {sorted(names)}")
    schema = pa.schema(
        spec.fields,
        metadata={
            "plan_etl.table": spec.name,
            "plan_etl.description": spec.description,
            "plan_etl.document": report.document.model_dump_json(),
        },
    )
    table = pa.Table.from_pylist(rows, schema=schema)
    for field in spec.fields:
        if not field.nullable and table.column(field.name).null_count:
            raise ValueError(f"{spec.name}.{field.name}: null in a non-nullable column")
    return table


def build_tables(report: Report) -> dict[str, pa.Table]:
    """All output tables of a Report, by name."""
    return {spec.name: build_table(spec, report) for spec in TABLES}


def write_parquet(report: Report, out_dir: str | Path) -> list[Path]:
    """Write every table to `out_dir/<table>.parquet`, each file atomically; return the paths."""
    out_dir = Path(out_dir)
    paths = []
    for name, table in build_tables(report).items():
        path = out_dir / f"{name}.parquet"
        atomic_write(path, lambda tmp, t=table: pq.write_table(t, tmp))
        paths.append(path)
    return paths
