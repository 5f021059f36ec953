"""PDF pages as objects with their geometry: characters with boxes and ruling segments.

The one model every PDF engine gives (pypdfium2 for speed, pdfplumber selectable): the layout
readers above it see only these, so both engines give the same records. Coordinates are PDF points
from the page's top-left corner (as pdfplumber's `top`/`bottom`), y growing downwards.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class Char:
    """One printed character and its box. Not frozen (treat it as read-only): a page has tens of
    thousands, and a frozen dataclass is four times slower to make."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float = 0.0
    """The font size in points (0 when the engine does not tell)."""


@dataclass(frozen=True, slots=True)
class Segment:
    """A ruling segment: a drawn line, or one edge of a drawn rectangle. A horizontal one has
    top == bottom (within the rule's width), a vertical one x0 == x1."""

    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def horizontal(self) -> bool:
        return (self.x1 - self.x0) >= (self.bottom - self.top)


RULE_WIDTH = 2.0
"""A rectangle that is only filled is a rule when it is at most this thick (pt): browsers and office
suites draw cell borders as thin filled rectangles. A thicker filled rectangle is a cell's
background (a shaded label or header cell): its edges are no rules, else a shaded cell's edge
would cut a column or a row where the table has none."""


def is_background(x0: float, top: float, x1: float, bottom: float) -> bool:
    """Whether a filled, unstroked rectangle is a cell background rather than a rule."""
    return min(abs(x1 - x0), abs(bottom - top)) > RULE_WIDTH


@dataclass(frozen=True, slots=True)
class Page:
    """One page: its number (1-based), size, characters in content order, ruling segments and cell
    backgrounds."""

    number: int
    width: float
    height: float
    chars: tuple[Char, ...]
    segments: tuple[Segment, ...]
    fills: tuple[Segment, ...] = ()
    """Cell backgrounds: filled rectangles thicker than a rule (each as its box, x0 < x1, top <
    bottom). No rules; a background bounds its own cell, so text on it and text beside it with a
    gap between are two runs (a goal's badge set against its name)."""
