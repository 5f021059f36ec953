"""Render a report PDF from a Report's records: a stand-in for the original PDF, for extractor tests.

usage: python tools/make_report_pdf.py [--layout-seed N] REPORT.json|REPORT.txt OUT.pdf

The input is a JSON document a parse wrote, or a report file that is parsed first
(``plan_etl.api.load_report`` tells them apart by their first bytes).

Pages (landscape A4, laid out like the real report):

1. front matter: one page per group of ``report.sections`` (a group opens at a 「Ⅰ」-style heading);
2. goals (page header 「Ⅱ 新たな行政経営移行の５つの到達点ごとの推進状況」), two per page one above the other,
   each block read top to bottom as ``parse_goals`` expects it: name, description, 視点 labels,
   「到達点 視点」, the goal number, 「主な効果・成果例」, category, ➢ examples, amounts, 削減時間;
3. table of contents (「Ⅲ プランの取組み」 / 「１．取組み項目一覧」): per goal a 「到達点N　name」 heading and
   one ``{id_raw} {title} P.{page}`` line per entry, as ``parse_toc`` expects it;
4. initiatives: one page per printed page number, each initiative one ruled table (GRID 0.5pt, five
   columns: label + R6..R9), two tables side by side or one at full width; the font shrinks per page
   until the tables fit.

That is the default ``Layout``. Ward offices re-lay out their reports from year to year, so the
initiative tables can also be drawn in other layouts (header cells, merged label columns, rules, label
wording, font, column widths, tables per page, continued tables, year headers): ``Layout.draw(rng)``
picks one at random, ``--layout-seed N`` draws it from ``random.Random(N)``.

The output is deterministic (reportlab's invariant mode): the same records and layout give the same bytes.
"""

from __future__ import annotations

import random
import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Literal, get_args
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, Paragraph, Spacer, Table, TableStyle

from plan_etl.schemas.records import YEARS, Goal, Initiative, Report

FONT = "HeiseiKakuGo-W5"
PAGE_W, PAGE_H = landscape(A4)
MARGIN = 30.0
GAP = 10.0
"""Space between the left and right tables."""

GOALS_HEADER = "Ⅱ 新たな行政経営移行の５つの到達点ごとの推進状況"
PART3_HEADER = "Ⅲ プランの取組み"
TOC_HEADER = "１．取組み項目一覧"
ITEMS_HEADER = "２．取組み項目"
VIEWPOINT_LABELS = "組織 人材 施設 協働 外郭 デジタル"
EFFECT_LEGEND = "主な効果・成果例"

BASE_COL_WIDTHS = (70.0, 79.0, 79.0, 79.0, 79.0)
"""Column widths of a half-width table (label, R6, R7, R8, R9); scaled for a full-width one."""
TABLE_TOP = PAGE_H - 58.0
TABLE_BOTTOM = 36.0
FONT_SIZES = tuple(x / 4 for x in range(28, 15, -1))
"""Table font sizes tried in turn (7pt down to 4pt) until a page's tables fit."""
LEADING = 1.25

CMAP = "UniJIS-UCS2-H"
"""The encoding reportlab gives the font (UnicodeCIDFont's default for HeiseiKakuGo-W5)."""
SUBSTITUTES = {"➢": "▶", "►": "▶", **{chr(0x2780 + i): chr(0x2460 + i) for i in range(10)}}
"""Look-alikes for characters the font has no glyph for (➢ bullets, ➀ dingbat circled digits)."""

_FULL_WIDTH = str.maketrans("0123456789R", "０１２３４５６７８９Ｒ")
_NO_LINE_START = set("①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳・●○◆■※➢▶【(（")
"""Characters that would make ``join_wrapped`` open a new paragraph if a wrapped line began with them."""


# --- layouts ---------------------------------------------------------------------------------------

HeaderStyle = Literal["bar", "split", "label_id"]
ScheduleLabels = Literal["column", "merged", "wide"]
Rules = Literal["grid", "rows", "none"]
FontName = Literal["HeiseiKakuGo-W5", "HeiseiMin-W3"]
PerPage = Literal[2, 1, "stacked"]
YearHeader = Literal["R6", "Ｒ６", "R6年度", "令和6年度"]

LABEL_WORDS = ("取組み内容", "年次別計画", "目指すべき効果・成果")
"""The fixed row labels of an initiative table (the schedule rows and 実績 label come from the records)."""
SPLIT_LABELS = {"取組み内容": "取組み\n内容", "目指すべき効果・成果": "目指すべき\n効果・成果"}
"""The labels ``split_labels`` prints on two lines."""
CONTINUED_SIZE = 9.0
"""The fixed table font size of a ``continued`` layout: large enough that long tables run over pages."""
STACK_MIN_SIZE = 5.0
"""The smallest font size at which a ``"stacked"`` layout puts two tables on one page."""
MIN_PIECE = 60.0
"""The least height left on a page that a ``continued`` table starts (is split) in."""


def _choices(kind: object) -> tuple:
    return get_args(kind)


