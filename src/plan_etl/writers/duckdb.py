"""One DuckDB database file with every table of the registry (typed, with its primary key), the
registry's `schedule_wide` (one row per schedule row, cells in columns R6..R9) and a view,
`initiative_overview` (one row per initiative record: goal name, title, departments, row counts,
how many plan years are in 実施).
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from plan_etl.schemas import Report
from plan_etl.writers.atomic import atomic_write
from plan_etl.writers.parquet import build_table, build_tables
from plan_etl.writers.tables import WIDE_TABLES, table

VIEWS: dict[str, str] = {
    "initiative_overview": """
        SELECT i.record_id, i.item_id, i.part, i.goal, g.name AS goal_name, i.title,
               array_to_string(i.departments, '、') AS departments, i.page,
               i.n_schedule_rows, i.n_unresolved_rows, i.results_label,
               (SELECT count(DISTINCT s.reiwa) FROM schedule s
                 WHERE s.record_id = i.record_id AND list_contains(s.phases, '実施')) AS years_in_実施
        FROM initiatives i LEFT JOIN goals g USING (goal)
        ORDER BY i.goal, i.page, i.record_id""",
}


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
    """CREATE TABLE with the Arrow schema's types, NOT NULL where required, and the primary key."""
    cols = [f'"{f.name}" {_sql_type(f.type)}{"" if f.nullable else " NOT NULL"}' for f in schema]
    key = table(name).key if with_key else ()
    if key:
        cols.append("PRIMARY KEY (" + ", ".join(f'"{c}"' for c in key) + ")")
    return f'CREATE TABLE "{name}" (' + ", ".join(cols) + ")"


def write_duckdb(report: Report, path: str | Path) -> Path:
    """Write the database file atomically (built beside it, then moved into place)."""
    import duckdb

    tables = build_tables(report) | {spec.name: build_table(spec, report) for spec in WIDE_TABLES}

    def build(tmp: Path) -> None:
        tmp.unlink()  # DuckDB creates its own file
        con = duckdb.connect(str(tmp))
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
            for name, sql in VIEWS.items():
                con.execute(f'CREATE VIEW "{name}" AS {sql}')
            con.execute("CHECKPOINT")
        finally:
            con.close()

    return atomic_write(path, build)
