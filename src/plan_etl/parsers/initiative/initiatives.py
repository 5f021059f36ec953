"""Initiative records from the initiative section (２．取組み項目) of a report.

Output: one `Initiative` per printed table (item_id, part, goal, title, departments, content,
schedule rows, effects, results_label, results, page, source_lines) plus warnings.
"""

from __future__ import annotations

from collections.abc import Sequence

import regex

from plan_etl.extract.base import Line, TableLines
from plan_etl.form.characters import squash
from plan_etl.form.words import PAGE_REF
from plan_etl.parsers.initiative.blocks import PROSE_FIELDS, Block, Segmentation, segment
from plan_etl.parsers.layout import DEFAULT_PROSE, Kind, ProseSettings
from plan_etl.parsers.text import join_wrapped
from plan_etl.parsers.yearly_plan.cut_model import CutSettings, default_settings
from plan_etl.parsers.yearly_plan.review import Decision
from plan_etl.parsers.yearly_plan.schedule_tables import TableInput, TableSchedule, parse_schedules
from plan_etl.schemas import Initiative, Issue, IssueCode

_EXAMPLE_END = regex.compile(r"表の見方")
_TOC_ENTRY = regex.compile(rf"{PAGE_REF}\s*$")


def toc_end(lines: Sequence[Line]) -> int:
    """Index just after the last table-of-contents entry (0 when there is none)."""
    return max((i + 1 for i, line in enumerate(lines) if _TOC_ENTRY.search(line.text)), default=0)


def initiative_section(lines: Sequence[Line]) -> int:
    """Index of the first line after the table of contents and the how-to-read example page."""
    start = toc_end(lines)
    for i in range(start, len(lines)):
        if _EXAMPLE_END.search(lines[i].text):
            return i + 1
    return start


def schedule_inputs(seg: Segmentation) -> list[TableInput]:
    """Each table's 年次別計画 material (its loose lines) and its own prose, for the schedule stage."""
    return [
        TableInput(
            b.header.item_id,
            b.loose,
            "\n".join(seg.lines[i].text for k in PROSE_FIELDS for i in b.fields.get(k, [])),
            b.header.part,
            b.doubts,
            b.cells,
        )
        for b in seg.blocks
        if b.header is not None
    ]


def segment_initiatives(
    lines: Sequence[Line], tables: Sequence[TableLines] = (), prose: ProseSettings = DEFAULT_PROSE
) -> Segmentation:
    """The initiative section of the report's non-blank lines cut into tables (`tables`: those the
    extractor read, see SourceDocument.tables)."""
    return segment(lines[initiative_section(lines) :], tables, prose)


def parse_initiatives(
    lines: Sequence[Line],
    tables: Sequence[TableLines] = (),
    settings: CutSettings | None = None,
    reviewed: Sequence[Decision] = (),
) -> tuple[list[Initiative], list[Issue], Segmentation]:
    """Initiative records (one per printed table) from the report's non-blank lines and the tables
    the extractor read, if any: one code path from a table to its record, whoever found the table.
    `reviewed`: rows a review decided (parsers/yearly_plan/review.py)."""
    seg = segment_initiatives(lines, tables, (settings or default_settings()).prose)
    records: list[Initiative] = []
    issues: list[Issue] = []
    tables = [b for b in seg.blocks if b.header is not None]
    schedules = parse_schedules(seg.lines, schedule_inputs(seg), settings, reviewed)
    by_block = {id(b): s for b, s in zip(tables, schedules, strict=True)}
    has_results = any(Kind.RESULTS in b.labels for b in seg.blocks)
    for block in seg.blocks:
        if block.header is None:
            issues.append(
                Issue.error(
                    IssueCode.block_without_header,
                    "field labels with no 項目 header",
                    lines=[seg.lines[i].no for labels in block.labels.values() for i in labels],
                )
            )
            continue
        records.append(_record(seg, block, by_block[id(block)], issues, has_results))
    return records, issues, seg


def _text(seg: Segmentation, idx: list[int]) -> str | None:
    if not idx:
        return None
    return join_wrapped(seg.lines[i].text for i in idx)


def _nos(seg: Segmentation, idx: list[int]) -> list[int]:
    return [seg.lines[i].no for i in idx]


def _record(
    seg: Segmentation,
    block: Block,
    schedule: TableSchedule,
    issues: list[Issue],
    has_results: bool,
) -> Initiative:
    h = block.header
    assert h is not None
    # an edition with no 実績 column at all (the plan itself) is not missing a field
    expected = (Kind.CONTENT, Kind.EFFECTS, Kind.SCHEDULE, *((Kind.RESULTS,) if has_results else ()))
    for kind in expected:
        if kind not in block.labels:
            issues.append(
                Issue.error(
                    IssueCode.missing_field,
                    f"no {kind.value} label in its table",
                    item_id=h.item_id,
                    lines=_nos(seg, h.lines),
                )
            )
    results_label = None
    if Kind.RESULTS in block.labels:
        # one spelling for every table (R６実績, Ｒ６実績 -> R6実績): a label, not text to keep as printed
        results_label = squash(seg.lines[block.labels[Kind.RESULTS][0]].text)
    rows = schedule.rows
    issues.extend(schedule.issues)
    return Initiative(
        item_id=h.item_id,
        id_raw=h.id_raw,
        part=h.part,
        goal=h.goal,
        title=h.title,
        departments=h.departments,
        content=_text(seg, block.fields.get(Kind.CONTENT, [])),
        schedule=rows,
        unplaced_schedule=[p.text for p in schedule.unplaced],
        effects=_text(seg, block.fields.get(Kind.EFFECTS, [])),
        results_label=results_label,
        results=_text(seg, block.fields.get(Kind.RESULTS, [])),
        source_lines={
            "header": _nos(seg, h.lines),
            "content": _nos(seg, block.fields.get(Kind.CONTENT, [])),
            "effects": _nos(seg, block.fields.get(Kind.EFFECTS, [])),
            "results": _nos(seg, block.fields.get(Kind.RESULTS, [])),
            "schedule": sorted({n for r in rows for n in r.source_lines}),
            "schedule_unplaced": sorted({p.line for p in schedule.unplaced}),
        },
    )
