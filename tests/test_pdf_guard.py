"""The raw-bytes PDF guard (plan_etl.extract.pdf_guard) against the hostile PDFs of hostile_pdfs: each
is refused with the limit it breaks (in bounded memory) or passes, and each opens in pypdfium2 and
pdfminer as the page count it claims; the generated report PDF passes with its true page count."""

from __future__ import annotations

import base64
import io
import resource
import tracemalloc
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

import hostile_pdfs as hp
from helpers import load_tool
from plan_etl.errors import InputError, LimitError
from plan_etl.extract.pdf_guard import check_pdf_bytes, count_pages
from plan_etl.schemas import Report

pdfium = pytest.importorskip("pypdfium2")

MiB = 2**20
LIMITS = {"max_stream_bytes": 64 * MiB, "max_pages": 2000}


def pdfium_pages(raw: bytes) -> int:
    """Pages as pypdfium2 counts them (the document opened, no page loaded)."""
    doc = pdfium.PdfDocument(raw)
    try:
        return len(doc)
    finally:
        doc.close()


def pdfminer_pages(raw: bytes) -> int:
    from pdfminer.pdfpage import PDFPage

    return sum(1 for _ in PDFPage.get_pages(io.BytesIO(raw)))


def refused(raw: bytes, **limits: int) -> LimitError:
    with pytest.raises(LimitError) as err:
        check_pdf_bytes(raw, "hostile.pdf", **{**LIMITS, **limits})
    return err.value


def maxrss_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


# --- the generated report PDF ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def report_pdf(tmp_path_factory: pytest.TempPathFactory, parsed_report: Report) -> Path:
    pytest.importorskip("reportlab")
    path = tmp_path_factory.mktemp("guard") / "report.pdf"
    load_tool("make_report_pdf").render_report_pdf(parsed_report, path)
    return path


def test_report_pdf_passes_with_its_page_count(report_pdf: Path) -> None:
    raw = report_pdf.read_bytes()
    check_pdf_bytes(raw, report_pdf, **LIMITS)
    pages = pdfium_pages(raw)
    assert pages > 5
    assert count_pages(raw) == pages
    check_pdf_bytes(raw, report_pdf, 64 * MiB, pages)
    assert refused(raw, max_pages=pages - 1).option == "--max-pages"
    assert f"{pages} pages" in str(refused(raw, max_pages=pages - 1))


def test_report_pdf_streams_decode_to_pdfminers_sizes(report_pdf: Path) -> None:
    """reportlab writes [/ASCII85Decode /FlateDecode]: the guard decodes both stages, to the byte
    (a limit of the largest stream's size passes, one byte less is refused)."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import PDFStream

    raw = report_pdf.read_bytes()
    doc = PDFDocument(PDFParser(io.BytesIO(raw)))
    objects = (doc.getobj(i) for xref in doc.xrefs for i in xref.get_objids())
    largest = max(len(o.get_data()) for o in objects if isinstance(o, PDFStream))
    check_pdf_bytes(raw, report_pdf, largest, 2000)
    assert refused(raw, max_stream_bytes=largest - 1).option == "--max-stream-mb"


# --- deflate bombs and big streams ----------------------------------------------------------------


def test_deflate_repeated_inflates_to_what_it_claims() -> None:
    for unit, count, end in [(b" ", 5 * MiB + 3, b""), (hp.PATH_OPS, 300_001, b"   "), (b"ab", 0, b"x")]:
        data = hp.deflate_repeated(unit, count, end, chunk=MiB)
        assert zlib.decompress(data) == unit * count + end  # Adler-32 checked too


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return hp.deflate_bomb()


def stream_data(raw: bytes) -> bytes:
    """The data of the one-page PDF's content stream (the last stream of hostile_pdfs.one_page)."""
    start = raw.rindex(b"stream\n", 0, raw.rindex(b"\nendstream")) + len(b"stream\n")
    return raw[start : raw.rindex(b"\nendstream")]


def test_deflate_bomb_is_small_and_inflates_to_spaces(bomb: bytes) -> None:
    assert len(bomb) < 16 * 1024
    inner = zlib.decompress(stream_data(bomb))
    assert 1024 < len(inner) < 4 * MiB
    assert zlib.decompressobj().decompress(inner, 4 * MiB) == b" " * (4 * MiB)
    size = 3 * MiB + 7  # the whole chain, checksums included
    assert zlib.decompress(zlib.decompress(stream_data(hp.deflate_bomb(size)))) == b" " * size


