"""The one interface every extractor provides: the document as numbered lines."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Line:
    """One source line: its 1-based number in the extracted text and its text."""

    no: int
    text: str


@dataclass(frozen=True, slots=True)
class SourceDocument:
    """An extracted document: its lines (blank ones included) and where it came from."""

    lines: tuple[Line, ...]
    source_file: str
    source_sha256: str
    ordered: bool = False
    """True when the extractor read each table's cells apart (PDF tables): a field's text is every
    line after its label, and a schedule row is one line of tab-separated cells."""

    def nonblank(self) -> list[Line]:
        return [ln for ln in self.lines if ln.text.strip()]
