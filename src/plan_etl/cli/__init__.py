"""`plan-etl` command line: a thin layer over plan_etl.api that parses options, calls the library
and prints (`cli.show`); the options the commands share are defined once in `cli.options`.

Exit codes: 0 ok, 1 the document is not a complete report (outputs written), 2 unusable input or output,
3 internal error (a bug in plan-etl, not the user's file).
Heavy modules (pydantic models, pyarrow) are imported inside the command so `--help` starts fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from plan_etl.cli.options import (
    FORMAT_SPEC,
    Debug,
    DiffAsCsv,
    DiffAsJson,
    DiffNew,
    DiffOld,
    ExplainAsJson,
    ExplainItem,
    ExplainPdf,
    ExplainPicture,
    OutputFile,
    ParseAllowIncomplete,
    ParseCorrections,
    ParseFormats,
    ParseInputs,
    ParseNoCorrections,
    ParseOutDir,
    ParsePdfEngine,
    ParseSameYear,
    ParseWorkers,
    PdfEngine,
    RawCsv,
    ReportInput,
    ReportOrJson,
    ReviewAsJson,
    ReviewCorrections,
    ReviewEveryRow,
    ReviewListing,
    SchemaDictionary,
    SchemaReviewList,
    ValidateAsJson,
    ValidateOutputFormat,
    ValidateSource,
    ValidateStrict,
    with_limits,
)
from plan_etl.cli.show import (
    BUG,
    _error_line,
    _errors_as_exit,
    _fail,
    _notice_stale_lock,
    _print_changes,
    _print_explanation,
    _print_problems,
    _print_summary,
    plain,
    shown,
)
from plan_etl.errors import INTERNAL_EXIT, InputError
from plan_etl.inputs import DATASET_OUT, default_out_dir
from plan_etl.inputs import resolve_input as _resolve_input
from plan_etl.limits import DEFAULT_LIMITS, Limits
from plan_etl.version import __version__
from plan_etl.writers import FORMATS

__all__ = ["app", "plain", "run"]


def resolve_input(given: Path | None) -> tuple[Path, Path]:
    """The input and its base directory (plan_etl.inputs); exit 2 when there is none."""
    try:
        return _resolve_input(given)
    except InputError as exc:
        _fail(str(exc))


def run() -> None:
    """The `plan-etl` entry point: the app, with any error not handled where it arose (a bug, or a
    bad value no check foresaw) as one line and exit 2 rather than a traceback; `--debug` shows it."""
    import sys

    try:
        code = app(prog_name="plan-etl", standalone_mode=False)
    except typer.Abort:
        print("plan-etl: aborted", file=sys.stderr)
        sys.exit(130)
    except typer.TyperException as exc:  # the command line's own errors (click's, inside typer)
        if type(exc).__name__ == "NoArgsIsHelpError":  # `plan-etl` alone: the help, as before
            exc.show()  # type: ignore[attr-defined]
            sys.exit(0)
        ctx = getattr(exc, "ctx", None)
        see = f" (see {ctx.command_path} --help)" if ctx is not None else ""
        message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        print(f"plan-etl: error: {plain(' '.join(message.splitlines()))}{see}", file=sys.stderr)
        sys.exit(getattr(exc, "exit_code", 2))
    except Exception as exc:
        if "--debug" in sys.argv[1:]:
            raise
        message = plain(" ".join(f"{type(exc).__name__}: {exc}".splitlines()))
        print(f"plan-etl: error: internal error: {message} ({BUG})", file=sys.stderr)
        sys.exit(INTERNAL_EXIT)
    sys.exit(code if isinstance(code, int) else 0)


app = typer.Typer(
    add_completion=True,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    help="Parse a Japanese municipal plan report into structured JSON and Parquet tables.",
)


def _check_engine(engine: str) -> None:
    """An unknown --pdf-engine is refused whatever the input (not only when a PDF is read)."""
    from plan_etl.extract.engines import ENGINES

    if engine not in ENGINES:
        _fail(f"--pdf-engine {engine!r}: choose one of {', '.join(ENGINES)}")


def parse_formats(spec: str) -> list[str]:
    """`json,parquet` -> ["json", "parquet"]; exit 2 on an unknown or empty list."""
    names = list(dict.fromkeys(f.strip().lower() for f in spec.split(",") if f.strip()))
    if "all" in names:
        return list(FORMATS)
    unknown = [n for n in names if n not in FORMATS]
    if unknown or not names:
        _fail(f"--format {spec!r}: choose one or more of {','.join(FORMATS)}, or all")
    return names


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"plan-etl {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_show_version, is_eager=True, metavar="", help="Show the version."
        ),
    ] = False,
) -> None:
    """Parse a Japanese municipal plan report into structured JSON and Parquet tables."""
    _exit_cleanly_on_sigterm()


def _exit_cleanly_on_sigterm() -> None:
    """SIGTERM (a killed job) raises SystemExit, so a write under way removes its temp file and
    the previous output stays in place."""
    import signal

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)


@app.command()
@with_limits
def parse(
    inputs: ParseInputs = None,
    out_dir: ParseOutDir = None,
    formats: ParseFormats = FORMAT_SPEC,
    workers: ParseWorkers = None,
    pdf_engine: ParsePdfEngine = "pdfium",
    raw_csv: RawCsv = False,
    corrections: ParseCorrections = None,
    no_corrections: ParseNoCorrections = False,
    same_year: ParseSameYear = "error",
    allow_incomplete: ParseAllowIncomplete = False,
    debug: Debug = False,
    limits: Limits = DEFAULT_LIMITS,
) -> None:
    """Parse INPUT; write report.json and <table>.parquet. Exit 1 (outputs written) when the document
    is not a complete report: no item list, an item without a record, a record not in the list, or
    source lines in no field; --allow-incomplete exits 0 then.

    Several inputs (or a folder) make one dataset, in the formats asked for: json/<year>.json per
    edition, <table>/report_year=<year>/part-0.parquet, csv/<year>/, jsonl/<year>/, xlsx/<year>.xlsx,
    one report.duckdb with report_year, and manifest.json; re-parsing an edition replaces only its
    files. Two files of one year are an error unless --same-year says which to keep. -o - prints
    report.json to standard output (one INPUT, -f json)."""
    import os
    import sys

    from plan_etl.dataset import SAME_YEAR

    wanted = parse_formats(formats)
    _check_engine(pdf_engine)
    if same_year not in SAME_YEAR:
        _fail(f"--same-year {same_year!r}: choose one of {', '.join(SAME_YEAR)}")
    given = list(inputs or [])
    if len(given) > 1 or (len(given) == 1 and given[0].is_dir()):
        options = {
            "workers": workers or os.cpu_count() or 1,
            "engine": pdf_engine,
            "limits": limits,
            "same_year": same_year,
            "raw_csv": raw_csv,
            "corrections": not no_corrections,
            "allow_incomplete": allow_incomplete,
        }
        if out_dir is not None and str(out_dir) == "-":
            _fail("-o - writes one report.json to standard output: give one INPUT")
        _parse_dataset(given, out_dir, wanted, options)
        return
    path, base = resolve_input(given[0] if given else None)
    to_stdout = out_dir is not None and str(out_dir) == "-"
    if to_stdout and wanted != ["json"]:
        _fail("-o - writes report.json to standard output: add -f json (other formats need a folder)")
    out = out_dir if out_dir is not None else default_out_dir(base, path)

    from contextlib import ExitStack
    from datetime import UTC, datetime

    from plan_etl import api
    from plan_etl.corrections import corrections_path, load_corrections
    from plan_etl.coverage import coverage, incomplete
    from plan_etl.writers.output_set import output_lock

    started = datetime.now(UTC)
    review_file = corrections if corrections is not None else corrections_path(path)
    reviewed = []
    if not no_corrections and (corrections is not None or review_file.is_file()):
        with _errors_as_exit(f"cannot apply {review_file}", debug):
            reviewed = load_corrections(review_file)
    with ExitStack() as run:
        if not to_stdout:
            with _errors_as_exit(f"cannot write {out}", debug):
                stale = run.enter_context(output_lock(out))  # one run at a time: a second stops at once
            _notice_stale_lock(stale, out)
        with _errors_as_exit(f"cannot parse {path}", debug):
            # --debug parses here, so that a bug's traceback is shown (time and memory unwatched)
            if debug:
                report = api.parse_report(path, workers, pdf_engine, limits, reviewed=reviewed)
            else:
                report = api.parse_watched(
                    path,
                    workers,
                    pdf_engine,
                    limits,
                    meanwhile=lambda: api.preload_writers(wanted),
                    reviewed=reviewed,
                )
        if to_stdout:
            from plan_etl.writers.json import report_to_json

            sys.stdout.write(report_to_json(report))
            sys.stdout.flush()
            problems = incomplete(report)
            if problems and not allow_incomplete:
                _fail("not a complete report: " + "; ".join(problems), 1)
            return
        with _errors_as_exit(f"cannot write {out}", debug):
            written = api.write_outputs(report, out, wanted, raw_csv=raw_csv, started=started)
    cov = coverage(report)
    if reviewed:
        done = sum(r.resolved_by == "review" for i in report.initiatives for r in i.schedule)
        from rich.console import Console

        Console(highlight=False, soft_wrap=True).print(
            f"corrections: {done} row(s) decided by review, from {review_file}"
        )
    _print_summary(report, cov, written, out)
    problems = incomplete(report, cov)
    if problems and not allow_incomplete:
        _fail("not a complete report: " + "; ".join(problems), 1)


def _parse_dataset(
    given: list[Path],
    out_dir: Path | None,
    formats: list[str],
    options: dict,
) -> None:
    """Parse every file (a progress bar) into one dataset (api.parse_dataset decides what is kept),
    write it in the chosen formats, show what happened, and exit with the outcome's status."""
    from contextlib import ExitStack
    from datetime import UTC, datetime

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from plan_etl import api
    from plan_etl.writers.dataset import partition_name
    from plan_etl.writers.output_set import output_lock

    out = out_dir if out_dir is not None else DATASET_OUT
    started = datetime.now(UTC)
    console = Console(highlight=False, soft_wrap=True)  # a message is one line, whatever the width
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with ExitStack() as run:
        with _errors_as_exit(f"cannot write {out}", False):
            stale = run.enter_context(output_lock(out))
        _notice_stale_lock(stale, out)
        with Progress(*columns, console=console, transient=True) as progress:
            from plan_etl.batch import expand_inputs

            task = progress.add_task("parsing", total=len(expand_inputs(given)) or None)
            with _errors_as_exit("cannot parse", False):
                outcome = api.parse_dataset(
                    given,
                    options["workers"],
                    options["engine"],
                    options["limits"],
                    options["same_year"],
                    on_parsed=lambda path: progress.advance(task),
                    corrections=options["corrections"],
                )
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
        if outcome.editions:
            with _errors_as_exit(f"cannot write {out}", False):
                api.write_outputs(outcome, out, formats, options["raw_csv"], started)
    written, failed = len(outcome.editions), len({f.path for f in outcome.failures})
    console.print(shown(f"dataset {out}: {written} report(s) written, {failed} failed"))
    if outcome.exit_code == 1 and options["allow_incomplete"]:
        return
    if outcome.exit_code:
        raise typer.Exit(outcome.exit_code)


