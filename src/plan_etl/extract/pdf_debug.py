"""A picture to check the PDF reader by: an item's page with the regions it read for each field and
each schedule cell drawn over it (as pdfplumber's table-finder debug images)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import regex

from plan_etl.errors import InputError
from plan_etl.extract.engines import DEFAULT_ENGINE, read_pages
from plan_etl.extract.pdf_layout import BBox, Region, ScheduleRead, TableRead, read_tables
from plan_etl.form.words import ID_DASHES, ITEM_CELL

SCALE = 2.0
"""Pixels per point of the picture."""
COLOURS = {
    "table": (120, 120, 120),
    "field": (30, 90, 200),
    "label": (0, 150, 60),
    "cell": (210, 40, 40),
    "ink": (255, 200, 0),
    "doubt": (230, 0, 160),
    "unassigned": (160, 0, 230),
}
"""Outline colour per kind of region: a withheld row ("doubt", filled, with its reason) and text in
the table that no field took ("unassigned", filled) stand out from what was read."""
_HEADER_ID = regex.compile(rf"^{ITEM_CELL}")


def find_table(path: Path, item: str, engine: str = DEFAULT_ENGINE) -> TableRead:
    """The table of `item` (its id as printed in the header, e.g. 1-5 or 5-13(2)) in a report PDF;
    InputError when no table has it."""
    want = _norm(item)
    for page in read_pages(path, engine):  # the document opened once
        for t in read_tables(page):
            m = _HEADER_ID.match(unicodedata.normalize("NFKC", t.header))
            if m and _norm(m["id"]) == want:
                return t
    raise InputError(f"{path}: no initiative table {item} found in the PDF")


def _norm(text: str) -> str:
    return regex.sub(f"[{ID_DASHES}]", "-", unicodedata.normalize("NFKC", text)).strip()


def regions(t: TableRead) -> list[tuple[str, str, BBox]]:
    """(kind, name, box) of every region the reader used for table t, and of the text it found
    in each ("ink": drawn shaded, so the picture reads even where the page's font cannot be drawn)."""
    out: list[tuple[str, str, BBox]] = [("table", "", t.box)]
    for part in t.parts:
        if isinstance(part, Region):
            out.append(("field", part.name, part.region))
            out += [("ink", "", part.ink)] if part.ink else []
        elif isinstance(part, ScheduleRead):
            out.append(("field", "schedule", part.region))
            for row in part.rows:
                out += [("label" if c.name == "label" else "cell", c.name, c.region) for c in row]
                out += [("ink", "", c.ink) for c in row if c.ink]
                if row[0].doubt:
                    x0, top, _, bottom = row[0].region
                    out.append(("doubt", row[0].doubt, (x0, top, row[-1].region[2], bottom)))
    out += [("unassigned", r.text, (r.x0, r.top, r.x1, r.bottom)) for r in t.unassigned]
    return out


def draw_table(path: Path, item: str, out: Path, engine: str = DEFAULT_ENGINE) -> Path:
    """Render the page holding `item`'s table with the reader's regions outlined; write a PNG."""
    import pypdfium2 as pdfium
    from PIL import ImageDraw

    t = find_table(path, item, engine)
    pdf = pdfium.PdfDocument(str(path))
    try:
        image = pdf[t.page - 1].render(scale=SCALE).to_pil().convert("RGB")
    finally:
        pdf.close()
    draw = ImageDraw.Draw(image, "RGBA")
    for kind, name, (x0, top, x1, bottom) in regions(t):
        box = [x0 * SCALE, top * SCALE, x1 * SCALE, bottom * SCALE]
        if kind in ("ink", "doubt", "unassigned"):
            draw.rectangle(box, fill=(*COLOURS[kind], 70 if kind == "ink" else 50), outline=COLOURS[kind])
            if kind == "doubt":  # why the row is withheld, under it
                draw.text((box[0] + 2, box[3] + 1), "withheld", fill=COLOURS[kind])
            continue
        draw.rectangle(box, outline=COLOURS[kind], width=2 if kind in ("table", "field") else 1)
        if kind == "cell" or (name.isascii() and name):
            draw.text((box[0] + 2, box[1] + 1), name, fill=COLOURS[kind])
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    try:
        image.save(partial, format="PNG")
        partial.replace(out)  # whole or not at all
    finally:
        partial.unlink(missing_ok=True)
    return out
