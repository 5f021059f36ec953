"""項目 / 所管部 header cells (header.py) on header snippets of the shipped R6 report."""

from __future__ import annotations

import pytest

from helpers import norm
from plan_etl.extract.base import Line
from plan_etl.parsers.initiative.blocks import classify, segment
from plan_etl.parsers.initiative.header import (
    ItemHeader,
    looks_like_departments,
    parse_headers,
    split_departments,
    split_header_line,
)
from plan_etl.parsers.layout import ITEM_START, Kind, split_glued_labels
from report_lines import ReportText, gold_items, nos

REPORT_TEXT = ReportText("header")  # tests/data/snippets/header/: one file per test


def read_headers(first: int, last: int) -> tuple[list[Line], list[ItemHeader]]:
    """Headers of report lines first..last, candidates and stops found as segment() finds them."""
    lines = split_glued_labels(REPORT_TEXT.lines(first, last))
    kinds = classify(lines)
    stops = {i for i, k in enumerate(kinds) if k not in (Kind.TEXT, Kind.ITEM)}
    candidates = [i for i, k in enumerate(kinds) if k is Kind.ITEM]
    return lines, parse_headers(lines, candidates, stops)


def summary(lines: list[Line], h: ItemHeader) -> tuple[str, str, int, int | None, str, list[str], list[int]]:
    return h.id_raw, h.item_id, h.goal, h.part, h.title, h.departments, nos(lines, h.lines)


def test_one_line_header() -> None:
    assert REPORT_TEXT.text(554) == "項目 1-1 広報・広聴機能の強化 所管部 政策経営部"
    lines, headers = read_headers(554, 557)  # header, then 取組み / 内容
    assert [summary(lines, h) for h in headers] == [
        ("1-1", "1-1", 1, None, "広報・広聴機能の強化", ["政策経営部"], [554])
    ]
    gold = gold_items()["1-1"]
    assert (headers[0].title, headers[0].departments) == (gold["title"], gold["departments"])
    assert nos(lines, headers[0].lines) == gold["source_lines"]["header"]


def test_multi_line_header_one_department_a_line() -> None:
    # 項目 1-4 / title in two lines / 所管部 / three departments, then 1-5's R6実績
    lines, headers = read_headers(854, 868)
    assert [ln.text for ln in lines[:7]] == [
        "項目 1-4",
        "お問い合わせセンター運営業務の",
        "再構築",
        "所管部",
        "政策経営部",
        "庁舎管理担当部",
        "DX推進担当部",
    ]
    assert [summary(lines, h) for h in headers] == [
        (
            "1-4",
            "1-4",
            1,
            None,
            "お問い合わせセンター運営業務の再構築",
            ["政策経営部", "庁舎管理担当部", "DX推進担当部"],
            [854, 855, 857, 858, 860, 862, 864],
        )
    ]
    gold = gold_items()["1-4"]
    assert (headers[0].title, headers[0].departments) == (gold["title"], gold["departments"])
    assert nos(lines, headers[0].lines) == gold["source_lines"]["header"]


def test_title_in_three_lines_with_inner_space() -> None:
    lines, headers = read_headers(736, 746)
    gold = gold_items()["1-2"]
    assert [summary(lines, h) for h in headers] == [
        ("1-2", "1-2", 1, None, gold["title"], ["みどり３３推進担当部"], [736, 737, 739, 741, 743])
    ]
    assert headers[0].title == (
        "デジタル化による 「みどりのフィールドミュージアム、まちの生きものしらべ」事業の推進"
    )


def test_departments_glued_to_the_next_header() -> None:
    # 1-16's 所管部 cell and 1-17's header came out on one line (report lines 1790-1798)
    assert REPORT_TEXT.text(1794) == "所管部 環境政策部 項目 1-17 防災士の地域防災活動への参加促進 所管部"
    lines, headers = read_headers(1790, 1800)
    assert [summary(lines, h) for h in headers] == [
        (
            "1-16",
            "1-16",
            1,
            None,
            "脱炭素地域づくりや新たな気候変動対策等に向けた専門人材の活用",
            ["環境政策部"],
            [1790, 1791, 1793, 1794],
        ),
        (
            "1-17",
            "1-17",
            1,
            None,
            "防災士の地域防災活動への参加促進",
            ["危機管理部", "各総合支所"],
            [1794, 1796, 1798],
        ),
    ]


def test_split_header_line_at_the_glued_header() -> None:
    before, rest = split_header_line(REPORT_TEXT.text(1794)) or ("", "")
    assert before == "所管部 環境政策部 "
    assert rest == "項目 1-17 防災士の地域防災活動への参加促進 所管部"


def test_departments_separated_by_commas_and_wrapped() -> None:
    # 2-5: 所管部 ends the header line, seven departments follow on two lines split at 、
    assert REPORT_TEXT.text(4038) == "都市整備政策部、防災街づくり担当部、みどり３３推進担当部、"
    lines, headers = read_headers(4032, 4044)
    assert [summary(lines, h) for h in headers] == [
        (
            "2-5",
            "2-5",
            2,
            None,
            "都市整備領域における窓口、申請手続き及び情報共有等のDX推進",
            [
                "都市整備政策部",
                "防災街づくり担当部",
                "みどり３３推進担当部",
                "道路・交通計画部",
                "土木部",
                "各総合支所",
                "DX推進担当部",
            ],
            [4037, 4038, 4040],
        )
    ]