@dataclass(frozen=True)
class Layout:
    """How the initiative tables are drawn: one point in the space of layouts a ward's report may use.

    The default is the layout this tool has always drawn (its output is byte for byte what it was);
    ``Layout.draw(rng)`` picks a random variant, for extractor tests that must not depend on one layout.
    """

    header: HeaderStyle = "bar"
    """The header row. ``"bar"``: one spanned cell 「項目 {id} {title} 所管部 {departments}」.
    ``"split"``: five cells 項目 | id | title | 所管部 | departments, the title wrapping in its cell and
    the departments one per line. ``"label_id"``: four cells 「項目 {id}」 | title | 所管部 |
    departments joined by 、."""
    schedule_labels: ScheduleLabels = "column"
    """Where the 年次別計画 row labels go. ``"column"``: in the label column (five columns: label,
    R6..R9). ``"merged"``: 年次別計画 is one cell of the first column spanning the year header row and
    all schedule rows, the row labels have a second column of their own, then R6..R9 (six columns; the
    values of the other rows span columns 1..end). ``"wide"``: 年次別計画 and the row labels span the
    two left columns, the other rows' labels take the first one only."""
    rules: Rules = "grid"
    """The lines drawn. ``"grid"``: every cell ruled (0.5pt) and the label cells shaded. ``"rows"``:
    horizontal lines between rows and a box round the table, only the header row shaded (a shaded
    column would draw vertical edges). ``"none"``: no lines and no shading, more padding between rows."""
    split_labels: bool = False
    """Print 取組み内容 as 「取組み」/「内容」 and 目指すべき効果・成果 as 「目指すべき」/「効果・成果」
    (two lines in the cell)."""
    vertical_labels: bool = False
    """Print 取組み内容, 年次別計画 and 目指すべき効果・成果 one character per line (vertical writing);
    wins over ``split_labels``."""
    font: FontName = "HeiseiKakuGo-W5"
    """The font of every page: Gothic (HeiseiKakuGo-W5) or Mincho (HeiseiMin-W3), reportlab's built-in
    CID fonts; both are Adobe-Japan1 with the UniJIS-UCS2-H encoding, so ``printable`` / ``read_back``
    hold for either."""
    label_width: float = 1.0
    """Scale of the label column (e.g. 0.7..1.4); the table keeps its width, the year columns give way."""
    year_widths: tuple[float, float, float, float] = (1.0, 1.0, 1.0, 1.0)
    """Relative widths of the R6..R9 columns (equal by default)."""
    per_page: PerPage = 2
    """Tables per page: ``2`` side by side (a page's one or odd table at full width), ``1`` one table
    per page at full width, ``"stacked"`` two full-width tables one above the other when both fit at a
    readable size (``STACK_MIN_SIZE``), else one per page."""
    continued: bool = False
    """A table that does not fit continues on the next page, at a fixed larger font
    (``CONTINUED_SIZE``); otherwise the font shrinks per page until the tables fit and a table only
    continues as a last resort."""
    year_header: YearHeader = "R6"
    """How the year header row prints the years: 「R6」, full-width 「Ｒ６」, 「R6年度」 or 「令和6年度」."""
    goal_columns: bool = False
    """Draw each goal's block in two columns: name, description, 視点 and the goal number on the
    left, 主な効果・成果例 with its category and examples on the right, the amounts and hours below
    across both (as a ward's goal pages set a box beside the text)."""
    vertical_header: bool = False
    """With a header in cells: print 項目 and 所管部 one character per line too (vertical writing)."""
    id_in_title: bool = False
    """With a ``"split"`` header: the id and the title in one cell 「{id} {title}」 (wrapping in it)."""
    shaded: bool = False
    """With no lines (``rules="none"``): shade the label cells and the year header, as a table with
    no borders sets its cells apart by their backgrounds."""
    centred_years: bool = False
    """Centre the year headers over their columns (the cells below stay flush left)."""
    narrow_departments: bool = False
    """With a header in cells: a departments cell so narrow that long names wrap inside (みどり３３推進担
    / 当部)."""
    portrait: bool = False
    """Portrait A4 pages instead of landscape (tables one a page where ``per_page`` is 2: two side by
    side would not fit upright)."""

    def __post_init__(self) -> None:
        for name, kind in (
            ("header", HeaderStyle),
            ("schedule_labels", ScheduleLabels),
            ("rules", Rules),
            ("font", FontName),
            ("per_page", PerPage),
            ("year_header", YearHeader),
        ):
            if getattr(self, name) not in _choices(kind):
                raise ValueError(
                    f"Layout.{name} must be one of {_choices(kind)}, not {getattr(self, name)!r}"
                )
        if not (len(self.year_widths) == len(YEARS) and all(w > 0 for w in self.year_widths)):
            raise ValueError(f"Layout.year_widths must be {len(YEARS)} positive numbers")
        if self.label_width <= 0:
            raise ValueError("Layout.label_width must be positive")

    @classmethod
    def draw(cls, rng: random.Random) -> Layout:
        """A random layout (every option drawn independently; same rng state, same layout)."""
        return cls(
            header=rng.choice(_choices(HeaderStyle)),
            schedule_labels=rng.choice(_choices(ScheduleLabels)),
            rules=rng.choice(_choices(Rules)),
            split_labels=rng.random() < 0.5,
            vertical_labels=rng.random() < 0.3,
            font=rng.choice(_choices(FontName)),
            label_width=round(rng.uniform(0.7, 1.4), 2),
            year_widths=tuple(round(rng.uniform(0.7, 1.3), 2) for _ in YEARS),  # type: ignore[arg-type]
            per_page=rng.choice(_choices(PerPage)),
            continued=rng.random() < 0.3,
            year_header=rng.choice(_choices(YearHeader)),
            goal_columns=rng.random() < 0.5,
            # drawn after the options above, so that a seed keeps drawing what it drew before them
            vertical_header=rng.random() < 0.3,
            id_in_title=rng.random() < 0.5,
            shaded=rng.random() < 0.5,
            centred_years=rng.random() < 0.5,
            narrow_departments=rng.random() < 0.3,
            portrait=rng.random() < 0.25,
        )

    @property
    def page_size(self) -> tuple[float, float]:
        """The page's width and height (points)."""
        return A4 if self.portrait else landscape(A4)

    @property
    def sizes(self) -> tuple[float, ...]:
        """The table font sizes tried in turn: one fixed size for a ``continued`` layout."""
        return (CONTINUED_SIZE,) if self.continued else FONT_SIZES

    def label(self, word: str) -> str:
        """A row label as this layout prints it, line breaks as "\n" (vertical or split in two)."""
        if self.vertical_labels and word in LABEL_WORDS:
            return "\n".join(word)
        if self.split_labels:
            return SPLIT_LABELS.get(word, word)
        return word

    def year_label(self, year: str) -> str:
        """A year column's header as this layout prints it: ``R6`` -> 「Ｒ６」, 「R6年度」, 「令和6年度」."""
        if self.year_header == "Ｒ６":
            return full_width(year)
        if self.year_header == "R6年度":
            return f"{year}年度"
        if self.year_header == "令和6年度":
            return f"令和{year.removeprefix('R')}年度"
        return year


