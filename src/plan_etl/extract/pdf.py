"""PDF extractor: pages -> characters and rules (pypdfium2, or pdfplumber) -> lines, each initiative
table read by its label words and the page's geometry (`pdf_layout`), whatever its layout.

A PDF still knows where every character sits, so the side-by-side tables that a plain text tool
interleaves are kept apart: each table is emitted on its own, left table first, as

    項目 {id} {title} 所管部 {departments}
    取組み内容 / its lines / 年次別計画 R6 R7 R8 R9 / one line per row: label⇥R6⇥R7⇥R8⇥R9 /
    目指すべき効果・成果 / its lines / R6実績 / its lines

Text outside those tables (page headers, page numbers, the goal and contents pages) is read as plain
lines top to bottom, so the text path's reasoning still applies to it.
"""

from __future__ import annotations

import gc
import hashlib
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from plan_etl.errors import InputError, LimitError
from plan_etl.extract.base import Line, SourceDocument, repaired
from plan_etl.extract.engines import DEFAULT_ENGINE, iter_pages, page_count
from plan_etl.extract.pdf_guard import check_pdf_bytes
from plan_etl.extract.pdf_layout import DEFAULT_SETTINGS, PageRead, ReaderSettings, join_pages, read_page
from plan_etl.extract.text import lines_from_text
from plan_etl.limits import DEFAULT_LIMITS, Limits, MiB
from plan_etl.supervise import GC_GEN0


def repair_lines(lines: tuple[Line, ...]) -> tuple[tuple[Line, ...], tuple[tuple[int, int], ...]]:
    """The lines with every code unit no text can hold replaced (see base.repaired), and which."""
    out: list[Line] = []
    replaced: list[tuple[int, int]] = []
    for ln in lines:
        text, n = repaired(ln.text)
        if n or text != ln.text:
            ln = Line(ln.no, text)
            if n:
                replaced.append((ln.no, n))
        out.append(ln)
    return tuple(out), tuple(replaced)


def guard_pdf(path: Path, limits: Limits) -> bytes:
    """The file's bytes once their streams and pages are checked against `limits` (before any PDF
    library reads them): what every command that opens a PDF passes first."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    unlimited = 2**62  # a limit of 0 is none
    check_pdf_bytes(raw, path, limits.max_stream_mb * MiB or unlimited, limits.max_pages or unlimited)
    return raw


def read_pdf_document(
    path: Path,
    workers: int | None = None,
    engine: str = DEFAULT_ENGINE,
    limits: Limits = DEFAULT_LIMITS,
    reader: ReaderSettings = DEFAULT_SETTINGS,
) -> SourceDocument:
    """Extract a report PDF with the reader's tolerances `reader`; InputError (one line) for an
    encrypted, corrupt, empty or scanned file, LimitError for one over `limits` (its streams are
    checked before any PDF library reads it)."""
    raw = guard_pdf(path, limits)
    n_pages = page_count(path, engine)
    if n_pages == 0:
        raise InputError(f"{path}: the PDF has no pages")
    if limits.max_pages and n_pages > limits.max_pages:
        raise LimitError(path, f"{n_pages} pages", f"{limits.max_pages} pages", limits.option("max_pages"))
    chunks = _chunks(n_pages, workers)
    rules = [limits.max_rules] * len(chunks)
    if len(chunks) > 1:
        with ProcessPoolExecutor(max_workers=len(chunks)) as pool:
            n = len(chunks)
            parts = list(pool.map(_extract_pages, [str(path)] * n, chunks, [engine] * n, rules, [reader] * n))
    else:
        parts = [_extract_pages(str(path), chunks[0], engine, limits.max_rules, reader)]
    boxed, tables = join_pages([page for part in parts for page in part], reader)
    if not any(text.strip() for text, _ in boxed):
        raise InputError(f"{path}: the PDF has no text layer (a scanned document?); OCR it first")
    # one source line per line read, whatever control characters the PDF's text holds
    lines = lines_from_text("\n".join(" ".join(text.splitlines()) for text, _ in boxed))
    lines, replaced = repair_lines(lines)
    return SourceDocument(
        replaced=replaced,
        lines=lines,
        source_file=path.name,
        source_sha256=hashlib.sha256(raw).hexdigest(),
        tables=tuple(tables),
        boxes=tuple(box for _, box in boxed),
    )


def default_workers() -> int:
    return os.cpu_count() or 1


def _chunks(n_pages: int, workers: int | None) -> list[list[int]]:
    """Contiguous page ranges, one per worker; a single range for small files or one worker."""
    w = max(1, min(workers if workers is not None else default_workers(), n_pages // 8 or 1))
    size = -(-n_pages // w)
    return [list(range(i, min(i + size, n_pages))) for i in range(0, n_pages, size)]


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """The garbage collector run less often (GC_GEN0) for the duration."""
    old = gc.get_threshold()
    gc.set_threshold(GC_GEN0, *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)


def _extract_pages(
    path: str, numbers: list[int], engine: str, max_rules: int = 0, reader: ReaderSettings = DEFAULT_SETTINGS
) -> list[PageRead]:
    """The given pages (0-based numbers) read, each page's characters dropped once its layout is
    read, a page with more than `max_rules` ruling segments refused (0: any); run in a worker
    process for large files."""
    try:
        with _fewer_collections():
            return [read_page(page, reader) for page in iter_pages(Path(path), engine, numbers, max_rules)]
    except InputError:
        raise
    except Exception as exc:
        raise InputError(f"{path}: not a readable PDF ({type(exc).__name__}: {exc})") from None
