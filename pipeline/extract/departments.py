"""Lead and co-operating departments named in one item: annotations in its text and task-table cells.

Supported forms: labelled lists (``（牵头负责：组织处）``, ``牵头单位：区发改局`` / ``责任单位：…`` on their own
lines, ``配合单位：…``, ``【牵头单位】…``), role clauses in brackets (``（市教育局牵头，市财政局、市人社局配合）``,
``（…负责）``), table columns named 牵头…/责任…/配合…, and — when the document says the first-listed unit
leads — bare bracketed lists at the end of an item.

Decisions where the contract is silent: collectives of bodies are generic whether or not they start with 各
(``各区县人民政府``, ``县（市、区）人民政府``, ``乡镇（街道）``, ``县级以上人民政府``, ``市属国有企业``,
``驻市金融机构``, ``市直有关部门``); people (``责任领导``/``牵头市领导``/``（责任人：张三）``) and units that
only supervise (``督办单位``) are not departments; a role note or verb after a name (``市医保局（配合）``,
``市农业农村局按职责分工负责``) sets its role and is not part of the name, while a bracketed second name
(``市市场监管局（市知识产权局）``) is. Names are kept as written; ``canonical()`` maps abbreviations.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .. import shortcuts
from ..model import Department, Document, Item
from ..resources import load_aliases
from . import patterns as P

LEAD, CO = "lead", "co"
_AMBIGUOUS = "ambiguous"  # 责任/负责: lead unless the item names a lead elsewhere
_FIRST = "first"  # first unit of an ambiguous list under the first-listed-leads convention

# Endings of a complete department name. A list piece ending otherwise is the start of a longer name
# that itself contains 、/和/及 (体育、卫生与艺术教育处, 区发展和改革局).
_SUFFIXES = (
    "处", "室", "科", "局", "委", "办", "中心", "院", "会", "部", "厅", "所", "站", "队", "组", "馆", "校",
    "公司", "集团", "团", "政府", "府", "街道", "区", "镇", "乡", "县", "市", "省", "州", "旗", "村", "社区",
    "开发区", "管委会", "办公室", "委员会", "党委", "工委", "联", "协", "社", "行", "署", "台", "园", "大学",
    "学院", "司", "关", "庭", "办事处", "法院", "检察院", "监狱", "分局", "中央",
)
_BARE = {
    "部门", "单位", "学校", "政府", "街道", "企业", "处室", "科室", "机关", "乡镇", "社区", "园区", "中心",
    "高校", "医院", "区", "市", "县", "镇", "乡", "省",
}
# Ordinary words that end like a department name (社会 in （政府主导、社会参与）, 格局, 干部).
_NOT_NAMES = ("社会", "机会", "格局", "布局", "大局", "全局", "干部", "全部", "内部", "外部", "场所", "网站", "团队",
              "学科", "好处", "之处", "核心", "重心", "举办", "创办", "督办")
_GENERIC_START = ("各", "相关", "有关", "其他", "其它", "所属", "属地", "全体", "成员", "涉及", "全区", "全市",
                  "全县", "全省",
                  # collectives of bodies at one level: 县（市、区）人民政府, 乡镇（街道）, 市属国有企业
                  "县（市、区）", "县(市、区)", "市（县、区）", "市(县、区)", "县（区）", "县(区)", "区（县）",
                  "区(县)", "县（市）", "县(市)", "市（州）", "市(州)", "县市区", "县区", "区县", "市县", "市州",
                  "乡镇（街道）", "乡镇(街道)", "镇（街道）", "镇(街道)", "街道（镇）", "街道(镇)", "镇街", "街镇",
                  "市属", "区属", "县属", "省属", "驻市", "驻区", "驻县", "驻地",
                  # collectives of one level: 省级人民政府, 省直管县（市）政府
                  "省级", "市级", "县级", "乡级", "省直管", "地方")
# Remarks inside a list that are no unit (（责任单位：省科技厅、省工信厅，排名第1为牵头单位，下同）)
_REMARKS = {"下同", "同上", "地方", "属地"}
_REMARK_START = ("以下", "不再", "均含", "含", "其中")  # 以下均含省林业和草原局，不再单独列出
# 区直部门, 市级有关单位, 驻市金融机构: real names end in 局/委/处/…
_GENERIC_END = ("部门", "单位", "专班", "企业", "机构", "方面")
# 市财政局等, 市住建局等相关职能部门, 市发展改革委等12个部门 (but not the 等 of 市中等职业学校)
_ETC = re.compile(r"等(?:[^、，,；;（）()等]{0,12}?(?:部门|单位|机构|方面))?$")
_STRIP = " \t\u3000\n：:，,、；;。.！？★☆※▲△●◆＃＊"  # legend signs (★区发改局) are not part of a name
_LEADING_CONJ = re.compile(r"以及")  # ，以及市编办 (never 和/与: 和平区教育局)
_OPEN, _CLOSE = "（(〈<", "）)〉>"  # 各市<含定州、辛集市>人社局: a crawl writes the remark in angle brackets

_LABEL_QUALIFIERS = ("主要", "具体", "直接", "其他")  # 主要牵头单位, 具体责任部门
_CLAUSE_START = r"\s（()）；;，,。.．：:|、"  # what a label without a bracket follows, unless it starts the text
_LABEL = re.compile(
    rf"(?:(?P<open>【|\[)|(?<![^{_CLAUSE_START}]))"  # a label starts a clause (or the text)
    rf"(?P<label>(?:{'|'.join(_LABEL_QUALIFIERS)})?(?:{'|'.join(P.ROLE_WORDS)})(?:负责|牵头|配合|责任)?"
    r"(?:单位|部门|科室|处室|处|科|室|领导|人|主体)?(?:[（(][^（）()：:]{1,4}[）)])?)"
    # 【牵头单位】…, 牵头单位：…, and in prose 牵头单位为…
    r"(?(open)[】\]]\s*[：:]?|(?:\s*[：:]|(?<=单位|部门)为))"
)
# The role a unit takes in a clause (市教育局牵头落实, 市财政局等按职责分工负责, 市人社局配合实施).
_ROLE_VERB = (
    rf"(?:共同)?(?:{'|'.join(P.LEAD_WORDS)})(?:负责|落实|实施|推进|组织实施|组织)?"
    rf"|(?:{'|'.join(P.CO_WORDS)})(?:落实|实施|推进|做好)?"
    r"|(?:按照?职责分工|按照?职责|分别|共同|具体|分工)?负责(?:落实|实施)?|按照?职责分工落实"
    r"|(?:负责|牵头)?起草"  # a legislative plan's drafting unit: （省司法厅起草）
)
_ROLE_CLAUSE = re.compile(rf"^(?:由)?(?P<list>.+?)(?P<verb>{_ROLE_VERB})$")
_FIRST_LISTED = re.compile(
    r"(?:首位|排在?第[一1]位|排名第[一1](?:位)?|排序第[一1]|列第[一1]位|列在?首位|第[一1]个)的?(?:单位|部门)?(?:者)?(?:为|是|负责)牵头"
)
_LIST_STOP = "\n。！？|【"
# Fields of a government website's publication record that share a line with its 责任部门：
_CHROME = re.compile(r"公开(?:程序|方式|范围|属性|时限|形式)|信息来源|发布机构|索引号|主题分类|浏览次数")
# Notes after a name in a list: a role (市教育局（牵头）, 市财政局（配合）) or a remark about people or duties
# (（责任人：张三）, （按职责分工负责）) that is not part of the name; other brackets are (市场监管局（知识产权局）).
_NOTE = re.compile(r"[（(]([^（）()]{1,24})[）)]$")
_LEAD_NOTE = re.compile(rf"(?:{'|'.join(P.LEAD_WORDS)})(?:单位|部门)?")
_CO_NOTE = re.compile(rf"(?:{'|'.join(P.CO_WORDS)})(?:单位|部门)?")
_REMARK_NOTE = re.compile(r"责任人|联系人|负责人|分管|领导|下同|职责|负责|牵头|配合|第一位|首位|落实|[：:]")
_ROLE_TAIL = re.compile(rf"(?:{_ROLE_VERB})$")
# What every label and every role verb holds (按职责分工落实 is the one verb without a role word).
_ROLE_WORD = re.compile("|".join((*P.ROLE_WORDS, "职责分工落实")))
# The characters a label can start with: its bracket, or a qualifier (主要, 具体, 直接, 其他) or a role word
# where a clause starts (the guard drops the 主 of 为主, the 负 of 担负, …).
_LABEL_FIRST = "".join(sorted({w[0] for w in (*_LABEL_QUALIFIERS, *P.ROLE_WORDS)}))
_LABEL_STARTS = re.compile(f"[【\\[{_LABEL_FIRST}](?<![^{_CLAUSE_START}][{_LABEL_FIRST}])")


@dataclass(slots=True)
class _Listed:
    start: int  # index into the item text
    end: int
    role: str  # lead / co / ambiguous


def find_departments(
    text: str,
    *,
    offset: int = 0,
    cells: dict[str, tuple[int, int]] | None = None,
    full_text: str | None = None,
    first_listed_leads: bool = False,
    lead_mark: str = "",
) -> list[Department]:
    """Departments an item names, with role ``lead`` or ``co``, in order of appearance.

    ``text`` is the item's own text and ``offset`` its start in the document, so every returned
    ``start``/``end`` indexes the document text (``full_text[start:end] == name``). ``cells`` are the
    item's table cells in document coordinates (read from ``full_text``, or from ``text`` when it is
    not given). 责任…/负责 lists are ``co`` when the item also names a lead, else ``lead``; with
    ``first_listed_leads`` (the plan says 首位单位为牵头单位) only their first unit leads. Generic
    phrases (各街道, 相关部门, 全区经济运行各专班) are dropped; names are kept as written. ``lead_mark``
    is the sign a table's legend gives its leads (★, see :func:`lead_marker`): the marked unit of a list
    leads and the others co-operate. A name wrapped over a line break spans the break and is named
    without it.
    """
    joined, pos = _join_wrapped(text)
    masked = _mask_titles(joined)
    found: list[_Listed] = []
    if _ROLE_WORD.search(masked) or not shortcuts.ENABLED:  # labels and role clauses all name a role word
        labels = _label_matches(masked)
        found = _labelled(masked, labels) + _role_clauses(masked, labels)
    if first_listed_leads:
        found += _bare_trailing_list(masked)
    if not found and not cells:
        return []
    named: list[tuple[str, int, int, str]] = []  # name, start, end (document coordinates), role
    for listed in found:
        for name, s, e, role in _names(joined, masked, listed.start, listed.end, listed.role, 0, first_listed_leads,
                                       lead_mark):
            # back to the text as written: a name wrapped over a line break spans the break
            named.append((name, offset + (pos[s] if pos else s), offset + (pos[e - 1] + 1 if pos else e), role))
    if cells:
        source, base = (full_text, 0) if full_text is not None else (text, offset)
        for column, role in _column_roles(cells).items():
            cs, ce = cells[column]
            named += _names(source, source, cs - base, ce - base, role, base, first_listed_leads, lead_mark)
    named.sort(key=lambda n: n[1])
    leads = {name for name, *_, role in named if role == LEAD}
    out: list[Department] = []
    seen: set[str] = set()
    for name, s, e, role in named:
        if role in (_AMBIGUOUS, _FIRST):
            # a unit that leads in another note of the item leads (（省工信厅负责）…（省工信厅牵头，…配合）)
            role = (LEAD if name in leads else CO if leads
                    else LEAD if role == _FIRST or not first_listed_leads else CO)
        if name in seen:
            continue
        seen.add(name)
        out.append(Department(start=s, end=e, name=name, role=role))
    return out


def declares_first_listed_lead(text: str) -> bool:
    """True when a plan states that the first unit of each list leads (首位单位为牵头单位)."""
    return bool(_FIRST_LISTED.search(text))


def canonical(name: str) -> str:
    """The alias table's canonical spelling of ``name`` (brackets folded to full width), else ``name``."""
    key = name.strip().replace("(", "（").replace(")", "）")
    return load_aliases().get(key, key)


