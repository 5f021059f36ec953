"""Tables that a page break parts in their 年次別計画, as LibreOffice Writer prints them (rows split
wherever a page ends, no running head over the rest): pages placed by hand with the report's words
(helpers of test_pdf_layout), read as `join_pages` reads a document."""

from __future__ import annotations

from plan_etl.api import parse_document
from plan_etl.extract.base import Line, SourceDocument
from plan_etl.extract.page_objects import Char, Page
from plan_etl.extract.pdf_layout import join_pages, read_page
from test_pdf_layout import SIZE, place

LABEL, YEARS = 30.0, (260.0, 370.0, 480.0, 590.0)
"""Where the label column and each year column (R6..R9) begin."""
PITCH = 20.0
"""From one row's top to the next one's."""

Row = tuple[str, str, str, str, str]


def _rows(rows: list[Row], top: float) -> list[Char]:
    out: list[Char] = []
    for k, (label, *cells) in enumerate(rows):
        y = top + k * PITCH
        out += place(label, LABEL, y)
        for x, cell in zip(YEARS, cells, strict=True):
            out += place(cell, x, y)
    return out


def _first_page(rows: list[Row], top: float = 40.0) -> Page:
    """3-13's table opening at `top` and running to the page's foot in the schedule."""
    chars = place("項目", LABEL, top) + place("3-13", 60, top) + place("補助金申請業務の効率化", 100, top)
    chars += place("所管部", 400, top) + place("経済産業部", 440, top)
    chars += place("取組み内容", LABEL, top + 30)
    chars += place("補助金の申請・受付業務を委託する。", YEARS[0], top + 30)
    chars += place("年次別計画", LABEL, top + 60)
    for x, year in zip(YEARS, ("R6", "R7", "R8", "R9"), strict=True):
        chars += place(year, x, top + 60)
    return Page(1, 842.0, 595.0, tuple(chars + _rows(rows, top + 80)), ())


def _next_page(rows: list[Row]) -> Page:
    """The table's rest: rows from the page's top, then its effects (two lines, the label centred
    beside them, as Writer prints it) and results."""
    y = 30 + len(rows) * PITCH
    chars = _rows(rows, 30)
    chars += place("事業者の利便性が向上し、", YEARS[0], y)
    chars += place("職員の時間を振り向ける。", YEARS[0], y + 1.25 * SIZE)
    chars += place("目指すべき効果・成果", LABEL, y + 0.625 * SIZE)
    chars += place("R6実績", LABEL, y + PITCH) + place("委託を開始した。", YEARS[0], y + PITCH)
    return Page(2, 842.0, 595.0, tuple(chars), ())


def _read(before: list[Row], after: list[Row], top: float = 40.0) -> tuple[list[str], dict[str, str]]:
    """The table's schedule rows as read (label⇥R6⇥R7⇥R8⇥R9), and the withheld ones' reasons."""
    lines, [table] = join_pages([read_page(_first_page(before, top)), read_page(_next_page(after))])
    rows = [lines[n - 1][0] for n in table.rows]
    return rows, {lines[n - 1][0].split("\t")[0]: why for n, why in table.doubts.items()}


SHOPS: Row = (
    "（３）各種商店街補助金（①業務委託、②業務改善）",
    *("①検討②検討", "①実施②検討", "①実施②実施", "①検証、実施②検証、実施"),
)
CARE: Row = (
    "（４）介護人材確保及び育成・定着支援のための補助金の申請・受",
    *("①検討②検討", "①実施・拡大検討②検討", "①実施②実施", "①検証、実施②検証、実施"),
)
SANDBAGS: Row = (
    "土のう維持管理等の一元化土のうステーション維持管理等委託",
    *("委託業務内容の精査", "一部実施・検証", "実施・検", "実施・検"),
)


def test_a_numbered_row_split_by_the_page_break_is_joined_with_its_rest() -> None:
    """3-13's rows are numbered （１）…（４）: the next page opening with 「付業務…」, no number, is the
    rest of （４）, its label and its cells (R7 「…②検討」 + 「・実施」) joined."""
    rows, doubts = _read([SHOPS, CARE], [("付業務（①業務委託、②業務改善）", "", "・実施", "", "")])
    assert rows[-1].split("\t") == [
        "（４）介護人材確保及び育成・定着支援のための補助金の申請・受付業務（①業務委託、②業務改善）",
        "①検討②検討",
        "①実施・拡大検討②検討・実施",
        "①実施②実施",
        "①検証、実施②検証、実施",
    ]
    assert len(rows) == 2 and doubts == {}


