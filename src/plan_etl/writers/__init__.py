"""Writers: a parsed Report to files (contract JSON, Parquet tables, DuckDB, CSV, JSON Lines, Excel),
each written atomically. `REGISTRY` names every format once: its writer and where it writes, for a
single run and for an edition of a dataset; single runs, datasets and preloading all go by it."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from plan_etl.schemas import Report


@dataclass(frozen=True)
class Format:
    """One output format: its writer (`write_<name>` in `plan_etl.writers.<name>`) and its files."""

    name: str
    file: str
    """What a single run writes in the out-dir: a file name, or "" for one file per table."""
    edition: str | None
    """Where a dataset writes an edition of it under its root, ``{year}`` filled in (a file, or a
    folder of one file per table); "" for the writer's own layout (Parquet's partitions); None:
    written once for all editions (DuckDB)."""
    raw_option: bool = False
    """Whether the writer takes ``raw`` (CSV: text kept as it is, not guarded against formulas)."""

    @property
    def module(self) -> str:
        return f"plan_etl.writers.{self.name}"

    def write(self, report: Report, target: Path, raw_csv: bool = False) -> list[Path]:
        """Writes `report` to `target` (the file, or the folder of its files); the paths written."""
        writer = getattr(importlib.import_module(self.module), f"write_{self.name}")
        written = writer(report, target, raw=raw_csv) if self.raw_option else writer(report, target)
        return list(written) if isinstance(written, list) else [written]

    def write_single(self, report: Report, out_dir: Path, raw_csv: bool = False) -> list[Path]:
        """A single run's files of this format in `out_dir`."""
        return self.write(report, out_dir / self.file if self.file else out_dir, raw_csv)


REGISTRY: dict[str, Format] = {
    f.name: f
    for f in (
        Format("json", "report.json", "json/{year}.json"),
        Format("parquet", "", ""),
        Format("duckdb", "report.duckdb", None),
        Format("csv", "", "csv/{year}", raw_option=True),
        Format("jsonl", "", "jsonl/{year}"),
        Format("xlsx", "report.xlsx", "xlsx/{year}.xlsx"),
    )
}
"""Every output format, in the order `--format all` writes them."""

FORMATS: tuple[str, ...] = tuple(REGISTRY)
"""Output formats `plan-etl parse --format` accepts (`all` means every one)."""

DEFAULT_FORMATS: tuple[str, ...] = ("json", "parquet")