# -- finding lists ------------------------------------------------------------------------------

# A line break with the blank lines and indentation after it; the blanks that end its line are taken by
# stepping back from the break (a pattern starting with them would be tried at every character of the text).
_BREAK = re.compile(r"\n\s*")
_LINE_END_BLANKS = " \t\u3000"
_WRAP_CLOSES = re.compile(r"[^（）()【】\n]{0,80}(?:\n\s*[^（）()【】\n]{0,80}){0,2}[）)]")


def _join_wrapped(text: str) -> tuple[str, list[int] | None]:
    """The text with line breaks that wrap a list removed, and the original index of every kept character.

    A break inside a bracket that closes within the next lines (（教育部、国家\n\n卫生健康委按职责分工负责）,
    （体育总\n局牵头负责）) or right after a list's 、 (责任单位：组干科、\n计财科) wraps a list: PDF pages and
    narrow columns break lines anywhere. ``None`` when nothing was joined.
    """
    if "\n" not in text:
        return text, None
    cuts = []
    depth, last = 0, 0
    for m in _BREAK.finditer(text):
        start, end = m.span()
        while start > last and text[start - 1] in _LINE_END_BLANKS:
            start -= 1
        line = text[last:start]
        depth = max(0, depth + line.count("（") + line.count("(") - line.count("）") - line.count(")"))
        last = end
        before = text[start - 1] if start else ""
        if (depth and _WRAP_CLOSES.match(text, end)) or (before == "、" and end < len(text)
                                                         and not _LABEL.match(text, end)):
            cuts.append((start, end))
        else:
            depth = 0  # as _bracket_groups: a bracket left open at a paragraph end is not a group
    if not cuts:
        return text, None
    parts, pos, prev = [], [], 0
    for cs, ce in cuts:
        parts.append(text[prev:cs])
        pos.extend(range(prev, cs))
        prev = ce
    parts.append(text[prev:])
    pos.extend(range(prev, len(text)))
    return "".join(parts), pos



