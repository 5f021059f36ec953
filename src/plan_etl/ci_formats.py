"""validate's verdict in the formats CI systems read: JUnit XML (one test case per listed item, a
failure per problem), GitHub workflow commands (`::error file=…,line=…::`), and GitLab Code Quality
JSON. Every problem names the file its line numbers are of; a problem with no item is a test case
of its own kind (`document`)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from xml.etree import ElementTree as ET

from plan_etl.schemas import Issue
from plan_etl.validate import Verdict

DOCUMENT_CASE = "document"
"""The JUnit test case of problems that concern no item (lost lines, an empty item list)."""


def as_junit(v: Verdict) -> str:
    """A JUnit XML document: a suite per run, a test case per listed item (and `document`); each
    error a <failure>, each warning too when the verdict is strict (else it is told in system-out)."""
    by_item: dict[str, list[Issue]] = {item: [] for item in v.items}
    by_item.setdefault(DOCUMENT_CASE, [])
    for p in v.problems:
        by_item.setdefault(p.item_id or DOCUMENT_CASE, []).append(p)
    failing = [name for name, ps in by_item.items() if any(_fails(p, v.strict) for p in ps)]
    suites = ET.Element("testsuites", name="plan-etl validate", tests=str(len(by_item)))
    suites.set("failures", str(len(failing)))
    suite = ET.SubElement(
        suites,
        "testsuite",
        name=f"validate {v.source}",
        tests=str(len(by_item)),
        failures=str(len(failing)),
        errors="0",
    )
    for name, problems in by_item.items():
        case = ET.SubElement(suite, "testcase", name=name, classname="plan-etl.validate", file=v.line_file)
        first = next((p.lines[0] for p in problems if p.lines), None)
        if first is not None:
            case.set("line", str(first))
        told: list[str] = []
        for p in problems:
            if _fails(p, v.strict):
                failure = ET.SubElement(case, "failure", message=p.message, type=p.code)
                failure.text = _located(p, v)
            else:
                told.append(f"{p.level} {p.code}: {_located(p, v)}")
        if told:
            ET.SubElement(case, "system-out").text = "\n".join(told)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def as_github(v: Verdict) -> str:
    """GitHub Actions workflow commands, one per problem: `::error file=F,line=N,title=CODE::message`
    (warnings as `::warning`), shown as annotations on the run and the file."""
    out = []
    for p in v.problems:
        level = "error" if _fails(p, v.strict) else "warning"
        props = [f"file={_prop(v.line_file)}"]
        if p.lines:
            props.append(f"line={p.lines[0]}")
        props.append(f"title={_prop(p.code + (' ' + p.item_id if p.item_id else ''))}")
        out.append(f"::{level} {','.join(props)}::{_data(_said(p))}")
    return "\n".join(out) + ("\n" if out else "")


def as_gitlab(v: Verdict) -> str:
    """A GitLab Code Quality report: a JSON array, one issue per problem (description, check_name,
    fingerprint, severity, location.path and location.lines.begin)."""
    issues = []
    for p in v.problems:
        line = p.lines[0] if p.lines else 1
        key = f"{v.line_file}|{p.code}|{p.item_id}|{p.message}"
        issues.append(
            {
                "description": _said(p),
                "check_name": p.code,
                "fingerprint": hashlib.sha256(key.encode("utf-8")).hexdigest(),
                "severity": "major" if _fails(p, v.strict) else "minor",
                "location": {"path": v.line_file, "lines": {"begin": line}},
            }
        )
    return json.dumps(issues, ensure_ascii=False, indent=2) + "\n"


def as_json(v: Verdict) -> str:
    """The verdict as `--format json` prints it (Verdict.as_json), with the file lines are of."""
    return json.dumps({**v.as_json(), "lines_in": v.line_file}, ensure_ascii=False, indent=2) + "\n"


FORMATS: dict[str, Callable[[Verdict], str]] = {
    "json": as_json,
    "junit": as_junit,
    "github": as_github,
    "gitlab": as_gitlab,
}
"""validate's machine formats by name (`text`, the table for people, is the CLI's own)."""


def _fails(p: Issue, strict: bool) -> bool:
    return p.level == "error" or strict


def _said(p: Issue) -> str:
    """The problem's message led by its item id (once)."""
    if p.item_id and not p.message.startswith(p.item_id):
        return f"{p.item_id}: {p.message}"
    return p.message


def _located(p: Issue, v: Verdict) -> str:
    where = f"{v.line_file}:{p.lines[0]}" if p.lines else v.line_file
    return f"{where}: {_said(p)}"


def _data(text: str) -> str:
    """A workflow command's message, escaped as GitHub's toolkit escapes it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    """A workflow command's property value, escaped as GitHub's toolkit escapes it."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")
