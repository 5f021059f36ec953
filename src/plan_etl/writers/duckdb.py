"""One DuckDB database file with every table of the registry (typed, with its primary key), the
registry's `schedule_wide` (one row per schedule row, cells in columns R6..R9) and a view,
`initiative_overview` (one row per initiative record: goal name, title, departments, row counts,
how many plan years are in 実施).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from plan_etl.form.words import DEPARTMENTS
from plan_etl.schemas import Report
from plan_etl.writers.atomic import atomic_write
from plan_etl.writers.parquet import build_table, build_tables
from plan_etl.writers.tables import WIDE_TABLES, table


@dataclass(frozen=True)
class ViewSpec:
    """A view of the database: what a row is, and each column's Japanese heading and meaning (the
    data dictionary and the database's COMMENT ON read these)."""

    name: str
    ja: str
    grain: str
    columns: tuple[tuple[str, str, str], ...]
    """(column, 見出し, meaning), in the view's order (report_year first in a dataset)."""


VIEWS: tuple[ViewSpec, ...] = (
    ViewSpec(
        "initiative_overview",
        "取組みの概要",
        "One row per initiative record: its goal's name, title, departments and schedule counts",
        (
            ("record_id", "記録ID", "Join key of an initiative record (1-1, 5-13#1)"),
            ("item_id", "項目番号", "Item id, normalised (1-1)"),
            ("part", "分割番号", "Part number of an item printed in parts, else null"),
            ("item_order", "並び順", "Sorts records in the report's order"),
            ("goal", "到達点", "Goal number (到達点)"),
            ("goal_name", "到達点名", "The goal's name"),
            ("title", "取組み項目名", "Title as printed in the table"),
            ("departments", DEPARTMENTS, "Responsible departments joined with 、"),
            ("page", "掲載ページ", "Page in the item list (取組み項目一覧 P.)"),
            ("n_schedule_rows", "年次別計画の行数", "Number of 年次別計画 rows"),
            ("n_unresolved_rows", "未確定の行数", "年次別計画 rows left unresolved"),
            ("results_label", "実績の見出し", "Results label, one spelling (R6実績)"),
            ("years_in_実施", "実施の年度数", "How many plan years have a cell in the phase 実施"),
        ),
    ),
)
"""The database's views, declared once."""


def _views(year: bool) -> dict[str, str]:
    """The views; in a dataset (`year`: every table has report_year) joined within an edition."""
    y, sy, gy = ("i.report_year, ", " AND s.report_year IS NOT DISTINCT FROM i.report_year", "report_year, ")
    if not year:
        y = sy = gy = ""
    return {
        "initiative_overview": f"""
        SELECT {y}i.record_id, i.item_id, i.part, i.item_order, i.goal, g.name AS goal_name, i.title,
               array_to_string(i.departments, '、') AS departments, i.page,
               i.n_schedule_rows, i.n_unresolved_rows, i.results_label,
               (SELECT count(DISTINCT s.reiwa) FROM schedule s
                 WHERE s.record_id = i.record_id{sy} AND list_contains(s.phases, '実施')) AS years_in_実施
        FROM initiatives i LEFT JOIN goals g USING ({gy}goal)
        ORDER BY {y}i.item_order""",
    }


STORAGE_VERSION = "v1.0.0"
"""The DuckDB storage format the file is written in: the oldest that serves, so that every DuckDB
from 1.0 on opens it (the `duckdb` command of another version, an ODBC driver, a BI tool's
connector), not only the version that wrote it."""

YEAR_COLUMN = "report_year"
"""In a dataset's database, every table's first column: the edition's report year."""


def _sql_type(t: pa.DataType) -> str:
    if pa.types.is_list(t):
        return _sql_type(t.value_type) + "[]"
    if pa.types.is_integer(t):
        return "BIGINT"
    if pa.types.is_boolean(t):
        return "BOOLEAN"
    if pa.types.is_floating(t):
        return "DOUBLE"
    return "VARCHAR"


