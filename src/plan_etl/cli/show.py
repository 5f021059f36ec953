"""What the commands print: text made safe for a terminal, one-line errors and their exit codes,
and the summaries of a parse, a diff, a validation and an explanation. The library decides; this
module only presents."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import typer

from plan_etl.errors import INTERNAL_EXIT

if TYPE_CHECKING:
    from rich.text import Text

    from plan_etl.coverage import Coverage
    from plan_etl.runs import DatasetRun, ParseRun
    from plan_etl.schemas import Report

_FORMAT = (*range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2060, 0x2070), 0xFEFF, 0x061C)
"""Invisible format characters: zero-width, bidirectional embeddings and overrides (U+202E turns
what follows backwards), isolates, the BOM."""


_CONTROL = str.maketrans(
    {
        **{c: f"\\x{c:02x}" for c in (*range(0x00, 0x20), *range(0x7F, 0xA0)) if c not in (0x09, 0x0A)},
        **{c: f"\\u{c:04x}" for c in _FORMAT},
    }
)
"""Control characters (an ESC that starts a terminal sequence, a CR that overwrites a line, C1
codes) and invisible format characters (a right-to-left override) as visible escapes; tab and
newline stay."""


def plain(value: object) -> str:
    """Report text or a path as it may be printed on a terminal: control characters escaped."""
    return str(value).translate(_CONTROL)


def shown(value: object, style: str | None = None) -> Text:
    """Report text or a path for rich: printed as text, never read as markup (`[/]` in a title is
    text), control characters escaped."""
    from rich.text import Text

    return Text(plain(value), style=style or "")


def _notice_stale_lock(pid: int | None, out: Path) -> None:
    """One line on stderr when the lock of `out` was left by a run that is gone (and taken over)."""
    if pid is not None:
        typer.echo(
            f"plan-etl: note: took over the lock on {plain(out)} left by pid {pid}, a run that was stopped",
            err=True,
        )


def _fail(message: str, code: int = 2) -> NoReturn:
    """One line on stderr, then exit (no traceback)."""
    typer.echo(f"plan-etl: error: {plain(' '.join(message.splitlines()))}", err=True)
    raise typer.Exit(code)


@contextmanager
def _errors_as_exit(what: str, debug: bool) -> Iterator[None]:
    """Turn errors raised in the block into a one-line message and exit 2 (re-raise with --debug)."""
    from plan_etl.errors import InputError, OutputError, WorkerCrash

    try:
        yield
    except (InputError, OutputError, OSError) as exc:
        _fail(_error_line(getattr(exc, "doing", what), exc))
    except WorkerCrash as exc:
        _fail(_error_line(getattr(exc, "doing", what), exc), INTERNAL_EXIT)
    except Exception as exc:
        if debug:
            raise
        _fail(_error_line(getattr(exc, "doing", what), exc), INTERNAL_EXIT)


def _error_line(what: str, exc: Exception) -> str:
    """The one line an error is told in (`what` says what was being done)."""
    from plan_etl.errors import InputError, OutputError, WorkerCrash

    if isinstance(exc, InputError):
        return str(exc)
    if isinstance(exc, OutputError | OSError):
        return f"{what}: {exc}"
    if isinstance(exc, WorkerCrash):
        return f"internal error: {exc} ({BUG})"
    return f"internal error: {what}: {type(exc).__name__}: {exc} ({BUG})"


BUG = "a bug in plan-etl, not a problem with your file: rerun with --debug for the traceback and report it"


def prepare_summary() -> None:
    """Import what the summary prints with (rich), while a worker parses."""
    import rich.console
    import rich.table
    import rich.text  # noqa: F401


def _print_summary(report: Report, cov: Coverage, written: list[Path], out_dir: Path) -> None:
    """Items per goal (toc vs parsed), warnings, coverage gaps, files written."""
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False, soft_wrap=True)  # a message is one line, whatever the width
    title = shown(f"{report.document.title} ({report.document.source_file})")
    table = Table(title=title, title_justify="left")
    for name in ("goal", "toc items", "parsed items", "records"):
        table.add_column(name, justify="right")
    for g in cov.goals:
        style = "red" if g.parsed_items < g.toc_items else None
        table.add_row(str(g.goal), str(g.toc_items), str(g.parsed_items), str(g.records), style=style)
    table.add_row(
        "all",
        str(sum(g.toc_items for g in cov.goals)),
        str(sum(g.parsed_items for g in cov.goals)),
        str(len(report.initiatives)),
        style="bold",
    )
    console.print(table)
    from plan_etl.schemas import IssueCode  # loaded with the report already

    for w in report.warnings:
        if w.code == IssueCode.repeated_report:  # the whole file repeats: say so before anything else
            console.print(shown(f"note: {w.message}", "yellow"))
    console.print(shown(f"warnings: {len(report.warnings)}"))
    for w in report.warnings[:5]:
        where = f" {w.item_id}" if w.item_id else ""
        console.print(shown(f"  {w.level} {w.code}{where}: {w.message}"))
    if len(report.warnings) > 5:
        console.print(shown(f"  ... {len(report.warnings) - 5} more in report.json"))
    if cov.extra:
        console.print(shown(f"records not in the item list: {', '.join(cov.extra)}"))
    if cov.missing:
        console.print(shown(f"items with no initiative record: {', '.join(cov.missing)}", "red"))
    console.print(shown(f"wrote {len(written)} file(s) to {out_dir}"))


def _print_changes(changes: list, before: Report, after: Report) -> None:
    from rich.console import Console
    from rich.table import Table

    from plan_etl.schemas.records import record_id

    console = Console(highlight=False)
    title = f"{before.document.source_file} -> {after.document.source_file}"
    table = Table(title=shown(title), title_justify="left")
    for name in ("item", "change", "field", "year", "old -> new"):
        table.add_column(name, no_wrap=name in ("item", "change", "year"))
    for c in changes:
        item = record_id(c.item_id, c.part)
        what = c.detail if c.change == "text" else f"{c.old or ''} -> {c.new or ''}"
        table.add_row(*(shown(v) for v in (item, c.change, c.field or "", c.year or "", what)))
    console.print(table)
    console.print(shown(f"{len(changes)} change(s)"))


def _print_problems(problems: list, source: str) -> None:
    """A rich table naming each problem with its item id, then the counts."""
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False)
    if problems:
        table = Table(title=shown(f"validate {source}"), title_justify="left")
        table.add_column("level")
        table.add_column("code", no_wrap=True)
        table.add_column("item", no_wrap=True)
        table.add_column("problem", ratio=3)
        table.add_column("lines", ratio=1)
        for p in problems:
            lines = ", ".join(map(str, p.lines[:6])) + (" …" if len(p.lines) > 6 else "")
            style = "red" if p.level == "error" else "yellow"
            cells = (p.level, p.code, p.item_id or "", p.message, lines)
            table.add_row(*(shown(v) for v in cells), style=style)
        console.print(table)
    errors = sum(p.level == "error" for p in problems)
    warnings = len(problems) - errors
    verdict = "valid" if not errors else "NOT valid"
    console.print(shown(f"{verdict}: {errors} error(s), {warnings} warning(s)"))


def _print_explanation(views: list) -> None:
    """Fragments, then each row's chosen cut against the runner-up; report text printed as text."""
    from rich.console import Console
    from rich.table import Table

    from plan_etl.schemas.records import record_id

    console = Console(highlight=False)
    for v in views:
        name = record_id(v.item_id, v.part)
        frags = Table(title=shown(f"{name}: schedule fragments"), title_justify="left")
        for col in ("#", "line", "box", "text"):
            frags.add_column(col, justify="right" if col != "text" else "left")
        for k, f in enumerate(v.fragments):
            shared = "  (shared line)" if f.shared_line else ""
            frags.add_row(str(k), str(f.line), str(f.box), shown(f.text + shared))
        console.print(frags)
        for r in v.rows:
            state = "stated" if r.resolved else "UNRESOLVED"
            conf = (
                ""
                if r.confidence is None
                else f", confidence {r.confidence:.3f} (states at ≥ {v.min_confidence})"
            )
            console.print(shown(f"{r.label}: {state} by {r.method}{conf}"))
            if r.reason:
                console.print(shown(f"  why: {r.reason}"))
            for title, cut in (("chosen", r.chosen), ("runner-up", r.runner_up)):
                if cut is not None:
                    cells = " | ".join(f"{y} {c}" for y, c in cut.cells.items())
                    console.print(shown(f"  {title} (score {cut.score}): {cut.label} | {cells}"))
        if v.unplaced:
            console.print(shown("text that fits no row: " + " / ".join(v.unplaced)))


