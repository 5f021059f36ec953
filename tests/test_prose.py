"""Paragraph text vs schedule cells (prose.py) on snippets of the shipped R6 report."""

from __future__ import annotations

import pytest

from plan_etl.parsers.initiative.blocks import FURNITURE, classify
from plan_etl.parsers.initiative.prose import is_multi_cell, is_wide, starts_with_marker, take_prose
from plan_etl.parsers.layout import Kind, split_glued_labels
from report_lines import ReportText, gold_items

REPORT_TEXT = ReportText("prose")  # tests/data/snippets/prose/: one file per test


def prose_from(first: int, last: int, start: int) -> list[int]:
    """Report line numbers of the paragraph take_prose reads from line `start` within lines first..last,
    with furniture skipped and labels / headers stopping it, as the block reader sets it up."""
    lines = split_glued_labels(REPORT_TEXT.lines(first, last))
    kinds = classify(lines)

    def skip(i: int) -> bool:
        return kinds[i] in FURNITURE

    def stop(i: int) -> bool:
        return kinds[i] is not Kind.TEXT and not skip(i)

    begin = next(i for i, ln in enumerate(lines) if ln.no == start)
    return [lines[i].no for i in take_prose(lines, begin, len(lines), skip, stop)]


# --- a short last line ends the paragraph ------------------------------------------------------


def test_short_last_line_then_a_numbered_cell() -> None:
    # 1-4 目指すべき効果・成果: 「　　短縮を図る。」 ends it; 「②問い合わせ自体を」 is a schedule cell
    assert REPORT_TEXT.text(781) == "　　短縮を図る。"
    assert REPORT_TEXT.text(783) == "②問い合わせ自体を"
    got = prose_from(772, 795, 775)
    assert got == [775, 777, 779, 781]
    assert got == gold_items()["1-4"]["source_lines"]["effects"]


def test_two_line_paragraph_then_a_cell() -> None:
    # 1-5 目指すべき効果・成果, then 「②地区情報共有プラット」
    got = prose_from(882, 895, 885)
    assert got == [885, 887]
    assert got == gold_items()["1-5"]["source_lines"]["effects"]


def test_short_last_line_without_a_full_stop() -> None:
    # 5-3 取組み内容 ends 「　 活用推進」; next comes the cell 「①事務用ネットワーク環境」 / 「の構築」
    assert REPORT_TEXT.text(7703) == "　 活用推進"
    assert prose_from(7686, 7715, 7689) == [7689, 7691, 7693, 7695, 7697, 7699, 7701, 7703]


def test_paragraph_then_a_cell_that_is_not_numbered() -> None:
    # 1-3 R6実績 ends 「集計方法等の検証を行った。」, then the cell 「GISデータ活」 / 「用」
    got = prose_from(662, 677, 664)
    assert got == [664, 666, 668, 670]
    assert got == gold_items()["1-3"]["source_lines"]["results"]


# --- headings, numbered lists ------------------------------------------------------------------


def test_heading_over_its_paragraph() -> None:
    # 1-1 取組み内容: 「①区民に伝わる効果的な情報発信」 over 「　　既存の広報媒体や…」, three times;
    # the schedule row label 「①区民に伝わる効果的な」 / 「情報発信」 after it is not taken
    assert [REPORT_TEXT.text(n) for n in (559, 561)] == [
        "①区民に伝わる効果的な情報発信",
        "　　既存の広報媒体や動画広報などの企画や構成、編集について、外部人材等から",
    ]
    got = prose_from(556, 589, 559)
    assert got == [559, 561, 563, 565, 567, 569, 571, 573, 575]
    assert got == gold_items()["1-1"]["source_lines"]["content"]


def test_one_line_numbered_list_then_a_schedule_row_label() -> None:
    # 1-7 取組み内容: ① … ④ one line each, then the schedule row label
    # 「①共感を得られるような」 / 「寄附の使い道の設定」 and its cells
    assert REPORT_TEXT.text(948) == "①　共感を得られるような寄附の使い道の設定"
    assert REPORT_TEXT.text(956) == "①共感を得られるような"
    got = prose_from(945, 959, 948)
    assert got == [948, 950, 952, 954]
    assert got == gold_items()["1-7"]["source_lines"]["content"]


def test_bracketed_heading_and_list_inside_a_paragraph() -> None:
    assert [REPORT_TEXT.text(n) for n in (1258, 1260)] == [
        "【対象とする基金】",
        "　災害対策基金、国際平和交流基金、気候危機対策基金、",
    ]
    assert prose_from(1247, 1266, 1250) == [1250, 1252, 1254, 1256, 1258, 1260, 1262]


# --- schedule rows glued after a paragraph -----------------------------------------------------


