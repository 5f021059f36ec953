"""The options the commands share, as typer annotations (one definition each), and `with_limits`,
which gives a command every limit of `plan_etl.limits` as an option."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from plan_etl.cli.show import _fail
from plan_etl.inputs import DEFAULT_INPUT
from plan_etl.limits import DEFAULT_LIMITS, OPTIONS, Limits
from plan_etl.writers import DEFAULT_FORMATS

Debug = Annotated[
    bool, typer.Option("--debug", metavar="", help="Show the traceback of an unexpected error.")
]


ReportInput = Annotated[
    Path | None,
    typer.Argument(
        metavar="INPUT", show_default=False, help=f"A report, PDF or text (default: {DEFAULT_INPUT})"
    ),
]


_LIMIT = "Limits (0: none)"


LIMIT_HELP = {
    "max_file_mb": "Bytes read from one input file, in MiB.",
    "max_stream_mb": "MiB one PDF stream may inflate to (checked as it inflates).",
    "max_pages": "Pages of one PDF.",
    "max_rules": "Ruling lines of one PDF page.",
    "timeout_s": "Seconds reading one input may take (its worker is then killed).",
    "max_memory_mb": "MiB of memory a worker may use (it is then killed).",
    "max_json_mb": "MiB of a report.json read back (validate, report, diff).",
}
"""The help of each limit's option."""

LIMIT_OPTIONS = {
    name: Annotated[
        type(getattr(DEFAULT_LIMITS, name)),
        typer.Option(option, min=0, help=LIMIT_HELP[name], rich_help_panel=_LIMIT),
    ]
    for name, option in OPTIONS.items()
}
"""Each field of Limits as a command-line option, named as `plan_etl.limits.OPTIONS` names it."""


OutputFile = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        show_default=False,
        help="The file to write, - for standard output (validate: its --format document, default "
        "standard output; report: the page, default data/out/<INPUT stem>.html)",
    ),
]


def with_limits(fn: Callable[..., None]) -> Callable[..., None]:
    """Gives a command every limit as an option (each default from DEFAULT_LIMITS) and hands them
    to it as one `limits: Limits` argument: every command that opens an input is held to the same
    limits, and each can be raised there."""
    import functools
    import inspect

    sig = inspect.signature(fn, eval_str=True)  # typer reads the signature as given
    kept = [p for p in sig.parameters.values() if p.name != "limits"]
    added = [
        inspect.Parameter(
            name, inspect.Parameter.KEYWORD_ONLY, default=getattr(DEFAULT_LIMITS, name), annotation=kind
        )
        for name, kind in LIMIT_OPTIONS.items()
    ]

    @functools.wraps(fn)
    def command(*args: object, **kwargs: object) -> None:
        limits = Limits(**{name: kwargs.pop(name) for name in LIMIT_OPTIONS})  # type: ignore[arg-type]
        fn(*args, limits=limits, **kwargs)

    command.__signature__ = sig.replace(parameters=kept + added)  # type: ignore[attr-defined]
    return command


RawCsv = Annotated[
    bool,
    typer.Option(
        "--raw-csv",
        metavar="",
        help="Write CSV text as it is (by default a cell opening with = + - @ tab or CR gets a leading ' "
        "so a spreadsheet does not run it as a formula).",
    ),
]


ReportOrJson = Annotated[
    Path | None,
    typer.Argument(
        metavar="INPUT",
        show_default=False,
        help=f"A report (PDF or text), or a report.json a parse wrote (default: {DEFAULT_INPUT})",
    ),
]


FORMAT_SPEC = ",".join(DEFAULT_FORMATS)
"""The formats a parse writes unless --format says otherwise."""

# --- each command's own options ------------------------------------------------------------------

