"""Render a report PDF from a Report's records: a stand-in for the original PDF, for extractor tests.

usage: python tools/make_report_pdf.py REPORT.json|REPORT.txt OUT.pdf

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

The output is deterministic (reportlab's invariant mode): the same records give the same bytes.
"""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
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


def _register_font() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


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


def wrap_line(text: str, size: float, width: float) -> list[str]:
    """Break text into lines no wider than width, never at a space nor before a paragraph mark.

    The goals parser joins wrapped lines without a space and opens a new paragraph at a line that
    starts with a bullet or a circled number, so such breaks would not read back as printed.
    """
    out: list[str] = []
    rest = text.strip()
    while rest:
        if pdfmetrics.stringWidth(rest, FONT, size) <= width:
            out.append(rest)
            break
        n = 1
        while n < len(rest) and pdfmetrics.stringWidth(rest[: n + 1], FONT, size) <= width:
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


def _draw_lines(c: Canvas, lines: Sequence[_TextLine], y: float) -> float:
    """Draw lines from y (the top) downwards; return the new top."""
    for ln in lines:
        y -= ln.space_before + ln.size * 1.1
        c.setFont(FONT, ln.size)
        c.drawString(MARGIN + ln.indent, y, printable(ln.text))
        y -= ln.size * 0.25
    return y


def _page_header(c: Canvas, *lines: str) -> float:
    y = PAGE_H - MARGIN
    for text in lines:
        c.setFont(FONT, 10)
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


def _front_pages(c: Canvas, report: Report) -> None:
    heading = ParagraphStyle("h", fontName=FONT, fontSize=14, leading=20, wordWrap="CJK", spaceAfter=8)
    title = ParagraphStyle("t", fontName=FONT, fontSize=11, leading=15, wordWrap="CJK", spaceBefore=6)
    body = ParagraphStyle("b", fontName=FONT, fontSize=9.5, leading=14, wordWrap="CJK", spaceBefore=3)
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


def goal_lines(goal: Goal, width: float) -> list[_TextLine]:
    """A goal's block, top to bottom, in the line order parse_goals reads."""
    out = [_TextLine(goal.name, 13, space_before=4)]
    for para in goal.description.split("\n"):
        out += [_TextLine(t, 9.5) for t in wrap_line(para, 9.5, width)]
    out.append(_TextLine(VIEWPOINT_LABELS, 8, space_before=4))
    out.append(_TextLine("到達点 視点", 8))
    out.append(_TextLine(full_width(str(goal.goal)), 16))
    out.append(_TextLine(EFFECT_LEGEND, 9, space_before=2))
    out += [_TextLine(t, 11, indent=10) for t in wrap_line(goal.effect_category, 11, width - 10)]
    for example in goal.effect_examples:
        # a wrapped example reads back joined onto its bullet line
        out += [_TextLine(t, 9.5, indent=10) for t in wrap_line(f"➢ {example}", 9.5, width - 10)]
    if goal.amounts:
        amounts = " ".join(f"{full_width(a.label)} ： {a.million_yen} 百万円" for a in goal.amounts)
        out += [_TextLine(t, 9.5, space_before=3) for t in wrap_line(amounts, 9.5, width)]
    for h in goal.hours_reduced:
        out.append(_TextLine(f"{full_width(h.label)} ： 約 {_hours_text(h.hours)} 万時間", 9.5))
    return out


def _goal_pages(c: Canvas, report: Report) -> None:
    width = PAGE_W - 2 * MARGIN
    top = None
    for goal in report.goals:
        lines = goal_lines(goal, width)
        height = sum(ln.height for ln in lines) + 10
        if top is not None and top - height < MARGIN:
            c.showPage()
            top = None
        if top is None:
            top = _page_header(c, GOALS_HEADER)
        top = _draw_lines(c, lines, top) - 10
    if top is not None:
        c.showPage()


# --- 3. table of contents --------------------------------------------------------------------------


def toc_lines(report: Report, width: float) -> list[_TextLine]:
    names = {g.goal: g.name for g in report.goals}
    out: list[_TextLine] = []
    goal = None
    for e in report.toc:
        if e.goal != goal:
            goal = e.goal
            heading = f"到達点{full_width(str(goal))}　{names.get(goal, '')}".rstrip()
            out.append(_TextLine(heading, 10, space_before=0 if not out else 6, keep_with_next=True))
        out += [_TextLine(t, 9, indent=12) for t in wrap_line(f"{e.id_raw} {e.title} P.{e.page}", 9, width)]
    return out


def _toc_pages(c: Canvas, report: Report) -> None:
    lines = toc_lines(report, PAGE_W - 2 * MARGIN - 12)
    while lines:
        top = y = _page_header(c, PART3_HEADER, TOC_HEADER)
        n = 0
        while n < len(lines) and y - lines[n].height >= MARGIN:
            y -= lines[n].height
            n += 1
        while 1 < n < len(lines) and lines[n - 1].keep_with_next:
            n -= 1
        n = max(n, 1)
        _draw_lines(c, lines[:n], top)
        lines = lines[n:]
        c.showPage()


# --- 4. initiatives --------------------------------------------------------------------------------


