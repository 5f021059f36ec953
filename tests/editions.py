"""A plausible next-year edition of the shipped report, made by rewriting its text (test helper).

R7 edition: title 令和７年度推進状況, results labels R7実績, amounts Ｒ７予算額 / Ｒ７決算額 / Ｒ８予算額,
Ｒ７削減時間; and planted changes: 1-1 ② R7 cell 実施・検証 -> 実施, item 5-17 dropped (its contents
entry and table), item 5-18 added (entry and a one-table page).
"""

from __future__ import annotations

import re
from pathlib import Path

from helpers import REPORT

CHANGED_ROW_OLD = "②区政PR素材の拡充 検討 実施・検証 実施・検証 実施・検証"
CHANGED_ROW_NEW = "②区政PR素材の拡充 検討 実施 実施・検証 実施・検証"
DROPPED = "5-17"
DROPPED_TABLE = (9069, 9118)  # report lines of 5-17's table, from its 目指すべき label to its header
ADDED_TOC = "5-18 職員研修のオンライン化の推進 P.66"
ADDED_PAGE = """ Ⅲ プランの取組み
２．取組み項目 到達点５ 組織力の向上・人材の育成（専門性の向上）

項目 5-18 職員研修のオンライン化の推進 所管部 総務部

取組み
内容

　職員研修をオンラインで受講できる環境を整備し、受講機会を拡大するとともに、研修運営

事務の効率化を図る。

年次別計画 R6 R7 R8 R9

研修のオンライン化 ― 検討 実施 実施、検証

目指すべき
効果・成果

　受講者数の増加と研修運営事務にかかる時間の削減を図る。

R7実績

　オンライン研修の試行に向けて、受講環境と運営手順の検討を行った。

66 """


def r7_edition_text() -> str:
    lines = REPORT.read_text(encoding="utf-8").split("\n")
    a, b = DROPPED_TABLE
    del lines[a - 1 : b]
    out: list[str] = []
    for line in lines:
        if line.startswith(f"{DROPPED} "):
            out.append(ADDED_TOC)  # the dropped item's contents line becomes the new item's
            continue
        if "予算額" in line:
            line = line.replace("Ｒ７予算額", "Ｒ８予算額").replace("Ｒ６予算額", "Ｒ７予算額")
            line = line.replace("Ｒ６決算額", "Ｒ７決算額")
        line = line.replace("Ｒ６削減時間", "Ｒ７削減時間").replace(
            "令和６年度推進状況", "令和７年度推進状況"
        )
        line = re.sub(
            r"(?<![^\s])([RＲ])([6６])実績(?=\s|$)",
            lambda m: m[1] + ("7" if m[2] == "6" else "７") + "実績",
            line,
        )
        if line == CHANGED_ROW_OLD:
            line = CHANGED_ROW_NEW
        out.append(line)
    return "\n".join(out) + "\n" + ADDED_PAGE


def write_r7_edition(path: Path) -> Path:
    path.write_text(r7_edition_text(), encoding="utf-8")
    return path


def plan_edition_text() -> str:
    """The plan as first published: the same tables with no 実績 column (labels and text removed)."""
    from plan_etl.extract.text import read_text_document
    from plan_etl.parsers.initiative.initiatives import parse_initiatives

    records, _, _ = parse_initiatives(read_text_document(REPORT).nonblank())  # copies printed twice too
    results = {n for r in records for n in r.source_lines.get("results", [])}
    label = re.compile(r"(?<![^\s])[RＲ][0-9０-９]実績(?=\s|$)")
    out: list[str] = []
    for no, line in enumerate(REPORT.read_text(encoding="utf-8").split("\n"), 1):
        if no in results:
            continue
        if label.search(line):
            line = label.sub("", line).strip()
            if not line:
                continue
        out.append(line)
    return "\n".join(out)
