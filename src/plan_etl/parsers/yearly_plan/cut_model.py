"""The schedule row cut as a model: fragments with their text boxes, the features of a gap between
two fragments, and every weight and threshold of the cut in one settings object.

A row is its label followed by four cells. A cut's score is the score of ending the label where it
does (`label_weights` times the label-end features) plus the score of each of its three cell starts
(`gap_weights` times the gap features) plus `repeat` per fragment of a cell that repeats the next
year's, plus `open_alike` / `close_alike` per pair of neighbouring cells that open / close alike.
P(cut) is proportional to exp(score) (a conditional random field over cuts), so the best cut's
posterior among all cuts is the row's confidence. The weights are fitted, not set:
`tools/fit_cut_weights.py` fits them on gold_dev with page-grouped cross-validation and writes
`cut_weights.json`, which this module loads.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from functools import cache
from importlib import resources

import regex

from plan_etl.form.characters import squash
from plan_etl.form.ids import circled_number
from plan_etl.form.vocabulary import CELL_CLOSER, CELL_OPENER, CELL_WORDS, DASH_CELL, RUNS_ON_ENDING
from plan_etl.form.words import ROW_MARK
from plan_etl.parsers.layout import DEFAULT_PROSE, ProseSettings, width

MID_WORD = regex.compile(r"^[ンーッァィゥェォャュョヮヵヶんっぁぃぅぇぉゃゅょゎ]")
"""A fragment opening with a sound no Japanese word opens with is the rest of a word a line
wrapped (区政モニターア / ンケート結果の)."""
OPENING_BRACKETS = "（(「"
CLOSING_BRACKETS = "）)」"
RUNS_ON = regex.compile(rf"(?:{RUNS_ON_ENDING})$")
"""A fragment ending like this is cut mid-phrase: the text runs on."""
LIST_COMMAS = ("、", "・", "，")
HIRAGANA_START = regex.compile(r"^\p{Hiragana}")
"""A fragment opening with hiragana (の整備, による有効活) most often continues a phrase the line
wrapped: labels and cells open with a noun, a number or a bullet."""
BULLET = "・"


@dataclass(frozen=True)
class Piece:
    """One fragment of schedule text: a whole line, or one space-separated part of a line, with the
    text box it was printed in (a run of lines with no blank line between them)."""

    text: str
    line: int
    multi: bool = False
    """Came from a line holding several space-separated parts."""
    box: int = 0
    """The first line number of its text box."""
    also: tuple[int, ...] = ()
    """Other lines its text was drawn from (a row number printed on a line of its own)."""

    @property
    def number(self) -> int | None:
        return circled_number(self.text[:1])


MIN_CELL_LINE = 8
"""Narrower lines (a cell's short last line, 実施) say nothing of the cell column's width."""


@dataclass(frozen=True)
class TableLayout:
    """What the cut reads about a row's whole table: its prose headings and its column widths
    (lines of a wrapped label or cell fill their column, the last line of one need not)."""

    headings: str = ""
    """The table's prose lines as `headings` gives them: a row label is often repeated there as
    a heading line (取組み内容 ①…)."""
    label_width: int = 0
    """The widest first line of the table's row labels (0 with fewer than two rows)."""
    cell_width: int = 0
    """The most common width of the table's other lines (ties to the wider): a full cell line."""

    @classmethod
    def of(cls, rows: list[list[Piece]], headings: str = "") -> TableLayout:
        firsts = [width(r[0].text) for r in rows if r and not r[0].multi]
        counts: dict[int, int] = {}
        for r in rows:
            for p in r[1:]:
                w = width(p.text)
                if not p.multi and w >= MIN_CELL_LINE:
                    counts[w] = counts.get(w, 0) + 1
        cell = max(counts, key=lambda w: (counts[w], w)) if counts else 0
        return cls(headings, max(firsts) if len(firsts) >= 2 else 0, cell)


@dataclass(frozen=True)
class RowContext:
    """What the gap features of one row read besides the two fragments."""

    bulleted: bool = False
    """The row's cells are written as ・ bullets (many fragments open with one)."""
    table: TableLayout = field(default_factory=TableLayout)
    after: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """Each fragment text -> the texts printed right before it in the row ("" at the start)."""
    before: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """Each fragment text -> the texts printed right after it in the row ("" at the end)."""
    widest_after: tuple[int, ...] = ()
    """widest_after[k]: the widest single-line fragment from index k on (0 past the end)."""

    @classmethod
    def of(cls, pieces: list[Piece], bulleted: bool, table: TableLayout | None = None) -> RowContext:
        """The row-wide facts of `pieces`: year cells of one row often repeat their words, so a
        fragment met after several different texts opens a cell, one met before several ends one."""
        texts = [p.text for p in pieces]
        after: dict[str, set[str]] = {}
        before: dict[str, set[str]] = {}
        for k, t in enumerate(texts):
            after.setdefault(t, set()).add(texts[k - 1] if k else "")
            before.setdefault(t, set()).add(texts[k + 1] if k + 1 < len(texts) else "")
        widest = [0] * (len(pieces) + 1)
        for k in range(len(pieces) - 1, -1, -1):
            widest[k] = max(widest[k + 1], 0 if pieces[k].multi else width(pieces[k].text))
        return cls(
            bulleted,
            table or TableLayout(),
            {t: frozenset(v) for t, v in after.items()},
            {t: frozenset(v) for t, v in before.items()},
            tuple(widest),
        )


@dataclass(frozen=True)
class CutSettings:
    """Every weight and threshold of the schedule row cut (as pdfplumber's TableSettings).

    The weights and `min_confidence` are fitted (`make fit`) and loaded from `cut_weights.json`;
    the widths and counts below are layout facts of the report's tables, documented one by one.
    """

    gap_weights: Mapping[str, float] = field(default_factory=dict)
    """Score of a new cell starting at a gap, per gap feature (GAP_FEATURES); the bias is the
    per-gap logistic regression's, so a positive score reads as "more likely a new cell"."""
    label_weights: Mapping[str, float] = field(default_factory=dict)
    """Score of the label ending at a gap, per label-end feature (LABEL_FEATURES)."""
    repeat: float = 0.0
    """Score per fragment of a cell whose text equals the next year's cell (実施 実施 実施)."""
    open_alike: float = 0.0
    """Score per pair of neighbouring year cells that open with the same two characters: a row's
    year cells are written alike (暫定利用の開始 / 暫定利用の継続)."""
    close_alike: float = 0.0
    """Score per pair of neighbouring year cells that end with the same two characters
    (実施（１５地区） / 実施（２８地区））."""
    min_confidence: float = 0.0
    """A row's cells are stated only when its cut's posterior is at least this; else unresolved."""
    window: float = 9.0
    """Cuts scoring more than this below the best (e^-9 of its weight) are left out of the posterior."""
    label_wrap: int = 19
    """Display width at which row-label lines wrap: a label line this wide runs on."""
    wide_cell: int = 14
    """A cell fragment at least this wide filled its column: the cell likely runs on."""
    mid_cell: int = 12
    """A cell fragment at least this wide (and below wide_cell) nearly filled its column."""
    narrow_cell: int = 8
    """A cell fragment at most this wide is a short cell or a cell's last line."""
    short_fragment: int = 4
    """A fragment at most this wide that is no step word is a wrapped word's tail."""
    far_lines: int = 2
    """Fragments further apart than this many source lines have other text between them."""
    max_label_pieces: int = 5
    """A row label takes at most this many fragments."""
    label_ends_mid_phrase: bool = False
    """Whether a label may end on a fragment that runs on (、・の…): none of gold_dev's 156 does,
    so such a cut is not tried, and a row with no other label end is left unresolved."""
    opens_mid_word: bool = False
    """Whether a label or cell may end before a fragment opening mid-word (MID_WORD): no word
    opens so, so such a cut is not tried."""
    brackets_span_cells: bool = False
    """Whether a label or cell may end inside brackets （…）「…」: none of gold_dev's 780 label
    and cell texts leaves one open, so in a row whose brackets pair up such a cut is not tried."""
    bulleted_cells: int = 6
    """A row with at least this many ・ fragments writes its cells as bullets."""
    max_gaps: int = 20
    """In very long rows only this many most cell-like gaps are cut candidates."""
    detached: int = 6
    """Fragments more than this many source lines apart were printed in different places."""
    part_width: int = 20
    """In a table of ①②③ parts, only a line wider than this (the label column) opens a row."""
    cell_width: int = 24
    """Space-separated parts of a line, each at most this wide, are cells printed on one line."""
    parts_repeat: int = 3
    """A number opening this many fragments of a table repeats in the year cells (a ①②③ part
    list)."""
    sub_label_share: float = 0.75
    """Sub-labels sit in the label column: their widest line is at least this share of the group
    label's widest line (a year column is about half as wide)."""
    prose: ProseSettings = DEFAULT_PROSE
    """The widths that tell a table's paragraph text from its schedule cells (which lines are
    年次別計画 material at all)."""

    def gap_score(self, a: Piece, b: Piece, row: RowContext) -> float:
        """The score of a new cell starting at fragment b, after fragment a."""
        return _dot(self.gap_weights, gap_features(a, b, row, self))

    def label_score(self, label: list[Piece], b: Piece, row: RowContext) -> float:
        """The score of the label being `label`, ending before fragment b."""
        return _dot(self.label_weights, label_features(label, b, row, self))


def _dot(weights: Mapping[str, float], feats: Mapping[str, float]) -> float:
    return sum([weights.get(k, 0.0) * v for k, v in feats.items() if v])


GAP_FEATURES: tuple[str, ...] = (
    "bias", "same_line", "same_box", "far", "line_to_multi", "a_runs_on", "a_list_comma",
    "b_opens_paren", "b_closes_paren", "b_short_tail", "a_open_paren", "a_wide", "a_mid", "a_narrow",
    "b_opens_cell", "a_closes_cell", "same_text", "b_bullet", "bulleted_no_bullet", "a_dash", "b_dash",
    "b_recurs", "a_recurs", "phrase_break", "a_fills_cell", "b_hiragana",
)  # fmt: skip
"""Features of the gap between cell fragments a and b (1.0 when the named fact holds)."""

LABEL_FEATURES: tuple[str, ...] = (
    "bias", "split_line", "b_multi", "same_box", "a_runs_on", "a_list_comma", "a_open_paren",
    "a_wide", "a_closes_paren", "b_opens_cell", "b_opens_paren", "b_bullet", "label_is_heading",
    "bare_number", "b_recurs", "b_widest_rest", "label_in_heading", "phrase_break", "a_fills_label",
    "a_as_wide_as_first", "b_wider_than_cells", "b_hiragana",
)  # fmt: skip
"""Features of ending the row label after fragments `label`, before fragment b."""


def gap_features(a: Piece, b: Piece, row: RowContext, s: CutSettings) -> dict[str, float]:
    """The facts about the gap a|b that bear on whether b opens a new cell."""
    f = dict(_text_gap_features(a.text, b.text, s.wide_cell, s.mid_cell, s.narrow_cell, s.short_fragment))
    same_line = a.line == b.line
    f["bias"] = 1.0
    f["same_line"] = float(same_line)
    f["same_box"] = float(not same_line and a.box == b.box)
    f["far"] = float(b.line - a.line > s.far_lines)
    f["line_to_multi"] = float(not same_line and (a.multi or b.multi))
    f["b_bullet"] = float(b.text.startswith(BULLET))
    f["bulleted_no_bullet"] = float(row.bulleted and not b.text.startswith(BULLET))
    f["b_recurs"] = float(len(row.after.get(b.text, ())) >= 2)
    f["a_recurs"] = float(len(row.before.get(a.text, ())) >= 2)
    f["a_fills_cell"] = float(not a.multi and 0 < row.table.cell_width <= width(a.text) + 1)
    return f


@cache
def _text_gap_features(
    a: str, b: str, wide: int, mid: int, narrow: int, short: int
) -> tuple[tuple[str, float], ...]:
    """gap_features' part that reads only the two texts (the same pairs recur as rows are tried)."""
    wa = width(a)
    return (
        ("a_runs_on", float(bool(RUNS_ON.search(a)))),
        ("a_list_comma", float(a.endswith(LIST_COMMAS))),
        ("b_opens_paren", float(b[:1] in "（(" and not a.endswith(("）", ")")))),
        ("b_closes_paren", float(b[:1] in "）)")),
        ("b_short_tail", float(width(b) <= short and not CELL_WORDS.match(b) and not DASH_CELL.match(b))),
        ("a_open_paren", float(a.count("（") > a.count("）"))),
        ("a_wide", float(wa >= wide)),
        ("a_mid", float(mid <= wa < wide)),
        ("a_narrow", float(wa <= narrow)),
        ("b_opens_cell", float(bool(CELL_OPENER.match(b)))),
        ("a_closes_cell", float(bool(CELL_CLOSER.search(a)))),
        ("same_text", float(a == b)),
        ("a_dash", float(bool(DASH_CELL.match(a)))),
        ("b_dash", float(bool(DASH_CELL.match(b)))),
        ("phrase_break", float(phrase_break(a, b))),
        ("b_hiragana", float(bool(HIRAGANA_START.match(b)))),
    )


def label_features(label: list[Piece], b: Piece, row: RowContext, s: CutSettings) -> dict[str, float]:
    """The facts about ending the label after `label` that bear on whether b opens the first cell."""
    a = label[-1]
    text = "".join(p.text for p in label)
    same_line = a.line == b.line
    return {
        "bias": 1.0,
        "split_line": float(a.multi and same_line),
        "b_multi": float(b.multi),
        "same_box": float(not same_line and a.box == b.box),
        "a_runs_on": float(bool(RUNS_ON.search(a.text))),
        "a_list_comma": float(a.text.endswith(LIST_COMMAS)),
        "a_open_paren": float(text.count("（") > text.count("）")),
        "a_wide": float(width(a.text) >= s.label_wrap),
        "a_closes_paren": float(a.text.endswith(("）", ")"))),
        "b_opens_cell": float(bool(CELL_OPENER.match(b.text))),
        "b_opens_paren": float(b.text[:1] in "（("),
        "b_bullet": float(row.bulleted and b.text.startswith(BULLET)),
        "label_is_heading": float(_heading_match(text, row.table.headings) == "whole"),
        "label_in_heading": float(_heading_match(text, row.table.headings) == "part"),
        "a_fills_label": float(not a.multi and 0 < row.table.label_width <= width(a.text) + 2),
        "a_as_wide_as_first": float(len(label) > 1 and width(a.text) + 2 >= width(label[0].text)),
        "b_wider_than_cells": float(not b.multi and 0 < row.table.cell_width < width(b.text) - 2),
        "phrase_break": float(phrase_break(a.text, b.text)),
        "b_hiragana": float(bool(HIRAGANA_START.match(b.text))),
        "bare_number": float(len(text) <= 2 and circled_number(text[:1]) is not None),
        "b_recurs": float(len(row.after.get(b.text, ())) >= 2),
        "b_widest_rest": float(
            not b.multi
            and len(row.widest_after) > len(label) + 1
            and width(b.text) > row.widest_after[len(label) + 1]
        ),
    }


_MARKER = regex.compile(rf"^{ROW_MARK}")


def headings(prose: str) -> str:
    """A table's prose as squashed lines without their ①/（１）/・ markers, one per line."""
    return "\n".join(squash(_MARKER.sub("", line.strip())) for line in prose.split("\n"))


def _heading_match(label: str, context: str) -> str | None:
    """ "whole" when the label (without its number) is a whole heading line of the table's prose,
    "part" when it is only the start of one (the label runs on), else None."""
    text = squash(_MARKER.sub("", label.strip()))
    if len(text) < 4:
        return None
    framed = "\n" + context + "\n"
    if "\n" + text + "\n" in framed:
        return "whole"
    return "part" if "\n" + text in framed else None


@cache
def phrase_break(a: str, b: str) -> bool:
    """Whether BudouX (a phrase model of Japanese) puts a phrase boundary where a ends and b begins;
    a wrap inside a phrase continues the text."""
    head, tail = a[-PHRASE_CONTEXT:], b[:PHRASE_CONTEXT]
    if not tail:
        return True
    if not head:
        return False
    return _boundary_score(head + tail, len(head)) > 0


def _boundary_score(s: str, i: int) -> float:
    """BudouX's score for a phrase boundary before `s[i]` (0 < i < len(s)): its `Parser.parse`
    breaks where this is positive, each boundary scored on its own, so one boundary needs only
    its own sum (the same terms in the same order as `parse`)."""
    parser, m = _budoux()
    n = len(s)
    score = parser._base_score
    if i > 2:
        score += m["UW1"].get(s[i - 3], 0)
    if i > 1:
        score += m["UW2"].get(s[i - 2], 0)
    score += m["UW3"].get(s[i - 1], 0)
    score += m["UW4"].get(s[i], 0)
    if i + 1 < n:
        score += m["UW5"].get(s[i + 1], 0)
    if i + 2 < n:
        score += m["UW6"].get(s[i + 2], 0)
    if i > 1:
        score += m["BW1"].get(s[i - 2 : i], 0)
    score += m["BW2"].get(s[i - 1 : i + 1], 0)
    if i + 1 < n:
        score += m["BW3"].get(s[i : i + 2], 0)
    if i > 2:
        score += m["TW1"].get(s[i - 3 : i], 0)
    if i > 1:
        score += m["TW2"].get(s[i - 2 : i + 1], 0)
    if i + 1 < n:
        score += m["TW3"].get(s[i - 1 : i + 2], 0)
    if i + 2 < n:
        score += m["TW4"].get(s[i : i + 3], 0)
    return score


PHRASE_CONTEXT = 4
"""Characters on each side of a break given to the phrase model (BudouX's features read at most
three characters on either side of a boundary, so more would change nothing)."""


@cache
def _budoux():  # type: ignore[no-untyped-def]
    """BudouX's Japanese parser and its model's feature tables (empty where the model has none)."""
    import budoux

    parser = budoux.load_default_japanese_parser()
    names = ("UW1", "UW2", "UW3", "UW4", "UW5", "UW6", "BW1", "BW2", "BW3", "TW1", "TW2", "TW3", "TW4")
    return parser, {k: parser.model.get(k, {}) for k in names}


WEIGHTS_FILE = "cut_weights.json"


@cache
def default_settings() -> CutSettings:
    """The settings with the fitted weights committed in `cut_weights.json`."""
    data = json.loads(resources.files(__package__).joinpath(WEIGHTS_FILE).read_text(encoding="utf-8"))
    return settings_from_dict(data)


def settings_from_dict(data: Mapping[str, object]) -> CutSettings:
    """Settings from a weights document (unknown keys such as the fit's report are ignored)."""
    names = {f.name for f in fields(CutSettings)}
    return replace(CutSettings(), **{k: v for k, v in data.items() if k in names})  # type: ignore[arg-type]
