"""The options the commands share, as typer annotations (one definition each), and `with_limits`,
which gives a command every limit of `plan_etl.limits` as an option."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from plan_etl.inputs import DEFAULT_INPUT
from plan_etl.limits import DEFAULT_LIMITS, Limits

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


MaxFileMb = Annotated[
    int,
    typer.Option(
        "--max-file-mb", min=0, help="Bytes read from one input file, in MiB.", rich_help_panel=_LIMIT
    ),
]


MaxStreamMb = Annotated[
    int,
    typer.Option(
        "--max-stream-mb",
        min=0,
        help="MiB one PDF stream may inflate to (checked as it inflates).",
        rich_help_panel=_LIMIT,
    ),
]


MaxPages = Annotated[
    int, typer.Option("--max-pages", min=0, help="Pages of one PDF.", rich_help_panel=_LIMIT)
]


MaxRules = Annotated[
    int, typer.Option("--max-rules", min=0, help="Ruling lines of one PDF page.", rich_help_panel=_LIMIT)
]


Timeout = Annotated[
    float,
    typer.Option(
        "--timeout",
        min=0,
        help="Seconds one file's parse may take (its worker is then killed).",
        rich_help_panel=_LIMIT,
    ),
]


MaxMemoryMb = Annotated[
    int,
    typer.Option(
        "--max-memory-mb",
        min=0,
        help="MiB of memory a worker may use (it is then killed).",
        rich_help_panel=_LIMIT,
    ),
]


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


MaxJsonMb = Annotated[
    int,
    typer.Option(
        "--max-json-mb",
        min=0,
        help="MiB of a report.json read back (validate, report, diff).",
        rich_help_panel=_LIMIT,
    ),
]


LIMIT_OPTIONS = {
    "max_file_mb": MaxFileMb,
    "max_stream_mb": MaxStreamMb,
    "max_pages": MaxPages,
    "max_rules": MaxRules,
    "timeout_s": Timeout,
    "max_memory_mb": MaxMemoryMb,
    "max_json_mb": MaxJsonMb,
}
"""Each field of Limits as a command-line option (limits.OPTIONS names them)."""


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
