"""The shipped report printed by other producers, read back by both engines: records, fields equal,
rows stated but wrong and withheld (figures, not tests; tests/test_producers.py holds the bounds).

usage: python bench/producers.py [--quick]   (--quick: one Chromium and one LibreOffice rendering)

Needs Chromium, LibreOffice Writer, the Noto Sans CJK and IPA fonts (`make browser`) and WeasyPrint
(the test extra); a producer that is missing is skipped with a line saying so.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import make_report_html as html_tool  # noqa: E402
import roundtrip  # noqa: E402

from plan_etl.api import parse_report  # noqa: E402

RENDERINGS = [
    *(("chromium", style, font) for font in ("noto", "ipagothic") for style in html_tool.STYLES),
    *(("libreoffice", style, "ipagothic") for style in html_tool.STYLES),
    ("libreoffice", "borders", "noto"),
    ("weasyprint", "borders", "noto"),
]


def main(argv: list[str]) -> int:
    report = parse_report(ROOT / "data/raw/setagaya_plan_r6_progress.txt")
    chosen = [RENDERINGS[0], RENDERINGS[6]] if "--quick" in argv else RENDERINGS
    head = ("rendering", "engine", "records", "fields", "wrong", "withheld", "read s")
    print(f"{head[0]:34} {head[1]:10} {head[2]:>8} {head[3]:>7} {head[4]:>6} {head[5]:>9} {head[6]:>7}")
    with tempfile.TemporaryDirectory() as tmp:
        for producer, style, font in chosen:
            pdf = Path(tmp) / f"{producer}-{style}-{font}.pdf"
            try:
                html = html_tool.render_report_html(report, style, font, page_numbers=producer == "chromium")
                html_tool.print_pdf(html, pdf, producer)
            except (RuntimeError, ImportError, OSError) as exc:
                print(f"{producer}-{style}-{font}: skipped ({exc})")
                continue
            for engine in ("pdfium", "pdfplumber"):
                start = time.perf_counter()
                back = parse_report(pdf, workers=1, engine=engine)
                took = time.perf_counter() - start
                c, _ = roundtrip.compare(report, back)
                found = c["records"] - c["records_missing"]
                print(
                    f"{producer + '-' + style + '-' + font:34} {engine:10} {found:>4}/{c['records']:<3} "
                    f"{c['fields_same'] / c['fields']:7.3f} {c['rows_stated_but_wrong']:>6} "
                    f"{c['rows_withheld']:>9} {took:7.2f}"
                )
    rows = [s for r in report.initiatives for s in r.schedule]
    print(f"({len(rows)} schedule rows; the text parse itself withholds {sum(not s.resolved for s in rows)})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
