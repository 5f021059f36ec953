"""Extractors: turn an input file into numbered source lines (document -> pages -> lines)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from plan_etl.errors import InputError, LimitError
from plan_etl.extract.base import SourceDocument
from plan_etl.limits import DEFAULT_LIMITS, Limits, MiB

if TYPE_CHECKING:
    from plan_etl.extract.pdf_layout import ReaderSettings

PDF_MAGIC = b"%PDF-"
_SNIFF = 1024
"""How much of a file's head (and tail) tells its kind: PDF readers look for the header within the
first kilobyte, and for the trailer (`startxref`, `%%EOF`) within the last."""


def is_pdf(head: bytes, tail: bytes = b"") -> bool:
    """A PDF by its structure: the %PDF- header at the file's start (after whitespace), or at the
    start of a line within the first kilobyte (some writers pad it) when the file also ends in a
    PDF trailer. Text that merely mentions `%PDF-` (a file name in a report) is text."""
    head = head[:_SNIFF]
    if head.lstrip(b"\x00\t\n\r\f ").startswith(PDF_MAGIC):
        return True
    at_line_start = any(line.startswith(PDF_MAGIC) for line in head.replace(b"\r", b"\n").split(b"\n"))
    return at_line_start and (b"startxref" in tail or b"%%EOF" in tail)


def sniff_pdf(path: Path) -> bool:
    """Whether the file is a PDF (see `is_pdf`), from its first and last kilobyte; InputError (one
    line) when it cannot be read."""
    try:
        with path.open("rb") as f:
            head = f.read(_SNIFF)
            size = f.seek(0, 2)
            f.seek(max(0, size - _SNIFF))
            tail = f.read(_SNIFF)
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    return is_pdf(head, tail)


def check_size(path: Path, limits: Limits) -> None:
    """LimitError for a file larger than `limits.max_file_mb` (before it is read); InputError (one
    line) when it cannot be looked at."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    if limits.max_file_mb and size > limits.max_file_mb * MiB:
        limit = f"{limits.max_file_mb} MiB"
        raise LimitError(path, f"{size / MiB:.0f} MiB", limit, limits.option("max_file_mb"))


def read_document(
    path: Path,
    workers: int | None = None,
    engine: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    reader: ReaderSettings | None = None,
) -> SourceDocument:
    """Extract a report file; PDF or text is told from the file's bytes, not its name. `engine`
    reads a PDF's characters and rules (see `engines.ENGINES`; default pdfium) and `reader` holds
    the PDF layout reader's tolerances (`pdf_layout.ReaderSettings`); `limits` bound what the file
    may cost (LimitError, one line, naming the limit and its option)."""
    check_size(path, limits)
    if sniff_pdf(path):
        from plan_etl.extract.engines import DEFAULT_ENGINE
        from plan_etl.extract.pdf import read_pdf_document
        from plan_etl.extract.pdf_layout import DEFAULT_SETTINGS

        return read_pdf_document(path, workers, engine or DEFAULT_ENGINE, limits, reader or DEFAULT_SETTINGS)
    from plan_etl.extract.text import read_text_document

    return read_text_document(path)
