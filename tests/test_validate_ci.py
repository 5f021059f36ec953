"""`plan-etl validate` for CI: JUnit XML, GitHub workflow annotations and GitLab Code Quality JSON
in their documented shapes, a document even on an unreadable input, lost lines counted afresh
against a report.json's source, and the documented CI snippets (docs/validate.md) run as written."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import xmlschema

from helpers import REPORT, ROOT

PLAN_ETL = Path(sys.executable).with_name("plan-etl")
JUNIT_XSD = Path(__file__).parent / "data" / "junit.xsd"
GITHUB_COMMAND = re.compile(r"^::(error|warning) file=[^,:]+(,line=[1-9]\d*)?,title=[^:]+::\S.*$")
GITLAB_SEVERITIES = {"info", "minor", "major", "critical", "blocker"}


def _validate(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(PLAN_ETL), "validate", *args], capture_output=True, text=True, timeout=300, cwd=cwd
    )


@pytest.fixture(scope="module")
def damaged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped report beside a report.json from which 1-1's last schedule row was deleted."""
    folder = tmp_path_factory.mktemp("damaged")
    shutil.copy(REPORT, folder / REPORT.name)
    done = subprocess.run(
        [str(PLAN_ETL), "parse", str(folder / REPORT.name), "-o", str(folder / "out"), "-f", "json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    doc = json.loads((folder / "out" / "report.json").read_text(encoding="utf-8"))
    [first] = [i for i in doc["initiatives"] if i["record_id"] == "1-1"]
    gone = first["schedule"].pop()
    assert gone["source_lines"]
    path = folder / "report.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_row_deleted_from_report_json_is_lost_text_counted_against_the_source(damaged: Path) -> None:
    doc = json.loads(damaged.read_text(encoding="utf-8"))
    assert doc["unaccounted_lines"] == []  # what report.json says of itself
    done = _validate(str(damaged), "--format", "json", "--source", str(damaged.parent / REPORT.name))
    assert done.returncode == 1
    verdict = json.loads(done.stdout)
    [lost] = [p for p in verdict["problems"] if p["code"] == "lost_lines"]
    assert lost["level"] == "error" and lost["lines"]
    assert verdict["lines_in"].endswith(REPORT.name)
    # found beside report.json by its stored name and SHA-256, without --source
    shutil.copy(REPORT, damaged.parent / "beside.txt")
    assert json.loads(_validate(str(damaged), "--format", "json").stdout)["errors"] == 1


def test_without_its_source_a_report_json_is_checked_as_it_says_with_a_warning(
    damaged: Path, tmp_path: Path
) -> None:
    alone = tmp_path / "report.json"
    shutil.copy(damaged, alone)
    done = _validate(str(alone), "--format", "json", cwd=tmp_path)
    assert done.returncode == 0
    assert "source_not_found" in {p["code"] for p in json.loads(done.stdout)["problems"]}


def test_junit_xml_has_a_case_per_item_and_validates_against_the_junit_schema(damaged: Path) -> None:
    done = _validate(str(damaged), "--format", "junit")
    assert done.returncode == 1
    xmlschema.XMLSchema(str(JUNIT_XSD)).validate(done.stdout)
    root = ET.fromstring(done.stdout)
    cases = root.findall("./testsuite/testcase")
    names = [c.get("name") for c in cases]
    assert len(names) == 106 and names[0] == "1-1" and names[-1] == "document"
    [failing] = [c for c in cases if c.find("failure") is not None]
    assert failing.get("name") == "document" and failing.find("failure").get("type") == "lost_lines"
    assert failing.get("file", "").endswith(REPORT.name) and failing.get("line")
    assert root.get("failures") == "1"


def test_github_annotations_and_gitlab_code_quality_in_their_documented_shapes(damaged: Path) -> None:
    github = _validate(str(damaged), "--format", "github")
    assert github.returncode == 1
    lines = github.stdout.splitlines()
    assert lines and all(GITHUB_COMMAND.match(line) for line in lines), lines[:3]
    assert lines[0].startswith("::error file=") and "title=lost_lines" in lines[0]
    gitlab = _validate(str(damaged), "--format", "gitlab")
    issues = json.loads(gitlab.stdout)
    assert issues and all(
        set(i) == {"description", "check_name", "fingerprint", "severity", "location"}
        and i["severity"] in GITLAB_SEVERITIES
        and isinstance(i["location"]["path"], str)
        and i["location"]["lines"]["begin"] >= 1
        for i in issues
    )
    assert len({i["fingerprint"] for i in issues}) == len(issues)


@pytest.mark.parametrize("fmt", ["json", "junit", "github", "gitlab"])
def test_an_unreadable_input_still_prints_a_document_and_exits_2(fmt: str, tmp_path: Path) -> None:
    done = _validate(str(tmp_path / "missing.txt"), "--format", fmt)
    assert done.returncode == 2
    assert done.stderr.startswith("plan-etl: error: cannot read") and len(done.stderr.splitlines()) == 1
    if fmt == "json":
        assert json.loads(done.stdout)["problems"][0]["code"] == "unreadable_input"
    elif fmt == "junit":
        xmlschema.XMLSchema(str(JUNIT_XSD)).validate(done.stdout)
    elif fmt == "github":
        assert GITHUB_COMMAND.match(done.stdout.strip())
    else:
        assert json.loads(done.stdout)[0]["check_name"] == "unreadable_input"


def test_json_and_another_format_together_are_refused() -> None:
    done = _validate(str(REPORT), "--json", "--format", "junit")
    assert done.returncode == 2 and "choose one" in done.stderr


def _documented_ci_commands() -> list[str]:
    """The plan-etl commands of the documented CI snippets (the yaml blocks of docs/validate.md)."""
    text = (ROOT / "docs" / "validate.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, re.S)
    return [m.strip() for b in blocks for m in re.findall(r"^\s*(?:- )?(?:run: )?(plan-etl .+)$", b, re.M)]


def test_the_documented_ci_snippets_run_as_written(tmp_path: Path) -> None:
    """Each plan-etl command of the GitHub Actions and GitLab CI snippets, run in a checkout-like
    folder with the report where the snippet expects it: it exits 0 and writes what CI uploads."""
    commands = _documented_ci_commands()
    assert len(commands) >= 4, commands
    raw = tmp_path / "data" / "raw"
    raw.mkdir(parents=True)
    shutil.copy(REPORT, raw / REPORT.name)
    for command in commands:
        args = command.split()[1:]
        done = subprocess.run(
            [str(PLAN_ETL), *args], capture_output=True, text=True, timeout=300, cwd=tmp_path
        )
        assert done.returncode == 0, (command, done.stderr)
    assert (tmp_path / "validate.xml").is_file() and (tmp_path / "gl-code-quality.json").is_file()
