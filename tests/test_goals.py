"""Goals (到達点) parser: real snippets of the R6 report and an end-to-end check against gold_dev.json."""

from __future__ import annotations

import json

import pytest

from helpers import REPORT, norm, require_answer_key
from plan_etl.extract.base import Line
from plan_etl.extract.text import read_text_document
from plan_etl.parsers.front.goals import hours_target, parse_amounts, parse_goals, parse_hours
from plan_etl.schemas.records import Goal, Issue

# report lines 49-121: goals 1 and 2 on one page (goal 2 has its number glued: デジタル２)
PAGE1 = """\
 Ⅱ 新たな行政経営移行の５つの到達点ごとの推進状況

新たな仕組みづくり
時代に即した区民サービスを提供していくため、情報発信の強化・共有化を進め、各々が主体性を持ちながら協働の

意義を理解し、その意識醸成を図り、多様な主体との連携を深化させていきます。また、それに合わせ、事業を再構築
するなど、区民サービスの質の向上を図り、多様化する区民ニーズに的確に対応していく体制を構築していきます。

組織 人材

施設

協働

外郭

デジタル

到達点 視点

１

※ 本プランに基づく新規取組みにかかる経費（以下同様）

➢ 施設の有効活用
➢ 時代に即した事業の再構築 など

行政手法の転換

主な
効果・成果例

➢ 情報発信・共有、問い合わせ対応における新たな仕組みの構築
➢ 施策構築における歳入の観点の強化
➢ 官民連携による課題解決手法の構築
➢ 協働の推進・拡大

Ｒ６予算額 ：７９ 百万円 Ｒ６決算額 ： 78 百万円 Ｒ７予算額 ： １７８ 百万円

区民目線からのサービス利便性の向上
区民目線から事業もしくは業務の再構築に取り組み、社会状況に応じ区民ニーズに的確に対応できる体制を構築し、

区民が便利で利用しやすい行政サービスを提供していくとともに、内部の業務改善を図り、令和6年度から令和9年度
の業務時間 約９．６万時間 を削減（対前年比削減時間の積み上げ）します。

組織 人材

施設

協働

外郭

デジタル２

➢ より利用しやすいサービスの構築
➢ 身近な場所でのサービスの構築 など

区民サービスの利便性向上

➢ 窓口サービスの向上
➢ 支払いの利便性向上
➢ 申請・届出の利便性向上

Ｒ６予算額 ：２４９ 百万円 Ｒ６決算額 ： １２３ 百万円 Ｒ７予算額 ：３７２ 百万円

Ｒ６削減時間 ： 約 1.9 万時間

5

2

"""

# report lines 123-183: goals 3 and 4 interleaved; goal 3's 削減時間 is printed after goal 4's block
PAGE2 = """\
Ⅱ 新たな行政経営移行の５つの到達点ごとの推進状況

職員の時間の効果的活用
事務マニュアルや事務フローの整理・見直しを行い、デジタル技術の活用、業務の一部切り出し、多様な主体による

対応などを検討・実施することで、令和6年度から令和9年度の業務時間 約12.９万時間 削減（対前年比削減時間の
積み上げ）を見込み、より効果的・効率的な事業実施手法への転換を図り、区民サービスの維持・向上につなげ、
職員の力を効果的に活用していきます。

組織 人材

施設

協働

外郭

デジタル

到達点 視点

３

➢ 補助金・助成金申請の利便性向上 など

事務にかかる時間の削減

主な
効果・成果例

➢ 内部定型事務の効率的運用
➢ ＤＸによる事務の効率化

Ｒ６予算額 ： 374 百万円 Ｒ６決算額 ：３５１ 百万円 Ｒ７予算額 ： 632 百万円

業務量増に対しての効率的対応
施設更新やインフラ整備など、今後確実に増加することが見込まれる行政需要に対し、多様な主体との協働や

デジタル技術の活用などにより事業形態の再構築を図り、業務時間の増を抑えるなど限られた資源で着実に
対応できる体制を整えていきます。

組織 人材

施設

協働

外郭

デジタル４

➢ 事業対象拡大への対応手法検討・構築 など

計画的な事業の執行

➢ 新たな維持管理手法の検討・構築
➢ 効率的な工事手法の検討・構築

Ｒ６予算額 ： 30 百万円 Ｒ６決算額 ： 30 百万円 Ｒ７予算額 ： 66 百万円

Ｒ６削減時間 ： 約 ４.2 万時間"""

