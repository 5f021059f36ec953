"""Extractors: turn an input file into numbered source lines (document -> pages -> lines)."""

from pathlib import Path

from plan_etl.errors import InputError
from plan_etl.extract.base import SourceDocument

PDF_MAGIC = b"%PDF-"


def is_pdf(raw: bytes) -> bool:
    """A PDF by its bytes: the %PDF- header within the first kilobyte (some writers pad it)."""
    return PDF_MAGIC in raw[:1024]


def read_document(path: Path, workers: int | None = None, engine: str | None = None) -> SourceDocument:
    """Extract a report file; PDF or text is told from the file's bytes, not its name. `engine`
    reads a PDF's characters and rules (see `engines.ENGINES`; default pdfium)."""
    try:
        with path.open("rb") as f:
            head = f.read(1024)
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    if is_pdf(head):
        from plan_etl.extract.engines import DEFAULT_ENGINE
        from plan_etl.extract.pdf import read_pdf_document

        return read_pdf_document(path, workers, engine or DEFAULT_ENGINE)
    from plan_etl.extract.text import read_text_document

    return read_text_document(path)