def _mask_titles(text: str) -> str:
    """Blank out 《titles》 (same length) so words inside a document title are never read as labels."""
    return P.TITLED.sub(lambda m: "《" + "\x00" * (len(m.group(0)) - 2) + "》", text)


_LABEL_NOTE = re.compile(r"[（(].*$")


def _label_role(label: str) -> str | None:
    label = _LABEL_NOTE.sub("", label)
    if label.startswith(_LABEL_QUALIFIERS):
        label = label[2:]
    if label.endswith(("领导", "人")):
        return None  # 责任领导/责任人 name people, not departments
    return _word_role(label) or _AMBIGUOUS


_LEAD_WORD = re.compile("|".join(P.LEAD_WORDS))
_CO_WORD = re.compile("|".join(P.CO_WORDS))


def _word_role(words: str) -> str | None:
    """LEAD or CO when ``words`` (a label, verb, note or column) holds a lead or co-operation word, else None.

    A lead word wins (配合牵头 is rare; 牵头负责 and 主责单位 lead)."""
    if _LEAD_WORD.search(words):
        return LEAD
    if _CO_WORD.search(words):
        return CO
    return None


def _labelled(text: str, matches: list[re.Match[str]]) -> list[_Listed]:
    """Lists after labels (牵头单位：…); ``matches`` are the text's label matches (:func:`_label_matches`)."""
    labels = _field_labels(text, matches)
    out = []
    for i, m in enumerate(labels):
        role = _label_role(m.group("label"))
        line_start = text.rfind("\n", 0, m.start()) + 1
        if _CHROME.search(text, line_start, m.start()):
            continue  # 公开程序：本单位审核后公开  责任部门：…: the web page's record, not the item's annotation
        limit = labels[i + 1].start() if i + 1 < len(labels) else len(text)
        end = _list_end(text, m.end(), limit)
        if role is None or end <= m.end():
            continue
        if m.group().endswith("为"):
            # prose (牵头单位为市司法局): only a list of department names counts
            pieces = _split(text, m.end(), end, keep_generic=True)
            if not pieces or not all(_is_generic(text[a:b]) or _looks_like_department(text[a:b]) for a, b, _ in pieces):
                continue
        out.append(_Listed(m.end(), end, role))
    return out


