"""The output tables, each declared once: name, Japanese name, grain, columns, primary key and how
its rows are drawn from a Report. Every table writer (Parquet, DuckDB, CSV, JSON Lines, Excel) and
the data dictionary read this registry; nothing else names a table's columns.

A column's type, nullability and description come from the pydantic model field it is read from
(`arrow_schema.model_column`), or are declared here for the few computed by the writers; each column
also has its Japanese heading (the Excel header row, the dictionary) and the label of the report it
is read from. An initiative record is keyed by `record_id` ("1-1", "5-13#1", the model's computed
field): (item_id, part) with part null for most items, which SQL joins on equality would drop.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

import pyarrow as pa

from plan_etl.form.ids import item_order, reiwa_to_western
from plan_etl.form.words import CONTENT, DEPARTMENTS, EFFECTS, ITEM, SCHEDULE
from plan_etl.schemas import (
    REASON_LABELS_JA,
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

Row = dict[str, Any]


@dataclass(frozen=True)
class Column:
    """One column: its Arrow field (name, type, null, description), its Japanese heading, and the
    label of the report it is read from (empty when none)."""

    field: pa.Field
    ja: str
    read_from: str = ""

    @property
    def name(self) -> str:
        return self.field.name


@dataclass(frozen=True)
class TableSpec:
    """One output table."""

    name: str
    ja: str
    """The table's Japanese name (the Excel sheet's title)."""
    grain: str
    """What one row is."""
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    """The primary key's columns (empty: none)."""
    rows: Callable[[Report], Iterator[Row]]

    @property
    def fields(self) -> tuple[pa.Field, ...]:
        return tuple(c.field for c in self.columns)

    @property
    def description(self) -> str:
        return self.grain

    @property
    def grain_ja(self) -> str:
        """What one row is, in Japanese (the workbook's 概要 sheet)."""
        return GRAIN_JA[self.name]


GRAIN_JA: dict[str, str] = {
    "initiatives": "取組みの記録ごとに1行（分割して掲載された項目は部分ごと）",
    "departments": "取組みの所管部ごとに1行",
    "schedule": "年次別計画の行と年度ごとに1行（縦持ち）",
    "provenance": "PDFから読んだ記録の欄と頁ごとに1行（掲載位置の枠）",
    "goals": "到達点ごとに1行",
    "goal_amounts": "到達点と年度ごとの予算額・決算額",
    "goal_hours": "到達点と年度ごとの削減時間",
    "toc": "取組み項目一覧の項目ごとに1行",
    "warnings": "解析で気づいた問題ごとに1行",
    "schedule_wide": "年次別計画の行ごとに1行（R6〜R9を横に並べる）",
}
"""What one row of each table is, in Japanese."""


def col(
    model: type,
    name: str,
    ja: str,
    read_from: str = "",
    *,
    column: str | None = None,
    unwrap: Literal["item", "value"] | None = None,
) -> Column:
    """A column read from a model field."""
    return Column(model_column(model, name, column=column, unwrap=unwrap), ja, read_from)


def derived(
    name: str, typ: pa.DataType, description: str, ja: str, read_from: str = "", *, nullable: bool = False
) -> Column:
    """A column the writer computes."""
    return Column(derived_column(name, typ, description, nullable=nullable), ja, read_from)


def _pick(record: Any, *names: str) -> Row:
    return {n: getattr(record, n) for n in names}


_INIT_KEY = (
    derived(
        "record_id",
        pa.string(),
        "Join key of an initiative record: item_id, plus #part if printed in parts (5-13#1)",
        "記録ID",
        ITEM,
    ),
    col(Initiative, "item_id", "項目番号", ITEM),
    col(Initiative, "part", "分割番号", "項目 (①②)"),
    derived(
        "item_order",
        pa.int64(),
        "Sorts records in the report's order: goal x 100000 + item number x 100 + part "
        "(ORDER BY item_order gives 1-2 before 1-10)",
        "並び順",
        ITEM,
    ),
)


def _key(ini: Initiative) -> Row:
    """The key columns of an initiative record; record_id is never null, unlike part, so joins work."""
    return {
        "record_id": ini.record_id,
        "item_id": ini.item_id,
        "part": ini.part,
        "item_order": item_order(ini.item_id, ini.part),
    }


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
        for row_number, dept in enumerate(ini.departments, 1):
            yield _key(ini) | {"row_number": row_number, "department": dept}


_ROW_STATE = ("resolved", "confidence", "reason", "reason_code", "reason_ja", "raw", "resolved_by")
"""A schedule row's state, in every table of rows: stated or not, how sure, why not, its text."""


def _state(row: ScheduleRow) -> Row:
    """A schedule row's state columns (_ROW_STATE): the reason code's Japanese label beside it."""
    return _pick(row, *(n for n in _ROW_STATE if n != "reason_ja")) | {
        "reason_ja": REASON_LABELS_JA.get(row.reason_code) if row.reason_code else None
    }


