"""PDF engines: pypdfium2 (default: fast, lean) or pdfplumber, each turning pages into the one page
model of `page_objects` (characters with boxes, ruling segments), so the layout readers above give
the same records whichever engine read the file.

Both engines report what pdfplumber reports, in pdfplumber's coordinates (points from the top-left
of the page's MediaBox, the page's /Rotate applied):

* chars: every glyph in content-stream order with pdfminer's box: from the glyph's origin along
  the baseline by its advance (the font's /Widths or /W), across from the font's descent by the
  font size (the bounds of that box through the glyph's matrix); `size` is the box's height (the
  font size for upright text), as pdfminer's;
* segments: each two-point subpath (pdfminer's LTLine) and the four edges of each axis-aligned
  closed four-point subpath (pdfminer's LTRect, `re` included), stroked or filled alike: a thin
  filled rectangle drawn as a rule gives its edges, as does a cell's background. Any other subpath
  (a polyline, a polygon, a Bézier curve: pdfminer's LTCurve) gives none. Segment order is not part
  of the contract (pdfium: content order; pdfplumber: lines, then rectangle edges).

The pdfium engine gets there from pdfium's text page (FPDFText_*), page objects (FPDFPage_*,
FPDFPath_*, FPDFFormObj_* for form XObjects, nested) and fonts (FPDFFont_*), one page at a time
(loaded, read, closed), never building pdfminer objects:

* Char boxes: neither of pdfium's boxes is pdfminer's. The tight box (FPDFText_GetCharBox) is the
  glyph's outline: it varies per glyph and collapses when pdfium has no outlines for the font (the
  generated report PDF's non-embedded CJK font: 0.01pt tall). The loose box
  (FPDFText_GetLooseCharBox) spans the font's descent to ascent as pdfium knows them, and the
  advance joined with the outline (Times `f`: 0.38 em for an advance of 0.33). So the box is built
  as pdfminer builds it, from pdfium's origin (FPDFText_GetCharOrigin), glyph matrix and font size
  (FPDFText_GetMatrix, FPDFText_GetFontSize), the advance from the font's widths
  (FPDFFont_GetGlyphWidth) and the descent from its descriptor (FPDFFont_GetDescent; pdfminer's
  AFM descent for the fonts it knows by name, as Helvetica). The loose box checks the advance (an
  advance it cannot hold is a width looked up for another code) and stands in for it when unknown.
  On the generated report PDF boxes agree to 0.0002pt.
* Text objects pdfium cannot measure: a glyph without outlines has an empty box, so a text object
  of such glyphs has zero height, and zero width if it is one glyph. pdfium's text page skips
  zero-width objects (a one-character line or cell such as ― vanishes) and takes zero-height ones
  at the same x for overprinted duplicates (a line repeated in the rows below vanishes). Such
  objects get a 0.1pt extent (stroke mode with a 0.1pt line width, in memory on the loaded page,
  never saved or rendered) before the text page is built.
* Order: pdfium sorts the text objects of a line by x; chars are put back in the order of their
  text objects in the content stream (a form XObject's where it is drawn).
* Generated characters (the spaces and CR LF pdfium inserts between objects) are dropped; spaces
  that are glyphs in the PDF are kept, as pdfminer keeps them.
* A glyph pdfium splits into several characters (a ToUnicode entry of several characters) is one
  Char, as in pdfminer; a glyph without a Unicode mapping reads ``(cid:N)`` with N its code, as
  pdfminer's (whose N is the CID: the same for simple fonts and Identity-encoded CID fonts); a
  line-end hyphen pdfium marks as such (U+0002) reads ``-``.
* Segments: pdfium keeps coordinates as float32, so a rule at 155.75 comes as 155.74997 and snaps
  the other way; each is read back as the shortest decimal that float32 holds (the number the PDF
  wrote) before the float64 maps, as pdfminer computes.

What still differs (pdfium decides these and its API does not undo them):

* Characters of a font without a ToUnicode map whose encoding is a Unicode CMap (UniJIS-UCS2-H:
  the generated report PDF's HeiseiKakuGo-W5): pdfium gives the code written, i.e. the producer's
  Unicode (～ U+FF5E, － U+FF0D), pdfminer the CID's Unicode from its Adobe-Japan1 table (〜 U+301C,
  − U+2212); tools/make_report_pdf.py `read_back` maps the first to the second.
* Overprinted duplicates (fake bold: the same glyphs again within a fraction of a glyph) are one
  glyph in pdfium, all of them in pdfminer; a run of spaces in a line is one space in pdfium, and
  spaces before a line-end hyphen are dropped. ActualText replaces the glyphs in pdfium (pdfminer
  ignores it); right-to-left runs come reversed; ligatures U+FB00-FB06 are decomposed (ﬁ -> fi)
  and such a glyph gets the loose box's advance. Symbol and ZapfDingbats codes read differently.
* Positions: pdfium rounds glyph widths to 1/1000 em, so glyphs drift from pdfminer's by up to
  0.0005 em each along a text object with fractional widths (reportlab's embedded TrueType: 0.2pt
  over 40 glyphs at 14pt); pdfminer leaves out the character spacing (Tc) after a string's last
  glyph, which pdfium (and the PDF spec) add, so what follows such a string in the same text object
  is Tc further right in pdfium. Vertical writing (Identity-V) is not matched.
* Segments: the obsolete `F` fill operator paints nothing in pdfminer, a path in pdfium.
* Type 3 fonts (Chromium's CJK fonts): both engines take the advance from the font's /Widths through
  its FontMatrix (pdfium's loose box of a Type 3 glyph is its ink: ・ 0.2 em), and pdfplumber's boxes
  the descent of the font's FontBBox (pdfminer looks for it in the descriptor only). pdfium's
  descent of some subsets is its own (-0.069 em where the FontBBox says -0.12), so their boxes sit up
  to 0.06 em higher; the layout reader groups glyphs by adjacency, never by an exact top.

Both engines apply the one character normalisation (`plan_etl.form.characters`: ⽬ -> 目) and honour
/ActualText spans (pdfium natively; the pdfplumber engine through its own layout device), and neither
takes a cell background (a filled rectangle thicker than a rule) for a rule (`page_objects`).
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import struct
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any

from plan_etl.errors import InputError, LimitError
from plan_etl.extract.base import DEFAULT_ENGINE, ENGINES
from plan_etl.extract.page_objects import Char, Page, Segment, is_background
from plan_etl.form.characters import CANONICAL, canonical
from plan_etl.limits import OPTIONS

Matrix = tuple[float, float, float, float, float, float]
"""An affine map (a, b, c, d, e, f) as PDF writes it: x' = a x + c y + e, y' = b x + d y + f."""
Box = tuple[float, float, float, float]
"""A box in user space: left, bottom, right, top."""

_FLOAT32 = struct.Struct("f")

_MIN_EXTENT = 0.01
"""pdfium's kSizeEpsilon: a text object narrower than this is skipped by its text page."""
_GIVEN_EXTENT = 0.1
"""The extent (pt) given to a text object pdfium could not measure (see the module doc)."""


