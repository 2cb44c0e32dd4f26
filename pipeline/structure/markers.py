"""Numbering markers: their kinds and ranks, where they are looked for, and which of them are believed.

A marker's kind has a rank (第一部分 > 第一章 > 第一节 > 第一条 > 一、 > （一） > 1. > （1） > 1） > ①, GB/T
9704 for the middle). Candidates come from line starts or, in a document whose line breaks were lost,
from inside lines after a sentence end; the whole document's sequence of candidates then decides which
are items (:func:`continuous`): a marker must continue its kind's count, restart it under a new parent,
or open the count mid-way on a page or excerpt that starts at （四）.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from .. import shortcuts
from ..numerals import cn_to_int
from .text import squeeze

_CN = "一二三四五六七八九十百零〇两"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_PAREN_DIGITS = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇"  # U+2474…, one character each
_DIGIT_STOPS = "⒈⒉⒊⒋⒌⒍⒎⒏⒐⒑⒒⒓⒔⒕⒖⒗⒘⒙⒚⒛"  # U+2488…
_PAREN_IDEOGRAPHS = "㈠㈡㈢㈣㈤㈥㈦㈧㈨㈩"  # U+3220…
_SINGLE_CHAR = {"circled": _CIRCLED, "paren_digit": _PAREN_DIGITS, "digit_stop": _DIGIT_STOPS,
                "paren_ideograph": _PAREN_IDEOGRAPHS}

# (kind, rank, pattern). Each pattern matches a marker at the position it is tried; group "n" is the
# number. Order matters only for kinds that could both match at the same place. Kinds of equal rank are
# alternative spellings of one level (⑴ for （1）, ㈠ for （一）).
MARKERS: list[tuple[str, float, re.Pattern[str]]] = [
    ("part", 0, re.compile(rf"第(?P<n>[{_CN}]+|\d+)(?:部分|篇)")),
    ("chapter", 1, re.compile(rf"第(?P<n>[{_CN}]+|\d+)章")),
    ("section", 2, re.compile(rf"第(?P<n>[{_CN}]+|\d+)节")),
    ("article", 3, re.compile(rf"第(?P<n>[{_CN}]+|\d+)条")),  # 办法/细则: articles are the items
    ("cn_dun", 4, re.compile(rf"(?P<n>[{_CN}]{{1,3}})(?:、|[.．](?!\d))(?![{_CN}]{{1,3}}、)")),
    ("paren_cn", 5, re.compile(rf"（(?P<n>[{_CN}]{{1,3}})）")),
    ("paren_ideograph", 5, re.compile(rf"(?P<n>[{_PAREN_IDEOGRAPHS}])")),
    # 立法计划 and project lists group their numbered entries by class: 一类项目：…（9件）1.… 2.… 二类项目：…
    ("category", 5.5, re.compile(rf"第?(?P<n>[{_CN}]{{1,2}})类项目(?=\s*[：:])")),
    # 1. 1． 1、 — and 2.6月底前 / 3.2024年…: an item whose text starts with a date is not the decimal 2.6
    ("arabic", 6, re.compile(r"(?P<n>\d{1,3})(?:[.．](?![\d%])|、|[.．](?=\d{1,4}(?:年|月|日)))")),
    ("digit_stop", 6, re.compile(rf"(?P<n>[{_DIGIT_STOPS}])")),
    ("paren_arabic", 7, re.compile(r"（(?P<n>\d{1,3})）")),
    ("paren_digit", 7, re.compile(rf"(?P<n>[{_PAREN_DIGITS}])")),
    ("arabic_paren", 8, re.compile(r"(?P<n>\d{1,3})）")),
    ("circled", 9, re.compile(rf"(?P<n>[{_CIRCLED}])")),
]
RANK: dict[str, float] = {kind: rank for kind, rank, _ in MARKERS}
RANK["attachment"] = -1
RANK["boundary"] = -2
RANK["row_group"] = 9.5  # a table row numbered 一, 二 that groups the rows below it
RANK["row"] = 10
# Below （一）, issuers order the Arabic forms (1. （1） 1） ⑴ ①) differently; the document decides (see
# continuous). The levels above are fixed.
_FLEXIBLE = 6
# Bare markers (一、 1.) also occur inside sentences, so inline they need a sentence end before them;
# these are distinctive enough to be believed after any character.
_DISTINCT = ("（", *_PAREN_DIGITS, *_DIGIT_STOPS, *_PAREN_IDEOGRAPHS)
# What may stand before an inline bare marker (spaces between are allowed): a sentence or clause end,
# a closing bracket or quote, a colon that introduces the list.
_INLINE_LEFT = "。；！？）：”」\n"
# A contents entry's leaders and page number: "(?:[.…·．_—-]{2,}\s*\d{0,3}|\s+\d{1,3})$", written to start with
# one character of either kind so that a search jumps to the next leader or blank.
_TOC_PAGE = re.compile(r"[.…·．_—\s-](?:(?<=[.…·．_—-])[.…·．_—-]+\s*\d{0,3}|(?<=\s)\s*\d{1,3})$")
_CONTENTS_HEAD = re.compile(r"\s*目")
_CONTENTS_WORD = re.compile(r"目\s*录")
_TOC_ENTRY = re.compile(r"(?:…{2,}|[.·．_—-]{3,})\s*\d{1,3}$")


@dataclass(slots=True)
class Marker:
    kind: str
    value: int
    start: int  # where the marker begins
    label_end: int  # where the marker text ends (the heading starts here)
    label: str
    cells: dict[str, tuple[int, int]] = field(default_factory=dict)
    rank: float = 0  # level in the document's hierarchy; lower is higher (settled by continuous)
    heading: tuple[int, int] | None = None  # a table row's task cell, even when empty
    listed: bool = False  # opens a list that a colon introduces (…下列行为：（一）…): may restart its count


# A span that ends the item before it without being an item (a table's header line); "skip" lines were
# consumed by a table row already.
CUT = "cut"
SKIP = "skip"
# Where another document starts inside the text (a lone 附件 line, the attachment's own 文号 line): every
# count may start over, and no item stays open across it.
BOUNDARY = "boundary"


# The characters each kind's marker starts with; the kinds not listed start with a digit (``\d``: any
# Unicode digit).
_FIRST_CHARACTERS = {"part": "第", "chapter": "第", "section": "第", "article": "第", "cn_dun": _CN, "category": _CN + "第", "paren_cn": "（",
                     "paren_arabic": "（", **_SINGLE_CHAR}


# What a kind's matched number is worth: the single-character kinds count their characters, the others
# read Arabic or Chinese numerals (one Chinese numeral character, by far the most common, looked up).
_CN_VALUES = {ch: cn_to_int(ch) for ch in _CN}
_Kind = tuple[str, int, re.Pattern[str], str]  # (kind, rank, pattern, its single characters or "")


def _kinds_by_first_character() -> dict[str, list[_Kind]]:
    """The kinds whose marker can start with a given character, in their order in MARKERS."""
    by_char: dict[str, list[_Kind]] = {}
    for kind, rank, pattern in MARKERS:
        for ch in _FIRST_CHARACTERS.get(kind, ""):
            by_char.setdefault(ch, []).append((kind, rank, pattern, _SINGLE_CHAR.get(kind, "")))
    return by_char


_KINDS_BY_FIRST = _kinds_by_first_character()
_ALL_KINDS = [(kind, rank, pattern, _SINGLE_CHAR.get(kind, "")) for kind, rank, pattern in MARKERS]
_DIGIT_KINDS = [marker for marker in _ALL_KINDS if marker[0] not in _FIRST_CHARACTERS]


def match_marker(text: str, pos: int) -> Marker | None:
    # only the kinds that can start with the character at pos are tried (a dozen patterns otherwise)
    kinds = _KINDS_BY_FIRST.get(text[pos], _DIGIT_KINDS) if 0 <= pos < len(text) else _ALL_KINDS
    for kind, rank, pattern, singles in kinds:
        m = pattern.match(text, pos)
        if m is None:
            continue
        raw_n = m[1]  # group "n", the first group of every pattern
        if singles:
            value = singles.index(raw_n) + 1
        elif raw_n.isdigit():
            value = int(raw_n)
        else:
            value = _CN_VALUES.get(raw_n, -1)
            if value < 0:
                try:
                    value = cn_to_int(raw_n)
                except ValueError:
                    continue
        end = m.end()
        label = m[0]
        if text.startswith(label, end):  # "（三）（三）" written twice by mistake is one marker
            end += len(label)
        return Marker(kind, value, pos, end, label, rank=rank)
    return None


def value_of(n: str) -> int:
    return int(n) if n.isdigit() else cn_to_int(n)


# Every marker shape in one pattern (the kinds' own patterns, in their order), so that inline candidates
# are looked for only where a marker can stand; a number's inner digits never start one.
_ANY_MARKER = re.compile("|".join(
    ("(?<!\\d)" if pattern.pattern.startswith("(?P<n>\\d") else "") + pattern.pattern.replace("(?P<n>", "(?:")
    for _, _, pattern in MARKERS))


# Where _ANY_MARKER is tried (trying it at every position is slow): a character that can start a marker,
# followed by what every marker starting with it needs: 第 or （ and a numeral, one to three Chinese
# numerals and 、 or a dot, one to three digits not after a digit and a dot, 、 or ）, or a character that
# is a marker on its own. One character class first, so that a search jumps from one such character to
# the next.
_SINGLE_CHARACTERS = "".join(_SINGLE_CHAR.values())
# The characters \d matches (Unicode decimal digits), as ranges: a search tests a class of ranges on every
# character it passes far faster than \d's category lookup. The non-ASCII digits of the BMP are listed one
# block at a time (a class of a few broad ranges would compile slowly); tests check the list against \d.
_DIGITS = ("0-9\u0660-\u0669\u06f0-\u06f9\u07c0-\u07c9\u0966-\u096f\u09e6-\u09ef\u0a66-\u0a6f\u0ae6-\u0aef"
           "\u0b66-\u0b6f\u0be6-\u0bef\u0c66-\u0c6f\u0ce6-\u0cef\u0d66-\u0d6f\u0de6-\u0def\u0e50-\u0e59\u0ed0-\u0ed9"
           "\u0f20-\u0f29\u1040-\u1049\u1090-\u1099\u17e0-\u17e9\u1810-\u1819\u1946-\u194f\u19d0-\u19d9\u1a80-\u1a89"
           "\u1a90-\u1a99\u1b50-\u1b59\u1bb0-\u1bb9\u1c40-\u1c49\u1c50-\u1c59\ua620-\ua629\ua8d0-\ua8d9\ua900-\ua909"
           "\ua9d0-\ua9d9\ua9f0-\ua9f9\uaa50-\uaa59\uabf0-\uabf9\uff10-\uff19\U00010000-\U0010ffff")  # astral: all
_MARKER_START = re.compile(rf"[第（{_CN}{_DIGITS}{_SINGLE_CHARACTERS}](?:(?<=[第（])[{_CN}\d]|(?<=[{_CN}])[{_CN}]{{0,2}}(?:[、.．]|类项目)"
                           rf"|(?<=\d)(?<!\d\d)\d{{0,2}}[.．、）]|(?<=[{_SINGLE_CHARACTERS}]))")


def _marker_starts(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Where ``_ANY_MARKER.finditer(text, start, end)`` finds its matches (start and end of each), found
    by jumping from one place that can start a marker to the next."""
    pos = start
    while lead := _MARKER_START.search(text, pos, end):
        found = _ANY_MARKER.match(text, lead.start(), end)
        if found:
            pos = found.end()  # never empty: every marker shape takes a character
            yield lead.start(), pos
        else:
            pos = lead.start() + 1


