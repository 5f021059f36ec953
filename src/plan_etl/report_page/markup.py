"""Escaping and number formatting shared by the charts and the page: every report text is written
through `esc`."""

from __future__ import annotations

from html import escape


def esc(text: object) -> str:
    """Escape text for element content and quoted attribute values."""
    return escape(str(text), quote=True)


def num(n: float) -> str:
    """1234567 -> 1,234,567."""
    return f"{n:,.0f}"
