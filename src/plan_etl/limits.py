"""What one input file may cost a run: the limits, their defaults and the options that change them.

A hostile or broken file (a deflate bomb, a page ruled 300 × 300, 100,000 pages) must end in a
one-line error within bounded time and memory, not run a machine out of memory. Each limit is
checked where the cost arises: the file's size before it is read, each PDF stream's inflated size
while it is inflated (extract/pdf_guard.py, before any PDF library touches the file), the page
count, the ruling objects of each page as they are read, and, around the whole parse of a file, its
wall time and each worker's memory (a worker that runs over is killed: supervise.py). The defaults
are far above what a real report needs (the shipped report: 66 pages, 210 KB, streams under 1 MiB,
a few hundred rules a page, 3 s, 110 MiB) and far below what hurts a machine.
"""

from __future__ import annotations

from dataclasses import dataclass

MiB = 2**20


@dataclass(frozen=True)
class Limits:
    """The limits of one run; 0 turns a limit off."""

    max_file_mb: int = 512
    """Bytes read from one input file (--max-file-mb)."""
    max_stream_mb: int = 128
    """Bytes one PDF stream may inflate to (--max-stream-mb): bounded while it is inflated."""
    max_pages: int = 2000
    """Pages of one PDF (--max-pages)."""
    max_rules: int = 20_000
    """Ruling segments (lines and rectangle edges) of one PDF page (--max-rules)."""
    timeout_s: float = 300.0
    """Wall time for one file's parse (--timeout); the worker is killed when it runs over."""
    max_memory_mb: int = 1024
    """Resident memory of each worker process (--max-memory-mb); the worker is killed over it."""
    max_json_mb: int = 64
    """The largest report.json `validate`, `report` and `diff` read (one edition's is about 2 MiB)."""

    def option(self, name: str) -> str:
        """The command-line option of a limit (a field name)."""
        return OPTIONS[name]


OPTIONS = {
    "max_file_mb": "--max-file-mb",
    "max_stream_mb": "--max-stream-mb",
    "max_pages": "--max-pages",
    "max_rules": "--max-rules",
    "timeout_s": "--timeout",
    "max_memory_mb": "--max-memory-mb",
    "max_json_mb": "--max-json-mb",
}
"""Each limit's option; every field of Limits has one."""


DEFAULT_LIMITS = Limits()