def _field_labels(text: str, found: list[re.Match[str]]) -> list[re.Match[str]]:
    """Labels that start a field; a label inside a note of a list (市应急局（责任人：张三）) does not."""
    if len(found) < 2:
        return found  # one label cannot sit inside another's note
    depth_at = _depths(text, [m.start() for m in found])
    labels: list[re.Match[str]] = []
    for m in found:
        prev = labels[-1] if labels else None
        if prev and depth_at[m.start()] > depth_at[prev.start()] and "\n" not in text[prev.end() : m.start()]:
            continue
        labels.append(m)
    return labels


def _label_matches(text: str) -> list[re.Match[str]]:
    """``_LABEL.finditer(text)`` as a list."""
    if not shortcuts.ENABLED:
        return list(_LABEL.finditer(text))
    # The same non-overlapping matches, trying the pattern only where a label can start.
    found: list[re.Match[str]] = []
    end = 0
    for start in _LABEL_STARTS.finditer(text):
        if start.start() >= end and (m := _LABEL.match(text, start.start())):
            found.append(m)
            end = m.end()
    return found


def _has_label(text: str, start: int, end: int, labels: list[re.Match[str]]) -> bool:
    """Whether ``_LABEL.search(text, start, end)`` finds a label; ``labels`` are matches in the whole text."""
    if not shortcuts.ENABLED:
        return _LABEL.search(text, start, end) is not None
    if any(start <= m.start() and m.end() <= end for m in labels):
        # A label of the whole text lies inside. _LABEL has no lookahead or end anchor, so cutting the
        # text at ``end`` cannot undo a match that ends before it.
        return True
    return any(_LABEL.match(text, at.start(), end) for at in _LABEL_STARTS.finditer(text, start, end))


