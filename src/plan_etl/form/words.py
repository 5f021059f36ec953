"""The words and patterns the report is printed with, defined once: an initiative table's label
words and results label, the item list's heading and page references, the goal pages' headings,
amounts and hours, item ids and the dashes they are printed with. The PDF reader finds them on the
page, the text parsers in the lines; neither spells them (a test holds every other module to it)."""

from __future__ import annotations

ITEM = "項目"
"""The header cell before the item id: 「項目 1-1 …」."""
DEPARTMENTS = "所管部"
"""The header cell before the departments."""
CONTENT = "取組み内容"
SCHEDULE = "年次別計画"
EFFECTS = "目指すべき効果・成果"
RESULTS = "実績"
"""The results label is printed per year: R6実績 (Ｒ６実績)."""

FIELD_OF = {CONTENT: "content", SCHEDULE: "schedule", EFFECTS: "effects"}
"""Each label word's field (the results label, R6実績, is printed per year)."""

LABEL_WORDS = (ITEM, DEPARTMENTS, CONTENT, SCHEDULE, EFFECTS)
"""Every fixed label word of an initiative table."""

DIGIT = "[0-9０-９]"
"""A digit of either width."""
NUMBER = rf"{DIGIT}+(?:[.．]{DIGIT}+)?"
"""A number with an optional decimal part: ４.2, 1.9."""
REIWA_MARK = "[RＲ]"
"""The mark a Reiwa year is printed with."""
REIWA = rf"{REIWA_MARK}{DIGIT}{{1,2}}"
"""A Reiwa year as the report prints it: R6, Ｒ６."""
RESULTS_LABEL = rf"{REIWA}{RESULTS}"
"""The results label: R6実績."""

DEPARTMENT_NAME = r"^\S{1,16}(?:部|局|所|室|課|センター)$"
"""A department's name as printed in the 所管部 cell: it ends in 部, 局, 所, 室, 課 or センター. A line of
that cell that does not is the first part of a name wrapped in a narrow cell."""

ID_DASHES = "-‐－―ー−–"
"""The dashes an item id is printed with (2-４, ３－１７, 1ー5)."""
PART_MARKS = "①②③④⑤⑥⑦⑧⑨"
"""The circled numbers of an item printed in parts (5-13①)."""
ITEM_ID = rf"{DIGIT}{{1,2}}\s*[{ID_DASHES}]\s*{DIGIT}{{1,2}}[{PART_MARKS}]?"
"""An item id as the report prints it: digits of any width, a dash, digits, a part mark."""

CIRCLED_MARK = "[①-⑳]"
"""A circled number: ①, a row or a part of a table, a point of a paragraph."""
PAREN_MARK = rf"[（(]{DIGIT}+[）)]"
"""A number in brackets: （１）, a group of rows or a section of a paragraph."""
DOTTED_MARK = rf"{DIGIT}+[．.]"
"""A number with a dot: １．, a group of rows."""
GROUP_MARK = rf"(?:{PAREN_MARK}|{DOTTED_MARK})"
"""The mark of a group of rows in a nested table: （１） or １．."""
PART_NUMERAL = "[Ⅰ-Ⅻ]"
"""A part of the report's number: Ⅲ."""
ROW_MARK = rf"(?:{CIRCLED_MARK}|{GROUP_MARK}|[・●○◆■])"
"""The mark a numbered line opens with: a circled number, （１）, １． or a bullet. A table's parts in its
prose and the rows of its 年次別計画 are numbered so."""

GOAL = "到達点"
"""The word of a goal (到達点１)."""
GOAL_NAME = rf"{GOAL}[ \u3000]*(?P<n>{DIGIT})[ \u3000]+[^、。，．\s][^、。，．]{{0,39}}"
"""A goal's running head, the whole line: 「到達点N」, a space, and the goal's name (a name, not a
sentence: no 、。). A line of text that opens with 到達点 (「到達点１の達成に向け、…」) is text."""
PAGE_HEADER = (
    rf"(?:Ⅲ\s*プランの取組み|{DIGIT}[．.]\s*取組み項目(?:\s*{GOAL_NAME.replace('?P<n>', '')})?|{ITEM})"
)
"""The initiative pages' running heads, each the whole line."""
SECTION_HEADER = rf"{PART_NUMERAL}[ \u3000]*[^、。，．\s][^、。，．]{{0,39}}"
"""A part's running head, the whole line: 「Ⅲ プランの取組み」 (a heading, not a sentence)."""
GOALS_SECTION = rf"Ⅱ\s*\S*{GOAL}"
"""The start of the part that describes the goals: 「Ⅱ　…到達点」."""

TOC_HEADING = "取組み項目一覧"
"""The item list's heading (also repeated as a page header)."""
TOC_HEADING_LINE = rf"{DIGIT}[．.][ \u3000]*{TOC_HEADING}"
"""The item list's numbered heading line: 「３．取組み項目一覧」."""
PAGE_REF = rf"[PＰ]\s*[.．]\s*(?P<page>{DIGIT}+)"
"""A page reference, P.41 or Ｐ．４１: every entry of the item list ends with one."""
PAGE_NUMBER = rf"{DIGIT}{{1,3}}"
"""A page number printed alone on a line, at the page foot."""
GOAL_HEADING = rf"{GOAL}\s*(?P<goal>{DIGIT}{{1,2}})(?:[\s\u3000]+(?P<name>\S.*?))?"
"""A goal's heading in the item list: 「到達点１ 行政経営の…」, the name optional."""

AMOUNT = (
    rf"{REIWA_MARK}\s*(?P<year>{DIGIT}{{1,2}})\s*(?P<kind>予算額|決算額)\s*[：:]?\s*"
    rf"(?P<value>{DIGIT}[0-9０-９,，]*)\s*百万円"
)
"""A goal's budget or settlement for a year: 「Ｒ６予算額 ： 374 百万円」."""
HOURS = (
    rf"{REIWA_MARK}\s*(?P<year>{DIGIT}{{1,2}})\s*削減時間\s*[：:]?\s*約?\s*"
    rf"(?P<value>{NUMBER})\s*(?P<man>万)?\s*時間"
)
"""A goal's working hours reduced in a year: 「Ｒ６削減時間 ： 約 ４.2 万時間」."""
ITEM_CELL = rf"{ITEM}\s*(?P<id>\S+)"
"""An initiative table's header cell with what follows it: 「項目 1-5」."""