def _schedule_rows(report: Report) -> Iterator[Row]:
    for ini in report.initiatives:
        for row_number, row in enumerate(ini.schedule, 1):
            for year in YEARS:
                yield (
                    _key(ini)
                    | _pick(row, "number", "label")
                    | _state(row)
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
        yield _pick(entry, "item_id", "id_raw", "title", "page", "goal", "line") | {
            "item_order": item_order(entry.item_id)
        }


def _warning_rows(report: Report) -> Iterator[Row]:
    for row_number, issue in enumerate(report.warnings, 1):
        yield {"row_number": row_number} | _pick(issue, "level", "code", "message", "item_id", "lines")


_YEAR = "年次別計画 R6 R7 R8 R9"

TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "initiatives",
        "取組み",
        "One row per initiative record (an item, or one part of an item printed in parts)",
        (
            *_INIT_KEY,
            col(Initiative, "id_raw", "項目番号（表記）", ITEM),
            col(Initiative, "goal", "到達点", "到達点"),
            col(Initiative, "title", "取組み項目名", "項目 (取組み項目名)"),
            col(Initiative, "departments", DEPARTMENTS, DEPARTMENTS),
            col(Initiative, "content", CONTENT, CONTENT),
            col(Initiative, "effects", EFFECTS, EFFECTS),
            col(Initiative, "results_label", "実績の見出し", "R6実績 (見出し)"),
            col(Initiative, "results", "実績", "R6実績"),
            col(Initiative, "page", "掲載ページ", "取組み項目一覧 P."),
            derived("n_schedule_rows", pa.int64(), "Number of 年次別計画 rows", "年次別計画の行数", SCHEDULE),
            derived(
                "n_unresolved_rows",
                pa.int64(),
                "年次別計画 rows with a cell that could not be placed",
                "未確定の行数",
                SCHEDULE,
            ),
        ),
        ("record_id",),
        _initiative_rows,
    ),
    TableSpec(
        "departments",
        DEPARTMENTS,
        "One row per responsible department (所管部) of an initiative record",
        (
            *_INIT_KEY,
            derived("row_number", pa.int64(), "1-based position of the department as printed", "行番号"),
            col(Initiative, "departments", DEPARTMENTS, DEPARTMENTS, column="department", unwrap="item"),
        ),
        ("record_id", "department"),
        _department_rows,
    ),
    TableSpec(
        "schedule",
        SCHEDULE,
        "年次別計画 in long form: one row per schedule row and plan year",
        (
            *_INIT_KEY,
            derived(
                "row_number",
                pa.int64(),
                "1-based position of the row in the item's 年次別計画",
                "行番号",
                SCHEDULE,
            ),
            col(ScheduleRow, "number", "丸数字", "年次別計画 (①②③)"),
            col(ScheduleRow, "label", "行見出し", "年次別計画 (行見出し)"),
            derived(
                "reiwa",
                pa.string(),
                "Plan year as printed in the table header (R6..R9)",
                "年度（令和）",
                _YEAR,
            ),
            derived(
                "fiscal_year",
                pa.int64(),
                "Western year in which the plan year starts (R6 -> 2024)",
                "年度（西暦）",
                _YEAR,
            ),
            col(ScheduleRow, "cells", "計画", "年次別計画 R6〜R9", column="cell", unwrap="value"),
            col(ScheduleRow, "phases", "段階", "年次別計画 R6〜R9", unwrap="value"),
            col(ScheduleRow, "resolved", "確定", SCHEDULE),
            col(ScheduleRow, "confidence", "確信度", SCHEDULE),
            col(ScheduleRow, "reason", "未確定の理由", SCHEDULE),
            col(ScheduleRow, "reason_code", "未確定の理由（区分）", SCHEDULE),
            derived(
                "reason_ja",
                pa.string(),
                "reason_code's Japanese label (null for a stated row)",
                "未確定の理由（日本語）",
                SCHEDULE,
                nullable=True,
            ),
            col(ScheduleRow, "raw", "未確定の行の原文", SCHEDULE),
            col(ScheduleRow, "resolved_by", "確定した者", SCHEDULE),
        ),
        ("record_id", "row_number", "reiwa"),
        _schedule_rows,
    ),
    TableSpec(
        "provenance",
        "掲載位置",
        "Where each field of a record read from a PDF was printed: a box per field and page "
        "(no rows for text input)",
        (
            *_INIT_KEY,
            derived(
                "field",
                pa.string(),
                "The field: header, content, schedule, effects, results, or schedule_row (one row)",
                "欄",
            ),
            derived(
                "row_number",
                pa.int64(),
                "The schedule row (1-based) for field schedule_row",
                "行番号",
                SCHEDULE,
                nullable=True,
            ),
            col(Box, "page", "ページ"),
            col(Box, "x0", "左端 (pt)"),
            col(Box, "top", "上端 (pt)"),
            col(Box, "x1", "右端 (pt)"),
            col(Box, "bottom", "下端 (pt)"),
        ),
        (),
        _provenance_rows,
    ),
    TableSpec(
        "goals",
        "到達点",
        "One row per goal (到達点)",
        (
            col(Goal, "goal", "到達点", "到達点"),
            col(Goal, "name", "到達点名", "到達点 (名称)"),
            col(Goal, "description", "説明", "到達点 (説明)"),
            col(Goal, "effect_category", "効果・成果の区分", "主な効果・成果例"),
            col(Goal, "effect_examples", "主な効果・成果例", "主な効果・成果例 (➢)"),
            col(Goal, "hours_target", "削減目標時間", "業務時間 約○万時間 削減"),
        ),
        ("goal",),
        _goal_rows,
    ),
    TableSpec(
        "goal_amounts",
        "到達点の金額",
        "Budget and settlement amounts per goal and fiscal year",
        (
            col(Goal, "goal", "到達点", "到達点"),
            col(Amount, "label", "見出し", "Ｒ６予算額 / Ｒ６決算額 / Ｒ７予算額"),
            col(Amount, "fiscal_year", "年度（西暦）", "Ｒ６予算額 …"),
            col(Amount, "kind", "種別", "予算額 / 決算額"),
            col(Amount, "million_yen", "金額（百万円）", "百万円"),
        ),
        ("goal", "label"),
        _amount_rows,
    ),
    TableSpec(
        "goal_hours",
        "到達点の削減時間",
        "Working hours reduced per goal and fiscal year (削減時間)",
        (
            col(Goal, "goal", "到達点", "到達点"),
            col(HoursReduced, "label", "見出し", "Ｒ６削減時間"),
            col(HoursReduced, "fiscal_year", "年度（西暦）", "Ｒ６削減時間"),
            col(HoursReduced, "hours", "削減時間", "約○万時間"),
        ),
        ("goal", "label"),
        _hours_rows,
    ),
    TableSpec(
        "toc",
        "取組み項目一覧",
        "Table of contents (取組み項目一覧): one row per listed item",
        (
            col(TocEntry, "item_id", "項目番号", "取組み項目一覧"),
            col(TocEntry, "id_raw", "項目番号（表記）", "取組み項目一覧"),
            col(TocEntry, "title", "取組み項目名", "取組み項目一覧"),
            col(TocEntry, "page", "掲載ページ", "取組み項目一覧 P."),
            col(TocEntry, "goal", "到達点", "取組み項目一覧 到達点"),
            col(TocEntry, "line", "原文の行"),
            derived(
                "item_order",
                pa.int64(),
                "Sorts items in the report's order: goal x 100000 + item number x 100",
                "並び順",
                "取組み項目一覧",
            ),
        ),
        ("item_id",),
        _toc_rows,
    ),
    TableSpec(
        "warnings",
        "警告",
        "Problems the parser noticed",
        (
            derived("row_number", pa.int64(), "1-based position of the warning in the parse", "行番号"),
            col(Issue, "level", "重要度"),
            col(Issue, "code", "コード"),
            col(Issue, "message", "内容"),
            col(Issue, "item_id", "項目番号"),
            col(Issue, "lines", "原文の行"),
        ),
        ("row_number",),
        _warning_rows,
    ),
)
"""Every output table, in the order they are written."""