# report lines 184-222: goal 5, then the next section (Ⅲ, the table of contents)
PAGE3 = """\
 Ⅱ 新たな行政経営移行の５つの到達点ごとの推進状況

組織力の向上・人材の育成（専門性の向上）
組織横断的課題や地域・地区の課題に対し、機動的かつ柔軟に対応できる組織や災害対策、感染症対応など緊急的、

突発的な課題に対応する組織のあり方や人材育成の視点も含め、公務員としての専門性を発揮できる環境を
整えるなど組織力向上の取組みを進めていきます。

組織 人材

施設

協働

外郭

デジタル

到達点 視点

５

➢ 災害等に対する危機管理体制の強化 など

持続可能な組織・体制の構築

主な
効果・成果例

➢ 強固な組織・体制の構築
➢ 職員等の専門性の向上

Ｒ６予算額 ： 28 百万円 Ｒ６決算額 ：２３ 百万円 Ｒ７予算額 ： 216 百万円
 Ⅲ プランの取組み
１．取組み項目一覧

　到達点１　新たな仕組みづくり

1-1 広報・広聴機能の強化 P.8"""


def lines_of(text: str, start: int) -> list[Line]:
    """Number a snippet's lines as they are numbered in the report."""
    return [Line(start + i, t) for i, t in enumerate(text.split("\n"))]


def by_goal(lines: list[Line], issues: list[Issue] | None = None) -> dict[int, Goal]:
    """Parse and index the goals by number."""
    return {g.goal: g for g in parse_goals(lines, issues)}


# -- field helpers ---------------------------------------------------------------------------------


def test_amounts_full_and_half_width_digits() -> None:
    amounts = parse_amounts("Ｒ６予算額 ：７９ 百万円 Ｒ６決算額 ： 78 百万円 Ｒ７予算額 ： １７８ 百万円")
    assert [(a.label, a.fiscal_year, a.kind, a.million_yen) for a in amounts] == [
        ("R6予算額", 2024, "budget", 79),
        ("R6決算額", 2024, "settlement", 78),
        ("R7予算額", 2025, "budget", 178),
    ]


def test_amounts_of_a_later_edition_are_not_tied_to_r6() -> None:
    amounts = parse_amounts("Ｒ７決算額 ： １,２３４ 百万円 Ｒ８予算額 ：５ 百万円")
    assert [(a.label, a.fiscal_year, a.kind, a.million_yen) for a in amounts] == [
        ("R7決算額", 2025, "settlement", 1234),
        ("R8予算額", 2026, "budget", 5),
    ]


@pytest.mark.parametrize(
    ("text", "label", "year", "hours"),
    [
        ("Ｒ６削減時間 ： 約 1.9 万時間", "R6削減時間", 2024, 19000),
        ("Ｒ６削減時間 ： 約 ４.2 万時間", "R6削減時間", 2024, 42000),
        ("Ｒ７削減時間 ：約１２．９万時間", "R7削減時間", 2025, 129000),
    ],
)
def test_hours_reduced(text: str, label: str, year: int, hours: int) -> None:
    [h] = parse_hours(text)
    assert (h.label, h.fiscal_year, h.hours) == (label, year, hours)


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        ("内部の業務改善を図り、令和6年度から令和9年度の業務時間 約９．６万時間 を削減します。", 96000),
        ("令和6年度から令和9年度の業務時間 約12.９万時間 削減（対前年比）を見込み、", 129000),
        ("業務時間の増を抑えるなど限られた資源で着実に対応できる体制を整えていきます。", None),
        ("２４時間対応の窓口を設けます。業務を削減します。", None),
    ],
)
def test_hours_target(description: str, expected: int | None) -> None:
    assert hours_target(description) == expected


# -- pages of the report ---------------------------------------------------------------------------