def page_count(path: Path, engine: str = DEFAULT_ENGINE) -> int:
    """The number of pages (0 for a PDF without pages); InputError for an unusable file."""
    _check_engine(engine)
    if engine == "pdfium":
        pdfium = _pdfium()
        doc = _pdfium_open(path)
        if doc is None:
            return 0
        try:
            return pdfium.FPDF_GetPageCount(doc)
        finally:
            pdfium.FPDF_CloseDocument(doc)
    pdf = _plumber_open(path)
    try:
        return len(pdf.pages)
    except Exception as exc:
        raise InputError(f"{path}: not a readable PDF ({type(exc).__name__})") from None
    finally:
        with contextlib.suppress(Exception):  # a damaged file may fail even to close
            pdf.close()


def read_pages(path: Path, engine: str = DEFAULT_ENGINE, numbers: Sequence[int] | None = None) -> list[Page]:
    """The given pages (0-based numbers, in the order given; None: all) as `Page`s, numbered from 1.

    InputError (one line) for an unknown engine, an encrypted or unreadable file, or a page number
    the file does not have.
    """
    return list(iter_pages(path, engine, numbers))


def iter_pages(
    path: Path, engine: str = DEFAULT_ENGINE, numbers: Sequence[int] | None = None, max_rules: int = 0
) -> Iterator[Page]:
    """`read_pages` one page at a time, so that a page read and done with can be dropped before the
    next is read (the file is closed when the iterator is exhausted or closed). A page with more
    than `max_rules` ruling segments (0: any number) is a LimitError, raised as they are counted."""
    _check_engine(engine)
    if engine == "pdfium":
        return _pdfium_pages(path, numbers, max_rules)
    return _plumber_pages(path, numbers, max_rules)


def _too_many_rules(path: Path, number: int, max_rules: int) -> LimitError:
    return LimitError(
        path,
        f"page {number} has more than {max_rules} ruling lines",
        f"{max_rules} a page",
        OPTIONS["max_rules"],
    )


def _check_engine(engine: str) -> None:
    """InputError naming the engines for one that is not."""
    if engine not in ENGINES:
        raise InputError(f"unknown PDF engine {engine!r}: choose one of {', '.join(ENGINES)}")


def _check_numbers(path: Path, numbers: Sequence[int] | None, n_pages: int) -> list[int]:
    """The page numbers to read (0-based); InputError for one the file does not have."""
    if numbers is None:
        return list(range(n_pages))
    bad = [n for n in numbers if not 0 <= n < n_pages]
    if bad:
        raise InputError(f"{path}: no page {bad[0] + 1} (the PDF has {n_pages} pages)")
    return list(numbers)


# --- page space -------------------------------------------------------------------------------------


def _page_space(box: tuple[float, float, float, float], rotation: int) -> tuple[Matrix, float, float]:
    """The map from PDF user space to pdfplumber's page coordinates (x right, y down) and the page's
    width and height, for a MediaBox (x0, y0, x1, y1) and a /Rotate (0, 90, 180, 270).

    pdfminer maps user space to its device space by the MediaBox and /Rotate
    (PDFPageInterpreter.process_page); pdfplumber then flips y against the (rotated) MediaBox and
    shifts by its corner (pdfplumber.page.Page: `_normalize_box`, `_invert_box`, `process_object`).
    """
    x0, y0, x1, y1 = min(box[0], box[2]), min(box[1], box[3]), max(box[0], box[2]), max(box[1], box[3])
    device: Matrix = {
        90: (0.0, -1.0, 1.0, 0.0, -y0, x1),
        180: (-1.0, 0.0, 0.0, -1.0, x1, y1),
        270: (0.0, 1.0, -1.0, 0.0, y1, -x0),
    }.get(rotation, (1.0, 0.0, 0.0, 1.0, -x0, -y0))
    bx0, by0, bx1, by1 = (y0, x0, y1, x1) if rotation in (90, 270) else (x0, y0, x1, y1)
    width, height = bx1 - bx0, by1 - by0
    mb_top = height - by1
    a, b, c, d, e, f = device
    return (a, -b, c, -d, e + bx0, height - f + mb_top), width, height


