"""Checks on a PDF's raw bytes, run before any PDF library touches the file: no stream may decode to
more than a size limit (deflate bombs, giant content streams) and the file may not hold more pages
than a page limit. Memory stays bounded (streams are decoded in 64 KiB chunks, stage by stage, and
never held) and time linear in the file's size.

What is decoded: /FlateDecode (/Fl) and /LZWDecode (/LZW), each with its /DecodeParms predictor
(PNG or TIFF), /RunLengthDecode (/RL), /ASCIIHexDecode (/AHx) and /ASCII85Decode (/A85), in the
order of the stream's /Filter, up to the first other filter (/DCTDecode images and the like are
never decoded). The bytes out of every decoded stage are counted, each stage on its own, as a
reader holds each stage's output. A stream without any filter decoded is not counted: it is no
bigger than the file. Corrupt data ends a stream silently, and a file that does not parse as a PDF
passes: the PDF library reports it.

An encrypted file (/Encrypt, the standard security handler: RC4 40 to 128 bits, AES-128, AES-256)
is decrypted first, with the empty user password, as a reader opens it without asking, so its
streams are checked like any other. One that needs a password, or whose encryption cannot be read,
is refused: a reader could not open it either, or would open what the check cannot see.

Pages are counted as page objects (``/Type /Page`` dictionaries, in the file and in object
streams), one per object number, not from ``/Count``, which a file can set to anything for free.

Not covered: pdfium's trust in /Count and in repeated /Kids entries (check ``len(pdf)`` after opening).
"""

from __future__ import annotations

import binascii
import re
import zlib
from bisect import bisect_right
from collections.abc import Callable, Iterator
from hashlib import md5
from typing import NamedTuple, Protocol

from plan_etl.errors import InputError, LimitError

CHUNK = 64 * 1024
"""Bytes fed to, and taken out of, a decoding stage at a time."""

_WS = rb"\x00\t\n\x0c\r "  # PDF whitespace, as a regex class body
_WHITESPACE = b"\x00\t\n\x0c\r "
_REGULAR = rb"[^" + _WS + rb"()<>\[\]{}/%]"
_SKIP = rb"(?:[" + _WS + rb"]++|%[^\r\n]*+)*+"
_TOKEN = re.compile(
    _SKIP + rb"(?:(<<)|(>>)|(\[)|(\])|(/" + _REGULAR + rb"*+)|([+-]?(?:\d+(?:\.\d*)?|\.\d+))"
    rb"|(\((?:[^()\\]++|\\.|\((?:[^()\\]++|\\.)*+\))*+\))|(<[^<>]*+>)|([A-Za-z]++)|(.))",
    re.S,
)
_OPEN, _CLOSE, _LBRACKET, _RBRACKET, _NAME, _NUMBER, _STRING, _HEX, _WORD, _OTHER = range(1, 11)

_STREAM = re.compile(rb">>(?:[" + _WS + rb"]++|%[^\r\n]*+)*+stream(?![A-Za-z0-9])[ \t]*+(?:\r\n|\n|\r)?")
"""A stream dictionary's end and the keyword ``stream``, with whatever real files put between them
(white space, comments)."""
_STREAM_WORD = re.compile(rb"(?<![A-Za-z0-9/])stream(?![A-Za-z0-9])")
_ENDSTREAM_AT = re.compile(rb"[" + _WS + rb"]*+endstream")
_OBJ = re.compile(rb"(?<![0-9])(\d{1,10})[" + _WS + rb"]++(\d{1,5})[" + _WS + rb"]++obj(?![A-Za-z0-9])")
_OBJ_KEYWORD = re.compile(rb"obj(?![A-Za-z0-9])(?<![A-Za-z]obj)")
"""The keyword ``obj`` (not ``endobj``): a literal first, so the search runs at C speed."""
_OBJ_REVERSED = re.compile(rb"jbo[" + _WS + rb"]++([0-9]{1,5})[" + _WS + rb"]++([0-9]{1,10})(?![0-9])")
"""``num gen obj`` read backwards from its ``obj``."""
_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_W = rb"[" + _WS + rb"]"
_NUM = rb"[+-]?(?:\d++(?:\.\d*+)?|\.\d++)"
_REF = rb"\d++%b++\d++%b++R(?!%b)" % (_W, _W, _REGULAR)
_ATOM = rb"(?:/%b*+|%b|%b|true|false|null)" % (_REGULAR, _REF, _NUM)
_FLAT_DICT = re.compile(
    rb"<<(?:%b*+/%b++%b*+(?:%b|\[(?:%b*+%b)*+%b*+\]))*+%b*+>>" % (_W, _REGULAR, _W, _ATOM, _W, _ATOM, _W, _W)
)
"""A dictionary of names, numbers, references and arrays of them (most stream dictionaries)."""
_FLAT_ITEM = re.compile(rb"/(%b++)%b*+(\[[^\]]*+\]|%b)" % (_REGULAR, _W, _ATOM))
_FLAT_ATOM = re.compile(rb"(\d++)%b++(\d++)%b++R|(/%b*+)|(\S++)" % (_W, _W, _REGULAR))