def test_deflate_bomb_refused_in_little_memory(bomb: bytes) -> None:
    rss = maxrss_bytes()
    tracemalloc.start()
    try:
        err = refused(bomb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert err.option == "--max-stream-mb"
    assert "a stream inflates to more than 64 MiB" in str(err)
    assert peak < 16 * MiB
    assert maxrss_bytes() - rss < 64 * MiB


def test_deflate_bomb_opens_in_pdfium_and_pdfminer(bomb: bytes) -> None:
    assert pdfium_pages(bomb) == 1  # the page itself is never loaded
    assert pdfminer_pages(bomb) == 1
    assert count_pages(bomb) == 1


def test_a_truncated_bomb_still_refused(bomb: bytes) -> None:
    refused(bomb[: bomb.index(b"\nendstream") - 100])


def test_path_stream_refused_at_64_mib_passes_at_512() -> None:
    raw = hp.path_stream()
    assert len(raw) < 2 * MiB
    assert refused(raw).option == "--max-stream-mb"
    check_pdf_bytes(raw, "paths.pdf", 512 * MiB, 2000)
    assert pdfium_pages(raw) == 1
    assert pdfminer_pages(raw) == 1


def test_limit_is_on_the_decoded_size() -> None:
    raw = hp.path_stream(MiB + 5)
    check_pdf_bytes(raw, "p.pdf", MiB + 5, 1)
    refused(raw, max_stream_bytes=MiB + 4)


def a85(data: bytes) -> bytes:
    return base64.a85encode(data, wrapcol=75) + b"~>"


def ahx(data: bytes) -> bytes:
    text = base64.b16encode(data)
    return b"\n".join(text[i : i + 64] for i in range(0, len(text), 64)) + b">"


@pytest.mark.parametrize(
    ("filters", "encode"),
    [
        ([b"ASCII85Decode", b"FlateDecode"], a85),
        ([b"A85", b"Fl", b"Fl"], a85),
        ([b"ASCIIHexDecode", b"FlateDecode"], ahx),
        ([b"AHx", b"FlateDecode", b"FlateDecode"], ahx),
    ],
)
def test_ascii_stages_are_decoded(filters: list[bytes], encode: Callable[[bytes], bytes]) -> None:
    """An ASCII85 or ASCIIHex stage before the deflate stages (reportlab's way) is decoded too."""
    size = 8 * MiB + 1
    data = hp.deflate_repeated(b" ", size)
    if len(filters) == 3:
        data = hp.deflate(data)
    raw = hp.one_page(encode(data), filters)
    assert pdfium_pages(raw) == 1
    check_pdf_bytes(raw, "a.pdf", size, 1)
    refused(raw, max_stream_bytes=size - 1)


def test_ascii_stages_alone() -> None:
    """``z`` groups, short last groups, whitespace anywhere, odd hex digits: decoded to the byte."""
    for size in (0, 1, 2, 3, 4, 5, 1000, 200_003):
        payload = bytes(size // 2) + bytes(i * 7919 % 251 for i in range(size - size // 2))
        for text, name in [
            (base64.a85encode(payload, wrapcol=7) + b"\n~>", b"ASCII85Decode"),
            (base64.b16encode(payload).lower() + b" \r\n>", b"ASCIIHexDecode"),
        ]:
            raw = hp.one_page(text, [name])
            check_pdf_bytes(raw, "a.pdf", max(size, 1), 1)
            if size > 1:
                refused(raw, max_stream_bytes=size - 1)
    odd = hp.one_page(b"414>", [b"AHx"])  # "A@": the odd digit is followed by a 0
    check_pdf_bytes(odd, "a.pdf", 2, 1)
    refused(odd, max_stream_bytes=1)


def literal_endstream_bomb(size: int) -> bytes:
    """zlib data inflating to ``endstream`` and ``size`` spaces, whose raw bytes start with the text
    ``endstream`` (a stored block) followed by the deflated spaces."""
    text = b"endstream\n"
    stored = b"\x00" + len(text).to_bytes(2, "little") + (len(text) ^ 0xFFFF).to_bytes(2, "little") + text
    adler = zlib.adler32(text)
    for _ in range(size // MiB):
        adler = zlib.adler32(b" " * MiB, adler)
    return b"\x78\x9c" + stored + hp.deflate_repeated(b" ", size)[2:-4] + adler.to_bytes(4, "big")


def test_length_behind_a_reference_is_followed() -> None:
    """A bomb whose /Length is an indirect object and whose raw data hold ``endstream`` early: pdfium
    reads to /Length, and so does the guard (a search for ``endstream`` would stop at once)."""
    data = literal_endstream_bomb(100 * MiB)
    assert len(zlib.decompress(data)) == 100 * MiB + 10
    assert data.index(b"endstream") < 16
    raw = hp.build_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            b"<< /Length 5 0 R /Filter /FlateDecode >>\nstream\n%b\nendstream" % data,
            b"%d" % len(data),
        ]
    )
    assert pdfium_pages(raw) == 1
    assert refused(raw).option == "--max-stream-mb"


# --- pages ----------------------------------------------------------------------------------------


def test_many_pages_refused_over_the_page_limit() -> None:
    raw = hp.many_pages()
    assert len(raw) < 17 * MiB
    err = refused(raw)
    assert err.option == "--max-pages"
    assert "100000 pages" in str(err)
    assert pdfium_pages(raw) == 100_000
    assert count_pages(raw) == 100_000


def test_a_few_pages_pass() -> None:
    raw = hp.many_pages(10)
    check_pdf_bytes(raw, "ten.pdf", **LIMITS)
    assert count_pages(raw) == pdfium_pages(raw) == pdfminer_pages(raw) == 10


def test_pages_in_an_object_stream_are_counted() -> None:
    raw = hp.object_stream_pages(3000)
    assert b"/Type /Page " not in raw  # only /Type /Pages shows in the raw bytes
    assert count_pages(raw) == pdfium_pages(raw) == 3000
    assert "3000 pages" in str(refused(raw))
    small = hp.object_stream_pages(5)
    check_pdf_bytes(small, "five.pdf", **LIMITS)
    assert count_pages(small) == pdfminer_pages(small) == 5


def test_a_page_object_rewritten_by_an_update_counts_once() -> None:
    raw = hp.many_pages(3)
    xref = raw.rindex(b"startxref")
    update = b"5 0 obj\n<< /Type /Page /Parent 2 0 R /Contents 3 0 R /Rotate 90 >>\nendobj\n"
    at = len(raw)
    table = b"xref\n5 1\n%010d 00000 n\r\n" % at
    trailer = b"trailer\n<< /Size 8 /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n"
    prev = int(raw[xref:].split()[1])
    updated = raw + update + table + trailer % (prev, at + len(update))
    assert pdfium_pages(updated) == 3
    assert count_pages(updated) == 3


def test_page_keys_as_files_spell_them() -> None:
    pages = [
        b"<</Type/Page/Parent 2 0 R>>",
        b"<< /Type /P#61ge /Parent 2 0 R >>",
        b"<< /Type %comment\n /Page\n/Parent 2 0 R >>",
        b"<< /Type /Pages /Kids [] /Count 0 >>",  # not a page
        b"<< /Type /PageLabel >>",  # not a page either
    ]
    raw = hp.build_pdf([b"<< /Type /Catalog >>", *pages])
    assert count_pages(raw) == 3


def test_pages_under_odd_headers_are_not_merged() -> None:
    """Pages under headers the guard cannot read (odd whitespace) still count one each."""
    for gap in (b" \r\n\t ", b" " * 2000):
        objects = b"".join(b"%d 0%bobj<</Type/Page>>endobj\n" % (i, gap) for i in range(2, 12))
        raw = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + objects
        assert count_pages(raw) == 10
    spelled = hp.object_stream_pages(5).replace(b"/Type /ObjStm", b"/Type /Obj#53tm")
    assert count_pages(spelled) == 5


def test_page_keys_in_stream_data_are_not_pages() -> None:
    text = b"BT (/Type /Page) Tj ET % /Type /Page\n"
    raw = hp.build_pdf([b"<< /Type /Catalog >>", b"<< /Type /Page >>", hp.stream(text)])
    assert count_pages(raw) == 1


def test_ruled_page_passes() -> None:
    raw = hp.ruled_page()
    assert len(raw) < 64 * 1024
    check_pdf_bytes(raw, "ruled.pdf", **LIMITS)
    assert count_pages(raw) == pdfium_pages(raw) == pdfminer_pages(raw) == 1
    doc = pdfium.PdfDocument(raw)
    try:
        assert "Ruled" in doc[0].get_textpage().get_text_range()
    finally:
        doc.close()


# --- not PDFs, broken PDFs ------------------------------------------------------------------------


def test_text_with_pdf_magic() -> None:
    raw = hp.text_with_pdf_magic()
    at = raw[:1024].find(b"%PDF-")
    assert at > 0
    assert "新たな行政経営への移行実現プラン" in raw.decode("utf-8")
    check_pdf_bytes(raw, "report.txt", **LIMITS)
    assert count_pages(raw) == 0


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"%PDF-1.7\n",
        b"%PDF-1.7\n1 0 obj\n<< /Length 5 /Filter /FlateDecode >>\nstream\nxxxxx\nendstream\nendobj\n",
        b"%PDF-1.7\n1 0 obj\n<< /Length 99 /Filter [/FlateDecode /DCTDecode] >>\nstream\n\x78\x9c\x03\x00",
        b"%PDF-1.7\n<< /Filter /ASCII85Decode >>\nstream\n\xff\xfe~>\nendstream <<<<>>stream\n",
        b"%PDF-1.7\n1 0 obj << /Length (12) /Filter [[[[ ]]]] >>\nstream\n" + bytes(range(256)) * 40,
        b">>stream\n" * 1000 + b"<< /Type /Page >>",
    ],
)
def test_broken_files_pass(raw: bytes) -> None:
    check_pdf_bytes(raw, "broken.pdf", **LIMITS)