@functools.lru_cache(maxsize=8192)  # a page's rules repeat a few coordinates many times
def _decimal(v: float) -> float:
    """The shortest decimal that a float32 from pdfium rounds back to: the number the PDF wrote
    (pdfium keeps coordinates as float32, pdfminer as float64 of the written decimal), so that
    rules land on the same points in both engines rather than 0.00003pt apart."""
    for digits in (6, 7, 8):
        d = float(f"{v:.{digits}g}")
        if _FLOAT32.unpack(_FLOAT32.pack(d))[0] == v:
            return d
    return v


def _matrix(m: Any) -> Matrix:
    """An FS_MATRIX as a Matrix of the decimals written."""
    return (_decimal(m.a), _decimal(m.b), _decimal(m.c), _decimal(m.d), _decimal(m.e), _decimal(m.f))


def _mul(m: Matrix, n: Matrix) -> Matrix:
    """m, then n."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u)


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    """The point (x, y) through m."""
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


# --- pdfium -----------------------------------------------------------------------------------------


def _pdfium() -> Any:
    """pypdfium2's raw bindings, the library initialised (importing pypdfium2 does that)."""
    import pypdfium2

    return pypdfium2.raw


_PDFIUM_ERRORS = {
    1: "unknown error",
    2: "file not found or could not be opened",
    3: "not in PDF format or corrupted",
    6: "page not found or content error",
}


def _pdfium_open(path: Path) -> Any | None:
    """An FPDF_DOCUMENT (close with FPDF_CloseDocument), or None for a PDF without pages that
    pdfium will not load (pdfium refuses some that pdfminer reads as empty); InputError (one line,
    as for pdfplumber) for an encrypted or unreadable file."""
    pdfium = _pdfium()
    doc = pdfium.FPDF_LoadDocument(str(path).encode("utf-8", "surrogateescape"), None)
    if doc:
        return doc
    code = pdfium.FPDF_GetLastError()
    if code in (pdfium.FPDF_ERR_PASSWORD, pdfium.FPDF_ERR_SECURITY):
        raise InputError(f"{path}: the PDF is encrypted; decrypt it first")
    if code == pdfium.FPDF_ERR_FORMAT and _pdfminer_sees_no_pages(path):
        return None
    raise InputError(f"{path}: not a readable PDF (pdfium: {_PDFIUM_ERRORS.get(code, f'error {code}')})")


def _pdfminer_sees_no_pages(path: Path) -> bool:
    """Whether pdfminer reads the file as a PDF without pages (asked only when pdfium failed)."""
    try:
        pdf = _plumber_open(path)
    except InputError:
        return False
    try:
        return len(pdf.pages) == 0
    except Exception:
        return False
    finally:
        with contextlib.suppress(Exception):  # a damaged file may fail even to close
            pdf.close()


def _pdfium_pages(path: Path, numbers: Sequence[int] | None, max_rules: int = 0) -> Iterator[Page]:
    """The pages one at a time, each closed once read; the document closed at the end."""
    pdfium = _pdfium()
    doc = _pdfium_open(path)
    if doc is None:
        _check_numbers(path, numbers, 0)
        return
    try:
        for n in _check_numbers(path, numbers, pdfium.FPDF_GetPageCount(doc)):
            page = pdfium.FPDF_LoadPage(doc, n)
            if not page:
                raise InputError(f"{path}: not a readable PDF (pdfium cannot load page {n + 1})")
            try:
                yield _pdfium_page(path, pdfium, page, n + 1, max_rules)
            finally:
                pdfium.FPDF_ClosePage(page)
    finally:
        pdfium.FPDF_CloseDocument(doc)


def _pdfium_page(path: Path, pdfium: Any, page: Any, number: int, max_rules: int = 0) -> Page:
    """One loaded page as a Page: objects walked (text objects ordered and made measurable, segments
    read, no more than `max_rules` of them), then the text page read."""
    box = [ctypes.c_float() for _ in range(4)]
    if pdfium.FPDFPage_GetMediaBox(page, *box):
        left, bottom, right, top = (_decimal(v.value) for v in box)
    else:  # no MediaBox anywhere: pdfium and pdfminer both take US Letter
        left, bottom, right, top = 0.0, 0.0, 612.0, 792.0
    space, width, height = _page_space((left, bottom, right, top), pdfium.FPDFPage_GetRotation(page) % 4 * 90)
    order: dict[int, int] = {}
    segments: list[Segment] = []
    fills: list[Segment] = []
    try:
        _walk(
            pdfium,
            [pdfium.FPDFPage_GetObject(page, i) for i in range(pdfium.FPDFPage_CountObjects(page))],
            space,
            order,
            segments,
            max_rules=max_rules,
            fills=fills,
        )
    except _TooMany:
        raise _too_many_rules(path, number, max_rules) from None
    textpage = pdfium.FPDFText_LoadPage(page)
    if not textpage:
        raise InputError(f"{path}: not a readable PDF (pdfium cannot read the text of page {number})")
    try:
        chars = _pdfium_chars(pdfium, textpage, space, order)
    finally:
        pdfium.FPDFText_ClosePage(textpage)
    return Page(number, width, height, tuple(chars), tuple(segments), tuple(fills))


