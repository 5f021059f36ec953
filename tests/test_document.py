"""Document metadata: report title and reported fiscal year from the cover."""

from __future__ import annotations

import pytest

from helpers import REPORT
from plan_etl.extract.base import Line
from plan_etl.extract.text import read_text_document
from plan_etl.parsers.front.document import parse_title, reiwa_year

TITLE_R6 = "新たな行政経営への移行実現プラン（令和６年度推進状況）"

# report lines 1-28: the covering note and the attachment's own title page
COVER = """\
 新たな行政経営への移行実現プラン（令和６年度推進状況）について



１ 主旨

   区政運営の基本的な指針であり、区の最上位計画である「世田谷区基本計画」に掲げる「目指すべき未来の世田谷の

姿」の実現に向け、区は令和６（２０２４）年３月に「新たな行政経営への移行実現プラン」を策定し、持続可能な新たな行

政経営への移行を目指し、取組みを進めている。

   この度、令和６（２０２４）年度の取組みについて、決算を踏まえた効果や成果を「新たな行政経営への移行実現プラン

（令和６年度推進状況）」としてまとめたため、報告する。



２ 「新たな行政経営への移行実現プラン（令和６年度推進状況）」

   別紙のとおり
 新たな行政経営への移行実現プラン

世田谷区

計 画 期 間 ： 令和６年（2024年）度～令和９年（2027年）度

重点取組み期間 ： 令和６年（２０２４年）度～令和８年（2026年）度"""


def lines_of(text: str, start: int = 1) -> list[Line]:
    """Number a snippet's lines as they are numbered in the report."""
    return [Line(start + i, t) for i, t in enumerate(text.split("\n"))]


def test_cover_of_the_r6_report() -> None:
    assert parse_title(lines_of(COVER)) == (TITLE_R6, 2024)


def test_next_edition_is_not_tied_to_r6() -> None:
    cover = COVER.replace("令和６年度推進状況", "令和７年度推進状況")
    assert parse_title(lines_of(cover)) == ("新たな行政経営への移行実現プラン（令和７年度推進状況）", 2025)


@pytest.mark.parametrize(
    ("line", "title", "year"),
    [
        (
            " 新たな行政経営への移行実現プラン（令和7年度推進状況）について ",
            "新たな行政経営への移行実現プラン（令和7年度推進状況）",
            2025,
        ),
        ("２ 「行政経営プラン（令和１０年度推進状況）」", "行政経営プラン（令和１０年度推進状況）", 2028),
        ("行政経営プラン（令和元年度推進状況）", "行政経営プラン（令和元年度推進状況）", 2019),
    ],
)
def test_title_with_edition(line: str, title: str, year: int) -> None:
    assert parse_title(lines_of(f"\n{line}\n\n別紙のとおり")) == (title, year)


def test_title_without_edition_takes_the_year_from_the_progress_line() -> None:
    text = (
        " 新たな行政経営への移行実現プラン について \n\n"
        "計画期間：令和６年度～令和９年度\n\n"
        "令和８年度推進状況の報告"
    )
    assert parse_title(lines_of(text)) == ("新たな行政経営への移行実現プラン", 2026)


def test_plan_period_is_no_edition_and_no_year_is_guessed() -> None:
    text = "世田谷区基本計画\n\n計画期間（令和６年度～令和１３年度）"
    assert parse_title(lines_of(text)) == ("世田谷区基本計画", None)


def test_empty_input() -> None:
    assert parse_title(lines_of("\n \n")) == ("", None)


def test_reiwa_year() -> None:
    assert reiwa_year("令和６年度") == 2024
    assert reiwa_year("令和 13 年度") == 2031
    assert reiwa_year("平成３０年度") is None


def test_shipped_report() -> None:
    assert parse_title(read_text_document(REPORT).lines) == (TITLE_R6, 2024)
