"""The five goals (到達点) and their progress figures: one Goal per goal, ordered by goal number.

Output: ``list[Goal]``, each with
``goal`` (number), ``name``, ``description`` (paragraph after the name, wraps joined),
``effect_category`` and ``effect_examples`` (主な効果・成果例: the category and its ➢ bullets, text after
the bullet as printed, e.g. ``時代に即した事業の再構築 など``), ``amounts`` (``R6予算額`` / ``R6決算額`` /
``R7予算額`` ... in millions of yen), ``hours_reduced`` (``R6削減時間``: hours reduced in a year),
``hours_target`` (hours to reduce over the plan period, as stated in the description, else None) and
``source_lines``.

Page layout, as the PDF text gives it (two goals may share a page and their text interleaves)::

    Ⅱ 新たな行政経営移行の５つの到達点ごとの推進状況   page header, repeated
    職員の時間の効果的活用                             goal name
    事務マニュアルや ... 約12.９万時間 削減 ...          description (may state an hours target)
    組織 人材 / 施設 / 協働 / 外郭 / デジタル          視点 labels (number may be glued: デジタル４)
    到達点 視点 / ３                                   legend, goal number
    ➢ 補助金・助成金申請の利便性向上 など               tail of the examples (printed first)
    事務にかかる時間の削減                             effect category
    主な / 効果・成果例                                legend
    ➢ 内部定型事務の効率的運用 / ➢ ＤＸによる...        head of the examples
    Ｒ６予算額 ： 374 百万円 Ｒ６決算額 ：３５１ ...     amounts: end of the goal's block
    (the next goal's block on the same page)
    Ｒ６削減時間 ： 約 ４.2 万時間                      at the page foot, for either goal

A 削減時間 figure is the yearly progress toward a plan-period reduction target, so it goes to the goal on
its page whose description states such a target (several figures and targets pair up in order); only
when that does not decide it does it go to the goal it follows, with a warning.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

import regex

from plan_etl.extract.base import Line
from plan_etl.form.ids import reiwa_to_western, to_ascii_digits
from plan_etl.form.words import AMOUNT, DIGIT, HOURS, PART_NUMERAL
from plan_etl.parsers.text import join_wrapped
from plan_etl.schemas.records import Amount, Goal, HoursReduced, Issue, IssueCode

VIEWPOINTS = ("組織", "人材", "施設", "協働", "外郭", "デジタル")
"""The plan's 視点 labels printed beside each goal (not part of its text)."""

_SECTION_HEADER = regex.compile(rf"^\s*{PART_NUMERAL}(?:\s|$)")
_VIEW = regex.compile(rf"^(?:(?:{'|'.join(VIEWPOINTS)})\s*)+(?P<num>{DIGIT}{{1,2}})?$")
_NUMBER = regex.compile(rf"^{DIGIT}{{1,2}}$")
_BULLET = regex.compile(r"^[➢▶►•●◆■]\s*")
_EFFECT_LEGEND = regex.compile(r"^(?:主な)?\s*(?:効果・成果例)?$")
_AMOUNT = regex.compile(AMOUNT)
_HOURS = regex.compile(HOURS)
# in the description (digits made ASCII first): 業務時間 約９．６万時間 を削減
_TARGET = regex.compile(r"約?\s*(?P<value>[0-9]+(?:\.[0-9]+)?)\s*(?P<man>万)?\s*時間(?P<rest>[^。]*)")

_KINDS: dict[str, Literal["budget", "settlement"]] = {"予算額": "budget", "決算額": "settlement"}

_Kind = Literal["header", "hours", "amounts", "view", "legend", "number", "bullet", "text"]


@dataclass
class _Block:
    """One goal's lines while they are being read."""

    name: Line
    state: Literal["description", "body", "tail"] = "description"
    description: list[Line] = field(default_factory=list)
    number: int | None = None
    groups: list[list[str]] = field(default_factory=list)
    category: list[Line] = field(default_factory=list)
    amounts: list[Amount] = field(default_factory=list)
    hours: list[HoursReduced] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    _target: tuple[int, int | None] = (0, None)
    """The hours target and the description lines it was read from."""

    @property
    def target(self) -> int | None:
        """The hours target its description states so far: read again only when the description
        has grown since (read at every line, a long description made the parse quadratic)."""
        if self.description and self._target[0] != len(self.description):
            self._target = (
                len(self.description),
                hours_target(join_wrapped(x.text for x in self.description)),
            )
        return self._target[1]