def _walk(
    pdfium: Any,
    objects: list[Any],
    outer: Matrix,
    order: dict[int, int],
    segments: list[Segment],
    depth: int = 0,
    max_rules: int = 0,
    fills: list[Segment] | None = None,
) -> None:
    """Page objects in content order: each text object numbered (and given an extent if pdfium
    cannot measure it), each path's segments collected, form XObjects entered; _TooMany as soon as
    there are more than `max_rules` segments (0: any number)."""
    m = pdfium.FS_MATRIX()
    bounds = [ctypes.c_float() for _ in range(4)]
    for obj in objects:
        kind = pdfium.FPDFPageObj_GetType(obj)
        if kind == pdfium.FPDF_PAGEOBJ_TEXT:
            order[_address(obj)] = len(order)
            _measurable(pdfium, obj, bounds)
        elif kind == pdfium.FPDF_PAGEOBJ_PATH:
            if pdfium.FPDFPageObj_GetMatrix(obj, m):
                segments.extend(
                    _path_segments(pdfium, obj, _mul(_matrix(m), outer), _stroked(pdfium, obj), fills)
                )
                if max_rules and len(segments) > max_rules:
                    raise _TooMany
        elif kind == pdfium.FPDF_PAGEOBJ_FORM and depth < 32 and pdfium.FPDFPageObj_GetMatrix(obj, m):
            inner = _mul(_matrix(m), outer)
            count = pdfium.FPDFFormObj_CountObjects(obj)
            _walk(
                pdfium,
                [pdfium.FPDFFormObj_GetObject(obj, i) for i in range(max(count, 0))],
                inner,
                order,
                segments,
                depth + 1,
                max_rules,
                fills,
            )


class _TooMany(Exception):
    """More ruling segments on a page than the limit."""


def _address(pointer: Any) -> int:
    """A pdfium handle's address (0 for NULL), to key objects by (faster than ctypes.cast)."""
    return ctypes.c_void_p.from_buffer(pointer).value or 0


def _measurable(pdfium: Any, obj: Any, b: list[Any]) -> None:
    """Give a text object pdfium could not measure (no glyph outlines) a small extent, so its text
    page neither skips it nor takes it for a duplicate of another (see the module doc); `b`: four
    c_floats to read its bounds into (left, bottom, right, top)."""
    if not pdfium.FPDFPageObj_GetBounds(obj, *b):
        return
    if b[2].value - b[0].value >= _MIN_EXTENT and b[3].value - b[1].value >= _MIN_EXTENT:
        return
    # a stroked text object's box grows by half its line width each way; Transform recomputes it
    pdfium.FPDFTextObj_SetTextRenderMode(obj, pdfium.FPDF_TEXTRENDERMODE_FILL_STROKE)
    pdfium.FPDFPageObj_SetStrokeWidth(obj, ctypes.c_float(_GIVEN_EXTENT))
    pdfium.FPDFPageObj_Transform(obj, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _stroked(pdfium: Any, obj: Any) -> bool:
    """Whether a path object is stroked (else it is only filled, or not painted)."""
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke)):
        return True
    return bool(stroke.value)


def _path_segments(
    pdfium: Any, obj: Any, m: Matrix, stroked: bool = True, fills: list[Segment] | None = None
) -> list[Segment]:
    """A path object's lines and rectangle edges, as pdfminer classifies its subpaths; a rectangle
    that is only filled gives its edges only if it is as thin as a rule (see `is_background`)."""
    x, y = ctypes.c_float(), ctypes.c_float()
    subpaths: list[tuple[str, list[tuple[float, float]]]] = []
    shape, pts = "", []
    for i in range(pdfium.FPDFPath_CountSegments(obj)):
        seg = pdfium.FPDFPath_GetPathSegment(obj, i)
        if not seg or not pdfium.FPDFPathSegment_GetPoint(seg, x, y):
            continue
        kind = pdfium.FPDFPathSegment_GetType(seg)
        p = _apply(m, _decimal(x.value), _decimal(y.value))
        if kind == pdfium.FPDF_SEGMENT_MOVETO:
            if shape:
                subpaths.append((shape, pts))
            shape, pts = "m", [p]
        elif not shape:
            continue
        elif kind == pdfium.FPDF_SEGMENT_LINETO and pdfium.FPDFPathSegment_GetClose(seg):
            # pdfium closes a subpath by a line back to its start: that is pdfminer's `h`
            shape, pts = shape + "h", [*pts, pts[0]]
        else:
            shape, pts = shape + ("l" if kind == pdfium.FPDF_SEGMENT_LINETO else "c"), [*pts, p]
    if shape:
        subpaths.append((shape, pts))
    out: list[Segment] = []
    for shape, pts in subpaths:
        edges = _classify(shape, pts)
        if not stroked and len(edges) == 4:
            top, bottom, left, right = edges
            if is_background(left.x0, top.top, right.x0, bottom.top):
                if fills is not None:
                    fills.append(Segment(left.x0, top.top, right.x0, bottom.top))
                continue
        out.extend(edges)
    return out