def _schedule_wide_rows(report: Report) -> Iterator[Row]:
    for ini in report.initiatives:
        for row_number, row in enumerate(ini.schedule, 1):
            yield (
                _key(ini)
                | {"row_number": row_number}
                | _pick(row, "number", "label")
                | {year: row.cells.get(year) for year in YEARS}
                | _state(row)
            )


_SCHEDULE = next(t for t in TABLES if t.name == "schedule")

SCHEDULE_WIDE = TableSpec(
    "schedule_wide",
    "年次別計画（横）",
    "年次別計画 as printed: one row per schedule row, the plan years R6..R9 side by side",
    (
        *_INIT_KEY,
        *(c for c in _SCHEDULE.columns if c.name in ("row_number", "number", "label")),
        *(
            Column(
                pa.field(
                    year,
                    pa.string(),
                    nullable=True,
                    metadata={b"description": f"The {year} cell as printed".encode(), b"source": b"derived"},
                ),
                year,
                f"年次別計画 {year}",
            )
            for year in YEARS
        ),
        *(c for c in _SCHEDULE.columns if c.name in _ROW_STATE),
    ),
    ("record_id", "row_number"),
    _schedule_wide_rows,
)
"""The schedule table widened for reading by eye: a sheet of the Excel workbook and a table of the
DuckDB database, not a file of its own (the long `schedule` is the one to analyse)."""

WIDE_TABLES: tuple[TableSpec, ...] = (SCHEDULE_WIDE,)


def table(name: str) -> TableSpec:
    """The table called `name`, a wide one included (KeyError for none)."""
    for spec in (*TABLES, *WIDE_TABLES):
        if spec.name == name:
            return spec
    raise KeyError(name)