@dataclass
class _PendingHours:
    """A 削減時間 figure waiting for its page to end, with the block it was printed after."""

    record: HoursReduced
    line: int
    after: _Block | None


def _hours_value(value: str, man: str | None) -> int:
    """``4.2`` + 万 -> 42000 (exact decimal arithmetic, no float rounding)."""
    return int(Decimal(to_ascii_digits(value)) * (10000 if man else 1))


def parse_amounts(text: str) -> list[Amount]:
    """Every ``Ｒ６予算額 ：７９ 百万円`` in a line, labels in ASCII (R6予算額)."""
    out = []
    for m in _AMOUNT.finditer(text):
        year = int(to_ascii_digits(m["year"]))
        value = to_ascii_digits(m["value"]).replace(",", "")
        out.append(
            Amount(
                label=f"R{year}{m['kind']}",
                fiscal_year=reiwa_to_western(year),
                kind=_KINDS[m["kind"]],
                million_yen=int(value),
            )
        )
    return out


def parse_hours(text: str) -> list[HoursReduced]:
    """Every ``Ｒ６削減時間 ： 約 1.9 万時間`` in a line (-> R6削減時間, 19000 hours)."""
    out = []
    for m in _HOURS.finditer(text):
        year = int(to_ascii_digits(m["year"]))
        out.append(
            HoursReduced(
                label=f"R{year}削減時間",
                fiscal_year=reiwa_to_western(year),
                hours=_hours_value(m["value"], m["man"]),
            )
        )
    return out


def hours_target(description: str) -> int | None:
    """Plan-period reduction target stated in a description (業務時間 約９．６万時間 を削減 -> 96000)."""
    for m in _TARGET.finditer(to_ascii_digits(description)):
        if "削減" in m["rest"]:
            return _hours_value(m["value"], m["man"])
    return None


def _kind(text: str) -> _Kind:
    """Classify a stripped non-blank line of the goals pages."""
    if _HOURS.search(text):
        return "hours"
    if _AMOUNT.search(text):
        return "amounts"
    if _VIEW.match(text):
        return "view"
    if _NUMBER.match(text):
        return "number"
    if _BULLET.match(text):
        return "bullet"
    if text.startswith("※") or ("到達点" in text and "視点" in text) or _EFFECT_LEGEND.match(text):
        return "legend"
    return "text"


def _section(lines: Sequence[Line]) -> tuple[Sequence[Line], str | None]:
    """The goals pages and their repeated page header (None if there is none).

    They run from the 到達点 section header to the next section header. Lines before the first header
    are the cover and are dropped, unless they already hold goal content (視点 labels, amounts): then the
    caller passed the pages without their first header and every line is kept.
    """
    first = next(
        (i for i, ln in enumerate(lines) if _SECTION_HEADER.match(ln.text) and "到達点" in ln.text), None
    )
    if first is None:
        return lines, None
    header = lines[first].text.strip()
    end = next(
        (
            j
            for j in range(first + 1, len(lines))
            if _SECTION_HEADER.match(lines[j].text) and lines[j].text.strip() != header
        ),
        len(lines),
    )
    before = (ln.text.strip() for ln in lines[:first])
    mid_section = any(t and _kind(t) in ("view", "amounts") for t in before)
    return lines[0 if mid_section else first + 1 : end], header


def _assign_hours(blocks: list[_Block], pending: list[_PendingHours], issues: list[Issue]) -> None:
    """Give a page's 削減時間 figures to the page's goals that state an hours target."""
    if not pending:
        return
    targets = [b for b in blocks if b.target is not None]
    if targets and len(targets) == len(pending):
        pairs = list(zip(targets, pending, strict=True))
    elif len(targets) == 1:
        pairs = [(targets[0], p) for p in pending]
    else:
        pairs = []
        for p in pending:
            if p.after is None:
                issues.append(
                    Issue.warning(
                        IssueCode.goal_hours_unplaced,
                        f"{p.record.label} printed before any goal; dropped",
                        lines=[p.line],
                    )
                )
                continue
            issues.append(
                Issue.warning(
                    IssueCode.goal_hours_guessed,
                    f"{p.record.label} given to the goal it follows: "
                    f"{len(targets)} goals on its page state an hours target",
                    lines=[p.line],
                )
            )
            pairs.append((p.after, p))
    for block, p in pairs:
        block.hours.append(p.record)
        block.lines.append(p.line)