DEFAULT_LAYOUT = Layout()
"""The layout the tool has always drawn."""


def _register_font(font: str = FONT) -> None:
    if font not in pdfmetrics.getRegisteredFontNames():
        cid = UnicodeCIDFont(font)
        # printable / read_back decode through this CMap and Adobe-Japan1: any other font would lie
        assert cid.encodingName == CMAP, (font, cid.encodingName)
        pdfmetrics.registerFont(cid)


@cache
def _font_maps():  # -> (UniJIS-UCS2-H CMap, Adobe-Japan1 CID -> Unicode map), from pdfminer
    from pdfminer.cmapdb import CMapDB

    return CMapDB.get_cmap(CMAP), CMapDB.get_unicode_map("Adobe-Japan1", False)


def _cids(ch: str) -> list[int]:
    cmap, _ = _font_maps()
    return list(cmap.decode(ch.encode("utf-16-be")))


@cache
def _printable_char(ch: str) -> str:
    if ch.isspace() or _cids(ch):
        return ch
    alt = SUBSTITUTES.get(ch) or unicodedata.normalize("NFKC", ch)
    return alt if alt != ch and all(_cids(a) for a in alt) else ch


def printable(text: str) -> str:
    """Text with each character the font has no glyph for replaced by a look-alike it has
    (SUBSTITUTES, else the NFKC form); a character with neither is kept and prints as nothing."""
    return "".join(_printable_char(ch) for ch in text)


@cache
def _read_back_char(ch: str) -> str:
    if ch.isspace():
        return ch
    _, umap = _font_maps()
    return "".join(umap.cid2unichr.get(cid, "") for cid in _cids(_printable_char(ch)))


def read_back(text: str) -> str:
    """The text a PDF reader (pdfminer/pdfplumber) gets back for text this tool prints.

    The CID font has no ToUnicode map, so a reader maps each glyph back through Adobe-Japan1's
    Unicode table: a few characters come back as their look-alike (～ -> 〜 U+301C, － -> − U+2212,
    – -> ‒ U+2012), substituted ones as the substitute (➢ -> ▶, ➀ -> ①) and unprintable ones not at all.
    """
    return "".join(_read_back_char(ch) for ch in text)


def full_width(text: str) -> str:
    """``R6予算額`` -> ``Ｒ６予算額`` (digits and R), as the report prints its labels."""
    return text.translate(_FULL_WIDTH)


def markup(text: str | None) -> str:
    """Field text as Paragraph markup: &, <, > escaped and line breaks kept."""
    return escape(printable(text or "")).replace("\n", "<br/>")


# --- plain lines (goal and contents pages) ---------------------------------------------------------


def wrap_line(text: str, size: float, width: float, font: str = FONT) -> list[str]:
    """Break text into lines no wider than width, never at a space nor before a paragraph mark.

    The goals parser joins wrapped lines without a space and opens a new paragraph at a line that
    starts with a bullet or a circled number, so such breaks would not read back as printed.
    """
    out: list[str] = []
    rest = text.strip()
    while rest:
        if pdfmetrics.stringWidth(rest, font, size) <= width:
            out.append(rest)
            break
        n = 1
        while n < len(rest) and pdfmetrics.stringWidth(rest[: n + 1], font, size) <= width:
            n += 1
        cut = n
        while cut > 1 and not _breakable(rest, cut):
            cut -= 1
        if cut <= 1:  # no safe break: take the whole overflow rather than change the text
            cut = next((i for i in range(n + 1, len(rest)) if _breakable(rest, i)), len(rest))
        out.append(rest[:cut])
        rest = rest[cut:]
    return out


