"""Hostile PDFs, built as bytes in raw PDF syntax (a correct xref table, so pdfium and pdfminer open
them), for the tests of `plan_etl.extract.pdf_guard` and for benchmarks: deflate bombs, a huge
content stream, a densely ruled page, 100,000 pages, and a text file that quotes the PDF magic.

The big streams are never compressed whole: `deflate_repeated` compresses one chunk and repeats its
output (the 1.5 GiB bomb takes well under a second to build; its content is spaces, valid content-
stream whitespace, so the page is blank, and the path stream's is a real if absurd drawing)."""

from __future__ import annotations

import zlib
from collections.abc import Sequence

__all__ = [
    "deflate_bomb",
    "deflate_repeated",
    "many_pages",
    "object_stream_pages",
    "path_stream",
    "ruled_page",
    "text_with_pdf_magic",
]

PAGE_BOX = b"[0 0 612 792]"
FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
RESOURCES = b"<< /Font << /F1 4 0 R >> >>"


def build_pdf(objects: list[bytes]) -> bytes:
    """A PDF of ``objects`` (numbered from 1; 1 is the catalog) with its xref table and trailer."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%b\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f\r\n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n\r\n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def stream(data: bytes, filters: int | Sequence[bytes] = 0, extra: bytes = b"") -> bytes:
    """A stream object's body: ``data`` as given, declared deflated ``filters`` times (or decoded by
    the filters named, e.g. ``[b"ASCII85Decode", b"FlateDecode"]``), ``extra`` added to its dictionary."""
    names = [b"FlateDecode"] * filters if isinstance(filters, int) else list(filters)
    spec = b" /Filter [%b]" % b" ".join(b"/" + name for name in names) if names else b""
    return b"<< /Length %d%b%b >>\nstream\n%b\nendstream" % (len(data), spec, extra, data)


def one_page(content: bytes, filters: int | Sequence[bytes] = 1) -> bytes:
    """A one-page PDF (Helvetica as /F1) whose content stream is ``content`` (already encoded)."""
    return build_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox %b /Resources %b /Contents 5 0 R >>"
            % (PAGE_BOX, RESOURCES),
            FONT,
            stream(content, filters),
        ]
    )


def deflate(data: bytes) -> bytes:
    """``data`` as zlib data, level 9, compressed in 1 MiB chunks."""
    z = zlib.compressobj(9)
    step = 1 << 20
    return b"".join(z.compress(data[i : i + step]) for i in range(0, len(data), step)) + z.flush()


def deflate_repeated(unit: bytes, count: int, end: bytes = b"", chunk: int = 1 << 22) -> bytes:
    """zlib data inflating to ``unit * count + end``, built without compressing it all: ``chunk``
    bytes of whole units are compressed once and ended with a full flush (byte-aligned, no history
    kept), so every further chunk compresses to the same bytes, which are repeated; the rest goes in
    a final raw-deflate block, then comes the Adler-32 of the whole."""
    per_chunk = max(chunk // len(unit), 1)
    piece = unit * per_chunk
    n, rest = divmod(count, per_chunk)
    z = zlib.compressobj(9)
    first = z.compress(piece) + z.flush(zlib.Z_FULL_FLUSH)
    block = z.compress(piece) + z.flush(zlib.Z_FULL_FLUSH)
    assert first[2:] == block, "after a full flush the same chunk compresses to the same bytes"
    last = unit * rest + end
    tail = zlib.compressobj(9, zlib.DEFLATED, -15)
    adler = zlib.adler32(b"")
    for _ in range(n):
        adler = zlib.adler32(piece, adler)
    adler = zlib.adler32(last, adler)
    return first[:2] + block * n + tail.compress(last) + tail.flush() + adler.to_bytes(4, "big")


def deflate_bomb(inflated_bytes: int = 1536 * 2**20) -> bytes:
    """Deflate bomb: one page whose content stream, deflated twice, inflates to ``inflated_bytes`` spaces."""
    return one_page(deflate(deflate_repeated(b" ", inflated_bytes)), filters=2)


PATH_OPS = b"10 10 m 20 20 l S\n"


def path_stream(inflated_bytes: int = 300 * 2**20) -> bytes:
    """Huge page: one deflated content stream of ``inflated_bytes`` of ``10 10 m 20 20 l S`` lines."""
    count, rest = divmod(inflated_bytes, len(PATH_OPS))
    return one_page(deflate_repeated(PATH_OPS, count, b" " * rest))


def ruled_page(n: int = 300) -> bytes:
    """Dense ruling: one page of n x n cell rectangles (``re``, rows repeated via ``cm``) and a text line."""
    cell = b"%.4g" % min(600 / n, 24.0)
    row = b" ".join(b"%.4g 6 %b %b re" % (6 + col * float(cell), cell, cell) for col in range(n))
    grid = (row + b" S 1 0 0 1 0 %b cm\n" % cell) * n
    return one_page(deflate(b"BT /F1 12 Tf 72 740 Td (Ruled) Tj ET\nq 0.1 w\n" + grid + b"Q\n"))


def many_pages(n: int = 100_000) -> bytes:
    """Too many pages: n pages of one Helvetica text line, all sharing one content stream (~100 B a page)."""
    content = b"BT /F1 12 Tf 72 720 Td (Page) Tj ET"
    first = 5  # objects 1-4: catalog, pages, content stream, font
    kids = b" ".join(b"%d 0 R" % i for i in range(first, first + n))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%b] /Count %d /MediaBox %b /Resources %b >>"
        % (kids, n, PAGE_BOX, RESOURCES),
        stream(content),
        FONT,
    ]
    page = b"<< /Type /Page /Parent 2 0 R /Contents 3 0 R >>"
    objects.extend([page] * n)
    return build_pdf(objects)


def object_stream_pages(n: int = 100_000) -> bytes:
    """Hidden pages: n page objects packed in one deflated object stream (found via an xref stream)."""
    first = 5  # objects 1-4: catalog, pages, content stream, font; then the pages, then the two streams
    objstm, xref = first + n, first + n + 1
    kids = b" ".join(b"%d 0 R" % i for i in range(first, first + n))
    page = b"<< /Type /Page /Parent 2 0 R /Contents 3 0 R >>\n"
    header = b" ".join(b"%d %d" % (first + i, i * len(page)) for i in range(n)) + b"\n"
    packed = deflate(header + page * n)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%b] /Count %d /MediaBox %b /Resources %b >>"
        % (kids, n, PAGE_BOX, RESOURCES),
        stream(b"BT /F1 12 Tf 72 720 Td (Page) Tj ET"),
        FONT,
        stream(packed, 1, b" /Type /ObjStm /N %d /First %d" % (n, len(header))),
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number, body in zip([1, 2, 3, 4, objstm], objects, strict=True):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%b\nendobj\n" % (number, body)
    offsets[xref] = len(out)
    rows = [bytes(5) + (65535).to_bytes(4, "big")]  # /W [1 4 4]: type, offset or stream, generation or index
    for number in range(1, xref + 1):
        if number in offsets:
            rows.append(b"\x01" + offsets[number].to_bytes(4, "big") + bytes(4))
        else:
            rows.append(b"\x02" + objstm.to_bytes(4, "big") + (number - first).to_bytes(4, "big"))
    table = deflate(b"".join(rows))
    out += b"%d 0 obj\n%b\nendobj\n" % (
        xref,
        stream(table, 1, b" /Type /XRef /Size %d /W [1 4 4] /Root 1 0 R" % (xref + 1)),
    )
    out += b"startxref\n%d\n%%%%EOF\n" % offsets[xref]
    return bytes(out)


def text_with_pdf_magic() -> bytes:
    """Not a PDF: Japanese UTF-8 text quoting ``%PDF-1.7`` in its first kilobyte, not at offset 0."""
    lines = [
        "新たな行政経営への移行実現プラン",
        "令和6年度 取組み状況（進捗報告）",
        "",
        "※ 本文は plan_r6.pdf（先頭 %PDF-1.7、全12ページ）から書き起こしたテキストです。",
        "1 区民サービスの向上",
        "（1）窓口手続きのデジタル化",
        "",
    ]
    return "\n".join(lines).encode("utf-8")


def run_length(data: bytes) -> bytes:
    """RunLengthDecode encoding of ``data`` (literal runs of at most 128 bytes), with its EOD."""
    out = bytearray()
    for i in range(0, len(data), 128):
        part = data[i : i + 128]
        out += bytes([len(part) - 1]) + part
    return bytes(out + b"\x80")


def run_length_bomb(inflated_bytes: int = 1536 * 2**20) -> bytes:
    """The deflate bomb behind a /RunLengthDecode stage: /Filter [/RunLengthDecode /FlateDecode
    /FlateDecode], so a guard that stops at the first filter it does not know never sees it."""
    inner = deflate(deflate_repeated(b" ", inflated_bytes))
    return one_page(run_length(inner), filters=[b"RunLengthDecode", b"FlateDecode", b"FlateDecode"])


def commented_bomb(inflated_bytes: int = 1536 * 2**20) -> bytes:
    """The deflate bomb with a comment between its dictionary's ``>>`` and ``stream``, as some
    producers write (and pdfium reads)."""
    return deflate_bomb(inflated_bytes).replace(b">>\nstream\n", b">> % written by a tool\nstream\n")
