"""Phases named in a schedule cell, for charts (how many initiatives are in 実施 in R7).

A cell is free text (`検討・一部実施（５地区）`, `実施、検証`); each phase below is reported when
one of its words occurs in the cell, in this fixed order:

| phase | words |
| --- | --- |
| 検討 | 検討, 調査, 研究, 分析, 課題整理 |
| 準備 | 準備, 調整, 設計, 構築, 整備, 策定, 選定, 契約 |
| 試行 | 試行, 実証, モデル |
| 実施 | 実施, 導入, 開始, 展開, 拡充, 拡大, 移行, 公開, 推進 |
| 検証 | 検証, 評価, 効果測定 |
| 運用 | 運用, 保守, 継続 |
| 見直し | 見直し, 改善, 再検討 |
"""

from __future__ import annotations

from plan_etl.form.vocabulary import PHASE_WORDS

__all__ = ["PHASE_WORDS", "classify_phases"]


def classify_phases(cell: str | None) -> list[str]:
    """The phases a cell names, in PHASE_WORDS order; [] for an empty cell or a dash."""
    if not cell:
        return []
    return [phase for phase, words in PHASE_WORDS.items() if any(w in cell for w in words)]
