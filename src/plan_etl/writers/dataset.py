"""Several editions of a report as one dataset directory, in every format asked for.

Layout under the dataset root (`<year>`: the report year, or __HIVE_DEFAULT_PARTITION__ when the
document does not state it):

    json/<year>.json                             the contract JSON of each edition (always written:
                                                 the dataset's record of its editions)
    <table>/report_year=<year>/part-0.parquet    parquet: hive partitions, one file per table and edition
    csv/<year>/<table>.csv, jsonl/<year>/<table>.jsonl, xlsx/<year>.xlsx
                                                 csv, jsonl, xlsx: one file (set) per edition
    report.duckdb                                duckdb: one database of every edition, each table led
                                                 by a report_year column (part of its primary key)
    manifest.json                                the run: tool, inputs, every file with its SHA-256

DuckDB (`read_parquet('<root>/schedule/*/*.parquet', hive_partitioning = true)`), Polars and pandas
read each Parquet table directory as one table with a `report_year` column. A run writes the
editions it parsed and keeps the other years' files; the database is rebuilt from every edition's
JSON. The directory is written as one set (writers/output_set.py): a reader sees all of a run's
editions or none.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from plan_etl.schemas import Report
from plan_etl.writers import REGISTRY
from plan_etl.writers.output_set import write_set

PARTITION = "report_year"
UNKNOWN_YEAR = "__HIVE_DEFAULT_PARTITION__"
"""The partition of a report whose fiscal year the document does not state (hive's null)."""


def year_name(report: Report) -> str:
    """The edition's name in paths: its report year, or hive's null."""
    year = report.document.report_fiscal_year
    return str(year) if year is not None else UNKNOWN_YEAR


def partition_name(report: Report) -> str:
    return f"{PARTITION}={year_name(report)}"


def write_edition(report: Report, root: Path, formats: Iterable[str], raw_csv: bool = False) -> list[Path]:
    """Write (or replace) one edition's files of the chosen formats under `root` (DuckDB apart:
    it holds every edition); return the paths."""
    formats = set(formats)
    year = year_name(report)
    _drop_edition(root, year)
    paths: list[Path] = []
    for name, fmt in REGISTRY.items():
        if fmt.edition is None or (name not in formats and name != "json"):  # json: the dataset's record
            continue
        if fmt.edition:
            paths += fmt.write(report, root / fmt.edition.format(year=year), raw_csv)
        else:
            from plan_etl.writers.parquet import write_partition

            paths += write_partition(report, root, partition_name(report))
    return paths


def write_editions(
    reports: list[Report],
    root: str | Path,
    formats: Iterable[str] = ("json", "parquet"),
    raw_csv: bool = False,
    started: datetime | None = None,
    inputs: Iterable[Path] = (),
) -> list[Path]:
    """Write the editions into the dataset at `root` as one set (the dataset's other editions
    linked over) with its manifest; return the paths written."""
    formats = list(formats)

    def write(staging: Path) -> list[Path]:
        from plan_etl.writers.manifest import write_dataset_manifest

        paths = [p for report in reports for p in write_edition(report, staging, formats, raw_csv)]
        if "duckdb" in formats or (staging / "report.duckdb").exists():  # never left behind the editions
            from plan_etl.writers.duckdb import edition_tables, write_tables

            every = [
                Report.model_validate_json(p.read_bytes()) for p in sorted((staging / "json").glob("*.json"))
            ]
            paths.append(write_tables(edition_tables(every), staging / "report.duckdb"))
        paths.append(write_dataset_manifest(staging, reports, list(inputs), started))
        return paths

    return write_set(root, write, dataset_file, carry_over=True)


def _drop_edition(root: Path, year: str) -> None:
    """Remove an edition's files of every format (carried over from an earlier run) before it is
    written again, so that none of them is left from the earlier parse."""
    import shutil

    from plan_etl.writers.tables import TABLES

    for path in (root / "json" / f"{year}.json", root / "xlsx" / f"{year}.xlsx"):
        path.unlink(missing_ok=True)
    for folder in (root / "csv" / year, root / "jsonl" / year):
        shutil.rmtree(folder, ignore_errors=True)
    for spec in TABLES:
        shutil.rmtree(root / spec.name / f"{PARTITION}={year}", ignore_errors=True)


def dataset_file(rel: Path) -> bool:
    """Whether a file of a dataset directory (path relative to it) is one a dataset run writes."""
    from plan_etl.writers.tables import TABLES

    parts = rel.parts
    tables = {t.name for t in TABLES}
    if len(parts) == 1:
        return parts[0] in ("report.duckdb", "report.duckdb.wal", "manifest.json")
    if parts[0] in ("json", "xlsx"):
        return len(parts) == 2 and rel.suffix == f".{parts[0]}"
    if parts[0] in ("csv", "jsonl"):
        return len(parts) == 3 and rel.suffix == f".{parts[0]}" and rel.stem in tables
    return (
        len(parts) == 3
        and parts[0] in tables
        and parts[1].startswith(f"{PARTITION}=")
        and parts[2] == "part-0.parquet"
    )