def _classify(shape: str, pts: list[tuple[float, float]]) -> list[Segment]:
    """pdfminer's PDFLayoutAnalyzer.paint_path for one subpath: a line, a rectangle's four edges,
    or nothing (a curve)."""
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape, pts = shape[:-2] + "h", pts[:-1]
    if shape in ("ml", "mlh"):
        (xa, ya), (xb, yb) = pts[0], pts[1]
        return [Segment(min(xa, xb), min(ya, yb), max(xa, xb), max(ya, yb))]
    if shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), end = pts[:5]
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (
            y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0
        )
        if end == pts[0] and square:
            return _edges(min(x0, x2), min(y0, y2), max(x0, x2), max(y0, y2))
    return []


def _edges(x0: float, top: float, x1: float, bottom: float) -> list[Segment]:
    """A rectangle's edges as pdfplumber's rect_to_edges: top, bottom, left, right."""
    return [
        Segment(x0, top, x1, top),
        Segment(x0, bottom, x1, bottom),
        Segment(x0, top, x0, bottom),
        Segment(x1, top, x1, bottom),
    ]


_GENERATED_CANDIDATES = frozenset((0x20, 0x0D, 0x0A))
"""The only characters pdfium generates (spaces, CR LF): IsGenerated is asked only for these."""


@dataclass(slots=True)
class _Frame:
    """What the glyphs of one text object share: the char matrix's linear part times the font size
    (advance per em along (a, b), the font size's extent along (c, d)), the font and pdfminer's
    descent for it (em)."""

    a: float
    b: float
    c: float
    d: float
    font: Any
    font_id: int
    descent: float
    type3: bool = False
    """A Type 3 font: its glyphs are drawn by procedures, so pdfium's loose box is the glyph's ink
    (・ 0.2 em), never its advance; the font's widths through its FontMatrix are the advance."""


class _TextCalls:
    """The text page functions of the hot loop, bound once with plain-integer handles (c_void_p in,
    an address out): pypdfium2's own bindings wrap each handle in a ctypes pointer object, which
    costs more than the call."""

    def __init__(self, pdfium: Any) -> None:
        lib = _pdfium_library()
        vp, i, d = ctypes.c_void_p, ctypes.c_int, ctypes.POINTER(ctypes.c_double)

        def bind(name: str, restype: Any, *argtypes: Any) -> Any:
            f = lib[name]  # a new function object: pypdfium2's own stays as it is
            f.restype, f.argtypes = restype, argtypes
            return f

        self.count = bind("FPDFText_CountChars", i, vp)
        self.unicode = bind("FPDFText_GetUnicode", ctypes.c_uint, vp, i)
        self.generated = bind("FPDFText_IsGenerated", i, vp, i)
        self.object = bind("FPDFText_GetTextObject", vp, vp, i)
        self.map_error = bind("FPDFText_HasUnicodeMapError", i, vp, i)
        self.origin = bind("FPDFText_GetCharOrigin", i, vp, i, d, d)
        self.loose = bind("FPDFText_GetLooseCharBox", i, vp, i, ctypes.POINTER(pdfium.FS_RECTF))
        self.hyphen = bind("FPDFText_IsHyphen", i, vp, i)
        # the advance (em) of the glyph a font gives a character, from its widths (/Widths, /W, or
        # the standard fonts' metrics), as pdfminer takes it; read into width_out
        self.glyph_width = bind(
            "FPDFFont_GetGlyphWidth", i, vp, ctypes.c_uint32, ctypes.c_float, ctypes.POINTER(ctypes.c_float)
        )
        self.width_out = ctypes.c_float()
        self.width_ref = ctypes.byref(self.width_out)


def _pdfium_library() -> Any:
    """pdfium's CDLL as pypdfium2 loaded it."""
    from pypdfium2_raw import bindings

    return bindings._libs["pdfium"]


_calls: _TextCalls | None = None


def _text_calls(pdfium: Any) -> _TextCalls:
    """The hot loop's bindings, made once per process."""
    global _calls
    if _calls is None:
        _calls = _TextCalls(pdfium)
    return _calls


