"""Policy documents named in an item (《…》 titles), the verb that governs each, and whether the item
promises to issue it."""
from __future__ import annotations

import re

from ..model import Instrument

_MAX_TITLE = 80
_WINDOW = 14  # how far before 《 the governing verb may stand (贯彻落实中宣部、中组部《…》)

# Verbs that produce a document: the item promises to issue it.
ISSUING = frozenset({
    "出台", "制定", "制订", "研制", "修订", "修编", "修改", "编制", "拟订", "拟定", "起草", "印发", "发布", "颁布",
    "形成", "研究制定", "制定出台", "研制出台",
})
# Verbs that cite, study or implement an existing document.
CITING = frozenset({
    "贯彻落实", "贯彻", "落实", "实施", "执行", "使用", "学习", "宣传", "宣贯", "解读", "对照", "依据", "根据", "按照",
    "遵循", "推进", "推动", "用好", "紧扣", "围绕", "对标", "参照", "完成",
})
# Light verbs that hand the action to a verb after the title (做好《…》使用工作, 完成《…》编制).
_LIGHT = frozenset({"完成", "做好", "抓好", "启动", "推进", "推动", "开展", "组织", "加快", "加强", "深化"})
_COMPOUNDS = {"研究制定": "制定", "制定出台": "出台", "研制出台": "出台"}

# longest first, so that 制定出台 wins over 制定; then in a fixed order, so that the pattern is the same in
# every process (a set's order changes with the hash seed) and its compiled form can be kept (regex_cache)
_VERBS = sorted(ISSUING | CITING | _LIGHT, key=lambda verb: (-len(verb), verb))
_VERB = re.compile("|".join(map(re.escape, _VERBS)))
_CLUSTER_GAP = re.compile(r"^[并和及、与]?$")  # 制定并落实, 学习、宣传、贯彻
_POST_VERB = re.compile(
    r"的?(?P<v>编制|修订|修编|制定|起草|出台|印发|发布|使用|实施|执行|宣传|宣贯|解读|学习|贯彻落实|贯彻|落实)"
    r"(?=工作|[，,。；;、]|和|及|并|$)"
)
_CLAUSE_BREAK = "。；;！？\n，,"
_WRAP = re.compile(r"[ \t\u3000]*\n\s*")
_TITLE_BRACKETS = re.compile("[《》]")


def find_instruments(text: str, *, offset: int = 0) -> list[Instrument]:
    """Every 《title》 in ``text`` with the verb that governs it.

    ``start``/``end`` cover the title inside the brackets, shifted by ``offset`` so they index the
    document text. Titles nested inside another title are part of it, not separate instruments; a 《
    that does not close within 80 characters is ignored. ``action`` is the governing verb (compound
    verbs reduce to their issuing part: 研制出台 -> 出台, 制定实施 -> 制定), ``""`` when none is found;
    ``issued`` is true for verbs that produce the document (出台, 制定, 修订, 印发, 拟订, 编制, …).
    A title joined to the previous one (出台《A》《B》, 贯彻落实《A》和省政府办公厅《B》) shares its verb.
    A title wrapped over a line break is named without the break (its span still covers it).
    """
    out: list[Instrument] = []
    prev_close = -1
    pos = text.find("《")
    while pos != -1:
        close = _closing(text, pos)
        if close is None:
            pos = text.find("《", pos + 1)
            continue
        action = _action(text, pos, close, prev_close)
        if action is None and out and _joined(text, prev_close + 1, pos):
            action = out[-1].action
        action = action or ""
        title = text[pos + 1 : close]
        if "\n" in title:  # a title wrapped over a line or page break is one title
            title = _WRAP.sub("", title)
        out.append(Instrument(start=pos + 1 + offset, end=close + offset, title=title,
                              action=action, issued=action in ISSUING))
        prev_close = close
        pos = text.find("《", close + 1)
    return out


def _closing(text: str, open_at: int) -> int | None:
    """Index of the 》 closing the 《 at ``open_at`` (nested 《》 counted), None if not within 80 chars."""
    depth = 0
    for bracket in _TITLE_BRACKETS.finditer(text, open_at, open_at + _MAX_TITLE + 2):  # the brackets alone
        if bracket.group() == "《":
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                i = bracket.start()
                return i if i > open_at + 1 else None
    return None


def _action(text: str, open_at: int, close: int, prev_close: int) -> str | None:
    lo = max(0, open_at - _WINDOW, prev_close + 1)
    window = text[lo:open_at]
    cut = max(map(window.rfind, _CLAUSE_BREAK))
    window = window[cut + 1 :]
    verbs = list(_VERB.finditer(window))
    cluster = _nearest_cluster(verbs, window)
    if cluster and window[cluster[-1].end() :] == "的":
        # verbs before 的 describe a document that exists (宣传解读国务院修订的《…》, 落实新印发的《…》): the
        # verb governing the title comes before them
        cluster = _nearest_cluster(verbs[: len(verbs) - len(cluster)], window)
    before: str | None = None
    if cluster:
        words = [m.group(0) for m in cluster]
        issuing = [w for w in words if w in ISSUING]
        before = issuing[-1] if issuing else words[-1]
        before = _COMPOUNDS.get(before, before)
    after = _POST_VERB.match(text, close + 1)
    if after and (before is None or before in _LIGHT):
        return after.group("v")
    return before


def _nearest_cluster(verbs: list[re.Match[str]], window: str) -> list[re.Match[str]]:
    """The run of verbs nearest the title, joined by nothing, 并, 和, 、 (研制出台, 制定实施, 深入学习贯彻)."""
    if not verbs:
        return []
    cluster = [verbs[-1]]
    for m in reversed(verbs[:-1]):
        if not _CLUSTER_GAP.match(window[m.end() : cluster[0].start()]):
            break
        cluster.insert(0, m)
    return cluster


def _joined(text: str, start: int, end: int) -> bool:
    """True when text[start:end] only links two titles (和, 及, 、, an issuer like 省政府办公厅)."""
    between = text[start:end]
    return len(between) <= 12 and not any(ch in _CLAUSE_BREAK for ch in between) and not _VERB.search(between)