def test_streams_nested_in_streams_are_not_read_over_and_over() -> None:
    """An object hidden in the stored (verbatim) deflate block of another stream is checked too, but
    nesting that would have the guard re-read the file over and over is refused."""
    inner = b"9 0 obj\n" + hp.stream(zlib.compress(b" " * (8 * MiB)), 1) + b"\nendobj\n"
    raw = hp.build_pdf([b"<< /Type /Catalog >>", hp.stream(zlib.compress(inner, 0), 1)])
    check_pdf_bytes(raw, "hidden.pdf", 8 * MiB, 1)
    refused(raw, max_stream_bytes=8 * MiB - 1)  # the hidden stream's 8 MiB are seen
    payload = bytes(range(256)) * 200
    for level in range(40):  # each level a stored block holding the one below, verbatim
        payload = b"%d 0 obj\n" % (level + 10) + hp.stream(zlib.compress(payload, 0), 1) + b"\nendobj\n"
    nested = hp.build_pdf([b"<< /Type /Catalog >>", payload])
    assert len(nested) < 64 * 1024
    with pytest.raises(InputError, match="nested"):
        check_pdf_bytes(nested, "nested.pdf", **LIMITS)


def test_run_length_stage_is_decoded_so_a_bomb_behind_it_is_refused() -> None:
    data = bytes(range(256)) * 300 + b"x" * 1000
    from plan_etl.extract.pdf_guard import _RunLength

    stage = _RunLength()
    out = b"".join(
        chunk
        for k in range(0, len(hp.run_length(data)), 777)
        for chunk in stage.feed(hp.run_length(data)[k : k + 777])
    )
    assert out == data and stage.done
    repeat = bytes([256 - 99, 65])  # the byte A, 257 - 157 = 100 times
    assert b"".join(_RunLength().feed(repeat + b"\x80")) == b"A" * 100
    err = refused(hp.run_length_bomb())
    assert err.option == "--max-stream-mb"


