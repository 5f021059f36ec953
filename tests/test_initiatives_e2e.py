"""Initiative records of the whole shipped R6 report, checked against the report and the answer key."""

from __future__ import annotations

import pytest
import regex

from helpers import norm
from plan_etl.parsers.initiative.initiatives import parse_initiatives
from plan_etl.parsers.report import drop_repeated_tables, parse_lines
from plan_etl.schemas import Initiative, Issue, Report
from report_lines import ReportText, document, gold_items, gold_keys, gold_toc_ids

REPORT_TEXT = ReportText("initiatives_e2e")  # tests/data/snippets/initiatives_e2e/: one file per test

PAGE_HEADER_TEXT = regex.compile(r"プランの取組み|[0-9０-９][．.]\s*取組み項目|到達点\s*[0-9０-９]")
GLUED_LABEL = regex.compile(r"^[RＲ][0-9０-９]実績\s+")
EXAMPLE_PAGE_END = 521  # 「取組み項目の表の見方」: the how-to-read page, with its sample item 1-9, ends here


@pytest.fixture(scope="module")
def report() -> Report:
    return parse_lines(document())


@pytest.fixture(scope="module")
def by_key(report: Report) -> dict[str, Initiative]:
    out: dict[str, Initiative] = {}
    for rec in report.initiatives:
        key = rec.record_id
        assert key not in out, f"{key} twice"
        out[key] = rec
    return out


@pytest.fixture(scope="module")
def page_64() -> list[Initiative]:
    """One record per printed table of the page holding 5-14 and 5-15 twice (report lines 8692-8897),
    before repeated tables are dropped."""
    records, _, _ = parse_initiatives(REPORT_TEXT.lines(8692, 8897))
    return records


def test_every_listed_item_has_a_record(report: Report) -> None:
    listed = gold_toc_ids()
    assert len(listed) == 105
    assert [t.item_id for t in report.toc] == listed
    assert sorted(set(listed) - {r.item_id for r in report.initiatives}) == []
    assert sorted({r.item_id for r in report.initiatives} - set(listed)) == []


def test_one_record_per_table(report: Report) -> None:
    # 105 items, 5-13 printed in two parts, 5-15 printed twice (kept once), the sample 1-9 not counted
    assert len(report.initiatives) == 106


def test_item_in_two_parts(report: Report) -> None:
    parts = [r for r in report.initiatives if r.item_id == "5-13"]
    assert [(r.part, r.id_raw, r.goal) for r in parts] == [(1, "5-13①", 5), (2, "5-13②", 5)]
    assert {r.title for r in parts} == {"地区・地域防災力の強化"}
    assert parts[0].source_lines["header"][0] == 8467
    assert parts[1].source_lines["header"][0] == 8551
    assert parts[0].departments == ["各総合支所", "危機管理部", "地域行政部", "保健福祉政策部"]
    assert parts[1].departments == ["世田谷保健所", "各総合支所", "危機管理部", "保健福祉政策部"]
    assert norm(parts[0].content) != norm(parts[1].content)


def test_table_printed_twice_gives_one_record(report: Report, page_64: list[Initiative]) -> None:
    assert [r.item_id for r in page_64] == ["5-14", "5-15", "5-15"]
    printed = [r for r in page_64 if r.item_id == "5-15"]
    assert [r.source_lines["header"][0] for r in printed] == [8752, 8826]
    kept = [r for r in report.initiatives if r.item_id == "5-15"]
    assert len(kept) == 1
    assert kept[0].source_lines["header"] == [8752, 8754, 8756, 8757]


def test_the_two_printed_copies_read_the_same(page_64: list[Initiative]) -> None:
    first, second = (r for r in page_64 if r.item_id == "5-15")
    for name in ("id_raw", "title", "departments", "content", "effects", "results_label", "results"):
        assert getattr(first, name) == getattr(second, name), name
    assert [(r.label, r.cells) for r in first.schedule] == [(r.label, r.cells) for r in second.schedule]


def test_table_printed_twice_is_a_duplicate_warning(report: Report) -> None:
    # the kept copy's warnings stay; the dropped copy's (lines 8845…) are not repeated
    about = [w for w in report.warnings if w.item_id == "5-15" and w.code != "unresolved_schedule_row"]
    assert not any(
        w.lines[0] >= 8845
        for w in report.warnings
        if w.item_id == "5-15" and w.code == "unresolved_schedule_row"
    )
    assert [(w.level, w.code, w.lines) for w in about] == [
        ("warning", "duplicate_item", [8826, 8827, 8829, 8830])
    ]


