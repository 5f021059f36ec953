"""The wheel as someone who `pipx install`s it gets it: the README as its description, the licence,
every runtime dependency declared (pypdfium2, the default PDF engine, included), and the data files
the parser loads."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

from helpers import ROOT

RUNTIME_IMPORTS = {
    "pydantic": "pydantic",
    "typer": "typer",
    "rich": "rich",
    "regex": "regex",
    "pyarrow": "pyarrow",
    "pdfplumber": "pdfplumber",
    "pypdfium2": "pypdfium2",
    "duckdb": "duckdb",
    "budoux": "budoux",
    "xlsxwriter": "xlsxwriter",
    "tomlkit": "tomlkit",
    "pdfminer": "pdfminer.six",
    "cryptography": "cryptography",
    "PIL": "pillow",
    "pypdfium2_raw": "pypdfium2",
}
"""Each third-party module src/ imports -> the distribution that provides it."""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0 and "No matching distribution" in done.stderr:
        pytest.skip("no package registry to build the wheel with: " + done.stderr.strip()[-200:])
    assert done.returncode == 0, done.stderr
    [whl] = out.glob("plan_etl-*.whl")
    return whl


def test_the_wheel_describes_itself(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        meta = Parser().parsestr(z.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode())
    assert meta["Description-Content-Type"] == "text/markdown"
    assert meta.get_payload().startswith("# plan-etl")
    assert meta["License-Expression"] == "MIT" and any(n.endswith("licenses/LICENSE") for n in names)
    declared = {
        r.split(";")[0].split(">")[0].split("<")[0].split("=")[0].strip()
        for r in meta.get_all("Requires-Dist")
    }
    assert set(RUNTIME_IMPORTS.values()) <= declared
    assert "plan_etl/parsers/yearly_plan/cut_weights.json" in names
    with zipfile.ZipFile(wheel) as z:
        entry = z.read(next(n for n in names if n.endswith(".dist-info/entry_points.txt"))).decode()
    assert "plan-etl = plan_etl.cli:run" in entry  # what pipx puts on PATH
    assert any(n.startswith("plan_etl/report_page/") for n in names)


def test_every_third_party_import_of_the_package_is_declared() -> None:
    """A module src/ imports at the top level of a statement is either ours, the standard library,
    or declared (a missing declaration works in the dev venv and fails after pipx install)."""
    import ast

    stdlib = set(sys.stdlib_module_names)
    found: set[str] = set()
    for path in (ROOT / "src" / "plan_etl").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(a.name.split(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    third_party = {m for m in found if m not in stdlib and m not in {"plan_etl", "__future__"}}
    assert third_party <= set(RUNTIME_IMPORTS), third_party - set(RUNTIME_IMPORTS)