@pytest.mark.parametrize(
    ("first", "last", "start", "expected", "row"),
    [
        # 1-1 目指すべき効果・成果, then 「②区政PR素材の拡充 検討 実施・検証 …」
        (591, 606, 594, [594, 596, 598, 600, 602], 604),
        # 1-26 R6実績 ①…④, then 「④事業実施体制の見直し 検討 検討 実施 検証・実施」
        (2751, 2772, 2753, [2753, 2755, 2757, 2759, 2761, 2763, 2765, 2767], 2769),
        # 5-3 R6実績 ①…④, then the row 「④ICTーBCPの強化 検証、実施 …」 with the same number
        (7724, 7745, 7726, [7726, 7728, 7730, 7732, 7734, 7736, 7738, 7740], 7742),
    ],
)
def test_schedule_row_after_a_paragraph(
    first: int, last: int, start: int, expected: list[int], row: int
) -> None:
    assert is_multi_cell(REPORT_TEXT.text(row))
    assert prose_from(first, last, start) == expected


def test_schedule_row_after_a_paragraph_matches_the_answer_key() -> None:
    assert prose_from(591, 606, 594) == gold_items()["1-1"]["source_lines"]["effects"]


# --- the pieces ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "no",
    [
        587,  # 実施・検証 実施・検証 実施・検証
        604,  # ②区政PR素材の拡充 検討 実施・検証 実施・検証 実施・検証
        959,  # 検討、実施 実施、検証 実施、検証 実施、検証
        2736,  # 跡地・跡施設等の有効活用 仕組みの検討 仕組みの検討 提案募集 提案募集
        7708,  # 実施、完了 運用
        7906,  # 検討・一部実施 実施 検討・実施
        8800,  # 実施・検証 実施・検証
    ],
)
def test_multi_cell_lines(no: int) -> None:
    assert is_multi_cell(REPORT_TEXT.text(no))
    assert not is_wide(REPORT_TEXT.text(no))


@pytest.mark.parametrize(
    "no",
    [
        948,  # ①　共感を得られるような寄附の使い道の設定 (number, full-width space, text)
        775,  # ① 問い合わせ先の明確化による区民の待ち時間の短縮、取次時間の減に
        779,  # ②③ 迅速な問い合わせ対応、…
        7795,  # ・ペーパーレス化の推進（5万枚/年※の削減）　※順次拡大しR8以降
        594,  # a wrapped paragraph line
        577,  # ①区民に伝わる効果的な (one cell)
    ],
)
def test_not_multi_cell(no: int) -> None:
    assert not is_multi_cell(REPORT_TEXT.text(no))


def test_wide_is_paragraph_width_and_not_a_row() -> None:
    assert is_wide(REPORT_TEXT.text(594)) and is_wide(REPORT_TEXT.text(775))
    assert not is_wide(REPORT_TEXT.text(604))  # 55 columns, but a row of cells
    assert not is_wide(REPORT_TEXT.text(781))  # 「　　短縮を図る。」


@pytest.mark.parametrize(
    ("no", "expected"),
    [
        (559, True),  # ①区民に伝わる効果的な情報発信
        (594, True),  # full-width indent
        (713, True),  # ・案内マップ及び…
        (596, False),  # a wrapped line
        (7767, False),  # a wrapped line
    ],
)
def test_starts_with_marker(no: int, expected: bool) -> None:
    assert starts_with_marker(REPORT_TEXT.text(no).rstrip().lstrip(" \t")) is expected


def test_prose_widths_are_settings() -> None:
    """The widths that tell a paragraph from cells are a settings object: a real line of 1-1's
    取組み内容 (46 columns) is paragraph text at the default, not when `wide` is raised past it."""
    from plan_etl.parsers.initiative.prose import is_multi_cell, is_wide
    from plan_etl.parsers.layout import DEFAULT_PROSE, ProseSettings, width

    line = "既存の広報媒体や動画広報などの企画や構成、編集について、外部人材等から"
    assert width(line) >= DEFAULT_PROSE.wide and is_wide(line)
    assert not is_wide(line, ProseSettings(wide=width(line) + 1))
    cells = "７公園 （継続含む）"  # two short parts (1-20): two cells of a row on one line
    assert is_multi_cell(cells) and not is_multi_cell(cells, ProseSettings(pair_cell=3))


def test_prose_widths_are_set_through_the_api() -> None:
    """`CutSettings.prose` reaches the paragraph reader through `parse_document`: with `wide` raised
    past every line, no line reads as a paragraph by its width alone, and the records change."""
    from dataclasses import replace

    from helpers import REPORT
    from plan_etl.api import parse_document
    from plan_etl.extract.text import read_text_document
    from plan_etl.parsers.layout import ProseSettings
    from plan_etl.parsers.yearly_plan.cut_model import default_settings

    doc = read_text_document(REPORT)
    usual = parse_document(doc)
    narrow = parse_document(doc, replace(default_settings(), prose=ProseSettings(wide=10_000)))
    assert usual.model_dump() != narrow.model_dump()
    assert parse_document(doc, default_settings()).model_dump() == usual.model_dump()
