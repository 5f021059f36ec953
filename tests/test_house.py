"""The house rules, checked over the source: the report's form is spelled in `plan_etl.form` alone,
imports point down the stages, and no module imports itself round a cycle."""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from plan_etl.form import words
from plan_etl.schemas import IssueCode

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = SRC / "plan_etl"

STAGES: dict[str, int] = {
    "form": 0, "errors": 0, "limits": 0, "version": 0, "inputs": 1,
    "schemas": 1, "supervise": 1,
    "extract": 2,
    "parsers": 3,
    "pipeline": 4, "coverage": 4,
    "writers": 5, "validate": 5, "report_page": 5,
    "corrections": 6, "diff": 6, "dictionary": 6, "html_report": 6, "ci_formats": 6,
    "batch": 7, "review_session": 7,
    "dataset": 8,
    "api": 9,
    "runs": 10,
    "cli": 11,
    "__main__": 12, "plan_etl": 12,
}  # fmt: skip
"""Each top-level module or package of plan_etl and its stage: a module imports only from lower
stages or from its own package (input → lines and tables → fields → records → writers → API → CLI)."""


def _name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _top(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def import_graph() -> dict[str, set[str]]:
    """Module -> the plan_etl modules it imports, at the top or inside a function alike."""
    modules = {_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = defaultdict(set)
    for module, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [f"{node.module}.{a.name}" for a in node.names]  # `from plan_etl import api`
                if not all(n in modules for n in names):
                    names.append(node.module)  # a name the module defines
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            graph[module].update(n for n in names if n in modules and n != module)
    return graph


def test_every_module_has_a_stage() -> None:
    tops = {_top(m) for m in import_graph()} | {_top(_name(p)) for p in PACKAGE.glob("*.py")}
    assert tops <= set(STAGES), tops - set(STAGES)


def test_imports_point_down_the_stages() -> None:
    upward = sorted(
        f"{a} -> {b}"
        for a, targets in import_graph().items()
        for b in targets
        if _top(a) != _top(b) and STAGES[_top(b)] >= STAGES[_top(a)]
    )
    assert upward == []


PARSER_STAGES: dict[str, int] = {
    "layout": 0, "text": 0, "provenance": 0,
    "front": 1, "yearly_plan": 1,
    "initiative": 2,
    "accounting": 3,
    "report": 4, "explain": 4,
}  # fmt: skip
"""The parsers' own stages: a report's lines are read front matter first, then the initiative tables,
whose 年次別計画 the yearly_plan package cuts; the accounting of every line, then the whole."""


def _part(module: str) -> str:
    return module.split(".")[2]


def test_the_parsers_are_read_downwards() -> None:
    parsers = {m: t for m, t in import_graph().items() if m.startswith("plan_etl.parsers.")}
    assert {_part(m) for m in parsers} == set(PARSER_STAGES)
    upward = sorted(
        f"{a} -> {b}"
        for a, targets in parsers.items()
        for b in targets
        if b.startswith("plan_etl.parsers.")
        and _part(a) != _part(b)
        and PARSER_STAGES[_part(b)] >= PARSER_STAGES[_part(a)]
    )
    assert upward == []


def test_no_import_cycle() -> None:
    graph = import_graph()
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while (w := stack.pop()) != v:
                component.append(w)
            if component:
                cycles.append(sorted([v, *component]))

    for v in list(graph):
        if v not in index:
            visit(v)
    assert cycles == []


# --- the form, defined once -----------------------------------------------------------------------

FORM_WORDS = (
    *words.LABEL_WORDS,
    words.RESULTS,
    words.GOAL,
    words.TOC_HEADING,
    "予算額",
    "決算額",
    "削減時間",
)
"""Words of the report's form that a pattern outside plan_etl.form must not spell."""
_REGEX_CALLS = {"compile", "search", "match", "fullmatch", "sub", "subn", "findall", "finditer", "split"}


def _literal_parts(node: ast.expr) -> Iterator[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.JoinedStr):
        for value in node.values:
            yield from _literal_parts(value)
    elif isinstance(node, ast.BinOp):
        yield from _literal_parts(node.left)
        yield from _literal_parts(node.right)


def second_definitions(source: str) -> list[str]:
    """What the regular expressions of a module spell that plan_etl.form defines: a form word, the
    Reiwa mark, a set of id dashes, a page reference, a numbering mark (①-⑳, Ⅰ-Ⅻ)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in _REGEX_CALLS
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id in ("re", "regex")
            and node.args
        ):
            continue
        for text in _literal_parts(node.args[0]):
            found += [f"line {node.lineno}: {w}" for w in FORM_WORDS if w in text]
            if "RＲ" in text:
                found.append(f"line {node.lineno}: the Reiwa mark")
            if len(set(words.ID_DASHES) & set(text)) >= 3:
                found.append(f"line {node.lineno}: a dash set")
            if "P\\s*[.．]" in text or "[PＰ]" in text:
                found.append(f"line {node.lineno}: a page reference")
            if "①-⑳" in text or "Ⅰ-Ⅻ" in text:
                found.append(f"line {node.lineno}: a numbering mark")
    return found


def test_no_pattern_outside_the_form_module_spells_the_form() -> None:
    found = {
        str(p.relative_to(SRC)): hits
        for p in sorted(PACKAGE.rglob("*.py"))
        if "form" not in p.relative_to(PACKAGE).parts
        and (hits := second_definitions(p.read_text(encoding="utf-8")))
    }
    assert found == {}


def test_the_check_finds_a_second_definition() -> None:
    """The check itself, on what the parsers spelled before the form module held it."""
    assert second_definitions('import regex\nX = regex.compile(r"^Ⅱ\\s*\\S*到達点")') == ["line 2: 到達点"]
    assert second_definitions('import regex\nregex.sub(r"[-－ー‐−]", "-", t)') == ["line 2: a dash set"]
    assert second_definitions('import re\nre.compile(rf"[RＲ]\\s*(?P<y>{D})")') == ["line 2: the Reiwa mark"]
    assert second_definitions('import regex\nregex.compile(r"^[①-⑳]")') == ["line 2: a numbering mark"]
    assert second_definitions(f'import regex\nregex.compile(rf"{{{"PAGE_REF"}}}\\s*$")') == []


def code_strings(source: str) -> list[str]:
    """String literals in `source` that spell an issue code (`IssueCode` holds them once)."""
    codes = {c.value for c in IssueCode}
    return [
        f"line {node.lineno}: {node.value}"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in codes
    ]


def test_issue_codes_are_spelled_once() -> None:
    found = {
        str(p.relative_to(SRC)): hits
        for p in sorted(PACKAGE.rglob("*.py"))
        if p.name != "records.py" and (hits := code_strings(p.read_text(encoding="utf-8")))
    }
    assert found == {}
    used = {
        node.attr
        for p in PACKAGE.rglob("*.py")
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "IssueCode"
    }
    assert len(used) > 20 and used <= {c.name for c in IssueCode}, used - {c.name for c in IssueCode}
    assert code_strings('x = y.code == "duplicate_item"') == ["line 1: duplicate_item"]
    assert code_strings("x = y.code == IssueCode.duplicate_item") == []
