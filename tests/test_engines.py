"""The two PDF engines (extract/engines.py) give one page model: the same characters in the same
order with boxes a point apart at most, the same page sizes, the same ruling segments, and the same
one-line errors, on the generated report PDF and on small PDFs made for the geometry pdfium and
pdfminer treat differently (rotated text and pages, forms, curves, standard fonts)."""

from __future__ import annotations

import math
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import load_tool
from plan_etl.errors import InputError
from plan_etl.extract.engines import DEFAULT_ENGINE, ENGINES, page_count, read_pages
from plan_etl.extract.page_objects import Char, Page, Segment

pytest.importorskip("pdfplumber")
pytest.importorskip("pypdfium2")
reportlab = pytest.importorskip("reportlab")
from reportlab.lib.pdfencrypt import StandardEncryption  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402

from plan_etl.schemas.records import Report  # noqa: E402

tool = load_tool("make_report_pdf")

Engines = tuple[list[Page], list[Page]]
"""The same pages as the pdfium engine and the pdfplumber engine read them."""

LOOK_ALIKES = {("～", "〜"), ("－", "−")}
"""What pdfium reads (the code the generator wrote) where pdfminer reads the CID's Unicode: the
generator's font has no ToUnicode map (see tool.read_back and the engines module doc)."""


def snapped(segments: tuple[Segment, ...]) -> set[tuple[float, ...]]:
    """Segments snapped to 0.5pt, duplicates removed."""
    return {tuple(round(v * 2) / 2 for v in (s.x0, s.top, s.x1, s.bottom)) for s in segments}


def centre_gap(a: Char, b: Char) -> float:
    return math.dist(((a.x0 + a.x1) / 2, (a.top + a.bottom) / 2), ((b.x0 + b.x1) / 2, (b.top + b.bottom) / 2))


def both(path: Path, numbers: list[int] | None = None) -> Engines:
    return read_pages(path, "pdfium", numbers), read_pages(path, "pdfplumber", numbers)


# --- the generated report PDF ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def report(parsed_report: Report) -> Report:
    """The shipped report's records cut to initiatives that hold what pdfium reads unlike pdfminer:
    one-character cells (―), a line repeated in the rows below, ～ and －."""
    full = parsed_report.model_copy(deep=True)

    def text(i: int) -> str:
        ini = full.initiatives[i]
        cells = "".join(v or "" for row in ini.schedule for v in row.cells.values())
        return "".join((ini.title, ini.content or "", ini.effects or "", ini.results or "", cells))

    def first(pred: Callable[[int], bool]) -> list[int]:
        return [i for i in range(len(full.initiatives)) if pred(i)][:1]

    repeated = "補助金申請・受付等業務を外部に委託"  # a line three times in one cell
    picked = sorted(
        {0, 1}
        | set(first(lambda i: "―" in text(i)))
        | set(first(lambda i: "～" in text(i)))
        | set(first(lambda i: "－" in text(i)))
        | set(first(lambda i: (full.initiatives[i].content or "").count(repeated) > 1))
    )
    initiatives = [full.initiatives[i] for i in picked]
    ids = {ini.item_id for ini in initiatives}
    toc = [e for e in full.toc if e.item_id in ids]
    return full.model_copy(update={"initiatives": initiatives, "toc": toc})


