"""A whole `parse` run, as the library decides it: the corrections applied, the output folder
locked, the report(s) parsed in watched workers, every format written as one set, and whether the
run is a complete report (the exit status). The command line only presents what comes back."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from plan_etl.limits import DEFAULT_LIMITS, Limits

if TYPE_CHECKING:
    from plan_etl.coverage import Coverage
    from plan_etl.dataset import DatasetOutcome
    from plan_etl.inputs import SameYear
    from plan_etl.schemas import Report

COMPLETE, INCOMPLETE = 0, 1
"""Exit statuses of a run: a complete report, or outputs written from a document that is not one."""


@contextmanager
def doing(what: str) -> Iterator[None]:
    """Tags an error raised in the block with what was being done (``cannot write out/``), so that
    whoever reports it can say so; an inner tag is kept."""
    try:
        yield
    except Exception as exc:
        if not hasattr(exc, "doing"):
            exc.doing = what  # type: ignore[attr-defined]
        raise


def is_dataset(inputs: Sequence[Path]) -> bool:
    """Several inputs, or a folder, make a dataset; one file (or none: the shipped report) a report."""
    return len(inputs) > 1 or (len(inputs) == 1 and inputs[0].is_dir())


@dataclass
class ParseRun:
    """What a single-report run did."""

    report: Report
    coverage: Coverage
    written: list[Path] = field(default_factory=list)
    review_file: Path | None = None
    """The corrections file applied, if any."""
    reviewed: int = 0
    """Rows a review decided."""
    stale_lock: int | None = None
    """The pid a lock file left behind named (a run that was killed), when the lock was taken over."""

    @property
    def problems(self) -> list[str]:
        """Why the document is not a complete report (none: it is)."""
        from plan_etl.coverage import incomplete

        return incomplete(self.report, self.coverage)

    def exit_code(self, allow_incomplete: bool = False) -> int:
        return INCOMPLETE if self.problems and not allow_incomplete else COMPLETE


def run_parse(
    path: Path,
    out_dir: Path | None,
    formats: Sequence[str],
    workers: int | None = None,
    engine: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    corrections: Path | None = None,
    use_corrections: bool = True,
    raw_csv: bool = False,
    watch: bool = True,
    meanwhile: Callable[[], None] | None = None,
) -> ParseRun:
    """Parse one report and write it to `out_dir` as one set (None: nothing written, the caller
    prints the report). The corrections file is `corrections`, else the input's own beside it when
    there is one. `watch`: parse in a worker held to the limits' time and memory (off, errors keep
    their traceback: --debug). Errors carry what was being done (`doing`). `meanwhile()`: the
    caller's own work, done while the worker parses (a presenter's imports)."""
    # nothing heavy before the worker is forked: it imports the parsers and the records while this
    # process imports the writers (`meanwhile`)
    from plan_etl.inputs import corrections_path
    from plan_etl.pipeline import parse_report, parse_watched
    from plan_etl.writers.output_set import output_lock

    started = datetime.now(UTC)
    review_file = corrections if corrections is not None else corrections_path(path)
    reviewed = []
    if use_corrections and (corrections is not None or review_file.is_file()):
        from plan_etl.corrections import load_corrections

        with doing(f"cannot apply {review_file}"):
            reviewed = load_corrections(review_file)
    stale = None
    with ExitStack() as held:
        if out_dir is not None:
            with doing(f"cannot write {out_dir}"):
                stale = held.enter_context(output_lock(out_dir))  # one run at a time: a second stops at once
        with doing(f"cannot parse {path}"):
            if watch:
                report = parse_watched(
                    path,
                    workers,
                    engine,
                    limits,
                    meanwhile=lambda: _prepare_to_write(formats, meanwhile),
                    reviewed=reviewed,
                )
            else:
                report = parse_report(path, workers, engine, limits, reviewed=reviewed)
        from plan_etl.api import write_outputs
        from plan_etl.coverage import coverage

        written: list[Path] = []
        if out_dir is not None:
            with doing(f"cannot write {out_dir}"):
                written = write_outputs(report, out_dir, formats, raw_csv=raw_csv, started=started)
    decided = sum(r.resolved_by == "review" for i in report.initiatives for r in i.schedule)
    return ParseRun(report, coverage(report), written, review_file if reviewed else None, decided, stale)


def _prepare_to_write(formats: Sequence[str], meanwhile: Callable[[], None] | None) -> None:
    """What writing needs, imported while a worker parses: the records (to receive the report),
    the API and each format's writer; then the caller's own `meanwhile`."""
    from plan_etl.api import preload_writers
    from plan_etl.coverage import coverage  # noqa: F401

    preload_writers(formats)
    if meanwhile is not None:
        meanwhile()


@dataclass
class DatasetRun:
    """What a dataset run did: the outcome (editions kept, copies, failures) and where it went."""

    outcome: DatasetOutcome
    out_dir: Path
    stale_lock: int | None = None

    def exit_code(self, allow_incomplete: bool = False) -> int:
        code = self.outcome.exit_code
        return COMPLETE if code == INCOMPLETE and allow_incomplete else code


def run_dataset(
    inputs: Sequence[Path],
    out_dir: Path,
    formats: Sequence[str],
    workers: int | None = None,
    engine: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    same_year: SameYear = "error",
    use_corrections: bool = True,
    raw_csv: bool = False,
    on_parsed: Callable[[Path], None] | None = None,
) -> DatasetRun:
    """Parse every input into one dataset at `out_dir` (locked for the run; `workers` files at a
    time, default one per core) and write the editions kept in the chosen formats. Errors carry what
    was being done (`doing`)."""
    import os

    from plan_etl.api import parse_dataset, write_outputs
    from plan_etl.writers.output_set import output_lock

    started = datetime.now(UTC)
    with ExitStack() as held:
        with doing(f"cannot write {out_dir}"):
            stale = held.enter_context(output_lock(out_dir))
        with doing("cannot parse"):
            outcome = parse_dataset(
                inputs,
                workers or os.cpu_count() or 1,
                engine,
                limits,
                same_year,
                on_parsed=on_parsed,
                corrections=use_corrections,
            )
        if outcome.editions:
            with doing(f"cannot write {out_dir}"):
                write_outputs(outcome, out_dir, formats, raw_csv, started)
    return DatasetRun(outcome, out_dir, stale)


def report_page(path: Path, limits: Limits = DEFAULT_LIMITS) -> tuple[Report, str]:
    """The one-page HTML report of a report file or report.json: the records read (in a watched
    worker), checked by validate, rendered."""
    from plan_etl.api import load_report
    from plan_etl.html_report import render_html
    from plan_etl.validate import validate

    report = load_report(path, limits)
    return report, render_html(report, validate(report))


def review_material(
    path: Path, corrections: Path | None, every_row: bool, engine: str | None, limits: Limits = DEFAULT_LIMITS
) -> tuple[Path, list, list]:
    """What a review works on: the corrections file (`corrections`, else the input's own), the
    decisions already in it, and the tables with open rows (every table with `every_row`)."""
    from plan_etl.api import review_tables
    from plan_etl.corrections import corrections_path, load_corrections

    file = corrections if corrections is not None else corrections_path(path)
    with doing(f"cannot read {file}"):
        decisions = load_corrections(file) if file.is_file() else []
    tables = review_tables(path, engine=engine, limits=limits)
    if not every_row:
        tables = [t for t in tables if any(not r.resolved for r in t.rows)]
    return file, decisions, tables
