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
    boxes: tuple[tuple[int, float, float, float, float] | None, ...] = ()
    """Where each line was printed, by line (boxes[no - 1]): page (from 1), x0, top, x1, bottom in
    points from the page's top-left; empty for text input, None for a line with no one place."""

    def box_of(self, no: int) -> tuple[int, float, float, float, float] | None:
        return self.boxes[no - 1] if 0 < no <= len(self.boxes) else None

    def nonblank(self) -> list[Line]:
        return [ln for ln in self.lines if ln.text.strip()]
