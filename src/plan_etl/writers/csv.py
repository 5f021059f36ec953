"""CSV, one file per table, UTF-8 with a BOM so Excel opens the Japanese text correctly.

List cells (departments, phases, lines) are joined with 、; null is an empty field. A text cell that
opens with =, +, -, @, tab or CR gets a leading ' so that a spreadsheet shows it rather than runs it
as a formula (OWASP's advice on CSV injection); `raw=True` writes the text as it is.
"""

from __future__ import annotations

import csv
from pathlib import Path

from plan_etl.schemas import Report
from plan_etl.writers.atomic import atomic_write
from plan_etl.writers.flat import csv_value, specs, table_rows


def write_csv(report: Report, out_dir: str | Path, raw: bool = False) -> list[Path]:
    """Write `out_dir/<table>.csv` for every table, each atomically (text neutralised unless `raw`)."""
    out_dir = Path(out_dir)
    paths = []
    for spec in specs():
        rows = [{k: csv_value(v, raw) for k, v in row.items()} for row in table_rows(spec, report)]

        def write(tmp: Path, spec=spec, rows=rows) -> None:
            with tmp.open("w", encoding="utf-8-sig", newline="") as f:
                writer = csv.DictWriter(
                    f, fieldnames=[fld.name for fld in spec.fields], lineterminator="\r\n"
                )
                writer.writeheader()
                writer.writerows(rows)

        paths.append(atomic_write(out_dir / f"{spec.name}.csv", write))
    return paths
