"""Damaged and foreign inputs: the parser never raises an unhandled exception and never hangs; it
returns records and warnings, or a clean InputError. Encodings Japanese offices produce decode."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from helpers import REPORT
from plan_etl.api import parse_document, parse_report
from plan_etl.cli import app
from plan_etl.errors import InputError
from plan_etl.extract.base import SourceDocument
from plan_etl.extract.text import decode_report, lines_from_text
from plan_etl.schemas import Report

TEXT = REPORT.read_text(encoding="utf-8")
LINES = TEXT.split("\n")
PAGE_STARTS = [i for i, line in enumerate(LINES) if line.strip() == "Ⅲ プランの取組み"]
FUZZ = settings(
    max_examples=12, deadline=20_000, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)


def parse_text(text: str) -> Report | None:
    """The library's answer for a text: a Report, or None for a clean InputError."""
    doc = SourceDocument(lines_from_text(text), "fuzz.txt", hashlib.sha256(text.encode()).hexdigest())
    try:
        return parse_document(doc)
    except InputError:
        return None


def _check(text: str) -> None:
    report = parse_text(text)
    if report is not None:
        Report.model_validate_json(report.model_dump_json())  # a well-formed document
        for rec in report.initiatives:
            assert rec.item_id and rec.goal >= 0


@FUZZ
@given(st.data())
def test_random_line_deletion_and_duplication(data: st.DataObject) -> None:
    rng = random.Random(data.draw(st.integers(0, 2**32)))
    lines = list(LINES)
    for _ in range(data.draw(st.integers(1, 400))):
        i = rng.randrange(len(lines))
        if rng.random() < 0.5:
            del lines[i]
        else:
            lines.insert(i, lines[rng.randrange(len(lines))])
    _check("\n".join(lines))


@FUZZ
@given(st.data())
def test_random_shuffles_of_lines_and_pages(data: st.DataObject) -> None:
    rng = random.Random(data.draw(st.integers(0, 2**32)))
    lines = list(LINES)
    start = rng.randrange(len(lines) - 60)
    window = lines[start : start + rng.randrange(2, 60)]
    rng.shuffle(window)
    lines[start : start + len(window)] = window
    pages = [lines[a:b] for a, b in zip([0, *PAGE_STARTS], [*PAGE_STARTS, len(lines)], strict=True)]
    head, body = pages[:3], pages[3:]
    rng.shuffle(body)
    _check("\n".join(line for page in head + body for line in page))


@FUZZ
@given(st.data())
def test_random_width_swaps_in_ids(data: st.DataObject) -> None:
    rng = random.Random(data.draw(st.integers(0, 2**32)))
    to_full = str.maketrans("0123456789-", "０１２３４５６７８９－")
    to_half = str.maketrans("０１２３４５６７８９－", "0123456789-")
    lines = [
        (
            line.translate(to_full if rng.random() < 0.5 else to_half)
            if "項目" in line or " P." in line
            else line
        )
        for line in LINES
    ]
    _check("\n".join(lines))


@FUZZ
@given(st.integers(0, len(TEXT)))
def test_truncation_at_any_point(cut: int) -> None:
    _check(TEXT[:cut])


@FUZZ
@given(st.binary(min_size=0, max_size=3000), st.integers(0, len(TEXT)))
def test_random_bytes_anywhere(noise: bytes, at: int) -> None:
    raw = TEXT[:at].encode() + noise + TEXT[at:].encode()
    try:
        text = decode_report(raw, "fuzz.txt")
    except InputError:
        return
    _check(text)


def test_shipped_report_through_the_fuzz_check() -> None:
    report = parse_text(TEXT)
    assert report is not None and len(report.initiatives) == 106


# --- encodings and inputs that are not reports ---------------------------------------------------


@pytest.fixture(scope="module")
def reference(parsed_report: Report) -> list[tuple[str, str]]:
    return [(r.item_id, r.title) for r in parsed_report.initiatives]


# cp932 is Shift_JIS as Windows (and so every office) writes it; strict shift_jis lacks －
@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp932"])
def test_japanese_office_encodings_decode(encoding: str, reference, tmp_path: Path) -> None:
    path = tmp_path / f"report.{encoding}.txt"
    path.write_bytes(TEXT.encode(encoding, errors="replace"))  # ➢ has no Shift_JIS code: it becomes ?
    assert [(r.item_id, r.title) for r in parse_report(path).initiatives] == reference


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02\xff\xfe\x00binary\x00" * 100, "binary"),
        (
            "吾輩は猫である。名前はまだ無い。\nどこで生れたかとんと見当がつかぬ。\n".encode(),
            "no report structure",
        ),
        ("吾輩は猫である。".encode("cp932"), "no report structure"),
        (b"\x81\x81\x9f\xfc\xfc\xfc\xa0", "neither UTF-8"),
    ],
)
def test_not_a_report_is_one_line_and_exit_2(content: bytes, words: str, tmp_path: Path) -> None:
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    result = CliRunner().invoke(app, ["parse", str(path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
    assert words in result.output
    assert not (tmp_path / "out").exists()