_BRACKET_OR_BREAK = re.compile("[（()）\n]")


def _depths(text: str, positions: list[int]) -> dict[int, int]:
    """Bracket depth (reset at line breaks) at each of ``positions``, visiting only brackets and breaks."""
    wanted, out = sorted(set(positions)), {}
    depth, k = 0, 0
    for m in _BRACKET_OR_BREAK.finditer(text):
        while k < len(wanted) and wanted[k] <= m.start():
            out[wanted[k]] = depth
            k += 1
        ch = m.group(0)
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE and depth:
            depth -= 1
        elif ch == "\n":
            depth = 0
    for p in wanted[k:]:
        out[p] = depth
    return out


_LIST_END_MARKS = re.compile(f"[{re.escape(_OPEN + _CLOSE + _LIST_STOP)}：:]")


def _list_end(text: str, start: int, limit: int) -> int:
    """Where a list that starts at ``start`` stops: line or sentence end, an unmatched close bracket."""
    depth = 0
    for found in _LIST_END_MARKS.finditer(text, start, limit):  # only brackets and stops matter
        i, ch = found.start(), found.group()
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            if depth == 0:
                return i
            depth -= 1
        elif ch in _LIST_STOP and depth == 0:
            return i
        elif ch in "：:" and depth == 0:
            # another field (完成时限：…) starts after the last separator before its colon
            seps = [text.rfind(sep, start, i) for sep in "；;，, "]
            return max(max(seps), start)
    return limit


def _bracket_groups(text: str) -> list[tuple[int, int]]:
    """Outermost one-line bracket groups as (content start, content end)."""
    groups = []
    depth, open_at = 0, -1
    for found in _BRACKET_OR_BREAK.finditer(text):  # only brackets and breaks change the depth
        i, ch = found.start(), found.group(0)
        if ch in _OPEN:
            if depth == 0:
                open_at = i
            depth += 1
        elif ch in _CLOSE and depth:
            depth -= 1
            if depth == 0:
                groups.append((open_at + 1, i))
        elif ch == "\n":
            depth = 0
    return [(s, e) for s, e in groups if 0 < e - s <= 150]