def _breakable(text: str, i: int) -> bool:
    prev, nxt = text[i - 1], text[i]
    return not (prev.isspace() or nxt.isspace() or nxt in _NO_LINE_START)


@dataclass
class _TextLine:
    text: str
    size: float
    indent: float = 0.0
    space_before: float = 0.0
    keep_with_next: bool = False

    @property
    def height(self) -> float:
        return self.space_before + self.size * 1.35


def _draw_lines(
    c: Canvas, lines: Sequence[_TextLine], y: float, font: str = FONT, x: float = MARGIN
) -> float:
    """Draw lines from y (the top) downwards, from x; return the new top."""
    for ln in lines:
        y -= ln.space_before + ln.size * 1.1
        c.setFont(font, ln.size)
        c.drawString(x + ln.indent, y, printable(ln.text))
        y -= ln.size * 0.25
    return y


def _page_header(c: Canvas, *lines: str, font: str = FONT) -> float:
    y = PAGE_H - MARGIN
    for text in lines:
        c.setFont(font, 10)
        c.drawString(MARGIN, y - 10, printable(text))
        y -= 14
    return y - 6


# --- 1. front matter -------------------------------------------------------------------------------


def section_groups(report: Report) -> list[list[int]]:
    """Indexes of report.sections, one group per front page: a 「Ⅰ」-style heading opens a group."""
    groups: list[list[int]] = []
    for i, s in enumerate(report.sections):
        if not groups or (s.title.strip()[:1] and "Ⅰ" <= s.title.strip()[0] <= "Ⅻ"):
            groups.append([])
        groups[-1].append(i)
    return groups


def _front_pages(c: Canvas, report: Report, font: str = FONT) -> None:
    heading = ParagraphStyle("h", fontName=font, fontSize=14, leading=20, wordWrap="CJK", spaceAfter=8)
    title = ParagraphStyle("t", fontName=font, fontSize=11, leading=15, wordWrap="CJK", spaceBefore=6)
    body = ParagraphStyle("b", fontName=font, fontSize=9.5, leading=14, wordWrap="CJK", spaceBefore=3)
    for group in section_groups(report):
        story: list[Flowable] = []
        for n, i in enumerate(group):
            s = report.sections[i]
            story.append(Paragraph(markup(s.title), heading if n == 0 else title))
            if s.text:
                story.append(Paragraph(markup(s.text), body))
            story.append(Spacer(1, 4))
        while story:
            frame = Frame(MARGIN, MARGIN, PAGE_W - 2 * MARGIN, PAGE_H - 2 * MARGIN, showBoundary=0)
            frame.addFromList(story, c)
            c.showPage()


# --- 2. goals --------------------------------------------------------------------------------------


def _hours_text(hours: int) -> str:
    """19000 -> ``1.9`` (万時間), exact: one decimal unless more are needed."""
    value = Decimal(hours) / 10000
    if value == value.quantize(Decimal("0.1")):
        return f"{value:.1f}"
    return f"{value.normalize():f}"


def goal_lines(goal: Goal, width: float, font: str = FONT) -> list[_TextLine]:
    """A goal's block, top to bottom, in the line order parse_goals reads."""
    out = [_TextLine(goal.name, 13, space_before=4)]
    for para in goal.description.split("\n"):
        out += [_TextLine(t, 9.5) for t in wrap_line(para, 9.5, width, font)]
    out.append(_TextLine(VIEWPOINT_LABELS, 8, space_before=4))
    out.append(_TextLine("到達点 視点", 8))
    out.append(_TextLine(full_width(str(goal.goal)), 16))
    out.append(_TextLine(EFFECT_LEGEND, 9, space_before=2))
    out += [_TextLine(t, 11, indent=10) for t in wrap_line(goal.effect_category, 11, width - 10, font)]
    for example in goal.effect_examples:
        # a wrapped example reads back joined onto its bullet line
        lines = wrap_line(f"➢ {example}", 9.5, width - 10, font)
        out += [_TextLine(t, 9.5, indent=10) for t in lines]
    if goal.amounts:
        amounts = " ".join(f"{full_width(a.label)} ： {a.million_yen} 百万円" for a in goal.amounts)
        out += [_TextLine(t, 9.5, space_before=3) for t in wrap_line(amounts, 9.5, width, font)]
    for h in goal.hours_reduced:
        out.append(_TextLine(f"{full_width(h.label)} ： 約 {_hours_text(h.hours)} 万時間", 9.5))
    return out


GOAL_LEFT = 0.55
"""Share of the width the left column takes in a two-column goal block."""
GOAL_GUTTER = 24.0
GOAL_BELOW = 8.0
"""Space between a two-column goal block's columns, and above its amounts."""


