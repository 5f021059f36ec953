"""The contract JSON document (CONTRACT.md): the Report's pydantic dump, UTF-8, indent 2."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from plan_etl.schemas import YEARS, Report
from plan_etl.writers.atomic import atomic_write


def _order_year_maps(value: Any) -> Any:
    """Put the keys of per-year maps (cells, phases) in plan order R6..R9, wherever they occur."""
    if isinstance(value, dict):
        if value and all(k in YEARS for k in value):
            return {k: _order_year_maps(value[k]) for k in YEARS if k in value}
        return {k: _order_year_maps(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_order_year_maps(v) for v in value]
    return value


def report_to_json(report: Report) -> str:
    """Serialise a Report: keys in model field order, year maps in R6..R9 order, real characters."""
    data = _order_year_maps(report.model_dump(mode="json"))
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def write_json(report: Report, path: str | Path) -> Path:
    """Write the Report's contract JSON to `path` atomically."""
    text = report_to_json(report)
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