def _segments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split [start, end) at top-level ，,；; into clause spans."""
    out, depth, seg = [], 0, start
    for i in range(start, end):
        ch = text[i]
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE and depth:
            depth -= 1
        elif ch in "，,；;" and depth == 0:
            out.append((seg, i))
            seg = i + 1
    out.append((seg, end))
    return out


def _role_clauses(text: str, labels: list[re.Match[str]]) -> list[_Listed]:
    """Bracketed role clauses: （市教育局牵头，市财政局、市人社局配合）, （组织处负责）."""
    if shortcuts.ENABLED and "（" not in text and "(" not in text:
        return []  # no bracket to hold one (the label lists of many crawled items have none)
    out = []
    for gs, ge in _bracket_groups(text):
        if shortcuts.ENABLED and not _ROLE_WORD.search(text, gs, ge):
            continue  # neither a label nor a role verb inside
        if _has_label(text, gs, ge, labels):
            continue  # labelled lists are read by _labelled
        clauses: list[_Listed] = []
        for s, e in _segments(text, gs, ge):
            s, e = _trim(text, s, e)
            m = _ROLE_CLAUSE.match(text[s:e])
            if not m:
                continue
            verb = m.group("verb")
            role = _word_role(verb) or _AMBIGUOUS
            ls, le = s + m.start("list"), s + m.end("list")
            pieces = _split(text, ls, le, keep_generic=True)
            if not pieces or not all(_is_generic(text[a:b]) or _looks_like_department(text[a:b]) for a, b, _ in pieces):
                clauses = []
                break
            clauses.append(_Listed(ls, le, role))
        out += clauses
    return out


def _bare_trailing_list(text: str) -> list[_Listed]:
    """A bracketed list of department names closing the item: （市发展改革委、市财政局）。"""
    groups = _bracket_groups(text)
    if not groups:
        return []
    gs, ge = groups[-1]
    if _has_label(text, gs, ge, []) or _ROLE_CLAUSE.match(text[gs:ge]):
        return []  # read as a labelled list or role clause
    after = text[ge + 1 :].strip(" \n。；;")
    before = text[gs - 2] if gs >= 2 else "。"
    if after or (before not in "。；;！？" and not text[ge + 1 :].strip().startswith("。")):
        return []
    pieces = _split(text, gs, ge, keep_generic=True)
    real = [text[a:b] for a, b, _ in pieces if not _is_generic(text[a:b])]
    if not real or not all(len(n) >= 3 and _looks_like_department(n) for n in real):
        return []
    return [_Listed(gs, ge, _AMBIGUOUS)]


def _column_roles(cells: dict[str, tuple[int, int]]) -> dict[str, str]:
    """Table columns that hold departments: 牵头… (lead), 责任…/负责… (ambiguous), 配合…/协办…/参与… (co)."""
    roles: dict[str, str] = {}
    for column in cells:
        if re.search(r"领导|人$|时限|时间|进度", column):
            continue
        role = _word_role(column)
        if role or any(w in column for w in P.AMBIGUOUS_WORDS):
            roles[column] = role or _AMBIGUOUS
    return roles


def _names(text: str, masked: str, start: int, end: int, role: str, offset: int,
           first_listed_leads: bool, lead_mark: str = "") -> list[tuple[str, int, int, str]]:
    """(name, document start, document end, role) for the list ``text[start:end]``.

    Under the first-listed convention the first unit of an ambiguous list is its lead even when it is
    a generic phrase (which is then dropped, so nobody leads among the named units).
    """
    out = []
    pieces = _split(masked, start, end, keep_generic=True)
    marks = [_marked(text, s, lead_mark) for s, _, _ in pieces] if lead_mark else []
    by_marks = any(marks) and role != CO
    for i, (s, e, marked) in enumerate(pieces):
        name = text[s:e]
        if _is_generic(masked[s:e]):
            continue
        if by_marks:
            own = LEAD if marks[i] else CO  # the legend's sign, not the column, tells the lead
        else:
            own = marked or (_FIRST if role == _AMBIGUOUS and first_listed_leads and i == 0 else role)
        out.append((name, s + offset, e + offset, own))
    return out


def _marked(text: str, s: int, mark: str) -> bool:
    i = s - 1
    while i >= 0 and text[i] in " \u3000":
        i -= 1
    return i >= 0 and text[i] == mark


# A table legend naming the sign of the lead unit: 标★的为牵头单位, ★为牵头单位, 带“※”者为牵头部门.
# Only the sign and what follows it are searched: the words before it (标, 带“…) are optional, and a pattern
# starting with a character class is scanned for that class alone, not tried at every position of the plan.
# The sign found is the same: a legend's tail holds no sign, so the next legend's sign lies 4+ characters on,
# beyond the reach of the optional words before the first.
_LEGEND = re.compile(r"([★☆※▲△●◆#＃*＊])[”\"]?号?(?:的|者)?(?:单位|部门)?(?:为|是|表示)牵头")
_MARKS = "★☆※▲△●◆＃＊"


def lead_marker(text: str) -> str:
    """The sign a plan's legend says marks the lead unit (``★`` in 标★的为牵头单位, 带“※”者为牵头部门), else ""."""
    m = _LEGEND.search(text)
    return m.group(1) if m else ""


# -- splitting lists into names -----------------------------------------------------------------