def _pdfium_chars(pdfium: Any, textpage: Any, space: Matrix, order: dict[int, int]) -> list[Char]:
    """The text page's characters as Chars, in content order (see the module doc). The hot loop of
    the engine: one pass over pdfium's characters with what a text object shares (rank, frame)
    looked up when the object changes, each glyph's advance (em) looked up once per font and
    character, and its Char made at once (pdfminer's box: from (0, descent) to (advance, descent
    + 1 em) through the char matrix, from pdfium's origin, through the page space, axis-aligned).
    Characters pdfium split from one glyph (same object, origin and loose box) are joined into one
    Char, its advance the loose box's."""
    calls = _text_calls(pdfium)
    get_unicode, is_generated, get_object = calls.unicode, calls.generated, calls.object
    get_origin, map_error, get_loose = calls.origin, calls.map_error, calls.loose
    tp = _address(textpage)
    rect, m = pdfium.FS_RECTF(), pdfium.FS_MATRIX()
    prect = ctypes.byref(rect)
    ox, oy = ctypes.c_double(), ctypes.c_double()
    pox, poy = ctypes.byref(ox), ctypes.byref(oy)
    sa, sb, sc, sd, se, sf = space
    upright = sb == 0 and sc == 0
    frames: dict[int, _Frame] = {}
    fonts: dict[int, tuple[float, bool]] = {}
    advances: dict[int, dict[int, float | None]] = {}  # font -> character -> advance (em)
    font_advances: dict[int, float | None] = {}
    chars: list[Char] = []
    ranks: list[int] = []  # per Char: its text object's place in the content
    rank = last_rank = 0
    ordered = True
    last_obj: int | None = None
    frame: _Frame | None = None
    plain = False  # the frame is neither rotated nor skewed (nor is the page): two corners suffice
    first: tuple[Any, ...] = ()  # the last Char's first glyph: object, origin, index, text

    def loose(i: int) -> Box | None:
        if not get_loose(tp, i, prect):
            return None
        return rect.left, rect.bottom, rect.right, rect.top

    for i in range(calls.count(tp)):
        u = get_unicode(tp, i)
        if u in _GENERATED_CANDIDATES and is_generated(tp, i):
            continue
        obj = get_object(tp, i) or 0
        if obj != last_obj:
            last_obj = obj
            rank = order.get(obj, rank)
            if rank < last_rank:
                ordered = False
            last_rank = rank
            frame = frames.get(obj)
            if frame is None:
                frame = frames[obj] = _frame(pdfium, textpage, i, obj, m, fonts)
            plain = upright and frame.b == 0 and frame.c == 0
            font_advances = advances.setdefault(frame.font_id, {})
        if not get_origin(tp, i, pox, poy):
            continue
        if u == 0 or map_error(tp, i) == 1:
            text, known = f"(cid:{u})", False
        elif u == 0x02 and calls.hyphen(tp, i) == 1:
            text, known = "-", False
        else:
            text, known = CANONICAL.get(u) or chr(u), True
        x, y = ox.value, oy.value
        if first and first[0] == obj and first[1] == x and first[2] == y:
            box = loose(first[3])
            if box is not None and box == loose(i):  # one glyph, several characters
                joined = _joined(first[4] + text)
                first = (*first[:4], joined)
                chars[-1] = _char(joined, x, y, frame, _room(frame, box), space)  # type: ignore[arg-type]
                continue
        first = (obj, x, y, i, text)
        advance = font_advances.get(u, -1.0) if known else -1.0
        if advance == -1.0:  # not known yet for this font and character, or not to be kept
            advance = _advance(pdfium, calls, tp, i, rect, frame, u if known else None)  # type: ignore[arg-type]
            if known and advance is not None and advance >= 0:
                font_advances[u] = advance
            elif advance is not None and advance < 0:
                advance = -advance - 1.0
        if plain:
            w = advance or 0.0
            xa, xb = sa * x + se, sa * (x + w * frame.a) + se  # type: ignore[union-attr]
            ya = sd * (y + frame.descent * frame.d) + sf  # type: ignore[union-attr]
            yb = sd * (y + (frame.descent + 1) * frame.d) + sf  # type: ignore[union-attr]
            x0, x1 = (xa, xb) if xa <= xb else (xb, xa)
            y0, y1 = (ya, yb) if ya <= yb else (yb, ya)
            chars.append(Char(text, x0, y0, x1, y1, y1 - y0))
        else:
            chars.append(_char(text, x, y, frame, advance, space))  # type: ignore[arg-type]
        ranks.append(rank)
    if not ordered:  # stable: glyph order within an object is kept
        chars = [c for _, c in sorted(zip(ranks, chars, strict=True), key=itemgetter(0))]
    return chars


def _advance(
    pdfium: Any, calls: _TextCalls, tp: int, i: int, rect: Any, f: _Frame, u: int | None
) -> float | None:
    """Character i's advance (em) as pdfminer takes it: the font's width for u (None: no width to
    look up), checked against pdfium's loose box, whose extent along the baseline stands in for a
    width it cannot hold (one looked up for another code) or none. A width that passed is returned
    as it is (to be kept for the font and character); one the box gave is returned as -(1 + w),
    since it holds only for this glyph."""
    width = None
    if f.font_id and u is not None:
        w = calls.width_out
        if calls.glyph_width(f.font_id, u, 1.0, calls.width_ref) and w.value > 0:
            width = w.value
    if not calls.loose(tp, i, ctypes.byref(rect)):
        return width
    room = _room(f, (rect.left, rect.bottom, rect.right, rect.top))
    scale = abs(f.a) if abs(f.a) >= abs(f.b) else abs(f.b)
    if width is not None and (f.type3 or width * scale <= room * scale + 0.01):
        return width
    return -1.0 - room


def _room(f: _Frame, box: Box) -> float:
    """The loose box's extent along the baseline, in em."""
    left, bottom, right, top = box
    along_x = abs(f.a) >= abs(f.b)
    room = abs(right - left) if along_x else abs(top - bottom)
    scale = abs(f.a) if along_x else abs(f.b)
    return room / scale if scale else 0.0


def _char(text: str, x: float, y: float, f: _Frame, w: float | None, space: Matrix) -> Char:
    """A glyph's Char (origin x, y, advance w em): its pdfminer box (user space) through the page
    space (axis-aligned)."""
    sa, sb, sc, sd, se, sf = space
    w = w or 0.0
    xs, ys = [], []
    for s in (0.0, w):  # the four corners, as pdfminer's apply_matrix_rect
        for t in (f.descent, f.descent + 1):
            xs.append(x + s * f.a + t * f.c)
            ys.append(y + s * f.b + t * f.d)
    left, bottom, right, top = min(xs), min(ys), max(xs), max(ys)
    xa, ya = sa * left + sc * bottom + se, sb * left + sd * bottom + sf
    xb, yb = sa * right + sc * top + se, sb * right + sd * top + sf
    x0, x1 = (xa, xb) if xa <= xb else (xb, xa)
    y0, y1 = (ya, yb) if ya <= yb else (yb, ya)
    return Char(text, x0, y0, x1, y1, y1 - y0)


