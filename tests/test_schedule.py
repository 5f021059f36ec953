"""年次別計画 reconstruction on real rows of the shipped report: each case a snippet cut from it
(tests/data/snippets/schedule/, lines numbered as in the report), records out."""

from __future__ import annotations

import pytest

from helpers import snippet
from plan_etl.extract.base import Line
from plan_etl.parsers.yearly_plan.cut_model import CutSettings, default_settings
from plan_etl.parsers.yearly_plan.phases import classify_phases
from plan_etl.parsers.yearly_plan.schedule import best_cut, build_row, join_pieces, pieces_of, split_rows
from plan_etl.parsers.yearly_plan.schedule_tables import TableInput, parse_schedules


def one_table(lines: list[Line]):
    [table] = parse_schedules(lines, [TableInput("x", list(range(len(lines))))])
    return table.rows, table.issues


def cells(row) -> list[str | None]:
    return [row.cells[y] for y in ("R6", "R7", "R8", "R9")]


def test_label_and_four_cells_on_one_line():
    lines = snippet("schedule/1-1_row2_one_line")
    row = build_row(pieces_of(lines, range(len(lines))))
    assert row.label == "②区政PR素材の拡充"
    assert row.number == 2
    assert cells(row) == ["検討", "実施・検証", "実施・検証", "実施・検証"]


def test_cells_spanning_lines_with_parenthesised_tails():
    # 1-5 ①: 「検討・一部実施」 / 「（５地区）」 is one cell: the most likely cut, though not likely
    # enough to state (the label could also end inside 「プラット / フォーム」)
    lines = snippet("schedule/1-5_row1_parenthesised_tails")
    pieces = pieces_of(lines, range(len(lines)))
    cut = best_cut(pieces, True)
    assert cut is not None
    assert join_pieces(cut.label) == "①地区情報共有プラットフォームの整備"
    assert [join_pieces(c) for c in cut.cells] == [
        "検討・一部実施（５地区）",
        "実施（１５地区）",
        "実施（２８地区）",
        "実施（２８地区）",
    ]
    rows, _ = one_table(lines)
    assert rows[0].confidence is not None and rows[0].confidence < default_settings().min_confidence
    assert not rows[0].resolved and rows[0].label == "①地区情報共有プラットフォームの整備"


def test_wrapped_label_and_wrapped_cells():
    # 1-3 ①: label over two lines, cells 「実施方法の」/「調整」 twice, then 「調査実施、」/「公開」, 「公開」
    lines = snippet("schedule/1-3_row1_wrapped")
    rows, _ = one_table(lines)
    assert rows[0].label == "①ベンチ調査、調査結果のオープンデータ化"
    assert cells(rows[0]) == ["実施方法の調整", "実施方法の調整", "調査実施、公開", "公開"]


def test_dash_cells_row_left_unresolved_with_its_fragments():
    # 1-14 ③: 「工事監理 ― ―」 carries three cells, two of them a dash; whether 「整備事業」 ends
    # the label or opens R6 is not decided well enough, so nothing is stated, everything is kept
    lines = snippet("schedule/1-14_row3_dash_cells")
    rows, issues = one_table(lines)
    assert not rows[0].resolved
    assert cells(rows[0]) == [None] * 4
    assert rows[0].raw is not None and "工事監理 / ― / ―" in rows[0].raw
    assert rows[0].reason is not None and "confidence" in rows[0].reason
    assert [i.code for i in issues] == ["unresolved_schedule_row"]
    assert classify_phases("―") == []


def test_split_label():
    # 1-9 ③: 「③架電から受電へのシフト」 / 「化」 / four cells on one line
    lines = snippet("schedule/1-9_row3_split_label")
    rows, _ = one_table(lines)
    assert rows[0].label == "③架電から受電へのシフト化"
    assert cells(rows[0]) == ["検討", "一部実施", "一部実施", "実施及び検証"]


def test_rows_come_out_in_number_order():
    # 1-5: the text tool prints ② and ③ before ① (line 905 is the 年次別計画 R6..R9 label)
    lines = snippet("schedule/1-5_rows_in_number_order")
    rows, _ = one_table(lines)
    assert [r.number for r in rows] == [1, 2, 3]
    assert cells(rows[1]) == ["実施"] * 4


def test_a_cell_printed_away_from_its_row():
    # 1-7: ④'s line holds its label and three cells; its R9 「実施、検証」 was printed after ②
    lines = snippet("schedule/1-7_cell_printed_away")
    rows, _ = one_table(lines)
    assert [r.label for r in rows] == [
        "①共感を得られるような寄附の使い道の設定",
        "②世田谷ならではの返礼品等の拡充",
        "③寄附しやすい環境の整備",
        "④流出抑制対策",
    ]
    assert cells(rows[1]) == ["検討、実施", "実施、検証", "実施、検証", "実施、検証"]
    assert cells(rows[3]) == ["検討、実施", "実施、検証", "実施、検証", "実施、検証"]