def _split(text: str, start: int, end: int, *,
           keep_generic: bool = False) -> list[tuple[int, int, str | None]]:
    """Name spans in the list ``text[start:end]`` as (start, end, role marked by a note or verb, else None).

    ，,；;/ and line breaks always separate; 、和及与以及 and spaces separate only after a complete name
    (a department or a generic phrase), so a name written with 、 or 和 inside (体育、卫生与艺术教育处,
    区发展和改革局) stays whole. A role note or verb closing a piece (市教育局（牵头）, 市财政局（配合）,
    市农业农村局按职责分工负责) marks its role and is not part of the name; so is a remark (（责任人：张三）).
    """
    spans: list[tuple[int, int, str | None]] = []
    depth, piece = 0, start
    # Only brackets and separators change anything; the loop visits them (and the list end) alone.
    stops = [m.start() for m in _LIST_MARKS.finditer(text, start, end)]
    stops.append(end)
    for i in stops:
        ch = text[i] if i < end else "，"
        if i == end:
            depth = 0  # an unclosed bracket must not swallow the last name
        elif ch in _OPEN:
            depth += 1
            continue
        elif ch in _CLOSE and depth:
            depth -= 1
            continue
        if depth:
            continue
        cut = i - 1 if ch == "及" and i - 1 > piece and text[i - 1] == "以" else i  # 以及
        if ch == "同" and i - 1 > piece and text[i - 1] == "会":
            # 人民银行石家庄中心支行会同省工商局; but 市卫生健康委员会同市财政局 keeps its 会
            cut = i - 1 if _complete(text[piece : i - 1].strip(_STRIP)) else i
        if ch in "，,；;/／\n" or (ch in "、和及与同 " and (ch != "同" or text[i - 1 : i] == "会")
                                      and _complete(_without_etc(text[piece:cut].strip(_STRIP)))):
            s, e = _trim(text, piece, cut)
            s, e, mark = _strip_notes(text, s, e)
            if e > s:
                spans += [(a, b, mark) for a, b in _unglue(text, s, e)]
            piece = i + 1
    if keep_generic:
        return spans
    return [(s, e, mark) for s, e, mark in spans if not _is_generic(text[s:e])]


_LIST_MARKS = re.compile("[（(〈<）)〉>，,；;/／\n、和及与同 ]")


def _without_etc(piece: str) -> str:
    """体育总局等 -> 体育总局: a list closed by 等 before a generic tail (…等和各省级人民政府)."""
    etc = _ETC.search(piece)
    return piece[: etc.start()] if etc and etc.start() > 0 else piece


# Names glued without a separator in a table cell (区市场监管局区司法局): an organ's ending followed by a
# region or organ prefix starts the next name.
_GLUED = re.compile(r"(?<=[局委办厅处科室院部所站队组馆校会署])(?=(?:区|市|县|省|镇|乡|国家|自治区)"
                    r"[\u4e00-\u9fff]{1,12}?(?:局|委|办|厅|处|科|室|院|部|所|站|队|中心|政府|公司|集团|会|署))")


_GLUED_PAIR = re.compile(r"[局委办厅处科室院部所站队组馆校会署](?:区|市|县|省|镇|乡|国家|自治区)")


