"""Render a report as HTML and print it with headless Chromium (or export it with LibreOffice): the
report as a browser or an office suite prints it, for reader tests on producers that are not ours.

usage: python tools/make_report_html.py [--style borders|rows|shaded] [--font NAME] [--producer
       chromium|libreoffice|weasyprint] [--html] REPORT.json|REPORT.txt OUT.pdf

The pages follow the report's order as tools/make_report_pdf.py draws it (front matter, goals, the
item list, then the initiative tables two to a landscape page with the page number at the foot),
with the goal and contents lines taken from that tool so the text is the same. What differs is the
producer: Chromium (Skia) embeds a CFF CJK font such as Noto Sans CJK as Type 3 fonts and maps some
glyphs to compatibility code points (⽬ for 目, ‧ for ・); LibreOffice writes TrueType fonts (IPA)
or Type 1 (Noto), its own table geometry, and lays out pages of its own; WeasyPrint (no script run,
so no shrinking to fit: tables run over pages) embeds Noto as CFF. Table styles (`STYLES`):

* ``borders``: every cell ruled, label and year-header cells shaded;
* ``rows``: rules between rows only (no vertical rules), the frame around;
* ``shaded``: no rules at all, label and year-header cells shaded, cells apart by padding.

A page whose tables do not fit at the smallest font size is left to the printer to split, so a
table then runs on to the next page, mid-row where the printer breaks it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from html import escape
from pathlib import Path

from plan_etl.schemas.records import YEARS, Initiative, Report

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_report_pdf as pdf_tool  # the goal and contents lines, the page grouping

STYLES = ("borders", "rows", "shaded")
FONTS = {"noto": "Noto Sans CJK JP", "ipagothic": "IPAGothic", "ipamincho": "IPAMincho"}
PRODUCERS = ("chromium", "libreoffice", "weasyprint")

_CSS = """
@page { size: 297mm 210mm; margin: 10mm; }
html, body { margin: 0; padding: 0; }
body { font-family: "%(font)s"; color: #000; }
.page { width: 277mm; height: 189mm; position: relative; break-after: page; overflow: visible; }
.page.free { height: auto; min-height: 189mm; }
.head { font-size: 10pt; line-height: 14pt; white-space: nowrap; }
.line { white-space: nowrap; line-height: 1.35; }
.no { position: absolute; bottom: 0; left: 0; right: 0; text-align: center; font-size: 9pt; }
.page.free .no { position: static; margin-top: 6pt; }
.tables { margin-top: 6pt; white-space: nowrap; }
.tables > table { display: inline-table; width: 49%%; vertical-align: top; white-space: normal; }
.tables > table + table { margin-left: 1.5%%; }
.tables > table:only-child { width: 100%%; }
table { border-collapse: collapse; table-layout: fixed; font-size: var(--size, 7pt); line-height: 1.3; }
td { vertical-align: top; padding: 1.5pt 2pt; word-break: break-all; white-space: pre-wrap; }
col.label { width: 17%%; }
h1 { font-size: 14pt; font-weight: normal; margin: 0 0 8pt; }
h2 { font-size: 11pt; font-weight: normal; margin: 6pt 0 0; }
p { font-size: 9.5pt; margin: 3pt 0; white-space: pre-wrap; }
.badge { background: #1f4e79; color: #fff; padding: 0 1pt; margin-right: 0.5pt; }
table.toc { font-size: 9pt; line-height: 1.35; margin: 0 0 10pt 12pt; border: 0; }
table.toc td { padding: 0 4pt 0 0; border: 0; background: none; }
table.toc td.id { width: 40pt; }
"""

_STYLE_CSS = {
    "borders": "td { border: 0.5pt solid #000; } td.lab, td.year { background: #e0e8f4; }",
    "rows": "table { border: 0.5pt solid #000; } tr + tr td { border-top: 0.5pt solid #000; }",
    "shaded": "td { padding: 3pt 4pt; } td.lab, td.year { background: #dde6f2; }",
}

SHADE = "#e0e8f4"
_TABLE_ATTRIBUTES = {
    "borders": 'border="1" cellspacing="0" cellpadding="3"',
    "rows": 'frame="box" rules="rows" cellspacing="0" cellpadding="3"',
    "shaded": 'border="0" cellspacing="0" cellpadding="4"',
}
"""The table styles as HTML attributes as well as CSS: a browser follows the CSS, a word processor
importing the page (LibreOffice) the attributes."""

_FIT = """
<script>
for (const page of document.querySelectorAll('.page.fit')) {
  let size = 7;
  page.style.setProperty('--size', size + 'pt');
  while (page.scrollHeight > page.clientHeight + 1 && size > 4) {
    size -= 0.25;
    page.style.setProperty('--size', size + 'pt');
  }
  if (page.scrollHeight > page.clientHeight + 1) page.classList.add('free');
}
</script>
"""


def _t(text: str | None) -> str:
    """Text as HTML, its line breaks as <br> (which every producer keeps)."""
    return escape(text or "").replace("\n", "<br>")


def _lines(lines: Sequence[pdf_tool._TextLine]) -> str:
    out = []
    for ln in lines:
        style = f"font-size:{ln.size}pt;margin-left:{ln.indent}pt;margin-top:{ln.space_before}pt"
        out.append(f'<div class="line" style="{style}">{_t(ln.text)}</div>')
    return "\n".join(out)


def _head(*lines: str) -> str:
    return "".join(f'<div class="head">{_t(t)}</div>' for t in lines)


def _field(label: str, text: str | None) -> str:
    return f'<tr><td class="lab">{_t(label)}</td><td colspan="4">{_t(text)}</td></tr>'


def initiative_table(ini: Initiative, style: str) -> str:
    """One initiative as an HTML table: the header bar, then 取組み内容, 年次別計画 (year headers and
    rows), 目指すべき効果・成果 and the results, each label in the first column."""
    bar = f"項目 {ini.id_raw} {ini.title} 所管部 {'、'.join(ini.departments)}"
    rows = [
        '<colgroup><col class="label"><col><col><col><col></colgroup>',
        f'<tr><td class="lab" colspan="5">{_t(bar)}</td></tr>',
        _field("取組み内容", ini.content),
        '<tr><td class="lab">年次別計画</td>'
        + "".join(f'<td class="year">{y}</td>' for y in YEARS)
        + "</tr>",
    ]
    for row in ini.schedule:
        cells = "".join(f"<td>{_t(row.cells.get(y))}</td>" for y in YEARS)
        rows.append(f"<tr><td>{_t(row.label)}</td>{cells}</tr>")
    rows.append(_field("目指すべき効果・成果", ini.effects))
    if ini.results_label is not None:
        rows.append(_field(ini.results_label, ini.results))
    # width as an attribute too: a word processor takes it (one table a row), a browser the CSS's
    html = f'<table class="{style}" width="100%" {_TABLE_ATTRIBUTES[style]}>' + "".join(rows) + "</table>"
    if style != "rows":  # shaded label and year cells, as attributes too (word processors read those)
        html = html.replace('class="lab"', f'class="lab" bgcolor="{SHADE}"')
        html = html.replace('class="year"', f'class="year" bgcolor="{SHADE}"')
    return html


def _badge_head(text: str) -> str:
    """A running head whose 「到達点N」 is a badge (a shaded box set right against the goal's name)."""
    before, mark, after = text.partition("到達点")
    if not mark:
        return _head(text)
    number, _, name = after.partition(" ")
    badge = f'<span class="badge">{mark}{_t(number)}</span>'
    return f'<div class="head">{_t(before)}{badge}{_t(name)}</div>'


def _toc_table(lines: Sequence[pdf_tool._TextLine]) -> str:
    """The item list as a table: each goal's heading with its badge, then one row per item with
    the id in a fixed-width column of its own, the title, and the page."""
    out, rows = [], []

    def flush() -> None:
        if rows:
            out.append('<table class="toc">' + "".join(rows) + "</table>")
            rows.clear()

    for ln in lines:
        if ln.indent == 0:  # a goal heading: 「到達点Ｎ　name」
            flush()
            out.append(_badge_head(ln.text.replace("\u3000", " ", 1)))
            continue
        ident, _, rest = ln.text.partition(" ")
        title, _, page = rest.rpartition(" ")
        rows.append(
            f'<tr><td class="id">{_t(ident)}</td><td>{_t(title)}</td><td class="p">{_t(page)}</td></tr>'
        )
    flush()
    return "".join(out)


def render_report_html(
    report: Report,
    style: str = "borders",
    font: str = "noto",
    page_numbers: bool = True,
    designed: bool = False,
    valign: str = "top",
) -> str:
    """The report as one HTML document in the given table style and font (`STYLES`, `FONTS`);
    without `page_numbers` the printed page numbers are left out (a word processor lays out pages
    of its own: a number set after the tables would land mid-page). `designed` sets the pages
    around the tables as a CMS would: each goal's 「到達点N」 a badge set against its name, and the
    item list a table with the ids in a fixed-width column of their own. `valign` sets the cells'
    text at the top or in the middle (a browser's default) of each cell."""
    if style not in STYLES or font not in FONTS:
        raise ValueError(f"style {style!r} or font {font!r} unknown")
    family = FONTS[font]
    pdf_tool._register_font()  # the goal and contents lines are wrapped by its metrics
    width = 277 * 72 / 25.4
    pages: list[str] = []
    for group in pdf_tool.section_groups(report):
        body = []
        for n, i in enumerate(group):
            s = report.sections[i]
            body.append(f"<h1>{_t(s.title)}</h1>" if n == 0 else f"<h2>{_t(s.title)}</h2>")
            if s.text:
                body.append(f"<p>{_t(s.text)}</p>")
        pages.append('<div class="page free">' + "".join(body) + "</div>")
    goal_pages: list[list[str]] = []
    used = 0.0
    for goal in report.goals:
        lines = pdf_tool.goal_lines(goal, width, pdf_tool.FONT)
        height = sum(ln.height for ln in lines) + 10
        if not goal_pages or used + height > 480:
            goal_pages.append([])
            used = 0.0
        goal_pages[-1].append(_lines(lines))
        used += height
    for blocks in goal_pages:
        pages.append('<div class="page">' + _head(pdf_tool.GOALS_HEADER) + "".join(blocks) + "</div>")
    toc = pdf_tool.toc_lines(report, width - 12, pdf_tool.FONT)
    while toc:
        n, used = 0, 0.0
        while n < len(toc) and used + toc[n].height < 470:
            used += toc[n].height
            n += 1
        while 1 < n < len(toc) and toc[n - 1].keep_with_next:
            n -= 1
        n = max(n, 1)
        head = _head(pdf_tool.PART3_HEADER, pdf_tool.TOC_HEADER)
        body = _toc_table(toc[:n]) if designed else _lines(toc[:n])
        pages.append('<div class="page">' + head + body + "</div>")
        toc = toc[n:]
    names = {g.goal: g.name for g in report.goals}
    for page, items in pdf_tool.initiative_pages(report):
        goal = pdf_tool._page_goal(report, page, items)
        header = pdf_tool.ITEMS_HEADER
        if goal is not None:
            header += f" 到達点{pdf_tool.full_width(str(goal))} {names.get(goal, '')}"
        for chunk in pdf_tool._chunks(items, 2) or [[]]:
            tables = "".join(initiative_table(ini, style) for ini in chunk)
            number = f'<div class="no">{page}</div>' if page is not None and page_numbers else ""
            pages.append(
                '<div class="page fit">'
                + _head(pdf_tool.PART3_HEADER)
                + (_badge_head(header.rstrip()) if designed else _head(header.rstrip()))
                + f'<div class="tables">{tables}</div>{number}</div>'
            )
    css = _CSS % {"font": family} + _STYLE_CSS[style] + f" td {{ vertical-align: {valign}; }}"
    return (
        '<!DOCTYPE html>\n<html lang="ja"><head><meta charset="utf-8">'
        f"<title>{_t(report.document.title)}</title><style>{css}</style></head><body>\n"
        + "\n".join(pages)
        + _FIT
        + "</body></html>\n"
    )


def chromium() -> str | None:
    """The Chromium command on this machine, or None."""
    return next((c for c in ("chromium", "chromium-browser", "google-chrome") if shutil.which(c)), None)


def soffice() -> str | None:
    """LibreOffice's command on this machine, or None."""
    return next((c for c in ("soffice", "libreoffice") if shutil.which(c)), None)


def print_pdf(html: str, out: Path, producer: str = "chromium") -> None:
    """Print the HTML document to the PDF `out` with headless Chromium, LibreOffice Writer or
    WeasyPrint (which embeds an OpenType CJK font as CFF, CIDFontType0C)."""
    if producer == "weasyprint":
        import weasyprint  # a Python package: the test extra installs it (it needs Pango)

        weasyprint.HTML(string=html).write_pdf(out)
        return
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(html, encoding="utf-8")
        if producer == "chromium":
            command = chromium()
            if command is None:
                raise RuntimeError("no chromium on this machine")
            args = [command, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                    f"--user-data-dir={tmp}/profile", f"--print-to-pdf={out}", page.as_uri()]  # fmt: skip
        else:
            command = soffice()
            if command is None:
                raise RuntimeError("no LibreOffice on this machine")
            args = [command, f"-env:UserInstallation={Path(tmp, 'lo').as_uri()}", "--headless",
                    "--convert-to", "pdf:writer_web_pdf_Export", "--outdir", tmp, str(page)]  # fmt: skip
        subprocess.run(args, check=True, capture_output=True, timeout=600)
        if producer != "chromium":
            shutil.move(str(Path(tmp) / "report.pdf"), out)
    if not out.is_file():
        raise RuntimeError(f"{producer} wrote no PDF")


def main(argv: Sequence[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("report")
    parser.add_argument("out", type=Path)
    parser.add_argument("--style", choices=STYLES, default="borders")
    parser.add_argument("--font", choices=sorted(FONTS), default="noto")
    parser.add_argument("--producer", choices=PRODUCERS, default="chromium")
    parser.add_argument("--html", action="store_true", help="write the HTML, not the PDF")
    parser.add_argument("--designed", action="store_true", help="goal badges, the item list as a table")
    parser.add_argument("--valign", choices=("top", "middle"), default="top", help="cells' text alignment")
    args = parser.parse_args(argv)
    from plan_etl.api import load_report

    report = load_report(args.report)
    html = render_report_html(
        report, args.style, args.font, args.producer == "chromium", args.designed, args.valign
    )
    if args.html:
        args.out.write_text(html, encoding="utf-8")
    else:
        print_pdf(html, args.out.resolve(), args.producer)
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
