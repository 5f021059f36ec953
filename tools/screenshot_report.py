"""Render the shipped report's HTML page and screenshot it with headless Chromium.

    .venv/bin/python tools/screenshot_report.py [REPORT] [--out docs/report-screenshot.png]
        [--html PATH] [--width 1400] [--max-height 8000]

The browser is driven over the Chrome DevTools protocol on a pipe (``--remote-debugging-pipe``:
NUL-terminated JSON on file descriptors 3 and 4), so the standard library is enough: no websocket
client, no network. `Chromium` is also used by ``tests/test_html_chromium.py``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from base64 import b64decode
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "data" / "raw" / "setagaya_plan_r6_progress.txt"
SCREENSHOT = ROOT / "docs" / "report-screenshot.png"

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--mute-audio",
    "--hide-scrollbars",
    "--remote-debugging-pipe",
]

CONSOLE_PROBLEMS = ("error", "warning", "assert")
"""`console.*` calls that count as a problem."""
LOG_PROBLEMS = ("error", "warning")
"""Browser log levels that count as a problem."""


def find_chromium() -> str | None:
    """$CHROMIUM, or chromium / chromium-browser / google-chrome on PATH."""
    if os.environ.get("CHROMIUM"):
        return os.environ["CHROMIUM"]
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


class CDPError(RuntimeError):
    """The browser answered a command with an error, exited, or did not answer in time."""


class Chromium:
    """A headless Chromium with one page, driven over the DevTools protocol on a pipe.

    Every event the page sends is kept in `events` (method, params), so a caller can look for
    console messages (`Runtime.consoleAPICalled`), uncaught exceptions (`Runtime.exceptionThrown`),
    browser log entries (`Log.entryAdded`) and requests (`Network.requestWillBeSent`).
    """

    def __init__(self, binary: str, timeout: float = 30.0, width: int = 1400, height: int = 1000) -> None:
        self.timeout = timeout
        self.events: list[tuple[str, dict[str, Any]]] = []
        self._replies: dict[int, dict[str, Any]] = {}
        self._cond = threading.Condition()
        self._next_id = 0
        self._profile = tempfile.TemporaryDirectory(prefix="plan-etl-chromium-")
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()

        def child_fds() -> None:  # the pipe ends become fds 3 (commands in) and 4 (replies out)
            os.dup2(to_child_r, 1000)
            os.dup2(from_child_w, 1001)
            os.dup2(1000, 3)
            os.dup2(1001, 4)
            os.close(1000)
            os.close(1001)

        self.stderr = tempfile.TemporaryFile()  # noqa: SIM115 - open while the browser runs
        self.proc = subprocess.Popen(
            [
                binary,
                *FLAGS,
                f"--user-data-dir={self._profile.name}",
                f"--window-size={width},{height}",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self.stderr,
            close_fds=False,
            preexec_fn=child_fds,
        )
        os.close(to_child_r)
        os.close(from_child_w)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        try:
            target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
            self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})[
                "sessionId"
            ]
            for domain in ("Page", "Runtime", "Log", "Network"):
                self.call(f"{domain}.enable", session=True)
            self.call("Page.setLifecycleEventsEnabled", {"enabled": True}, session=True)
        except BaseException:
            self.close()
            raise

    # protocol -------------------------------------------------------------------------------

    def _read(self) -> None:
        buf = b""
        while True:
            try:
                chunk = os.read(self._from_child, 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                with self._cond:
                    self._replies[-1] = {"error": {"message": "browser closed the pipe"}}
                    self._cond.notify_all()
                return
            buf += chunk
            *messages, buf = buf.split(b"\0")
            for raw in messages:
                msg = json.loads(raw)
                with self._cond:
                    if "id" in msg:
                        self._replies[msg["id"]] = msg
                    else:
                        self.events.append((msg.get("method", ""), msg.get("params", {})))
                    self._cond.notify_all()

    def call(
        self, method: str, params: dict[str, Any] | None = None, session: bool = False
    ) -> dict[str, Any]:
        """Send one command (to the page's session if `session`) and return its result."""
        with self._cond:
            self._next_id += 1
            msg_id = self._next_id
        msg: dict[str, Any] = {"id": msg_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = self.session
        os.write(self._to_child, json.dumps(msg).encode("utf-8") + b"\0")
        deadline = time.monotonic() + self.timeout
        with self._cond:
            while msg_id not in self._replies:
                if -1 in self._replies:
                    raise CDPError(f"{method}: browser exited ({self.stderr_text()[-500:]})")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise CDPError(f"{method}: no answer in {self.timeout:.0f} s")
                self._cond.wait(left)
            reply = self._replies.pop(msg_id)
        if "error" in reply:
            raise CDPError(f"{method}: {reply['error'].get('message')}")
        return reply.get("result", {})

    def wait_event(self, method: str, start: int = 0, **match: Any) -> dict[str, Any]:
        """The first event `method` (from index `start` of `events`) whose params contain `match`."""
        deadline = time.monotonic() + self.timeout
        with self._cond:
            while True:
                for name, params in self.events[start:]:
                    if name == method and all(params.get(k) == v for k, v in match.items()):
                        return params
                left = deadline - time.monotonic()
                if left <= 0 or -1 in self._replies:
                    raise CDPError(f"no {method} event {match or ''}")
                self._cond.wait(left)

    # page -----------------------------------------------------------------------------------

    def open(self, url: str) -> None:
        """Navigate and wait until the load event and network idle (nothing left to fetch)."""
        start = len(self.events)
        frame = self.call("Page.navigate", {"url": url}, session=True)
        if frame.get("errorText"):
            raise CDPError(f"cannot open {url}: {frame['errorText']}")
        self.wait_event("Page.loadEventFired", start)
        self.wait_event("Page.lifecycleEvent", start, name="networkIdle")

    def evaluate(self, expression: str) -> Any:
        """The JSON value of a JavaScript expression in the page (promises awaited)."""
        result = self.call(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
            session=True,
        )
        if "exceptionDetails" in result:
            raise CDPError(f"evaluate failed: {result['exceptionDetails'].get('text')}")
        return result["result"].get("value")

    def screenshot(self, path: Path, width: int, max_height: int) -> tuple[int, int]:
        """PNG of the whole page at `width` CSS px (height capped at `max_height`); returns the size."""
        self.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False},
            session=True,
        )
        height = min(int(self.evaluate("document.documentElement.scrollHeight")), max_height)
        self.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
            session=True,
        )
        shot = self.call(
            "Page.captureScreenshot",
            {
                "format": "png",
                "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
                "captureBeyondViewport": True,
            },
            session=True,
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b64decode(shot["data"]))
        return width, height

    def mark(self) -> int:
        """The number of events so far: pass it as `start` to look only at what comes after."""
        with self._cond:
            return len(self.events)

    def problems(self, start: int = 0) -> list[str]:
        """Uncaught exceptions, console errors / warnings / failed asserts, and browser log errors and
        warnings (failed or blocked loads, CSP violations) since event `start`, one line each."""
        out: list[str] = []
        with self._cond:
            events = self.events[start:]
        for method, params in events:
            if method == "Runtime.exceptionThrown":
                details = params.get("exceptionDetails", {})
                text = details.get("exception", {}).get("description") or details.get("text", "")
                out.append(f"uncaught exception: {text}")
            elif method == "Runtime.consoleAPICalled" and params.get("type") in CONSOLE_PROBLEMS:
                args = [str(a.get("value", a.get("description", ""))) for a in params.get("args", [])]
                out.append(f"console.{params['type']}: {' '.join(args)}")
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") in LOG_PROBLEMS:
                e = params["entry"]
                out.append(
                    f"log {e['level']} ({e.get('source')}): {e.get('text')} {e.get('url', '')}".rstrip()
                )
        return out

    def requests(self, start: int = 0) -> list[str]:
        """Every URL the page requested since event `start`."""
        with self._cond:
            return [p["request"]["url"] for m, p in self.events[start:] if m == "Network.requestWillBeSent"]

    def stderr_text(self) -> str:
        self.stderr.seek(0)
        return self.stderr.read().decode("utf-8", "replace")

    def close(self) -> None:
        """Close the browser (politely, then by force) and remove its profile."""
        if self.proc.poll() is None:
            try:
                os.write(self._to_child, json.dumps({"id": 0, "method": "Browser.close"}).encode() + b"\0")
                self.proc.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait()
        for fd in (self._to_child, self._from_child):
            with contextlib.suppress(OSError):
                os.close(fd)
        self._reader.join(timeout=5)
        self.stderr.close()
        self._profile.cleanup()

    def __enter__(self) -> Chromium:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def shrink_png(path: Path) -> None:
    """Re-save a screenshot with a 256-colour palette (flat UI colours survive; a third of the size)
    when Pillow is installed (pdfplumber depends on it); otherwise leave it as it is."""
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    small.save(path, optimize=True)


