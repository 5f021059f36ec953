"""Library API under the CLI: one report file in, one Report out (or several files, one dataset's
outcome: `parse_dataset`, from plan_etl/dataset.py); a Report or an outcome out to files."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from plan_etl.dataset import DatasetOutcome, parse_dataset
from plan_etl.errors import InputError, LimitError
from plan_etl.extract import read_document
from plan_etl.limits import DEFAULT_LIMITS, Limits, MiB
from plan_etl.pipeline import parse_document, parse_report, parse_watched, preload_parsers
from plan_etl.schemas import Issue, IssueCode, Report
from plan_etl.supervise import kept_objects, run_one

__all__ = [
    "check_report",
    "draw_table_regions",
    "explain_schedule",
    "load_report",
    "parse_dataset",
    "parse_document",
    "parse_report",
    "parse_watched",
    "preload_parsers",
    "write_outputs",
]

if TYPE_CHECKING:
    from plan_etl.parsers.explain import TableView
    from plan_etl.parsers.yearly_plan.review import OpenTable
    from plan_etl.validate import Verdict
from plan_etl.writers import DEFAULT_FORMATS, FORMATS, REGISTRY


def preload_writers(formats: Iterable[str]) -> None:
    """Import the writers of these formats (pyarrow's, mostly; each format's writer is the module of
    its name): run beside a worker's parse."""
    import importlib

    for name in formats:
        importlib.import_module(REGISTRY[name].module)


def explain_schedule(path: str | Path, item: str, limits: Limits = DEFAULT_LIMITS) -> list[TableView]:
    """How the 年次別計画 of table `item` ("1-5", "5-13①" or "5-13#1") was read, from a report
    file: fragments, each row's chosen cut and runner-up, and why a row is unresolved (read in a
    watched worker). InputError when the id is malformed or no table of the report has it."""
    from plan_etl.form.ids import parse_item_id

    raw, _, part_text = item.partition("#")
    parsed = parse_item_id(raw)
    if parsed is None or (part_text and not part_text.isdigit()):
        raise InputError(f"{item!r} is not an item id (like 1-5, 5-13① or 5-13#1)")
    item_id, _, part = parsed
    part = int(part_text) if part_text else part
    return run_one(str(path), _explain, (Path(path), item, item_id, part, limits), limits)


def _explain(path: Path, item: str, item_id: str, part: int | None, limits: Limits) -> list[TableView]:
    from plan_etl.parsers.explain import explain_schedules

    doc = read_document(path, 1, None, limits)
    views = explain_schedules(doc.nonblank(), item_id, part, given=doc.tables)
    if not views:
        raise InputError(f"{doc.source_file}: no initiative table {item}")
    return views