def test_a_comment_between_the_dictionary_and_stream_does_not_hide_a_bomb() -> None:
    bomb = hp.commented_bomb()
    assert b">> % written by a tool\nstream" in bomb
    assert pdfium_pages(bomb) == 1  # pdfium reads such a file
    assert refused(bomb).option == "--max-stream-mb"


# --- LZW, predictors, every stage counted ---------------------------------------------------------


def _fed(stage: object, data: bytes, step: int = 777) -> bytes:
    """``data`` through a decoding stage in chunks of ``step`` bytes, then its finish."""
    out = b"".join(c for k in range(0, len(data), step) for c in stage.feed(data[k : k + step]))  # type: ignore[attr-defined]
    return out + b"".join(stage.finish())  # type: ignore[attr-defined]


@pytest.mark.parametrize("early", [1, 0])
def test_lzw_stage_decodes_what_pdfminer_decodes(early: int) -> None:
    from pdfminer.lzw import lzwdecode

    from plan_etl.extract.pdf_guard import _Lzw

    data = (b"TOBEORNOTTOBEORTOBEORNOT#" * 400 + bytes(range(256)) * 40) * 3  # the table fills and clears
    encoded = hp.lzw(data, early)
    if early:
        assert lzwdecode(encoded) == data  # the test's encoder writes what readers read
    assert _fed(_Lzw(early), encoded) == data


