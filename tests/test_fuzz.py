"""Mutation fuzzing in the suite: a fixed seeded sample of report-PDF and report-text mutants
(tools/fuzz.py, the generator `make fuzz N=…` runs at any size), each parsed by the command; none
may end in an internal error (exit 3, a traceback), however damaged. Also the repairs the fuzzing
asked for, on real shapes: undecodable code units, a header of several lines, terminal escapes."""

from __future__ import annotations

import pytest

from helpers import load_tool
from plan_etl.extract.base import REPLACEMENT, Line, SourceDocument, repaired
from plan_etl.extract.pdf import repair_lines

fuzz = load_tool("fuzz")

SEED = 20261205
"""The suite's fixed sample; `python tools/fuzz.py --seed 20261205 --kind pdf --only K` replays case K."""


@pytest.mark.parametrize("kind", ["pdf", "text"])
def test_a_fixed_sample_of_mutants_makes_no_internal_error(kind: str) -> None:
    outcomes = fuzz.fuzz(kind, 100, SEED, workers=2)
    assert len(outcomes) == 100
    internal = [o for o in outcomes if o.internal]
    assert internal == [], fuzz.table(outcomes, SEED)
    assert {o.exit_code for o in outcomes} <= {0, 1, 2}
    assert any(o.exit_code == 2 for o in outcomes)  # damage is told as damage


def test_mutants_are_reproducible() -> None:
    bases = [b"x" * 1000, b"y" * 2000]
    assert fuzz.mutant("pdf", 5, 3, bases) == fuzz.mutant("pdf", 5, 3, bases)
    assert fuzz.mutant("pdf", 5, 3, bases) != fuzz.mutant("pdf", 5, 4, bases)


def test_undecodable_code_units_become_u_fffd_with_a_warning() -> None:
    """A damaged content stream's lone surrogate (\\udf30) cannot be written as UTF-8 JSON: it
    becomes U+FFFD, a surrogate pair becomes its character, and the parse warns naming the line."""
    assert repaired("項\udf30目") == (f"項{REPLACEMENT}目", 1)
    assert repaired("\ud83d\ude00") == ("\U0001f600", 0)
    lines, replaced = repair_lines((Line(1, "表題"), Line(2, "取組み\udf30内容")))
    assert lines[1].text == f"取組み{REPLACEMENT}内容" and replaced == ((2, 1),)
    from plan_etl.parsers.report import parse_lines

    doc = SourceDocument(lines, "x.pdf", "0" * 64, replaced=replaced)
    report = parse_lines(doc)
    [warning] = [w for w in report.warnings if w.code == "undecodable_text"]
    assert warning.lines == [2] and "U+FFFD" in warning.message
    report.model_dump_json()  # writable


def test_invisible_format_characters_are_escaped_on_the_terminal() -> None:
    from plan_etl.cli import plain

    assert plain("abc\u202edef") == "abc\\u202edef"  # a right-to-left override shown, not obeyed
    assert plain("a\u200bb\ufeff") == "a\\u200bb\\ufeff"
    assert plain("実施\t検証\n") == "実施\t検証\n"