@app.command()
@with_limits
def diff(
    old: DiffOld,
    new: DiffNew,
    as_json: DiffAsJson = False,
    as_csv: DiffAsCsv = False,
    raw_csv: RawCsv = False,
    debug: Debug = False,
    limits: Limits = DEFAULT_LIMITS,
) -> None:
    """What changed between two editions: items added/removed, titles, departments, schedule cells
    per year, text fields (with an inline diff). Exit 0 when nothing changed, 1 when something did
    (as diff(1) does), 2 on an unusable input."""
    import json
    import sys

    from plan_etl import api
    from plan_etl.diff import changes_csv, diff_reports

    if as_json and as_csv:
        _fail("--json and --csv: choose one output format")
    if raw_csv and not as_csv:
        _fail("--raw-csv applies to --csv output only")

    with _errors_as_exit(f"cannot read {old}", debug):
        before = api.load_report(old, limits)
    with _errors_as_exit(f"cannot read {new}", debug):
        after = api.load_report(new, limits)
    changes = diff_reports(before, after)
    if as_json:
        typer.echo(json.dumps([c.as_dict() for c in changes], ensure_ascii=False, indent=2))
    elif as_csv:
        sys.stdout.write(changes_csv(changes, raw_csv))
    else:
        _print_changes(changes, before, after)
    if changes:
        raise typer.Exit(1)


