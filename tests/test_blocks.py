"""Cutting the initiative section into tables (blocks.py): whole pages of the shipped R6 report on
which two tables' cells interleave. Each page is the report's own lines, numbered as in the file."""

from __future__ import annotations

from functools import cache

import pytest

from helpers import norm
from plan_etl.parsers.initiative.blocks import Block, Segmentation, segment
from plan_etl.parsers.layout import Kind
from plan_etl.parsers.text import join_wrapped
from report_lines import ReportText, gold_items, nos

REPORT_TEXT = ReportText("blocks")  # tests/data/snippets/blocks/: one file per test

FIELDS = {"content": Kind.CONTENT, "effects": Kind.EFFECTS, "results": Kind.RESULTS}

# whole pages: report line ranges and the items whose tables are printed on them, in order
PAGES = {
    "1-3+1-2": (607, 756, ["1-3", "1-2"]),
    "1-4+1-5": (757, 936, ["1-4", "1-5"]),
    "1-25+1-26": (2717, 2820, ["1-25", "1-26"]),
    "5-3+5-4": (7681, 7810, ["5-3", "5-4"]),
}


@cache
def page(name: str) -> Segmentation:
    first, last, _ = PAGES[name]
    return segment(REPORT_TEXT.lines(first, last))


def blocks_by_item(seg: Segmentation) -> dict[str, Block]:
    out: dict[str, Block] = {}
    for b in seg.blocks:
        assert b.header is not None, f"labels without a header at line {seg.lines[b.start].no}"
        out[b.header.item_id] = b
    return out


def field_lines(seg: Segmentation, block: Block, name: str) -> list[int]:
    return nos(list(seg.lines), block.fields.get(FIELDS[name], []))


def field_text(seg: Segmentation, block: Block, name: str) -> str:
    return join_wrapped(seg.lines[i].text for i in block.fields.get(FIELDS[name], []))


def test_pages_are_checked_against_the_report() -> None:
    assert [REPORT_TEXT.text(n) for n in (607, 757, 2717, 7681)] == [" Ⅲ プランの取組み"] * 4
    assert [REPORT_TEXT.text(n) for n in (757, 937, 2821, 7811)] == [" Ⅲ プランの取組み"] * 4  # the next page


@pytest.mark.parametrize("name", list(PAGES))
def test_one_block_per_table_in_page_order(name: str) -> None:
    seg = page(name)
    assert [b.header.item_id for b in seg.blocks if b.header] == PAGES[name][2]
    assert all(b.header is not None for b in seg.blocks)
    for b in seg.blocks:
        # every table on these pages has each label exactly once
        assert sorted(k.value for k in b.labels) == ["content", "effects", "results", "schedule"]
        assert all(len(v) == 1 for v in b.labels.values())


@pytest.mark.parametrize("name", list(PAGES))
def test_every_text_line_goes_to_one_place(name: str) -> None:
    """Each text line of the page is in one field, one header or the loose (schedule) lines of one table."""
    seg = page(name)
    owners: dict[int, list[str]] = {}
    for b in seg.blocks:
        assert b.header is not None
        places = {f"{b.header.item_id}.header": b.header.lines, f"{b.header.item_id}.loose": b.loose}
        places |= {f"{b.header.item_id}.{k.value}": v for k, v in b.fields.items()}
        for place, idx in places.items():
            for i in idx:
                owners.setdefault(i, []).append(place)
    for i, kind in enumerate(seg.kinds):
        if kind in (Kind.TEXT, Kind.ITEM):
            assert len(owners.get(i, [])) == 1, (seg.lines[i].no, seg.lines[i].text, owners.get(i))


# --- pages whose items are in the answer key -----------------------------------------------------

GOLD_ON_PAGE = [("1-3+1-2", "1-3"), ("1-3+1-2", "1-2"), ("1-4+1-5", "1-4"), ("1-4+1-5", "1-5")]


