"""The run's own metadata, kept out of the data files so those stay byte-identical run to run:
tool version, input and its hash, start and end times, and each written file with its SHA-256."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

from plan_etl.schemas import Report
from plan_etl.version import __version__
from plan_etl.writers.atomic import atomic_write

MANIFEST = "manifest.json"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_dataset_manifest(
    root: Path, reports: list[Report], inputs: list[Path], started: datetime | None
) -> Path:
    """Write `root/manifest.json` of a dataset run: the editions it wrote (year, input file and its
    hash), and every file of the dataset (those of earlier runs' editions included) with its SHA-256."""
    doc = {
        "tool": "plan-etl",
        "version": __version__,
        "editions": [
            {
                "report_year": r.document.report_fiscal_year,
                "file": r.document.source_file,
                "sha256": r.document.source_sha256,
            }
            for r in reports
        ],
        "inputs": [str(p) for p in inputs],
        "started_at": (started or datetime.now(UTC)).isoformat(timespec="seconds"),
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "files": {
            str(p.relative_to(root)): _sha256(p)
            for p in sorted(root.rglob("*"))
            if p.is_file() and p.name != MANIFEST and not p.name.startswith(".")
        },
    }
    text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    return atomic_write(root / MANIFEST, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def write_manifest(report: Report, out_dir: Path, files: list[Path], started: datetime) -> Path:
    """Write `out_dir/manifest.json` (atomically, after every data file)."""
    doc = {
        "tool": "plan-etl",
        "version": __version__,
        "input": {"file": report.document.source_file, "sha256": report.document.source_sha256},
        "started_at": started.isoformat(timespec="seconds"),
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "files": {str(p.relative_to(out_dir)): _sha256(p) for p in sorted(files)},
    }
    text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    return atomic_write(out_dir / MANIFEST, lambda tmp: tmp.write_text(text, encoding="utf-8"))