@app.command()
@with_limits
def validate(
    input_file: ReportOrJson = None,
    output_format: ValidateOutputFormat = "text",
    as_json: ValidateAsJson = False,
    output: OutputFile = None,
    strict: ValidateStrict = False,
    source: ValidateSource = None,
    debug: Debug = False,
    limits: Limits = DEFAULT_LIMITS,
) -> None:
    """Check that a parse lost nothing: exit 0 valid, 1 on an error (a warning too with --strict),
    2 when the input cannot be read (a machine format still prints its document). A report.json's
    lost lines are counted afresh against its source when it is found."""
    from plan_etl import api
    from plan_etl.ci_formats import FORMATS
    from plan_etl.validate import unreadable

    if as_json and output_format not in ("text", "json"):
        _fail(f"--json and --format {output_format}: choose one")
    fmt = "json" if as_json else output_format
    if fmt != "text" and fmt not in FORMATS:
        _fail(f"--format {fmt!r}: choose one of text, {', '.join(FORMATS)}")
    to_file = output is not None and str(output) != "-"
    if to_file and fmt == "text":
        _fail("--output writes a machine format: add --format json, junit, github or gitlab")

    def emit(document: str) -> None:
        if not to_file:
            typer.echo(document, nl=False)
            return
        from plan_etl.writers.atomic import atomic_write

        with _errors_as_exit(f"cannot write {output}", debug):
            atomic_write(output, lambda tmp: tmp.write_text(document, encoding="utf-8"))  # type: ignore[arg-type]

    path, _ = resolve_input(input_file)
    if fmt == "text" or debug:
        with _errors_as_exit(f"cannot read {path}", debug):
            decided = api.check_report(path, source, strict, limits)
    else:
        try:
            decided = api.check_report(path, source, strict, limits)
        except Exception as exc:
            message = _error_line(f"cannot read {path}", exc)
            emit(FORMATS[fmt](unreadable(str(path), message)))
            _fail(message)
    if fmt == "text":
        _print_problems(decided.problems, str(path))
    else:
        emit(FORMATS[fmt](decided))
    if decided.exit_code:
        raise typer.Exit(decided.exit_code)


