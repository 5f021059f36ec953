"""`plan-etl` command line: a thin layer over plan_etl.api that parses options, calls the library
and prints (`cli.show`); the options the commands share are defined once in `cli.options`.

Exit codes: 0 ok, 1 the document is not a complete report (outputs written), 2 unusable input or output,
3 internal error (a bug in plan-etl, not the user's file).
Heavy modules (pydantic models, pyarrow) are imported inside the command so `--help` starts fast.
"""

from __future__ import annotations

from pathlib import Path

import typer

from plan_etl.cli import options as o
from plan_etl.cli.app import _check_engine, app, outcome, parse_formats, resolve_input, run
from plan_etl.cli.show import (
    _emit,
    _error_line,
    _errors_as_exit,
    _fail,
    _print_changes,
    _print_dataset,
    _print_explanation,
    _print_parse_run,
    _print_problems,
    _progress,
    plain,
    prepare_summary,
)
from plan_etl.inputs import DATASET_OUT, default_out_dir, default_page
from plan_etl.limits import DEFAULT_LIMITS, Limits

__all__ = ["app", "outcome", "plain", "run"]


@app.command()
@o.with_limits
def parse(
    inputs: o.ParseInputs = None,
    out_dir: o.ParseOutDir = None,
    formats: o.ParseFormats = o.FORMAT_SPEC,
    workers: o.ParseWorkers = None,
    pdf_engine: o.ParsePdfEngine = "pdfium",
    raw_csv: o.RawCsv = False,
    corrections: o.ParseCorrections = None,
    no_corrections: o.ParseNoCorrections = False,
    same_year: o.ParseSameYear = "error",
    allow_incomplete: o.ParseAllowIncomplete = False,
    debug: o.Debug = False,
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
    from plan_etl import runs
    from plan_etl.inputs import SAME_YEAR

    wanted = parse_formats(formats)
    _check_engine(pdf_engine)
    if same_year not in SAME_YEAR:
        _fail(f"--same-year {same_year!r}: choose one of {', '.join(SAME_YEAR)}")
    given = list(inputs or [])
    to_stdout = out_dir is not None and str(out_dir) == "-"
    if runs.is_dataset(given):
        if to_stdout:
            _fail("-o - writes one report.json to standard output: give one INPUT")
        out = out_dir if out_dir is not None else DATASET_OUT
        with _progress(given) as advance, _errors_as_exit("cannot parse", False):
            ran = runs.run_dataset(
                given, out, wanted, workers, pdf_engine, limits, same_year,  # type: ignore[arg-type]
                not no_corrections, raw_csv, on_parsed=advance,
            )  # fmt: skip
        _print_dataset(ran)
        if ran.exit_code(allow_incomplete):
            raise typer.Exit(ran.exit_code(allow_incomplete))
        return
    path, base = resolve_input(given[0] if given else None)
    if to_stdout and wanted != ["json"]:
        _fail("-o - writes report.json to standard output: add -f json (other formats need a folder)")
    out = None if to_stdout else out_dir if out_dir is not None else default_out_dir(base, path)
    with _errors_as_exit(f"cannot parse {path}", debug):
        run = runs.run_parse(
            path, out, wanted, workers, pdf_engine, limits, corrections, not no_corrections, raw_csv,
            watch=not debug, meanwhile=prepare_summary,
        )  # fmt: skip
    _print_parse_run(run, out)
    if run.exit_code(allow_incomplete):
        _fail("not a complete report: " + "; ".join(run.problems), runs.INCOMPLETE)


@app.command()
@o.with_limits
def diff(
    old: o.DiffOld,
    new: o.DiffNew,
    as_json: o.DiffAsJson = False,
    as_csv: o.DiffAsCsv = False,
    raw_csv: o.RawCsv = False,
    debug: o.Debug = False,
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
@o.with_limits
def validate(
    input_file: o.ReportOrJson = None,
    output_format: o.ValidateOutputFormat = "text",
    as_json: o.ValidateAsJson = False,
    output: o.OutputFile = None,
    strict: o.ValidateStrict = False,
    source: o.ValidateSource = None,
    debug: o.Debug = False,
    limits: Limits = DEFAULT_LIMITS,
) -> None:
    """Check that a parse lost nothing: exit 0 valid, 1 on an error (a warning too with --strict),
    2 when the input cannot be read (a machine format still prints its document). A report.json's
    lost lines are counted afresh against its source when it is found."""
    from plan_etl import api
    from plan_etl.ci_formats import FORMATS
    from plan_etl.validate import unreadable

    fmt = o.validate_format(output_format, as_json, output)
    to_file = output is not None and str(output) != "-"

    def emit(document: str) -> None:
        _emit(document, output if to_file else None, debug)

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
@o.with_limits
def explain(
    item: o.ExplainItem,
    input_file: o.ReportInput = None,
    as_json: o.ExplainAsJson = False,
    pdf: o.ExplainPdf = None,
    picture: o.ExplainPicture = None,
    pdf_engine: o.PdfEngine = "pdfium",
    debug: o.Debug = False,
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
@o.with_limits
def review(
    input_file: o.ReportInput = None,
    listing: o.ReviewListing = False,
    every_row: o.ReviewEveryRow = False,
    as_json: o.ReviewAsJson = False,
    corrections: o.ReviewCorrections = None,
    pdf_engine: o.PdfEngine = "pdfium",
    debug: o.Debug = False,
    limits: Limits = DEFAULT_LIMITS,
) -> None:
    """Finish the 年次別計画 rows the parser left open: one at a time, take a candidate cut or assign
    the table's fragments to label and cells by number; each decision is saved to the corrections
    file as it is made, and `plan-etl parse` applies it. --list prints the open rows instead."""
    from rich.console import Console

    from plan_etl import runs
    from plan_etl.parsers.yearly_plan.review import review_view
    from plan_etl.review_session import list_text, run_review
    from plan_etl.schemas.review import ReviewList

    _check_engine(pdf_engine)
    if as_json and not listing:
        _fail("--json goes with --list")
    path, _ = resolve_input(input_file)
    with _errors_as_exit(f"cannot read {path}", debug):
        file, decisions, tables = runs.review_material(path, corrections, every_row, pdf_engine, limits)
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
    dictionary: o.SchemaDictionary = False,
    review_list: o.SchemaReviewList = False,
) -> None:
    """Print the JSON Schema of the report document (or the tables' data dictionary, or the review
    list's schema)."""
    from plan_etl.dictionary import data_dictionary, json_schema_text, review_schema_text

    text = data_dictionary() if dictionary else review_schema_text() if review_list else json_schema_text()
    typer.echo(text, nl=False)


@app.command("report")
@o.with_limits
def html_report(
    input_file: o.ReportOrJson = None,
    output: o.OutputFile = None,
    debug: o.Debug = False,
    limits: Limits = DEFAULT_LIMITS,
) -> None:
    """Write a one-page, self-contained HTML report: budgets and hours per goal, items per goal and
    department, a schedule heat map by phase, and the validation summary."""
    from plan_etl import runs

    path, base = resolve_input(input_file)
    with _errors_as_exit(f"cannot read {path}", debug):
        report, page = runs.report_page(path, limits)
    if output is not None and str(output) == "-":
        typer.echo(page, nl=False)
        return
    output = output if output is not None else default_page(base, path)
    _emit(page, output, debug)
    typer.echo(f"wrote {plain(output)} ({len(report.initiatives)} initiative records)")