def test_a_numbered_row_opening_the_next_page_is_a_row_of_its_own() -> None:
    whole = ("（４）介護人材確保に係る補助金", *CARE[1:])
    rows, doubts = _read([SHOPS], [whole])
    assert [r.split("\t")[0] for r in rows] == [SHOPS[0], whole[0]] and doubts == {}


def test_rows_not_numbered_parted_by_the_break_are_withheld_with_the_reason() -> None:
    """5-15's one row, 「…委託」 at a page's foot and 「（継続）」 at the next one's top: one row split
    (it is) or two rows, the page does not say. Both are withheld, saying why."""
    rows, doubts = _read([SANDBAGS], [("（継続）", "定調整", "選定調整", "証", "証")])
    assert len(rows) == 2
    assert set(doubts) == {SANDBAGS[0], "（継続）"}
    assert all("page break" in why for why in doubts.values())


def test_rows_printed_with_their_label_alone_continue_the_table_at_the_pages_top() -> None:
    """5-10's rows are left open in the report (labels, no cells), and its table begins low on its
    page: on the next page, above where tables began on the last one, they have nothing but the
    row labels to line up with, and still continue the table (they were dropped)."""
    rows, _ = _read(
        [("①普及啓発イベント", "", "", "", ""), ("①新たな広報活動", "", "", "", "")],
        [("②しごと相談・面接会、見学会等の実施", "", "", "", ""), ("②多様な働き方", "", "", "", "")],
        top=400.0,
    )
    assert [r.split("\t")[0] for r in rows] == [
        "①普及啓発イベント",
        "①新たな広報活動",
        "②しごと相談・面接会、見学会等の実施",
        "②多様な働き方",
    ]


def test_a_last_year_cell_wider_on_the_next_page_is_still_the_last_years() -> None:
    """1-29: the R9 cells before the break are short (運用), so the table's ink ends there; 「導入可否判断」
    on the next page runs further right and is still R9's cell (it was dropped unseen)."""
    first = ("①b 変動型最低制限価格", "運用、検証", "運用", "運用", "運用")
    last = ("③AIチェック導入の検討", "調査研究", "調査研究", "調査研究", "導入可否判断")
    rows, doubts = _read([first], [last])
    assert rows[-1].split("\t") == list(last) and doubts == {}
    assert YEARS[3] + SIZE * len("運用") < YEARS[3] + SIZE * len("導入可否判断")


def _schedule(before: list[Row], after: list[Row]) -> list[tuple[str, dict[str, str | None], bool]]:
    """The schedule of the record parsed from the two pages: label, cells, resolved per row."""
    lines, tables = join_pages([read_page(_first_page(before)), read_page(_next_page(after))])
    doc = SourceDocument(
        tuple(Line(no, text) for no, (text, _) in enumerate(lines, 1)), "two.pdf", "0" * 64, tuple(tables)
    )
    [record] = parse_document(doc).initiatives
    return [(r.label, dict(r.cells), r.resolved) for r in record.schedule]


def test_the_cells_words_join_a_row_the_break_parts_where_the_geometry_cannot() -> None:
    """5-15 again, parsed: 「実施・検」 and 「証」 are no cell words, 「実施・検証」 is, so the two rows are
    one, label and cells joined, and stated."""
    [(label, cells, resolved)] = _schedule([SANDBAGS], [("（継続）", "定調整", "選定調整", "証", "証")])
    assert label == "土のう維持管理等の一元化土のうステーション維持管理等委託（継続）" and resolved
    assert cells == {
        "R6": "委託業務内容の精査定調整",
        "R7": "一部実施・検証選定調整",
        "R8": "実施・検証",
        "R9": "実施・検証",
    }


def test_rows_whose_words_do_not_say_stay_withheld() -> None:
    """Two unnumbered rows either side of a break whose cells are each whole words (実施 | 検証): no
    evidence of a split either way, so both stay withheld with the extractor's reason."""
    first = ("窓口業務の委託", "検討", "実施", "実施", "検証")
    rows = _schedule([first], [("電子申請の導入", "準備", "検証", "運用", "運用")])
    assert [(label, resolved) for label, _, resolved in rows] == [
        (first[0], False),
        ("電子申請の導入", False),
    ]