def inline_markers(text: str, start: int, end: int | None = None, *,
                   read: Sequence[tuple[int, int]] = ()) -> list[Marker]:
    """Candidates inside running text: bare markers after a sentence end or a space, distinctive ones
    (（一） ⑴ ㈠) anywhere. Those that start inside one of ``read`` (sorted spans whose markers were
    read already: line starts, table lines) are left out."""
    candidates = []
    whole = end is None or end == len(text)
    end = len(text) if end is None else end
    label_end = start
    after = 0  # how many of the read spans start at or before i (what spans.inside bisects for): the
    # candidates come in order, so the count only grows
    for i, found_end in _marker_starts(text, start, end):
        if i < label_end:
            continue  # inside the label just found (（二）（二） written twice)
        while after < len(read) and read[after][0] <= i:
            after += 1
        # _ANY_MARKER tries the kinds in match_marker's order (and cn_to_int reads every numeral they
        # match), so in the whole text the marker at i ends where the match does, or one label further
        # when written twice. Left out, and not written twice, it ends before the next match: whether it
        # would be believed changes nothing after it.
        known = after > 0 and read[after - 1][1] > i  # inside(i, read)
        if known and whole and not text.startswith(text[i:found_end], found_end):
            continue
        # a space before a bare marker is where a line break was lost (…高质量发展。 一、… 治党 1.加强…)
        after_sentence = i == start or text[i - 1] in _INLINE_LEFT or text[i - 1] == " "
        m = match_marker(text, i)
        if m and _cited(text, m):
            continue
        if m and m.kind not in ("arabic_paren", "circled") and (after_sentence or text[i] in _DISTINCT
                                                                or _ordinal_heading(text, m)
                                                                or _run_on_section(text, m)
                                                                or _run_on_arabic(text, m)):
            label_end = m.label_end
            if known:
                continue
            before = i
            while before > 0 and text[before - 1] == " ":
                before -= 1
            m.listed = text.endswith(("：", ":"), 0, before)
            candidates.append(m)
    return candidates


