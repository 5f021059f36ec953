"""One normalisation of the characters a report is printed in (plan_etl.form.characters): the
look-alike code points real producers write become the characters every stage reads."""

from __future__ import annotations

from pathlib import Path

from plan_etl.api import parse_report
from plan_etl.form.characters import CANONICAL, canonical
from plan_etl.schemas import Report


def test_kangxi_radicals_and_dot_look_alikes_become_the_report_characters() -> None:
    # as Chromium's print of Noto Sans CJK maps them (項⽬, ⾒直し, 清掃‧リサイクル部)
    printed = "項⽬ 1-1 業務の⾒直し 所管部 清掃‧リサイクル部"
    assert canonical(printed) == "項目 1-1 業務の見直し 所管部 清掃・リサイクル部"
    assert canonical("⽤いる⾏⼊") == "用いる行入"
    assert canonical("⻑期") == "長期"  # a radicals-supplement form that prints as the whole ideograph


def test_compatibility_ideographs_take_their_canonical_form_only_where_unicode_gives_one() -> None:
    assert canonical("\uf900") == "豈" and canonical("\ufa10") == "塚"
    assert canonical("﨑") == "﨑"  # a unified ideograph in the compatibility block stays


def test_the_reports_own_forms_are_left_alone() -> None:
    text = "Ｒ６実績：１，３４３時間 ① 〜 ～ － ― ・ 、。"
    assert canonical(text) == text
    dots = (0x2027, 0xFF65, 0x2219, 0x22C5)
    assert all(0x2E80 <= cp < 0x2FE0 or cp >= 0xF900 or cp in dots for cp in CANONICAL)


def test_a_text_report_written_in_look_alikes_parses_as_the_original(
    parsed_report: Report, report_path: Path, tmp_path: Path
) -> None:
    """The shipped report with every 目, 見, 用 and ・ written as a producer's look-alike reads back to
    the same records: the label words (項目, 目指すべき効果・成果) are found and the text says 目."""
    table = str.maketrans({"目": "⽬", "見": "⾒", "用": "⽤", "・": "‧"})
    changed = report_path.read_text(encoding="utf-8").translate(table)
    assert "項⽬" in changed and "項目" not in changed
    copy = tmp_path / report_path.name
    copy.write_text(changed, encoding="utf-8")
    back = parse_report(copy)
    dump = lambda r: [i.model_dump(exclude={"page"}) for i in r.initiatives]  # noqa: E731
    assert dump(back) == dump(parsed_report)
    assert [t.title for t in back.toc] == [t.title for t in parsed_report.toc]
