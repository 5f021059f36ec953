"""Text extractor: a report already converted to text by a PDF tool."""

from __future__ import annotations

import hashlib
from pathlib import Path

from plan_etl.errors import InputError
from plan_etl.extract.base import Line, SourceDocument


def lines_from_text(text: str) -> tuple[Line, ...]:
    """Number the lines of a text from 1, as an editor shows them."""
    return tuple(Line(i, t) for i, t in enumerate(text.split("\n"), 1))


def read_text_document(path: Path) -> SourceDocument:
    """Read a UTF-8 text report; raise InputError (one line) when it cannot be used."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{path} is not UTF-8 text") from None
    if not text.strip():
        raise InputError(f"{path} is empty")
    return SourceDocument(
        lines=lines_from_text(text.replace("\r\n", "\n").replace("\r", "\n")),
        source_file=path.name,
        source_sha256=hashlib.sha256(raw).hexdigest(),
    )
