"""Line vocabulary of the initiative pages (layout.py), on lines of the shipped R6 report."""

from __future__ import annotations

import pytest

from plan_etl.extract.base import Line
from plan_etl.parsers.initiative.blocks import classify
from plan_etl.parsers.layout import (
    DEFAULT_PROSE,
    Kind,
    goal_of_line,
    is_page_header,
    is_page_number,
    is_results_label,
    is_schedule_label,
    is_schedule_tail,
    label_kind,
    split_glued_labels,
    width,
)
from report_lines import ReportText

REPORT_TEXT = ReportText("layout")  # tests/data/snippets/layout/: one file per test

# --- field labels ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("no", "printed", "kind", "span"),
    [
        (556, "取組み", Kind.CONTENT, 2),  # 取組み / 内容 on two lines (1-1)
        (591, "目指すべき", Kind.EFFECTS, 2),  # 目指すべき / 効果・成果 (1-1)
        (441, " 目指すべき", Kind.EFFECTS, 2),  # printed with a leading space (example page)
        (538, "R6実績", Kind.RESULTS, 1),
        (6156, "Ｒ６実績", Kind.RESULTS, 1),  # full-width R and 6 (3-11)
        (1268, "R６実績", Kind.RESULTS, 1),  # ASCII R, full-width 6 (1-8)
        (589, "年次別計画 R6 R7 R8 R9", Kind.SCHEDULE, 1),
        (7288, "R6 R7 R8 R9", Kind.SCHEDULE, 1),  # the year columns without 年次別計画 (4-6)
    ],
)
def test_label_kind_of_real_labels(no: int, printed: str, kind: Kind, span: int) -> None:
    assert REPORT_TEXT.text(no) == printed
    assert label_kind(REPORT_TEXT.text(no), REPORT_TEXT.next(no)) == (kind, span)


@pytest.mark.parametrize(
    ("no", "printed"),
    [
        (5834, "R8 R9"),  # tail of a 年次別計画 header printed apart (3-6)
        (7560, "R8 R9"),
        (8322, "R8 R9"),
    ],
)
def test_schedule_tail_is_a_column_header_not_a_label(no: int, printed: str) -> None:
    assert REPORT_TEXT.text(no).strip() == printed
    assert label_kind(REPORT_TEXT.text(no), REPORT_TEXT.next(no)) is None
    assert not is_schedule_label(REPORT_TEXT.text(no))
    assert is_schedule_tail(REPORT_TEXT.text(no))
    lines = REPORT_TEXT.lines(no - 4, no + 2)
    kinds = dict(zip((ln.no for ln in lines), classify(lines), strict=True))
    assert kinds[no] is Kind.COLUMN_HEADER


@pytest.mark.parametrize(
    "no",
    [
        1277,  # 「取組み」 a schedule cell (②寄附獲得拡大に向けた / 取組み), next line is a row of cells
        7868,  # 「取組み」 a cell (検証に基づく / 取組み) right above 年次別計画 R6 R7 R8 R9
        2960,  # 「R6実績 施設使用料・…」 a label glued to its text: not a label until split
        7910,  # 「取組み R6実績」
        604,  # 「②区政PR素材の拡充 検討 実施・検証 …」 a schedule row
        587,  # 「実施・検証 実施・検証 実施・検証」 cells
        721,  # results text with 「R6：従来型2,874件」
        810,  # 「（R７末）モデル」 a cell
        1269,  # results text
    ],
)
def test_label_kind_rejects_text_cells_and_glued_labels(no: int) -> None:
    assert label_kind(REPORT_TEXT.text(no), REPORT_TEXT.next(no)) is None
    assert not is_results_label(REPORT_TEXT.text(no))
    assert not is_schedule_label(REPORT_TEXT.text(no))


def test_schedule_tail_needs_one_or_two_years_only() -> None:
    assert not is_schedule_tail(REPORT_TEXT.text(589))  # 年次別計画 R6 R7 R8 R9
    assert not is_schedule_tail(REPORT_TEXT.text(7288))  # R6 R7 R8 R9 is a whole header (three or more years)
    assert not is_schedule_tail(REPORT_TEXT.text(721))


# --- glued labels -----------------------------------------------------------------------------


