"""Table of contents (取組み項目一覧): one TocEntry per listed item.

Output: ``list[TocEntry]`` in print order, each with
``item_id`` (ASCII, ``1-8``), ``id_raw`` (as printed, ``1-８``), ``title`` (as printed, wraps joined,
outer whitespace stripped), ``page`` (the printed ``P.`` number), ``goal`` (the 到達点 heading the entry
sits under) and ``line`` (source line of the entry's first line).

The list is printed as::

    到達点２　区民目線からのサービス利便性の向上
    2-1 「待たない窓口」の実現 P.28
    2‐25 オープンデータの推進 P.41

Page headers repeated on each page (``Ⅲ プランの取組み`` / ``１．取組み項目一覧``) and lone page numbers
are skipped; the list ends at the first other line once entries have been seen.
"""

from __future__ import annotations

from collections.abc import Sequence

import regex

from plan_etl.extract.base import Line
from plan_etl.form.ids import ID_PATTERN, parse_item_id, to_ascii_digits
from plan_etl.form.words import DIGIT, GOAL_HEADING, PAGE_NUMBER, PAGE_REF, TOC_HEADING
from plan_etl.parsers import layout
from plan_etl.schemas.records import Issue, IssueCode, TocEntry

_ID_START = regex.compile(rf"^\s*(?P<id>{ID_PATTERN})(?!{DIGIT})\s*(?P<rest>.*)$")
_PAGE_END = regex.compile(rf"^(?P<title>.*?)\s*{PAGE_REF}\s*$")
_GOAL_HEADING = regex.compile(rf"^\s*{GOAL_HEADING}\s*$")
_PAGE_NUMBER = regex.compile(rf"^\s*{PAGE_NUMBER}\s*$")
_MAX_WRAP = 3
"""How many extra lines an entry may wrap onto before its ``P.`` number."""


def _is_page_furniture(text: str) -> bool:
    """Repeated page headers and page numbers, which may interrupt the list: each the whole line."""
    return bool(_PAGE_NUMBER.match(text) or layout.is_section_header(text) or layout.is_toc_heading(text))


def _is_entry(text: str) -> bool:
    """A complete one-line entry: an id, a title and a P. number."""
    m = _ID_START.match(text)
    return bool(m and _PAGE_END.match(m["rest"]))


def _start_index(lines: Sequence[Line]) -> int:
    """Index just after the list's heading, or 0 when the caller passed the list (or part of it) alone.

    The heading is repeated on every page of the list, so entries above its first occurrence mean
    the input starts mid-list.
    """
    first = next((i for i, ln in enumerate(lines) if TOC_HEADING in ln.text), None)
    if first is None or any(_is_entry(ln.text.strip()) for ln in lines[:first]):
        return 0
    return first + 1


def parse_toc(lines: Sequence[Line], issues: list[Issue] | None = None) -> list[TocEntry]:
    """Parse the 取組み項目一覧 from the document's lines (or a slice holding the list).

    The goal of an entry is the 到達点 heading above it, because that is how the report groups items;
    it is cross-checked with the id's first number and a mismatch is reported in ``issues``.
    """
    notes: list[Issue] = issues if issues is not None else []
    entries: list[TocEntry] = []
    seen: dict[str, int] = {}
    goal: int | None = None
    i = _start_index(lines)
    while i < len(lines):
        ln = lines[i]
        text = ln.text.strip()
        i += 1
        if not text:
            continue
        heading = _GOAL_HEADING.match(text)
        if heading:
            goal = int(to_ascii_digits(heading["goal"]))
            continue
        start = _ID_START.match(text)
        if start is None:
            if _is_page_furniture(text):
                continue
            if entries:
                break  # first line that is no part of the list: the list is over
            continue
        # the entry, possibly wrapped onto following lines until its P. number
        body, used = start["rest"], [ln.no]
        end = _PAGE_END.match(body)
        j = i
        while end is None and j < len(lines) and len(used) <= _MAX_WRAP:
            nxt = lines[j].text.strip()
            if nxt and (_ID_START.match(nxt) or _GOAL_HEADING.match(nxt) or _is_page_furniture(nxt)):
                break
            j += 1
            if nxt:
                body += nxt
                used.append(lines[j - 1].no)
                end = _PAGE_END.match(body)
        if end is None:
            notes.append(
                Issue.warning(IssueCode.toc_no_page, f"TOC entry without P. number: {text!r}", lines=used)
            )
            continue
        i = j  # continue after the lines the entry used
        id_raw = start["id"]
        parsed = parse_item_id(id_raw)
        if parsed is None:  # pragma: no cover - _ID_START only matches ids
            continue
        item_id, id_goal, _part = parsed
        if goal is None:
            notes.append(
                Issue.warning(
                    IssueCode.toc_no_goal_heading,
                    f"{item_id} listed before any 到達点 heading; goal taken from its id",
                    item_id=item_id,
                    lines=[ln.no],
                )
            )
            entry_goal = id_goal
        else:
            entry_goal = goal
            if id_goal != goal:
                notes.append(
                    Issue.warning(
                        IssueCode.toc_goal_mismatch,
                        f"{item_id} listed under 到達点{goal} but its id says {id_goal}",
                        item_id=item_id,
                        lines=[ln.no],
                    )
                )
        if item_id in seen:
            notes.append(
                Issue.warning(
                    IssueCode.duplicate_toc_item,
                    f"{item_id} listed twice in the TOC",
                    item_id=item_id,
                    lines=[seen[item_id], ln.no],
                )
            )
        seen.setdefault(item_id, ln.no)
        entries.append(
            TocEntry(
                item_id=item_id,
                id_raw=id_raw.strip(),
                title=end["title"].strip(),
                page=int(to_ascii_digits(end["page"])),
                goal=entry_goal,
                line=ln.no,
            )
        )
    return entries