def initiative_table(ini: Initiative, width: float, size: float) -> Table:
    """One initiative as one ruled table: label column + the four plan years."""
    style = ParagraphStyle("cell", fontName=FONT, fontSize=size, leading=size * LEADING, wordWrap="CJK")

    def p(text: str | None) -> Paragraph:
        return Paragraph(markup(text), style)

    rows: list[list[Flowable | str]] = []
    spans: list[tuple[int, int]] = []  # (row, first column) spanning to the last column

    def spanned(name: str, text: str | None, first: int = 1, before: Sequence[str | None] = ()) -> None:
        spans.append((len(rows), first))
        rows.append([p(name), *(p(t) for t in before), p(text), *([""] * (4 - first))])

    # the header bar, as in the report: 項目 {id} {title} 所管部 {departments} in one line of text
    header = f"項目 {ini.id_raw} {ini.title} 所管部 {'、'.join(ini.departments)}"
    spans.append((len(rows), 0))
    rows.append([p(header), "", "", "", ""])
    spanned("取組み内容", ini.content)
    schedule_header = len(rows)
    rows.append([p("年次別計画"), *(p(y) for y in YEARS)])
    for row in ini.schedule:
        rows.append([p(row.label), *(p(row.cells.get(y)) for y in YEARS)])
    spanned("目指すべき効果・成果", ini.effects)
    if ini.results_label is not None:
        spanned(ini.results_label, ini.results)

    scale = width / sum(BASE_COL_WIDTHS)
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        # reportlab's CJK wrap hangs one closing mark (】、。) past the text width: keep it in the cell
        ("RIGHTPADDING", (0, 0), (-1, -1), 1.5 + size),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("BACKGROUND", (0, 0), (0, -1), colors.Color(0.88, 0.92, 0.97)),
        ("BACKGROUND", (1, schedule_header), (-1, schedule_header), colors.Color(0.88, 0.92, 0.97)),
    ]
    commands += [("SPAN", (first, r), (-1, r)) for r, first in spans]
    commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.88, 0.92, 0.97)))
    widths = [w * scale for w in BASE_COL_WIDTHS]
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


def _fit(items: Sequence[Initiative], width: float, height: float) -> tuple[float, list[Table]]:
    """The largest font size at which every table of the page fits (the smallest if none does)."""
    tables: list[Table] = []
    for size in FONT_SIZES:
        tables = [initiative_table(ini, width, size) for ini in items]
        if all(t.wrap(width, height)[1] <= height for t in tables):
            break
    return size, tables


def _initiative_pages(c: Canvas, report: Report) -> list[float]:
    """Draw the initiative pages; return the font size used on each printed page."""
    names = {g.goal: g.name for g in report.goals}
    sizes: list[float] = []
    height = TABLE_TOP - TABLE_BOTTOM
    for page, items in initiative_pages(report):
        goal = _page_goal(report, page, items)
        header = ITEMS_HEADER
        if goal is not None:
            header += f" 到達点{full_width(str(goal))} {names.get(goal, '')}"
        for chunk in _chunks(items, 2) or [[]]:
            width = PAGE_W - 2 * MARGIN if len(chunk) < 2 else (PAGE_W - 2 * MARGIN - GAP) / 2
            size, tables = _fit(chunk, width, height)
            sizes.append(size)
            # a table too tall even at the smallest size continues on the next page (last resort)
            columns = [_split(t, width, height) for t in tables]
            for k in range(max((len(col) for col in columns), default=1)):
                _page_header(c, PART3_HEADER, header.rstrip())
                for n, col in enumerate(columns):
                    if k < len(col):
                        _, h = col[k].wrap(width, height)
                        col[k].drawOn(c, MARGIN + n * (width + GAP), TABLE_TOP - h)
                if page is not None:
                    c.setFont(FONT, 9)
                    c.drawCentredString(PAGE_W / 2, 18, str(page))
                c.showPage()
    return sizes


def _chunks(items: Sequence[Initiative], n: int) -> list[list[Initiative]]:
    return [list(items[i : i + n]) for i in range(0, len(items), n)]


def _split(table: Table, width: float, height: float) -> list[Table]:
    """A table as pieces that each fit the height; each piece ruled all round, so it reads as a table."""
    pieces: list[Table] = []
    while table.wrap(width, height)[1] > height:
        parts = table.split(width, height)
        if len(parts) < 2:
            break  # cannot be split: draw it whole (clipped at the page foot)
        pieces.append(parts[0])
        table = parts[1]
    pieces.append(table)
    if len(pieces) > 1:
        for piece in pieces:
            piece.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.5, colors.black)]))
    return pieces


# --- the document ----------------------------------------------------------------------------------


def render_report_pdf(report: Report, path: Path) -> None:
    """Write the report's PDF to path (byte-identical output for the same records)."""
    _register_font()
    c = Canvas(str(path), pagesize=(PAGE_W, PAGE_H), invariant=1, pageCompression=1)
    c.setTitle(report.document.title)
    c.setSubject(f"rendered by plan-etl from {report.document.source_file}")
    c.setCreator("plan-etl tools/make_report_pdf.py")
    _front_pages(c, report)
    _goal_pages(c, report)
    _toc_pages(c, report)
    _initiative_pages(c, report)
    c.save()


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 2 or args[0] in ("-h", "--help"):
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
    render_report_pdf(report, out)
    n = len(report.initiatives)
    print(f"{out}: {n} initiatives, {len(report.goals)} goals, {len(report.toc)} toc entries")
    return 0


if __name__ == "__main__":
    sys.exit(main())