def test_item_cell_printed_apart() -> None:
    # 5-11: 「5-11 執行体制の整備と人材育成 所管部」, departments, then 「項目」 alone
    assert [REPORT_TEXT.text(n) for n in (8290, 8297)] == ["5-11 執行体制の整備と人材育成 所管部", "項目"]
    lines, headers = read_headers(8286, 8300)
    gold = gold_items()["5-11"]
    assert [summary(lines, h)[:6] for h in headers] == [
        ("5-11", "5-11", 5, None, gold["title"], gold["departments"])
    ]
    assert gold["departments"] == ["総務部", "政策経営部", "各部"]
    # the header stops at 項目: 取組み / 内容 is not a department
    assert nos(lines, headers[0].lines)[:4] == [8290, 8291, 8293, 8295]


def test_item_cell_printed_apart_is_part_of_the_header_lines() -> None:
    lines, headers = read_headers(8286, 8300)
    assert nos(lines, headers[0].lines) == gold_items()["5-11"]["source_lines"]["header"]


@pytest.mark.parametrize(
    ("first", "last", "id_raw", "item_id", "goal", "part", "departments"),
    [
        (3966, 3977, "2-４", "2-4", 2, None, ["地域行政部", "各総合支所", "DX推進担当部"]),
        (6798, 6809, "３－１７", "3-17", 3, None, ["子ども・若者部"]),
        (
            8464,
            8478,
            "5-13①",
            "5-13",
            5,
            1,
            ["各総合支所", "危機管理部", "地域行政部", "保健福祉政策部"],
        ),
        (
            8551,
            8562,
            "5-13②",
            "5-13",
            5,
            2,
            ["世田谷保健所", "各総合支所", "危機管理部", "保健福祉政策部"],
        ),
    ],
)
def test_ids_as_printed(
    first: int, last: int, id_raw: str, item_id: str, goal: int, part: int | None, departments: list[str]
) -> None:
    _, headers = read_headers(first, last)
    assert [(h.id_raw, h.item_id, h.goal, h.part, h.departments) for h in headers] == [
        (id_raw, item_id, goal, part, departments)
    ]


def test_full_width_id_with_a_long_wrapped_title() -> None:
    lines, headers = read_headers(6798, 6809)
    assert headers[0].title == (
        "子ども・子育て地域活動支援助成事業の申請・受付業務等の効率化、相談・支援体制の充実"
    )
    assert nos(lines, headers[0].lines) == [6798, 6800, 6802, 6804, 6806]


def test_headers_agree_with_the_answer_key_through_segment() -> None:
    gold = gold_items()
    for first, last, key in [
        (3966, 3977, "2-4"),
        (8464, 8478, "5-13#1"),
        (8551, 8562, "5-13#2"),
    ]:
        seg = segment(REPORT_TEXT.lines(first, last))
        [h] = [b.header for b in seg.blocks if b.header is not None]
        g = gold[key]
        assert (h.id_raw, h.item_id, h.part) == (g["id_raw"], g["item_id"], g["part"]), key
        assert norm(h.title) == norm(g["title"]), key
        assert h.departments == g["departments"], key
        assert nos(list(seg.lines), h.lines) == g["source_lines"]["header"], key


# --- the pieces --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("no", "is_header"),
    [
        (554, True),  # 項目 1-1 …
        (854, True),  # 項目 1-4
        (8290, True),  # 5-11 … 所管部 (no 項目)
        (1794, True),  # glued: 所管部 環境政策部 項目 1-17 …
        (6798, True),  # 項目 ３－１７
        (8297, False),  # 項目 alone
        (858, False),  # 所管部 alone
        (7763, False),  # 89.6％） (digits, no id)
        (3887, False),  # R6実績 … R7.３月から
    ],
)
def test_item_start(no: int, is_header: bool) -> None:
    assert (ITEM_START.search(REPORT_TEXT.text(no).strip()) is not None) is is_header


@pytest.mark.parametrize(
    ("no", "expected"),
    [
        (4038, True),  # 都市整備政策部、防災街づくり担当部、みどり３３推進担当部、
        (4040, True),  # 道路・交通計画部、土木部、各総合支所、DX推進担当部
        (8553, True),  # 世田谷保健所
        (1798, True),  # 各総合支所
        (1791, False),  # a title line
        (741, False),  # 事業の推進 (title)
        (1800, False),  # R6実績
        (8299, False),  # 取組み
    ],
)
def test_looks_like_departments(no: int, expected: bool) -> None:
    assert looks_like_departments(REPORT_TEXT.text(no)) is expected


def test_split_departments() -> None:
    assert split_departments(REPORT_TEXT.text(4038) + REPORT_TEXT.text(4040)) == [
        "都市整備政策部",
        "防災街づくり担当部",
        "みどり３３推進担当部",
        "道路・交通計画部",
        "土木部",
        "各総合支所",
        "DX推進担当部",
    ]
    # 5-2 on one line: 「… 所管部 政策経営部、施設営繕担当部」
    assert REPORT_TEXT.text(7562).endswith("所管部 政策経営部、施設営繕担当部")
    assert split_departments(REPORT_TEXT.text(7562).partition("所管部")[2]) == [
        "政策経営部",
        "施設営繕担当部",
    ]