@pytest.fixture(scope="module")
def report_pdf(report: Report, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("engines") / "report.pdf"
    tool.render_report_pdf(report, path)
    return path


@pytest.fixture(scope="module")
def report_pages(report_pdf: Path) -> Engines:
    return both(report_pdf)


def test_the_fixture_holds_what_pdfium_reads_differently(report_pages: Engines) -> None:
    """Else the agreement below would prove little: one-character text objects (the goal numbers, ―
    cells) and the look-alikes are on the pages, as pdfplumber reads them."""
    _, plumber = report_pages
    text = "".join(c.text for p in plumber for c in p.chars)
    assert "―" in text and "〜" in text and "−" in text
    goal_numbers = [c for p in plumber for c in p.chars if c.text in "１２３４５" and c.size >= 15]
    assert len(goal_numbers) == 5


def test_same_pages_and_sizes(report_pdf: Path, report_pages: Engines) -> None:
    pdfium, plumber = report_pages
    assert page_count(report_pdf, "pdfium") == page_count(report_pdf, "pdfplumber") == len(pdfium) > 5
    assert [p.number for p in pdfium] == [p.number for p in plumber] == list(range(1, len(pdfium) + 1))
    for a, b in zip(pdfium, plumber, strict=True):
        assert a.width == pytest.approx(b.width, abs=0.01) and a.height == pytest.approx(b.height, abs=0.01)


def test_same_characters_in_the_same_order(report_pages: Engines) -> None:
    """Per page the same characters, in order; where they differ pdfium has the code written and
    pdfminer its CID's look-alike, exactly as the generator's read_back says."""
    pdfium, plumber = report_pages
    for a, b in zip(pdfium, plumber, strict=True):
        got, want = [c.text for c in a.chars], [c.text for c in b.chars]
        assert len(got) == len(want), f"page {a.number}"
        assert [tool.read_back(t) for t in got] == want, f"page {a.number}"
        assert {(x, y) for x, y in zip(got, want, strict=True) if x != y} <= LOOK_ALIKES


def test_character_centres_and_sizes_agree(report_pages: Engines) -> None:
    pdfium, plumber = report_pages
    for a, b in zip(pdfium, plumber, strict=True):
        for x, y in zip(a.chars, b.chars, strict=True):
            assert centre_gap(x, y) <= 1.0, (a.number, x, y)
            assert x.size == pytest.approx(y.size, abs=0.1), (a.number, x, y)


def test_same_segments(report_pages: Engines) -> None:
    pdfium, plumber = report_pages
    # the initiative tables are ruled (their shaded cells' fills are backgrounds, not rules)
    assert sum(len(p.segments) for p in plumber) > 60
    for a, b in zip(pdfium, plumber, strict=True):
        assert snapped(a.segments) == snapped(b.segments), f"page {a.number}"


def test_chosen_pages_in_the_order_asked(report_pdf: Path, report_pages: Engines) -> None:
    pdfium, plumber = report_pages
    last = len(pdfium) - 1
    for engine, pages in (("pdfium", pdfium), ("pdfplumber", plumber)):
        got = read_pages(report_pdf, engine, [last, 0])
        assert [p.number for p in got] == [last + 1, 1]
        assert got == [pages[last], pages[0]]


def test_the_pdfium_engine_builds_no_pdfminer_objects(report_pdf: Path) -> None:
    code = (
        "import sys; from pathlib import Path; from plan_etl.extract.engines import read_pages; "
        f"pages = read_pages(Path({str(report_pdf)!r})); "
        "assert pages and pages[-1].chars; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pdfminer', 'pdfplumber')))"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert out.stdout.strip() == "[]"


# --- geometry the report does not have --------------------------------------------------------------


@pytest.fixture(scope="module")
def shapes_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A page of rules and shapes, and standard-font text upright, scaled, turned, slanted and in a
    form XObject drawn twice; then the same page with a /Rotate and a MediaBox off the origin."""
    folder = tmp_path_factory.mktemp("shapes")
    drawn, path = folder / "drawn.pdf", folder / "shapes.pdf"
    c = Canvas(str(drawn), pagesize=(600, 800), invariant=1)

    def page() -> None:
        c.setFont("Helvetica", 12)
        c.drawString(50, 750, "Rules, shapes and type")
        c.setFont("Times-Roman", 30)
        c.drawString(50, 700, "Big fjord")
        c.line(50, 650, 300, 650)  # a line
        c.setLineWidth(2)
        c.line(320, 600, 320, 650)
        c.rect(50, 550, 200, 80, stroke=1, fill=0)  # a ruled box
        c.setFillGray(0.8)
        c.rect(260, 550, 100, 80, stroke=0, fill=1)  # a cell background
        c.setFillGray(0)
        c.rect(50, 540, 300, 0.5, stroke=0, fill=1)  # a filled rule
        c.bezier(400, 600, 420, 650, 450, 650, 480, 600)  # curves give no segments
        c.roundRect(400, 500, 100, 50, 10)
        p = c.beginPath()
        p.moveTo(50, 450)
        p.lineTo(150, 450)
        p.lineTo(150, 400)
        p.close()
        c.drawPath(p)  # nor does a triangle
        c.saveState()
        c.translate(100, 300)
        c.scale(2, 2)
        c.setFont("Helvetica", 10)
        c.drawString(0, 0, "Scaled")
        c.line(0, -5, 60, -5)
        c.restoreState()
        c.saveState()
        c.translate(500, 200)
        c.rotate(90)
        c.drawString(0, 0, "Turned")
        c.restoreState()
        c.saveState()
        c.translate(300, 150)
        c.rotate(30)
        c.drawString(0, 0, "Slanted")
        c.restoreState()
        for x, scale in ((50, 1.0), (250, 1.5)):
            c.saveState()
            c.translate(x, 100)
            c.scale(scale, scale)
            c.doForm("box")
            c.restoreState()
        c.showPage()

    c.beginForm("box")
    c.setFont("Courier", 8)
    c.drawString(10, 10, "In a form")
    c.rect(5, 5, 60, 15)
    c.endForm()
    page()
    c.setPageRotation(90)
    page()
    c.save()
    # the second page's MediaBox moved off the origin (and widened), as pdfium writes it
    import pypdfium2

    doc = pypdfium2.PdfDocument(str(drawn))
    try:
        doc[1].set_mediabox(-20, 10, 620, 830)
        doc.save(str(path))
    finally:
        doc.close()
    return path


def test_shapes_agree(shapes_pdf: Path) -> None:
    pdfium, plumber = both(shapes_pdf)
    assert len(pdfium) == len(plumber) == 2
    for a, b in zip(pdfium, plumber, strict=True):
        assert (a.width, a.height) == pytest.approx((b.width, b.height), abs=0.01)
        assert [c.text for c in a.chars] == [c.text for c in b.chars]
        for x, y in zip(a.chars, b.chars, strict=True):
            assert centre_gap(x, y) <= 1.0, (a.number, x, y)
        assert snapped(a.segments) == snapped(b.segments), f"page {a.number}"
    assert (pdfium[1].width, pdfium[1].height) == pytest.approx((820, 640))


def test_lines_and_rectangles_give_segments_curves_none(shapes_pdf: Path) -> None:
    [page] = read_pages(shapes_pdf, DEFAULT_ENGINE, [0])
    got = snapped(page.segments)
    assert (50.0, 150.0, 300.0, 150.0) in got  # the line, y from the top
    # a cell background (filled, not stroked, thicker than a rule) is no rule: its edges are not read
    assert not {(260.0, 170.0, 360.0, 170.0), (260.0, 170.0, 260.0, 250.0)} & got
    assert {(50.0, 259.5, 350.0, 259.5), (50.0, 260.0, 350.0, 260.0)} <= got  # the filled rule's
    assert {(55.0, 680.0, 115.0, 680.0), (257.5, 670.0, 347.5, 670.0)} <= got  # the form's box, twice
    # 2 lines + the scaled one, 4 rectangles (two in the form) of 4 edges; no curve, no triangle
    assert len(page.segments) == 3 + 4 * 4


def test_standard_font_boxes_are_pdfminers(shapes_pdf: Path) -> None:
    """pdfium's loose box of Times `f` spans its outline (0.38 em), pdfminer's box its advance
    (0.33 em); pdfium's Helvetica descends 0.224 em, pdfminer's 0.207: the boxes are pdfminer's."""
    pdfium, plumber = both(shapes_pdf, [0])
    for x, y in zip(pdfium[0].chars, plumber[0].chars, strict=True):
        assert (x.x0, x.top, x.x1, x.bottom) == pytest.approx((y.x0, y.top, y.x1, y.bottom), abs=0.01)


# --- errors ------------------------------------------------------------------------------------------


def _one_page(path: Path, **kwargs) -> Path:
    c = Canvas(str(path), invariant=1, **kwargs)
    c.drawString(72, 500, "Quarterly sales summary")
    c.showPage()
    c.save()
    return path


@pytest.mark.parametrize("engine", ENGINES)
def test_encrypted_pdf(engine: str, tmp_path: Path) -> None:
    pdf = _one_page(tmp_path / "a.pdf", encrypt=StandardEncryption("user-secret", "owner-secret"))
    for call in (lambda: page_count(pdf, engine), lambda: read_pages(pdf, engine)):
        with pytest.raises(InputError) as exc:
            call()
        assert str(exc.value) == f"{pdf}: the PDF is encrypted; decrypt it first"


@pytest.mark.parametrize("engine", ENGINES)
def test_owner_password_only_is_read(engine: str, tmp_path: Path) -> None:
    pdf = _one_page(tmp_path / "b.pdf", encrypt=StandardEncryption("", "owner-secret"))
    [page] = read_pages(pdf, engine)
    assert "".join(c.text for c in page.chars) == "Quarterly sales summary"


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("kind", ["truncated", "not a pdf"])
def test_corrupt_pdf(engine: str, kind: str, tmp_path: Path) -> None:
    whole = _one_page(tmp_path / "whole.pdf").read_bytes()
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(whole[: len(whole) // 3] if kind == "truncated" else b"%PDF-1.4\nnothing here\n")
    for call in (lambda: page_count(bad, engine), lambda: read_pages(bad, engine)):
        with pytest.raises(InputError) as exc:
            call()
        message = str(exc.value)
        assert message.startswith(f"{bad}: not a readable PDF (") and "\n" not in message


@pytest.mark.parametrize("engine", ENGINES)
def test_a_pdf_without_pages(engine: str, tmp_path: Path) -> None:
    """pdfium will not load this one (no cross-reference table); pdfminer reads it as empty."""
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(
        b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
        b"2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n"
        b"trailer <</Root 1 0 R>>\n%%EOF\n"
    )
    assert page_count(empty, engine) == 0
    assert read_pages(empty, engine) == []


def test_unknown_engine(tmp_path: Path) -> None:
    pdf = _one_page(tmp_path / "c.pdf")
    for call in (lambda: page_count(pdf, "pdfminer"), lambda: read_pages(pdf, "pdfminer")):
        with pytest.raises(InputError) as exc:
            call()
        assert "'pdfminer'" in str(exc.value) and all(e in str(exc.value) for e in ENGINES)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_page_the_pdf_does_not_have(engine: str, tmp_path: Path) -> None:
    pdf = _one_page(tmp_path / "d.pdf")
    with pytest.raises(InputError, match="no page 2"):
        read_pages(pdf, engine, [1])
