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

from plan_etl.extract.base import Line, TableLines
from plan_etl.parsers import layout
from plan_etl.parsers.initiative.header import ItemHeader, parse_headers
from plan_etl.parsers.initiative.prose import numbering_scheme, take_prose
from plan_etl.parsers.layout import DEFAULT_PROSE, FIELD_LABELS, Kind, ProseSettings

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
    doubts: dict[int, str] = field(default_factory=dict)
    """Source line number -> why the extractor could not decide that schedule row (withheld)."""
    cells: dict[int, tuple[str, ...]] = field(default_factory=dict)
    """Source line number -> the cells of a schedule row the extractor read cell by cell."""


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


def segment(
    lines: Sequence[Line], tables: Sequence[TableLines] = (), prose: ProseSettings = DEFAULT_PROSE
) -> Segmentation:
    """Cut the initiative section (non-blank lines) into blocks, one per printed table; `tables`
    when the extractor read them (a PDF's), which are taken as they are; `prose`: the widths that
    tell paragraph text from cells."""
    if tables:
        return _given_blocks(lines, tables, prose)
    lines = layout.split_glued_labels(lines)
    kinds = classify(lines)
    stops = {i for i, k in enumerate(kinds) if k not in (Kind.TEXT, Kind.ITEM)}
    headers = parse_headers(lines, [i for i, k in enumerate(kinds) if k == Kind.ITEM], stops, prose)
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
    reader = _FieldReader(lines, kinds, prose)
    for block in blocks:
        reader.read_labelled(block)
    reader.fill_empty(blocks)
    for block in blocks:
        block.loose = reader.loose(block)
    return Segmentation(lines=lines, kinds=kinds, blocks=blocks)


def _given_blocks(
    lines: Sequence[Line], tables: Sequence[TableLines], prose: ProseSettings = DEFAULT_PROSE
) -> Segmentation:
    """Blocks from tables an extractor read: each field is the lines it says, each schedule line
    is the table's (a row read cell by cell, or text for the row cut); the header line is parsed
    as any header. Lines outside the tables are classified as in the text path (furniture)."""
    kinds = classify(lines)
    at = {ln.no: i for i, ln in enumerate(lines)}

    def idx(nos: Sequence[int]) -> list[int]:
        return [at[n] for n in nos if n in at]

    blocks: list[Block] = []
    for t in tables:
        head = idx(t.header)
        fields = {Kind(k): idx(v) for k, v in t.fields.items()}
        rows = idx(t.rows)
        labels = {Kind(k): idx([n]) for k, n in t.labels.items() if n in at}
        for i in [*(i for v in fields.values() for i in v), *rows]:
            kinds[i] = Kind.TEXT  # a value is text, whatever it reads like
        for kind, [i] in labels.items():
            kinds[i] = kind
        stops = set(range(len(lines))) - set(head)
        headers = parse_headers(lines, head[:1], stops, prose) if head else []
        for i in head:
            kinds[i] = Kind.ITEM
        every = [
            *head,
            *(i for v in labels.values() for i in v),
            *(i for v in fields.values() for i in v),
            *rows,
        ]
        if not every:
            continue
        blocks.append(
            Block(
                header=headers[0] if headers else None,
                labels=labels,
                fields=fields,
                loose=rows,
                start=min(every),
                end=max(every) + 1,
                doubts=dict(t.doubts),
                cells=dict(t.cells),
            )
        )
    return Segmentation(lines=lines, kinds=kinds, blocks=blocks)


class _FieldReader:
    """Reads paragraph fields: first the text right after each label, then, for a label with no
    text after it, text found elsewhere in its own or a neighbouring table's span."""

    def __init__(
        self, lines: Sequence[Line], kinds: list[Kind], prose: ProseSettings = DEFAULT_PROSE
    ) -> None:
        self.lines = lines
        self.kinds = kinds
        self.prose = prose
        self.taken: set[int] = set()

    def skip(self, i: int) -> bool:
        return self.kinds[i] in FURNITURE

    def stop(self, i: int) -> bool:
        return self.kinds[i] != Kind.TEXT and not self.skip(i)

    def loose(self, block: Block) -> list[int]:
        return [
            i for i in range(block.start, block.end) if self.kinds[i] == Kind.TEXT and i not in self.taken
        ]

    def read_labelled(self, block: Block) -> None:
        for kind in PROSE_FIELDS:
            for label in block.labels.get(kind, [])[:1]:
                first = label
                while first < len(self.lines) and self.kinds[first] == kind:
                    first += 1
                run = take_prose(self.lines, first, block.end, self.skip, self.stop, self.prose)
                block.fields[kind] = run
                self.taken.update(run)

    def fill_empty(self, blocks: list[Block]) -> None:
        for n, block in enumerate(blocks):
            near = [b for b in blocks[max(0, n - 1) : n + 2]]
            for kind in PROSE_FIELDS:
                if kind not in block.labels or block.fields.get(kind):
                    continue
                label = block.labels[kind][0]
                run = self._nearest_orphan(near, label) or self._split_neighbour(near, label)
                if run:
                    block.fields[kind] = run
                    self.taken.update(run)

    def _nearest_orphan(self, near: list[Block], label: int) -> list[int]:
        """The unassigned paragraph run (two lines or more) closest to the label."""
        runs: list[list[int]] = []
        for block in near:
            loose = self.loose(block)
            allowed = set(loose)
            used: set[int] = set()
            for i in loose:
                if i in used:
                    continue
                run = take_prose(
                    self.lines, i, block.end, self.skip, lambda j, a=allowed: j not in a, self.prose
                )
                if len(run) >= 2:
                    runs.append(run)
                    used.update(run)
        return min(runs, key=lambda r: _distance(r, label), default=[])

    def _split_neighbour(self, near: list[Block], label: int) -> list[int]:
        """Two fields' paragraphs printed as one run: cut the run nearest the label where a new
        numbering scheme starts (（１） after ①…, or ① after unnumbered text) and take the tail."""
        best: tuple[int, Block, Kind, int] | None = None
        for block in near:
            for kind in PROSE_FIELDS:
                run = block.fields.get(kind, [])
                cut = _numbering_change(self.lines, run)
                if cut is None:
                    continue
                d = _distance(run[cut:], label)
                if best is None or d < best[0]:
                    best = (d, block, kind, cut)
        if best is None:
            return []
        _, block, kind, cut = best
        run = block.fields[kind]
        block.fields[kind] = run[:cut]
        return run[cut:]


def _distance(run: list[int], label: int) -> int:
    return min(abs(run[0] - label), abs(run[-1] - label))


def _numbering_change(lines: Sequence[Line], run: list[int]) -> int | None:
    """Position in `run` of the first top-level paragraph numbered in a scheme not seen before."""
    seen: set[str | None] = set()
    for pos, i in enumerate(run):
        text = lines[i].text.lstrip(" \t")
        scheme = numbering_scheme(text)
        if scheme is None and not text.startswith("　") and pos > 0:
            continue  # a wrapped line, not a paragraph start
        if pos > 0 and scheme is not None and scheme not in seen:
            return pos
        seen.add(scheme)
    return None
