"""Where a run's input and output are by default: the shipped report under the project root, and
`data/out/<INPUT stem>/` beside it. Pure paths, so the command line's help stays fast."""

from __future__ import annotations

from pathlib import Path
from typing import Literal, get_args

from plan_etl.errors import InputError

DEFAULT_INPUT = Path("data/raw/setagaya_plan_r6_progress.txt")
"""The shipped report, relative to the project root."""


def project_roots() -> list[Path]:
    """Where to look for the shipped report: the working directory, then this package's source checkout."""
    roots = [Path.cwd()]
    checkout = Path(__file__).resolve().parents[2]  # <root>/src/plan_etl/inputs.py
    if (checkout / "pyproject.toml").is_file() and checkout not in roots:
        roots.append(checkout)
    return roots


def resolve_input(given: Path | None) -> tuple[Path, Path]:
    """The input file and the base directory for the default `data/out/<stem>/`; InputError when
    none is given and the shipped report is not found."""
    if given is not None:
        return given, Path.cwd()
    roots = project_roots()
    for root in roots:
        if (root / DEFAULT_INPUT).is_file():
            return root / DEFAULT_INPUT, root
    raise InputError(
        f"no INPUT given and the shipped report {DEFAULT_INPUT} is not under "
        f"{' or '.join(str(r) for r in roots)}; pass the report file as INPUT"
    )


def default_out_dir(base: Path, path: Path) -> Path:
    """`data/out/<INPUT stem>/` under `base`, never outside `data/out/`: a stem of dots (an input
    named `...txt`) or of nothing gives `data/out/report/`."""
    stem = path.stem.strip(". ") or "report"
    return base / "data" / "out" / stem


DATASET_OUT = Path("data") / "out" / "dataset"
"""Where several inputs' dataset goes by default."""

SameYear = Literal["error", "first", "last"]
"""What a dataset does with two files of one year: stop, or keep the first or the last given."""
SAME_YEAR: tuple[str, ...] = get_args(SameYear)

CORRECTIONS_SUFFIX = ".corrections.toml"


def corrections_path(source: Path) -> Path:
    """Where the corrections of a report file are kept: beside it, `NAME.corrections.toml`."""
    return source.with_name(source.stem + CORRECTIONS_SUFFIX)


def default_page(base: Path, path: Path) -> Path:
    """Where `plan-etl report` writes the page of `path` by default: `data/out/<stem>.html`, the
    stem of a report.json its folder's name."""
    stem = path.stem if path.name != "report.json" else path.parent.name
    return default_out_dir(base, Path(stem + ".txt")).with_suffix(".html")
