"""The PDF table reader on page objects placed by hand: each rule of `extract.pdf_layout` on real
words of the report, in layouts our generator does not draw (no rules, stacked and vertical labels,
uneven year columns, a header in cells, row labels in a second column)."""

from __future__ import annotations

from plan_etl.extract.page_objects import Char, Page, Segment
from plan_etl.extract.pdf_layout import (
    find_labels,
    page_lines,
    runs_of,
)

SIZE = 6.0


def place(text: str, x: float, top: float, size: float = SIZE) -> list[Char]:
    """`text` printed from (x, top), one full-width character per `size` points."""
    out = []
    for ch in text:
        w = size if ord(ch) > 0x2000 else size / 2
        out.append(Char(ch, x, top, x + w, top + size, size))
        x += w
    return out


def column(lines: list[str], x: float, top: float, size: float = SIZE) -> list[Char]:
    """Lines of one cell, one below the other at a leading of 1.25."""
    return [c for k, line in enumerate(lines) for c in place(line, x, top + k * size * 1.25, size)]


def page(chars: list[Char], segments: list[Segment] = ()) -> Page:  # type: ignore[assignment]
    return Page(1, 842.0, 595.0, tuple(chars), tuple(segments))


def test_runs_split_at_wide_gaps_and_rules_not_inside_words() -> None:
    chars = place("検討・実施", 100, 50) + place("実施", 100 + 5 * SIZE + 4, 50) + place("改善", 200, 50)
    runs = runs_of(chars, [Segment(150, 40, 150, 70)])
    assert [r.text for r in runs] == ["検討・実施", "実施", "改善"]
    # a rule in a narrow gap splits them too (cells ruled tight), one under abutting glyphs does not
    edge = 100 + 2 * SIZE + 0.5
    tight = place("検討", 100, 80) + place("改善", edge + 0.5, 80)
    assert [r.text for r in runs_of(tight, [Segment(edge, 75, edge, 90)])] == ["検討", "改善"]
    bar = place("環境政策部", 100, 80)
    assert [r.text for r in runs_of(bar, [Segment(100 + 2 * SIZE, 75, 100 + 2 * SIZE, 90)])] == ["環境政策部"]


def test_labels_found_in_one_run_stacked_or_one_character_a_line() -> None:
    one = runs_of(place("取組み内容", 10, 10))
    two = runs_of(column(["取組み", "内容"], 10, 10))
    vertical = runs_of(column(list("取組み内容"), 10, 10))
    for runs in (one, two, vertical):
        [label] = find_labels(runs, "取組み内容")
        assert label.top == 10
    # pieces too far apart are two unrelated words, not one label
    apart = runs_of(place("取組み", 10, 10) + place("内容", 10, 60))
    assert find_labels(apart, "取組み内容") == []


def _table(
    x: float, ruled: bool, merged: bool, split_header: bool, widths: tuple[float, ...]
) -> tuple[list[Char], list[Segment]]:
    """One initiative table (1-11's words) at x in a layout chosen by the flags."""
    label_w = 60.0
    chars: list[Char] = []
    segs: list[Segment] = []
    y = 40.0
    if split_header:
        chars += place("項目", x + 2, y) + place("1-11", x + label_w + 2, y)
        chars += column(["官民連携手法による民間", "提案制度の実施"], x + label_w + 40, y)
        chars += place("所管部", x + label_w + 120, y) + column(
            ["政策経営部", "財務部"], x + label_w + 150, y
        )
        y += 20
    else:
        chars += place("項目 1-11 官民連携手法による民間提案制度の実施 所管部 政策経営部、財務部", x + 2, y)
        y += 12
    if ruled:
        segs.append(Segment(x, y - 2, x + label_w + sum(widths), y - 2))
    chars += column(["取組み", "内容"], x + 2, y) + place("民間提案制度を実施する。", x + label_w + 2, y)
    y += 20
    if ruled:
        segs.append(Segment(x, y - 2, x + label_w + sum(widths), y - 2))
    sched_top = y
    if not merged:
        chars += place("年次別計画", x + 2, y)
    edges = [x + label_w]
    for w in widths:
        edges.append(edges[-1] + w)
    for k, year in enumerate(("R6", "R7", "R8", "R9")):
        chars += place(year, (edges[k] + edges[k + 1]) / 2 - SIZE / 2, y)
    y += 12
    rows = [
        ("①制度構築", ["制度構築", "提案公募"], ["提案公募"], ["提案公募"], ["検証"]),
        ("②民間提案", ["検討"], ["検討・実施"], ["改善"], ["改善", "（継続）"]),
    ]
    label_x = x + 2 + (20 if merged else 0)
    for label, *cells in rows:
        if ruled:
            segs.append(Segment(x, y - 2, edges[-1], y - 2))
        chars += place(label, label_x, y)
        for k, cell in enumerate(cells):
            chars += column(cell, edges[k] + 2, y)
        y += max(len(c) for c in cells) * SIZE * 1.25 + 6
    if merged:
        chars += column(list("年次別計画"), x + 2, sched_top)
        y = max(y, sched_top + 5 * SIZE * 1.25 + 6)
    if ruled:
        segs.append(Segment(x, y - 2, edges[-1], y - 2))
        segs += [Segment(e, sched_top - 2, e, y - 2) for e in edges]
    chars += place("目指すべき効果・成果", x + 2, y) + place("民間の力を活かす。", x + label_w + 40, y)
    y += 12
    chars += place("Ｒ６実績", x + 2, y) + place("提案を受け付けた。", x + label_w + 2, y)
    return chars, segs


