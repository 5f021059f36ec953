"""The `plan-etl` application: the typer app, its entry point (every error as one line and an
exit status), the --version flag and the SIGTERM handling. The commands register on `app` in
`plan_etl.cli`."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from plan_etl.cli.show import BUG, _fail, plain
from plan_etl.errors import INTERNAL_EXIT, InputError
from plan_etl.inputs import resolve_input as _resolve_input
from plan_etl.version import __version__
from plan_etl.writers import FORMATS


def resolve_input(given: Path | None) -> tuple[Path, Path]:
    """The input and its base directory (plan_etl.inputs); exit 2 when there is none."""
    try:
        return _resolve_input(given)
    except InputError as exc:
        _fail(str(exc))


def run() -> NoReturn:
    """The `plan-etl` entry point: `outcome()`, then exit with its status. Third-party pydantic
    plugins are not loaded (unless PYDANTIC_DISABLE_PLUGINS says otherwise): looking them up
    scans every installed package's entry points, a tenth of the records' import."""
    import os

    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    _leave(outcome())


def outcome() -> int:
    """Run the app on the command line; its exit status, with any error not handled where it arose
    (a bug, or a bad value no check foresaw) as one line and exit 2 rather than a traceback;
    `--debug` shows it."""
    import sys

    try:
        code = app(prog_name="plan-etl", standalone_mode=False)
    except typer.Abort:
        print("plan-etl: aborted", file=sys.stderr)
        return 130
    except typer.TyperException as exc:  # the command line's own errors (click's, inside typer)
        if type(exc).__name__ == "NoArgsIsHelpError":  # `plan-etl` alone: the help, as before
            exc.show()  # type: ignore[attr-defined]
            return 0
        ctx = getattr(exc, "ctx", None)
        see = f" (see {ctx.command_path} --help)" if ctx is not None else ""
        message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        print(f"plan-etl: error: {plain(' '.join(message.splitlines()))}{see}", file=sys.stderr)
        return int(getattr(exc, "exit_code", 2))
    except Exception as exc:
        if "--debug" in sys.argv[1:]:
            raise
        message = plain(" ".join(f"{type(exc).__name__}: {exc}".splitlines()))
        print(f"plan-etl: error: internal error: {message} ({BUG})", file=sys.stderr)
        return INTERNAL_EXIT
    return code if isinstance(code, int) else 0


def _leave(code: int) -> NoReturn:
    """Exit with `code` once the exit handlers have run and the output is flushed, skipping the
    interpreter's teardown (freeing every module and object of pyarrow, numpy and pydantic one by
    one), which took a tenth of a text parse's time. Every file the run wrote is closed already."""
    import atexit
    import os
    import sys

    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)


app = typer.Typer(
    add_completion=True,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    help="Parse a Japanese municipal plan report into structured JSON and Parquet tables.",
)


def _check_engine(engine: str) -> None:
    """An unknown --pdf-engine is refused whatever the input (not only when a PDF is read)."""
    from plan_etl.extract.base import ENGINES

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
