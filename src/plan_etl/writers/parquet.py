"""Parquet tables of a Report: flat, typed, one file per table of the registry (writers/tables.py),
schemas derived from the models, the table's name, description and document in the file's metadata.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from plan_etl.schemas import Report
from plan_etl.writers.atomic import atomic_write
from plan_etl.writers.tables import TABLES, TableSpec

# The tables are small (hundreds of rows): the C library's allocator serves them, where pyarrow's
# default (jemalloc or mimalloc) would reserve arenas that add ~10 MiB to a run's peak memory.
pa.set_memory_pool(pa.system_memory_pool())


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


def write_partition(report: Report, root: str | Path, partition: str) -> list[Path]:
    """Write every table of one edition into a dataset at `root`, as Hive partitions:
    `root/<table>/<partition>/part-0.parquet` (partition: ``report_year=2024``); return the paths."""
    paths = []
    for name, table in build_tables(report).items():
        path = Path(root) / name / partition / "part-0.parquet"
        atomic_write(path, lambda tmp, t=table: pq.write_table(t, tmp))
        paths.append(path)
    return paths
