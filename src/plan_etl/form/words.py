"""The words an initiative table is printed with, defined once: its label words and the results
label. The PDF reader finds them on the page, the text parsers in the lines; neither spells them."""

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

REIWA = r"[RＲ][0-9０-９]{1,2}"
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
ITEM_ID = rf"[0-9０-９]{{1,2}}\s*[{ID_DASHES}]\s*[0-9０-９]{{1,2}}[{PART_MARKS}]?"
"""An item id as the report prints it: digits of any width, a dash, digits, a part mark."""

ROW_MARK = r"(?:[①-⑳]|[（(][0-9０-９]+[）)]|[0-9０-９]+[．.]|[・●○◆■])"
"""The mark a numbered line opens with: a circled number, （１）, １． or a bullet. A table's parts in its
prose and the rows of its 年次別計画 are numbered so."""

GOAL_NAME = r"到達点[ \u3000]*(?P<n>[0-9０-９])[ \u3000]+[^、。，．\s][^、。，．]{0,39}"
"""A goal's running head, the whole line: 「到達点N」, a space, and the goal's name (a name, not a
sentence: no 、。). A line of text that opens with 到達点 (「到達点１の達成に向け、…」) is text."""
PAGE_HEADER = (
    rf"(?:Ⅲ\s*プランの取組み|[0-9０-９][．.]\s*取組み項目(?:\s*{GOAL_NAME.replace('?P<n>', '')})?|{ITEM})"
)
"""The initiative pages' running heads, each the whole line."""
SECTION_HEADER = r"[Ⅰ-Ⅻ][ \u3000]*[^、。，．\s][^、。，．]{0,39}"
"""A part's running head, the whole line: 「Ⅲ プランの取組み」 (a heading, not a sentence)."""
