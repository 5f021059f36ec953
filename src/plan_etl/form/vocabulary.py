"""The words schedule cells are made of, defined once: phases for charts, and the step words that
tell a cell from running text (prose layout) and where a cell opens or closes (the row cut)."""

from __future__ import annotations

import regex

PHASE_WORDS: dict[str, tuple[str, ...]] = {
    "検討": ("検討", "調査", "研究", "分析", "課題整理"),
    "準備": ("準備", "調整", "設計", "構築", "整備", "策定", "選定", "契約"),
    "試行": ("試行", "実証", "モデル"),
    "実施": ("実施", "導入", "開始", "展開", "拡充", "拡大", "移行", "公開", "推進"),
    "検証": ("検証", "評価", "効果測定"),
    "運用": ("運用", "保守", "継続"),
    "見直し": ("見直し", "改善", "再検討"),
}
"""Phase -> the words that name it in a cell, in phase order (検討 < 準備 < … < 見直し)."""

STEP_WORDS: tuple[str, ...] = (
    "検討", "実施", "検証", "試行", "運用", "準備", "見直し", "改善", "拡充", "構築", "導入", "調整",
    "継続", "開始", "評価", "策定", "調査", "分析", "研究", "設計", "整備", "保守", "周知", "公開",
    "拡大", "展開", "推進",
)  # fmt: skip
"""The steps a schedule cell is written in (検討・実施, 実施、検証)."""

QUALIFIERS: tuple[str, ...] = ("一部", "本格")
"""Words that qualify a step (一部実施, 本格運用)."""

OPENING_WORDS: tuple[str, ...] = ("庁内", "システム", "新規", "全", "順次", "制度")
"""Words a cell often opens with besides steps and qualifiers."""

CLOSING_WORDS: tuple[str, ...] = (
    "選定", "決定", "完了", "移行", "作成", "活用", "確保", "判断", "締結", "実現",
)  # fmt: skip
"""Words a cell often ends with besides steps."""

DASHES = "―－—-ー"
"""A cell of only dashes: nothing planned that year."""


def _alternation(words: tuple[str, ...]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


CELL_WORDS = regex.compile(rf"^(?:{_alternation(STEP_WORDS + QUALIFIERS)}|[・、，,及びと\s（）()～〜])+$")
"""A text of only step words and list punctuation: a schedule cell, never a paragraph's end."""
CELL_OPENER = regex.compile(rf"^(?:{_alternation(STEP_WORDS + QUALIFIERS + OPENING_WORDS)}|[―－\-])")
"""A fragment that opens like a cell."""
CELL_CLOSER = regex.compile(rf"(?:{_alternation(STEP_WORDS + CLOSING_WORDS)}|[）)」]|[―－])$")
"""A fragment that ends like a cell."""
DASH_CELL = regex.compile(rf"^[{regex.escape(DASHES)}]+$")

RUNS_ON_ENDING = r"[、，・のにをとへやでがたくるび及（(「～〜\-－ー]|及び|等の"
"""How a phrase ends that the next line continues: a comma, a particle, an open bracket, a dash, 及び,
等の (a fragment ending so is cut mid-phrase)."""