def test_page_with_goals_1_and_2() -> None:
    goals = by_goal(lines_of(PAGE1, 49))
    assert sorted(goals) == [1, 2]
    g1, g2 = goals[1], goals[2]
    assert g1.name == "新たな仕組みづくり"
    assert g1.description.startswith("時代に即した区民サービスを提供していくため、")
    assert "協働の意義を理解し" in g1.description  # wrap across a blank line joined
    assert g1.description.endswith("体制を構築していきます。")
    assert g1.effect_category == "行政手法の転換"
    # the run ending in など is printed before the category but closes the list
    assert g1.effect_examples == [
        "情報発信・共有、問い合わせ対応における新たな仕組みの構築",
        "施策構築における歳入の観点の強化",
        "官民連携による課題解決手法の構築",
        "協働の推進・拡大",
        "施設の有効活用",
        "時代に即した事業の再構築 など",
    ]
    assert {a.label: a.million_yen for a in g1.amounts} == {"R6予算額": 79, "R6決算額": 78, "R7予算額": 178}
    assert g1.hours_reduced == []
    assert g1.hours_target is None
    assert g1.source_lines[0] == 51 and g1.source_lines[-1] == 86

    assert g2.name == "区民目線からのサービス利便性の向上"  # number glued: デジタル２
    assert g2.effect_category == "区民サービスの利便性向上"
    assert g2.effect_examples[-1] == "身近な場所でのサービスの構築 など"
    assert {a.label: a.million_yen for a in g2.amounts} == {"R6予算額": 249, "R6決算額": 123, "R7予算額": 372}
    assert [(h.label, h.hours) for h in g2.hours_reduced] == [("R6削減時間", 19000)]
    assert g2.hours_target == 96000
    assert 115 in g2.source_lines
    assert 117 not in g2.source_lines and 119 not in g2.source_lines  # page numbers "5", "2"


def test_interleaved_page_gives_hours_to_the_goal_with_a_target() -> None:
    issues: list[Issue] = []
    goals = by_goal(lines_of(PAGE2, 123), issues)
    assert sorted(goals) == [3, 4]
    g3, g4 = goals[3], goals[4]
    assert g3.name == "職員の時間の効果的活用"
    assert g3.hours_target == 129000
    assert g3.effect_category == "事務にかかる時間の削減"
    assert g3.effect_examples == [
        "内部定型事務の効率的運用",
        "ＤＸによる事務の効率化",
        "補助金・助成金申請の利便性向上 など",
    ]
    assert {a.label: a.million_yen for a in g3.amounts} == {"R6予算額": 374, "R6決算額": 351, "R7予算額": 632}
    # line 183 comes after goal 4's block, but goal 3 is the one with a 削減時間 target
    assert [(h.label, h.fiscal_year, h.hours) for h in g3.hours_reduced] == [("R6削減時間", 2024, 42000)]
    assert 183 in g3.source_lines

    assert g4.name == "業務量増に対しての効率的対応"  # number glued: デジタル４
    assert g4.description.endswith("対応できる体制を整えていきます。")
    assert g4.effect_category == "計画的な事業の執行"
    assert g4.effect_examples == [
        "新たな維持管理手法の検討・構築",
        "効率的な工事手法の検討・構築",
        "事業対象拡大への対応手法検討・構築 など",
    ]
    assert {a.label: a.million_yen for a in g4.amounts} == {"R6予算額": 30, "R6決算額": 30, "R7予算額": 66}
    assert g4.hours_reduced == []
    assert g4.hours_target is None
    assert 183 not in g4.source_lines
    assert issues == []


def test_last_goal_stops_at_the_next_section() -> None:
    goals = parse_goals(lines_of(PAGE3, 184))
    assert [g.goal for g in goals] == [5]
    g5 = goals[0]
    assert g5.name == "組織力の向上・人材の育成（専門性の向上）"
    assert g5.effect_examples == [
        "強固な組織・体制の構築",
        "職員等の専門性の向上",
        "災害等に対する危機管理体制の強化 など",
    ]
    assert {a.label: a.million_yen for a in g5.amounts} == {"R6予算額": 28, "R6決算額": 23, "R7予算額": 216}
    assert max(g5.source_lines) == 216  # nothing read from the table of contents