def test_split_label_glued_after_a_schedule_cell() -> None:
    # 5-5's cell 「検証に基づく / 取組み」 runs into 5-6's 「R6実績」 on one line
    lines = REPORT_TEXT.lines(7908, 7913)
    assert [ln.text for ln in lines] == [
        "検証に基づく",
        "取組み R6実績",
        "居住支援協議会の事務局運営の一部を委託したことにより、職員の時間を生",
        "み出し、議題や支援策等の企画・立案、検討などに取り組んだ。",
    ]
    assert split_glued_labels(lines) == [
        Line(7908, "検証に基づく"),
        Line(7910, "取組み"),
        Line(7910, "R6実績"),
        Line(7911, lines[2].text),
        Line(7913, lines[3].text),
    ]


@pytest.mark.parametrize(
    ("no", "rest"),
    [
        (2960, "施設使用料・利用料について、算定方法の考え方を示し、改定案を策定した。"),
        (3887, "おくやみコーナーの開設準備を進め、R7.３月から試行実施を行った。"),
        (5961, "報償費支払事務等の効率化に向けた準備としてシステム改修を進めた。"),
    ],
)
def test_split_label_glued_before_its_text(no: int, rest: str) -> None:
    lines = REPORT_TEXT.lines(no, no)
    assert lines[0].text == f"R6実績 {rest}"
    out = split_glued_labels(lines)
    assert out == [Line(no, "R6実績"), Line(no, rest)]
    assert label_kind(out[0].text, out[1].text) == (Kind.RESULTS, 1)


def test_split_leaves_other_lines_alone() -> None:
    # a results paragraph mentioning R6 (not a label), cells, a label on its own
    lines = REPORT_TEXT.lines(711, 734)
    assert split_glued_labels(lines) == lines


def test_split_then_classify_sees_the_results_label() -> None:
    lines = split_glued_labels(REPORT_TEXT.lines(2951, 2962))
    kinds = classify(lines)
    got = [(ln.no, k) for ln, k in zip(lines, kinds, strict=True)]
    assert got == [
        (2951, Kind.EFFECTS),
        (2952, Kind.EFFECTS),
        (2954, Kind.TEXT),
        (2956, Kind.TEXT),
        (2958, Kind.TEXT),
        (2960, Kind.RESULTS),
        (2960, Kind.TEXT),
        (2962, Kind.SCHEDULE),
    ]


# --- page furniture -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("no", "goal"),
    [
        (607, None),  # " Ⅲ プランの取組み"
        (608, None),  # "２．取組み項目 到達点１ 新たな仕組みづくり": goal only for a line starting 到達点
        (4032, None),  # " ２．取組み項目"
        (4034, None),  # "Ⅲ プランの取組み"
        (4035, 2),  # "到達点２ 区民目線からのサービス利便性の向上"
        (5480, 3),
        (6864, 4),
        (7389, 5),  # "到達点５ 組織力の向上・人材の育成" (the rest wrapped to the next line)
        (7812, None),  # "２．取組み項目 到達点５ 組織力の向上・人材の育成（専門性の向上）"
        (8297, None),  # the 項目 cell of 5-11 printed on its own
    ],
)
def test_page_headers(no: int, goal: int | None) -> None:
    assert is_page_header(REPORT_TEXT.text(no))
    assert goal_of_line(REPORT_TEXT.text(no)) == goal


@pytest.mark.parametrize(
    "no",
    [
        554,  # 項目 1-1 広報・広聴機能の強化 所管部 政策経営部
        854,  # 項目 1-4
        529,  # goal intro text
        1258,  # 【対象とする基金】
        3194,  # text mentioning 取組み内容
        8340,  # ①体制・取組み内容
    ],
)
def test_not_page_headers(no: int) -> None:
    assert not is_page_header(REPORT_TEXT.text(no))
    assert goal_of_line(REPORT_TEXT.text(no)) is None


def test_page_numbers() -> None:
    # the bottom of 1-6's page: two numbers printed with a trailing space, then the next page header
    lines = REPORT_TEXT.lines(1227, 1245)
    kinds = {ln.no: k for ln, k in zip(lines, classify(lines), strict=True)}
    assert [REPORT_TEXT.text(1232), REPORT_TEXT.text(1234)] == ["14 ", "11 "]
    assert is_page_number(REPORT_TEXT.text(1232)) and is_page_number(REPORT_TEXT.text(1234))
    assert kinds[1232] is Kind.PAGE_NUMBER and kinds[1234] is Kind.PAGE_NUMBER
    assert kinds[1238] is Kind.PAGE_HEADER and kinds[1239] is Kind.PAGE_HEADER
    assert kinds[1227] is Kind.ITEM and kinds[1241] is Kind.ITEM
    assert kinds[1228] is Kind.TEXT  # 政策経営部: a department, the header parser takes it later