def write_html(report_path: Path, html_path: Path) -> Path:
    """Parse and validate the report and write its HTML page."""
    from plan_etl.api import parse_report
    from plan_etl.html_report import render_html
    from plan_etl.validate import validate

    report = parse_report(report_path)
    html_path.parent.mkdir(parents=True, exist_ok=True)
    html_path.write_text(render_html(report, validate(report)), encoding="utf-8")
    return html_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", nargs="?", type=Path, default=REPORT)
    parser.add_argument("--out", type=Path, default=SCREENSHOT, help="PNG to write")
    parser.add_argument("--html", type=Path, help="also keep the HTML page here")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--max-height", type=int, default=8000)
    args = parser.parse_args(argv)
    binary = find_chromium()
    if not binary:
        print("chromium not found (apt-get install chromium, or set CHROMIUM)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        html = write_html(args.report, args.html or Path(tmp) / "report.html")
        with Chromium(binary, width=args.width) as browser:
            browser.open(html.resolve().as_uri())
            width, height = browser.screenshot(args.out, args.width, args.max_height)
            problems = browser.problems()
    shrink_png(args.out)
    for line in problems:
        print(line, file=sys.stderr)
    print(f"{args.out}: {width}x{height}, {args.out.stat().st_size / 1024:.0f} KiB")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