def _cited(text: str, m: Marker) -> bool:
    """A marker quoted in a sentence rather than standing at the head of an item: 第（一）条, （三）项,
    《规定》第七条, 本办法第二条."""
    before = text[m.start - 1] if m.start else ""
    after = text[m.label_end] if m.label_end < len(text) else ""
    quoted_number = m.kind in ("paren_cn", "paren_arabic") and after in ("条", "款", "项")
    # a run of quoted numbers: 第（三）（四）（五）项, （一）、（二）项
    quoted_run = m.kind in ("paren_cn", "paren_arabic") and after in ("（", "、")
    # 将第十五条改为, 依照第十条, （一）、（二）类
    cited_by = before in "第》本该将照据按见依在于至、和及或与" or text.endswith(("附件：", "附件:"), 0, m.start)
    numerals = m.kind == "arabic" and after.isdigit()  # 1、2、3等: a list of numbers, not of items
    return cited_by or quoted_number or quoted_run or numerals or (m.kind.startswith("paren") and after == "类")


_TITLE_END = re.compile(r"(?:要点|计划|方案|意见|办法|细则|规定|通知|报告|分解表|清单|任务|措施)$")


def _run_on_section(text: str, m: Marker) -> bool:
    """二、 三、 … right after a heading that lost its line break (…解民忧二、活动时间…), and 一、 right after
    the title it follows (…工作要点一、总体要求). Not 一、 elsewhere, which ends words (统一、 唯一、 之一、),
    nor a number after 第/十, a digit or an opening quote."""
    if m.kind != "cn_dun" or not m.label.endswith("、") or m.start == 0:
        return False
    if m.value == 1:
        return bool(_TITLE_END.search(text, max(0, m.start - 3), m.start))
    return text[m.start - 1] not in "第十百零〇“‘《（0123456789"


