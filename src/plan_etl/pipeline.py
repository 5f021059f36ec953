"""The pipeline from a report file to records: extract (lines or page objects and tables), then the
parsers (fields and records). What the API, a batch and a watched worker run; it imports nothing
above it (no writers, no API)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from plan_etl.errors import InputError
from plan_etl.limits import DEFAULT_LIMITS, Limits

# the records, the readers and the parsers are imported where they are used: a watched parse
# forks its worker first, which imports them while the caller imports its writers
if TYPE_CHECKING:
    from plan_etl.extract.base import SourceDocument
    from plan_etl.extract.pdf_layout import ReaderSettings
    from plan_etl.parsers.yearly_plan.cut_model import CutSettings
    from plan_etl.parsers.yearly_plan.review import Decision
    from plan_etl.schemas import Report


def parse_document(
    doc: SourceDocument, settings: CutSettings | None = None, reviewed: Sequence[Decision] = ()
) -> Report:
    """Parse an extracted document into a Report (pure: no I/O); InputError if it has no report
    structure. `settings` replaces the fitted schedule-cut weights (see
    plan_etl.parsers.yearly_plan.cut_model); `reviewed` are rows a review decided
    (`load_corrections`), applied in place of open ones."""
    from plan_etl.parsers.report import parse_lines

    report = parse_lines(doc, settings, reviewed)
    if not report.toc and not report.initiatives:
        raise InputError(f"{doc.source_file}: no report structure found (no item list, no initiative tables)")
    return report


def parse_report(
    path: str | Path,
    workers: int | None = None,
    engine: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    reader: ReaderSettings | None = None,
    reviewed: Sequence[Decision] = (),
) -> Report:
    """Read and parse one report file, PDF or text (told from its bytes), with the rows a review
    decided (`reviewed`, from `load_corrections`); `workers` processes
    extract a PDF's pages (default: one per core) with `engine` (pdfium, or pdfplumber) and the
    layout reader's tolerances `reader` (`ReaderSettings`, as pdfplumber's TableSettings). The
    file's size, streams, pages and rules are held to `limits` here (LimitError); its time and
    memory only in a watched worker (`parse_watched`)."""
    from plan_etl.extract import read_document

    return parse_document(read_document(Path(path), workers, engine, limits, reader), reviewed=reviewed)


def parse_watched(
    path: str | Path,
    workers: int | None = None,
    engine: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    meanwhile: Callable[[], None] | None = None,
    reviewed: Sequence[Decision] = (),
) -> Report:
    """`parse_report` in a worker process that is killed when it runs over `limits`' wall time or
    memory (supervise.py); InputError (one line) saying why it failed, WorkerCrash for a bug.
    `meanwhile()` runs here while the worker parses (e.g. `preload_writers`). The worker imports
    the parsers itself unless they are here already (`preload_parsers`, for many files)."""
    from plan_etl.supervise import run_one

    return run_one(
        str(path), parse_report, (path, workers, engine, limits, None, tuple(reviewed)), limits, meanwhile
    )


def preload_parsers() -> None:
    """Import the parsers here, before workers are forked, so that each worker starts with them
    (a batch would otherwise import them once per file)."""
    import plan_etl.extract.pdf
    import plan_etl.parsers.report  # noqa: F401