@pytest.mark.parametrize("no", [474, 660, 913, 7763, 1269])  # 「化」「用」「（５地区）」「89.6％）」, text
def test_not_page_numbers(no: int) -> None:
    assert not is_page_number(REPORT_TEXT.text(no))


def test_goal_intro_lines_between_two_goal_lines() -> None:
    lines = REPORT_TEXT.lines(523, 557)
    got = {ln.no: k for ln, k in zip(lines, classify(lines), strict=True)}
    assert got == {
        523: Kind.PAGE_HEADER,  # ２．取組み項目
        524: Kind.PAGE_HEADER,  # Ⅲ プランの取組み
        525: Kind.PAGE_HEADER,
        527: Kind.PAGE_HEADER,  # 到達点１ 新たな仕組みづくり
        529: Kind.SECTION_INTRO,
        530: Kind.SECTION_INTRO,
        531: Kind.SECTION_INTRO,
        532: Kind.SECTION_INTRO,
        533: Kind.SECTION_INTRO,
        534: Kind.SECTION_INTRO,
        536: Kind.PAGE_HEADER,  # 到達点１ again: the intro is closed
        538: Kind.RESULTS,
        540: Kind.TEXT,
        542: Kind.TEXT,
        544: Kind.TEXT,
        546: Kind.TEXT,
        548: Kind.TEXT,
        550: Kind.TEXT,
        552: Kind.TEXT,
        554: Kind.ITEM,
        556: Kind.CONTENT,
        557: Kind.CONTENT,
    }


def test_goal_intro_with_a_wrapped_goal_name() -> None:
    # 到達点５ 組織力の向上・人材の育成 / （専門性の向上） / intro / 到達点５ … / R6実績
    lines = REPORT_TEXT.lines(7386, 7401)
    got = {ln.no: k for ln, k in zip(lines, classify(lines), strict=True)}
    assert [got[n] for n in (7386, 7387, 7389, 7398)] == [Kind.PAGE_HEADER] * 4
    assert [got[n] for n in (7390, 7392, 7393, 7394, 7395, 7396)] == [Kind.SECTION_INTRO] * 6
    assert got[7400] is Kind.RESULTS
    assert got[7401] is Kind.TEXT  # 5-1's results, not intro


def test_text_after_a_single_goal_line_is_not_intro() -> None:
    # a page header 「到達点２ …」 followed by an item header: nothing is intro
    lines = REPORT_TEXT.lines(4034, 4044)
    kinds = classify(lines)
    assert Kind.SECTION_INTRO not in kinds
    assert kinds[[ln.no for ln in lines].index(4037)] is Kind.ITEM


# --- display width ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("no", "expected"),
    [
        (538, 6),  # R6実績: two ASCII + two full-width
        (6156, 8),  # Ｒ６実績: all full-width
        (589, 22),  # 年次別計画 (10) + " R6 R7 R8 R9" (12)
        (581, 10),  # 試行・検証
        (577, 21),  # ①区民に伝わる効果的な: ① is ambiguous width, counted 1
        (546, 50),  # ②SNSにおける区政PR素材の充実に向けた検討を行った。: 6 narrow + 22 wide
        (594, 66),  # leading full-width space not counted, 33 wide characters
        (604, 55),  # a whole schedule row on one line
        (1232, 2),  # "14 ": trailing space not counted
    ],
)
def test_width(no: int, expected: int) -> None:
    assert width(REPORT_TEXT.text(no)) == expected


def test_width_separates_wrapped_paragraph_lines_from_cells() -> None:
    # 1-1: lines of 取組み内容 / 目指すべき効果・成果 that wrap, and the cells of schedule row ①
    wrapped = [REPORT_TEXT.text(n) for n in (561, 567, 573, 594, 600)]
    cells = [REPORT_TEXT.text(n) for n in (577, 579, 581, 583, 585)]
    assert min(map(width, wrapped)) >= DEFAULT_PROSE.wide
    assert max(map(width, cells)) <= 30