@pytest.mark.parametrize(("name", "key"), GOLD_ON_PAGE)
def test_fields_match_the_answer_key(name: str, key: str) -> None:
    seg = page(name)
    block = blocks_by_item(seg)[key]
    gold = gold_items()[key]
    assert block.header is not None
    assert nos(list(seg.lines), block.header.lines) == gold["source_lines"]["header"]
    assert (block.header.id_raw, norm(block.header.title)) == (gold["id_raw"], norm(gold["title"]))
    assert block.header.departments == gold["departments"]
    for name_ in FIELDS:
        assert field_lines(seg, block, name_) == gold["source_lines"][name_], name_
        assert norm(field_text(seg, block, name_)) == norm(gold[name_]), name_
    [label] = block.labels[Kind.RESULTS]
    assert seg.lines[label].text.strip() == gold["results_label"]


@pytest.mark.parametrize(("name", "key"), GOLD_ON_PAGE)
def test_schedule_cells_stay_out_of_paragraphs(name: str, key: str) -> None:
    """The answer key's schedule lines of the item are loose lines (for the schedule parser), never
    paragraph or header text."""
    seg = page(name)
    loose = {seg.lines[i].no for b in seg.blocks for i in b.loose}
    schedule = {n for row in gold_items()[key]["schedule"] for n in row["source_lines"]}
    assert schedule <= loose


def test_own_schedule_cells_are_in_the_own_block() -> None:
    seg = page("1-3+1-2")
    block = blocks_by_item(seg)["1-3"]
    schedule = {n for row in gold_items()["1-3"]["schedule"] for n in row["source_lines"]}
    assert schedule <= set(nos(list(seg.lines), block.loose))
    # 「GISデータ活」 / 「用」 under 1-3's R6実績 is a cell, not results text
    assert {672, 674} <= schedule


# --- 1-25 and 1-26: 1-26's results printed before its labels --------------------------------------


def test_results_printed_before_the_tables_labels() -> None:
    seg = page("1-25+1-26")
    items = blocks_by_item(seg)
    b25, b26 = items["1-25"], items["1-26"]
    # 1-26's R6実績 label (2782) is followed by schedule cells; its text came out right after
    # 1-25's header (2751), before any 1-26 label
    assert REPORT_TEXT.text(2782) == "R6実績" and REPORT_TEXT.text(2784) == "②展示内容の更なる充実"
    assert REPORT_TEXT.text(2753).startswith("①社会科見学受入時の施設見学")
    assert field_lines(seg, b26, "results") == [2753, 2755, 2757, 2759, 2761, 2763, 2765, 2767]
    assert field_text(seg, b26, "results").endswith("事務事業の実施体制の変更可否等について検討を行った。")
    assert field_lines(seg, b25, "results") == [2730, 2732]
    assert norm(field_text(seg, b25, "results")) == norm(
        "他自治体における跡地・跡施設の検討手法の調査や民間事業者へのヒアリングを実施した。"
    )


def test_other_fields_of_1_25_and_1_26() -> None:
    seg = page("1-25+1-26")
    items = blocks_by_item(seg)
    b25, b26 = items["1-25"], items["1-26"]
    assert b25.header is not None and b26.header is not None
    assert (b25.header.title, b25.header.departments) == ("跡地・跡施設等の有効活用", ["政策経営部"])
    assert nos(list(seg.lines), b25.header.lines) == [2751]
    assert (b26.header.title, b26.header.departments) == (
        "民家園維持運営の効率化及び有効活用",
        ["教育委員会事務局"],
    )
    assert nos(list(seg.lines), b26.header.lines) == [2816, 2817, 2819, 2820]
    assert field_lines(seg, b25, "effects") == [2723, 2725, 2727]
    assert field_lines(seg, b25, "content") == [2741, 2743, 2745, 2747, 2749]
    assert field_lines(seg, b26, "effects") == [2774, 2776, 2778, 2780]
    assert field_lines(seg, b26, "content") == [2804, 2806, 2808, 2810, 2812, 2814]


def test_schedule_rows_of_1_25_and_1_26_are_loose() -> None:
    seg = page("1-25+1-26")
    loose = {seg.lines[i].no for b in seg.blocks for i in b.loose}
    rows = {2736, 2769, 2784, 2786, 2787, 2789, 2791, 2793, 2795, 2799}
    assert rows <= loose


# --- 5-3 and 5-4: 5-3's effects run straight into 5-4's results -----------------------------------


