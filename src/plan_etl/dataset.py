"""Several editions of a report as one dataset: the files parsed (each in a watched worker), their
outcome decided here, not in the CLI: which editions are kept, which files failed and why, and the
exit status, all as data.

Deterministic whatever the number of workers: outcomes are put back in the order the files were
given before anything is decided. The same file given twice (same SHA-256) is kept once. Two
different files of the same report year are an error naming both, unless `same_year` says which to
keep ("first" or "last" in the order given).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from plan_etl.coverage import incomplete
from plan_etl.errors import InputError
from plan_etl.inputs import SameYear
from plan_etl.limits import DEFAULT_LIMITS, Limits
from plan_etl.schemas import Report


@dataclass(frozen=True)
class Edition:
    """A file parsed and kept: its report and what makes it not a complete report, if anything."""

    path: Path
    report: Report
    problems: tuple[str, ...] = ()
    """What makes it not a complete report (coverage.incomplete), one line each."""

    @property
    def year(self) -> int | None:
        return self.report.document.report_fiscal_year


@dataclass(frozen=True)
class Failure:
    """A file not kept, with the one-line reason."""

    path: Path
    reason: str


@dataclass
class DatasetOutcome:
    """What a dataset run decided: the editions kept (in the order given), the files that failed,
    files dropped as copies of another, and the exit status."""

    editions: list[Edition] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    copies: list[tuple[Path, Path]] = field(default_factory=list)
    """(the file dropped, the file it repeats)."""
    superseded: list[tuple[Path, Path]] = field(default_factory=list)
    """(the file dropped, the file of the same year kept), as `same_year` chose."""

    @property
    def exit_code(self) -> int:
        """2 when a file failed, 1 when an edition is not a complete report (coverage.incomplete:
        no item list, an item without a record, a record not listed, lost lines), else 0."""
        if self.failures:
            return 2
        return 1 if any(e.problems for e in self.editions) else 0


def parse_dataset(
    paths: Iterable[str | Path],
    workers: int = 1,
    engine: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    same_year: SameYear = "error",
    on_parsed: Callable[[Path], None] | None = None,
    corrections: bool = True,
) -> DatasetOutcome:
    """Parse every file (folders expanded; `workers` at a time, each in a watched worker) and
    decide the dataset: see the module doc. `on_parsed(path)` is called as each file finishes (a
    progress bar); `corrections`: apply each file's corrections file, where it has one. InputError
    when there is no file to parse or a file is missing."""
    from plan_etl.batch import expand_inputs, parse_many

    given = [Path(p) for p in paths]
    files = expand_inputs(given)
    missing = [p for p in files if not p.is_file()]
    if missing:
        raise InputError(f"no such file: {missing[0]}")
    if not files:
        raise InputError("no report files in " + ", ".join(map(str, given)))
    results: dict[int, tuple[Report | None, str | None]] = {}
    for outcome in parse_many(files, workers, engine, limits, corrections):
        results[outcome.index] = (outcome.report, outcome.error)
        if on_parsed is not None:
            on_parsed(outcome.path)
    return decide(files, [results[k] for k in range(len(files))], same_year)


def decide(
    paths: Sequence[Path], results: Sequence[tuple[Report | None, str | None]], same_year: SameYear = "error"
) -> DatasetOutcome:
    """The outcome of parsed files (results in the order of `paths`): see the module doc."""
    out = DatasetOutcome()
    by_hash: dict[str, Path] = {}
    by_year: dict[int | None, list[Edition]] = {}
    for path, (report, error) in zip(paths, results, strict=True):
        if report is None:
            out.failures.append(Failure(path, error or f"{path}: not parsed"))
            continue
        sha = report.document.source_sha256
        if sha in by_hash:
            out.copies.append((path, by_hash[sha]))
            continue
        by_hash[sha] = path
        edition = Edition(path, report, incomplete(report))
        by_year.setdefault(edition.year, []).append(edition)
    for year, editions in by_year.items():
        if len(editions) == 1 or same_year != "error":
            kept = editions[-1] if same_year == "last" else editions[0]
            out.editions.append(kept)
            out.superseded.extend((e.path, kept.path) for e in editions if e is not kept)
            continue
        names = " and ".join(str(e.path) for e in editions)
        shown = year if year is not None else "unknown"
        reason = f"{names} are both the {shown} edition: keep one, or choose with --same-year first|last"
        out.failures.extend(Failure(e.path, reason) for e in editions)
    given = list(paths)
    out.editions.sort(key=lambda e: given.index(e.path))  # the order given, whatever finished first
    return out