def _goal_columns(
    goal: Goal, width: float, font: str
) -> tuple[list[_TextLine], list[_TextLine], list[_TextLine]]:
    """A goal's block as a left column, a right column and the lines below both."""
    left_w = width * GOAL_LEFT - GOAL_GUTTER / 2
    right_w = width - left_w - GOAL_GUTTER
    left = goal_lines(
        goal.model_copy(update={"effect_examples": [], "amounts": [], "hours_reduced": []}), left_w, font
    )
    cut = next(i for i, ln in enumerate(left) if ln.text == EFFECT_LEGEND)
    right = goal_lines(goal.model_copy(update={"amounts": [], "hours_reduced": []}), right_w - 10, font)
    start = next(i for i, ln in enumerate(right) if ln.text == EFFECT_LEGEND)
    right = [
        _TextLine(ln.text, ln.size, ln.indent, 0.0 if i == start else ln.space_before)
        for i, ln in enumerate(right[start:], start)
    ]
    below = goal_lines(goal.model_copy(update={"description": "", "effect_examples": []}), width, font)
    below = below[next(i for i, ln in enumerate(below) if ln.text == EFFECT_LEGEND) + 1 :]
    below = [ln for ln in below if ln.indent == 0]  # the amounts and hours, not the category
    if below:
        below[0] = _TextLine(below[0].text, below[0].size, 0.0, GOAL_BELOW)
    return left[:cut], right, below


def _goal_pages(c: Canvas, report: Report, font: str = FONT, columns: bool = False) -> None:
    width = PAGE_W - 2 * MARGIN
    top = None
    for goal in report.goals:
        if columns:
            left, right, below = _goal_columns(goal, width, font)
            height = max(sum(ln.height for ln in left), sum(ln.height for ln in right))
            height += sum(ln.height for ln in below) + 10
        else:
            lines = goal_lines(goal, width, font)
            height = sum(ln.height for ln in lines) + 10
        if top is not None and top - height < MARGIN:
            c.showPage()
            top = None
        if top is None:
            top = _page_header(c, GOALS_HEADER, font=font)
        if columns:
            x_right = MARGIN + width * GOAL_LEFT + GOAL_GUTTER / 2
            bottom = min(_draw_lines(c, left, top, font), _draw_lines(c, right, top, font, x_right))
            top = _draw_lines(c, below, bottom, font) - 10
        else:
            top = _draw_lines(c, lines, top, font) - 10
    if top is not None:
        c.showPage()


# --- 3. table of contents --------------------------------------------------------------------------


def toc_lines(report: Report, width: float, font: str = FONT) -> list[_TextLine]:
    names = {g.goal: g.name for g in report.goals}
    out: list[_TextLine] = []
    goal = None
    for e in report.toc:
        if e.goal != goal:
            goal = e.goal
            heading = f"到達点{full_width(str(goal))}　{names.get(goal, '')}".rstrip()
            out.append(_TextLine(heading, 10, space_before=0 if not out else 6, keep_with_next=True))
        entry = f"{e.id_raw} {e.title} P.{e.page}"
        out += [_TextLine(t, 9, indent=12) for t in wrap_line(entry, 9, width, font)]
    return out


def _toc_pages(c: Canvas, report: Report, font: str = FONT) -> None:
    lines = toc_lines(report, PAGE_W - 2 * MARGIN - 12, font)
    while lines:
        top = y = _page_header(c, PART3_HEADER, TOC_HEADER, font=font)
        n = 0
        while n < len(lines) and y - lines[n].height >= MARGIN:
            y -= lines[n].height
            n += 1
        while 1 < n < len(lines) and lines[n - 1].keep_with_next:
            n -= 1
        n = max(n, 1)
        _draw_lines(c, lines[:n], top, font)
        lines = lines[n:]
        c.showPage()


# --- 4. initiatives --------------------------------------------------------------------------------


SNAP = 12.0
"""How far (pt) a header cell edge moves to sit on a column line of the table body below it."""
SHADE = colors.Color(0.88, 0.92, 0.97)


def header_cells(ini: Initiative, layout: Layout) -> list[str]:
    """The header row's cell texts as the layout prints them, left to right, line breaks as "\\n"."""
    item, mark = ("項\n目", "所\n管\n部") if layout.vertical_header else ("項目", "所管部")
    if layout.header == "split" and layout.id_in_title:
        return [item, f"{ini.id_raw} {ini.title}", mark, "\n".join(ini.departments)]
    if layout.header == "split":
        return [item, ini.id_raw, ini.title, mark, "\n".join(ini.departments)]
    if layout.header == "label_id":
        return [f"項目 {ini.id_raw}", ini.title, mark, "、".join(ini.departments)]
    # the header bar, as in the report: 項目 {id} {title} 所管部 {departments} in one line of text
    return [f"項目 {ini.id_raw} {ini.title} 所管部 {'、'.join(ini.departments)}"]


def _body_widths(layout: Layout) -> list[float]:
    """Relative widths of the body columns: the label column(s), then R6..R9."""
    label = BASE_COL_WIDTHS[0] * layout.label_width
    years = sum(BASE_COL_WIDTHS[1:])
    total = sum(layout.year_widths)
    labels = {"column": [label], "merged": [label, label * 0.85], "wide": [label, label * 0.6]}
    return labels[layout.schedule_labels] + [years * w / total for w in layout.year_widths]


def _cell_width(text: str, font: str, size: float) -> float:
    """The width a cell needs to print text unwrapped: its widest line plus the cell paddings."""
    widest = max(pdfmetrics.stringWidth(printable(t), font, size) for t in text.split("\n"))
    return widest + 2 + 1.5 + size + 1


NARROW_DEPARTMENTS = 5
"""The width, in characters, of a ``narrow_departments`` layout's departments cell."""


