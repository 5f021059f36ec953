"""Several editions of a report as one dataset: Parquet partitioned by report year (hive style).

Layout under the dataset root:

    <table>/report_year=<year>/part-0.parquet   one file per table and edition
    json/<report_year>.json                      the contract JSON of each edition

DuckDB (`read_parquet('<root>/schedule/*/*.parquet', hive_partitioning = true)`), Polars and pandas
(pyarrow) read each table directory as one table with a `report_year` column. Writing an edition
replaces its partition files and leaves the other years' files as they are; a run's editions are
written as one set (writers/output_set.py): the dataset a reader sees has all of them or none.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

from plan_etl.schemas import Report
from plan_etl.writers.atomic import atomic_write
from plan_etl.writers.json import write_json
from plan_etl.writers.output_set import write_set
from plan_etl.writers.parquet import build_tables
from plan_etl.writers.tables import TABLES

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


def write_editions(reports: list[Report], root: str | Path) -> list[Path]:
    """Write (or replace) the editions' partitions as one set: the dataset's other files linked
    over, the new ones written beside them, the whole directory swapped in at once."""

    def write(staging: Path) -> list[Path]:
        return [p for report in reports for p in write_dataset(report, staging)]

    return write_set(root, write, _dataset_file, carry_over=True)


def _dataset_file(rel: Path) -> bool:
    """Whether a file of a dataset directory (path relative to it) is one of its partitions."""
    parts = rel.parts
    if parts[0] == "json":
        return len(parts) == 2 and rel.suffix == ".json"
    return (
        len(parts) == 3
        and parts[0] in {t.name for t in TABLES}
        and parts[1].startswith(f"{PARTITION}=")
        and parts[2] == "part-0.parquet"
    )
