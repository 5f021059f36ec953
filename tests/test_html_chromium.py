"""The HTML report in a real browser: headless Chromium driven over the DevTools protocol on a pipe
(`tools/screenshot_report.py`'s `Chromium`, standard library only).

One browser for the module opens the shipped report's page from a file URL and waits for the load
event and network idle. Then: no uncaught exception, no console error / warning / failed assert, no
browser log error or warning (a blocked or failed load, a CSP violation) — collected from the
`Runtime.exceptionThrown`, `Runtime.consoleAPICalled` and `Log.entryAdded` events; the page fetched
nothing but itself (`Network.requestWillBeSent`); the DOM after the script ran has the 106 records
of 105 items; the filter works; the layout fits 1400 px; a screenshot is a PNG. A deliberately
broken page shows that the error collection catches what it should.

Without Chromium the module is skipped, unless the environment variable CI is set (to anything but
"", 0, false or no): then it fails. `$CHROMIUM` names another binary.
"""

from __future__ import annotations

import importlib.util
import os
import struct
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from helpers import REPORT, ROOT
from plan_etl.html_report import PHASE_COLOURS
from plan_etl.schemas import Report

WIDTH = 1400


def _tool():
    path = ROOT / "tools" / "screenshot_report.py"
    spec = importlib.util.spec_from_file_location("screenshot_report", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["screenshot_report"] = module
    spec.loader.exec_module(module)
    return module


tool = _tool()


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@pytest.fixture(scope="module")
def binary() -> str:
    found = tool.find_chromium()
    if found:
        return found
    if in_ci():
        pytest.fail("CI is set but Chromium is not installed (apt-get install -y chromium, or set CHROMIUM)")
    pytest.skip("Chromium is not installed (apt-get install -y chromium); set CI to make this a failure")


@pytest.fixture(scope="module")
def report(parsed_report: Report) -> Report:
    return parsed_report.model_copy(deep=True)


@pytest.fixture(scope="module")
def page(binary: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, str, int]]:
    """The browser with the report's page loaded, its file URL and the event index before the load."""
    html = tool.write_html(REPORT, tmp_path_factory.mktemp("html") / "report.html")
    with tool.Chromium(binary, width=WIDTH) as browser:
        start = browser.mark()
        url = html.resolve().as_uri()
        browser.open(url)
        yield browser, url, start


def test_no_console_errors(page: tuple[Any, str, int]) -> None:
    browser, _, start = page
    assert browser.problems(start) == []


def test_fetches_nothing_but_itself(page: tuple[Any, str, int]) -> None:
    browser, url, start = page
    assert browser.requests(start) == [url]


def test_dom_after_scripts(page: tuple[Any, str, int], report: Report) -> None:
    browser, _, start = page
    dom = browser.evaluate(
        """(() => {
          const rows = [...document.querySelectorAll('#heatmap tr[data-item-id]')];
          return {
            lang: document.documentElement.lang,
            charset: document.characterSet,
            rows: rows.length,
            visible: rows.filter(r => r.offsetHeight > 0).length,
            ids: new Set(rows.map(r => r.dataset.itemId)).size,
            cells: document.querySelectorAll('#heatmap td.hc').length,
            filterShown: !document.getElementById('filter-box').hidden,
            shown: document.getElementById('shown').textContent,
            legend: [...document.querySelectorAll('#phase-legend li[data-phase]')].map(e => e.dataset.phase),
            goals: document.querySelectorAll('#goal-table tbody tr').length,
            problems: document.querySelectorAll('#problems tr.problem').length,
          };
        })()"""
    )
    assert dom == {
        "lang": "ja",
        "charset": "UTF-8",
        "rows": 106,
        "visible": 106,
        "ids": 105,
        "cells": 106 * 4,
        "filterShown": True,
        "shown": "106 / 106 件",
        "legend": [*PHASE_COLOURS, "none", "unresolved"],
        "goals": 5,
        "problems": dom["problems"],
    }
    assert dom["problems"] > 0
    assert browser.problems(start) == []


def test_filter(page: tuple[Any, str, int], report: Report) -> None:
    browser, _, start = page
    count = """((text, goal) => {
      const q = document.getElementById('filter'), g = document.getElementById('goal-filter');
      q.value = text; q.dispatchEvent(new Event('input'));
      g.value = goal; g.dispatchEvent(new Event('change'));
      const rows = [...document.querySelectorAll('#heatmap tr[data-item-id]')].filter(r => r.offsetHeight);
      const shown = document.getElementById('shown').textContent;
      return [rows.map(r => r.dataset.itemId + '#' + r.dataset.part), shown];
    })"""
    assert browser.evaluate(f"{count}('5-13', '')") == [["5-13#1", "5-13#2"], "2 / 106 件"]
    goal4 = [f"{i.item_id}#" for i in report.initiatives if i.goal == 4]
    rows, shown = browser.evaluate(f"{count}('', '4')")
    assert sorted(rows) == sorted(goal4) and shown == f"{len(goal4)} / 106 件"
    assert browser.evaluate(f"{count}('政策経営部', '1')")[0]
    assert browser.evaluate(f"{count}('', '')")[1] == "106 / 106 件"
    assert browser.problems(start) == []


def test_layout(page: tuple[Any, str, int]) -> None:
    """Nothing wider than the window; every chart drawn; phase cells in their documented colours."""
    browser, _, _ = page
    layout = browser.evaluate(
        """(() => {
          const rgb = el => getComputedStyle(el).backgroundColor;
          const cell = i => document.querySelector('#heatmap td.ph-' + i);
          return {
            scrollWidth: document.documentElement.scrollWidth,
            charts: [...document.querySelectorAll('svg.chart')].map(s => {
              const b = s.getBoundingClientRect(); return [Math.round(b.width), Math.round(b.height)];
            }),
            colours: [0, 1, 2, 3, 4, 5, 6].map(i => cell(i) ? rgb(cell(i)) : null),
          };
        })()"""
    )
    assert layout["scrollWidth"] <= WIDTH
    assert len(layout["charts"]) == 5 and all(w > 300 and h > 50 for w, h in layout["charts"])
    for colour, (bg, _) in zip(layout["colours"], PHASE_COLOURS.values(), strict=True):
        r, g, b = (int(bg[i : i + 2], 16) for i in (1, 3, 5))
        assert colour == f"rgb({r}, {g}, {b})"


def test_screenshot(page: tuple[Any, str, int], tmp_path: Path) -> None:
    browser, _, _ = page
    png = tmp_path / "shot.png"
    width, height = browser.screenshot(png, WIDTH, max_height=3000)
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (width, height) == (WIDTH, 3000)


def test_errors_are_caught(page: tuple[Any, str, int], tmp_path: Path) -> None:
    """The checks above are not vacuous: a page that logs an error, throws, fails an assert and tries
    to load a blocked resource is reported for each. Runs last: it navigates away."""
    browser, _, _ = page
    bad = tmp_path / "bad.html"
    bad.write_text(
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<meta http-equiv='Content-Security-Policy' "
        "content=\"default-src 'none'; script-src 'unsafe-inline'\">"
        "</head><body><img src='missing.png'><script>console.error('boom'); console.assert(false, 'nope');"
        "undefinedFunction();</script></body></html>",
        encoding="utf-8",
    )
    start = browser.mark()
    browser.open(bad.resolve().as_uri())
    found = "\n".join(browser.problems(start))
    assert "console.error: boom" in found
    assert "console.assert" in found
    assert "uncaught exception: ReferenceError: undefinedFunction is not defined" in found
    assert "missing.png" in found  # refused by the page's CSP, logged by the browser
