"""Where each field of a record read from a PDF was printed: its source lines' boxes, one box per
page (a field continued over a page break has two)."""

from __future__ import annotations

from collections.abc import Iterable

from plan_etl.extract.base import SourceDocument
from plan_etl.schemas import Box, Initiative


def boxes_of(doc: SourceDocument, lines: Iterable[int]) -> list[Box]:
    """The box around the given source lines on each page they were printed on, in page order."""
    pages: dict[int, list[float]] = {}
    for no in lines:
        b = doc.box_of(no)
        if b is None:
            continue
        page, x0, top, x1, bottom = b
        have = pages.get(page)
        pages[page] = (
            [x0, top, x1, bottom]
            if have is None
            else [min(have[0], x0), min(have[1], top), max(have[2], x1), max(have[3], bottom)]
        )
    return [
        Box(page=p, x0=round(v[0], 2), top=round(v[1], 2), x1=round(v[2], 2), bottom=round(v[3], 2))
        for p, v in sorted(pages.items())
    ]


def add_provenance(doc: SourceDocument, initiatives: Iterable[Initiative]) -> None:
    """Fill each record's and schedule row's provenance from its source lines (PDF input only)."""
    if not doc.boxes:
        return
    for rec in initiatives:
        rec.provenance = {
            field: bs for field, lines in rec.source_lines.items() if (bs := boxes_of(doc, lines))
        }
        for row in rec.schedule:
            row.provenance = boxes_of(doc, row.source_lines)
