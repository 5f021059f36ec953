"""The 項目 / 所管部 header cells of an initiative table: id, title and departments.

A header is printed on one line (`項目 1-1 広報・広聴機能の強化 所管部 政策経営部`) or spread over
several (`項目 1-4` / title lines / `所管部` / one department a line); the text tool may also glue the
previous header's departments before it (`所管部 環境政策部 項目 1-17 …`) or print the 項目 cell apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import regex

from plan_etl.extract.base import Line
from plan_etl.form.ids import parse_item_id
from plan_etl.form.words import DEPARTMENT_NAME, DEPARTMENTS, ITEM
from plan_etl.parsers.layout import DEFAULT_PROSE, ITEM_START, ProseSettings, width

_DEPT_SPLIT = regex.compile(r"[、，,\s]+")
_DEPT = regex.compile(DEPARTMENT_NAME)
_MARK = DEPARTMENTS
_ITEM_CELL = ITEM


@dataclass
class ItemHeader:
    """One parsed header: ids, title, departments and the indexes of the lines it was read from."""

    id_raw: str
    item_id: str
    goal: int
    part: int | None
    title_parts: list[str] = field(default_factory=list)
    dept_text: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    seen_mark: bool = False

    @property
    def title(self) -> str:
        return "".join(p.strip() for p in self.title_parts).strip()

    @property
    def departments(self) -> list[str]:
        return split_departments("".join(self.dept_text))


def split_departments(text: str) -> list[str]:
    """`政策経営部、施設営繕担当部` or `地域行政部 各総合支所` -> one name each."""
    return [d for d in _DEPT_SPLIT.split(text.strip()) if d]


def looks_like_departments(text: str) -> bool:
    """A line holding only department names (or the wrapped start of one after 、)."""
    parts = [p for p in _DEPT_SPLIT.split(text.strip()) if p]
    if not parts:
        return False
    whole = [p for p in parts[:-1] if _DEPT.match(p)]
    last_ok = _DEPT.match(parts[-1]) is not None or text.rstrip()[-1:] in "、，"
    return len(whole) == len(parts) - 1 and last_ok


def split_header_line(text: str) -> tuple[str, str] | None:
    """Split a line at an item id that starts a header: (text before it, the header part)."""
    m = ITEM_START.search(text)
    if not m:
        return None
    return text[: m.start()], text[m.start() :]


def parse_headers(
    lines: Sequence[Line], candidates: Sequence[int], stops: set[int], s: ProseSettings = DEFAULT_PROSE
) -> list[ItemHeader]:
    """Read every header starting on a candidate line; `stops` are indexes that end a header; a
    title line is narrower than `s.wide` (a wider one is paragraph text)."""
    headers: list[ItemHeader] = []
    for start in candidates:
        split = split_header_line(lines[start].text.strip())
        if split is None:
            continue
        before, rest = split
        if before.strip() and headers:
            _feed(headers[-1], before, start, s.wide)
        m = ITEM_START.match(rest)
        assert m is not None
        parsed = parse_item_id(m["id"])
        if parsed is None:
            continue
        item_id, goal, part = parsed
        header = ItemHeader(id_raw=m["id"].strip(), item_id=item_id, goal=goal, part=part, lines=[start])
        _feed(header, rest[m.end("id") :], start, s.wide)
        i = start + 1
        while i < len(lines) and i not in stops and _feed(header, lines[i].text.strip(), i, s.wide):
            i += 1
        if i < len(lines) and lines[i].text.strip() == _ITEM_CELL and _ITEM_CELL not in rest:
            header.lines.append(i)  # the 項目 cell printed apart, after the departments
        headers.append(header)
    return headers


def _feed(header: ItemHeader, text: str, index: int, wide: int) -> bool:
    """Add a line's text to a header being read; False when the line is not part of it."""
    if split_header_line(text) is not None:
        return False
    same_line = header.lines[-1] == index
    if not header.seen_mark:
        if _MARK in text:
            title, _, depts = text.partition(_MARK)
            header.title_parts.append(title)
            header.dept_text.append(depts)
            header.seen_mark = True
        elif same_line or width(text) < wide:
            header.title_parts.append(text)
        else:
            return False
    elif same_line:
        header.dept_text.append(" " + text)
    elif _continues_department(header, text):
        header.dept_text.append(text.strip())
    elif looks_like_departments(text):
        header.dept_text.append(" " + text.strip())
    else:
        return False
    if not same_line:
        header.lines.append(index)
    return True


def _continues_department(header: ItemHeader, text: str) -> bool:
    """A department name wrapped across lines: the last piece so far is not a whole name."""
    joined = "".join(header.dept_text).rstrip()
    if not joined:
        return False
    last = _DEPT_SPLIT.split(joined)[-1]
    return bool(last) and not _DEPT.match(last) and looks_like_departments(last + text.strip())
