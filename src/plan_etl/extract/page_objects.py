"""PDF pages as objects with their geometry: characters with boxes and ruling segments.

The one model every PDF engine gives (pypdfium2 for speed, pdfplumber selectable): the layout
readers above it see only these, so both engines give the same records. Coordinates are PDF points
from the page's top-left corner (as pdfplumber's `top`/`bottom`), y growing downwards.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Char:
    """One printed character and its box."""

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


@dataclass(frozen=True, slots=True)
class Page:
    """One page: its number (1-based), size, characters in content order and ruling segments."""

    number: int
    width: float
    height: float
    chars: tuple[Char, ...]
    segments: tuple[Segment, ...]
