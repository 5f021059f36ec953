"""The report's narrative front matter (cover note, plan cover, プランの位置づけ) as titled sections.

Output: `Section`s (title, text, source_lines), from the first line up to the goals section
(「Ⅱ …到達点…」). A section starts at a heading line such as 「１ 主旨」, 「Ⅰ プランの位置づけ」 or
「２.推進状況について」; text before the first heading is the cover's own section.
"""

from __future__ import annotations

from collections.abc import Sequence

import regex

from plan_etl.extract.base import Line
from plan_etl.form.words import GOALS_SECTION
from plan_etl.parsers.text import join_wrapped
from plan_etl.schemas import Section

_GOALS_SECTION = regex.compile(rf"^{GOALS_SECTION}")
_HEADING = regex.compile(r"^(?:[ⅠⅡⅢⅣ]\s+\S|[0-9０-９]{1,2}\s*[ .．]\s*\S)")


def front_matter_end(lines: Sequence[Line]) -> int:
    """Index of the goals section's first header line, or 0 when there is none."""
    return next((i for i, ln in enumerate(lines) if _GOALS_SECTION.match(ln.text.strip())), 0)


def parse_sections(lines: Sequence[Line]) -> list[Section]:
    """The front matter's sections, each with its heading as title and its text joined."""
    end = front_matter_end(lines)
    groups: list[list[Line]] = []
    for ln in lines[:end]:
        if not groups or _HEADING.match(ln.text.strip()):
            groups.append([])
        groups[-1].append(ln)
    return [
        Section(
            title=group[0].text.strip(),
            text=join_wrapped(ln.text for ln in group[1:]),
            source_lines=[ln.no for ln in group],
        )
        for group in groups
    ]