ParseInputs = Annotated[
    list[Path] | None,
    typer.Argument(
        metavar="INPUT...",
        show_default=False,
        help=f"Report(s) as PDF or UTF-8 text, or folders of them (default: {DEFAULT_INPUT})",
    ),
]
ParseOutDir = Annotated[
    Path | None,
    typer.Option(
        "--out-dir",
        "-o",
        show_default=False,
        help="Output directory (default: data/out/<INPUT stem>/, or data/out/dataset/ for several)",
    ),
]
ParseFormats = Annotated[
    str,
    typer.Option("--format", "-f", help="Comma-separated: json, parquet, duckdb, csv, jsonl, xlsx, or all"),
]
ParseWorkers = Annotated[
    int | None,
    typer.Option(
        "--workers",
        "-w",
        min=1,
        show_default=False,
        help="Processes (PDF pages, or files; default: cores)",
    ),
]
ParsePdfEngine = Annotated[
    str,
    typer.Option("--pdf-engine", help="What reads a PDF's characters and rules: pdfium (fast) or pdfplumber"),
]
ParseCorrections = Annotated[
    Path | None,
    typer.Option(
        "--corrections",
        show_default=False,
        help="Decisions of a review to apply (default: INPUT's NAME.corrections.toml beside it, "
        "if there is one; several inputs: each one's own)",
    ),
]
ParseNoCorrections = Annotated[
    bool,
    typer.Option(
        "--no-corrections", metavar="", help="Apply no corrections file: the parser's reading alone."
    ),
]
ParseSameYear = Annotated[
    str,
    typer.Option(
        "--same-year",
        help="Several files of one report year: error (name both, write neither), or keep the "
        "first or the last in the order given.",
    ),
]
ParseAllowIncomplete = Annotated[
    bool,
    typer.Option(
        "--allow-incomplete",
        metavar="",
        help="Exit 0 even when the document is not a complete report (no item list, an item "
        "without a record, a record not in the list, lost lines); the outputs are written either way.",
    ),
]
DiffOld = Annotated[Path, typer.Argument(help="The earlier edition: a report (PDF/text) or its report.json")]
DiffNew = Annotated[Path, typer.Argument(help="The later edition: a report (PDF/text) or its report.json")]
DiffAsJson = Annotated[bool, typer.Option("--json", metavar="", help="Print the changes as JSON.")]
DiffAsCsv = Annotated[
    bool, typer.Option("--csv", metavar="", help="Print the changes as CSV (UTF-8 with BOM).")
]
ValidateOutputFormat = Annotated[
    str,
    typer.Option(
        "--format",
        help="text (a table), json, junit (JUnit XML), github (workflow annotations) or gitlab "
        "(Code Quality JSON)",
    ),
]
ValidateAsJson = Annotated[bool, typer.Option("--json", metavar="", help="The same as --format json.")]
ValidateStrict = Annotated[bool, typer.Option("--strict", metavar="", help="Warnings fail too (exit 1).")]
ValidateSource = Annotated[
    Path | None,
    typer.Option(
        "--source",
        show_default=False,
        help="The report a report.json was parsed from, to count lost lines against (default: "
        "the file of its name beside report.json or in data/raw/)",
    ),
]
ExplainItem = Annotated[str, typer.Argument(help="The table's item id: 1-5, 5-13① or 5-13#1")]
ExplainAsJson = Annotated[bool, typer.Option("--json", metavar="", help="Print the explanation as JSON.")]
ExplainPdf = Annotated[
    Path | None,
    typer.Option("--pdf", show_default=False, help="Draw ITEM's page of this PDF with the regions read"),
]
ExplainPicture = Annotated[
    Path | None,
    typer.Option("--output", "-o", show_default=False, help="The picture's path (default: ITEM.png)"),
]
PdfEngine = Annotated[str, typer.Option("--pdf-engine", help="pdfium or pdfplumber")]
ReviewListing = Annotated[
    bool, typer.Option("--list", metavar="", help="Print the open rows; decide nothing.")
]
ReviewEveryRow = Annotated[
    bool,
    typer.Option("--all", metavar="", help="Stated rows too (to correct one the parser stated wrongly)."),
]
ReviewAsJson = Annotated[
    bool, typer.Option("--json", metavar="", help="With --list: as JSON (schemas/review.schema.json).")
]
ReviewCorrections = Annotated[
    Path | None,
    typer.Option(
        "--corrections",
        show_default=False,
        help="The decisions file (default: NAME.corrections.toml beside INPUT)",
    ),
]
SchemaDictionary = Annotated[
    bool, typer.Option("--dictionary", metavar="", help="Print the data dictionary (Markdown) instead.")
]
SchemaReviewList = Annotated[
    bool, typer.Option("--review", metavar="", help="Print the schema of `review --list --json` instead.")
]


def validate_format(output_format: str, as_json: bool, output: Path | None) -> str:
    """validate's --format (--json its shorthand), checked against --output; exit 2 when they clash."""
    from plan_etl.ci_formats import FORMATS

    if as_json and output_format not in ("text", "json"):
        _fail(f"--json and --format {output_format}: choose one")
    fmt = "json" if as_json else output_format
    if fmt != "text" and fmt not in FORMATS:
        _fail(f"--format {fmt!r}: choose one of text, {', '.join(FORMATS)}")
    if output is not None and str(output) != "-" and fmt == "text":
        _fail("--output writes a machine format: add --format json, junit, github or gitlab")
    return fmt