EXPECTED = [
    "項目 1-11 官民連携手法による民間提案制度の実施 所管部 政策経営部、財務部",
    "取組み内容",
    "民間提案制度を実施する。",
    "年次別計画 R6 R7 R8 R9",
    "①制度構築\t制度構築提案公募\t提案公募\t提案公募\t検証",
    "②民間提案\t検討\t検討・実施\t改善\t改善（継続）",
    "目指すべき効果・成果",
    "民間の力を活かす。",
    "Ｒ６実績",
    "提案を受け付けた。",
]


def test_ruled_table_read_by_labels() -> None:
    chars, segs = _table(30, ruled=True, merged=False, split_header=False, widths=(80, 80, 80, 80))
    lines, n = page_lines(page(chars, segs))
    assert n == 1
    assert lines == EXPECTED


def test_unruled_table_with_uneven_columns_split_header_and_merged_labels() -> None:
    chars, segs = _table(30, ruled=False, merged=True, split_header=True, widths=(60, 110, 70, 90))
    lines, n = page_lines(page(chars, segs))
    assert n == 1
    assert lines[0] == "項目 1-11 官民連携手法による民間提案制度の実施 所管部 政策経営部、財務部"
    assert lines[1:] == EXPECTED[1:]


def test_two_tables_side_by_side_are_read_apart() -> None:
    left, ls = _table(30, ruled=True, merged=False, split_header=False, widths=(80, 80, 80, 80))
    right, rs = _table(430, ruled=False, merged=False, split_header=False, widths=(75, 75, 75, 75))
    header = place("２．取組み項目 到達点１ 新たな仕組みづくり", 30, 10)
    lines, n = page_lines(page(header + left + right + place("12", 420, 580), ls + rs))
    assert n == 2
    assert lines == ["２．取組み項目 到達点１ 新たな仕組みづくり", *EXPECTED, *EXPECTED, "12"]


def test_plain_text_in_columns_is_read_a_column_at_a_time() -> None:
    """A goal block (the report's words) with its examples in a box beside the text, the box
    shorter than the text, and the amounts below across both: the text column is read whole, then
    the box, then the amounts; a line with a wide space in it stays one line; a blank line's gap
    ends a block, so the next goal's columns are read apart."""
    from plan_etl.extract.pdf_layout import reading_lines, runs_of

    def goal(top: float, name: str, examples: list[str]) -> list[Char]:
        left = [name, "内部の業務改善を図り、業務時間を削減します。", "組織 人材 施設", "到達点 視点"]
        right = ["主な効果・成果例", *examples]
        chars = column(left, 30, top) + column(right, 400, top)
        chars += place(
            "Ｒ６予算額 ： 374 百万円", 30, top + len(left) * SIZE * 1.25 + 1.5 * SIZE
        )  # a line apart
        return chars

    chars = goal(50, "職員の時間の効果的活用", ["▶ 内部定型事務の効率的運用", "▶ ＤＸによる事務の効率化"])
    chars += goal(120, "業務量増に対しての効率的対応", ["▶ 新たな維持管理手法の検討・構築"])
    lines = reading_lines(runs_of(chars))
    first = [
        "職員の時間の効果的活用",
        "内部の業務改善を図り、業務時間を削減します。",
        "組織 人材 施設",
        "到達点 視点",
        "主な効果・成果例",
        "▶ 内部定型事務の効率的運用",
        "▶ ＤＸによる事務の効率化",
        "Ｒ６予算額 ： 374 百万円",
    ]
    assert lines[: len(first)] == first
    assert lines[len(first)] == "業務量増に対しての効率的対応"
    assert lines[-2:] == ["▶ 新たな維持管理手法の検討・構築", "Ｒ６予算額 ： 374 百万円"]