def draw_table_regions(
    pdf: str | Path, item: str, out: str | Path, engine: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> Path:
    """A PNG of the page holding table `item` in a report PDF, with the region the reader took
    for each field and schedule cell outlined; InputError when the item's table is not found."""
    from plan_etl.extract import sniff_pdf
    from plan_etl.extract.engines import DEFAULT_ENGINE

    p = Path(pdf)
    if not sniff_pdf(p):
        raise InputError(f"{p}: not a PDF")
    return run_one(str(p), _draw_guarded, (p, item, Path(out), engine or DEFAULT_ENGINE, limits), limits)


def _draw_guarded(p: Path, item: str, out: Path, engine: str, limits: Limits) -> Path:
    """draw_table after the checks every PDF read passes: size, stream bombs, page count."""
    from plan_etl.extract import check_size
    from plan_etl.extract.pdf import guard_pdf
    from plan_etl.extract.pdf_debug import draw_table

    check_size(p, limits)
    guard_pdf(p, limits)
    return draw_table(p, item, out, engine)


def review_tables(
    path: str | Path, workers: int | None = None, engine: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> list[OpenTable]:
    """The report's tables with their rows, open or stated, as a review sees them (see
    plan_etl.parsers.yearly_plan.review: fragments, fingerprint, candidates); the lines and tables the parse
    reads (a repeated copy of the report left out, as `parse_lines` does). Read in a watched worker."""
    return run_one(str(path), _review_tables, (Path(path), workers, engine, limits), limits)


def _review_tables(path: Path, workers: int | None, engine: str | None, limits: Limits) -> list[OpenTable]:
    from plan_etl.parsers.explain import review_tables as tables_to_review
    from plan_etl.parsers.report import first_copy

    lines, _, tables = first_copy(read_document(path, workers, engine, limits))
    return tables_to_review(lines, tables)


def load_report(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> Report:
    """A report file parsed, or a JSON document a parse wrote read back; the kind is told by the
    file's first bytes. InputError when it is neither, LimitError when it is over `limits`."""
    from plan_etl.extract import check_size

    p = Path(path)
    check_size(p, limits)
    if not _is_json(p):
        preload_parsers()
        return run_one(str(p), parse_report, (p, None, None, limits), limits)
    _check_json_size(p, limits)
    return run_one(str(p), _report_document, (p,), limits)


def _check_json_size(p: Path, limits: Limits) -> None:
    size = p.stat().st_size
    if limits.max_json_mb and size > limits.max_json_mb * MiB:
        raise LimitError(
            p,
            f"a report document of {size / MiB:.0f} MiB",
            f"{limits.max_json_mb} MiB",
            limits.option("max_json_mb"),
        )


def _report_document(p: Path) -> Report:
    """A report.json read back: JSON with no key given twice in one object (the last would win
    silently), then the Report model; InputError (one line) for anything else."""
    import json

    from pydantic import ValidationError

    def unique(pairs: list[tuple[str, object]]) -> dict[str, object]:
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise InputError(f"{p}: the key {key!r} is given twice in one object (not a report document)")
            seen.add(key)
        return dict(pairs)

    with kept_objects():  # millions of new objects, none cyclic, all kept
        try:
            data = json.loads(p.read_bytes(), object_pairs_hook=unique)
        except ValueError as exc:
            raise InputError(f"{p} is not JSON ({exc})") from None
        try:
            return Report.model_validate(data)
        except ValidationError as exc:
            first = exc.errors(include_url=False, include_input=False)[0]
            where = ".".join(map(str, first["loc"]))
            raise InputError(
                f"{p} is JSON but not a plan-etl report document ({exc.error_count()} errors; "
                f"first: {where}: {first['msg']})"
            ) from None


def check_report(
    path: str | Path,
    source: str | Path | None = None,
    strict: bool = False,
    limits: Limits = DEFAULT_LIMITS,
) -> Verdict:
    """validate's verdict on a report file (parsed here) or a report.json. For a report.json the
    lost lines are counted afresh against its source (`source`, else the file of the stored name
    beside report.json or in data/raw/), so text a later edit dropped from report.json shows; when
    no source with the stored SHA-256 is found, a warning says the count is report.json's own."""
    from plan_etl.extract import check_size
    from plan_etl.validate import verdict

    p = Path(path)
    if not _is_json(p):
        return verdict(load_report(p, limits), str(p), strict)
    check_size(p, limits)
    _check_json_size(p, limits)
    given = Path(source) if source is not None else None
    return run_one(str(p), _check_report_document, (p, given, strict, limits), limits)


def _check_report_document(p: Path, source: Path | None, strict: bool, limits: Limits) -> Verdict:
    """check_report on a report.json, all in one watched worker: only the verdict comes back."""
    from plan_etl.validate import lost_against, verdict

    report = _report_document(p)
    found = _source_of(p, report, source)
    if isinstance(found, Issue):
        return verdict(report, str(p), strict, notes=[found])
    lines = [ln.no for ln in read_document(found, 1, None, limits).nonblank()]
    return verdict(report, str(p), strict, lost=lost_against(report, lines), lines_in=str(found))


def _is_json(p: Path) -> bool:
    """Whether the file is a JSON document (a report.json), told by its first bytes."""
    try:
        with p.open("rb") as f:
            return f.read(64).lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")
    except OSError as exc:
        raise InputError(f"cannot read {p}: {exc.strerror or exc}") from None


def _source_of(report_json: Path, report: Report, given: Path | None) -> Path | Issue:
    """The source a report.json was parsed from, checked by its SHA-256, or the warning why none."""
    import hashlib

    name = report.document.source_file
    tries = [given] if given is not None else [report_json.parent / name, Path("data") / "raw" / name]
    for p in tries:
        if p.is_file():
            if hashlib.sha256(p.read_bytes()).hexdigest() == report.document.source_sha256:
                return p
            if given is not None:
                raise InputError(f"{p} is not the file {report_json.name} was parsed from (SHA-256 differs)")
    return Issue.warning(
        IssueCode.source_not_found,
        f"the source {name} was not found (--source FILE): lost lines are as report.json says",
    )


def write_outputs(
    parsed: Report | DatasetOutcome,
    out_dir: str | Path,
    formats: Iterable[str] = DEFAULT_FORMATS,
    raw_csv: bool = False,
    started: datetime | None = None,
) -> list[Path]:
    """Write the chosen formats (report.json, <table>.parquet, report.duckdb, <table>.csv,
    <table>.jsonl, report.xlsx) and manifest.json as one set: into a staging directory, then swapped
    in as `out_dir` whole (see writers/output_set.py: one run at a time, never a mix of two runs'
    files). A DatasetOutcome writes its editions into the dataset at `out_dir` in the same formats
    (see writers/dataset.py). Returns the paths. CSV text that a spreadsheet would run as a formula
    gets a leading ' unless `raw_csv`; `started` is the run's start for the manifest (default: now).
    OutputError when the directory is busy or holds files plan-etl did not write."""
    from plan_etl.writers.manifest import write_manifest
    from plan_etl.writers.output_set import write_set

    formats = list(formats)
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise ValueError(f"unknown format(s) {', '.join(unknown)}; choose from {', '.join(FORMATS)}")
    begun = started or datetime.now(UTC)
    if isinstance(parsed, DatasetOutcome):
        from plan_etl.writers.dataset import write_editions

        reports = [e.report for e in parsed.editions]
        inputs = [e.path for e in parsed.editions]
        return write_editions(reports, out_dir, formats, raw_csv, begun, inputs)
    report = parsed

    def write(staging: Path) -> list[Path]:
        paths = _write_formats(report, staging, formats, raw_csv)
        paths.append(write_manifest(report, staging, paths, begun))
        return paths

    return write_set(out_dir, write, _report_file)


def _report_file(rel: Path) -> bool:
    """Whether a file of an output directory (path relative to it) is one a parse writes."""
    from plan_etl.writers.flat import specs

    if len(rel.parts) != 1:
        return False
    if rel.name in ("report.json", "report.duckdb", "report.duckdb.wal", "report.xlsx", "manifest.json"):
        return True
    return rel.suffix in (".parquet", ".csv", ".jsonl") and rel.stem in {s.name for s in specs()}


def _write_formats(report: Report, out_dir: Path, formats: list[str], raw_csv: bool) -> list[Path]:
    """Each chosen format's files into `out_dir`, in the registry's order."""
    return [
        p
        for name in REGISTRY
        if name in formats
        for p in REGISTRY[name].write_single(report, out_dir, raw_csv)
    ]
