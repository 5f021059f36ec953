"""Where every non-blank source line went: into a record's field, or a named role, or nowhere.

Roles for lines outside any field: page_header, page_number, section_intro (a goal's intro on the
initiative pages), field_label (取組み内容, 目指すべき効果・成果, R6実績, 年次別計画 …), column_header,
toc_heading, example_page (the how-to-read page and its sample item), duplicate_copy (a table
printed a second time). A line with neither is lost text (`unaccounted`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from plan_etl.extract.base import Line
from plan_etl.parsers import layout
from plan_etl.parsers.initiative.blocks import Segmentation
from plan_etl.parsers.layout import Kind
from plan_etl.schemas import Goal, Initiative, Section, TocEntry

_KIND_ROLE = {
    Kind.PAGE_HEADER: "page_header",
    Kind.PAGE_NUMBER: "page_number",
    Kind.SECTION_INTRO: "section_intro",
    Kind.COLUMN_HEADER: "column_header",
    Kind.CONTENT: "field_label",
    Kind.EFFECTS: "field_label",
    Kind.RESULTS: "field_label",
    Kind.SCHEDULE: "field_label",
}


def record_lines(
    initiatives: Iterable[Initiative],
    goals: Iterable[Goal],
    toc: Iterable[TocEntry],
    sections: Iterable[Section],
    skip: frozenset[str] = frozenset(),
) -> set[int]:
    """Every source line some record's field (but those named in `skip`) was read from."""
    out: set[int] = set()
    for rec in initiatives:
        for field, nos in rec.source_lines.items():
            if field not in skip:
                out.update(nos)
        for row in rec.schedule:
            out.update(row.source_lines)
    for g in goals:
        out.update(g.source_lines)
    out.update(t.line for t in toc)
    for s in sections:
        out.update(s.source_lines)
    return out


def account(
    lines: Sequence[Line],
    in_fields: set[int],
    seg: Segmentation,
    section_start: int,
    toc_end: int,
    duplicates: Iterable[Initiative],
    repeated: Iterable[int] = (),
) -> tuple[dict[str, list[int]], list[int]]:
    """Roles of the lines that are in no field, and the lines that are in neither (lost text).

    `section_start` is the index of the initiative section's first line and `toc_end` the index just
    after the table of contents: what lies between is the how-to-read example page.
    """
    roles: dict[int, str] = {}
    for ln, kind in zip(seg.lines, seg.kinds, strict=True):
        if kind in _KIND_ROLE:
            roles.setdefault(ln.no, _KIND_ROLE[kind])
    dup_lines = record_lines(duplicates, [], [], []) | set(repeated)
    for i, ln in enumerate(lines[:section_start]):
        text = ln.text.strip()
        if i >= toc_end:
            roles.setdefault(ln.no, "example_page")
        elif layout.is_page_number(text):
            roles.setdefault(ln.no, "page_number")
        elif layout.is_section_header(text):
            roles.setdefault(ln.no, "page_header")
        elif layout.is_toc_heading(text) or layout.goal_of_line(text) is not None:
            roles.setdefault(ln.no, "toc_heading")
    by_role: dict[str, list[int]] = {}
    lost: list[int] = []
    for ln in lines:
        if ln.no in in_fields:
            continue
        role = "duplicate_copy" if ln.no in dup_lines else roles.get(ln.no)
        if role is None:
            lost.append(ln.no)
        else:
            by_role.setdefault(role, []).append(ln.no)
    return by_role, lost
