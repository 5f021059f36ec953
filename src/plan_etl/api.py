"""Library API under the CLI: one report file in, one Report out."""

from __future__ import annotations

from pathlib import Path

from plan_etl.extract.base import SourceDocument
from plan_etl.extract.text import read_text_document
from plan_etl.schemas import Report


def parse_document(doc: SourceDocument) -> Report:
    """Parse an extracted document into a Report (pure: no I/O)."""
    from plan_etl.parsers.report import parse_lines

    return parse_lines(doc)


def parse_report(path: str | Path) -> Report:
    """Read and parse one report file."""
    return parse_document(read_text_document(Path(path)))
