"""Table-of-contents parser: real snippets of the R6 report and an end-to-end check against gold_dev.json."""

from __future__ import annotations

import json

import pytest

from helpers import REPORT, norm, require_answer_key
from plan_etl.extract.base import Line
from plan_etl.extract.text import read_text_document
from plan_etl.parsers.front.toc import parse_toc
from plan_etl.schemas.records import Issue, TocEntry

# report lines 217-240: the list opens (after the last goal page) with 1-８ printed with a full-width digit
TOC_START = """\
 Ⅲ プランの取組み
１．取組み項目一覧

　到達点１　新たな仕組みづくり

1-1 広報・広聴機能の強化 P.8

1-2 デジタル化による 「みどりのフィールドミュージアム、まちの生きものしらべ」事業の推進 P.9

1-3  「座れる場」電子データ台帳の構築 P.9

1-4 お問い合わせセンター運営業務の再構築 P.10

1-5 地区情報共有プラットフォームの整備 P.10

1-6 税外収入の確保の推進 P.11

1-7 ふるさと納税対策の推進 P.11

1-８ 基金の効果的活用に向けたあり方検討 P.12

1-9 電話催告センターの活用範囲の拡充 P.12

1-10 国保保険料催告業務の手法の見直し P.13"""

# report lines 344-356: 2‐25 (U+2010 dash), then a page break repeating the section header
TOC_BREAK = """\
2-23 自動通話録音機貸与事業の推進 P.40

2-24 オンライン相談・手続き支援の拡充 P.41

2‐25 オープンデータの推進 P.41
 Ⅲ プランの取組み
１．取組み項目一覧

　到達点３　職員の時間の効果的活用

3-1 職員の人事・給与・福利事務の手法の見直し P.42

3-2 封入封緘・発送等業務の効率化 P.43"""

# report lines 384-442: 3‐17, 5-１, then the first initiative page
TOC_END = """\
3-16 子育てひろば等補助金事務の効率化 P.50

3‐17 子ども・子育て地域活動支援助成事業の申請・受付業務等の効率化、相談・支援体制の充実 P.50

　到達点４　業務量増に対しての効率的対応

4-1 庁舎の維持管理の効率化 P.51

4-2 公共施設の新たな維持管理手法の導入 P.52

4-3 大規模公園の管理運営業務の効率化 P.52

4-4 道路等の公共施設維持管理の包括的管理の導入検討 P.53

4-5 土木工事の発注方式の見直し等による業務効率化 P.53

4-6 道路通報の対応業務、道路巡回作業の効率化 P.54

4-7 事業用大規模建築物への立入調査の効率化 P.54

4-8 工事監督業務における働き方の効率化の検討 P.55

　到達点５　組織力の向上・人材の育成（専門性の向上）

5-１ 区立保育園での業務改善の推進 P.56

5-2 ファシリティマネジメント推進体制の構築 P.57

5-3 DX基盤の整備 P.58

5-4 職員健康診断の実施手法等の見直し P.58

5-5 会計年度任用職員制度の適正な運用に向けた見直し P.59

5-6 世田谷区居住支援協議会事務局運営の効率化 P.59

5-7 区職員派遣の適正化 P.60

5-8 管理部門の区職員派遣の適正化 P.60

5-9 おでかけひろばスタッフの質の向上を目的とした研修運営業務の効率化 P.61

5-10 福祉人材の確保、育成、定着支援の推進 P.61

5-11 執行体制の整備と人材育成 P.62

5-12 DX人材の育成 P.62

5-13 地区・地域防災力の強化 P.63

5-14 物資の確実な確保・提供に向けた体制整備 P.64

5-15 土のうの維持管理及び区民配布用土のうの一元化 P.64

5-16 保健医療福祉総合プラザにおける災害医療対応の体制強化 P.65

5-17 スポーツ施設の災害対策に資する機能の強化 P.65
 目指すべき
効果・成果"""


def lines_of(text: str, start: int) -> list[Line]:
    """Number a snippet's lines as they are numbered in the report."""
    return [Line(start + i, t) for i, t in enumerate(text.split("\n"))]


def fields(e: TocEntry) -> tuple[str, str, str, int, int, int]:
    return e.item_id, e.id_raw, e.title, e.page, e.goal, e.line


def test_start_of_the_list() -> None:
    issues: list[Issue] = []
    entries = parse_toc(lines_of(TOC_START, 217), issues)
    assert [e.item_id for e in entries] == [f"1-{n}" for n in range(1, 11)]
    assert fields(entries[0]) == ("1-1", "1-1", "広報・広聴機能の強化", 8, 1, 222)
    # inner space kept as printed, the double space after the id is not part of the title
    assert (
        entries[1].title
        == "デジタル化による 「みどりのフィールドミュージアム、まちの生きものしらべ」事業の推進"
    )
    assert entries[2].title == "「座れる場」電子データ台帳の構築"
    assert fields(entries[7]) == ("1-8", "1-８", "基金の効果的活用に向けたあり方検討", 12, 1, 236)
    assert issues == []


