"""The report as other producers print it: HTML tables printed by headless Chromium (Noto Sans CJK
embedded as Type 3 fonts, IPA Gothic as TrueType) in three table styles, and the same HTML exported by
LibreOffice Writer; each PDF parsed with both engines must give back the records it was rendered
from (tools/make_report_html.py renders, tools/roundtrip.py compares).

Without Chromium, LibreOffice or the fonts (`make browser` installs them) the tests skip with the
reason; under CI (the environment variable CI set) that is a failure.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from helpers import in_ci, load_tool
from plan_etl.api import parse_report
from plan_etl.extract.engines import read_pages
from plan_etl.schemas import Report

html_tool = load_tool("make_report_html")
roundtrip = load_tool("roundtrip")

FONT_FILES = {"noto": "Noto Sans CJK JP", "ipagothic": "IPAGothic"}


def _need(what: str, present: bool) -> None:
    if present:
        return
    if in_ci():
        pytest.fail(f"CI is set but {what} is not installed (make browser)")
    pytest.skip(f"{what} is not installed (make browser installs it)")


def _has_font(family: str) -> bool:
    if not shutil.which("fc-list"):
        return False
    out = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True).stdout
    return any(family in line.split(",") for line in out.splitlines())


def _font_kinds(pdf: Path) -> set[str]:
    """The Subtype of every font on the PDF's first pages, and CFF where a CID font embeds a CFF
    program (FontFile3: CIDFontType0C, or OpenType with CFF outlines)."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    kinds: set[str] = set()
    with pdf.open("rb") as f:
        for n, page in enumerate(PDFPage.create_pages(PDFDocument(PDFParser(f)))):
            for spec in (resolve1(resolve1(page.resources).get("Font")) or {}).values():
                font = resolve1(spec)
                kinds.add(font["Subtype"].name)
                for descendant in resolve1(font.get("DescendantFonts")) or []:
                    descriptor = resolve1(resolve1(descendant).get("FontDescriptor")) or {}
                    program = resolve1(descriptor.get("FontFile3"))
                    form = getattr(program.attrs.get("Subtype"), "name", "") if program is not None else ""
                    if form in ("CIDFontType0C", "OpenType"):  # a CFF program, bare or in OpenType
                        kinds.add("CFF")
            if n >= 10:
                break
    return kinds


