"""Many report files at once: expand folders, parse each in a watched worker, hand back each result.

Each file is parsed in a worker process of its own (supervise.py), `workers` at a time, a PDF's pages
then in that process (`workers=1` inside); a worker that runs over the time or memory limit is
killed and its file reported as failed, and the other files go on.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from plan_etl.limits import DEFAULT_LIMITS, Limits
from plan_etl.schemas import Report


@dataclass
class Outcome:
    path: Path
    report: Report | None
    error: str | None
    index: int = 0
    """The file's position in the list given."""


def expand_inputs(paths: Iterable[Path]) -> list[Path]:
    """Files as given; a folder gives its regular files (not hidden ones, nor the corrections files
    kept beside its reports), sorted by name."""
    from plan_etl.inputs import CORRECTIONS_SUFFIX

    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(
                sorted(
                    f
                    for f in p.iterdir()
                    if f.is_file() and not f.name.startswith(".") and not f.name.endswith(CORRECTIONS_SUFFIX)
                )
            )
        else:
            out.append(p)
    return out


def _parse_one(path: Path, engine: str | None, limits: Limits, corrections: bool = True) -> Report:
    from plan_etl.corrections import corrections_path, load_corrections
    from plan_etl.pipeline import parse_report

    beside = corrections_path(path)
    reviewed = load_corrections(beside) if corrections and beside.is_file() else []
    return parse_report(path, workers=1, engine=engine, limits=limits, reviewed=reviewed)


def parse_many(
    paths: list[Path],
    workers: int = 1,
    engine: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    corrections: bool = True,
) -> Iterator[Outcome]:
    """Parse every file, `workers` at a time (PDFs read with `engine`), each in a watched worker,
    with the corrections file beside it if there is one (`corrections`); outcomes come as files
    finish."""
    from plan_etl.pipeline import preload_parsers
    from plan_etl.supervise import run_watched

    preload_parsers()  # once here, not once per file in each forked worker
    jobs = [(str(p), _parse_one, (p, engine, limits, corrections)) for p in paths]
    for done in run_watched(jobs, workers, limits):
        yield Outcome(paths[done.index], done.result, done.error, done.index)
