"""One normalisation of the characters a report is printed in, applied where text enters (each PDF
engine's page model, and a text report's lines), so every later stage and every output sees 目,
never the look-alike code point a producer wrote.

PDF producers often map a glyph back to a compatibility code point that looks the same: browsers and
office suites print CJK fonts whose ToUnicode maps 目 to the Kangxi radical ⽬ (U+2F6C), 見 to ⾒,
用 to ⽤, and the middle dot ・ to ‧ (U+2027). A reader that matches 項目 must see 項目; an analyst
searching for 目 must find it. The table (`CANONICAL`) is built from the Unicode data, not by hand,
except where Unicode gives no mapping:

* Kangxi radicals (U+2F00-U+2FD5): their NFKC form, the unified ideograph (⽬ -> 目);
* CJK compatibility ideographs (U+F900-U+FAFF, U+2F800-U+2FA1F): their canonical (NFC) form, where
  Unicode gives one (the twelve unified ideographs in that block, as 﨑, stay);
* CJK radicals supplement (U+2E80-U+2EF3): the radicals that print as a whole ideograph
  (`RADICAL_SUPPLEMENT`, after Unicode's EquivalentUnifiedIdeograph.txt); component forms (⺡, ⻌)
  are not characters of running text and stay;
* punctuation look-alikes (`PUNCTUATION`): the dots fonts print for the katakana middle dot ・.

Nothing else changes: full-width digits, dashes and spaces are the report's own and are read by the
parsers as printed.
"""

from __future__ import annotations

import functools
import unicodedata

RADICAL_SUPPLEMENT: dict[str, str] = {
    "⺟": "母", "⺠": "民", "⻁": "虎", "⻄": "西", "⻆": "角", "⻑": "長", "⻘": "青", "⻝": "食",
    "⻤": "鬼", "⻩": "黄", "⻫": "斉", "⻭": "歯", "⻯": "竜", "⻲": "亀", "⻳": "龟", "⺝": "月",
}  # fmt: skip
"""CJK radicals supplement code points that print as a whole ideograph, and that ideograph."""

PUNCTUATION: dict[str, str] = {
    "\u2027": "・",  # ‧ HYPHENATION POINT, Chromium's Noto Sans CJK print of ・
    "\uff65": "・",  # ･ HALFWIDTH KATAKANA MIDDLE DOT
    "\u2219": "・",  # ∙ BULLET OPERATOR
    "\u22c5": "・",  # ⋅ DOT OPERATOR
}
"""Punctuation look-alikes real files carry for the report's own marks."""


def _table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in range(0x2F00, 0x2FD6):
        table[cp] = unicodedata.normalize("NFKC", chr(cp))
    for lo, hi in ((0xF900, 0xFB00), (0x2F800, 0x2FA20)):
        for cp in range(lo, hi):
            nfc = unicodedata.normalize("NFC", chr(cp))
            if nfc != chr(cp):
                table[cp] = nfc
    for src in (RADICAL_SUPPLEMENT, PUNCTUATION):
        table.update({ord(k): v for k, v in src.items()})
    return table


CANONICAL: dict[int, str] = _table()
"""Code point -> the character every stage reads (see the module doc)."""


def canonical(text: str) -> str:
    """`text` with every look-alike code point of `CANONICAL` replaced (項⽬ -> 項目)."""
    if text.isascii():
        return text
    return text.translate(CANONICAL)


@functools.lru_cache(maxsize=65536)
def squash(text: str | None) -> str:
    """NFKC with every space removed: how two texts are compared regardless of wrapping and width
    (the reader's label matching, the parsers, validate and diff all compare so)."""
    return "".join(unicodedata.normalize("NFKC", text or "").split())