def _frame(
    pdfium: Any, textpage: Any, i: int, obj: int, m: Any, fonts: dict[int, tuple[float, bool]]
) -> _Frame:
    """The frame of character i's text object (obj: its address), read once per object; what it
    takes of the font (descent, Type 3 or not) read once per font (`fonts`, by address)."""
    size = pdfium.FPDFText_GetFontSize(textpage, i)
    if not pdfium.FPDFText_GetMatrix(textpage, i, m):
        m.a, m.b, m.c, m.d = 1.0, 0.0, 0.0, 1.0
    font = pdfium.FPDFTextObj_GetFont(ctypes.cast(obj, pdfium.FPDF_PAGEOBJECT)) if obj else None
    font_id = _address(font) if font else 0
    facts = fonts.get(font_id)
    if facts is None:
        facts = fonts[font_id] = (_descent(pdfium, font), _is_type3(pdfium, font))
    return _Frame(m.a * size, m.b * size, m.c * size, m.d * size, font, font_id, *facts)


def _is_type3(pdfium: Any, font: Any) -> bool:
    """Whether the font is a Type 3 font: embedded, yet with no font program (its glyphs are
    content streams of the PDF, which FPDFFont_GetFontData does not give)."""
    if not font or not pdfium.FPDFFont_GetIsEmbedded(font):
        return False
    size = ctypes.c_size_t()
    return bool(pdfium.FPDFFont_GetFontData(font, None, 0, ctypes.byref(size))) and size.value == 0


_AFM_DESCENTS = {
    **dict.fromkeys(("Courier", "Courier-Bold", "Courier-BoldOblique", "Courier-Oblique"), -194),
    **dict.fromkeys(("Helvetica", "Helvetica-Bold", "Helvetica-BoldOblique", "Helvetica-Oblique"), -207),
    **dict.fromkeys(("Times-Roman", "Times-Bold", "Times-BoldItalic", "Times-Italic"), -217),
    **dict.fromkeys(("Symbol", "ZapfDingbats"), 0),
    **dict.fromkeys(("Arial", "Arial,Italic", "Arial,Bold", "Arial,BoldItalic"), -207),
    **dict.fromkeys(("CourierNew", "CourierNew,Italic", "CourierNew,Bold", "CourierNew,BoldItalic"), -194),
    **dict.fromkeys(
        ("TimesNewRoman", "TimesNewRoman,Italic", "TimesNewRoman,Bold", "TimesNewRoman,BoldItalic"), -217
    ),
}
"""pdfminer's descents (1/1000 em) for the fonts it knows by name (pdfminer.fontmetrics, from the
AFM files; it takes them over the font's descriptor); pdfium takes the descriptor's, or its
substitute font's (Helvetica -224, Times -249)."""


def _descent(pdfium: Any, font: Any) -> float:
    """The font's descent (em, negative) as pdfminer takes it."""
    if not font:
        return 0.0
    n = pdfium.FPDFFont_GetBaseFontName(font, None, 0)
    if n > 0:
        name = ctypes.create_string_buffer(n)
        if pdfium.FPDFFont_GetBaseFontName(font, name, n):
            afm = _AFM_DESCENTS.get(name.value.decode("latin-1"))
            if afm is not None:
                return afm / 1000
    descent = ctypes.c_float()
    if not pdfium.FPDFFont_GetDescent(font, ctypes.c_float(1.0), descent):
        return 0.0
    return -abs(descent.value)


def _joined(text: str) -> str:
    """Characters pdfium gave as UTF-16 surrogate halves joined into one."""
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in text):
        return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return text


# --- pdfplumber -------------------------------------------------------------------------------------


def _plumber_open(path: Path | str) -> Any:  # -> pdfplumber.PDF
    """pdfplumber.open with its failures as one-line InputErrors (pdfplumber wraps pdfminer's
    exceptions in its PdfminerException: the one wrapped decides)."""
    import logging

    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException
    from pdfplumber.utils.exceptions import PdfminerException

    # pdfminer warns through logging of fonts it half reads (a Type 3 font's FontBBox): the engine
    # reads those fonts itself, and a library's warnings are no messages for our users
    logging.getLogger("pdfminer").setLevel(logging.ERROR)

    try:
        return pdfplumber.open(path)
    except Exception as exc:
        cause = exc
        if isinstance(exc, PdfminerException) and exc.args and isinstance(exc.args[0], Exception):
            cause = exc.args[0]
        text = str(cause).replace(str(path), "").lower()  # the file's name is no evidence
        if (
            isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError)
            or "password" in text
            or "encrypt" in text
        ):
            raise InputError(f"{path}: the PDF is encrypted; decrypt it first") from None
        if isinstance(cause, PDFSyntaxError | PSException):
            raise InputError(f"{path}: not a readable PDF ({type(cause).__name__})") from None
        raise InputError(f"{path}: not a readable PDF ({type(cause).__name__}: {cause})") from None