@app.command()
@with_limits
def explain(
    item: ExplainItem,
    input_file: ReportInput = None,
    as_json: ExplainAsJson = False,
    pdf: ExplainPdf = None,
    picture: ExplainPicture = None,
    pdf_engine: PdfEngine = "pdfium",
    debug: Debug = False,
    limits: Limits = DEFAULT_LIMITS,
) -> None:
    """Show how table ITEM's 年次別計画 was read: its fragments (line, text box), each row's chosen
    cut with its score and confidence, the runner-up cut, and why a row was left unresolved. With
    --pdf, draw ITEM's page with the region read for each field and schedule cell (a PNG)."""
    import json

    from plan_etl import api

    _check_engine(pdf_engine)
    if pdf is None and picture is not None:
        _fail("--output names the picture of --pdf: add --pdf FILE")
    if pdf is not None:
        out = picture if picture is not None else Path(f"{item.replace('/', '_')}.png")
        with _errors_as_exit(f"cannot draw {item} from {pdf}", debug):
            written = api.draw_table_regions(pdf, item, out, pdf_engine, limits)
        typer.echo(f"wrote {plain(written)}")
        return
    path, _ = resolve_input(input_file)
    with _errors_as_exit(f"cannot read {path}", debug):
        views = api.explain_schedule(path, item, limits)
    if as_json:
        typer.echo(json.dumps([v.model_dump() for v in views], ensure_ascii=False, indent=2))
    else:
        _print_explanation(views)


