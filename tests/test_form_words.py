"""The report's form defined once: no module but plan_etl.form.words spells a label word of an
initiative table in code (docstrings and comments may name them)."""

from __future__ import annotations

import ast
from pathlib import Path

from plan_etl.form import words

SRC = Path(words.__file__).resolve().parents[1]


def _code_strings(path: Path) -> list[tuple[int, str]]:
    """The string constants of a module that are not docstrings nor bare expressions."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    prose = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in prose
    ]


def test_no_second_definition_of_a_label_word() -> None:
    spelled = [
        f"{path.relative_to(SRC)}:{line} {text}"
        for path in sorted(SRC.rglob("*.py"))
        if path != Path(words.__file__).resolve()
        for line, text in _code_strings(path)
        if text in words.LABEL_WORDS
    ]
    assert spelled == []


def test_the_scan_sees_a_spelled_label_word(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text('"""項目 in a docstring is prose."""\nX = "所管部"\n', encoding="utf-8")
    assert _code_strings(module) == [(2, "所管部")]