def _plumber_pages(path: Path, numbers: Sequence[int] | None, max_rules: int = 0) -> Iterator[Page]:
    """The pages one at a time, each closed (its layout dropped) once read."""
    pdf = _plumber_open(path)
    try:
        try:
            pages = pdf.pages
        except Exception as exc:
            raise InputError(f"{path}: not a readable PDF ({type(exc).__name__})") from None
        for n in _check_numbers(path, numbers, len(pages)):
            page = pages[n]
            try:
                read = _plumber_page(page, n + 1)
            except Exception as exc:
                cause = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
                raise InputError(
                    f"{path}: not a readable PDF (page {n + 1}: {type(cause).__name__}: {cause})"
                ) from None
            finally:
                with contextlib.suppress(Exception):
                    page.close()
            if max_rules and len(read.segments) > max_rules:
                raise _too_many_rules(path, n + 1, max_rules)
            yield read
    finally:
        with contextlib.suppress(Exception):
            pdf.close()


def _plumber_page(page: Any, number: int) -> Page:  # page: pdfplumber.page.Page
    """page.chars as Chars (laid out honouring /ActualText, normalised); page.lines, and the edges
    of page.rects but cell backgrounds, as Segments; the backgrounds as fills."""
    _layout_with_actual_text(page)
    chars = tuple(
        Char(canonical(c["text"]), c["x0"], c["top"], c["x1"], c["bottom"], c.get("size") or 0.0)
        for c in page.chars
    )
    segments = [Segment(s["x0"], s["top"], s["x1"], s["bottom"]) for s in page.lines]
    fills: list[Segment] = []
    for r in page.rects:
        if not r.get("stroke", True) and is_background(r["x0"], r["top"], r["x1"], r["bottom"]):
            fills.append(Segment(r["x0"], r["top"], r["x1"], r["bottom"]))
            continue
        segments.extend(_edges(r["x0"], r["top"], r["x1"], r["bottom"]))
    return Page(number, float(page.width), float(page.height), chars, tuple(segments), tuple(fills))


def _layout_with_actual_text(page: Any) -> None:
    """Lay the page out (as pdfplumber's `Page.layout` does) with a device that honours /ActualText
    spans as pdfium does: the span's glyphs read as its ActualText (one character each where the
    counts agree, else all of it on the first glyph). Browsers write an ActualText span where a glyph's
    ToUnicode entry names another character than the one printed (Chromium: 戶 for 戸, 〜 for ～)."""
    device_class, interpreter_class = _layout_classes()
    device = device_class(page.pdf.rsrcmgr, pageno=page.page_number, laparams=page.pdf.laparams)
    interpreter_class(page.pdf.rsrcmgr, device).process_page(page.page_obj)
    page._layout = device.get_result()


@functools.cache
def _layout_classes() -> tuple[type, type]:
    """pdfplumber's layout device honouring /ActualText, and pdfminer's interpreter giving Type 3
    fonts the descent of their FontBBox (`_type3_descent`); made once, pdfplumber imported then."""
    from pdfminer.pdffont import PDFType3Font
    from pdfminer.pdfinterp import PDFPageInterpreter
    from pdfminer.pdftypes import resolve1
    from pdfminer.utils import decode_text
    from pdfplumber.page import PDFPageAggregatorWithMarkedContent

    class Device(PDFPageAggregatorWithMarkedContent):
        span: list[Any] | None = None
        actual: str | None = None

        def begin_tag(self, tag: Any, props: Any = None) -> None:
            super().begin_tag(tag, props)
            text = props.get("ActualText") if isinstance(props, dict) else None
            if isinstance(text, bytes):
                self.actual, self.span = decode_text(text), []

        def end_tag(self) -> None:
            super().end_tag()
            if self.span is not None and self.actual is not None:
                pieces = list(self.actual) if len(self.actual) == len(self.span) else [self.actual]
                for k, char in enumerate(self.span):
                    char._text = pieces[k] if k < len(pieces) else ""
            self.span = self.actual = None

        def render_char(self, *args: Any, **kwargs: Any) -> float:
            adv = super().render_char(*args, **kwargs)
            if self.span is not None and self.cur_item._objs:
                self.span.append(self.cur_item._objs[-1])
            return adv

    class Interpreter(PDFPageInterpreter):
        def init_resources(self, resources: Any) -> None:
            super().init_resources(resources)
            specs = resolve1((resources or {}).get("Font")) if isinstance(resources, dict) else None
            for fontid, font in self.fontmap.items():
                spec = resolve1(specs.get(fontid)) if isinstance(specs, dict) else None
                if isinstance(font, PDFType3Font) and isinstance(spec, dict):
                    _type3_descent(font, spec)

    return Device, Interpreter


def _type3_descent(font: Any, spec: dict[str, Any]) -> None:
    """Give a pdfminer Type 3 font the descent of its FontBBox through its FontMatrix, as pdfium
    takes it: pdfminer reads a Type 3 font's descent from its descriptor's FontBBox only, so without
    one (Chromium's fonts) its boxes start at the baseline, a fifth of the size above pdfium's."""
    from pdfminer.pdftypes import resolve1

    descriptor = resolve1(spec.get("FontDescriptor"))
    if isinstance(descriptor, dict) and descriptor.get("FontBBox") is not None:
        return
    try:
        bbox = [float(resolve1(v)) for v in resolve1(spec.get("FontBBox")) or ()]
        matrix = [float(resolve1(v)) for v in resolve1(spec.get("FontMatrix")) or ()]
    except (TypeError, ValueError):
        return
    if len(bbox) != 4 or len(matrix) != 6 or not font.vscale:
        return
    descent = min(0.0, *(matrix[1] * x + matrix[3] * y for x in bbox[0::2] for y in bbox[1::2]))
    font.descent = descent / font.vscale