@contextmanager
def _progress(inputs: list[Path]) -> Iterator[Callable[[Path], None]]:
    """A progress bar over the files of `inputs` (folders expanded), gone when done; yields the
    callback each parsed file advances it by."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from plan_etl.batch import expand_inputs

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(highlight=False, soft_wrap=True), transient=True) as progress:
        task = progress.add_task("parsing", total=len(expand_inputs(inputs)) or None)
        yield lambda path: progress.advance(task)


def _print_parse_run(run: ParseRun, out: Path | None) -> None:
    """A single report's run: report.json itself to standard output (`out` None), else the lock it
    took over, the corrections applied and the summary."""
    if out is None:
        from plan_etl.writers.json import report_to_json

        typer.echo(report_to_json(run.report), nl=False)
        return
    _notice_stale_lock(run.stale_lock, out)
    if run.review_file is not None:
        typer.echo(f"corrections: {run.reviewed} row(s) decided by review, from {plain(run.review_file)}")
    _print_summary(run.report, run.coverage, run.written, out)


def _print_dataset(ran: DatasetRun) -> None:
    """Each edition kept (its year, records, warnings, why it is not a complete report), the copies
    and years dropped, the failures, and the dataset's count."""
    from rich.console import Console

    from plan_etl.writers.dataset import partition_name

    outcome, out = ran.outcome, ran.out_dir
    _notice_stale_lock(ran.stale_lock, out)
    console = Console(highlight=False, soft_wrap=True)  # a message is one line, whatever the width
    for e in outcome.editions:
        note = f"; not a complete report: {'; '.join(e.problems)}" if e.problems else ""
        console.print(
            shown(
                f"{e.path.name}: {partition_name(e.report)}, {len(e.report.initiatives)} records, "
                f"{len(e.report.warnings)} warnings{note}"
            )
        )
    for dropped, kept in outcome.copies:
        console.print(shown(f"{dropped}: the same file as {kept}; kept once", "yellow"))
    for dropped, kept in outcome.superseded:
        console.print(shown(f"{dropped}: the same year as {kept}; {kept.name} kept", "yellow"))
    for reason in dict.fromkeys(f.reason for f in outcome.failures):  # one line for files failed together
        console.print(shown(f"failed {reason}", "red"))
    written, failed = len(outcome.editions), len({f.path for f in outcome.failures})
    console.print(shown(f"dataset {out}: {written} report(s) written, {failed} failed"))


def _emit(document: str, output: Path | None, debug: bool) -> None:
    """`document` to standard output (`output` None) or written to `output` atomically."""
    if output is None:
        typer.echo(document, nl=False)
        return
    from plan_etl.writers.atomic import atomic_write

    with _errors_as_exit(f"cannot write {output}", debug):
        atomic_write(output, lambda tmp: tmp.write_text(document, encoding="utf-8"))
