"""The contract JSON document (CONTRACT.md): the Report's pydantic dump, UTF-8, indent 2."""

from __future__ import annotations

from pathlib import Path

from plan_etl.schemas import Report
from plan_etl.writers.atomic import atomic_write


def report_to_json(report: Report) -> str:
    """Serialise a Report: keys in model field order, year maps in R6..R9 order (the model's
    serializer), real characters, indent 2."""
    return report.model_dump_json(indent=2) + "\n"


def write_json(report: Report, path: str | Path) -> Path:
    """Write the Report's contract JSON to `path` atomically."""
    text = report_to_json(report)
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
