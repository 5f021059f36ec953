"""Line-level vocabulary of the initiative pages: what kind of line each source line is.

Each non-blank line of the initiative section gets one `Kind`:
page furniture (page header, page number, goal section intro), an item header line,
a field label (取組み内容 / 目指すべき効果・成果 / R6実績 / 年次別計画 R6 R7 R8 R9), or text.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import regex

from plan_etl.extract.base import Line
from plan_etl.form.ids import ID_PATTERN
from plan_etl.form.words import (
    CONTENT,
    DEPARTMENTS,
    EFFECTS,
    GOAL_NAME,
    ITEM,
    PAGE_HEADER,
    PAGE_NUMBER,
    REIWA,
    RESULTS_LABEL,
    SCHEDULE,
    SECTION_HEADER,
    TOC_HEADING_LINE,
)


class Kind(StrEnum):
    PAGE_HEADER = "page_header"
    PAGE_NUMBER = "page_number"
    SECTION_INTRO = "section_intro"
    COLUMN_HEADER = "column_header"
    ITEM = "item"
    CONTENT = "content"
    EFFECTS = "effects"
    RESULTS = "results"
    SCHEDULE = "schedule"
    TEXT = "text"


FIELD_LABELS = (Kind.CONTENT, Kind.EFFECTS, Kind.RESULTS, Kind.SCHEDULE)

_PAGE_HEADER = regex.compile(rf"^{PAGE_HEADER}$")
_GOAL_LINE = regex.compile(rf"^{GOAL_NAME}$")
_SECTION_HEADER = regex.compile(rf"^{SECTION_HEADER}$")
_TOC_HEADING = regex.compile(rf"^{TOC_HEADING_LINE}$")
_PAGE_NUMBER = regex.compile(rf"^{PAGE_NUMBER}$")
# an item header: 「項目 1-4 …」, or an id with a title and 所管部 (the 項目 cell printed apart)
ITEM_START = regex.compile(rf"{ITEM}\s*(?P<id>{ID_PATTERN})|^(?P<id>{ID_PATTERN})\s+\S.*{DEPARTMENTS}")
_RESULTS = regex.compile(rf"^{RESULTS_LABEL}$")
_SCHEDULE = regex.compile(rf"^(?:{SCHEDULE}(?:\s+{REIWA})*|(?:{REIWA}\s*){{3,}})$")
_SCHEDULE_TAIL = regex.compile(rf"^(?:{REIWA}\s*){{1,2}}$")
_BARE_ID = regex.compile(ID_PATTERN)
_GLUED_RESULTS = regex.compile(rf"(?<=^|\s){RESULTS_LABEL}(?=\s|$)")


@dataclass(frozen=True)
class ProseSettings:
    """The widths (display columns: a full-width character is 2) that tell paragraph text from
    schedule cells, as pdfplumber's TableSettings hold a table finder's tolerances."""

    wide: int = 44
    """A line at least this wide that is not a row of cells is paragraph text."""
    pair_cell: int = 14
    """Two space-separated parts, each at most this wide, are two cells printed on one line."""
    many_cell: int = 20
    """Three parts or more of which three are at most this wide are cells printed on one line."""
    sentence: int = 16
    """A line at least this wide ending in 。 is a one-line paragraph."""


DEFAULT_PROSE = ProseSettings()


@functools.lru_cache(maxsize=65536)
def width(text: str) -> int:
    """Display width: full-width characters count 2, as they take two columns on the page."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text.strip())


def goal_of_line(text: str) -> int | None:
    """The goal number of a 「到達点N name」 line (the whole line), else None."""
    m = _GOAL_LINE.match(text.strip())
    return int(unicodedata.normalize("NFKC", m["n"])) if m else None


def is_page_header(text: str) -> bool:
    s = text.strip()
    return bool(_PAGE_HEADER.match(s)) or goal_of_line(s) is not None


def is_section_header(text: str) -> bool:
    """A 「Ⅱ …」 part heading repeated at the head of its pages (the whole line)."""
    return bool(_SECTION_HEADER.match(text.strip()))


def is_toc_heading(text: str) -> bool:
    """The contents list's heading 「１．取組み項目一覧」 (the whole line), repeated on its pages."""
    return bool(_TOC_HEADING.match(text.strip()))


def is_page_number(text: str) -> bool:
    return bool(_PAGE_NUMBER.match(text.strip()))


def is_results_label(text: str) -> bool:
    return bool(_RESULTS.match(text.strip()))


def is_schedule_label(text: str) -> bool:
    return bool(_SCHEDULE.match(text.strip()))


def is_schedule_tail(text: str) -> bool:
    """The year columns of a 年次別計画 header printed apart from it (「R8 R9」)."""
    return bool(_SCHEDULE_TAIL.match(text.strip()))


def split_glued_labels(lines: Sequence[Line]) -> list[Line]:
    """Split 「取組み R6実績」 or 「R6実績 本文…」 into separate lines (same line number), and read an id
    printed on its own under a 「項目」 line as 「項目 {id}」."""
    out: list[Line] = []
    for line in lines:
        text = line.text.strip()
        if out and out[-1].text.strip() == ITEM and _BARE_ID.fullmatch(text):
            out.append(Line(line.no, f"{ITEM} {text}"))
            continue
        m = _GLUED_RESULTS.search(text)
        if m is None or m.group() == text:
            out.append(line)
            continue
        for piece in (text[: m.start()], m.group(), text[m.end() :]):
            if piece.strip():
                out.append(Line(line.no, piece.strip()))
    return out


def label_kind(text: str, next_text: str | None) -> tuple[Kind, int] | None:
    """The field label starting at this line and how many lines it spans, else None."""
    s = text.strip()
    nxt = (next_text or "").strip()
    for kind, label in ((Kind.CONTENT, CONTENT), (Kind.EFFECTS, EFFECTS)):
        if s == label:
            return kind, 1
        if s and label.startswith(s) and s + nxt == label:
            return kind, 2  # the label cell wrapped: 取組み／内容, 目指すべき効果・／成果
    if is_results_label(s):
        return Kind.RESULTS, 1
    if is_schedule_label(s):
        return Kind.SCHEDULE, 1
    return None