def _header_edges(
    cells: list[str], body_edges: list[float], width: float, size: float, font: str, narrow: bool = False
) -> list[float]:
    """The x of the header's inner cell edges. The cells left of the title and right of it take the
    width they need (the departments at most 30%), the title the rest; an edge near a column line of
    the body moves onto it (widening the label cell), so the header cuts few slivers into the body."""
    if len(cells) == 1:
        return []
    ti = 2 if len(cells) == 5 else 1
    left = [_cell_width(t, font, size) for t in cells[:ti]]
    right = [_cell_width(t, font, size) for t in cells[ti + 1 :]]
    right[-1] = min(right[-1], 0.3 * width, (NARROW_DEPARTMENTS + 1) * size + 4.5 if narrow else width)
    edges: list[float] = []
    x = 0.0
    for w in left:
        x += w
        x = next((e for e in body_edges if x <= e <= x + SNAP), x)
        edges.append(x)
    rights: list[float] = []
    x = width
    for w in reversed(right):
        x -= w
        x = next((e for e in reversed(body_edges) if x - SNAP <= e <= x), x)
        rights.append(x)
    return edges + rights[::-1]


def _cell_commands(layout: Layout, size: float) -> list[tuple]:
    """Alignment and paddings of every cell."""
    airy = layout.rules == "none"  # no lines: whitespace tells the rows apart
    return [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        # reportlab's CJK wrap hangs one closing mark (】、。) past the text width: keep it in the cell
        ("RIGHTPADDING", (0, 0), (-1, -1), 1.5 + size),
        ("TOPPADDING", (0, 0), (-1, -1), 3.5 if airy else 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4 if airy else 2),
    ]


def initiative_table(ini: Initiative, width: float, size: float, layout: Layout = DEFAULT_LAYOUT) -> Table:
    """One initiative as one table in the given layout (by default: ruled, label column + the four
    plan years, the header one bar over them)."""
    style = ParagraphStyle(
        "cell", fontName=layout.font, fontSize=size, leading=size * LEADING, wordWrap="CJK"
    )

    def p(text: str | None) -> Paragraph:
        return Paragraph(markup(text), style)

    widths = _body_widths(layout)
    scale = width / sum(widths)
    widths = [w * scale for w in widths]
    last = len(widths) - 1
    nlab = last + 1 - len(YEARS)  # columns before the years: the label column(s)
    rows: list[list[Flowable | str]] = []
    spans: list[tuple[int, int, int, int]] = []  # (first column, first row, last column, last row)

    def row(*cells: tuple[Flowable | str | None, int, int]) -> int:
        """Append a row of (text or flowable, first column, last column) cells; return its index."""
        r = len(rows)
        line: list[Flowable | str] = [""] * len(widths)
        for value, c0, c1 in cells:
            line[c0] = value if isinstance(value, Flowable) else p(value)
            if c1 > c0:
                spans.append((c0, r, c1, r))
        rows.append(line)
        return r

    def spanned(name: str, text: str | None) -> None:
        row((layout.label(name), 0, 0), (text, 1, last))

    cells = header_cells(ini, layout)
    if len(cells) == 1:
        row((cells[0], 0, last))
    else:  # a row of cells of its own widths, nested in the spanned first row
        inner: list[float] = []
        for w in widths[:-1]:
            inner.append((inner[-1] if inner else 0.0) + w)
        narrow = layout.narrow_departments
        edges = [0.0, *_header_edges(cells, inner, width, size, layout.font, narrow), width]
        header = Table(
            [[p(t) for t in cells]],
            colWidths=[b - a for a, b in pairwise(edges)],
            style=TableStyle(_cell_commands(layout, size)),
        )
        if layout.rules == "grid":
            header.setStyle(TableStyle([("INNERGRID", (0, 0), (-1, -1), 0.5, colors.black)]))
        row((header, 0, last))
    spanned("取組み内容", ini.content)
    centred = ParagraphStyle("year", parent=style, alignment=TA_CENTER)
    years = [
        (
            Paragraph(markup(layout.year_label(y)), centred)
            if layout.centred_years
            else layout.year_label(y),
            c,
            c,
        )
        for c, y in enumerate(YEARS, nlab)
    ]
    plan = layout.label("年次別計画")
    label_cols = (1, 1) if layout.schedule_labels == "merged" else (0, nlab - 1)
    if layout.schedule_labels == "merged":
        head = row((plan, 0, 0), ("", 1, 1), *years)
    else:
        head = row((plan, 0, nlab - 1), *years)
    for sched in ini.schedule:
        row((sched.label, *label_cols), *((sched.cells.get(y), i, i) for i, y in enumerate(YEARS, nlab)))
    sched_end = len(rows) - 1
    if layout.schedule_labels == "merged" and sched_end > head:
        # 年次別計画 is one cell down the first column, over the year header and the schedule rows
        spans.append((0, head, 0, sched_end))
    spanned("目指すべき効果・成果", ini.effects)
    if ini.results_label is not None:
        spanned(ini.results_label, ini.results)

    black = colors.black
    commands: list[tuple] = []
    if layout.rules == "grid":
        commands.append(("GRID", (0, 0), (-1, -1), 0.5, black))
    elif layout.rules == "rows":
        commands += [("BOX", (0, 0), (-1, -1), 0.5, black), ("LINEBELOW", (0, 0), (-1, -2), 0.5, black)]
    commands += _cell_commands(layout, size)
    if len(cells) > 1:  # the nested header fills its cell
        commands += [(f"{side}PADDING", (0, 0), (-1, 0), 0) for side in ("LEFT", "RIGHT", "TOP", "BOTTOM")]
    if layout.rules == "grid" or (layout.shaded and layout.rules == "none"):  # shaded label cells
        commands.append(("BACKGROUND", (0, 0), (0, -1), SHADE))
        if nlab == 2:
            commands.append(("BACKGROUND", (1, head), (1, sched_end), SHADE))
        commands.append(("BACKGROUND", (nlab, head), (-1, head), SHADE))
    commands += [("SPAN", (c0, r0), (c1, r1)) for c0, r0, c1, r1 in spans]
    if layout.rules != "none" or layout.shaded:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), SHADE))
    return Table(rows, colWidths=widths, style=TableStyle(commands), splitInRow=1)


