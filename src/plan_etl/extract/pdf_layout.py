"""Initiative tables read from a PDF page by their label words and the page's geometry.

Whatever the rendering (ruled, partly ruled or unruled; labels on one line, two, or one character a
line; the header in one bar or in cells; row labels in the first or second column), a table is
anchored by its label words: 項目, 所管部, 取組み内容, 年次別計画 with the year headers, 目指すべき効果・成果
and R6実績. A field's value is the text in the region its label governs: right of the label, down
to the next label's band. Year columns come from the year headers' x-extent, bounded by vertical
rules or, without them, by the ink-free gap between columns; schedule rows by horizontal rules or,
without them, by whitespace bands. Nothing here knows a column index.

`read_page` reads one page (its tables as `TableRead`, the runs outside them); `join_pages` joins
tables continued over pages and gives the document's lines in the order the text parsers read them
(each table's fields label first, one tab-joined line per schedule row), each with the page and box
it was printed in, and each table as `TableLines`; the text outside tables (page headers, page
numbers, goal and contents pages) comes as plain lines in reading order (`reading_blocks`).
"""

from __future__ import annotations

import itertools
import statistics
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from operator import attrgetter

import regex

from plan_etl.extract.base import PAGE_BREAK_DOUBT, TableLines
from plan_etl.extract.page_objects import Char, Page, Segment
from plan_etl.form.characters import squash
from plan_etl.form.words import (
    CONTENT,
    DEPARTMENT_NAME,
    DEPARTMENTS,
    EFFECTS,
    FIELD_OF,
    GOAL_NAME,
    ID_DASHES,
    ITEM,
    PAGE_HEADER,
    RESULTS,
    ROW_MARK,
    SCHEDULE,
    SECTION_HEADER,
)

TAB = "\t"


@dataclass(frozen=True)
class ReaderSettings:
    """The geometric tolerances of the reader, relative to the characters' size (so they hold at
    any font size), as pdfplumber's TableSettings."""

    line_overlap: float = 0.5
    """Characters whose vertical centres differ by less than this times their height share a line."""
    run_gap: float = 0.25
    """A horizontal gap wider than this times the font size between two characters of one line
    ends a run (a cell's line of text): characters of one text line abut (or are spaced by a
    space character), while neighbouring cells are padded apart, however tightly."""
    rule_gap: float = 0.05
    """Two characters with a rule between them are in two cells only if at least this times the
    font size apart (cells are padded; text over a shaded column's edge is not)."""
    stack_gap: float = 1.2
    """Pieces of one label word stacked over lines are at most this many line heights apart."""
    row_gap: float = 0.45
    """In an unruled schedule, a vertical gap between text lines wider than this times the font
    size separates two rows (cells are padded; a cell's own lines are closer)."""
    rule_span: float = 0.5
    """A rule separates rows or fields only if it crosses at least this share of the region."""
    column_gap: float = 1.5
    """Plain text (outside tables) is read a column at a time where an ink-free gutter at least
    this many times the font size wide runs down the whole block, with two lines or more on each
    side (a goal page's text beside its box of examples); a one-line gap is a space."""
    band_gap: float = 0.5
    """Plain text is cut into bands, read one after another, at vertical gaps wider than this
    times the font size (a paragraph or block apart, not a line's leading)."""
    block_gap: float = 1.0
    """A vertical gap wider than this times the font size (a blank line's worth) ends a block:
    columns are never read across it; narrower band gaps are spacing within one block."""
    furniture_band: float = 0.08
    """Bare page numbers within this share of the page height from its foot are page furniture."""
    slack: float = 0.5
    """Points of slack in edge comparisons: a value whose text starts within this of its label's
    right edge is right of it, a column edge stands this far left of the text that begins it."""
    align: float = 1.0
    """Two left edges within this many points line up (a continued table's text under its values)."""
    header_foot: float = 0.2
    """A run whose top is above the year headers' foot by less than this share of its height is a
    schedule row's text, not the headers'."""
    anchor_band: float = 10.0
    """Two 項目 anchors whose tops are within this many line heights stand beside each other (two
    tables abreast), not one below the other."""
    anchor_reach: float = 3.0
    """A table's region begins at most this many font sizes left of its 項目 anchor, and its top rule
    stands at most this many line heights above it."""
    rule_slack: float = 0.1
    """Points by which a rule may stand outside the gap between two glyphs and still part them."""
    stack_overlap: float = 0.3
    """A piece of a label stacked under another may begin up to this share of a line's height above
    the other's foot (tight leading)."""
    beside: float = 2.0
    """An item id stands beside its 項目 within this many line heights (and 実績 under its R6 within
    this many font sizes of its centre)."""
    column_overlap: float = 0.5
    """Header cells whose runs overlap in x by more than this many font sizes are one column."""
    table_foot: float = 0.5
    """A table's region ends this many line heights above the next 項目 anchor below it."""
    label_lead: float = 0.1
    """Where neither a rule nor a gap says where a label's band begins, it begins this share of the
    label's height above it."""
    cell_reach: float = 0.5
    """A year column's text begins at most this many of its header's font sizes right of the
    header's left edge."""
    straddle: float = 0.5
    """A run of a schedule row that reaches more than this times the font size past a column edge on
    both sides crosses the boundary between two columns: the geometry does not say where one cell
    ends and the next begins, so the row is withheld (stated: false) rather than cut by a guess."""


DEFAULT_SETTINGS = ReaderSettings()


