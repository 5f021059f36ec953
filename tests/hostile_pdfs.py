"""Hostile PDFs, built as bytes in raw PDF syntax (a correct xref table, so pdfium and pdfminer open
them), for the tests of `plan_etl.extract.pdf_guard` and for benchmarks: deflate bombs, a huge
content stream, a densely ruled page, 100,000 pages, and a text file that quotes the PDF magic.

The big streams are never compressed whole: `deflate_repeated` compresses one chunk and repeats its
output (the 1.5 GiB bomb takes well under a second to build; its content is spaces, valid content-
stream whitespace, so the page is blank, and the path stream's is a real if absurd drawing)."""

from __future__ import annotations

import hashlib
import re
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


def one_page_objects(content: bytes, filters: int | Sequence[bytes] = 1, extra: bytes = b"") -> list[bytes]:
    """The objects of a one-page PDF (Helvetica as /F1) whose content stream is ``content``
    (already encoded), ``extra`` added to the stream's dictionary."""
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox %b /Resources %b /Contents 5 0 R >>" % (PAGE_BOX, RESOURCES),
        FONT,
        stream(content, filters, extra),
    ]


def one_page(content: bytes, filters: int | Sequence[bytes] = 1) -> bytes:
    """A one-page PDF (Helvetica as /F1) whose content stream is ``content`` (already encoded)."""
    return build_pdf(one_page_objects(content, filters))


def deflate(data: bytes) -> bytes:
    """``data`` as zlib data, level 9, compressed in 1 MiB chunks."""
    z = zlib.compressobj(9)
    step = 1 << 20
    return b"".join(z.compress(data[i : i + step]) for i in range(0, len(data), step)) + z.flush()


