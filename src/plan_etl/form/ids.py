"""Item ids and Japanese numerals as the report prints them (2-４, ３－１７, 5-13①)."""

from __future__ import annotations

import functools
import unicodedata

import regex

from plan_etl.form.words import DIGIT, ID_DASHES, ITEM_ID, PART_MARKS

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

ID_PATTERN = ITEM_ID
"""An item id (`plan_etl.form.words.ITEM_ID`)."""
_ID_RE = regex.compile(
    rf"(?P<goal>{DIGIT}{{1,2}})\s*[{ID_DASHES}]\s*(?P<num>{DIGIT}{{1,2}})(?P<part>[{PART_MARKS}])?"
)


def to_ascii_digits(text: str) -> str:
    """Full-width digits and dots to ASCII (NFKC), leaving other characters as printed."""
    return "".join(unicodedata.normalize("NFKC", c) if c in "０１２３４５６７８９．，" else c for c in text)


def circled_number(ch: str) -> int | None:
    """① -> 1, ..., ⑳ -> 20; None for any other character."""
    i = CIRCLED.find(ch)
    return i + 1 if i >= 0 else None


@functools.lru_cache(maxsize=4096)  # the writers sort and key every row by its item's id
def parse_item_id(raw: str) -> tuple[str, int, int | None] | None:
    """`３－１７` -> ("3-17", 3, None); `5-13①` -> ("5-13", 5, 1); None if not an id."""
    m = _ID_RE.fullmatch(raw.strip())
    if not m:
        return None
    goal = int(to_ascii_digits(m["goal"]))
    num = int(to_ascii_digits(m["num"]))
    part = circled_number(m["part"]) if m["part"] else None
    return f"{goal}-{num}", goal, part


REIWA_BASE = 2018
"""The Western year before 令和1 (2019)."""


def reiwa_to_western(reiwa_year: int) -> int:
    """令和 year to the Western year in which that fiscal year starts (R6 -> 2024)."""
    return REIWA_BASE + reiwa_year


def western_to_reiwa(year: int) -> int | None:
    """A Western year to its 令和 year (2024 -> 6); None before 令和 (2019)."""
    return year - REIWA_BASE if year > REIWA_BASE else None


def item_order(item_id: str, part: int | None = None) -> int:
    """A number that sorts records in the report's order: goal, item number, part (1-2 before 1-10,
    5-13#1 before 5-13#2); an id that is not one sorts last."""
    parsed = parse_item_id(item_id)
    if parsed is None:
        return 10**9
    normal, goal, printed_part = parsed
    number = int(normal.split("-")[1])
    return goal * 100_000 + number * 100 + (part or printed_part or 0)