def test_odd_dash_and_page_header_in_the_middle() -> None:
    entries = parse_toc(lines_of(TOC_BREAK, 344))
    assert [fields(e) for e in entries] == [
        ("2-23", "2-23", "自動通話録音機貸与事業の推進", 40, 2, 344),
        ("2-24", "2-24", "オンライン相談・手続き支援の拡充", 41, 2, 346),
        ("2-25", "2‐25", "オープンデータの推進", 41, 2, 348),
        ("3-1", "3-1", "職員の人事・給与・福利事務の手法の見直し", 42, 3, 354),
        ("3-2", "3-2", "封入封緘・発送等業務の効率化", 43, 3, 356),
    ]


def test_end_of_the_list_and_goal_headings() -> None:
    entries = parse_toc(lines_of(TOC_END, 384))
    assert entries[0].goal == 3  # no heading seen yet: goal from the id (with a warning)
    by_id = {e.item_id: e for e in entries}
    assert fields(by_id["3-17"]) == (
        "3-17",
        "3‐17",
        "子ども・子育て地域活動支援助成事業の申請・受付業務等の効率化、相談・支援体制の充実",
        50,
        3,
        386,
    )
    assert [e.goal for e in entries if e.item_id.startswith("4-")] == [4] * 8
    assert fields(by_id["5-1"]) == ("5-1", "5-１", "区立保育園での業務改善の推進", 56, 5, 408)
    assert entries[-1].item_id == "5-17"
    assert entries[-1].line == 440  # the initiative page after it (目指すべき / 効果・成果) is no entry
    assert len(entries) == 2 + 8 + 17


def test_entries_before_any_heading_are_reported() -> None:
    issues: list[Issue] = []
    parse_toc(lines_of(TOC_END, 384), issues)
    assert [(i.code, i.item_id) for i in issues] == [
        ("toc_no_goal_heading", "3-16"),
        ("toc_no_goal_heading", "3-17"),
    ]


def test_goal_comes_from_the_heading_and_a_mismatching_id_is_reported() -> None:
    text = (
        "　到達点２　区民目線からのサービス利便性の向上\n\n"
        "2-24 オンライン相談・手続き支援の拡充 P.41\n\n"
        "3-1 職員の人事 P.42"
    )
    issues: list[Issue] = []
    entries = parse_toc(lines_of(text, 1), issues)
    assert [(e.item_id, e.goal) for e in entries] == [("2-24", 2), ("3-1", 2)]
    assert [(i.code, i.item_id, i.lines) for i in issues] == [("toc_goal_mismatch", "3-1", [5])]


def test_wrapped_entry_is_joined() -> None:
    text = (
        "　到達点２　区民目線からのサービス利便性の向上\n"
        "2-11 ふれあい農園事業の申込受付の電子化及び区民農園利用者募集の\n"
        "\n"
        "申込受付の電子化・キャッシュレス化の推進 P.34\n"
        "2-12 集団回収届出の電子化の推進 P.35"
    )
    entries = parse_toc(lines_of(text, 1))
    assert [fields(e) for e in entries] == [
        (
            "2-11",
            "2-11",
            "ふれあい農園事業の申込受付の電子化及び区民農園利用者募集の申込受付の電子化・キャッシュレス化の推進",
            34,
            2,
            2,
        ),
        ("2-12", "2-12", "集団回収届出の電子化の推進", 35, 2, 5),
    ]


def test_entry_without_page_is_reported_not_invented() -> None:
    text = "　到達点１　新たな仕組みづくり\n1-1 広報・広聴機能の強化\n1-2 区民参加の推進 P.9"
    issues: list[Issue] = []
    entries = parse_toc(lines_of(text, 1), issues)
    assert [e.item_id for e in entries] == ["1-2"]
    assert [(i.code, i.lines) for i in issues] == [("toc_no_page", [2])]


def test_full_width_page_number_and_dash() -> None:
    text = "　到達点３　職員の時間の効果的活用\n３－１７ 子育て支援の充実 Ｐ．５０"
    [e] = parse_toc(lines_of(text, 1))
    assert fields(e) == ("3-17", "３－１７", "子育て支援の充実", 50, 3, 2)


# -- the shipped report against the answer key -----------------------------------------------------


@pytest.fixture(scope="module")
def report_toc() -> list[TocEntry]:
    issues: list[Issue] = []
    entries = parse_toc(read_text_document(REPORT).lines, issues)
    assert issues == []
    return entries


@pytest.fixture(scope="module")
def gold_toc() -> list[dict]:
    return json.loads((require_answer_key() / "gold_dev.json").read_text(encoding="utf-8"))["toc"]


def test_report_has_105_entries_in_goal_order(report_toc: list[TocEntry]) -> None:
    assert len(report_toc) == 105
    assert len({e.item_id for e in report_toc}) == 105
    assert [e.goal for e in report_toc] == sorted(e.goal for e in report_toc)
    assert {e.goal for e in report_toc} == {1, 2, 3, 4, 5}
    assert all(e.goal == int(e.item_id.split("-")[0]) for e in report_toc)


def test_report_toc_matches_gold(report_toc: list[TocEntry], gold_toc: list[dict]) -> None:
    assert [e.item_id for e in report_toc] == [t["item_id"] for t in gold_toc]
    for got, want in zip(report_toc, gold_toc, strict=True):
        assert norm(got.title) == norm(want["title"]), want["item_id"]
        assert got.page == want["page"], want["item_id"]
        assert got.goal == want["goal"], want["item_id"]
        assert got.id_raw == want["id_raw"], want["item_id"]
        assert got.line == want["line"], want["item_id"]