def deflate_repeated(
    unit: bytes, count: int, end: bytes = b"", chunk: int = 1 << 22, start: bytes = b""
) -> bytes:
    """zlib data inflating to ``start + unit * count + end``, built without compressing it all: ``chunk``
    bytes of whole units are compressed once and ended with a full flush (byte-aligned, no history
    kept), so every further chunk compresses to the same bytes, which are repeated; the rest goes in
    a final raw-deflate block, then comes the Adler-32 of the whole."""
    per_chunk = max(chunk // len(unit), 1)
    piece = unit * per_chunk
    n, rest = divmod(count, per_chunk)
    z = zlib.compressobj(9)
    lead = z.compress(start) + z.flush(zlib.Z_FULL_FLUSH) if start else b""
    first = z.compress(piece) + z.flush(zlib.Z_FULL_FLUSH)
    block = z.compress(piece) + z.flush(zlib.Z_FULL_FLUSH)
    assert first[0 if start else 2 :] == block, (
        "after a full flush the same chunk compresses to the same bytes"
    )
    last = unit * rest + end
    tail = zlib.compressobj(9, zlib.DEFLATED, -15)
    adler = zlib.adler32(start)
    for _ in range(n):
        adler = zlib.adler32(piece, adler)
    adler = zlib.adler32(last, adler)
    return (lead or first[:2]) + block * n + tail.compress(last) + tail.flush() + adler.to_bytes(4, "big")


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


# --- more filters: LZW and predictors ---------------------------------------------------------------


def lzw(data: bytes, early: int = 1) -> bytes:
    """LZWDecode encoding of ``data``: a clear code first and whenever the table fills, then EOD."""
    table = {bytes([i]): i for i in range(256)}
    out, bits, held, width, next_code = bytearray(), 0, 0, 9, 258

    def emit(code: int) -> None:
        nonlocal bits, held
        bits, held = bits << width | code, held + width
        while held >= 8:
            held -= 8
            out.append(bits >> held & 255)
        bits &= (1 << held) - 1

    emit(256)
    word = b""
    for c in data:
        longer = word + bytes([c])
        if longer in table:
            word = longer
            continue
        emit(table[word])
        table[longer], next_code, word = next_code, next_code + 1, bytes([c])
        if next_code - 1 + early >= 4095:  # the decoder's table is about to fill: start over
            emit(256)
            table, next_code = {bytes([i]): i for i in range(256)}, 258
        width = min(12, (next_code - 1 + early).bit_length())
    if word:
        emit(table[word])
        next_code += 1
        width = min(12, (next_code - 1 + early).bit_length())
    emit(257)
    if held:
        out.append(bits << (8 - held) & 255)
    return bytes(out)


def _paeth(left: int, up: int, corner: int) -> int:
    p = left + up - corner
    pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
    return left if pa <= pb and pa <= pc else up if pb <= pc else corner


def png_predict(data: bytes, columns: int, colors: int = 1, tags: Sequence[int] = (0, 1, 2, 3, 4)) -> bytes:
    """``data`` (whole rows of ``columns`` × ``colors`` bytes) encoded by the PNG filters, row k by
    ``tags[k % len(tags)]``, each row after its tag byte."""
    n, out, prev = columns * colors, bytearray(), bytes(columns * colors)
    for k in range(0, len(data), n):
        row, tag = data[k : k + n], tags[(k // n) % len(tags)]
        enc = bytearray([tag])
        for i, c in enumerate(row):
            left = row[i - colors] if i >= colors else 0
            corner = prev[i - colors] if i >= colors else 0
            pred = (0, left, prev[i], (left + prev[i]) >> 1, _paeth(left, prev[i], corner))[tag]
            enc.append((c - pred) & 255)
        out += enc
        prev = row
    return bytes(out)


def tiff_predict(data: bytes, columns: int, colors: int = 1) -> bytes:
    """``data`` encoded by TIFF predictor 2 (8 bits): each byte less the one a pixel to its left."""
    n, out = columns * colors, bytearray()
    for k in range(0, len(data), n):
        row = data[k : k + n]
        out += bytes((c - (row[i - colors] if i >= colors else 0)) & 255 for i, c in enumerate(row))
    return bytes(out)


def predicted_bomb(inflated_bytes: int = 1536 * 2**20) -> bytes:
    """The double deflate bomb whose outer stage has a PNG predictor (/DecodeParms): a guard that
    stops at a predicted stage counts only the compressed inner bomb."""
    inner = deflate(deflate_repeated(b" ", inflated_bytes))
    inner += bytes(-len(inner) % 64)  # whole rows: the predictor passes a short last row unchanged
    data = deflate(png_predict(inner, 64, tags=(2, 1, 4)))
    params = b" /DecodeParms [<< /Predictor 12 /Columns 64 >> null null]"
    return build_pdf(one_page_objects(data, 3, params))


def lzw_bomb(inflated_bytes: int = 1536 * 2**20) -> bytes:
    """The deflate bomb behind an /LZWDecode stage."""
    return one_page(
        lzw(deflate(deflate_repeated(b" ", inflated_bytes))), [b"LZWDecode", b"FlateDecode", b"FlateDecode"]
    )


# --- encryption (the standard security handler, empty user password) ------------------------------

_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")
_ID = b"0123456789abcdef"
_P = (-4 & 0xFFFFFFFF).to_bytes(4, "little")
_STREAM_DATA = re.compile(rb"/Length (\d+)(.*?>>\nstream\n)", re.S)


def _rc4(key: bytes, data: bytes) -> bytes:
    from cryptography.hazmat.decrepit.ciphers.algorithms import ARC4
    from cryptography.hazmat.primitives.ciphers import Cipher

    return Cipher(ARC4(key), None).encryptor().update(data)


def _aes(key: bytes, data: bytes, iv: bytes = bytes(16), pad: bool = True) -> bytes:
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    if pad:
        data += bytes([16 - len(data) % 16]) * (16 - len(data) % 16)
    return iv + Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor().update(data)


def _rc4_handler(revision: int) -> tuple[bytes, bytes, bytes]:
    """(O, U, file key) for the empty user password and the owner password ``owner``."""
    n = 5 if revision == 2 else 16
    h = hashlib.md5(b"owner" + _PAD[:27]).digest()
    for _ in range(50 if revision >= 3 else 0):
        h = hashlib.md5(h[:n]).digest()
    o = _rc4(h[:n], _PAD)
    for i in range(1, 20 if revision >= 3 else 1):
        o = _rc4(bytes(b ^ i for b in h[:n]), o)
    key = hashlib.md5(_PAD + o + _P + _ID).digest()
    for _ in range(50 if revision >= 3 else 0):
        key = hashlib.md5(key[:n]).digest()
    key = key[:n]
    if revision == 2:
        return o, _rc4(key, _PAD), key
    u = _rc4(key, hashlib.md5(_PAD + _ID).digest())
    for i in range(1, 20):
        u = _rc4(bytes(b ^ i for b in key), u)
    return o, u + bytes(16), key


def encrypted(objects: list[bytes], method: str) -> bytes:
    """``build_pdf(objects)`` encrypted by ``method`` (rc4-40, rc4-128, aes-128, aes-256) with an
    empty user password, as offices publish reports that may be opened but not edited: every
    stream's data encrypted under its object's key (the objects here hold no strings)."""
    if method == "aes-256":
        key, salts = b"k" * 32, [b"uvsaltuv", b"ukeysalt", b"ovsaltov", b"okeysalt"]
        u = hashlib.sha256(salts[0]).digest() + salts[0] + salts[1]
        o = hashlib.sha256(b"owner" + salts[2] + u).digest() + salts[2] + salts[3]
        ue = _aes(hashlib.sha256(salts[1]).digest(), key, pad=False)[16:]
        oe = _aes(hashlib.sha256(b"owner" + salts[3] + u).digest(), key, pad=False)[16:]
        perms = _aes(key, _P + b"\xff" * 4 + b"Tadb" + b"0000", pad=False)[
            16:
        ]  # CBC, zero IV: one block is ECB
        crypt = b"/V 5 /R 5 /Length 256 /CF << /StdCF << /CFM /AESV3 /AuthEvent /DocOpen /Length 32 >> >> "
        crypt += b"/StmF /StdCF /StrF /StdCF /OE <%b> /UE <%b> /Perms <%b>" % (
            oe.hex().encode(),
            ue.hex().encode(),
            perms.hex().encode(),
        )
    else:
        revision = {"rc4-40": 2, "rc4-128": 3, "aes-128": 4}[method]
        o, u, key = _rc4_handler(revision)
        crypt = {
            2: b"/V 1 /R 2 /Length 40",
            3: b"/V 2 /R 3 /Length 128",
            4: b"/V 4 /R 4 /Length 128 /CF << /StdCF << /CFM /AESV2 /AuthEvent /DocOpen /Length 16 >> >> "
            b"/StmF /StdCF /StrF /StdCF",
        }[revision]

    def cipher(number: int, data: bytes) -> bytes:
        if method == "aes-256":
            return _aes(key, data, iv=b"i" * 16)
        salt = b"sAlT" if method == "aes-128" else b""
        k = hashlib.md5(key + number.to_bytes(3, "little") + bytes(2) + salt).digest()[
            : min(len(key) + 5, 16)
        ]
        return _aes(k, data, iv=b"i" * 16) if method == "aes-128" else _rc4(k, data)

    sealed = []
    for number, body in enumerate(objects, 1):
        m = _STREAM_DATA.search(body)
        if m:
            start = m.end()
            data = cipher(number, body[start : start + int(m[1])])
            body = body[: m.start()] + b"/Length %d%b" % (len(data), m[2]) + data + b"\nendstream"
        sealed.append(body)
    objects = [
        *sealed,
        b"<< /Filter /Standard %b /O <%b> /U <%b> /P -4 >>" % (crypt, o.hex().encode(), u.hex().encode()),
    ]
    pdf = build_pdf(objects)
    trailer = b"/Root 1 0 R >>"
    return pdf.replace(
        trailer,
        b"/Root 1 0 R /Encrypt %d 0 R /ID [<%b> <%b>] >>"
        % (len(objects), _ID.hex().encode(), _ID.hex().encode()),
    )


def encrypted_bomb(method: str, inflated_bytes: int = 1536 * 2**20) -> bytes:
    """The double deflate bomb in a file encrypted by ``method`` with the empty user password."""
    return encrypted(one_page_objects(deflate(deflate_repeated(b" ", inflated_bytes)), 2), method)


def empty_blocks_bomb(inflated_bytes: int = 1536 * 2**20) -> bytes:
    """A stream deflated twice whose first stage inflates to ``inflated_bytes`` of zlib data that
    inflates to nothing (empty stored blocks): small at the end, but a reader holds the first
    stage's output whole."""
    empty_block = b"\x00\x00\x00\xff\xff"
    end = b"\x03\x00" + (1).to_bytes(4, "big")  # an empty final block, the Adler-32 of nothing
    return one_page(deflate_repeated(empty_block, inflated_bytes // 5, end, start=b"\x78\x9c"), filters=2)