def test_nested_table_rows():
    # 5-11 「１．組織体制の強化」: sub-labels ①②③, then four cells each of ①②③ parts
    lines = snippet("schedule/5-11_nested_rows")
    lead, groups = split_rows(pieces_of(lines, range(len(lines))))
    assert not lead and len(groups) == 1
    row = build_row(groups[0].pieces)
    assert row.number == 1
    assert row.label == "１．組織体制の強化①参加と協働の推進②提案型ＰＴ制度の推進③ゼミ形式による勉強会の実施"
    assert row.cells["R6"] == "①現状分析②仕組み検討、ＰＴ実施、検証③仕組み検討"
    assert row.cells["R9"] == "①検討に基づく取組み実施、検証②ＰＴの実施、検証③ゼミの実施、検証"


def test_a_nested_rows_last_part_ends_where_the_text_says_not_where_the_weights_do():
    """5-11 ２: the last ③ part 「③検討・実施」 is followed by ３'s cells 「3年計画での実施 ...」
    printed above ３'s label. The part runs on only across a word, a bracket or a phrase left open,
    whatever the weights: with every gap scored as a continuation, ２ still ends at its ③."""
    lines = snippet("schedule/5-11_nested_last_part")
    glued = CutSettings(gap_weights={"bias": -10.0})
    for s in (default_settings(), glued):
        [table] = parse_schedules(lines, [TableInput("5-11", list(range(len(lines))))], s)
        second = next(r for r in table.rows if r.label.startswith("２．"))
        assert second.cells["R9"] == "①コンテンツの更新・拡大②機能拡大の検討③検討・実施"


def test_a_table_whose_row_was_printed_under_its_neighbour():
    # page 9: 1-3's rows, then 1-2's only row, all before 1-2's own labels; 1-2 gets nothing itself
    lines = snippet("schedule/1-3_1-2_row_under_neighbour")
    table_13, table_12 = parse_schedules(
        lines, [TableInput("1-3", list(range(len(lines)))), TableInput("1-2", [])]
    )
    rows_13, rows_12 = table_13.rows, table_12.rows
    assert [r.label for r in rows_13] == ["①ベンチ調査、調査結果のオープンデータ化", "②関係所管での活用"]
    assert cells(rows_13[1]) == ["活用方法及び事例の調査、検討"] * 2 + ["GISデータ活用"] * 2
    assert [r.label for r in rows_12] == [
        "「みどりのフィールドミュージアム、まちの生きものしらべ」事業の推進"
    ]
    assert cells(rows_12[0]) == [
        "システム構築、運用開始（試行）",
        "運用、保守、改善",
        "運用、保守、改善",
        "継続運用、保守、改善",
    ]


def test_undecidable_row_is_left_null_with_its_raw_text():
    # 4-2 ②: two cells right after the label, two more printed far below: the year order is unknown
    lines = snippet("schedule/4-2_row2_undecidable")
    rows, issues = one_table(lines)
    assert rows[0].label == "②その他施設"
    assert rows[0].resolved is False
    assert cells(rows[0]) == [None] * 4
    assert "各施設の管理" in rows[0].raw and "対象施設の" in rows[0].raw
    assert [i.code for i in issues] == ["unresolved_schedule_row"]


@pytest.mark.parametrize(
    ("cell", "phases"),
    [
        ("検討・一部実施（５地区）", ["検討", "実施"]),
        ("実施、検証", ["実施", "検証"]),
        ("システム構築、運用開始（試行）", ["準備", "試行", "実施", "運用"]),
        ("運用、保守、改善", ["運用", "見直し"]),
        ("―", []),
        (None, []),
    ],
)
def test_phase_classification(cell, phases):
    assert classify_phases(cell) == phases


def test_rows_read_cell_by_cell_are_taken_from_their_cells_never_from_tabs_in_the_text() -> None:
    """The reader hands a table's rows on as cells (`TableLines.cells`); the parser takes the grid
    path by that origin. A tab in a text report's line is text like any other."""
    cells = ("官民連携手法による民間提案制度の実施", "制度構築提案公募", "提案公募", "提案公募", "提案公募")
    shown = [Line(107, " ".join(cells))]  # however the line shows them
    [table] = parse_schedules(shown, [TableInput("1-11", [0], cells={107: cells})])
    [row] = table.rows
    assert row.label == cells[0] and list(row.cells.values()) == list(cells[1:]) and row.confidence is None

    tabbed = [Line(107, "\t".join(cells))]  # a text report with tabs in it: cut like any line
    [table] = parse_schedules(tabbed, [TableInput("1-11", [0])])
    assert all(r.confidence is not None or not r.resolved for r in table.rows)
