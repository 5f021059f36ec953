"""The one interface every extractor provides: the document as numbered lines."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Line:
    """One source line: its 1-based number in the extracted text and its text."""

    no: int
    text: str


@dataclass(frozen=True)
class TableLines:
    """One initiative table as an extractor read it (a PDF's table, cell by cell): the numbers of
    the source lines of its header, of each field's label and text, and of its schedule rows, each
    row read cell by cell handed on as its cells. The parsers take the table as it is, guessing
    nothing."""

    header: tuple[int, ...]
    labels: Mapping[str, int] = field(default_factory=dict)
    """content, schedule, effects, results -> the line of the field's label."""
    fields: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    """content, effects, results -> the lines of the field's text."""
    rows: tuple[int, ...] = ()
    """The schedule's lines: a row each when read cell by cell, else text for the row cut."""
    doubts: Mapping[int, str] = field(default_factory=dict)
    """Rows read cell by cell whose geometry does not decide them: line -> why (withheld)."""
    cells: Mapping[int, tuple[str, ...]] = field(default_factory=dict)
    """Rows read cell by cell: line -> its cells (label, then one per plan year). The line's text
    shows them joined; the parsers read the cells, never the text."""


ENGINES = ("pdfium", "pdfplumber")
"""The PDF engines (`extract/engines.py`): pypdfium2, or pdfplumber (pdfminer.six)."""
DEFAULT_ENGINE = "pdfium"

REPLACEMENT = "\ufffd"
"""What a code unit no text can hold (a lone surrogate from a damaged content stream) becomes."""


def repaired(text: str) -> tuple[str, int]:
    """`text` as text every writer can encode: UTF-16 surrogate pairs joined into their character,
    a lone surrogate replaced with U+FFFD; and how many were replaced."""
    try:
        text.encode("utf-8")
        return text, 0
    except UnicodeEncodeError:
        fixed = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
        return fixed, fixed.count(REPLACEMENT) - text.count(REPLACEMENT)


PAGE_BREAK_DOUBT = "the page break may split this row: the next page opens with its rest or a new row"
"""The doubt of the two rows either side of a page break in a table whose rows are not numbered
(one row split or two rows: the page looks the same); the parsers may join them on the cells' words."""


@dataclass(frozen=True, slots=True)
class SourceDocument:
    """An extracted document: its lines (blank ones included) and where it came from."""

    lines: tuple[Line, ...]
    source_file: str
    source_sha256: str
    tables: tuple[TableLines, ...] = ()
    """The initiative tables the extractor read as tables (a PDF's); empty for text, whose tables
    the parsers find."""
    boxes: tuple[tuple[int, float, float, float, float] | None, ...] = ()
    """Where each line was printed, by line (boxes[no - 1]): page (from 1), x0, top, x1, bottom in
    points from the page's top-left; empty for text input, None for a line with no one place."""
    replaced: tuple[tuple[int, int], ...] = ()
    """(line, count): lines that held code units no text can hold (a damaged content stream's lone
    surrogates), each now U+FFFD; the parse warns of them (`undecodable_text`)."""

    def box_of(self, no: int) -> tuple[int, float, float, float, float] | None:
        return self.boxes[no - 1] if 0 < no <= len(self.boxes) else None

    def nonblank(self) -> list[Line]:
        return [ln for ln in self.lines if ln.text.strip()]
