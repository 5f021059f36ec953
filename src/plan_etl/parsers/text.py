"""Joining wrapped PDF lines into field text."""

from __future__ import annotations

from collections.abc import Iterable

import regex

from plan_etl.form.words import CIRCLED_MARK

# a line that opens a new paragraph or bullet keeps a break before it
_PARA_START = regex.compile(rf"^(?:[　\s]+|{CIRCLED_MARK}|[・●○◆■※➢【]|\([0-9０-９]+\)|（[0-9０-９]+）)")


def join_wrapped(lines: Iterable[str]) -> str:
    """Join PDF line wraps; keep "\\n" before an indented line or a bullet/number."""
    out: list[str] = []
    for raw in lines:
        text = raw.rstrip()
        if not text.strip():
            continue
        if out and not _PARA_START.match(text):
            out[-1] += text.strip()
        else:
            out.append(text.strip())
    return "\n".join(out)