def create_statement(name: str, schema: pa.Schema, with_key: bool = True) -> str:
    """CREATE TABLE with the Arrow schema's types, NOT NULL where required, and the primary key (led
    by report_year when the table has one: a dataset's)."""
    cols = [f'"{f.name}" {_sql_type(f.type)}{"" if f.nullable else " NOT NULL"}' for f in schema]
    key = table(name).key if with_key else ()
    if key and YEAR_COLUMN in schema.names:
        key = (YEAR_COLUMN, *key)
    if key:
        cols.append("PRIMARY KEY (" + ", ".join(f'"{c}"' for c in key) + ")")
    return f'CREATE TABLE "{name}" (' + ", ".join(cols) + ")"


def comments(tables: dict[str, pa.Table]) -> list[str]:
    """COMMENT ON every table, view and column: the registry's Japanese heading and meaning, so
    DuckDB's `describe`, DBeaver and BI tools show them."""

    def q(text: str) -> str:
        return "'" + text.replace("'", "''") + "'"

    out: list[str] = []
    for name, t in tables.items():
        spec = table(name)
        out.append(f'COMMENT ON TABLE "{name}" IS {q(f"{spec.ja}: {spec.grain}")}')
        headings = {c.name: c.ja for c in spec.columns}
        for f in t.schema:
            about = (f.metadata or {}).get(b"description", b"").decode("utf-8")
            if f.name == YEAR_COLUMN:
                about, headings[f.name] = "The edition's report year (fiscal year)", "報告年度"
            out.append(f'COMMENT ON COLUMN "{name}"."{f.name}" IS {q(f"{headings[f.name]}: {about}")}')
    for view in VIEWS:
        out.append(f'COMMENT ON VIEW "{view.name}" IS {q(f"{view.ja}: {view.grain}")}')
        for column, ja, about in view.columns:
            out.append(f'COMMENT ON COLUMN "{view.name}"."{column}" IS {q(f"{ja}: {about}")}')
    return out


def report_tables(report: Report) -> dict[str, pa.Table]:
    """The database's tables of one report: the registry's, the wide ones included."""
    return build_tables(report) | {spec.name: build_table(spec, report) for spec in WIDE_TABLES}


def edition_tables(reports: list[Report]) -> dict[str, pa.Table]:
    """The database's tables of several editions, one table each, report_year leading every one.
    (A key in a year with no value, as a report whose year is not stated, stays null.)"""
    out: dict[str, list[pa.Table]] = {}
    for report in reports:
        year = report.document.report_fiscal_year
        for name, t in report_tables(report).items():
            column = pa.array([year] * t.num_rows, pa.int64())
            out.setdefault(name, []).append(t.add_column(0, pa.field(YEAR_COLUMN, pa.int64(), True), column))
    return {name: pa.concat_tables(parts) for name, parts in out.items()}


def write_duckdb(report: Report, path: str | Path) -> Path:
    """Write the database file of one report atomically (built beside it, then moved into place)."""
    return write_tables(report_tables(report), path)


def write_tables(tables: dict[str, pa.Table], path: str | Path) -> Path:
    """Write a database of these tables (with their keys) and the views, atomically."""
    import duckdb

    with_year = any(YEAR_COLUMN in t.schema.names for t in tables.values())

    def build(tmp: Path) -> None:
        tmp.unlink()  # DuckDB creates its own file
        con = duckdb.connect(str(tmp), config={"storage_compatibility_version": STORAGE_VERSION})
        try:
            for name, table in tables.items():
                con.register("incoming", table)
                try:
                    con.execute(create_statement(name, table.schema))
                    con.execute(f'INSERT INTO "{name}" SELECT * FROM incoming')
                except duckdb.ConstraintException:
                    # a key printed twice in a damaged report: keep every row, drop the key
                    con.execute(f'DROP TABLE IF EXISTS "{name}"')
                    con.execute(create_statement(name, table.schema, with_key=False))
                    con.execute(f'INSERT INTO "{name}" SELECT * FROM incoming')
                con.unregister("incoming")
            for name, sql in _views(with_year).items():
                con.execute(f'CREATE VIEW "{name}" AS {sql}')
            for statement in comments(tables):
                con.execute(statement)
            con.execute("CHECKPOINT")
        finally:
            con.close()

    return atomic_write(path, build)
