"""A small hand-built Report for writer and CLI tests (no parser needed)."""

from __future__ import annotations

from plan_etl.schemas import (
    Amount,
    DocumentMeta,
    Goal,
    HoursReduced,
    Initiative,
    Issue,
    Report,
    ScheduleRow,
    TocEntry,
)


def make_report() -> Report:
    """Three items (one printed in two parts), two goals, one unresolved schedule row, one warning."""
    return Report(
        document=DocumentMeta(
            title="新たな行政経営への移行実現プラン（令和６年度推進状況）",
            report_fiscal_year=2024,
            source_file="sample.txt",
            source_sha256="0" * 64,
        ),
        toc=[
            TocEntry(item_id="1-1", id_raw="1-1", title="広報・広聴機能の強化", page=8, goal=1, line=222),
            TocEntry(
                item_id="1-8",
                id_raw="1-８",
                title="基金の効果的活用に向けたあり方検討",
                page=12,
                goal=1,
                line=236,
            ),
            TocEntry(
                item_id="5-13", id_raw="5-13", title="地区・地域防災力の強化", page=60, goal=5, line=400
            ),
        ],
        goals=[
            Goal(
                goal=1,
                name="新たな仕組みづくり",
                description="区民目線から事業もしくは業務の再構築に取り組む。",
                effect_category="行政手法の転換",
                effect_examples=["協働の推進・拡大", "施設の有効活用"],
                amounts=[
                    Amount(label="R6予算額", fiscal_year=2024, kind="budget", million_yen=79),
                    Amount(label="R6決算額", fiscal_year=2024, kind="settlement", million_yen=78),
                    Amount(label="R7予算額", fiscal_year=2025, kind="budget", million_yen=178),
                ],
                hours_reduced=[],
                hours_target=None,
            ),
            Goal(
                goal=5,
                name="区民目線からのサービス利便性の向上",
                description="説明",
                effect_category="区民サービスの利便性向上",
                effect_examples=["窓口サービスの向上"],
                amounts=[],
                hours_reduced=[HoursReduced(label="R6削減時間", fiscal_year=2024, hours=19000)],
                hours_target=96000,
            ),
        ],
        initiatives=[
            Initiative(
                item_id="1-1",
                id_raw="1-1",
                goal=1,
                title="広報・広聴機能の強化",
                departments=["政策経営部"],
                content="区の広報を強化する。",
                schedule=[
                    ScheduleRow(
                        number=1,
                        label="①広報の見直し",
                        cells={"R6": "検討", "R7": "実施", "R8": "実施、検証", "R9": "実施"},
                        phases={"R6": ["検討"], "R7": ["実施"], "R8": ["実施", "検証"], "R9": ["実施"]},
                    ),
                    ScheduleRow(
                        number=None,
                        label="広聴の拡充",
                        cells={"R6": "検討", "R7": None, "R8": None, "R9": "実施"},
                        resolved=False,
                        raw="広聴の拡充 検討 実施 実施",
                    ),
                ],
                effects="情報が届く。",
                results_label="R6実績",
                results="ホームページを改修した。",
                page=8,
                source_lines={"content": [300, 301]},
            ),
            Initiative(
                item_id="1-8",
                id_raw="1-８",
                goal=1,
                title="基金の効果的活用に向けたあり方検討",
                departments=["財政制度部"],
                content=None,
                schedule=[],
                effects=None,
                results_label=None,
                results=None,
            ),
            *(
                Initiative(
                    item_id="5-13",
                    id_raw=f"5-13{mark}",
                    part=part,
                    goal=5,
                    title="地区・地域防災力の強化",
                    departments=["各総合支所", "危機管理部"],
                    content="地区防災計画を見直す。",
                    schedule=[
                        ScheduleRow(
                            number=1,
                            label="①在宅避難の推進",
                            cells={"R6": "実施", "R7": "実施、検証", "R8": "実施、検証", "R9": "実施、検証"},
                        )
                    ],
                    effects="防災力が上がる。",
                    results_label="R6実績",
                    results="実施した。",
                    page=60 + part,
                )
                for part, mark in ((1, "①"), (2, "②"))
            ),
        ],
        warnings=[
            Issue(
                level="warning",
                code="unresolved_cell",
                message="cell [R7] of 広聴の拡充 not placed",
                item_id="1-1",
                lines=[310],
            )
        ],
    )
