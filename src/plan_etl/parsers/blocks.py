"""Split the initiative section into one block per printed table.

The text tool emits a table's cells in an order of its own and, where two tables share a page,
runs one table's cells after the other's. Every table has exactly one header and one of each
field label, so the stream of headers and labels is cut into groups that hold one of each: a group
closes when the next event repeats a kind it already has. Page headers are ignored for this, since
they fall between cells of a table too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from plan_etl.extract.base import Line
from plan_etl.parsers import layout
from plan_etl.parsers.header import ItemHeader, parse_headers
from plan_etl.parsers.layout import FIELD_LABELS, Kind
from plan_etl.parsers.prose import numbering_scheme, take_prose

FURNITURE = frozenset({Kind.PAGE_HEADER, Kind.PAGE_NUMBER, Kind.SECTION_INTRO, Kind.COLUMN_HEADER})
PROSE_FIELDS = (Kind.CONTENT, Kind.EFFECTS, Kind.RESULTS)


@dataclass
class Block:
    """One initiative table: its header, label lines, paragraph fields and leftover lines."""

    header: ItemHeader | None
    labels: dict[Kind, list[int]] = field(default_factory=dict)
    fields: dict[Kind, list[int]] = field(default_factory=dict)
    loose: list[int] = field(default_factory=list)
    start: int = 0
    end: int = 0


@dataclass
class Segmentation:
    lines: Sequence[Line]
    kinds: list[Kind]
    blocks: list[Block]


def classify(lines: Sequence[Line]) -> list[Kind]:
    """A first kind for every line: furniture, field labels, item header starts, text."""
    kinds = [Kind.TEXT] * len(lines)
    i = 0
    while i < len(lines):
        text = lines[i].text.strip()
        nxt = lines[i + 1].text.strip() if i + 1 < len(lines) else None
        label = layout.label_kind(text, nxt)
        if label:
            kind, span = label
            for k in range(i, i + span):
                kinds[k] = kind
            i += span
            continue
        if layout.ITEM_START.search(text):
            kinds[i] = Kind.ITEM
        elif layout.is_page_header(text):
            kinds[i] = Kind.PAGE_HEADER
        elif layout.is_page_number(text):
            kinds[i] = Kind.PAGE_NUMBER
        elif layout.is_schedule_tail(text):
            kinds[i] = Kind.COLUMN_HEADER
        i += 1
    _mark_section_intros(lines, kinds)
    return kinds


def _mark_section_intros(lines: Sequence[Line], kinds: list[Kind], reach: int = 20) -> None:
    """A goal's intro paragraph sits between two 「到達点N …」 lines with nothing else between."""
    for i, line in enumerate(lines):
        goal = layout.goal_of_line(line.text)
        if goal is None:
            continue
        for j in range(i + 1, min(len(lines), i + reach)):
            if kinds[j] not in (Kind.TEXT, Kind.PAGE_HEADER):
                break
            if layout.goal_of_line(lines[j].text) == goal:
                for k in range(i + 1, j):
                    if kinds[k] == Kind.TEXT:
                        kinds[k] = Kind.SECTION_INTRO
                break


def segment(lines: Sequence[Line]) -> Segmentation:
    """Cut the initiative section (non-blank lines) into blocks, one per printed table."""
    lines = layout.split_glued_labels(lines)
    kinds = classify(lines)
    stops = {i for i, k in enumerate(kinds) if k not in (Kind.TEXT, Kind.ITEM)}
    headers = parse_headers(lines, [i for i, k in enumerate(kinds) if k == Kind.ITEM], stops)
    for h in headers:
        for i in h.lines:
            kinds[i] = Kind.ITEM

    events: list[tuple[int, Kind, ItemHeader | None]] = [(h.lines[0], Kind.ITEM, h) for h in headers]
    for i, k in enumerate(kinds):
        if k in FIELD_LABELS and (i == 0 or kinds[i - 1] != k):
            events.append((i, k, None))
    events.sort(key=lambda e: (e[0], e[1] != Kind.ITEM))

    groups: list[list[tuple[int, Kind, ItemHeader | None]]] = []
    for ev in events:
        if not groups or any(k == ev[1] for _, k, _ in groups[-1]):
            groups.append([])
        groups[-1].append(ev)

    blocks: list[Block] = []
    for n, group in enumerate(groups):
        header = next((h for _, k, h in group if k == Kind.ITEM), None)
        block = Block(header=header, start=group[0][0])
        block.end = groups[n + 1][0][0] if n + 1 < len(groups) else len(lines)
        for i, k, _ in group:
            if k != Kind.ITEM:
                block.labels.setdefault(k, []).append(i)
        blocks.append(block)
    for block in blocks:
        _read_fields(lines, kinds, block)
    return Segmentation(lines=lines, kinds=kinds, blocks=blocks)


def _read_fields(lines: Sequence[Line], kinds: list[Kind], block: Block) -> None:
    """Paragraph text after each label; what is left in the block's span is schedule material."""

    def skip(i: int) -> bool:
        return kinds[i] in FURNITURE

    def stop(i: int) -> bool:
        return kinds[i] != Kind.TEXT and not skip(i)

    taken: set[int] = set()
    for kind in PROSE_FIELDS:
        for label in block.labels.get(kind, [])[:1]:
            first = label
            while first < len(lines) and kinds[first] == kind:
                first += 1
            run = take_prose(lines, first, block.end, skip, stop)
            block.fields[kind] = run
            taken.update(run)
    loose = [i for i in range(block.start, block.end) if kinds[i] == Kind.TEXT and i not in taken]
    # a field whose label stands right before another label has its text elsewhere in the block
    empty = [k for k in PROSE_FIELDS if k in block.labels and not block.fields.get(k)]
    if empty:
        runs = _orphan_runs(lines, loose, skip, stop)
        if not runs:
            runs = _split_at_new_numbering(lines, block)
        for run in runs:
            if not empty:
                break
            block.fields[empty.pop(0)] = run
            taken.update(run)
        loose = [i for i in loose if i not in taken]
    block.loose = loose


def _split_at_new_numbering(lines: Sequence[Line], block: Block) -> list[list[int]]:
    """Where two fields' paragraphs were printed as one run: cut where a new numbering scheme
    (（１） after ①②…) starts, and hand back the tail."""
    tails: list[list[int]] = []
    for kind in PROSE_FIELDS:
        run = block.fields.get(kind, [])
        seen: set[str] = set()
        for pos, i in enumerate(run):
            scheme = numbering_scheme(lines[i].text.lstrip(" \t"))
            if scheme is None:
                continue
            if seen and scheme not in seen and pos > 0:
                block.fields[kind] = run[:pos]
                tails.append(run[pos:])
                break
            seen.add(scheme)
    return tails


def _orphan_runs(lines: Sequence[Line], loose: list[int], skip, stop) -> list[list[int]]:
    """Paragraph runs of two or more lines among unassigned lines."""
    runs: list[list[int]] = []
    used: set[int] = set()
    loose_set = set(loose)
    for i in loose:
        if i in used:
            continue
        run = take_prose(lines, i, max(loose) + 1, skip, lambda j: stop(j) or j not in loose_set)
        if len(run) >= 2:
            runs.append(run)
            used.update(run)
    return runs
