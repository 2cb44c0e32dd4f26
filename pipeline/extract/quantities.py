"""Numeric targets: find number spans, reject non-quantities, resolve value/unit/qualifier/subject.

Many numbers in a plan are not quantities (二十大, “532”, 第六批, 12345, 建团100周年, 〔2021〕133号), so a
number is only reported when it carries a unit or measure word, or is the object of a target verb
(指数达85). Chinese numerals are only counts after a counting verb (新增两所), since most of them are parts
of names (两个确立, 五大行动).
"""
from __future__ import annotations

import re
from bisect import bisect_right

from ..model import Quantity
from ..numerals import to_number
from . import patterns as P

_UNIT = re.compile("|".join(re.escape(u) for u in P.UNITS))
_LOOKAHEAD = 32  # longer than any unit or P.NOT_AFTER word: what follows a number is read from this window
_BREAKDOWN = re.compile(r"\s*其中")
# Subjects are looked for this many characters around the number (real ones are under 20): a clause
# that never ends (text without punctuation) would otherwise give every number the whole clause.
_MAX_SUBJECT = 100


def _masked(text: str) -> list[tuple[int, int]]:
    """Spans where numbers are names, titles or document numbers, never quantities: sorted and merged."""
    spans = sorted((m.start(), m.end()) for pat in (P.QUOTED, P.TITLED, P.DOC_NUMBER) for m in pat.finditer(text))
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    # A bisection over the sorted, disjoint spans: a long item has thousands of numbers and titles.
    i = bisect_right(spans, pos, key=lambda span: span[0]) - 1
    return i >= 0 and pos < spans[i][1]


def _value(num: str, mul: str | None) -> float:
    return to_number(num) * (P.MULTIPLIERS[mul] if mul else 1)


def find_quantities(text: str, *, offset: int = 0) -> list[Quantity]:
    """Find the quantities in one item's text; spans are shifted by ``offset`` into the document.

    >>> [(q.value, q.unit, q.qualifier) for q in find_quantities("组建8个以上思政课建设联盟")]
    [(8.0, '个', '以上')]
    """
    masked = _masked(text)
    found: list[Quantity] = []
    breakdown_of: int | None = None
    last_total: int | None = None
    clause_start = sentence_start = 0
    aspiring = False  # 力争 came earlier in the sentence
    pos = 0
    base_subject = ""
    # Bookkeeping only looks at the text since the previous number, so a long item costs linear time.
    for m in P.NUMBER.finditer(text):
        s, e = m.span()
        # clause bookkeeping for breakdowns (其中幼儿园37所、小学35所)
        brk = max(text.rfind(ch, pos, s) for ch in "，。；！？\n")
        if brk >= 0:
            clause_start = brk + 1
            breakdown_of = None
        brk = max(text.rfind(ch, pos, s) for ch in "。；！？\n")
        if brk >= 0:
            sentence_start, aspiring = brk + 1, False
        from_ = max(sentence_start, pos - len(P.ASPIRATION) + 1)
        aspiring = aspiring or text.find(P.ASPIRATION, from_, s) >= 0
        pos = s
        if _BREAKDOWN.match(text, clause_start, s) and last_total is not None:
            breakdown_of = last_total
        q = _resolve(text, m, masked, clause_start, aspiring)
        if q is None:
            continue
        value, vmax, unit, qual, qs, qe = q
        subject = _subject(text, s, qe, clause_start)
        if subject in P.COUNT_VERBS and found and found[-1].unit == unit and base_subject:
            subject += base_subject  # 安排重大项目100项，新开工29项 -> 新开工重大项目
        else:
            base_subject = subject
        found.append(Quantity(start=qs + offset, end=qe + offset, value=value, unit=unit, value_max=vmax,
                              qualifier=qual, subject=subject, part_of=breakdown_of))
        if breakdown_of is None:
            last_total = len(found) - 1
    return found


