"""JSON Lines, one file per table: one JSON object per row, lists kept as arrays."""

from __future__ import annotations

import json
from pathlib import Path

from plan_etl.schemas import Report
from plan_etl.writers.atomic import atomic_write
from plan_etl.writers.flat import specs, table_rows


def write_jsonl(report: Report, out_dir: str | Path) -> list[Path]:
    """Write `out_dir/<table>.jsonl` for every table, each atomically."""
    out_dir = Path(out_dir)
    paths = []
    for spec in specs():
        text = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in table_rows(spec, report))
        paths.append(
            atomic_write(out_dir / f"{spec.name}.jsonl", lambda tmp, t=text: tmp.write_text(t, "utf-8"))
        )
    return paths