def _run_on_arabic(text: str, m: Marker) -> bool:
    """1. 2. right after a heading without a sentence end, in a text that lost its line breaks
    (…加强党建1.加强政治建设。…): after a Chinese character, not a digit, 第 or a unit; not in a
    letter's list of attachments (附件：1.…表2.…表), which has no sentence end."""
    if not (m.kind == "arabic" and m.start > 0 and "\u4e00" <= text[m.start - 1] <= "\u9fff"
            and text[m.start - 1] not in "第约共近达超占计余"):
        return False
    back = text[max(0, m.start - 300) : m.start]
    listed = back.rfind("附件")
    return listed < 0 or "。" in back[listed:] or "\n" in back[listed:]


def _ordinal_heading(text: str, m: Marker) -> bool:
    """第N章/节/条/部分 standing as a heading right after the text before it (…总则第一条为了…), not a
    reference inside a sentence (依照第十条规定, 第三条的, 作为第十三条：, 第二款)."""
    if m.kind not in ("part", "chapter", "section", "article") or m.label_end >= len(text):
        return False
    return text[m.label_end] not in "的规之款项、，。：或和及至中所第（要" and text[m.start - 1] != "为"


def contents_lines(text: str, lines: list[tuple[int, int]]) -> set[int]:
    """Lines of a table of contents: entries with leader dots and a page number, and the run of short
    lines from a 目录 line (or from the first marker line) up to where the first entry comes again as
    the body's first heading."""
    # an entry's line ends with its page number
    skip = {i for i, (s, e) in enumerate(lines)
            if not (shortcuts.ENABLED and not text[e - 1 : e].isdecimal()) and _TOC_ENTRY.search(text, s, e)}

    def key(i: int) -> str:  # computed for the few lines looked at, not for every line
        s, e = lines[i]
        return _contents_key(text[s:e])

    # only a suffix of the line goes (_TOC_PAGE), so the 目录 line starts with 目 and holds 目录 with at most
    # blanks between
    head = None
    if lines and not (shortcuts.ENABLED and not _CONTENTS_WORD.search(text, lines[0][0], lines[-1][1])):
        head = next((i for i, (s, e) in enumerate(lines)
                     if not (shortcuts.ENABLED and not _CONTENTS_HEAD.match(text, s, e)) and key(i) == "目录"), None)
    # (a marker never reaches past its line, nor does any pattern of one look beyond a line break)
    if head is None:  # no 目录 line: the first marker line is the first entry, if it comes again
        first = next((i for i, (s, e) in enumerate(lines) if match_marker(text, s) and key(i)), None)
        head = first
    else:
        first = next((i for i in range(head + 1, len(lines)) if key(i)), None)
    if head is None or first is None:
        return skip
    titled = head < first
    first_key = key(first)
    for i in range(first + 1, len(lines)):
        line_key = key(i)
        if line_key == first_key:
            skip.update(range(head, i))
            break
        s, e = lines[i]
        entry = len(line_key) <= 60 and not any(ch in line_key for ch in "。！？|")
        if line_key and not (entry and (titled or match_marker(text, s))):
            break  # body text before the first entry came again: not a contents list
    return skip


