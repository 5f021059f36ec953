"""Text extractor: a report already converted to text by a PDF tool."""

from __future__ import annotations

import hashlib
from pathlib import Path

from plan_etl.errors import InputError
from plan_etl.extract.base import Line, SourceDocument
from plan_etl.form.characters import canonical


def lines_from_text(text: str) -> tuple[Line, ...]:
    """Number the lines of a text from 1, as an editor shows them, in the canonical characters
    (`plan_etl.form.characters`)."""
    return tuple(Line(i, canonical(t)) for i, t in enumerate(text.split("\n"), 1))


def decode_report(raw: bytes, name: str) -> str:
    """Text from the bytes: UTF-8 (with or without BOM), UTF-16 (BOM, or NUL-interleaved), or
    Shift_JIS/CP932 as Japanese offices often save it. InputError for anything else."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode(raw, "utf-16", name)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    sample = raw[:4096]
    if b"\x00" in sample:
        # UTF-16 without a BOM: one of the two byte orders reads as plain text
        for encoding in ("utf-16-le", "utf-16-be"):
            if _reads_as_text(sample[: len(sample) // 2 * 2], encoding):
                return _decode(raw, encoding, name)
        raise InputError(f"{name} is binary data, not a text report")
    return _decode(raw, "cp932", name)


def _reads_as_text(sample: bytes, encoding: str) -> bool:
    """Nearly every character printable or a line break (the sample may end mid-character)."""
    text = sample.decode(encoding, errors="replace")
    good = sum(c.isprintable() or c in "\r\n\t" for c in text)
    return bool(text) and good >= 0.98 * len(text)


def _decode(raw: bytes, encoding: str, name: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        raise InputError(f"{name} is neither UTF-8, UTF-16 nor Shift_JIS text") from None


def read_text_document(path: Path) -> SourceDocument:
    """Read a text report in any encoding decode_report knows; InputError (one line) when unusable."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    text = decode_report(raw, str(path))
    if not text.strip():
        raise InputError(f"{path} is empty")
    return SourceDocument(
        lines=lines_from_text(text.replace("\r\n", "\n").replace("\r", "\n")),
        source_file=path.name,
        source_sha256=hashlib.sha256(raw).hexdigest(),
    )
