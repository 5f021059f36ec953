"""Document metadata from the cover: the report title and the fiscal year it reports on.

Output of ``parse_title``: ``(title, report_fiscal_year)`` where ``title`` is the report's name as printed
with its edition in brackets (``新たな行政経営への移行実現プラン（令和６年度推進状況）``) and
``report_fiscal_year`` is the Western year that fiscal year starts in (令和６年度 -> 2024), or None when the
cover names no 令和 year. These fill ``DocumentMeta.title`` / ``DocumentMeta.report_fiscal_year``.
"""

from __future__ import annotations

from collections.abc import Sequence

import regex

from plan_etl.extract.base import Line
from plan_etl.form.ids import reiwa_to_western, to_ascii_digits

COVER_LINES = 40
"""How many non-blank lines from the top count as the cover (where the title is printed)."""

_REIWA = r"令和\s*(?P<year>[0-9０-９]{1,2}|元)\s*年度?"
# a name glued to a bracketed edition naming a 令和 year: ＸＸプラン（令和６年度推進状況）
# (a bracketed period such as （令和６年度～令和１３年度） is no edition)
_TITLE = regex.compile(rf"(?P<title>[^\s「」『』（）()]+[（(][^（）()～〜~]*?{_REIWA}[^（）()～〜~]*[）)])")
_REIWA_RE = regex.compile(_REIWA)
_PROGRESS_RE = regex.compile(_REIWA + r"\s*(?:の)?推進状況")
_COVER_SUFFIX = regex.compile(r"(?:について|に関する報告)\s*$")


def reiwa_year(text: str) -> int | None:
    """Western year of the first 令和N年(度) in text (令和元年 -> 2019); None if there is none."""
    return _western(_REIWA_RE.search(text))


def _western(m: regex.Match[str] | None) -> int | None:
    """Western year of a match of _REIWA (its ``year`` group), None without a match."""
    if m is None:
        return None
    n = 1 if m["year"] == "元" else int(to_ascii_digits(m["year"]))
    return reiwa_to_western(n)


def parse_title(lines: Sequence[Line]) -> tuple[str, int | None]:
    """Report title and report fiscal year, read from the cover.

    The title is the first name on the cover carrying a bracketed 令和 edition, because the cover's
    other headings (the attachment's own title page) omit the year; if there is none, the first
    non-blank line (minus a trailing について) stands in, and the year is taken from a 令和N年度推進状況
    elsewhere on the cover (None rather than a guess from other 令和 dates such as the plan period).
    """
    cover = [ln.text.strip() for ln in lines if ln.text.strip()][:COVER_LINES]
    if not cover:
        return "", None
    for text in cover:
        m = _TITLE.search(text)
        if m:
            title = m["title"]
            return title, reiwa_year(title)
    title = _COVER_SUFFIX.sub("", cover[0]).strip()
    year = reiwa_year(title)
    if year is None:
        year = next((y for t in cover if (y := _western(_PROGRESS_RE.search(t))) is not None), None)
    return title, year