def _contents_key(line: str) -> str:
    return squeeze(_TOC_PAGE.sub("", line.strip()))


def continuous(candidates: list[Marker], *, resync: bool = False) -> list[Marker]:
    """Keep markers that continue their kind's count by one, or restart it at 1 under a new parent.

    A restart is only believed when the kind is new or a marker of a higher level came since the
    kind's last marker, so a stray ``1.`` inside a run of ``1. 2. 3.`` is not an item. A kind's first
    marker may open mid-count (a page that starts at （四）, task rows 80, 81) when the next marker of its
    kind continues from it and no marker of a higher level came before. A list that a colon opens
    (…下列行为：（一）…；（二）…) may restart at 1 when its count goes on. With ``resync``, a slip in the
    numbering — one number skipped (（二）（四）) or repeated (2. 2.) — is accepted when the next marker
    of the kind continues from it, and a jump (8. then 18. 19. 20., text lost in a crawl) when three
    markers continue from it.

    Also settles each kept marker's rank. The Arabic forms below （一） have no fixed order across
    issuers: a form first seen (numbered 1) directly under an open item of another such form that
    the fixed order ranks below it (（1） under 1）) nests there, and keeps that rank for the document.
    """
    ranks = dict(RANK)
    following: list[int | None] = [None] * len(candidates)  # value of the next candidate of the same kind
    run = [1] * len(candidates)  # length of the +1 chain of its kind that starts here
    upcoming: dict[str, int] = {}
    for i in range(len(candidates) - 1, -1, -1):
        kind = candidates[i].kind
        j = upcoming.get(kind)
        following[i] = candidates[j].value if j is not None else None
        if j is not None and candidates[j].value == candidates[i].value + 1:
            run[i] = run[j] + 1
        upcoming[kind] = i
    last: dict[str, int] = {}
    fresh: set[str] = set()  # kinds that may restart: unseen, or a higher-level marker came since
    kept: list[Marker] = []
    since = 0  # kept markers since the last document boundary
    for i, m in enumerate(candidates):
        kind, value = m.kind, m.value
        if kind == BOUNDARY:
            kept.append(m)
            last.clear()
            fresh.clear()
            since = len(kept)
            continue
        prev = last.get(kind)
        restart = value == 1 and (prev is None or kind in fresh)
        ok = restart or (prev is not None and value == prev + 1) or kind == "attachment"
        if not ok and prev is None and value > 1 and following[i] == value + 1:
            ok = all(ranks[k.kind] >= ranks[kind] for k in kept[since:] if k.kind != "attachment")
        if not ok and resync and prev is not None and value in (prev, prev + 2):
            ok = following[i] == value + 1
        if not ok and value == 1 and m.listed:
            ok = run[i] >= 2  # a list a colon opens, inside an item whose own marker was lost
        if not ok and resync and prev is not None and value > prev + 2:
            ok = run[i] >= 3  # text lost in the crawl (8. … 18. 19. 20.): the count goes on from here
        if not ok:
            continue
        if prev is None and kept and kept[-1].kind != BOUNDARY:
            outer = kept[-1]
            flexible = _FLEXIBLE <= min(RANK[kind], RANK[outer.kind]) and "row" not in (kind + outer.kind)
            if flexible and outer.kind != kind and ranks[outer.kind] >= ranks[kind]:
                ranks[kind] = ranks[outer.kind] + 0.5
        rank = m.rank = ranks[kind]
        kept.append(m)
        last[kind] = value
        fresh.discard(kind)
        fresh.update([k for k in last if ranks[k] > rank])
    return kept