def initiative_pages(report: Report) -> list[tuple[int | None, list[Initiative]]]:
    """Initiatives by printed page, in page order, record order kept within a page.

    An initiative without a page takes its TOC entry's; one with neither goes on a page of its own
    at the end (printed page None). A TOC page without initiatives is kept, empty.
    """
    toc_page = {e.item_id: e.page for e in report.toc}
    pages: dict[int, list[Initiative]] = {e.page: [] for e in report.toc}
    loose: list[Initiative] = []
    for ini in report.initiatives:
        page = ini.page if ini.page is not None else toc_page.get(ini.item_id)
        if page is None:
            loose.append(ini)
        else:
            pages.setdefault(page, []).append(ini)
    out: list[tuple[int | None, list[Initiative]]] = [(p, pages[p]) for p in sorted(pages)]
    return out + [(None, [ini]) for ini in loose]


def _page_goal(report: Report, page: int | None, items: Sequence[Initiative]) -> int | None:
    if items:
        return items[0].goal
    return next((e.goal for e in report.toc if e.page == page), None)


def _fit(
    items: Sequence[Initiative], width: float, height: float, layout: Layout = DEFAULT_LAYOUT
) -> tuple[float, list[Table]]:
    """The largest font size at which every table of the page fits (the smallest if none does)."""
    tables: list[Table] = []
    for size in layout.sizes:
        tables = [initiative_table(ini, width, size, layout) for ini in items]
        if all(t.wrap(width, height)[1] <= height for t in tables):
            break
    return size, tables


def _fit_stacked(
    items: Sequence[Initiative], width: float, height: float, layout: Layout
) -> tuple[float, list[Table]] | None:
    """The largest font size (not below STACK_MIN_SIZE) at which the tables fit one above the other."""
    for size in layout.sizes:
        if size < STACK_MIN_SIZE:
            break
        tables = [initiative_table(ini, width, size, layout) for ini in items]
        if sum(t.wrap(width, height)[1] for t in tables) + GAP * (len(tables) - 1) <= height:
            return size, tables
    return None


Placed = tuple[Table, float, float, float]
"""A table (or piece) on a page: the table, its left x, its width and its top's offset below TABLE_TOP."""


def _page_tables(items: Sequence[Initiative], layout: Layout) -> list[tuple[float, list[list[Placed]]]]:
    """A printed page's initiatives as drawn pages: per group of tables, its font size and its pages."""
    height = TABLE_TOP - TABLE_BOTTOM
    full = PAGE_W - 2 * MARGIN
    out: list[tuple[float, list[list[Placed]]]] = []
    per_page = 1 if layout.portrait and layout.per_page == 2 else layout.per_page  # no two abreast upright
    if per_page != "stacked":
        for chunk in _chunks(items, per_page) or [[]]:
            width = full if len(chunk) < 2 else (full - GAP) / 2
            size, tables = _fit(chunk, width, height, layout)
            # a table too tall (at the smallest size, or at a continued layout's size) goes on over pages
            columns = [_split(t, width, height, layout) for t in tables]
            pages = [
                [
                    (col[k], MARGIN + n * (width + GAP), width, 0.0)
                    for n, col in enumerate(columns)
                    if k < len(col)
                ]
                for k in range(max((len(col) for col in columns), default=1))
            ]
            out.append((size, pages))
        return out
    for chunk in _chunks(items, 2) or [[]]:
        if layout.continued:
            size = layout.sizes[0]
            tables = [initiative_table(ini, full, size, layout) for ini in chunk]
            flow = _flow(tables, full, height, layout)
            out.append((size, [[(t, MARGIN, full, top) for t, top in page] for page in flow]))
            continue
        stacked = _fit_stacked(chunk, full, height, layout) if len(chunk) == 2 else None
        if stacked is not None:
            size, (first, second) = stacked
            top = first.wrap(full, height)[1] + GAP
            out.append((size, [[(first, MARGIN, full, 0.0), (second, MARGIN, full, top)]]))
            continue
        for ini in chunk:  # one per page when two do not fit
            size, [table] = _fit([ini], full, height, layout)
            out.append(
                (size, [[(piece, MARGIN, full, 0.0)] for piece in _split(table, full, height, layout)])
            )
        if not chunk:
            out.append((layout.sizes[0], [[]]))
    return out


