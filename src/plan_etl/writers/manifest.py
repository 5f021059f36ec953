"""The run's own metadata, kept out of the data files so those stay byte-identical run to run:
tool version, input and its hash, start and end times, and each written file with its SHA-256."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

from plan_etl import __version__
from plan_etl.schemas import Report
from plan_etl.writers.atomic import atomic_write

MANIFEST = "manifest.json"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


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
