"""Telling paragraph text (取組み内容, 目指すべき効果・成果, 実績) from schedule-table fragments.

The paragraph columns of a table are wide, so their lines run to ~70 display columns and only the
last line of a paragraph is short; the 年次別計画 columns are narrow (a label line ≤ ~30 columns,
a cell ≤ ~16), and the text tool sometimes puts several cells of one row on one line.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import regex

from plan_etl.extract.base import Line
from plan_etl.form.ids import circled_number
from plan_etl.form.vocabulary import CELL_WORDS
from plan_etl.form.words import CIRCLED_MARK, DOTTED_MARK, PAREN_MARK
from plan_etl.parsers.layout import DEFAULT_PROSE, ProseSettings, width

_BULLET = regex.compile(rf"^(?:{CIRCLED_MARK}|[・●○◆■※➢【]|{PAREN_MARK}|{DOTTED_MARK})")
_INDENT = "　"


def is_multi_cell(text: str, s: ProseSettings = DEFAULT_PROSE) -> bool:
    """Short space-separated pieces: several schedule cells printed on one line."""
    parts = text.split()
    if len(parts) == 2:
        return all(width(p) <= s.pair_cell for p in parts) or bool(CELL_WORDS.match(parts[1]))
    return len(parts) >= 3 and sum(width(p) <= s.many_cell for p in parts) >= 3


_SCHEMES = (
    ("circled", regex.compile(rf"^{CIRCLED_MARK}")),
    ("paren", regex.compile(rf"^{PAREN_MARK}")),
    ("dotted", regex.compile(r"^[0-9０-９]+[．.]")),
    ("bullet", regex.compile(r"^[・●○◆■]")),
)


def numbering_scheme(text: str) -> str | None:
    """How a top-level (unindented) paragraph is numbered: circled, paren, dotted, bullet."""
    for name, pattern in _SCHEMES:
        if pattern.match(text):
            return name
    return None


def starts_with_bullet(text: str) -> bool:
    """A numbered or bulleted line (①, ・, （１）, １．)."""
    return bool(_BULLET.match(text))


def starts_with_marker(text: str) -> bool:
    """A line that opens a paragraph: a bullet or a full-width indent."""
    return starts_with_bullet(text) or text.startswith(_INDENT)


def is_wide(text: str, s: ProseSettings = DEFAULT_PROSE) -> bool:
    return width(text) >= s.wide and not is_multi_cell(text, s)


def take_prose(
    lines: Sequence[Line],
    start: int,
    end: int,
    skip: Callable[[int], bool],
    stop: Callable[[int], bool],
    s: ProseSettings = DEFAULT_PROSE,
) -> list[int]:
    """Indexes of the paragraph lines that begin at `start`, looking no further than `end`.

    `skip(i)`: page furniture, which neither belongs to nor ends the paragraph;
    `stop(i)`: a line that ends it (a label, a header); `s`: the widths that tell prose from cells.
    """
    taken: list[int] = []
    i = start
    while i < end and not stop(i):
        if skip(i):
            i += 1
            continue
        text = _clean(lines[i].text)
        ahead = _next_texts(lines, i + 1, end, skip, stop, 2)
        if not _continues(text, ahead, [_clean(lines[k].text) for k in taken[-1:]], s):
            break
        taken.append(i)
        i += 1
    return taken


def _follows_in_sequence(prev: str | None, text: str | None, s: ProseSettings = DEFAULT_PROSE) -> bool:
    """`text` is the next item of a one-line numbered list whose item so far is `prev` (① -> ②)."""
    if not prev or not text or is_multi_cell(prev, s) or is_multi_cell(text, s):
        return False
    a, b = circled_number(prev.lstrip("　")[:1]), circled_number(text.lstrip("　")[:1])
    return a is not None and b == a + 1


def _clean(text: str) -> str:
    """Trailing space and ASCII indentation off; a full-width indent stays (it opens a paragraph)."""
    return text.rstrip().lstrip(" \t")


def _next_texts(
    lines: Sequence[Line],
    i: int,
    end: int,
    skip: Callable[[int], bool],
    stop: Callable[[int], bool],
    count: int,
) -> list[str]:
    """Up to `count` following lines that could continue the paragraph."""
    out: list[str] = []
    while i < end and not stop(i) and len(out) < count:
        if not skip(i):
            out.append(_clean(lines[i].text))
        i += 1
    return out


def _continues(text: str, ahead: list[str], prev: list[str], s: ProseSettings = DEFAULT_PROSE) -> bool:
    """Whether `text` still belongs to the paragraph whose last line so far is `prev`.

    `ahead` holds the next lines (up to two) that are neither furniture nor a label.
    """
    nxt = ahead[0] if ahead else None
    if is_multi_cell(text, s):
        return False
    if width(text) >= s.wide:
        return True
    last = prev[0] if prev else None
    ends_sentence = text.endswith(("。", "）", ")", "】"))
    nxt_opens = nxt is None or is_wide(nxt, s) or (starts_with_marker(nxt) and not is_multi_cell(nxt, s))
    if last is not None and is_wide(last, s) and not starts_with_bullet(text):
        # the short last line of a wrapped paragraph
        return ends_sentence or (nxt_opens and not CELL_WORDS.match(text.strip()))
    if starts_with_marker(text) or last is None:
        if nxt is not None and is_wide(nxt, s):
            return True  # a heading over its paragraph
        if len(ahead) == 2 and starts_with_marker(ahead[0]) and is_wide(ahead[1], s):
            return True  # a heading over a sub-heading and its paragraph
        if text.endswith("。") and width(text) >= s.sentence:
            return True  # a one-line paragraph
        wrapped_label = nxt is not None and not starts_with_marker(nxt) and not is_wide(nxt, s)
        if (not wrapped_label and _follows_in_sequence(last, text, s)) or (
            last is not None and last.endswith(("。", "：")) and _follows_in_sequence(text, nxt, s)
        ):
            return True  # a list of one-line numbered items
    return False
