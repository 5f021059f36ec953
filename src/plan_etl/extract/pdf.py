"""PDF extractor (pdfplumber): pages -> lines, reading each ruled initiative table cell by cell.

A PDF still knows where every word sits, so the side-by-side tables that a plain text tool
interleaves are kept apart: each table found on a page (`page.find_tables()`) whose first cell reads
項目 is emitted on its own, left table first, as

    項目 {id} {title} 所管部 {departments}
    取組み内容 / its lines / 年次別計画 R6 R7 R8 R9 / one line per row: label⇥R6⇥R7⇥R8⇥R9 /
    目指すべき効果・成果 / its lines / R6実績 / its lines

Text outside those tables (page headers, page numbers, the goal and contents pages) is read as plain
lines top to bottom. Pages without such tables come out as the plain text path sees them, so the
text path's reasoning still applies to them.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from plan_etl.errors import InputError
from plan_etl.extract.base import SourceDocument
from plan_etl.extract.text import lines_from_text

TAB = "\t"


def read_pdf_document(path: Path, workers: int | None = None) -> SourceDocument:
    """Extract a report PDF; InputError (one line) for an encrypted, corrupt, empty or scanned file."""
    raw = path.read_bytes()
    n_pages = _page_count(path)
    if n_pages == 0:
        raise InputError(f"{path}: the PDF has no pages")
    chunks = _chunks(n_pages, workers)
    if len(chunks) > 1:
        with ProcessPoolExecutor(max_workers=len(chunks)) as pool:
            parts = list(pool.map(_extract_pages, [str(path)] * len(chunks), chunks))
    else:
        parts = [_extract_pages(str(path), chunks[0])]
    pages = [page for part in parts for page in part]
    if not any(line.strip() for lines, _ in pages for line in lines):
        raise InputError(f"{path}: the PDF has no text layer (a scanned document?); OCR it first")
    text = "\n".join(line for lines, _ in pages for line in lines)
    return SourceDocument(
        lines=lines_from_text(text),
        source_file=path.name,
        source_sha256=hashlib.sha256(raw).hexdigest(),
        # fields need no reassembly only where the tables were read cell by cell
        ordered=any(tables for _, tables in pages),
    )


def default_workers() -> int:
    return os.cpu_count() or 1


def _chunks(n_pages: int, workers: int | None) -> list[list[int]]:
    """Contiguous page ranges, one per worker; a single range for small files or one worker."""
    w = max(1, min(workers if workers is not None else default_workers(), n_pages // 8 or 1))
    size = -(-n_pages // w)
    return [list(range(i, min(i + size, n_pages))) for i in range(0, n_pages, size)]


def _open(path: Path | str):  # -> pdfplumber.PDF
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException

    try:
        return pdfplumber.open(path)
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise InputError(f"{path}: the PDF is encrypted; decrypt it first") from None
    except (PDFSyntaxError, PSException) as exc:
        raise InputError(f"{path}: not a readable PDF ({type(exc).__name__})") from None
    except Exception as exc:
        if "password" in str(exc).lower() or "encrypt" in str(exc).lower():
            raise InputError(f"{path}: the PDF is encrypted; decrypt it first") from None
        raise InputError(f"{path}: not a readable PDF ({type(exc).__name__}: {exc})") from None


def _page_count(path: Path) -> int:
    pdf = _open(path)
    try:
        return len(pdf.pages)
    except Exception as exc:
        raise InputError(f"{path}: not a readable PDF ({type(exc).__name__})") from None
    finally:
        pdf.close()


def _extract_pages(path: str, numbers: Sequence[int]) -> list[tuple[list[str], int]]:
    """Lines of the given pages (0-based numbers) and how many initiative tables each had; run in
    a worker process for large files."""
    pdf = _open(path)
    try:
        return [page_lines(pdf.pages[i]) for i in numbers]
    except InputError:
        raise
    except Exception as exc:
        raise InputError(f"{path}: not a readable PDF ({type(exc).__name__}: {exc})") from None
    finally:
        pdf.close()


def page_lines(page) -> tuple[list[str], int]:  # page: pdfplumber.page.Page
    """One page as lines (text above the tables, each initiative table, then the text below) and
    the number of initiative tables read."""
    tables = sorted(
        (t for t in page.find_tables() if _is_initiative_table(t)), key=lambda t: (t.bbox[0], t.bbox[1])
    )
    if not tables:
        return _plain_lines(page), 0
    boxes = [t.bbox for t in tables]

    def outside(obj: dict) -> bool:
        x = (obj["x0"] + obj["x1"]) / 2
        y = (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

    rest = page.filter(outside)
    top = min(b[1] for b in boxes)
    above = _plain_lines(rest.crop((0, 0, page.width, top))) if top > 0 else []
    below = _plain_lines(rest.crop((0, top, page.width, page.height)))
    out = above
    for t in tables:
        rows = t.extract()
        # the header bar spans the table: read it as the line(s) of text inside its row, since the
        # table finder may cut it at the column lines of the rows below
        bar = page.crop(t.rows[0].bbox).extract_text() or ""
        rows[0] = ["".join(bar.split("\n")), None, None, None, None]
        out.extend(table_lines(rows))
    return out + below, len(tables)


def _plain_lines(page) -> list[str]:
    text = page.extract_text() or ""
    return [line for line in text.split("\n") if line.strip()]


def _is_initiative_table(table) -> bool:
    rows = table.extract()
    return bool(rows) and bool(rows[0]) and _cell(rows[0][0]).startswith("項目")


def _cell(text: str | None) -> str:
    """A cell's text with its wrap breaks removed."""
    return "".join((text or "").split("\n")).strip()


def table_lines(rows: list[list[str | None]]) -> list[str]:
    """One initiative table's cells as lines in the order the text path expects (see module doc)."""
    out: list[str] = []
    header = ""
    in_schedule = False
    for row in rows:
        label = _cell(row[0])
        rest = [c for c in row[1:] if c is not None]
        if label.startswith("項目") and label != "項目":
            out.append(label)  # the header bar: 項目 {id} {title} 所管部 {departments}
            continue
        if label == "項目":
            item_id = _cell(rest[0]) if rest else ""
            header = f"項目 {item_id} {' '.join(_cell(c) for c in rest[1:])}".rstrip()
            continue
        if label == "所管部":
            out.append(f"{header} 所管部 {' '.join(_cell(c) for c in rest)}".rstrip())
            header = ""
            continue
        if header:
            out.append(header)
            header = ""
        if label == "年次別計画":
            out.append("年次別計画 " + " ".join(_cell(c) for c in rest))
            in_schedule = True
            continue
        closes = label == "目指すべき効果・成果" or _is_results(label)
        if in_schedule and len(row) >= 5 and not closes:
            out.append(TAB.join([label, *(_cell(c) for c in row[1:5])]))
            continue
        in_schedule = False
        out.append(label)
        for c in rest:
            out.extend(line for line in (c or "").split("\n") if line.strip())
    if header:
        out.append(header)
    return out


def _is_results(label: str) -> bool:
    from plan_etl.parsers.layout import is_results_label

    return is_results_label(label)