def test_hours_without_any_target_fall_back_to_the_preceding_goal_with_a_warning() -> None:
    # goal 3's target taken out: no goal on the page states one, so the figure stays where it is printed
    text = PAGE2.replace("業務時間 約12.９万時間 削減", "業務の")
    issues: list[Issue] = []
    goals = by_goal(lines_of(text, 123), issues)
    assert goals[3].hours_target is None
    assert goals[3].hours_reduced == []
    assert [h.hours for h in goals[4].hours_reduced] == [42000]
    assert [i.code for i in issues] == ["goal_hours_guessed"]


def test_two_targets_on_a_page_pair_with_the_figures_in_order() -> None:
    hours = "Ｒ６削減時間 ： 約 ４.2 万時間"
    text = PAGE2.replace("対応できる体制を整えていきます。", "対応し、業務時間 約１万時間 を削減します。")
    text = text.replace(hours, f"{hours}\nＲ６削減時間 ： 約 0.3 万時間")
    goals = by_goal(lines_of(text, 123))
    assert goals[4].hours_target == 10000
    assert [h.hours for h in goals[3].hours_reduced] == [42000]
    assert [h.hours for h in goals[4].hours_reduced] == [3000]


def test_missing_goal_number_is_inferred_and_reported() -> None:
    text = PAGE2.replace("デジタル４", "デジタル")
    issues: list[Issue] = []
    goals = by_goal(lines_of(text, 123), issues)
    assert goals[4].name == "業務量増に対しての効率的対応"
    assert [i.code for i in issues] == ["goal_number_inferred"]


# -- the shipped report against the answer key -----------------------------------------------------


@pytest.fixture(scope="module")
def report_goals() -> list[Goal]:
    return parse_goals(read_text_document(REPORT).lines)


@pytest.fixture(scope="module")
def gold_goals() -> list[dict]:
    return json.loads((require_answer_key() / "gold_dev.json").read_text(encoding="utf-8"))["goals"]


def test_report_goals_match_gold(report_goals: list[Goal], gold_goals: list[dict]) -> None:
    assert [g.goal for g in report_goals] == [g["goal"] for g in gold_goals]
    for got, want in zip(report_goals, gold_goals, strict=True):
        n = want["goal"]
        assert norm(got.name) == norm(want["name"]), n
        assert norm(got.effect_category) == norm(want["effect_category"]), n
        assert [norm(x) for x in got.effect_examples] == [norm(x) for x in want["effect_examples"]], n
        assert {norm(a.label): a.million_yen for a in got.amounts} == {
            norm(k): v for k, v in want["amounts_million_yen"].items()
        }, n
        assert {norm(h.label)[:2]: h.hours for h in got.hours_reduced} == want["hours_reduced"], n
        assert got.hours_target == want["hours_target"], n


def test_report_goal_records_are_consistent(report_goals: list[Goal]) -> None:
    for g in report_goals:
        assert g.description and "\n" not in g.description
        for a in g.amounts:
            year = int(a.label[1 : a.label.index("予" if a.kind == "budget" else "決")])
            assert a.fiscal_year == 2018 + year
        assert g.source_lines == sorted(set(g.source_lines))


def test_goals_pages_alone_parse_the_same(report_goals: list[Goal]) -> None:
    lines = read_text_document(REPORT).lines
    section = [ln for ln in lines if 50 <= ln.no <= 216]  # no section header: pages passed alone
    assert parse_goals(section) == report_goals


def test_a_long_description_is_read_for_its_target_once_not_at_every_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A description of thousands of lines (a damaged file) is not read again at each line: that
    made the parse quadratic (6.6 s for a 50 kB fuzzed text)."""
    from plan_etl.parsers.front import goals as module

    read: list[int] = []
    real = module.hours_target
    monkeypatch.setattr(module, "hours_target", lambda d: read.append(len(d)) or real(d))
    line = "意義を理解し、その意識醸成を図り、多様な主体との連携を深化させていきます。"
    line += "また、それに合わせ、事業を再構築"
    assert line in PAGE1
    goals = by_goal(lines_of(PAGE1.replace(line, "\n".join([line] * 3000)), 49))
    assert goals[1].description.count("多様な主体との連携を深化") == 3000
    assert goals[2].hours_target == 96000  # still read, once the description is whole
    assert len(read) <= 2 * len(goals)