@pytest.fixture(scope="module")
def renderings(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("producers")


def _has_weasyprint() -> bool:
    try:
        import weasyprint  # noqa: F401  (it loads Pango as it is imported)
    except (ImportError, OSError):
        return False
    return True


def _render(
    original: Report,
    folder: Path,
    producer: str,
    style: str,
    font: str,
    designed: bool = False,
    valign: str = "top",
) -> Path:
    present = {
        "chromium": ("Chromium", lambda: html_tool.chromium() is not None),
        "libreoffice": ("LibreOffice Writer", lambda: html_tool.soffice() is not None),
        "weasyprint": ("WeasyPrint with Pango", _has_weasyprint),
    }[producer]
    _need(present[0], present[1]())
    _need(f"the font {FONT_FILES[font]}", _has_font(FONT_FILES[font]))
    path = folder / f"{producer}-{style}-{font}{'-designed' if designed else ''}-{valign}.pdf"
    if not path.exists():
        html = html_tool.render_report_html(original, style, font, producer == "chromium", designed, valign)
        html_tool.print_pdf(html, path, producer)
    return path


CHROMIUM = [
    *((style, font, "top") for font in ("noto", "ipagothic") for style in html_tool.STYLES),
    ("rows", "noto", "middle"),  # a browser's default: labels centred in tall cells
]


@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
@pytest.mark.parametrize(("style", "font", "valign"), CHROMIUM, ids=["-".join(c) for c in CHROMIUM])
def test_chromium_prints_round_trip(
    parsed_report: Report, renderings: Path, style: str, font: str, valign: str, engine: str
) -> None:
    pdf = _render(parsed_report, renderings, "chromium", style, font, valign=valign)
    back = parse_report(pdf, engine=engine)
    counts, details = roundtrip.compare(parsed_report, back)
    assert counts["records_missing"] == 0, details[:5]
    assert counts["rows_stated_but_wrong"] == 0, details[:5]
    assert counts["fields_same"] == counts["fields"], details[:5]
    assert [t.item_id for t in back.toc] == [t.item_id for t in parsed_report.toc]


def test_a_chromium_print_embeds_type3_fonts_and_reads_whole_glyphs(
    parsed_report: Report, renderings: Path
) -> None:
    """Skia embeds Noto Sans CJK as Type 3 fonts: pdfium's box of a glyph is its ink (・ a sliver),
    and the file maps 目 to the Kangxi radical ⽬. Both engines give each glyph its advance from the
    font's widths and the unified ideograph, with the same boxes."""
    pdf = _render(parsed_report, renderings, "chromium", "borders", "noto")
    assert _font_kinds(pdf) >= {"Type3"}
    pages = {engine: read_pages(pdf, engine, [7]) for engine in ("pdfium", "pdfplumber")}
    a, b = pages["pdfium"][0].chars, pages["pdfplumber"][0].chars
    assert [c.text for c in a] == [c.text for c in b]
    assert max(abs(x.x0 - y.x0) + abs(x.x1 - y.x1) for x, y in zip(a, b, strict=True)) < 0.01
    # pdfium's descent of some Type 3 subsets is its own (engines.py: what still differs)
    assert max(abs(x.top - y.top) / x.size for x, y in zip(a, b, strict=True)) < 0.06
    text = "".join(c.text for c in a)
    assert "項目" in text and "⽬" not in text and "‧" not in text
    dots = [c for c in a if c.text == "・"]
    assert dots and all(c.x1 - c.x0 > 0.9 * c.size for c in dots)


LIBREOFFICE = [
    ("borders", "ipagothic", "TrueType"),
    ("rows", "ipagothic", "TrueType"),
    ("shaded", "ipagothic", "TrueType"),
    ("borders", "noto", "Type1"),
]
"""LibreOffice's exports and the fonts each embeds: IPA Gothic as TrueType, Noto Sans CJK as Type 1."""


@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
@pytest.mark.parametrize(
    ("style", "font", "program"), LIBREOFFICE, ids=[f"{s}-{f}" for s, f, _ in LIBREOFFICE]
)
def test_a_libreoffice_export_round_trips(
    parsed_report: Report, renderings: Path, style: str, font: str, program: str, engine: str
) -> None:
    """The same HTML exported by LibreOffice Writer (its own table geometry: labels centred in tall
    cells, tables split over pages wherever a page ends, rows too, a field's text opening a page
    above its label): the records come back as they were. A row the break parts is joined by its
    row mark where the rows are numbered (3-13 in Noto), by its cells' words where they are not
    (5-15 in the shaded style: 「実施・検」 / 「証」)."""
    pdf = _render(parsed_report, renderings, "libreoffice", style, font)
    kinds = _font_kinds(pdf)
    assert program in kinds and "Type3" not in kinds, kinds
    back = parse_report(pdf, engine=engine)
    counts, details = roundtrip.compare(parsed_report, back)
    assert counts["records_missing"] == 0, details[:5]
    assert counts["rows_stated_but_wrong"] == 0, details
    assert counts["fields_same"] == counts["fields"], details


@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
def test_a_weasyprint_print_embeds_cff_and_round_trips(
    parsed_report: Report, renderings: Path, engine: str
) -> None:
    """WeasyPrint embeds Noto Sans CJK as a CFF CID font (FontFile3) and runs no script, so the
    tables keep their size and run over pages where they do not fit: every record and every field
    comes back but for one glyph its fallback font maps to another character (➀ read as ①)."""
    pdf = _render(parsed_report, renderings, "weasyprint", "borders", "noto")
    assert "CFF" in _font_kinds(pdf)
    back = parse_report(pdf, engine=engine)
    counts, details = roundtrip.compare(parsed_report, back)
    assert counts["records_missing"] == 0 and counts["rows_stated_but_wrong"] == 0, details[:5]
    assert counts["fields"] - counts["fields_same"] <= 1, details


@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
def test_goal_badges_and_an_item_list_in_columns_are_read(
    parsed_report: Report, renderings: Path, engine: str
) -> None:
    """Pages set as a CMS sets them: each goal's 「到達点N」 a shaded badge right against its name (no
    space: its background's side parts them), and the item list a table whose ids stand in a column
    of their own (read row by row, not all ids first). The item list, the running heads and every
    record come back."""
    pdf = _render(parsed_report, renderings, "chromium", "shaded", "noto", designed=True)
    back = parse_report(pdf, engine=engine)
    assert [(t.item_id, t.title, t.page, t.goal) for t in back.toc] == [
        (t.item_id, t.title, t.page, t.goal) for t in parsed_report.toc
    ]
    counts, details = roundtrip.compare(parsed_report, back)
    assert counts["fields_same"] == counts["fields"] and counts["rows_stated_but_wrong"] == 0, details[:5]
    assert back.unaccounted_lines == []