@pytest.mark.parametrize("tags", [(0,), (1,), (2,), (3,), (4,), (4, 0, 3, 1, 2)])
def test_png_predictor_is_undone_as_pdfminer_undoes_it(tags: tuple[int, ...]) -> None:
    from pdfminer.utils import apply_png_predictor

    from plan_etl.extract.pdf_guard import _Predictor

    rows = bytes((i * 7919 + i // 13) % 251 for i in range(3 * 37 * 24))  # 24 rows of 37 RGB pixels
    gray = hp.png_predict(rows, 111, 1, tags)  # pdfminer reads one byte per pixel only
    assert apply_png_predictor(12, 1, 111, 8, gray) == rows
    assert _fed(_Predictor(12, 1, 8, 111), gray) == rows
    assert _fed(_Predictor(12, 3, 8, 37), hp.png_predict(rows, 37, 3, tags)) == rows
    assert _fed(_Predictor(2, 3, 8, 37), hp.tiff_predict(rows, 37, 3)) == rows


@pytest.mark.parametrize(
    "make", [hp.lzw_bomb, hp.predicted_bomb, hp.empty_blocks_bomb], ids=["lzw", "predictor", "first-stage"]
)
def test_a_bomb_behind_lzw_a_predictor_or_in_a_first_stage_is_refused(make: Callable[[], bytes]) -> None:
    bomb = make()
    assert len(bomb) < 4 * MiB and pdfium_pages(bomb) == 1  # at most a thousandth of what it inflates to
    before = maxrss_bytes()
    assert refused(bomb).option == "--max-stream-mb"
    assert maxrss_bytes() - before < 64 * MiB


# --- encryption -----------------------------------------------------------------------------------

METHODS = ["rc4-40", "rc4-128", "aes-128", "aes-256"]
TEXT_PAGE = hp.deflate(b"BT /F1 12 Tf 72 500 Td (Quarterly sales summary) Tj ET")


@pytest.mark.parametrize("method", METHODS)
def test_an_encrypted_file_opens_without_a_password_and_passes(method: str) -> None:
    pdf = hp.encrypted(hp.one_page_objects(TEXT_PAGE), method)
    assert b"Quarterly" not in pdf  # the stream is ciphertext
    doc = pdfium.PdfDocument(pdf)
    assert doc[0].get_textpage().get_text_range() == "Quarterly sales summary"
    doc.close()
    check_pdf_bytes(pdf, "encrypted.pdf", **LIMITS)
    assert count_pages(pdf) == 1


@pytest.mark.parametrize("method", METHODS)
def test_a_bomb_in_an_encrypted_file_is_decrypted_and_refused(method: str) -> None:
    bomb = hp.encrypted_bomb(method)
    assert pdfium_pages(bomb) == 1
    assert refused(bomb).option == "--max-stream-mb"


def test_a_file_that_needs_a_password_is_refused_as_encrypted() -> None:
    pdf = hp.encrypted(hp.one_page_objects(TEXT_PAGE), "rc4-128").replace(b"/O <", b"/O <00", 1)
    with pytest.raises(InputError, match="the PDF is encrypted; decrypt it first"):
        check_pdf_bytes(pdf, "locked.pdf", **LIMITS)