def _resolve(text: str, m: re.Match[str], masked: list[tuple[int, int]], clause_start: int, aspiring: bool
             ) -> tuple[float, float | None, str, str, int, int] | None:
    s, e = m.span()
    lo, hi = m.group("lo"), m.group("hi")
    chinese = not lo[0].isdigit()
    if _inside(s, masked):
        return None
    before = text[max(0, s - 4) : s]
    if any(before.endswith(w) for w in P.NOT_BEFORE) or (s and (text[s - 1].isascii() and text[s - 1].isalnum())):
        return None
    if s and text[s - 1] in ".．" or (s > 0 and text[s - 1].isdigit()):
        return None
    if chinese and (m.group("lomul") or hi and not hi[0].isdigit()) and len(lo) == 1 and lo == "一":
        return None
    rest = text[e : e + _LOOKAHEAD]
    if P.NOT_AFTER.match(rest) or (e < len(text) and text[e].isascii() and text[e].isalpha()):
        return None
    unit = ""
    um = _UNIT.match(rest)
    pct = m.group("lopct")
    if pct and not hi:
        unit, e = "%", e
    elif um:
        unit = um.group(0)
        e += len(unit)
    mult = 1
    if unit in P.UNIT_MULTIPLIERS:
        unit, mult = P.UNIT_MULTIPLIERS[unit]
    if pct and hi and not unit:
        unit = "%"
    if unit == "批" and (chinese or before.endswith(("首", "第"))):
        return None
    if unit in ("期", "批", "轮", "届") and before.endswith("第"):
        return None
    if chinese:
        clause = text[clause_start:s]
        if not unit or lo == "一" or not any(v in clause for v in P.COUNT_VERBS):
            return None
    if not unit:
        has_mul = bool(m.group("lomul"))
        if not (before.endswith(P.TARGET_VERBS) or (has_mul and text.startswith(P.QUALIFIERS_AFTER, e))):
            return None
        if re.fullmatch(r"(19|20)\d{2}", lo):
            return None
    try:
        value = _value(lo, m.group("lomul")) * mult
        vmax = _value(hi, m.group("himul") or (m.group("lomul") if not m.group("himul") else None)) * mult if hi else None
    except ValueError:
        return None
    if hi and vmax is not None and vmax < value:
        return None  # 2023-03 is a date, not a range
    qual = ""
    for w in P.QUALIFIERS_AFTER:
        if text.startswith(w, e):
            qual = w
            e += len(w)
            break
    if not qual:
        for w in P.QUALIFIERS_BEFORE:
            if before.endswith(w):
                qual = w
                break
    if not qual and aspiring:
        qual = P.ASPIRATION
    return value, vmax, unit, qual, s, e


def _subject(text: str, num_start: int, q_end: int, clause_start: int) -> str:
    """What is counted: the noun phrase after the quantity, else the one before it."""
    after = _phrase_after(text, q_end)
    if after:
        return after
    return _phrase_before(text, num_start, max(clause_start, num_start - _MAX_SUBJECT))


def _phrase_after(text: str, pos: int) -> str:
    end = pos
    stop = min(len(text), pos + _MAX_SUBJECT)
    while end < stop and text[end] not in P.CLAUSE_BREAK:
        if text[end] == "、" and (end + 1 < len(text)) and (text[end + 1].isdigit() or text[end + 1] in P.CN_NUM and _UNIT.match(text, end + 2)):
            break
        if text[end] in "和及与等" and end > pos and _next_is_number(text, end + 1):
            break
        if text[end] == "等":
            break
        end += 1
    phrase = text[pos:end]
    if not phrase or phrase[0] in "的（(以左上下、" or phrase.startswith(("，", "。")):
        return ""
    for tail in ("建设", "实施", "清单", "制度", "工作", "的"):
        if phrase.endswith(tail) and len(phrase) > len(tail) + 1:
            phrase = phrase[: -len(tail)]
    return phrase.strip()


def _next_is_number(text: str, pos: int) -> bool:
    return pos < len(text) and (text[pos].isdigit() or text[pos] in "一二两三四五六七八九十")


def _phrase_before(text: str, num_start: int, clause_start: int) -> str:
    start = max(clause_start, text.rfind("、", clause_start, num_start) + 1)
    # a 、 inside the noun (新建、改扩建学校) is kept when no number stands between
    if start > clause_start and not re.search(r"\d", text[clause_start:start]):
        start = clause_start
    phrase = text[start:num_start].strip()
    phrase = phrase[P.SUBJECT_TIME_PREFIX.match(phrase).end() :]  # type: ignore[union-attr]
    changed = True
    while changed:
        changed = False
        for lead in P.SUBJECT_LEAD_STRIP:
            if phrase.startswith(lead) and len(phrase) > len(lead):
                phrase, changed = phrase[len(lead):], True
        for tail in P.SUBJECT_TAIL_STRIP:
            if phrase.endswith(tail) and len(phrase) > len(tail):
                phrase, changed = phrase[: -len(tail)], True
    return "" if phrase in P.SUBJECT_TAIL_STRIP else phrase