def _examples(groups: list[list[str]]) -> list[str]:
    """Bullet runs in list order: a run ending in など closes the list, though the PDF prints it first."""
    ordered = sorted(groups, key=lambda g: bool(g) and g[-1].rstrip().endswith("など"))
    return [item for group in ordered for item in group]


def parse_goals(lines: Sequence[Line], issues: list[Issue] | None = None) -> list[Goal]:
    """Parse the 到達点 pages (the whole document or just those pages) into Goals.

    A goal's block runs from its name to its amounts line; after that the next text line names the next
    goal. 削減時間 lines are held until their page ends (see the module docstring).
    """
    notes: list[Issue] = issues if issues is not None else []
    section, header = _section(lines)
    blocks: list[_Block] = []
    page_blocks: list[_Block] = []
    pending: list[_PendingHours] = []
    cur: _Block | None = None
    prev_kind: _Kind | None = None
    prev_no = -1

    for ln in section:
        text = ln.text.strip()
        if not text:
            continue
        kind: _Kind = "header" if header is not None and text == header else _kind(text)
        if kind == "header":
            _assign_hours(page_blocks, pending, notes)
            page_blocks, pending = [], []
            if cur is not None and cur.state == "tail":
                cur = None
        elif kind == "hours":
            pending.extend(_PendingHours(h, ln.no, cur) for h in parse_hours(text))
        elif cur is None and kind != "text":
            pass  # page furniture before the first goal name
        elif kind == "amounts":
            assert cur is not None
            cur.amounts.extend(parse_amounts(text))
            cur.lines.append(ln.no)
            cur.state = "tail"
        elif kind == "view":
            assert cur is not None
            m = _VIEW.match(text)
            if m and m["num"] and cur.number is None:
                cur.number = int(to_ascii_digits(m["num"]))
            cur.lines.append(ln.no)
            cur.state = "body" if cur.state == "description" else cur.state
        elif kind == "number":
            assert cur is not None
            if cur.state != "tail" and cur.number is None:
                cur.number = int(to_ascii_digits(text))
                cur.lines.append(ln.no)
                cur.state = "body"
            # otherwise a page number
        elif kind == "legend":
            assert cur is not None
            cur.lines.append(ln.no)
        elif kind == "bullet":
            assert cur is not None
            item = _BULLET.sub("", text).rstrip()
            if prev_kind == "bullet" and cur.groups:
                cur.groups[-1].append(item)
            else:
                cur.groups.append([item])
            cur.lines.append(ln.no)
            cur.state = "body" if cur.state == "description" else cur.state
        elif cur is None or cur.state == "tail":
            cur = _Block(name=ln, lines=[ln.no])
            blocks.append(cur)
            page_blocks.append(cur)
        elif cur.state == "description":
            cur.description.append(ln)
            cur.lines.append(ln.no)
        elif (
            prev_kind == "bullet"
            and ln.no == prev_no + 1
            and cur.groups
            and not cur.groups[-1][-1].endswith("など")
        ):
            cur.groups[-1][-1] += text  # a bullet wrapped onto the next line
            cur.lines.append(ln.no)
            kind = "bullet"
        else:
            cur.category.append(ln)
            cur.lines.append(ln.no)
        prev_kind, prev_no = kind, ln.no
    _assign_hours(page_blocks, pending, notes)

    goals: list[Goal] = []
    used: dict[int, int] = {}
    for i, b in enumerate(blocks):
        number = b.number
        if number is None:
            number = goals[-1].goal + 1 if goals else i + 1
            notes.append(
                Issue.warning(
                    IssueCode.goal_number_inferred,
                    f"no number printed for goal {b.name.text.strip()!r}; taken as {number}",
                    lines=[b.name.no],
                )
            )
        if number in used:
            notes.append(
                Issue.warning(
                    IssueCode.duplicate_goal, f"goal {number} read twice", lines=[used[number], b.name.no]
                )
            )
        used.setdefault(number, b.name.no)
        if not b.amounts:
            notes.append(
                Issue.warning(
                    IssueCode.goal_no_amounts, f"no 予算額/決算額 read for goal {number}", lines=[b.name.no]
                )
            )
        goals.append(
            Goal(
                goal=number,
                name=b.name.text.strip(),
                description=join_wrapped(x.text for x in b.description),
                effect_category=join_wrapped(x.text for x in b.category),
                effect_examples=_examples(b.groups),
                amounts=b.amounts,
                hours_reduced=b.hours,
                hours_target=b.target,
                source_lines=sorted(b.lines),
            )
        )
    return sorted(goals, key=lambda g: g.goal)