def _name_pattern(name: bytes) -> bytes:
    """A regex for the PDF name /``name`` as a file may spell it (any character as #xx)."""
    parts = []
    for c in name:
        hexed = b"".join(b"[%c%c]" % (h, h - 32) if 97 <= h <= 102 else bytes([h]) for h in b"%02x" % c)
        parts.append(b"(?:" + re.escape(bytes([c])) + b"|#" + hexed + b")")
    return b"/" + b"".join(parts)


_PAGE = re.compile(_name_pattern(b"Type") + _SKIP + _name_pattern(b"Page") + rb"(?!" + _REGULAR + rb")")
"""``/Type /Page`` (not /Pages): the key of a page object."""
_ENCRYPT = re.compile(_name_pattern(b"Encrypt") + rb"(?!" + _REGULAR + rb")")
"""The trailer key of an encrypted file."""
_PAGE_SPAN = 256
"""The longest ``/Type /Page`` found across two decoded chunks of an object stream."""
_MAX_HEADER = 256 * 1024
"""The longest object-stream header (object numbers and offsets) read to name its page objects."""
_MAX_DEPTH = 32
"""Nesting of arrays and dictionaries beyond which a stream dictionary is not parsed."""
_MAX_DICT = 1 << 20
"""How far back from ``stream`` a dictionary is looked for when no ``obj`` precedes it."""


class _Corrupt(Exception):
    """A stream's data do not decode: the rest of the stream is skipped."""


class _Unparsed(Exception):
    """A dictionary or object does not parse."""


class _Name(str):
    """A PDF name, without its slash, #xx escapes resolved."""


class _Ref(NamedTuple):
    """An indirect reference ``num gen R``."""

    num: int
    gen: int


# --- decoding stages ------------------------------------------------------------------------------


class _Stage(Protocol):
    done: bool

    def feed(self, data: bytes | memoryview) -> Iterator[bytes]: ...

    def finish(self) -> Iterator[bytes]: ...


class _Flate:
    """Inflates zlib data, at most CHUNK bytes out per step (``unconsumed_tail`` keeps the rest)."""

    def __init__(self) -> None:
        self._z = zlib.decompressobj()
        self.done = False

    def feed(self, data: bytes | memoryview) -> Iterator[bytes]:
        z = self._z
        while not self.done:
            try:
                out = z.decompress(data, CHUNK)
            except zlib.error:
                raise _Corrupt from None
            if out:
                yield out
            data = z.unconsumed_tail
            self.done = z.eof
            if not data and len(out) < CHUNK:  # input used up and nothing left pending in zlib
                return

    def finish(self) -> Iterator[bytes]:
        return iter(())


class _TextStage:
    """What a text filter keeps between chunks: the digits of an unfinished group, and whether its
    end marker has been seen (the rest of the stream is then ignored)."""

    END = b""

    def __init__(self) -> None:
        self._carry = b""
        self.done = False

    def _text(self, data: bytes | memoryview) -> bytes | None:
        """The chunk's text up to the end marker; None once the marker was seen."""
        if self.done:
            return None
        text = bytes(data)
        end = text.find(self.END)
        if end >= 0:
            text, self.done = text[:end], True
        return text


class _AsciiHex(_TextStage):
    """Decodes ASCIIHexDecode text (whitespace ignored, ``>`` ends it, an odd last digit is 0-padded)."""

    END = b">"

    def feed(self, data: bytes | memoryview) -> Iterator[bytes]:
        text = self._text(data)
        if text is None:
            return
        text = self._carry + text.translate(None, _WHITESPACE)
        cut = len(text) & ~1
        self._carry = text[cut:]
        try:
            out = binascii.unhexlify(text[:cut])
        except binascii.Error:
            raise _Corrupt from None
        if out:
            yield out

    def finish(self) -> Iterator[bytes]:
        if self._carry:
            try:
                yield binascii.unhexlify(self._carry + b"0")
            except binascii.Error:
                raise _Corrupt from None


_A85_DIGITS = bytes((c - 33) % 256 for c in range(256))
_A85_CHARS = bytes(range(33, 118))