def _initiative_pages(c: Canvas, report: Report, layout: Layout = DEFAULT_LAYOUT) -> list[float]:
    """Draw the initiative pages; return the font size used for each group of tables."""
    names = {g.goal: g.name for g in report.goals}
    sizes: list[float] = []
    height = TABLE_TOP - TABLE_BOTTOM
    for page, items in initiative_pages(report):
        goal = _page_goal(report, page, items)
        header = ITEMS_HEADER
        if goal is not None:
            header += f" 到達点{full_width(str(goal))} {names.get(goal, '')}"
        for size, pages in _page_tables(items, layout):
            sizes.append(size)
            for placed in pages:
                _page_header(c, PART3_HEADER, header.rstrip(), font=layout.font)
                for table, x, width, top in placed:
                    _, h = table.wrap(width, height)
                    table.drawOn(c, x, TABLE_TOP - top - h)
                if page is not None:
                    c.setFont(layout.font, 9)
                    c.drawCentredString(PAGE_W / 2, 18, str(page))
                c.showPage()
    return sizes


def _chunks(items: Sequence[Initiative], n: int) -> list[list[Initiative]]:
    return [list(items[i : i + n]) for i in range(0, len(items), n)]


def _box(pieces: list[Table], layout: Layout) -> None:
    """Rule each piece of a split table all round, so it reads as a table (unless nothing is ruled)."""
    if len(pieces) > 1 and layout.rules != "none":
        for piece in pieces:
            piece.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.5, colors.black)]))


def _split(table: Table, width: float, height: float, layout: Layout = DEFAULT_LAYOUT) -> list[Table]:
    """A table as pieces that each fit the height."""
    pieces: list[Table] = []
    while table.wrap(width, height)[1] > height:
        parts = table.split(width, height)
        if len(parts) < 2:
            break  # cannot be split: draw it whole (clipped at the page foot)
        pieces.append(parts[0])
        table = parts[1]
    pieces.append(table)
    _box(pieces, layout)
    return pieces


def _flow(
    tables: Sequence[Table], width: float, height: float, layout: Layout
) -> list[list[tuple[Table, float]]]:
    """Tables one below the other over pages, each continuing on the next page where it does not fit
    (split where at least MIN_PIECE is left): pages of (table or piece, its top's offset)."""
    pages: list[list[tuple[Table, float]]] = [[]]
    used = 0.0
    for table in tables:
        if pages[-1]:
            used += GAP
        pieces = [table]
        while True:
            h = table.wrap(width, height)[1]
            room = height - used
            if h <= room:
                pages[-1].append((table, used))
                used += h
                break
            parts = table.split(width, room) if room >= MIN_PIECE else []
            if len(parts) >= 2:
                pages[-1].append((parts[0], used))
                pieces[-1:] = parts
                table = parts[1]
            elif not pages[-1]:  # cannot be split at a page top: draw it whole (clipped)
                pages[-1].append((table, used))
                used = height
                break
            pages.append([])
            used = 0.0
        _box(pieces, layout)
    return pages


# --- the document ----------------------------------------------------------------------------------


def render_report_pdf(report: Report, path: Path, layout: Layout = DEFAULT_LAYOUT) -> None:
    """Write the report's PDF to path in the given layout (byte-identical output for the same records
    and layout)."""
    global PAGE_W, PAGE_H, TABLE_TOP
    saved = PAGE_W, PAGE_H, TABLE_TOP
    PAGE_W, PAGE_H = layout.page_size  # the page functions read the page size from these
    TABLE_TOP = PAGE_H - 58.0
    try:
        _render(report, path, layout)
    finally:
        PAGE_W, PAGE_H, TABLE_TOP = saved


def _render(report: Report, path: Path, layout: Layout) -> None:
    _register_font(layout.font)
    c = Canvas(str(path), pagesize=(PAGE_W, PAGE_H), invariant=1, pageCompression=1)
    c.setTitle(report.document.title)
    c.setSubject(f"rendered by plan-etl from {report.document.source_file}")
    c.setCreator("plan-etl tools/make_report_pdf.py")
    _front_pages(c, report, layout.font)
    _goal_pages(c, report, layout.font, layout.goal_columns)
    _toc_pages(c, report, layout.font)
    _initiative_pages(c, report, layout)
    c.save()


def _layout_option(args: list[str]) -> Layout | None:
    """Take ``--layout-seed N`` (or ``--layout-seed=N``) out of args: the layout drawn from
    ``random.Random(N)``, the default layout without the option, None if N is not an integer."""
    for i, arg in enumerate(args):
        if arg == "--layout-seed" or arg.startswith("--layout-seed="):
            value = arg.partition("=")[2] if "=" in arg else (args[i + 1] if i + 1 < len(args) else "")
            del args[i : i + (1 if "=" in arg else 2)]
            try:
                return Layout.draw(random.Random(int(value)))
            except ValueError:
                return None
    return DEFAULT_LAYOUT


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    layout = _layout_option(args)
    if layout is None or len(args) != 2 or args[0] in ("-h", "--help"):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    from plan_etl.api import load_report
    from plan_etl.errors import InputError

    try:
        report = load_report(args[0])
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    out = Path(args[1])
    render_report_pdf(report, out, layout)
    n = len(report.initiatives)
    print(f"{out}: {n} initiatives, {len(report.goals)} goals, {len(report.toc)} toc entries")
    if layout != DEFAULT_LAYOUT:
        print(f"layout: {layout}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