def test_drop_repeated_tables_on_the_printed_copies(page_64: list[Initiative]) -> None:
    issues: list[Issue] = []
    kept, dropped = drop_repeated_tables([r.model_copy(deep=True) for r in page_64], issues)
    assert [r.item_id for r in kept] == ["5-14", "5-15"]
    assert [r.item_id for r in dropped] == ["5-15"]
    assert [(i.level, i.code, i.item_id) for i in issues] == [("warning", "duplicate_item", "5-15")]


def test_sample_item_of_the_example_page_is_not_a_record(report: Report) -> None:
    doc = document()
    assert doc.lines[497].text == "項目 1-9 電話催告センターの活用範囲の拡充 所管部 財務部"  # line 498
    assert doc.lines[EXAMPLE_PAGE_END - 1].text == "取組み項目の表の見方"
    [rec] = [r for r in report.initiatives if r.item_id == "1-9"]
    assert rec.source_lines["header"] == [1344]
    for r in report.initiatives:
        lines = [n for v in r.source_lines.values() for n in v]
        assert min(lines) > EXAMPLE_PAGE_END, r.item_id


def test_goal_intros_are_in_no_record(report: Report) -> None:
    intro = set(range(529, 535)) | set(range(3774, 3779)) | set(range(7390, 7397))
    for r in report.initiatives:
        assert not intro & {n for v in r.source_lines.values() for n in v}, r.item_id


@pytest.mark.parametrize("key", gold_keys())
def test_fields_equal_the_answer_key(key: str, by_key: dict[str, Initiative]) -> None:
    gold = gold_items()[key]
    rec = by_key[key]
    got = {
        "title": norm(rec.title),
        "departments": sorted(norm(d) or "" for d in rec.departments),
        "content": norm(rec.content),
        "effects": norm(rec.effects),
        "results": norm(rec.results),
        "results_label": norm(rec.results_label),
    }
    want = {
        "title": norm(gold["title"]),
        "departments": sorted(norm(d) or "" for d in gold["departments"]),
        "content": norm(gold["content"]),
        "effects": norm(gold["effects"]),
        "results": norm(gold["results"]),
        "results_label": norm(gold["results_label"]),
    }
    assert {k: v for k, v in got.items() if v != want[k]} == {}


@pytest.mark.parametrize("key", gold_keys())
def test_field_source_lines_equal_the_answer_key(key: str, by_key: dict[str, Initiative]) -> None:
    gold = gold_items()[key]["source_lines"]
    rec = by_key[key]
    for name in ("content", "effects", "results"):
        assert rec.source_lines[name] == gold[name], name


def test_no_page_header_text_in_any_field(report: Report) -> None:
    found = []
    for r in report.initiatives:
        texts = {"title": r.title, "content": r.content, "effects": r.effects, "results": r.results}
        texts |= {"results_label": r.results_label, "departments": " ".join(r.departments)}
        for row in r.schedule:
            texts[f"schedule {row.label}"] = " ".join([row.label, *(c or "" for c in row.cells.values())])
        for name, text in texts.items():
            if text and PAGE_HEADER_TEXT.search(text):
                found.append((r.item_id, name))
    assert found == []


def test_every_record_has_paragraph_source_lines(report: Report) -> None:
    empty = [
        (r.item_id, r.part, name)
        for r in report.initiatives
        for name in ("content", "effects", "results")
        if not r.source_lines.get(name)
    ]
    assert empty == []


def test_record_text_is_the_text_of_its_source_lines(report: Report) -> None:
    """Provenance: each paragraph field is exactly the report lines it names, joined (less a results
    label printed on the same line, as in 「R6実績 施設使用料・…」)."""
    doc = document()
    for r in report.initiatives:
        for name in ("content", "effects", "results"):
            joined = "".join(GLUED_LABEL.sub("", doc.lines[n - 1].text) for n in r.source_lines[name])
            assert norm(getattr(r, name)) == norm(joined), (r.item_id, r.part, name)


def test_content_keeps_a_bracketed_list(by_key: dict[str, Initiative]) -> None:
    rec = by_key["1-8"]
    assert rec.source_lines["content"] == [1250, 1252, 1254, 1256, 1258, 1260, 1262]
    assert (rec.content or "").endswith("遊びと学びの教育基金")