@app.command()
@with_limits
def review(
    input_file: ReportInput = None,
    listing: ReviewListing = False,
    every_row: ReviewEveryRow = False,
    as_json: ReviewAsJson = False,
    corrections: ReviewCorrections = None,
    pdf_engine: PdfEngine = "pdfium",
    debug: Debug = False,
    limits: Limits = DEFAULT_LIMITS,
) -> None:
    """Finish the 年次別計画 rows the parser left open: one at a time, take a candidate cut or assign
    the table's fragments to label and cells by number; each decision is saved to the corrections
    file as it is made, and `plan-etl parse` applies it. --list prints the open rows instead."""
    from rich.console import Console

    _check_engine(pdf_engine)

    from plan_etl import api
    from plan_etl.corrections import corrections_path, load_corrections
    from plan_etl.parsers.yearly_plan.review import review_view
    from plan_etl.review_session import list_text, run_review
    from plan_etl.schemas.review import ReviewList

    if as_json and not listing:
        _fail("--json goes with --list")
    path, _ = resolve_input(input_file)
    file = corrections if corrections is not None else corrections_path(path)
    with _errors_as_exit(f"cannot read {path}", debug):
        decisions = load_corrections(file) if file.is_file() else []
        tables = api.review_tables(path, engine=pdf_engine, limits=limits)
    if not every_row:
        tables = [t for t in tables if any(not r.resolved for r in t.rows)]
    if as_json:
        views = ReviewList(
            source_file=path.name,
            corrections_file=str(file),
            tables=[review_view(t, decisions) for t in tables],
        )
        typer.echo(views.model_dump_json(indent=2))
        return
    console = Console(highlight=False, soft_wrap=True)
    if listing:
        list_text(tables, decisions, console)
        return
    with _errors_as_exit(f"cannot save to {file}", debug):
        made = run_review(tables, decisions, file, path.name, console, every_row=every_row)
    console.print(f"{made} decision(s) saved to {file}; `plan-etl parse {path}` applies them")


@app.command()
def schema(
    dictionary: SchemaDictionary = False,
    review_list: SchemaReviewList = False,
) -> None:
    """Print the JSON Schema of the report document (or the tables' data dictionary, or the review
    list's schema)."""
    from plan_etl.dictionary import data_dictionary, json_schema_text, review_schema_text

    text = data_dictionary() if dictionary else review_schema_text() if review_list else json_schema_text()
    typer.echo(text, nl=False)


@app.command("report")
@with_limits
def html_report(
    input_file: ReportOrJson = None,
    output: OutputFile = None,
    debug: Debug = False,
    limits: Limits = DEFAULT_LIMITS,
) -> None:
    """Write a one-page, self-contained HTML report: budgets and hours per goal, items per goal and
    department, a schedule heat map by phase, and the validation summary."""
    from plan_etl import api
    from plan_etl.html_report import render_html
    from plan_etl.validate import validate as run_checks
    from plan_etl.writers.atomic import atomic_write

    path, base = resolve_input(input_file)
    with _errors_as_exit(f"cannot read {path}", debug):
        report = api.load_report(path, limits)
    page = render_html(report, run_checks(report))
    if output is not None and str(output) == "-":
        typer.echo(page, nl=False)
        return
    if output is None:
        stem = path.stem if path.name != "report.json" else path.parent.name
        output = default_out_dir(base, Path(stem + ".txt")).with_suffix(".html")
    with _errors_as_exit(f"cannot write {output}", debug):
        atomic_write(output, lambda tmp: tmp.write_text(page, encoding="utf-8"))
    typer.echo(f"wrote {plain(output)} ({len(report.initiatives)} initiative records)")