def _unglue(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """Split a piece at glued names where every part is itself a department (3+ characters)."""
    if e - s < 6:
        return [(s, e)]  # no room for two names of 3+ characters
    if shortcuts.ENABLED and not _GLUED_PAIR.search(text, max(s - 1, 0), e):
        return [(s, e)]  # no organ's ending meets a region or organ prefix: nothing is glued
    cuts = [m.start() for m in _GLUED.finditer(text, s, e)]
    if not cuts:
        return [(s, e)]
    bounds = [s, *cuts, e]
    parts = list(zip(bounds, bounds[1:]))
    if all(b - a >= 3 and _looks_like_department(text[a:b]) for a, b in parts):
        return parts
    return [(s, e)]


def _strip_notes(text: str, s: int, e: int) -> tuple[int, int, str | None]:
    """Drop role notes, remarks and role verbs closing a list piece; return the role they mark."""
    mark = None
    while e > s:
        note = _NOTE.search(text, s, e)
        if note and note.end() == e and note.start() > s:
            content = note.group(1)
            if _LEAD_NOTE.fullmatch(content) or _CO_NOTE.fullmatch(content) or _REMARK_NOTE.search(content):
                if mark is None:
                    mark = LEAD if _LEAD_NOTE.fullmatch(content) else CO if _CO_NOTE.fullmatch(content) else None
                s, e = _trim(text, s, note.start())
                continue
        # (every role verb holds a role word, which is much quicker to look for)
        verb = _ROLE_TAIL.search(text, s, e) if _ROLE_WORD.search(text, s, e) or not shortcuts.ENABLED else None
        if (verb and verb.end() == e and verb.start() > s
                and _looks_like_department(text[s : verb.start()].strip(_STRIP))):
            word = verb.group()
            if mark is None:
                mark = _word_role(word)
            s, e = _trim(text, s, verb.start())
            continue
        break
    return s, e, mark


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in _STRIP:
        s += 1
    while e > s and text[e - 1] in _STRIP:
        e -= 1
    conj = _LEADING_CONJ.match(text, s, e)
    if conj and conj.end() < e:
        s = conj.end()
    etc = _ETC.search(text, s, e)
    if etc and etc.end() == e and etc.start() > s:
        e = etc.start()
    return s, e


_TRAILING_NOTE = re.compile(r"[（(][^（）()]*[）)]$")


def _core(name: str) -> str:
    """The name without a trailing bracketed note (市教育局（市委教育工委） -> 市教育局)."""
    if shortcuts.ENABLED and "）" not in name and ")" not in name:
        return name  # most names have no bracket at all
    return _TRAILING_NOTE.sub("", name)


def _looks_like_department(name: str) -> bool:
    core = _core(name)
    return (len(core) >= 2 and core not in _BARE and core.endswith(_SUFFIXES) and not core.endswith(_NOT_NAMES)
            and "\x00" not in core)


def _complete(piece: str) -> bool:
    """Whether a list piece is a whole name: a department, or a generic phrase (市属国有企业、驻市金融机构)."""
    core = _core(piece)
    return _looks_like_department(piece) or core in _BARE or (len(core) >= 2 and core.endswith(_GENERIC_END))


def _is_generic(name: str) -> bool:
    core = _core(name)
    return (len(core) < 2 or "各" in core or "以上" in core or "有关" in core or "相关" in core or core in _BARE
            or core in _REMARKS or core.startswith(_GENERIC_START) or core.endswith(_GENERIC_END)
            or "\x00" in core or "牵头" in core or core.startswith(_REMARK_START))


# -- a section's annotation after its last sub-item ------------------------------------------------

# A paragraph that is only an annotation: a bracket group (one level of nesting), or a label line (牵头单位：…).
_ANNOTATION_LINE = re.compile(r"[（(][^（）()]*(?:[（(][^（）()]*[）)][^（）()]*)*[）)][。；;]?"
                              r"|(?:【|\[)?[\u4e00-\u9fff]{2,8}(?:】|\])?\s*[：:].*")


def lift_section_annotations(doc: Document) -> None:
    """Move a section's department paragraph from its last sub-item to the section.

    Plans often close a section with one paragraph naming who does the whole section (（市科技局、市科协牵头，
    市委宣传部…参与）) after its last sub-item, whose text span then holds it. It is the section's when it is a
    paragraph of its own and no earlier sibling closes with such a paragraph (in plans that annotate every
    sub-item on a line of its own, the last one's belongs to it). The section must have none of its own.
    """
    by_parent: dict[str | None, list[Item]] = {}
    for it in doc.items:
        by_parent.setdefault(it.parent_id, []).append(it)
    parents = {it.item_id: it for it in doc.items}
    for parent_id, children in by_parent.items():
        parent = parents.get(parent_id) if parent_id is not None else None
        if parent is None or parent.departments or len(children) < 2:
            continue
        last = children[-1]
        if not last.departments or any(_closing_annotation(doc.text, c) for c in children[:-1]):
            continue
        para = _closing_annotation(doc.text, last)
        if para is not None:
            parent.departments = [d for d in last.departments if d.start >= para]
            last.departments = [d for d in last.departments if d.start < para]


def _closing_annotation(text: str, item: Item) -> int | None:
    """Start of the paragraph closing ``item`` when that paragraph is a department annotation alone."""
    body = text[item.start : item.end].rstrip()
    nl = body.rfind("\n")
    if nl < 0 or item.cells:
        return None
    para = body[nl + 1 :].strip()
    if not para or not _ANNOTATION_LINE.fullmatch(para):
        return None
    start = item.start + nl + 1 + (len(body[nl + 1 :]) - len(body[nl + 1 :].lstrip()))
    return start if find_departments(para) else None

