"""Several editions of a report as one dataset: Parquet partitioned by report year (hive style).

Layout under the dataset root:

    <table>/report_year=<year>/part-0.parquet   one file per table and edition
    json/<report_year>.json                      the contract JSON of each edition

DuckDB (`read_parquet('<root>/schedule/*/*.parquet', hive_partitioning = true)`), Polars and pandas
(pyarrow) read each table directory as one table with a `report_year` column. Writing an edition
replaces its partition files atomically and leaves the other years' files untouched.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

from plan_etl.schemas import Report
from plan_etl.writers.atomic import atomic_write
from plan_etl.writers.json import write_json
from plan_etl.writers.parquet import build_tables

PARTITION = "report_year"
UNKNOWN_YEAR = "__HIVE_DEFAULT_PARTITION__"
"""The partition of a report whose fiscal year the document does not state (hive's null)."""


def partition_name(report: Report) -> str:
    year = report.document.report_fiscal_year
    return f"{PARTITION}={year if year is not None else UNKNOWN_YEAR}"


def write_dataset(report: Report, root: str | Path) -> list[Path]:
    """Write (or replace) one edition's partition of every table, and its JSON; return the paths."""
    root = Path(root)
    part = partition_name(report)
    paths = []
    for name, table in build_tables(report).items():
        path = root / name / part / "part-0.parquet"
        atomic_write(path, lambda tmp, t=table: pq.write_table(t, tmp))
        paths.append(path)
    paths.append(write_json(report, root / "json" / f"{part.split('=')[1]}.json"))
    return paths