def test_effects_running_into_the_next_tables_results() -> None:
    seg = page("5-3+5-4")
    items = blocks_by_item(seg)
    b3, b4 = items["5-3"], items["5-4"]
    # 5-4's R6実績 label (7769) sits right above its header; its text is 7757-7767, printed
    # straight after 5-3's 目指すべき効果・成果 with no label between
    assert REPORT_TEXT.text(7755) == "促進する。"
    assert REPORT_TEXT.text(7757).startswith("①施設受診の実施により")
    assert REPORT_TEXT.text(7769) == "R6実績"
    assert field_lines(seg, b3, "effects") == [7747, 7749, 7751, 7753, 7755]
    assert field_text(seg, b3, "effects").endswith("ペーパーレス化を促進する。")
    assert field_lines(seg, b4, "results") == [7757, 7759, 7761, 7763, 7765, 7767]
    assert field_text(seg, b4, "results").startswith("①施設受診の実施により、健康診断で使用していた")


def test_other_fields_of_5_3_and_5_4() -> None:
    seg = page("5-3+5-4")
    items = blocks_by_item(seg)
    b3, b4 = items["5-3"], items["5-4"]
    assert field_lines(seg, b3, "content") == [7689, 7691, 7693, 7695, 7697, 7699, 7701, 7703]
    assert field_lines(seg, b3, "results") == [7726, 7728, 7730, 7732, 7734, 7736, 7738, 7740]
    assert field_lines(seg, b4, "content") == [7776, 7778]
    assert field_lines(seg, b4, "effects") == [7793, 7795, 7797, 7799, 7801]
    assert b3.header is not None and b4.header is not None
    assert (b3.header.title, b3.header.departments) == ("DX基盤の整備", ["DX推進担当部"])
    assert (b4.header.title, b4.header.departments) == ("職員健康診断の実施手法等の見直し", ["総務部"])
    # the rows glued after paragraphs stay schedule text
    loose3 = set(nos(list(seg.lines), b3.loose))
    assert {7705, 7707, 7708, 7717, 7719, 7720, 7722, 7742} <= loose3
    assert {7780, 7786, 7803, 7810} <= set(nos(list(seg.lines), b4.loose))


def test_tables_an_extractor_read_are_taken_as_they_are() -> None:
    """A PDF's table handed over as line numbers (TableLines): each field is exactly its lines,
    even a line that reads like page furniture or a label elsewhere; schedule rows stay loose for
    the schedule stage; the header line is parsed as any header."""
    from plan_etl.extract.base import Line, TableLines

    texts = [
        "Ⅲ プランの取組み",
        "項目 1-11 官民連携手法による民間提案制度の実施 所管部 政策経営部",
        "取組み内容",
        "Ⅲ プランの取組み",  # a content line that reads like the page header
        "民間事業者からの提案を受け付ける制度を構築する。",
        "年次別計画 R6 R7 R8 R9",
        "官民連携手法による民間提案制度の実施\t制度構築提案公募\t提案公募\t提案公募\t提案公募",
        "目指すべき効果・成果",
        "区民サービスの向上を図る。",
        "R6実績",
        "制度を構築した。",
        "45",
    ]
    lines = [Line(no, t) for no, t in enumerate(texts, 101)]
    table = TableLines(
        header=(102,),
        labels={"content": 103, "schedule": 106, "effects": 108, "results": 110},
        fields={"content": (104, 105), "effects": (109,), "results": (111,)},
        rows=(107,),
    )
    seg = segment(lines, [table])
    [block] = seg.blocks
    assert block.header is not None and block.header.item_id == "1-11"
    assert block.header.departments == ["政策経営部"]
    got = {k: [seg.lines[i].no for i in v] for k, v in block.fields.items()}
    assert got == {Kind.CONTENT: [104, 105], Kind.EFFECTS: [109], Kind.RESULTS: [111]}
    assert [seg.lines[i].no for i in block.loose] == [107]
    assert (
        seg.kinds[0] == Kind.PAGE_HEADER and seg.kinds[3] == Kind.TEXT and seg.kinds[-1] == Kind.PAGE_NUMBER
    )
