"""Numeric targets: find number spans, reject non-quantities, resolve value/unit/qualifier/subject.

Many numbers in a plan are not quantities (二十大, “532”, 第六批, 12345, 建团100周年, 〔2021〕133号), so a
number is only reported when it carries a unit or measure word, or is the object of a target verb
(指数达85). Chinese numerals are only counts after a counting verb (新增两所), since most of them are parts
of names (两个确立, 五大行动, 五个一工程, 二期工程, 十四五).

A measure that picks out what is counted is not a target either: an age or a size before a noun
(65岁以上老年人, 400米跑道) and a threshold before another count (10亿元以上重大项目20个). Fractions and
ratios are pure numbers (三分之一 -> 0.333, 1/3 -> 0.333, 生师比17:1 -> 17; 百分之八十 -> 80 %, 千分之五 -> 5 ‰);
a rate per population keeps its base in the unit (孕产妇死亡率10/10万 -> 10 "/10万"); 100余场 reads as 100 以上.
A target after 力争 in its sentence is ``aspirational`` whatever its qualifier (力争达到72%以上: 以上, aspirational),
so binding and aspirational targets can be told apart; ``qualifier`` is 力争 only when nothing else is written.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from .. import shortcuts
from ..model import Quantity
from ..numerals import cn_to_int, to_number
from . import patterns as P

_DIGIT = re.compile(r"\d")
_LOOKAHEAD = 32  # longer than any unit or P.NOT_AFTER word: what follows a number is read from this window
_BREAKDOWN = re.compile(r"\s*其中")
# match(text, start, end) runs to the last break before ``end``: .* jumps to ``end`` and backs up to the break, so
# only the text after the break is looked at again.
_TO_LAST_CLAUSE_BREAK = re.compile(r".*[，。；！？\n]", re.S)
_TO_LAST_SENTENCE_BREAK = re.compile(r".*[。；！？\n]", re.S)
# Subjects are looked for this many characters around the number (real ones are under 20): a clause
# that never ends (text without punctuation) would otherwise give every number the whole clause.
_MAX_SUBJECT = 100
_BARE_VERBS = frozenset(P.COUNT_VERBS) | frozenset(P.SUBJECT_LEAD_STRIP)
_SUBJECT_TAIL_NOISE = re.compile(r"(?:[（(]|(?:19|20)\d{2}年(?:底|末)?(?:前)?)$")
_LIST_JOIN = re.compile(r"\s*(?:、|和|及|与|或者|或)\s*")
_ISSUE_YEAR = re.compile(r"(?:19|20)\d{2}\s*年\s*$")


# What masks numbers, with the characters one of which starts every match: most items hold none of them, and
# looking for a character is much cheaper than a search that tries the pattern at every one.
_MASKS = ((P.QUOTED, "“\"‘「"), (P.TITLED, "《"), (P.DOC_NUMBER, "〔["))


def _masked(text: str) -> list[tuple[int, int]]:
    """Spans where numbers are names, titles or document numbers, never quantities: sorted and merged."""
    pats = [pat for pat, starts in _MASKS if not shortcuts.ENABLED or any(map(text.__contains__, starts))]
    if "附件" in text:
        pats.append(P.ATTACHMENT_LIST)
    spans = [m.span() for pat in pats for m in pat.finditer(text)]
    if len(spans) < 2:
        return spans  # most items: nothing to sort or merge
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def _value(num: str, mul: str | None) -> float:
    return to_number(num) * (P.MULTIPLIERS[mul] if mul else 1)


def find_quantities(text: str, *, offset: int = 0) -> list[Quantity]:
    """Find the quantities in one item's text; spans are shifted by ``offset`` into the document.

    >>> [(q.value, q.unit, q.qualifier) for q in find_quantities("组建8个以上思政课建设联盟")]
    [(8.0, '个', '以上')]
    """
    masked: list[tuple[int, int]] | None = None  # read at the first number: most items have none
    next_mask = 0  # the first masked span that does not end before the number: numbers come in order
    found: list[Quantity] = []
    breakdown_of: int | None = None
    last_total: int | None = None
    clause_start = sentence_start = 0
    aspiring = False  # 力争 came earlier in the sentence
    may_aspire = True  # whether the item holds 力争 at all, read at the first number (sentences matter only then)
    pos = 0
    base_subject = ""
    # The numbers are the matches of P.NUMBER.finditer(text), found by jumping from one P.NUMBER_START to the next
    # (written out: a generator would cost a call per item and a resume per number). Bookkeeping only looks at the
    # text since the previous number, so a long item costs linear time.
    find_start, match_number = P.NUMBER_START.search, P.NUMBER.match
    look_from = 0  # where the next number is looked for
    while (start := find_start(text, look_from)) is not None:
        m = match_number(text, start.start())
        if m is None:
            look_from = start.start() + 1
            continue
        look_from = m.end()  # a match is never empty
        if masked is None:
            masked = _masked(text)
            may_aspire = not shortcuts.ENABLED or P.ASPIRATION in text
        s = m.start()
        # clause bookkeeping for breakdowns (其中幼儿园37所、小学35所)
        brk = _TO_LAST_CLAUSE_BREAK.match(text, pos, s)
        if brk:
            clause_start = brk.end()
            breakdown_of = None
            if may_aspire and text[clause_start - 1] == "，":  # it ends a clause, not a sentence: the sentence's end is before it
                brk = _TO_LAST_SENTENCE_BREAK.match(text, pos, clause_start - 1)
            if may_aspire and brk:
                sentence_start, aspiring = brk.end(), False
        if may_aspire:
            from_ = max(sentence_start, pos - len(P.ASPIRATION) + 1)
            aspiring = aspiring or text.find(P.ASPIRATION, from_, s) >= 0
        pos = s
        if last_total is not None and _BREAKDOWN.match(text, clause_start, s):
            breakdown_of = last_total
        while next_mask < len(masked) and masked[next_mask][1] <= s:
            next_mask += 1
        if next_mask < len(masked) and masked[next_mask][0] <= s:
            continue  # in a name, a title or a document number
        q = _resolve(text, m, clause_start, aspiring)
        if q is None:
            continue
        value, vmax, unit, qual, qs, qe = q
        prev_end = found[-1].end - offset if found else 0
        if (found and qual == "以下" and found[-1].qualifier == "以上" and found[-1].unit == unit
                and found[-1].value_max is None and vmax is None and prev_end == qs and value > found[-1].value):
            # 处2000元以上1万元以下的罚款: one range, 以上 the low end and 以下 the high end
            low = found.pop()
            after = _phrase_after(text, qe + text.startswith("的", qe))  # …以下的罚款
            subject = after or _subject(text, low.start - offset, qe,
                                        max(clause_start, found[-1].end - offset if found else 0))
            found.append(replace(low, end=qe + offset, value_max=value, qualifier="", subject=subject))
            continue
        subject = _subject(text, s, qe, max(clause_start, prev_end))
        if not subject and found and found[-1].unit == unit and _LIST_JOIN.fullmatch(text, prev_end, s):
            subject = found[-1].subject  # 补助比例为12%、10%、8%: one subject for the list
        if subject in P.CHANGE_VERBS and found and not any(ch in text[prev_end:s] for ch in P.CLAUSE_BREAK):
            subject = found[-1].subject  # 占比由10%提高至15%: the change has the subject of its start
        if (subject in P.COUNT_VERBS and found and found[-1].unit == unit and base_subject
                and not any(ch in text[prev_end:s] for ch in "。；！？\n")):
            subject += base_subject  # 安排重大项目100项，新开工29项 -> 新开工重大项目 (same sentence only)
        else:
            base_subject = subject
        if subject in _BARE_VERBS:
            subject = ""  # never a bare verb (给予100万元支持): better no subject than a wrong one
        found.append(Quantity(start=qs + offset, end=qe + offset, value=value, unit=unit, value_max=vmax,
                              qualifier=qual, subject=subject, part_of=breakdown_of, aspirational=aspiring))
        if breakdown_of is None:
            last_total = len(found) - 1
    if "分别" in text:
        found = _distribute(text, found, offset)
    return found


_JOIN = re.compile(r"\s*[、和及与]\s*(?:每(?:人|户|年|月|天|日)){0,3}$")


def _distribute(text: str, found: list[Quantity], offset: int) -> list[Quantity]:
    """Give each target of a 分别 list its own subject: 城乡居民人均可支配收入分别增长8%、8.5% -> 城镇居民
    人均可支配收入增长 and 农村居民人均可支配收入增长; 接待游客5000万人次、旅游收入600亿元，分别增长15%、18% ->
    游客增长, 旅游收入增长."""
    out = list(found)
    i = 0
    while i < len(out):
        s = out[i].start - offset
        clause = max(text.rfind(ch, 0, s) for ch in "，。；！？\n|：") + 1
        lead = text[clause:s]
        k = lead.find("分别")
        if k < 0:
            i += 1
            continue
        group = [i]
        while group[-1] + 1 < len(out) and _JOIN.fullmatch(
                text, out[group[-1]].end - offset, out[group[-1] + 1].start - offset):
            group.append(group[-1] + 1)
        head, verb = lead[:k].strip(), _strip_tails(P.RATE_PREFIX.sub("", lead[k + 2 :]))
        if head:
            names = _parts(head, len(group))
        else:  # 接待游客5000万人次、旅游收入600亿元，分别增长15%、18%: the targets just named, same sentence
            before = out[i - len(group) : i] if i >= len(group) else []
            sentence = max(text.rfind(ch, 0, s) for ch in "。；！？\n") + 1
            names = [q.subject for q in before] if before and before[0].start - offset >= sentence else []
        if len(group) > 1 and len(names) == len(group) and all(names):
            for j, name in zip(group, names):
                out[j] = replace(out[j], subject=name + verb)
        i = group[-1] + 1
    return out


def _parts(head: str, n: int) -> list[str]:
    """城乡居民收入 -> 城镇居民收入, 农村居民收入; 城镇、农村居民收入 -> both whole; A和B -> A, B."""
    if head.startswith("城乡") and n == 2:
        return ["城镇" + head[2:], "农村" + head[2:]]
    pieces = [p for p in re.split(r"[、和及与]", head) if p]
    if len(pieces) != n:
        return []
    last = pieces[-1]
    # 城镇、农村居民人均可支配收入: the short modifiers share the last piece's noun
    return [p + last[len(p) :] if len(p) <= 2 and len(last) > len(p) + 1 else p for p in pieces[:-1]] + [last]


def _strip_tails(verb: str) -> str:
    changed = True
    while changed and verb:
        changed = False
        for tail in P.SUBJECT_TAIL_STRIP:
            if verb.endswith(tail):
                verb, changed = verb[: -len(tail)], True
    return verb


_Resolved = tuple[float, float | None, str, str, int, int]


@dataclass(slots=True)
class _Candidate:
    """A number being read: where it is, what stands around it, and (once read) its unit."""

    text: str
    m: re.Match[str]
    s: int  # the number's start
    e: int  # where the reading has got to (after the number, then after its unit)
    lo: str
    lomul: str | None  # the multiplier written with ``lo`` (3.3万, 两亿)
    hi: str | None
    chinese: bool  # written in Chinese numerals (两所, 二十所)
    before: str  # the four characters before the number
    clause_start: int
    unit: str = ""
    _lead: str | None = None

    @property
    def lead(self) -> str:
        """The words before the number, without a rate phrase (提高到每人每月200元 -> 提高到); read when first
        needed, since most numbers are rejected without it."""
        if self._lead is None:
            self._lead = _lead_in(self.text, self.s)
        return self._lead


# The two rule lists below are read top down; the first rule that holds rejects the number. Each rule is one
# ``if`` with its reason, its cheap test (the unit, the script) first, so a rule that cannot apply costs little.
def _units_by_first_character() -> dict[str, tuple[tuple[str, tuple[str, ...]], ...]]:
    """P.UNITS grouped by their first character, longest first as listed, each with the characters it may not
    stand before (P.UNIT_NOT_BEFORE)."""
    groups: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for unit in P.UNITS:
        groups.setdefault(unit[0], []).append((unit, tuple(P.UNIT_NOT_BEFORE.get(unit, ""))))
    return {first: tuple(units) for first, units in groups.items()}


_UNITS_BY_FIRST = _units_by_first_character()


def _unit_at(text: str, i: int) -> str:
    """The unit written at ``i``, or "": the longest that is not the start of a longer word (3分之, 5天然气).
    Only the units that start with the character at ``i`` are tried, in a lookup instead of a regex of them all."""
    for unit, not_before in _UNITS_BY_FIRST.get(text[i : i + 1], ()):
        if text.startswith(unit, i) and not text.startswith(not_before, i + len(unit)):
            return unit
    return ""


def _cjk_at(text: str, i: int) -> bool:
    """Whether a CJK ideograph (U+4E00 to U+9FFF) stands at ``i``: a comparison, where a regex class of those
    20,000 characters takes a millisecond to compile."""
    return "\u4e00" <= text[i : i + 1] <= "\u9fff"


def _not_a_number(c: _Candidate) -> bool:
    """Rules that reject a number before its unit is read."""
    text, s, lo, hi = c.text, c.s, c.lo, c.hi
    prev = text[s - 1] if s else ""
    # an ordinal, a document number or a code (第六, 〔2021〕, No.5, A3)
    if c.before.endswith(P.NOT_BEFORE) or prev.isascii() and prev.isalnum():
        return True
    # the tail of a longer number (3.5 read from 5)
    if prev and (prev in ".．" or prev.isdigit()):
        return True
    if c.chinese:
        # 一万 / 一至三 in a name (一万个心愿); 一万元 is an amount
        if lo == "一" and (c.lomul or hi and not hi[0].isdigit()) and not text.startswith(P.MONEY_UNITS, c.e):
            return True
        # 十四五, 二五: names and digit-by-digit years, not counts
        if not P.CN_WELL_FORMED.fullmatch(lo) or hi and not hi[0].isdigit() and not P.CN_WELL_FORMED.fullmatch(hi):
            return True
    # 每招用1人, 每使用一名童工: the base of a rate
    return lo in ("1", "一") and not hi and _after_rate_base(text, s)


def _after_rate_base(text: str, s: int) -> bool:
    """每招用1人: 每 and one to three CJK ideographs end at ``s`` (or at a line break that ends there)."""
    end = s - 1 if text[s - 1 : s] == "\n" else s
    if end < 2:
        return False
    at = text.rfind("每", max(0, end - 4), end - 1)  # the last 每 with one to three characters after it
    return at >= 0 and "\u4e00" <= min(text[at + 1 : end]) and max(text[at + 1 : end]) <= "\u9fff"


_ORDINAL_UNITS = ("期", "批", "轮", "届")
_DURATION_NAME_ENDS = (*P.QUALIFIERS_AFTER, "内", "及", "和", "或")  # what may follow a duration target (1小时内)
_YEAR = re.compile(r"(?:19|20)\d{2}")


def _not_a_target(c: _Candidate) -> bool:
    """Rules that reject a number once its unit is read."""
    text, unit, e = c.text, c.unit, c.e
    if unit in _ORDINAL_UNITS:
        # 首批, 三批: an ordinal batch
        if unit == "批" and (c.chinese or c.before.endswith(("首", "第"))):
            return True
        # 第六批, 二期工程, 第 1 期: ordinals and phases
        if c.before.rstrip().endswith("第") or c.chinese and unit == "期":
            return True
        # 2023年1期: a journal's issue
        if unit == "期" and _ISSUE_YEAR.search(text, max(0, c.s - 8), c.s):
            return True
    # 65岁以上老年人, 超过20年的老旧小区: who or what is meant
    if unit in P.ATTRIBUTE_UNITS and _names_a_noun(c):
        return True
    # 220千伏输变电工程: a voltage class
    if unit in P.CLASS_UNITS and _cjk_at(text, e):
        return True
    # 24小时自助图书馆, 1小时通勤圈: a duration naming a service
    if unit in P.DURATION_UNITS and _cjk_at(text, e) and not text.startswith(_DURATION_NAME_ENDS, e):
        return True
    an_amount = bool(c.lomul) and unit in P.MONEY_UNITS  # 百亿元, 两亿元
    # 千万工程, 百万人口: only 百亿元 / 千亿元 are amounts
    if c.lo[0] in "百千" and not an_amount:
        return True
    # 两个确立, 五大行动, 五个一工程: a Chinese numeral is a count only after a counting verb
    if c.chinese and not an_amount and _chinese_name(c):
        return True
    # a bare number is a target only after a target verb (指数达85) or as 1000万以上
    return not unit and (not (c.lead.endswith(P.TARGET_VERBS) or bool(c.lomul) and text.startswith(P.QUALIFIERS_AFTER, e))
                         or _YEAR.fullmatch(c.lo) is not None)


def _names_a_noun(c: _Candidate) -> bool:
    after = P.ATTRIBUTE_TAIL.match(c.text, c.e).end()  # type: ignore[union-attr]
    return _cjk_at(c.text, after) and c.text[after] not in P.CONJUNCTIONS


def _chinese_name(c: _Candidate) -> bool:
    if not c.unit or c.lo == "一" or not any(v in c.text[c.clause_start : c.s] for v in P.COUNT_VERBS):
        return True
    return c.e < len(c.text) and (c.text[c.e].isdigit() or c.text[c.e] == "一")  # 两个一百年, 三个100%


def _resolve(text: str, m: re.Match[str], clause_start: int, aspiring: bool) -> _Resolved | None:
    """Value, upper value, unit, qualifier and span of one number, or None when it is not a quantity.

    The reading is rules around two steps: :func:`_not_a_number` before the unit is read, :func:`_not_a_target`
    after, then the qualifier and the thresholds (10亿元以上重大项目20个).
    """
    s, e = m.span()
    lo, lomul, hi, himul = m.group("lo", "lomul", "hi", "himul")
    if lo is None:  # P.NUMBER matched a fraction or a ratio
        return _resolve_ratio(text, m, aspiring)
    chinese = not lo[0].isdigit()
    if chinese and not (m.group("lopct") or text.startswith(P.APPROX_AFTER, e) or _unit_at(text, e)):
        return None  # 统一, 进一步, 十分: no unit follows, and a Chinese numeral is a count only with one
    c = _Candidate(text, m, s, e, lo, lomul, hi, chinese, text[max(0, s - 4) : s], clause_start)
    if _not_a_number(c):
        return None
    read = _read_unit(c)
    if read is None:
        return None
    approx, mult = read
    if _not_a_target(c):
        return None
    try:
        value = _value(lo, lomul) * mult
        vmax = _value(hi, himul or (lomul if not himul else None)) * mult if hi else None
    except ValueError:
        return None
    if hi and vmax is not None and vmax < value:
        return None  # 2023-03 is a date, not a range
    lead = c.lead
    qual, e = _qualifier(text, c.e, lead, aspiring, approx)
    if (qual in P.THRESHOLD_QUALIFIERS or lead.endswith(P.THRESHOLD_LEAD) or c.unit in P.MEASURE_UNITS
            or text.startswith("的", e)) and _is_threshold(text, e):
        return None  # 10亿元以上重大项目20个, 400米跑道2个: a threshold that picks what is counted
    if lead.endswith(P.CONDITION_LEAD) and not lead.endswith("不低于") and text.startswith("的", e):
        return None  # 违法所得不足三十万元的: a condition (不低于4%的要求 is a floor the plan sets)
    if c.unit in P.POLICY_PACKAGE_UNITS and any(v in text[max(clause_start, s - _MAX_SUBJECT) : s]
                                                 for v in P.POLICY_PACKAGE_VERBS):
        return None  # 落实民营经济30条
    return value, vmax, c.unit, qual, s, e


def _read_unit(c: _Candidate) -> tuple[bool, float] | None:
    """Read the unit after the number into ``c`` (moving ``c.e`` past it): (approximate, multiplier), or None
    when what follows makes the number a date, a time or a name (5月, 3点, 5G)."""
    text, m = c.text, c.m
    rest = text[c.e : c.e + _LOOKAHEAD]
    approx, mult, per = False, 1.0, ""
    if rest.startswith("年") and _is_year_duration(c, rest):
        c.unit = "年"
        c.e += 1
    else:
        if c.e < len(text) and text[c.e].isascii() and text[c.e].isalpha():
            return None
        pct = m.group("lopct")
        if pct and not c.hi:
            c.unit = "%"
        elif unit := _unit_at(text, c.e):
            c.unit = unit
            per_m = P.UNIT_PER.match(rest, len(c.unit)) if "/" not in c.unit else None
            per = per_m.group(0) if per_m else ""
            c.e += len(c.unit) + len(per)
        elif not c.hi and rest.startswith(P.APPROX_AFTER):  # 100余场, 3000余万元, 1万余人
            unit = _unit_at(text, c.e + 1)
            extra = rest[1:2] if not unit and not m.group("lomul") and rest[1:2] in P.MULTIPLIERS else ""
            unit = unit or (_unit_at(text, c.e + 2) if extra else "")
            if unit:
                c.unit, approx, mult = unit, True, P.MULTIPLIERS.get(extra, 1)
                c.e += 1 + len(extra) + len(c.unit)
        if pct and c.hi and not c.unit:
            c.unit = "%"
        if P.NOT_AFTER.match(rest) and not c.unit.startswith("/"):  # 10/10万 is a rate per 100,000
            return None
    if c.unit in P.UNIT_MULTIPLIERS:
        c.unit, unit_mult = P.UNIT_MULTIPLIERS[c.unit]
        mult *= unit_mult
    c.unit += per  # 5万立方米/日, 1.2万元/人
    return approx, mult


def _is_threshold(text: str, e: int) -> bool:
    """10亿元以上|重大项目20个, 400米|跑道2个: a noun and another number follow in the same phrase."""
    if text.startswith(("的", "级"), e):
        e += 1
    if not _cjk_at(text, e) or text[e] in P.CONJUNCTIONS:
        return False
    end = e
    while end < len(text) and end - e < _MAX_SUBJECT and text[end] not in P.CLAUSE_BREAK and text[end] != "、":
        end += 1
    return _DIGIT.search(text, e, end) is not None


def _lead_in(text: str, s: int) -> str:
    """The few characters before a number, without a rate phrase (提高到每人每月200元 -> 提高到)."""
    lead = text[max(0, s - 12) : s]
    rate = P.RATE_PREFIX.search(lead)
    return lead[: rate.start()] if rate else lead


def _is_year_duration(c: _Candidate, rest: str) -> bool:
    """11.5年, 达到12年: a number followed by 年 that counts years (schooling, life span), not a year or a year
    count in a name."""
    if c.hi or c.lomul or c.chinese:
        return False
    if rest.startswith(("年度", "年底", "年初", "年末", "年中", "年内", "年前", "年后", "年以来", "年起")):
        return False
    return "." in c.lo or (len(c.lo) <= 2 and c.lead.endswith(P.YEAR_DURATION_VERBS))


def _qualifier(text: str, e: int, lead: str, aspiring: bool, approx: bool = False) -> tuple[str, int]:
    """The qualifier written after the quantity (以上), else before it (不少于), else 余 (100余场), else 力争."""
    incl = P.INCLUSIVE.match(text, e)  # 30人（含）以下: the note says the bound is included
    at = incl.end() if incl else e
    if text.startswith(P.QUALIFIERS_AFTER, at):  # most have none: one test before looking for which
        for w in P.QUALIFIERS_AFTER:
            if text.startswith(w, at):
                return w, at + len(w)
    if lead.endswith(P.QUALIFIERS_BEFORE) and not lead.endswith(P.QUALIFIER_LOOKALIKES):
        for w in P.QUALIFIERS_BEFORE:
            if lead.endswith(w):
                return w, e
    if approx:
        return P.APPROX_QUALIFIER, e
    return (P.ASPIRATION if aspiring else ""), e


def _resolve_ratio(text: str, m: re.Match[str], aspiring: bool) -> _Resolved | None:
    """三分之一 / 1/3 -> 0.333 (unit ""), 百分之八十 -> 80 %, 17:1 -> 17 (unit "") where a ratio is meant."""
    s, e = m.span()
    if s and (text[s - 1].isascii() and text[s - 1].isalnum() or text[s - 1] in "/.．:：" or
              any(text[max(0, s - 4) : s].endswith(w) for w in P.NOT_BEFORE)):
        return None
    lead = _lead_in(text, s)
    unit = ""
    try:
        if m.group("fden") is not None:
            den, num = m.group("fden"), m.group("fnum")
            if not (P.CN_WELL_FORMED.fullmatch(den) and P.CN_WELL_FORMED.fullmatch(num)):
                return None
            if den in ("百", "千"):
                value, unit = float(cn_to_int(num)), "%" if den == "百" else "‰"
            else:
                value = cn_to_int(num) / cn_to_int(den)
        elif m.group("anum") is not None:
            num_i, den_i = int(m.group("anum")), int(m.group("aden"))
            if not 0 < num_i < den_i <= 10:
                return None  # 3/15, 12/31: dates, not fractions
            value = num_i / den_i
        else:
            if not (P.RATIO_BEFORE.search(lead) or P.RATIO_AFTER.match(text, e) or
                    P.RATIO_AFTER.match(text[e:])):
                return None  # 9:30 is a time
            value = to_number(m.group("ra")) / to_number(m.group("rb"))
    except (ValueError, ZeroDivisionError):
        return None
    qual, e = _qualifier(text, e, lead, aspiring)
    return value, None, unit, qual, s, e


def _subject(text: str, num_start: int, q_end: int, clause_start: int) -> str:
    """What is counted: the noun phrase after the quantity, else the one before it."""
    after = _phrase_after(text, q_end)
    if after and after not in _BARE_VERBS and not after.startswith(P.PURPOSE_VERBS):
        return after
    # 赤字率拟按4%左右安排, 安排国债2500亿元支持…: a bare verb after the number is not what is counted
    return _phrase_before(text, num_start, max(clause_start, num_start - _MAX_SUBJECT)) or after


def _phrase_after(text: str, pos: int) -> str:
    end = pos
    stop = min(len(text), pos + _MAX_SUBJECT)
    while end < stop and (ch := text[end]) not in P.CLAUSE_BREAK:
        if ch == "、" and (end + 1 < len(text)) and (text[end + 1].isdigit() or text[end + 1] in P.CN_NUM and _unit_at(text, end + 2)):
            break
        if ch == "、" and _count_follows(text, end + 1):
            break  # 学习1本读本、撰写1篇心得: the next clause of the list counts its own thing
        if ch in "和及与等" and end > pos and _next_is_number(text, end + 1):
            break
        if ch == "等":
            break
        if ch.isdigit() and text[pos:end].endswith(_LEADS_IN_NEXT):
            return ""  # 从75%提高到80%: what follows leads in the next number, it is not counted
        end += 1
    phrase = text[pos:end]
    if phrase.startswith("的") and 2 <= len(phrase) <= 7 and not _DIGIT.search(phrase):
        # 处1万元的罚款: a short noun after 的 is what the amount is; 不低于4%的要求 names the target itself
        return "" if phrase[1:] in _THE_TARGET_ITSELF else phrase[1:]
    if not phrase or phrase[0] in "的（(以左上下、和及与或内”’」》）)" or phrase.startswith(("，", "。")):
        return ""
    for tail in ("建设", "实施", "清单", "制度", "工作", "的"):
        if phrase.endswith(tail) and len(phrase) > len(tail) + 1:
            phrase = phrase[: -len(tail)]
    return phrase.strip()


_THE_TARGET_ITSELF = frozenset({"要求", "目标", "标准", "水平", "任务"})
_LEADS_IN_NEXT = (*P.SUBJECT_TAIL_STRIP, *P.QUALIFIERS_BEFORE)  # 提高到: the words that lead in a number


def _count_follows(text: str, pos: int) -> bool:
    """撰写1篇: one to six CJK ideographs, then a digit, from ``pos``."""
    end = pos
    while end < pos + 6 and _cjk_at(text, end):
        end += 1
    return end > pos and text[end : end + 1].isdecimal()


def _next_is_number(text: str, pos: int) -> bool:
    return pos < len(text) and (text[pos].isdigit() or text[pos] in "一二两三四五六七八九十")


def _phrase_before(text: str, num_start: int, clause_start: int) -> str:
    start = max(clause_start, text.rfind("、", clause_start, num_start) + 1)
    # a 、 inside the noun (新建、改扩建学校) is kept when no number stands between
    if start > clause_start and not _DIGIT.search(text, clause_start, start):
        start = clause_start
    phrase = text[start:num_start]
    # after a colon, a table bar or 且 (纳入考核体系且分值权重不低于4%) the clause of the number begins
    phrase = phrase[max(phrase.rfind("："), phrase.rfind("|"), phrase.rfind("且")) + 1 :].strip().lstrip("、和及与的").strip()
    phrase = phrase[P.SUBJECT_TIME_PREFIX.match(phrase).end() :]  # type: ignore[union-attr]
    rate = P.RATE_PREFIX.search(phrase)  # 提高到每人每月200元: the rate belongs to the unit
    if rate and rate.start() > 0:
        phrase = phrase[: rate.start()]
    phrase = P.SUBJECT_COMPARISON.sub("", phrase)  # 比上年增长6.5% -> 增长
    changed, keep = True, 1
    while changed:  # strip lead words, then tails, until a round strips nothing
        phrase, keep, lead_changed = _strip_leads(phrase, keep)
        phrase, tail_changed = _strip_subject_tails(phrase)
        changed = lead_changed or tail_changed
    phrase = _SUBJECT_TAIL_NOISE.sub("", phrase).lstrip("）)、")  # 故城县（0%）、泊头市（0%）; 转诊率2005年达到90%
    if phrase[:1] in "“‘「" and not any(c in phrase for c in "”’」"):
        phrase = phrase[1:]  # the opening quote of a quoted article (“一次性工亡补助金…), not of a name
    if phrase.endswith("的") and len(phrase) > 2:
        phrase = phrase[:-1]  # 本人工资的75%
    return "" if phrase in P.SUBJECT_TAIL_STRIP else phrase


def _ranked(words: Sequence[str], *, from_end: bool = False) -> dict[str, tuple[tuple[int, str], ...]]:
    """``words`` with their rank in the list, grouped by the two characters they start with (end with, when
    ``from_end``), which a phrase's own first (last) two look up. A one-character word is also in every group
    of two that starts (ends) with it, and in a group of its own for a phrase whose two characters are no key.
    """
    def key(word: str) -> str:
        return word[-2:] if from_end else word[:2]

    groups: dict[str, list[tuple[int, str]]] = {}
    for rank, word in enumerate(words):
        if len(word) > 1:
            groups.setdefault(key(word), []).append((rank, word))
    for rank, word in enumerate(words):
        if len(word) == 1:
            for k in list(groups):
                if len(k) == 2 and k[-1 if from_end else 0] == word:
                    groups[k].append((rank, word))
            groups.setdefault(word, []).append((rank, word))
    return {k: tuple(sorted(v)) for k, v in groups.items()}


# Stripping a subject tries every lead word in turn (each as written, then with 新: 新认定 like 认定) and then every
# tail. Only words that start (end) the phrase can strip anything, so a round looks up just those that share its
# first (last) two characters, in the same order, going on from the rank of the last word it stripped.
_LEADS = _ranked([h for lead in P.SUBJECT_LEAD_STRIP for h in (lead, "新" + lead)])
_TAILS = _ranked(P.SUBJECT_TAIL_STRIP, from_end=True)


def _strip_leads(phrase: str, keep: int) -> tuple[str, int, bool]:
    """One round of lead words off ``phrase``: (phrase, keep, whether it changed). A lead word goes only when
    ``keep`` characters stay and it is not joined to the next by 、; after one has gone, two must stay."""
    changed, rank_from = False, 0
    while True:
        for rank, head in _LEADS.get(phrase[:2]) or _LEADS.get(phrase[:1], ()):
            if (rank >= rank_from and phrase.startswith(head) and len(phrase) - len(head) >= keep
                    and phrase[len(head)] != "、"):
                phrase, keep, changed, rank_from = phrase[len(head) :], 2, True, rank + 1
                break
        else:
            return phrase, keep, changed


def _strip_subject_tails(phrase: str) -> tuple[str, bool]:
    """One round of P.SUBJECT_TAIL_STRIP off ``phrase`` (never all of it): (phrase, whether it changed)."""
    changed, rank_from = False, 0
    while True:
        for rank, tail in _TAILS.get(phrase[-2:]) or _TAILS.get(phrase[-1:], ()):
            if rank >= rank_from and phrase.endswith(tail) and len(phrase) > len(tail):
                phrase, changed, rank_from = phrase[: -len(tail)], True, rank + 1
                break
        else:
            return phrase, changed


def readable_value(value: float) -> str:
    """A value in base units as a reader writes it: 10000000000 -> 100亿, 12670000 -> 1267万, 6.2 -> 6.2."""
    for size, word in ((1e12, "万亿"), (1e8, "亿"), (1e4, "万")):
        if abs(value) >= size:
            return f"{round(value / size, 4):f}".rstrip("0").rstrip(".") + word
    return f"{round(value, 4):f}".rstrip("0").rstrip(".")