@dataclass(frozen=True)
class Run:
    """One run of text on one line: a cell's line, or a word of plain text."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(frozen=True)
class Label:
    """A label word found on the page, possibly stacked over several runs."""

    word: str
    runs: tuple[Run, ...]

    @property
    def printed(self) -> str:
        return "".join(r.text for r in self.runs)

    @property
    def x0(self) -> float:
        return min(r.x0 for r in self.runs)

    @property
    def x1(self) -> float:
        return max(r.x1 for r in self.runs)

    @property
    def top(self) -> float:
        return min(r.top for r in self.runs)

    @property
    def bottom(self) -> float:
        return max(r.bottom for r in self.runs)


_RESULTS = regex.compile(rf"^R[0-9]{{1,2}}{RESULTS}$")  # after NFKC
_YEAR = regex.compile(r"^(?:R|令和)\s*([0-9]{1,2})\s*(?:年度?)?$")
_ID = regex.compile(
    rf"^[0-9]{{1,2}}\s*[{ID_DASHES}]\s*[0-9]{{1,3}}(?:\s*[(（][0-9]{{1,2}}[)）])?"
)  # after NFKC
_PAGE_NUMBER = regex.compile(r"^[0-9]{1,3}$")
_DEPARTMENT = regex.compile(DEPARTMENT_NAME)
_RUNNING_HEAD = regex.compile(rf"^(?:{PAGE_HEADER}|{GOAL_NAME}|{SECTION_HEADER})$(?<!^{ITEM})")
"""A running head, the whole line (not a bare 項目, which may be a table's own header cell)."""
_BARE_YEAR = regex.compile(r"^R[0-9]{1,2}$")
_ROW_MARK = regex.compile(rf"^\s*{ROW_MARK}")


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


# --- characters -> runs ----------------------------------------------------------------------------


_BUCKET = 4.0
"""The height (pt) of the bands in which runs_of files the open runs by their last glyph's centre
(a lookup aid: any height gives the same runs)."""


def runs_of(
    chars: Iterable[Char],
    segments: Sequence[Segment] = (),
    s: ReaderSettings = DEFAULT_SETTINGS,
    fills: Sequence[Segment] = (),
) -> list[Run]:
    """The page's characters as runs: each character joins the run whose last character ends just
    before it on the same line (centres within line_overlap of the glyph height), with no wide gap
    and no vertical rule between them. A run is chained glyph by glyph, so the glyphs of one line
    stay one run even where font subsets give them slightly different boxes, and neighbouring cells
    printed a little higher or lower never pull a line apart. Runs come top to bottom, left to right."""
    cs = sorted((c for c in chars if c.text and c.bottom > c.top), key=_left_top)
    # a background's sides part text as a rule does (only across a gap): a badge from the name beside it
    sides = [Segment(x, f.top, x, f.bottom) for f in fills for x in (f.x0, f.x1)]
    verticals = [g for g in segments if not g.horizontal] + sides
    chains: list[list[Char]] = []
    ends: list[float] = []  # per chain: its last glyph's centre
    rights: list[float] = []  # per chain: its last glyph's right edge
    open_: dict[int, list[int]] = {}  # the last glyph's centre (_BUCKET points) -> chains ending there
    # a chain whose last glyph ends further left than any run gap reaches takes no more glyphs
    dead_gap = s.run_gap * max((c.size or (c.bottom - c.top) for c in cs), default=0.0)
    overlap, run_gap, rule_gap = s.line_overlap, s.run_gap, s.rule_gap
    for c in cs:
        top, bottom, x0, size = c.top, c.bottom, c.x0, c.size
        cy = (top + bottom) / 2
        reach = overlap * (bottom - top)
        best, best_d = -1, reach
        for bucket in range(int((cy - reach) // _BUCKET), int((cy + reach) // _BUCKET) + 1):
            ks = open_.get(bucket)
            if not ks:
                continue
            dead = None
            for k in ks:
                gap = x0 - rights[k]
                if gap > dead_gap:
                    dead = [k] if dead is None else [*dead, k]
                    continue
                d = abs(ends[k] - cy)
                if d >= best_d:
                    continue
                # a break: too wide a gap, or a rule in a gap (glyphs that abut are one text
                # whatever is drawn under them, as a shaded column's edge under a header bar)
                a = chains[k][-1]
                em = (a.size if a.size >= size else size) or (a.bottom - a.top)
                if gap > run_gap * em or (gap >= rule_gap * em and _ruled(a, c, verticals, s)):
                    continue
                best, best_d = k, d
            if dead is not None:
                for k in dead:
                    ks.remove(k)
        if best >= 0:
            open_[int(ends[best] // _BUCKET)].remove(best)  # it moves to its new last glyph's band
            chains[best].append(c)
            ends[best] = cy
            rights[best] = c.x1
        else:
            best = len(chains)
            chains.append([c])
            ends.append(cy)
            rights.append(c.x1)
        open_.setdefault(int(cy // _BUCKET), []).append(best)
    out = [r for chain in chains for r in _run(chain)]
    return [r for line in _lines_of(out, s) for r in sorted(line, key=lambda r: r.x0)]


def _left_top(c: Char) -> tuple[float, float]:
    return c.x0, c.top


def _ruled(a: Char, b: Char, verticals: Sequence[Segment], s: ReaderSettings) -> bool:
    """Whether a vertical rule stands in the gap between glyphs a and b, at a's centre line."""
    cy = (a.top + a.bottom) / 2
    e = s.rule_slack
    lo, hi = a.x1 - e, b.x0 + e
    return any(lo <= v.x0 <= hi and v.top <= cy <= v.bottom for v in verticals)


def _median(values: list[float]) -> float:
    """The median (statistics.median, without its cost on a hot path)."""
    values.sort()
    n = len(values)
    return values[n // 2] if n % 2 else (values[n // 2 - 1] + values[n // 2]) / 2


def _run(chars: list[Char]) -> list[Run]:
    text = " ".join("".join([c.text for c in chars]).split())
    if not text:
        return []
    ink = [c for c in chars if not c.text.isspace()]
    return [
        Run(
            text,
            min(map(_X0, ink)),
            min(map(_TOP, ink)),
            max(map(_X1, ink)),
            max(map(_BOTTOM, ink)),
            _median([c.size or (c.bottom - c.top) for c in ink]),
        )
    ]


_X0, _TOP, _X1, _BOTTOM = attrgetter("x0"), attrgetter("top"), attrgetter("x1"), attrgetter("bottom")


def reading_lines(runs: Iterable[Run], s: ReaderSettings = DEFAULT_SETTINGS) -> list[str]:
    """Runs as lines of text top to bottom, runs of one line joined by a space."""
    return [text for text, _ in boxed_reading_lines(runs, 0, s)]


def boxed_reading_lines(
    runs: Iterable[Run], page: int, s: ReaderSettings = DEFAULT_SETTINGS
) -> list[tuple[str, PageBox | None]]:
    """reading_lines, each line with where it was printed on `page`; text in columns is read a
    column at a time (`reading_blocks`)."""
    return [line for block in reading_blocks(list(runs), s) for line in _block_lines(block, page, s)]


def reading_blocks(runs: list[Run], s: ReaderSettings = DEFAULT_SETTINGS, depth: int = 0) -> list[list[Run]]:
    """Runs cut into blocks in reading order (an XY cut): bands top to bottom at wide vertical
    gaps; consecutive bands that leave a common gutter free (a column of text beside a box, one
    of them running longer) are read a column at a time, left to right, each cut again."""
    if len(runs) < 2 or depth > 32:
        return [runs] if runs else []
    size = statistics.median(r.size for r in runs)
    wide = s.column_gap * size
    top, bottom = min(r.top for r in runs), max(r.bottom for r in runs)
    gaps = [
        g for g in _free([(r.top, r.bottom) for r in runs], top, bottom) if g[1] - g[0] > s.band_gap * size
    ]
    cuts = [(a + b) / 2 for a, b in gaps]
    hard = {k for k, (a, b) in enumerate(gaps) if b - a > s.block_gap * size}  # gap k follows band k
    bands: list[list[Run]] = [[] for _ in range(len(cuts) + 1)]
    for r in runs:
        bands[sum(c < r.cy for c in cuts)].append(r)
    left, right = min(r.x0 for r in runs), max(r.x1 for r in runs)
    groups: list[tuple[list[list[Run]], list[tuple[float, float]]]] = []
    for k, band in enumerate(bands):
        if not band:
            continue
        free = [g for g in _free([(r.x0, r.x1) for r in band], left, right) if g[1] - g[0] >= wide]
        common = _intersect(groups[-1][1], free, wide) if groups and k - 1 not in hard else []
        if common:
            groups[-1] = ([*groups[-1][0], band], common)
        else:
            groups.append(([band], free))
    out: list[list[Run]] = []
    for members, gutters in groups:
        rs = [r for band in members for r in band]
        for a, b in gutters:
            west = [r for r in rs if r.x1 <= a]
            east = [r for r in rs if r.x0 >= b]
            if len(west) + len(east) == len(rs) and _line_count(west, s) >= 2 and _line_count(east, s) >= 2:
                out += reading_blocks(west, s, depth + 1) + reading_blocks(east, s, depth + 1)
                break
        else:
            out += members
    return out


def _intersect(
    a: Sequence[tuple[float, float]], b: Sequence[tuple[float, float]], least: float
) -> list[tuple[float, float]]:
    """The intervals both lists cover, at least `least` wide."""
    out = []
    for a0, a1 in a:
        for b0, b1 in b:
            lo, hi = max(a0, b0), min(a1, b1)
            if hi - lo >= least:
                out.append((lo, hi))
    return out


def _line_count(runs: Sequence[Run], s: ReaderSettings) -> int:
    return len(_lines_of(runs, s))


def _lines_of(runs: Iterable[Run], s: ReaderSettings) -> list[list[Run]]:
    out: list[list[Run]] = []
    centres: list[float] = []  # the last line's centres
    for r in sorted(runs, key=attrgetter("cy")):
        cy = r.cy
        if out and abs(cy - statistics.fmean(centres)) < s.line_overlap * r.height:
            out[-1].append(r)
            centres.append(cy)
        else:
            out.append([r])
            centres = [cy]
    return out


def _block_lines(runs: Sequence[Run], page: int, s: ReaderSettings) -> list[tuple[str, PageBox | None]]:
    region = Table(0, 0, 0, 0, page)
    lines = _lines_of(runs, s)
    return [(" ".join(r.text for r in sorted(line, key=lambda r: r.x0)), region.box(line)) for line in lines]


def _column_lines(runs: Iterable[Run]) -> list[str]:
    """The runs of one region top to bottom (one text line each)."""
    return [r.text for r in _column_runs(runs)]


def _column_runs(runs: Iterable[Run], s: ReaderSettings = DEFAULT_SETTINGS) -> list[Run]:
    """The runs of one region in reading order: its lines top to bottom (runs whose centres are
    within line_overlap of a line's, not an exact top: font subsets differ by a fraction of a
    point), each line left to right."""
    return [r for line in _lines_of(runs, s) for r in sorted(line, key=lambda r: r.x0)]


# --- label words -----------------------------------------------------------------------------------


def find_labels(runs: Sequence[Run], word: str, s: ReaderSettings = DEFAULT_SETTINGS) -> list[Label]:
    """Every place `word` is printed: in one run, or stacked over runs one below the other (取組み /
    内容, or one character a line)."""
    found: list[Label] = []
    used: set[int] = set()
    for i, r in enumerate(runs):
        t = squash(r.text)
        if i in used or not t or not word.startswith(t):
            continue
        chain, have = [r], t
        while have != word:
            nxt = _below(runs, chain[-1], word[len(have) :], s)
            if nxt is None:
                break
            chain.append(nxt)
            have += squash(nxt.text)
        if have == word:
            found.append(Label(word, tuple(chain)))
            used.update(runs.index(c) for c in chain)
    return found


def _below(runs: Sequence[Run], r: Run, rest: str, s: ReaderSettings) -> Run | None:
    """The run right below r (overlapping it in x) that continues a label with `rest`."""
    best: Run | None = None
    for c in runs:
        t = squash(c.text)
        if not t or not rest.startswith(t) or c.top < r.bottom - s.stack_overlap * r.height:
            continue
        if c.top - r.bottom > s.stack_gap * r.height or c.x1 < r.x0 - r.size or c.x0 > r.x1 + r.size:
            continue
        if best is None or c.top < best.top:
            best = c
    return best


def _results_labels(runs: Sequence[Run], s: ReaderSettings = DEFAULT_SETTINGS) -> list[Label]:
    out = [Label(squash(r.text), (r,)) for r in runs if _RESULTS.match(squash(r.text))]
    # 「R6」 over 「実績」
    for r in runs:
        m = _BARE_YEAR.match(squash(r.text))
        if m:
            for c in runs:
                if (
                    squash(c.text) == RESULTS
                    and 0 <= c.top - r.bottom < r.height
                    and abs(c.cx - r.cx) < s.beside * r.size
                ):
                    out.append(Label(squash(r.text) + "実績", (r, c)))
    return out


# --- tables ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    """One initiative table's region of a page (numbered from 1)."""

    x0: float
    top: float
    x1: float
    bottom: float
    page: int = 0

    def box(self, runs: Iterable[Run]) -> PageBox | None:
        """The page and box of `runs` on this table's page (None for no runs)."""
        b = _box(runs)
        return None if b is None else (self.page, *b)

    def holds(self, r: Run) -> bool:
        return self.x0 <= r.cx <= self.x1 and self.top <= r.cy <= self.bottom


def page_lines(page: Page, s: ReaderSettings = DEFAULT_SETTINGS) -> tuple[list[str], int]:
    """One page as lines (text above the tables, each table's fields, the text below) and the
    number of initiative tables read (a table continued from an earlier page is not joined here:
    see `join_pages`)."""
    lines, tables = join_pages([read_page(page, s)], s)
    return [text for text, _ in lines], len(tables)


@dataclass(frozen=True)
class PageRead:
    """One page read: its tables, and the runs outside them (page furniture, plain pages, or the
    rest of a table continued from the page before)."""

    number: int
    height: float
    tables: tuple[TableRead, ...]
    loose: tuple[Run, ...]
    segments: tuple[Segment, ...]


def read_page(page: Page, s: ReaderSettings = DEFAULT_SETTINGS) -> PageRead:
    runs = runs_of(page.chars, page.segments, s, page.fills)
    tables = read_tables(page, s, runs)
    boxes = [Table(*t.box) for t in tables]
    loose = [r for r in runs if not any(b.holds(r) for b in boxes) or _is_page_number(r, page, s)]
    return PageRead(page.number, page.height, tuple(tables), tuple(loose), page.segments)


def join_pages(
    pages: Sequence[PageRead], s: ReaderSettings = DEFAULT_SETTINGS
) -> tuple[list[tuple[str, PageBox | None]], list[TableLines]]:
    """The pages as lines in reading order, each with where it was printed, and each table read
    as the numbers of its lines (header, each field's label and text, schedule rows). A table that runs on
    to the next page (text at the top of that page, where tables begin, in the table's columns
    and aligned with them) is joined with its rest, however many pages it takes, so its fields
    stay whole."""
    tables: list[TableRead] = []
    items: list[tuple[str, PageBox | None] | int] = []  # lines, and tables by index (once whole)
    open_: list[int] = []  # the tables the next page may continue
    for page in pages:
        loose = list(page.loose)
        grown = []
        candidates = [tables[i] for i in open_]
        for i in open_:
            if tables[i] not in _last_in_column(candidates):
                continue
            rest = _continuation(tables[i], candidates, page, loose, s)
            if rest:
                tables[i] = read_continuation(tables[i], rest, page.segments, s, page.number)
                loose = [r for r in loose if r not in rest]
                grown.append(i)
        top = min((t.box[1] for t in page.tables), default=page.height)
        items += boxed_reading_lines([r for r in loose if r.cy < top], page.number, s)
        first = len(tables)
        tables += page.tables
        items += range(first, len(tables))
        items += boxed_reading_lines([r for r in loose if r.cy >= top], page.number, s)
        own = list(range(first, len(tables)))
        # a table continued here stays open where this page starts no table in its columns
        open_ = own + [i for i in grown if not any(_overlap(tables[i], t) for t in page.tables)]
    out: list[tuple[str, PageBox | None]] = []
    spans: list[TableLines] = []
    for item in items:
        if not isinstance(item, int):
            out.append(item)
            continue
        roles: dict[str, list[int]] = {}
        for text, box, role in tables[item].boxed_lines():
            out.append((text, box))
            roles.setdefault(role, []).append(len(out))  # line numbers count from 1
        rows = tuple(roles.get("row", ()))
        doubts = tables[item].row_doubts()
        cells = tables[item].row_cells()
        spans.append(
            TableLines(
                header=tuple(roles.get("header", ())),
                labels={r[6:]: nos[0] for r, nos in roles.items() if r.startswith("label:")},
                fields={r: tuple(nos) for r, nos in roles.items() if r in ("content", "effects", "results")},
                rows=rows,
                doubts={no: why for no, why in zip(rows, doubts, strict=False) if why},
                cells={no: c for no, c in zip(rows, cells, strict=True) if c is not None},
            )
        )
    return out, spans


def _overlap(a: TableRead, b: TableRead) -> bool:
    return a.box[0] < b.box[2] and b.box[0] < a.box[2]


def _last_in_column(tables: Sequence[TableRead]) -> list[TableRead]:
    """The tables no other table of the page stands below (those that may run on)."""
    return [
        t
        for t in tables
        if not any(
            u is not t and u.box[1] >= t.box[3] - 1 and u.box[0] < t.box[2] and u.box[2] > t.box[0]
            for u in tables
        )
    ]


def _continuation(
    t: TableRead, previous: Sequence[TableRead], page: PageRead, loose: Sequence[Run], s: ReaderSettings
) -> list[Run]:
    """The runs of `page` that continue table t: within t's columns, above this page's first table
    in those columns, not furniture, from the first run that is a label or lines up with t's values
    (a field's text or a year cell's left edge) down; or, where tables begin on t's page or lower,
    from the first run whatever it is, if that one lines up with any of t's text. Else none. (What
    stands above the first run that lines up, as a running head, stays outside the table.)"""
    x0, _, x1, _ = t.box
    x1 = max(x1, t.reach)
    start = min(u.box[1] for u in previous) - s.slack
    below = [u.box[1] for u in page.tables if u.box[0] < x1 and u.box[2] > x0]
    end = min(below, default=page.height)
    candidates = [
        r for r in loose if x0 <= r.cx and r.x0 <= x1 and r.cy < end and not _PAGE_NUMBER.match(nfkc(r.text))
    ]
    if not candidates:
        return []
    labelled = {id(r) for lb in _labels(candidates, s) for r in lb.runs}
    values = _value_lefts(t)
    ordered = sorted(candidates, key=lambda r: (r.top, r.x0))
    anchor = next(
        (r for r in ordered if id(r) in labelled or any(abs(r.x0 - x) <= s.align for x in values)), None
    )
    first = next((r for r in ordered if r.top >= start), None)
    lefts = {round(b[0], 1) for b in _inks(t)}
    top = ordered[0]
    if _opens_with_row(t, top, s):
        begin = top.top
    elif first is not None and (id(first) in labelled or any(abs(first.x0 - x) <= s.align for x in lefts)):
        begin = first.top if anchor is None else min(first.top, anchor.top)
    elif anchor is not None:
        begin = anchor.top
    else:
        return []
    if anchor is not None and id(anchor) in labelled:
        # a field's label centred in its cell has its text begin above it: what stands between the
        # page's running heads and the label is that text
        heads = [r.bottom for r in ordered if r.top < anchor.top and _RUNNING_HEAD.match(r.text.strip())]
        above = [r.top for r in ordered if max(heads, default=-1.0) <= r.top < anchor.top]
        begin = min(begin, *above) if above else begin
    # the table's rest ends where the page's running heads (over the next table) begin
    stop = min(
        (r.top for r in candidates if r.top >= begin and _RUNNING_HEAD.match(r.text.strip())), default=end
    )
    return [r for r in candidates if begin - s.slack <= r.top < stop]


def _split_row(before: Sequence[tuple[Region, ...]], after: Sequence[tuple[Region, ...]]) -> bool | None:
    """Whether the first row read on a new page is the rest of the last row on the page before:
    True when it has no label, or has one without the row mark (①, （１）…) that every row label
    before the break opens with; False when its label opens with a mark; None (undecided) for a
    table whose rows are not numbered: the geometry of a page break is the same either way."""
    label = after[0][0].lines[0]
    if not label:
        return True
    if _ROW_MARK.match(label):
        return False
    labels = [row[0].lines[0] for row in before if row[0].lines[0]]
    if labels and all(_ROW_MARK.match(x) for x in labels):
        return True
    return None


def _opens_with_row(t: TableRead, run: Run, s: ReaderSettings) -> bool:
    """Whether `run`, the first text in t's columns on the next page, is a schedule row going on:
    t broke in its schedule, the run is no running head, and it lines up with the row labels there
    (a row printed with its label alone, as one left open, has nothing else to line up with) or,
    where the page broke right under the year headers, stands in the row labels' column."""
    last = t.parts[-1] if t.parts else None
    if not isinstance(last, ScheduleRead) or not last.edges or _RUNNING_HEAD.match(run.text.strip()):
        return False
    labels = {round(row[0].ink[0], 1) for row in last.rows if row and row[0].ink}
    if labels:
        return any(abs(run.x0 - x) <= s.align for x in labels)
    return t.box[0] <= run.x0 and run.x1 <= last.edges[0]


def _value_lefts(t: TableRead) -> set[float]:
    """The left edges of t's values: each field's text and each year cell's (not the header's nor
    the labels', which a running head may share)."""
    out: set[float] = set()
    for part in t.parts:
        if isinstance(part, Region):
            if part.name != ITEM and part.ink:
                out.add(round(part.ink[0], 1))
        else:
            out.update(round(c.ink[0], 1) for row in part.rows for c in row[1:] if c.ink)
    return out


def _centred_on_all(b: Label, top: float, begin: float, end: float, s: ReaderSettings) -> bool:
    """Whether label b, its band found only as "just above it" (`begin`: no rule, no gap), sits
    in the middle of all the text from the page's top to its band's end (`end`) rather than of the
    text from `begin`: a label centred in its cell, whose text opens the page above it. A label set
    at the top of its cell sits at the top of neither."""
    if begin <= top or begin != _just_above(b, s):
        return False
    cy = (b.top + b.bottom) / 2
    whole, own = abs(cy - (top + end) / 2), abs(cy - (begin + end) / 2)
    return whole < s.slack * (b.bottom - b.top) < own


def _inks(t: TableRead) -> list[BBox]:
    out: list[BBox] = []
    for part in t.parts:
        if isinstance(part, Region):
            out += [part.ink] if part.ink else []
        else:
            out += [c.ink for row in part.rows for c in row if c.ink]
    return out


def read_continuation(
    t: TableRead,
    runs: Sequence[Run],
    segments: Sequence[Segment],
    s: ReaderSettings = DEFAULT_SETTINGS,
    page: int = 0,
) -> TableRead:
    """Table t with its rest read from the next page: the text before the first label there
    continues t's last field (or its schedule rows, in t's year columns); each label after it
    opens a field as on a table's first page."""
    x0, _, x1, _ = t.box
    region = Table(
        x0, min(r.top for r in runs), max(x1, max(r.x1 for r in runs)), max(r.bottom for r in runs) + 1, page
    )
    labels = _labels(runs, s)
    bounds = _bounds(runs, segments, region, None, labels, s)
    if labels and _centred_on_all(labels[0], region.top, bounds[1], bounds[2], s):
        bounds[1] = region.top  # the page opens with the first label's own text, centred on it
    lead = [r for r in runs if r.cy < bounds[1]]
    parts = list(t.parts)
    last = parts[-1]
    unassigned = t.unassigned
    if lead and isinstance(last, Region):
        value = _column_runs(r for r in lead if r.x0 >= last.region[0] - s.slack)
        boxes = (*(last.boxes or (None,) * len(last.lines)), *(region.box([r]) for r in value))
        lines = (*last.lines, *(r.text for r in value))
        parts[-1] = Region(last.name, lines, last.region, last.ink, boxes, last.label_box)
    elif lead and isinstance(last, ScheduleRead) and last.years:
        edges = last.edges
        if not last.rows and last.headers and not _has_column_rules(lead, segments, last.headers):
            # the year headers ended the page: their columns' edges come from the ink under them here
            starts = _ink_starts(lead, last.headers, s)
            edges = edges if starts is None else (*(x - s.slack for x in starts), edges[-1])
            last = replace(last, edges=edges)
        # the last year column runs to the table's right here: its edge on the first page is where
        # the ink there ended, and a longer cell here is no less the last year's
        edges = (*edges[:-1], max(edges[-1], region.x1 + 1))
        last = replace(last, edges=edges)
        unassigned += tuple(r for r in lead if not region.x0 <= r.cx < edges[-1])
        rows = _row_regions(lead, segments, edges, last.years, region.top - 1, region, s)
        split = _split_row(last.rows, rows) if rows and last.rows else False
        if split is True and len(last.rows[-1]) != len(rows[0]):
            split = None  # the pages' columns do not pair up (a damaged file): withhold both rows
        if split is True:  # a row split over the page break
            head, *rows = rows
            joined = tuple(
                Region(
                    a.name, (a.lines[0] + b.lines[0],), a.region, a.ink, (*a.boxes, *b.boxes), None,
                    a.doubt or b.doubt,
                )
                for a, b in zip(last.rows[-1], head, strict=True)
            )  # fmt: skip
            rows = [joined, *rows]
            parts[-1] = replace(last, rows=(*last.rows[:-1], *rows))
        elif split is None:  # two rows, or one row split: both withheld
            why = PAGE_BREAK_DOUBT
            before, after = last.rows[-1], rows[0]
            rows[0] = (replace(after[0], doubt=after[0].doubt or why), *after[1:])
            ending = (replace(before[0], doubt=before[0].doubt or why), *before[1:])
            parts[-1] = replace(last, rows=(*last.rows[:-1], ending, *rows))
        else:
            parts[-1] = replace(last, rows=(*last.rows, *rows))
    elif lead and isinstance(last, ScheduleRead):
        parts[-1] = ScheduleRead((), (), (), last.region, (*last.lines, *_column_lines(lead)))
    parts += _label_parts(runs, segments, region, labels, bounds, s)
    return TableRead(t.page, t.box, tuple(parts), unassigned, t.reach)


def read_tables(
    page: Page, s: ReaderSettings = DEFAULT_SETTINGS, runs: list[Run] | None = None
) -> list[TableRead]:
    """Every initiative table of the page, read, left table first."""
    runs = runs_of(page.chars, page.segments, s, page.fills) if runs is None else runs
    body = stacked_words([r for r in runs if not _is_page_number(r, page, s)], s)
    out = []
    for t in find_tables(body, page, s):
        out.append(read_table([r for r in body if t.holds(r)], page.segments, t, s, page.number))
    return out


def stacked_words(runs: Sequence[Run], s: ReaderSettings = DEFAULT_SETTINGS) -> list[Run]:
    """The runs with the header's label words printed one character a line (項 / 目, 所 / 管 / 部, in a
    narrow header cell) each made one run over the box of its pieces, so that a table is anchored and
    its header read whichever way its labels are written."""
    out = list(runs)
    for word in (ITEM, DEPARTMENTS):
        for label in find_labels(out, word, s):
            if len(label.runs) < 2:
                continue
            pieces = {id(r) for r in label.runs}
            first = label.runs[0]
            merged = Run(word, label.x0, label.top, label.x1, label.bottom, first.size)
            out = [merged if r is first else r for r in out if id(r) not in pieces or r is first]
    return out


def _is_page_number(r: Run, page: Page, s: ReaderSettings) -> bool:
    return bool(_PAGE_NUMBER.match(nfkc(r.text))) and r.top > page.height * (1 - s.furniture_band)


def find_tables(runs: Sequence[Run], page: Page, s: ReaderSettings = DEFAULT_SETTINGS) -> list[Table]:
    """A region per 項目 anchor: left to the next anchor beside it, down to the next below it."""
    anchors = [r for r in runs if squash(r.text).startswith(ITEM) and _has_id(runs, r, s)]
    tables: list[Table] = []
    for a in anchors:
        beside = [
            b for b in anchors if b is not a and b.x0 > a.x1 and abs(b.top - a.top) < s.anchor_band * a.height
        ]
        x1 = min((b.x0 for b in beside), default=page.width) - s.slack
        below = [b for b in anchors if b is not a and b.top > a.bottom and b.x0 < x1 and b.x1 > a.x0 - a.size]
        bottom = min((b.top for b in below), default=page.height) - s.table_foot * a.height
        abreast = [b.x1 for b in anchors if b.x1 < a.x0 and abs(b.top - a.top) < s.anchor_band * a.height]
        left = max(abreast, default=0.0)
        top = _rule_above(page.segments, a, s) or a.top - s.row_gap * a.size
        tables.append(Table(max(left, a.x0 - s.anchor_reach * a.size), top, x1, bottom))
    return sorted(tables, key=lambda t: (t.x0, t.top))


def _has_id(runs: Sequence[Run], anchor: Run, s: ReaderSettings = DEFAULT_SETTINGS) -> bool:
    """A 項目 anchor has an item id in it or right beside it (not a page header reading 項目)."""
    rest = squash(anchor.text)[len(ITEM) :]
    if rest:
        return bool(_ID.match(rest))
    return any(
        _ID.match(squash(r.text))
        and r.x0 >= anchor.x1
        and (abs(r.top - anchor.top) < s.beside * anchor.height or anchor.top <= r.cy <= anchor.bottom)
        for r in runs
    )


def _rule_above(segments: Sequence[Segment], a: Run, s: ReaderSettings = DEFAULT_SETTINGS) -> float | None:
    """The rule just above a 項目 anchor, across it: the table's top edge."""
    reach = s.anchor_reach * a.height
    tops = [g.top for g in segments if g.horizontal and g.top <= a.top and a.top - g.top < reach
            and g.x0 <= a.x0 + 1 and g.x1 >= a.x1]  # fmt: skip
    return max(tops) if tops else None


BBox = tuple[float, float, float, float]
"""x0, top, x1, bottom in points from the page's top-left."""
PageBox = tuple[int, float, float, float, float]
"""A page number (from 1) and a BBox on it: where a text was printed."""


def _union(boxes: Iterable[PageBox | None]) -> PageBox | None:
    """The box around boxes of one page (those of the first page given, where a row was cut by a
    page break)."""
    bs = [b for b in boxes if b is not None]
    if not bs:
        return None
    bs = [b for b in bs if b[0] == bs[0][0]]
    return (
        bs[0][0],
        min(b[1] for b in bs),
        min(b[2] for b in bs),
        max(b[3] for b in bs),
        max(b[4] for b in bs),
    )


def _box(runs: Iterable[Run]) -> BBox | None:
    rs = list(runs)
    if not rs:
        return None
    return (min(r.x0 for r in rs), min(r.top for r in rs), max(r.x1 for r in rs), max(r.bottom for r in rs))


@dataclass(frozen=True)
class Region:
    """What the reader took as one field or cell: its text lines, the region it governs and the
    box of the text found there."""

    name: str
    lines: tuple[str, ...]
    region: BBox
    ink: BBox | None
    boxes: tuple[PageBox | None, ...] = ()
    """Where each line was printed (a cell: where its text was)."""
    label_box: PageBox | None = None
    """Where the field's label was printed."""
    doubt: str | None = None
    """Why the geometry does not decide this row (a schedule row's label region), else None."""


@dataclass(frozen=True)
class ScheduleRead:
    """The 年次別計画 as read: year headers, column edges, and per row its label and cells."""

    years: tuple[str, ...]
    edges: tuple[float, ...]
    """The x where the row labels end, then where each year column ends."""
    rows: tuple[tuple[Region, ...], ...]
    """Per row: the label region, then one region per year."""
    region: BBox
    lines: tuple[str, ...] = ()
    """Text of a schedule read without year headers (kept as plain lines)."""
    headers: tuple[Run, ...] = ()
    """The year headers as printed (where their columns continue on the next page)."""


@dataclass(frozen=True)
class TableRead:
    """One initiative table as read from a page: its parts in print order (the header, each labelled
    field, the schedule) with the regions they came from; `lines()` gives the text parsers' lines."""

    page: int
    box: BBox
    parts: tuple[Region | ScheduleRead, ...]
    unassigned: tuple[Run, ...] = ()
    """Text inside the table's region that no field or cell took (ink accounting): handed on as
    lines of their own, in no field, so that `validate` reports them as lost text."""
    reach: float = 0.0
    """How far right the table's region runs (to the next table beside it, else the page's edge):
    where its rest may stand on the next page, however narrow its ink on this one (a table that
    began at the page's foot with its header alone)."""

    @property
    def header(self) -> str:
        first = self.parts[0] if self.parts else None
        return first.lines[0] if isinstance(first, Region) and first.lines else ""

    def lines(self) -> list[str]:
        return [text for text, _, _ in self.boxed_lines()]

    def boxed_lines(self) -> list[tuple[str, PageBox | None, str]]:
        """The table's lines, each with where it was printed (a schedule row: the union of its
        label's and cells' text on the row's page) and its role: header, label:FIELD, FIELD (its
        text) or row (content, schedule, effects, results)."""
        out: list[tuple[str, PageBox | None, str]] = []
        for part in self.parts:
            if isinstance(part, Region):
                role = "header" if part.name == ITEM else FIELD_OF.get(part.name, "results")
                if part.name != ITEM:
                    out.append((part.name, part.label_box, "label:" + role))
                boxes = part.boxes or (None,) * len(part.lines)
                out += [(line, box, role) for line, box in zip(part.lines, boxes, strict=True)]
            elif not part.years:
                out += [(SCHEDULE, None, "label:schedule"), *((line, None, "row") for line in part.lines)]
            else:
                out.append((SCHEDULE + " " + " ".join(part.years), None, "label:schedule"))
                for row in part.rows:
                    text = TAB.join("".join(c.lines) for c in row)
                    out.append((text, _union(b for c in row for b in c.boxes), "row"))
        out += [(r.text, (self.page, r.x0, r.top, r.x1, r.bottom), "unassigned") for r in self.unassigned]
        return out

    def row_cells(self) -> list[tuple[str, ...] | None]:
        """Per schedule line (in `boxed_lines` order): its cells (label, then one per year) when the
        row was read cell by cell, else None (a line of text for the row cut)."""
        out: list[tuple[str, ...] | None] = []
        for part in self.parts:
            if isinstance(part, ScheduleRead):
                if part.years:
                    out += [tuple("".join(c.lines) for c in row) for row in part.rows]
                else:
                    out += [None] * len(part.lines)
        return out

    def row_doubts(self) -> list[str | None]:
        """Per schedule row read cell by cell (in `boxed_lines` order): why its geometry does not
        decide it, else None."""
        return [row[0].doubt for part in self.parts if isinstance(part, ScheduleRead) for row in part.rows]


def read_table(
    runs: Sequence[Run],
    segments: Sequence[Segment],
    t: Table,
    s: ReaderSettings = DEFAULT_SETTINGS,
    page: int = 0,
) -> TableRead:
    """One table read by its labels: the header band (項目 … 所管部 …), then each label's band from
    where it begins to where the next begins: 取組み内容, 年次別計画 (the schedule), 目指すべき効果・成果,
    R6実績. A field's value is the text right of its label within its band."""
    labels = _labels(runs, s)
    reach = t.x1
    # the rules and gaps are judged against the table's inked width, not its region's
    t = Table(
        t.x0,
        t.top,
        max((r.x1 for r in runs), default=t.x1),
        max((r.bottom for r in runs), default=t.bottom) + 1,
        page,
    )
    anchor = min((r for r in runs if squash(r.text).startswith(ITEM)), key=lambda r: r.top, default=None)
    bounds = _bounds(runs, segments, t, anchor, labels, s)
    head = [r for r in runs if bounds[0] <= r.cy < bounds[1]]
    header = tuple(_header_lines(head, s))
    parts: list[Region | ScheduleRead] = [
        Region(
            ITEM,
            header,
            (t.x0, bounds[0], t.x1, bounds[1]),
            _box(head),
            (t.box(head),) * len(header),  # each header line is placed by the whole header's box
        )
    ]
    parts += _label_parts(runs, segments, t, labels, bounds, s)
    unassigned = _unassigned(runs, labels, bounds, s)
    return TableRead(page, (t.x0, t.top, t.x1, t.bottom), tuple(parts), unassigned, reach)


def _unassigned(
    runs: Sequence[Run], labels: Sequence[Label], bounds: Sequence[float], s: ReaderSettings
) -> tuple[Run, ...]:
    """The runs of a table that no part takes (as `_label_parts` and `_schedule` take them): in a
    field's band, text left of its label's right edge; in the schedule's band, text above the year
    headers' foot that is no year header."""
    label_runs = {id(r) for lb in labels for r in lb.runs}
    out: list[Run] = []
    for k, lb in enumerate(labels):
        top, bottom = bounds[k + 1], bounds[k + 2]
        band = [r for r in runs if top <= r.cy < bottom and id(r) not in label_runs]
        if lb.word != SCHEDULE:
            out += [r for r in band if r.x0 < lb.x1 - s.slack]
            continue
        years = _year_headers(band, s)
        if not years:
            continue
        head_bottom = max(y.bottom for y in years)
        e = s.slack
        spans = [(y.x0 - e, y.top - e, y.x1 + e, y.bottom + e) for y in years]
        out += [
            r
            for r in band
            if r.top <= head_bottom - s.header_foot * r.height
            and not any(a <= r.x0 and r.x1 <= c and b <= r.top and r.bottom <= d for a, b, c, d in spans)
        ]
    return tuple(out)


def _labels(runs: Sequence[Run], s: ReaderSettings) -> list[Label]:
    """The field labels printed among `runs` (each at most once), top to bottom."""
    labels: list[Label] = []
    for word in (CONTENT, SCHEDULE, EFFECTS):
        labels += find_labels(runs, word, s)[:1]
    labels += _results_labels(runs, s)[:1]
    return sorted(labels, key=lambda lb: lb.top)


def _bounds(
    runs: Sequence[Run],
    segments: Sequence[Segment],
    t: Table,
    first: Run | None,
    labels: Sequence[Label],
    s: ReaderSettings,
) -> list[float]:
    """The band edges: the table's top, where each label's band begins, the table's bottom."""
    bounds = [t.top]
    for a, b in zip([first, *labels], labels, strict=False):
        bounds.append(_boundary(runs, segments, t, a, b, s))
    return [*bounds, t.bottom]


def _label_parts(
    runs: Sequence[Run],
    segments: Sequence[Segment],
    t: Table,
    labels: Sequence[Label],
    bounds: Sequence[float],
    s: ReaderSettings,
) -> list[Region | ScheduleRead]:
    """Each label's field: the text right of the label within its band (bounds[k + 1] to
    bounds[k + 2]), or the schedule read from its band."""
    label_runs = {r for lb in labels for r in lb.runs}
    parts: list[Region | ScheduleRead] = []
    for k, lb in enumerate(labels):
        top, bottom = bounds[k + 1], bounds[k + 2]
        band = [r for r in runs if top <= r.cy < bottom and r not in label_runs]
        if lb.word == SCHEDULE:
            parts.append(_schedule(band, segments, Table(t.x0, top, t.x1, bottom, t.page), s))
        else:
            name = lb.word if lb.word in (CONTENT, EFFECTS) else lb.printed
            value = _column_runs(r for r in band if r.x0 >= lb.x1 - s.slack)
            parts.append(
                Region(
                    name,
                    tuple(r.text for r in value),
                    (lb.x1, top, t.x1, bottom),
                    _box(value),
                    tuple(t.box([r]) for r in value),
                    t.box(lb.runs),
                )
            )
    return parts


def _boundary(
    runs: Sequence[Run],
    segments: Sequence[Segment],
    t: Table,
    a: Label | Run | None,
    b: Label,
    s: ReaderSettings,
) -> float:
    """Where label b's band begins: the last rule between the previous label and b crossing the
    table, else the last whitespace band above b wider than a line's leading (b's own text may
    begin above it when b is centred in its band), else just above b. With no label before b (a
    table's rest on a new page) the rule just above the region's first text counts too: it is the
    top of b's own cell when b's text opens the page."""
    lo = a.bottom if a else t.top
    reach = lo if a else lo - s.stack_gap * (b.bottom - b.top)
    span = t.x1 - b.x0
    rules = [g.top for g in segments if g.horizontal and reach <= g.top <= b.top + s.slack
             and min(g.x1, t.x1) - max(g.x0, b.x0) >= s.rule_span * span]  # fmt: skip
    if rules:
        return max(rules)
    size = b.runs[0].size
    gaps = _free([(r.top, r.bottom) for r in runs if r.bottom > lo and r.top < b.top], lo, b.top)
    wide = [g for g in gaps if g[1] - g[0] > s.row_gap * size]
    if wide:
        return (wide[-1][0] + wide[-1][1]) / 2
    return _just_above(b, s)


def _just_above(b: Label, s: ReaderSettings) -> float:
    """A label's band begins just above it where neither a rule nor a gap says where."""
    return b.top - s.label_lead * (b.bottom - b.top)


def _free(spans: Iterable[tuple[float, float]], lo: float, hi: float) -> list[tuple[float, float]]:
    """The intervals of (lo, hi) that no span covers, in order."""
    out: list[tuple[float, float]] = []
    at = lo
    for s0, s1 in sorted(spans):
        if s0 > at:
            out.append((at, min(s0, hi)))
        at = max(at, s1)
    if hi > at:
        out.append((at, hi))
    return [(a, b) for a, b in out if b > a]


def _header_lines(runs: Sequence[Run], s: ReaderSettings) -> list[str]:
    """「項目 {id} {title} 所管部 {departments}」 from the header band, whether printed as one bar or
    as cells (項目 | id | title over lines | 所管部 | departments one a line)."""
    marks = [r for r in runs if squash(r.text) == DEPARTMENTS]
    if not marks:
        return ["".join(reading_lines(runs, s))] if runs else []  # one bar, wrapped
    mark = marks[0]
    left = [r for r in runs if r.cx < mark.x0]
    depts = _wrapped_names(_column_runs(r for r in runs if r.x0 >= mark.x1 - s.slack))
    cells = _by_columns(left, s)
    words = [w for col in cells for w in col]
    head = " ".join(words[:2]) if words and squash(words[0]) == ITEM else (words[0] if words else "")
    rest = words[2:] if words and squash(words[0]) == ITEM else words[1:]
    # the id cell alone (「1-1」, 「項目 1-1」) is followed by the title; a cell holding the id and the
    # title's first line (「1-1 広報・広聴機能の」) runs on into the title's next lines
    id_only = bool(_ID.fullmatch(squash(head).removeprefix(ITEM)))
    title = ("" if not rest else " " if id_only else "") + "".join(rest)
    # one department a line, or names joined by 、 and wrapped like any text
    joined = "".join(depts) if any("、" in d for d in depts) else "、".join(depts)
    return [f"{head}{title} {DEPARTMENTS} {joined}".strip()]


def _wrapped_names(lines: Sequence[Run]) -> list[str]:
    """The 所管部 cell's lines as names: a line that reaches the cell's right end (as far right as
    its longest line, within a character) without ending like a department name (部, 局, 室, …) is a
    name wrapped in a narrow cell, continued on the next line (みどり３３推進担 / 当部)."""
    right = max((r.x1 for r in lines), default=0.0)
    out: list[str] = []
    joined = False
    for r in lines:
        if joined:
            out[-1] += r.text
        else:
            out.append(r.text)
        joined = r.x1 >= right - r.size and not _DEPARTMENT.match(squash(out[-1])) and "、" not in r.text
    return out


def _by_columns(runs: Sequence[Run], s: ReaderSettings = DEFAULT_SETTINGS) -> list[list[str]]:
    """Runs grouped into columns (overlapping x-extents), left to right, each top to bottom."""
    cols: list[list[Run]] = []
    for r in sorted(runs, key=lambda r: r.x0):
        for col in cols:
            if r.x0 < max(c.x1 for c in col) - s.column_overlap * r.size:
                col.append(r)
                break
        else:
            cols.append([r])
    return [[r.text for r in sorted(col, key=lambda r: (r.top, r.x0))] for col in cols]


def _schedule(band: Sequence[Run], segments: Sequence[Segment], t: Table, s: ReaderSettings) -> ScheduleRead:
    """The schedule's band read: year headers, column edges, and the rows' label and cells."""
    region = (t.x0, t.top, t.x1, t.bottom)
    years = _year_headers(band, s)
    if not years:
        return ScheduleRead((), (), (), region, tuple(_column_lines(band)))
    head_bottom = max(y.bottom for y in years)
    rows_area = [r for r in band if r.top > head_bottom - s.header_foot * r.height]
    # column edges: the row-label column ends where R6 begins; each year column where the next begins
    starts = None if _has_column_rules(rows_area, segments, years) else _ink_starts(rows_area, years, s)
    if starts is not None:
        edges = [x - s.slack for x in starts] + [t.x1 + 1]
    else:
        edges = [_column_edge(rows_area, segments, (a.x1, b.x0), s) for a, b in itertools.pairwise(years)]
        first = _first_edge(rows_area, segments, years, edges[0] if edges else years[0].x1, t)
        edges = [first, *edges, t.x1 + 1]
    names = tuple(f"R{_YEAR.match(squash(y.text))[1]}" for y in years)  # type: ignore[index]
    rows = _row_regions(rows_area, segments, edges, names, head_bottom, t, s)
    cut = _crossing(years, edges, s)
    if cut is not None:  # the column edges cut a year header: header and ink disagree on the bounds
        why = f"the year columns' edges cut a year header: {cut.text}"
        rows = [(replace(row[0], doubt=row[0].doubt or why), *row[1:]) for row in rows]
    return ScheduleRead(names, tuple(edges), tuple(rows), region, headers=tuple(years))


def _verticals_beside(runs: Sequence[Run], segments: Sequence[Segment]) -> list[Segment]:
    """The vertical rules that run beside some of `runs` (their heights overlap the runs' span): the
    rules of this table's rows, not those of a table above or below it."""
    top = min((r.top for r in runs), default=0.0)
    bottom = max((r.bottom for r in runs), default=0.0)
    return [g for g in segments if not g.horizontal and g.bottom > top and g.top < bottom]


def _has_column_rules(runs: Sequence[Run], segments: Sequence[Segment], years: Sequence[Run]) -> bool:
    """Whether vertical rules run between the year headers, beside the rows (a ruled grid's columns)."""
    verticals = _verticals_beside(runs, segments)
    return any(a.x1 - 1 <= g.x0 <= b.x0 + 1 for a, b in itertools.pairwise(years) for g in verticals)


def _ink_starts(runs: Sequence[Run], years: Sequence[Run], s: ReaderSettings) -> list[float] | None:
    """Where each year column's text begins, from the header and the ink under it together: cells are
    written flush left, so a column's runs start at one x; a year's column starts at the last such x
    at or left of its header (a header flush left stands at it, a centred one right of it) and right
    of the previous header. None where some year has no such x (cells centred, or a column empty):
    the edges are then found from gaps and rules."""
    if not runs:
        return None
    size = statistics.median(r.size for r in runs)
    label_left = min(r.x0 for r in runs)
    xs = sorted({round(r.x0, 1) for r in runs if r.x0 > label_left + size})
    clusters: list[float] = []
    for x in xs:
        if not clusters or x - clusters[-1] > s.stack_gap:  # within a point or so: one column start
            clusters.append(x)
    out: list[float] = []
    for k, y in enumerate(years):
        lo = years[k - 1].x1 if k else label_left + size
        fits = [c for c in clusters if lo < c <= y.x0 + s.cell_reach * y.size and (not out or c > out[-1])]
        if not fits:
            return None
        out.append(fits[-1])
    return out


def _row_regions(
    runs: Sequence[Run],
    segments: Sequence[Segment],
    edges: Sequence[float],
    names: Sequence[str],
    top: float,
    t: Table,
    s: ReaderSettings,
) -> list[tuple[Region, ...]]:
    """The schedule rows among `runs` (below `top`), each as its label region and a region per
    year column (`edges` as ScheduleRead.edges)."""
    rows = []
    for row in _rows(runs, segments, edges, top, t, s):
        y0, y1 = min(r.top for r in row), max(r.bottom for r in row)
        regions = []
        doubt = _row_doubt(row, edges, s)
        for name, lo, hi in zip(("label", *names), (t.x0, *edges), edges, strict=False):
            inside = [r for r in row if lo <= r.cx < hi]
            regions.append(
                Region(
                    name,
                    ("".join(_column_lines(inside)),),
                    (lo, y0, hi, y1),
                    _box(inside),
                    (t.box(inside),),
                    doubt=doubt if name == "label" else None,
                )
            )
        rows.append(tuple(regions))
    return rows


def _crossing(runs: Sequence[Run], edges: Sequence[float], s: ReaderSettings) -> Run | None:
    """The first run that reaches well past a column edge on both sides (`straddle`), else None."""
    for r in runs:
        reach = s.straddle * r.size
        if any(r.x0 < e - reach and r.x1 > e + reach for e in edges[:-1]):
            return r
    return None


def _row_doubt(row: Sequence[Run], edges: Sequence[float], s: ReaderSettings) -> str | None:
    """Why the geometry does not decide the row's cells: a run of its text across a column edge."""
    r = _crossing(row, edges, s)
    return None if r is None else f"text runs across a column boundary: {r.text}"


def _year_headers(band: Sequence[Run], s: ReaderSettings = DEFAULT_SETTINGS) -> list[Run]:
    """The year headers (R6..R9 in any printed form) on one line, left to right; a header wrapped
    in a narrow column (令和7年 / 度) is one run again."""
    ys = [r for r in band if _YEAR.match(squash(r.text))]
    if not ys:
        return []
    first = min(ys, key=lambda r: r.top)
    line = sorted((r for r in ys if abs(r.cy - first.cy) < first.height), key=lambda r: r.x0)
    out = []
    for y in line:
        tail = [
            r
            for r in band
            if r is not y
            and 0 <= r.top - y.bottom <= s.stack_gap * y.height
            and y.x0 - y.size <= r.x0 <= y.x1
            and _YEAR.match(squash(y.text + r.text))
        ]
        if tail:
            t = min(tail, key=lambda r: r.top)
            y = Run(y.text + t.text, min(y.x0, t.x0), y.top, max(y.x1, t.x1), t.bottom, y.size)
        out.append(y)
    return out


def _column_edge(
    runs: Sequence[Run], segments: Sequence[Segment], between: tuple[float, float], s: ReaderSettings
) -> float:
    """The x where one year column begins, between its header and the previous one: a vertical rule
    there, else the right end of the widest ink-free gap (cells are written flush left, so the
    column's text starts right after its edge), else the headers' midpoint."""
    lo, hi = between
    rules = [g.x0 for g in _verticals_beside(runs, segments) if lo - 1 <= g.x0 <= hi + 1]
    if rules:
        return min(rules, key=lambda x: abs(x - (lo + hi) / 2))
    gaps = _free([(r.x0, r.x1) for r in runs if r.x1 > lo and r.x0 < hi], lo, hi)
    if not gaps:
        return (lo + hi) / 2
    a, b = max(reversed(gaps), key=lambda g: g[1] - g[0])
    return b - min(s.slack, (b - a) / 2)


def _first_edge(
    runs: Sequence[Run], segments: Sequence[Segment], years: Sequence[Run], next_edge: float, t: Table
) -> float:
    """Where the row labels end and the first year column begins: a vertical rule left of the
    first header, else where the header's alignment puts the column's left edge (centred: as far
    left of the header's centre as the next edge is right of it; flush left: as far left of the
    header as the next header is right of its edge), moved into the nearest ink-free gap."""
    first = years[0]
    ink = min((r.x0 for r in runs), default=t.x0) + first.size  # a rule with no text left of it is the frame
    rules = [g.x0 for g in _verticals_beside(runs, segments) if ink < g.x0 <= first.x0 + 1]
    if rules:
        return max(rules)
    if len(years) > 1 and years[1].x0 - next_edge < years[1].size:
        guess = first.x0 - (years[1].x0 - next_edge)
    else:
        guess = 2 * first.cx - next_edge
    free = _free([(r.x0, r.x1) for r in runs if r.x0 < first.x1], t.x0, first.x1)
    if not free:
        return guess
    lo, hi = min(
        free, key=lambda g: 0.0 if g[0] <= guess <= g[1] else min(abs(guess - g[0]), abs(guess - g[1]))
    )
    return min(max(guess, lo), hi)


def _rows(
    runs: Sequence[Run],
    segments: Sequence[Segment],
    edges: Sequence[float],
    top: float,
    t: Table,
    s: ReaderSettings,
) -> list[list[Run]]:
    """The schedule's rows: split at horizontal rules crossing the year columns, else at
    whitespace bands wider than row_gap (cells are padded apart)."""
    if not runs:
        return []
    span = edges[-1] - edges[0]
    rules = sorted({round(g.top, 1) for g in segments if g.horizontal and top < g.top < t.bottom
                    and min(g.x1, edges[-1]) - max(g.x0, edges[0]) >= s.rule_span * span})  # fmt: skip
    cuts: list[float]
    if rules:
        cuts = rules
    else:
        size = statistics.median(r.size for r in runs)
        cuts = []
        at = None
        for r0, r1 in sorted((r.top, r.bottom) for r in runs):
            if at is not None and r0 - at > s.row_gap * size:
                cuts.append((at + r0) / 2)
            at = r1 if at is None else max(at, r1)
    rows: list[list[Run]] = [[] for _ in range(len(cuts) + 1)]
    for r in runs:
        rows[sum(c < r.cy for c in cuts)].append(r)
    return [row for row in rows if row]