def _a85_groups(text: bytes) -> bytes:
    """Decodes whole 5-character ASCII85 groups (``z`` already expanded): the five digits of every
    group are summed in 40-bit lanes of one big integer, so the work runs in C, not per group."""
    groups = len(text) // 5
    digits = text.translate(_A85_DIGITS)
    if groups <= 16:  # a short run: group by group is quicker
        out = bytearray()
        for i in range(0, 5 * groups, 5):
            a, b, c, d, e = digits[i : i + 5]
            value = (((a * 85 + b) * 85 + c) * 85 + d) * 85 + e
            if value >> 32:
                raise _Corrupt
            out += value.to_bytes(4, "big")
        return bytes(out)
    acc = 0
    for j in range(5):
        lanes = bytearray(5 * groups)
        lanes[4::5] = digits[j::5]
        acc = acc * 85 + int.from_bytes(lanes, "big")
    values = acc.to_bytes(5 * groups, "big")
    if values[0::5].strip(b"\0"):
        raise _Corrupt  # a group over 2**32 - 1
    out = bytearray(4 * groups)
    for k in range(4):
        out[k::4] = values[k + 1 :: 5]
    return bytes(out)


class _Ascii85(_TextStage):
    """Decodes ASCII85Decode text (whitespace ignored, ``z`` for four zeros, ``~>`` ends it)."""

    END = b"~"

    def feed(self, data: bytes | memoryview) -> Iterator[bytes]:
        text = self._text(data)
        if text is None:
            return
        text = self._carry + text.translate(None, _WHITESPACE).replace(b"z", b"!!!!!")
        if text.translate(None, _A85_CHARS):
            raise _Corrupt
        cut = len(text) - len(text) % 5
        self._carry = text[cut:]
        for i in range(0, cut, 5 * CHUNK // 4):
            yield _a85_groups(text[i : min(i + 5 * CHUNK // 4, cut)])

    def finish(self) -> Iterator[bytes]:
        n = len(self._carry)
        if n == 1:
            raise _Corrupt
        if n:
            yield _a85_groups(self._carry + b"u" * (5 - n))[: n - 1]


class _RunLength:
    """Decodes /RunLengthDecode (a length byte: 0-127 copy that many + 1 bytes, 129-255 repeat the
    next byte 257 - n times, 128 ends the data), at most CHUNK bytes out per step."""

    def __init__(self) -> None:
        self._carry = b""
        self.done = False

    def feed(self, data: bytes | memoryview) -> Iterator[bytes]:
        buf = self._carry + bytes(data)
        out = bytearray()
        i = 0
        while i < len(buf) and not self.done:
            n = buf[i]
            if n == 128:
                self.done = True
                break
            if n < 128:
                if i + 1 + n + 1 > len(buf):
                    break
                out += buf[i + 1 : i + n + 2]
                i += n + 2
            else:
                if i + 1 >= len(buf):
                    break
                out += buf[i + 1 : i + 2] * (257 - n)
                i += 2
            if len(out) >= CHUNK:
                yield bytes(out)
                out.clear()
        self._carry = b"" if self.done else buf[i:]
        if out:
            yield bytes(out)

    def finish(self) -> Iterator[bytes]:
        return iter(())


class _Lzw:
    """Decodes /LZWDecode (codes of 9 to 12 bits, 256 clears the table, 257 ends the data; the width
    grows one code early unless /EarlyChange is 0), at most about CHUNK bytes out per step."""

    def __init__(self, early: int = 1) -> None:
        self._early = 1 if early != 0 else 0
        self._bits = 0
        self._count = 0  # bits held in _bits
        self._clear()
        self.done = False

    def _clear(self) -> None:
        self._table = [bytes([i]) for i in range(256)] + [b"", b""]
        self._width = 9
        self._prev: bytes | None = None

    def feed(self, data: bytes | memoryview) -> Iterator[bytes]:
        out = bytearray()
        for byte in bytes(data):
            self._bits = (self._bits << 8) | byte
            self._count += 8
            while self._count >= self._width and not self.done:
                self._count -= self._width
                code = self._bits >> self._count
                self._bits &= (1 << self._count) - 1
                if code == 256:
                    self._clear()
                    continue
                if code == 257:
                    self.done = True
                    break
                table, prev = self._table, self._prev
                if code < len(table):
                    entry = table[code]
                    if prev is not None and len(table) < 4096:
                        table.append(prev + entry[:1])
                elif code == len(table) and prev is not None:
                    entry = prev + prev[:1]
                    table.append(entry)
                else:
                    raise _Corrupt
                out += entry
                self._prev = entry
                self._width = min(12, (len(table) + self._early).bit_length())
            if len(out) >= CHUNK:
                yield bytes(out)
                out.clear()
            if self.done:
                break
        if out:
            yield bytes(out)

    def finish(self) -> Iterator[bytes]:
        return iter(())


def _swar_add(a: int, b: int, low: int, high: int) -> int:
    """Bytewise a + b mod 256 of the bytes of two integers, no carry from byte to byte: the seven
    low bits (``low``, 0x7F in every byte) are added, the top bits (``high``, 0x80) xored in."""
    return ((a & low) + (b & low)) ^ ((a ^ b) & high)


class _Predictor:
    """Undoes a /DecodeParms /Predictor: TIFF 2 (8 bits per component) or the PNG filters (one tag
    byte per row: none, sub, up, average, paeth), row by row. Other predictors pass the bytes on
    unchanged: a predictor never makes data longer, so what is counted is no less."""

    def __init__(self, predictor: int, colors: int, bits: int, columns: int) -> None:
        self._png = predictor >= 10
        self._tiff = predictor == 2 and bits == 8
        self._bpp = max(1, colors * bits // 8)
        self._row = max(1, (colors * bits * columns + 7) // 8)
        self._prev = bytes(self._row)
        self._carry = b""
        self._low = int.from_bytes(b"\x7f" * self._row, "big")
        self._high = int.from_bytes(b"\x80" * self._row, "big")
        self.done = False

    def feed(self, data: bytes | memoryview) -> Iterator[bytes]:
        if not (self._png or self._tiff):
            yield bytes(data)
            return
        size = self._row + self._png
        buf = self._carry + bytes(data)
        whole = len(buf) - len(buf) % size
        self._carry = buf[whole:]
        out = bytearray()
        for at in range(0, whole, size):
            out += self._undo(buf[at : at + size])
            if len(out) >= CHUNK:
                yield bytes(out)
                out.clear()
        if out:
            yield bytes(out)

    def _undo(self, row: bytes) -> bytes:
        n, bpp = self._row, self._bpp
        tag, row = (row[0], row[1:]) if self._png else (1, row)
        if tag == 0 or tag > 4:
            out = row
        elif tag == 1:  # each byte plus the one bpp to its left: a prefix sum in log steps
            x, step = int.from_bytes(row, "big"), bpp
            while step < n:
                x = _swar_add(x, x >> (8 * step), self._low, self._high)
                step *= 2
            out = x.to_bytes(n, "big")
        elif tag == 2:
            up = int.from_bytes(self._prev, "big")
            out = _swar_add(int.from_bytes(row, "big"), up, self._low, self._high).to_bytes(n, "big")
        else:
            up, res = self._prev, bytearray(row)
            for i in range(n):
                left = res[i - bpp] if i >= bpp else 0
                if tag == 3:
                    res[i] = (res[i] + ((left + up[i]) >> 1)) & 255
                else:
                    corner = up[i - bpp] if i >= bpp else 0
                    p = left + up[i] - corner
                    pa, pb, pc = abs(p - left), abs(p - up[i]), abs(p - corner)
                    pred = left if pa <= pb and pa <= pc else up[i] if pb <= pc else corner
                    res[i] = (res[i] + pred) & 255
            out = bytes(res)
        self._prev = out
        return out

    def finish(self) -> Iterator[bytes]:
        if self._carry and not (self._png and len(self._carry) == 1):
            yield self._carry  # a short last row, passed on as it is
        self._carry = b""


def _number(params: dict[str, object], key: str, default: int) -> int:
    value = params.get(key, default)
    return value if isinstance(value, int) and 0 <= value <= 1 << 16 else default


def _predictor(params: dict[str, object]) -> _Predictor | None:
    """The predictor stage a /DecodeParms dictionary asks for (Predictor 2, or 10 to 15), if any."""
    predictor = _number(params, "Predictor", 1)
    if predictor < 2:
        return None
    colors, bits = _number(params, "Colors", 1) or 1, _number(params, "BitsPerComponent", 8) or 8
    return _Predictor(predictor, colors, bits, _number(params, "Columns", 1) or 1)


_FILTERS: dict[str, Callable[[dict[str, object]], _Stage]] = {
    "FlateDecode": lambda params: _Flate(),
    "Fl": lambda params: _Flate(),
    "LZWDecode": lambda params: _Lzw(_number(params, "EarlyChange", 1)),
    "LZW": lambda params: _Lzw(_number(params, "EarlyChange", 1)),
    "RunLengthDecode": lambda params: _RunLength(),
    "RL": lambda params: _RunLength(),
    "ASCIIHexDecode": lambda params: _AsciiHex(),
    "AHx": lambda params: _AsciiHex(),
    "ASCII85Decode": lambda params: _Ascii85(),
    "A85": lambda params: _Ascii85(),
}
_PREDICTED = {"FlateDecode", "Fl", "LZWDecode", "LZW"}
"""The filters whose /DecodeParms may name a predictor."""


def _push(stages: list[_Stage], i: int, data: bytes | memoryview, sink: _Sink) -> None:
    """Runs ``data`` through stages i.. into the sink, one chunk at a time at every stage; every
    stage's output is counted."""
    if i == len(stages):
        sink(bytes(data))
        return
    for out in stages[i].feed(data):
        sink.count(i, len(out))
        _push(stages, i + 1, out, sink)


# --- page counting --------------------------------------------------------------------------------


class _Pages:
    """Page objects seen, by object number (an object rewritten by an update counts once); stops
    counting past ``cap`` (the file is over the limit anyway), so memory stays bounded."""

    def __init__(self, cap: int | None) -> None:
        self.cap = cap
        self.numbers: set[int] = set()
        self.count = 0
        self.full = False

    def add(self, number: int | None) -> None:
        if self.full:
            return
        if number is None:
            self.count += 1
        elif number not in self.numbers:
            self.numbers.add(number)
            self.count += 1
        self.full = self.cap is not None and self.count > self.cap


class _ObjStmPages:
    """Finds page objects in an object stream's decoded bytes, chunk by chunk (a short tail carried
    over), each named by its object number from the stream's header."""

    def __init__(self, first: object, pages: _Pages) -> None:
        self._pages = pages
        self._first = first if isinstance(first, int) and 0 < first <= _MAX_HEADER else 0
        self._head = bytearray()
        self._offsets: list[int] = []
        self._numbers: list[int] = []
        self._tail = b""
        self._base = 0  # position of _tail[0] in the decoded stream

    def feed(self, data: bytes) -> None:
        if len(self._head) < self._first:
            need = self._first - len(self._head)
            self._head += data[:need]
            self._base += len(data[:need])
            data = data[need:]
            if len(self._head) < self._first:
                return
            self._read_header()
        buf = self._tail + data
        for m in _PAGE.finditer(buf):
            if len(self._tail) <= m.end() < len(buf):  # new, and the character after it seen
                self._pages.add(self._number(self._base + m.start()))
        keep = buf[-_PAGE_SPAN:]
        self._base += len(buf) - len(keep)
        self._tail = keep

    def close(self) -> None:
        for m in _PAGE.finditer(self._tail):
            if m.end() == len(self._tail):
                self._pages.add(self._number(self._base + m.start()))

    def _read_header(self) -> None:
        ints = [int(x) for x in re.findall(rb"\d+", bytes(self._head))]
        pairs = sorted(zip(ints[1::2], ints[0::2], strict=False))  # (offset, number)
        self._offsets = [o for o, _ in pairs]
        self._numbers = [n for _, n in pairs]

    def _number(self, pos: int) -> int | None:
        i = bisect_right(self._offsets, pos - self._first) - 1
        return self._numbers[i] if i >= 0 else None


# --- the scan -------------------------------------------------------------------------------------


def _unescape(name: bytes) -> _Name:
    if b"#" not in name:
        return _Name(name[1:].decode("latin-1"))
    return _Name(_HEX_ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), name[1:]).decode("latin-1"))


def _tokens(text: bytes | memoryview) -> list[tuple[int, bytes]]:
    return [(m.lastindex or _OTHER, m[m.lastindex or 0]) for m in _TOKEN.finditer(text)]


def _parse(tokens: list[tuple[int, bytes]], i: int, depth: int = 0) -> tuple[object, int]:
    """The PDF object starting at token i, and the index after it."""
    if depth > _MAX_DEPTH or i >= len(tokens):
        raise _Unparsed
    kind, text = tokens[i]
    if kind == _OPEN:
        out: dict[str, object] = {}
        i += 1
        while i < len(tokens) and tokens[i][0] != _CLOSE:
            if tokens[i][0] != _NAME:
                raise _Unparsed
            key = _unescape(tokens[i][1])
            out[key], i = _parse(tokens, i + 1, depth + 1)
        if i >= len(tokens):
            raise _Unparsed
        return out, i + 1
    if kind == _LBRACKET:
        items = []
        i += 1
        while i < len(tokens) and tokens[i][0] != _RBRACKET:
            item, i = _parse(tokens, i, depth + 1)
            items.append(item)
        if i >= len(tokens):
            raise _Unparsed
        return items, i + 1
    if kind == _NAME:
        return _unescape(text), i + 1
    if kind == _NUMBER:
        if text.isdigit() and i + 2 < len(tokens):
            (k1, t1), (k2, t2) = tokens[i + 1], tokens[i + 2]
            if k1 == _NUMBER and t1.isdigit() and k2 == _WORD and t2 == b"R":
                return _Ref(int(text), int(t1)), i + 3
        return (int(text) if text.lstrip(b"+-").isdigit() else float(text)), i + 1
    if kind in (_STRING, _HEX):
        return text, i + 1
    if kind == _WORD and text in (b"true", b"false", b"null"):
        return {b"true": True, b"false": False, b"null": None}[text], i + 1
    raise _Unparsed


def _atom(m: re.Match[bytes]) -> object:
    if m[1]:
        return _Ref(int(m[1]), int(m[2]))
    if m[3]:
        return _unescape(m[3])
    text = m[4]
    if text.lstrip(b"+-").isdigit():
        return int(text)
    return {b"true": True, b"false": False, b"null": None}.get(text, text)


def _flat_dict(text: bytes) -> dict[str, object]:
    """A dictionary `_FLAT_DICT` matched, read without the general parser."""
    out: dict[str, object] = {}
    for key, value in _FLAT_ITEM.findall(text):
        if value.startswith(b"["):
            out[_unescape(b"/" + key)] = [_atom(m) for m in _FLAT_ATOM.finditer(value[1:-1])]
        else:
            m = _FLAT_ATOM.match(value)
            out[_unescape(b"/" + key)] = _atom(m) if m else None
    return out


class _Scan:
    """One pass over a PDF's bytes: every stream found and (when ``max_stream_bytes`` is set)
    decoded under the limit; page objects counted, those in object streams included."""

    def __init__(
        self,
        raw: bytes,
        path: object,
        max_stream_bytes: int | None,
        page_cap: int | None,
        decrypt: _Decrypt | None,
    ) -> None:
        self.raw = raw
        self.decrypt = decrypt
        self.view = memoryview(raw)
        self.path = path
        self.max_stream_bytes = max_stream_bytes
        self.pages = _Pages(page_cap)
        self.fed = 0
        self.budget = 2 * len(raw) + (1 << 20)  # bytes fed to decoders; more means nested streams
        self._objects: dict[int, int] | None = None  # number -> header position, built when needed
        self._resolved: dict[int, object] = {}
        self._endstream = (-1, -1)  # (searched from, found at): finds are reused, so linear

    def run(self) -> int:
        """Checks every stream; returns the page count (at most just past the cap)."""
        lo = 0
        raw, counting = self.raw, self.max_stream_bytes is None
        for m in _STREAM.finditer(raw):
            if self.pages.full:
                break
            lt, gt = raw.rfind(b"<<", lo, m.start()), m.start() + 2
            if (
                lt >= 0
                and raw.find(b"ObjStm", lt, gt) < 0
                and raw.find(b"#", lt, gt) < 0
                and (counting or raw.find(b"/Filter", lt, gt) < 0)
                and _FLAT_DICT.fullmatch(raw, lt, gt)
            ):
                lo = m.end()
                continue  # a plain dictionary with nothing to decode (or not an object stream)
            d = self._stream_dict(lo, gt)
            if d is not None:
                self._stream(d, m.end(), lo)
            lo = m.end()
        self._top_level_pages()
        return self.pages.count

    # -- streams

    def _stream_dict(self, lo: int, end: int) -> dict[str, object] | None:
        """The dictionary that ends at ``end`` (just before ``stream``), looked for after the last
        ``obj`` keyword (else a little way back); None when it does not parse."""
        lt = self.raw.rfind(b"<<", lo, end)
        if lt >= 0 and _FLAT_DICT.fullmatch(self.raw, lt, end):
            return _flat_dict(self.raw[lt:end])
        starts = [max(lo, end - _MAX_DICT)]
        obj = self.raw.rfind(b"obj", lo, end)
        if obj >= 0:
            starts.insert(0, obj + 3)
        for start in starts:
            tokens = _tokens(self.view[start:end])
            depth = 0
            for i in range(len(tokens) - 1, -1, -1):
                kind = tokens[i][0]
                depth += (kind == _CLOSE) - (kind == _OPEN)
                if depth == 0:
                    try:
                        value, after = _parse(tokens, i)
                    except (_Unparsed, ValueError):
                        break
                    if after == len(tokens) and isinstance(value, dict):
                        return value
                    break
        return None

    def _stream(self, d: dict[str, object], start: int, lo: int) -> None:
        """Decodes the stream whose data begin at ``start`` (its object's header after ``lo``)."""
        objstm = d.get("Type") == "ObjStm"
        if self.max_stream_bytes is None and not objstm:
            return
        names = self._filters(d.get("Filter"))
        params = self._resolve(d.get("DecodeParms", d.get("DP")))
        stages: list[_Stage] = []
        for k, name in enumerate(names):
            if name not in _FILTERS:
                break
            p = self._resolve(params[k] if isinstance(params, list) and k < len(params) else params)
            p = p if isinstance(p, dict) else {}
            stages.append(_FILTERS[name](p))
            if name in _PREDICTED and (predictor := _predictor(p)) is not None:
                stages.append(predictor)
        objstm = objstm and len(stages) >= len(names)  # pages are searched in fully decoded data only
        if not stages and not objstm:
            return
        end = self._data_end(d, start)
        data: memoryview = self.view[start:end]
        if self.decrypt is not None and d.get("Type") != "XRef" and (owner := self._owner(lo, start)):
            data = memoryview(self.decrypt(owner[0], owner[1], bytes(data)))
        limit = self.max_stream_bytes
        if len(stages) == 1 and isinstance(stages[0], _Flate) and not objstm and len(data) <= CHUNK:
            try:  # the common case, a small deflated stream, at once (else over again, chunk by chunk)
                z = zlib.decompressobj()
                out = z.decompress(data, CHUNK)
            except zlib.error:
                out, z = b"", None
            if z is None or (not z.unconsumed_tail and len(out) < CHUNK and limit and len(out) <= limit):
                self._spend(len(data))
                return
        sink = _Sink(
            self, len(stages), _ObjStmPages(self._resolve(d.get("First")), self.pages) if objstm else None
        )
        try:
            pos = 0
            while pos < len(data) and not any(s.done for s in stages):
                step = min(pos + CHUNK, len(data))
                self._spend(step - pos)
                _push(stages, 0, data[pos:step], sink)
                pos = step
            for i, stage in enumerate(stages):
                for out in stage.finish():
                    sink.count(i, len(out))
                    _push(stages, i + 1, out, sink)
        except _Corrupt:
            pass
        if sink.pages is not None:
            sink.pages.close()

    def _spend(self, n: int) -> None:
        """Counts bytes fed to decoders: past twice the file, streams must be nested in streams."""
        self.fed += n
        if self.fed > self.budget:
            raise InputError(f"{self.path}: streams nested inside other streams (not a PDF to read)")

    def _data_end(self, d: dict[str, object], start: int) -> int:
        """Where the stream's data end: at /Length (direct, or the object it refers to) when
        ``endstream`` follows there, else at the next ``endstream`` (else at the end of the file)."""
        length = self._resolve(d.get("Length"))
        if (
            isinstance(length, int)
            and 0 <= length <= len(self.raw) - start
            and _ENDSTREAM_AT.match(self.raw, start + length)
        ):
            return start + length
        searched, found = self._endstream
        if not (searched <= start <= found or (found < 0 <= searched <= start)):
            found = self.raw.find(b"endstream", start)
            self._endstream = (start, found)
        return found if found >= 0 else len(self.raw)

    def _filters(self, value: object) -> list[str]:
        value = self._resolve(value)
        items = value if isinstance(value, list) else [value]
        names = [self._resolve(v) for v in items]
        return [n if isinstance(n, _Name) else "" for n in names]

    def _resolve(self, value: object, hops: int = 0) -> object:
        """An indirect reference's object (a top-level object's, the last one of that number)."""
        if not isinstance(value, _Ref) or hops > 8:
            return value
        if value.num in self._resolved:
            return self._resolved[value.num]
        if self._objects is None:
            self._objects = {}
            for m in _OBJ_KEYWORD.finditer(self.raw):
                header = self._header(m.end())
                if header:
                    self._objects[header[1]] = header[0]
        at = self._objects.get(value.num)
        m = _OBJ.match(self.raw, at) if at is not None else None
        obj = None
        for size in (64, 512, 4096) if m else ():
            tokens = _tokens(self.view[m.end() : m.end() + size])
            try:
                obj, after = _parse(tokens, 0)
            except (_Unparsed, ValueError):
                continue
            if after < len(tokens):  # the object ends inside the window
                break
            obj = None
        obj = self._resolve(obj, hops + 1)
        if len(self._resolved) < 4096:
            self._resolved[value.num] = obj
        return obj

    def _header(self, end: int) -> tuple[int, int, int] | None:
        """The ``num gen obj`` header ending at ``end``: (its position, num, gen)."""
        for back in (48, 1024):  # a second look for a long run of whitespace
            m = _OBJ_REVERSED.match(self.raw[max(0, end - back) : end][::-1])
            if m:
                return end - m.end(), int(m[2][::-1]), int(m[1][::-1])
        return None

    def _owner(self, lo: int, end: int) -> tuple[int, int] | None:
        """(num, gen) of the last object header between ``lo`` and ``end``: the stream's object."""
        while (at := self.raw.rfind(b"obj", lo, end)) >= 0:
            if _OBJ_KEYWORD.match(self.raw, at):
                header = self._header(at + 3)
                return header[1:] if header else None
            end = at
        return None

    # -- pages

    def _top_level_pages(self) -> None:
        """Counts ``/Type /Page`` in the file's objects, each under the object header before it (one
        it cannot read counts every page after it apart), unless a ``stream`` keyword comes between
        (stream data: object streams are searched decoded). Each search looks back no further than
        the previous match, so all of them together read the file once."""
        raw, pages, searched, number, in_stream = self.raw, self.pages, 0, None, False
        keyword = _OBJ_KEYWORD.match
        for m in _PAGE.finditer(raw):
            pos, end = m.start(), m.start()
            while (at := raw.rfind(b"obj", searched, end)) >= 0:
                if keyword(raw, at):
                    header = self._header(at + 3)
                    number, in_stream, searched = header[1] if header else None, False, at + 3
                    break
                end = at
            in_stream = in_stream or bool(_STREAM_WORD.search(raw, searched, pos))
            searched = pos
            if not in_stream:
                pages.add(number)
                if pages.full:
                    return


class _Sink:
    """Counts every stage's output against the limit; takes the last stage's (searched for pages
    in an object stream); keeps nothing."""

    def __init__(self, scan: _Scan, stages: int, pages: _ObjStmPages | None) -> None:
        self.scan = scan
        self.pages = pages
        self.sizes = [0] * stages

    def count(self, stage: int, n: int) -> None:
        self.sizes[stage] += n
        limit = self.scan.max_stream_bytes
        if limit is not None and self.sizes[stage] > limit:
            raise LimitError(
                self.scan.path,
                f"a stream inflates to more than {limit // 2**20} MiB",
                f"{limit // 2**20} MiB",
                "--max-stream-mb",
            )

    def __call__(self, data: bytes) -> None:
        if self.pages is not None:
            self.pages.feed(data)


_Decrypt = Callable[[int, int, bytes], bytes]
"""Decrypts a stream's data, given its object's number and generation."""


def _decryptor(raw: bytes, path: object) -> _Decrypt | None:
    """How an encrypted file's streams are decrypted, with the empty user password; None when the
    file is not encrypted. pdfminer reads the encryption dictionary and the file key; the ciphers
    run in ``cryptography`` (pdfminer's own RC4 is pure Python)."""
    if not _ENCRYPT.search(raw):
        return None
    import io

    from cryptography.hazmat.decrepit.ciphers.algorithms import ARC4
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    from pdfminer.pdfdocument import PDFDocument, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFParser

    try:
        doc = PDFDocument(PDFParser(io.BytesIO(raw)), password="")
    except PDFPasswordIncorrect:
        raise InputError(f"{path}: the PDF is encrypted; decrypt it first") from None
    except Exception as exc:  # pdfminer raises many types on a broken file
        raise InputError(
            f"{path}: the PDF is encrypted and its encryption cannot be read ({type(exc).__name__})"
        ) from None
    if doc.decipher is None:
        return None
    handler = doc.decipher.__self__  # type: ignore[attr-defined]
    key: bytes = handler.key
    method = handler.cfm.get(handler.stmf) if hasattr(handler, "stmf") else handler.decrypt_rc4
    kind = getattr(method, "__name__", "")

    def object_key(num: int, gen: int, salt: bytes = b"") -> bytes:
        ids = (num & 0xFFFFFF).to_bytes(3, "little") + (gen & 0xFFFF).to_bytes(2, "little")
        return md5(key + ids + salt).digest()[: min(len(key) + 5, 16)]

    def aes(k: bytes, data: bytes) -> bytes:
        body = data[16 : 16 + (len(data) - 16) // 16 * 16]  # the padding is left on: it ends no filter
        return Cipher(algorithms.AES(k), modes.CBC(data[:16])).decryptor().update(body) if body else b""

    if kind == "decrypt_rc4":
        return lambda num, gen, data: Cipher(ARC4(object_key(num, gen)), None).decryptor().update(data)
    if kind == "decrypt_aes128":
        return lambda num, gen, data: aes(object_key(num, gen, b"sAlT"), data)
    if kind == "decrypt_aes256":
        return lambda num, gen, data: aes(key, data)
    if kind == "decrypt_identity":
        return None
    raise InputError(
        f"{path}: the PDF is encrypted with a method this check does not know ({kind or handler})"
    )


def count_pages(raw: bytes) -> int:
    """The number of page objects in a PDF's bytes (object streams decoded, other streams not)."""
    return _Scan(raw, "<pdf>", None, None, _decryptor(raw, "<pdf>")).run()


def check_pdf_bytes(raw: bytes, path: object, max_stream_bytes: int, max_pages: int) -> None:
    """Raises LimitError when a stream of the PDF decodes to more than ``max_stream_bytes`` or it has
    more than ``max_pages`` pages (InputError for streams nested in streams, which would have the
    check read the file over and over); anything else (a broken file, not a PDF) passes."""
    cap = max(16 * max_pages, 1 << 17)  # pages counted past the limit, for the message
    pages = _Scan(raw, path, max_stream_bytes, cap, _decryptor(raw, path)).run()
    if pages > max_pages:
        what = f"more than {cap} pages" if pages > cap else f"{pages} pages"
        raise LimitError(path, what, f"{max_pages} pages", "--max-pages")
