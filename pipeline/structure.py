"""Text -> hierarchy of numbered items, plus document metadata (title, issuer, year, number).

Levels are inferred from the marker kinds a document actually uses: a marker's kind has a rank
(第一部分 > 第一章 > 第一节 > 第一条 > 一、 > （一） > 1. > （1） > 1） > ①, GB/T 9704 for the middle) and its
parent is the nearest open item of a higher rank, so a document that skips a level (一、 then 1.) still
nests correctly; below （一） the document's own order of the Arabic forms wins. A marker is only
accepted when its number continues the count of its kind (or restarts it at 1), which keeps wrapped
lines and stray numbers from becoming items; at line starts a single skipped or repeated number is
forgiven when the count goes on from it. Tables of contents, cover letters and signatures are not items.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .model import Document, Item, RawText
from .numerals import CN_NUMERAL_CHARS, cn_to_int

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
_MARKERS: list[tuple[str, int, re.Pattern[str]]] = [
    ("part", 0, re.compile(rf"第(?P<n>[{_CN}]+|\d+)(?:部分|篇)")),
    ("chapter", 1, re.compile(rf"第(?P<n>[{_CN}]+|\d+)章")),
    ("section", 2, re.compile(rf"第(?P<n>[{_CN}]+|\d+)节")),
    ("article", 3, re.compile(rf"第(?P<n>[{_CN}]+|\d+)条")),  # 办法/细则: articles are the items
    ("cn_dun", 4, re.compile(rf"(?P<n>[{_CN}]{{1,3}})(?:、|[.．](?!\d))(?![{_CN}]{{1,3}}、)")),
    ("paren_cn", 5, re.compile(rf"（(?P<n>[{_CN}]{{1,3}})）")),
    ("paren_ideograph", 5, re.compile(rf"(?P<n>[{_PAREN_IDEOGRAPHS}])")),
    ("arabic", 6, re.compile(r"(?P<n>\d{1,3})(?:[.．](?![\d%])|、)")),
    ("digit_stop", 6, re.compile(rf"(?P<n>[{_DIGIT_STOPS}])")),
    ("paren_arabic", 7, re.compile(r"（(?P<n>\d{1,3})）")),
    ("paren_digit", 7, re.compile(rf"(?P<n>[{_PAREN_DIGITS}])")),
    ("arabic_paren", 8, re.compile(r"(?P<n>\d{1,3})）")),
    ("circled", 9, re.compile(rf"(?P<n>[{_CIRCLED}])")),
]
_RANK: dict[str, float] = {kind: rank for kind, rank, _ in _MARKERS}
_RANK["attachment"] = -1
_RANK["row_group"] = 9.5  # a table row numbered 一, 二 that groups the rows below it
_RANK["row"] = 10
# Below （一）, issuers order the Arabic forms (1. （1） 1） ⑴ ①) differently; the document decides (see
# _continuous). The levels above are fixed.
_FLEXIBLE = 6
# Bare markers (一、 1.) also occur inside sentences, so inline they need a sentence end before them;
# these are distinctive enough to be believed after any character.
_DISTINCT = ("（", *_PAREN_DIGITS, *_DIGIT_STOPS, *_PAREN_IDEOGRAPHS)

_SENTENCE_END = "。！？"
_MARKER_START = re.compile(rf"[第（\d{CN_NUMERAL_CHARS}{_PAREN_DIGITS}{_DIGIT_STOPS}{_PAREN_IDEOGRAPHS}]")
_INLINE_LEFT = "。；！？）\n"
_ROW = re.compile(r"(?P<n>\d{1,3})\s*\|")
_ROW_GROUP = re.compile(r"(?P<n>[一二三四五六七八九十]{1,3})[、.．]?\s*\|")
_TOC_PAGE = re.compile(r"(?:[.…·．_—-]{2,}\s*\d{0,3}|\s+\d{1,3})$")
_TOC_ENTRY = re.compile(r"(?:…{2,}|[.·．_—-]{3,})\s*\d{1,3}$")
_ATTACHMENT = re.compile(r"附件\s*(?P<n>\d{1,2}|[一二三四五六七八九十]{1,2})[：:]?\s*$")
_NOTICE = re.compile(r"印发给你们|现将.{0,80}?印发|现印发|现予印发|印发给各|请认真贯彻|请结合实际")
_DATE = r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[〇○零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日"
_COVER_END = re.compile(rf"^(?:（此件[^）]{{0,12}}）|附件[：:]?|{_DATE}|\d{{4}}[-./]\d{{1,2}}[-./]\d{{1,2}}|\d{{6,8}})$")
_SIGNATURE = re.compile(rf"^(?:（此件[^）]{{0,12}}）|(?:{_DATE})(?:印发)?|抄送[：:].*|.{{2,30}}(?:办公室|办公厅)\s*(?:{_DATE})印发)$")
_TITLE_WORDS = re.compile(r"(要点|计划|方案|任务|安排|清单|报告|分工|分解|举措|目标|重点工作|任务表|分解表|办法|细则)$")
_ORG_END = re.compile(r"(委员会|工委|委|局|厅|办公室|办|政府|部|院|中心|署|会)$")
_YEAR = re.compile(r"(20\d{2}|19\d{2})\s*年")
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,10}〔\d{4}〕\d{1,4}号")
_DEPT_TAIL = re.compile(r"（[^（）]{0,6}(牵头|负责|责任)[^（）]*）$")
_TASK_HEADER = re.compile(r"任务|内容|事项|措施|目标|工作")


@dataclass(slots=True)
class _Marker:
    kind: str
    value: int
    start: int  # where the marker begins
    label_end: int  # where the marker text ends (the heading starts here)
    label: str
    cells: dict[str, tuple[int, int]] = field(default_factory=dict)
    rank: float = 0  # level in the document's hierarchy; lower is higher (settled by _continuous)
    heading: tuple[int, int] | None = None  # a table row's task cell, even when empty


def parse(raw: RawText | str, *, doc_id: str = "", source: str = "") -> Document:
    """Split a plan's normalised text into its numbered items and read its metadata.

    >>> doc = parse("2022年工作要点\\n一、加强党建\\n（一）加强政治建设。内容。")
    >>> [(it.item_id, it.label) for it in doc.items]
    [('1', '一、'), ('1.1', '（一）')]
    """
    if isinstance(raw, str):
        raw = RawText(text=raw, format="txt", source=source)
    text = raw.text
    doc = Document(
        doc_id=doc_id or Path(raw.source or source or "document").stem,
        text=text,
        source=raw.source or source,
        format=raw.format,
        encoding=raw.encoding,
        metadata=dict(raw.metadata),
        warnings=list(raw.warnings),
    )
    doc.body_start = _body_start(text)
    markers = _find_markers(text, doc.body_start)
    doc.items = _build_items(text, markers)
    first = doc.items[0].start if doc.items else len(text)
    if first > doc.body_start:
        doc.preamble = (doc.body_start, first)
    _read_metadata(doc)
    return doc


# -- cover letter -------------------------------------------------------------------------------


def _lines(text: str, start: int = 0) -> list[tuple[int, int]]:
    spans = []
    pos = start
    for line in text[start:].split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _body_start(text: str) -> int:
    """Where the plan proper starts: after a cover letter (印发通知 … date, 此件公开发布, 附件), else 0.

    A web copy that lost the letter's signature and date still repeats the title the letter names
    (现将《…》印发) as the plan's first line; the plan starts there.
    """
    notice = _NOTICE.search(text[:6000])
    if not notice:
        return 0
    body = 0
    in_run = False
    for s, e in _lines(text, notice.end()):
        line = text[s:e].strip()
        if not line:
            continue
        if _COVER_END.match(line):
            body = e + 1
            in_run = True
        elif in_run:
            break
    if not body:
        head = text[: text.find("\n", notice.end()) if "\n" in text[notice.end() :] else len(text)]
        titles = re.findall(r"《([^》]{4,60})》", head) + re.findall(r"关于印发(.{4,60}?)的通知", head)
        wanted = {"".join(t.split()) for t in titles}
        for s, e in _lines(text, notice.end()):
            if "".join(text[s:e].split()) in wanted:
                return s
    return min(body, len(text))


# -- markers ------------------------------------------------------------------------------------


def _match_marker(text: str, pos: int) -> _Marker | None:
    for kind, rank, pattern in _MARKERS:
        m = pattern.match(text, pos)
        if not m:
            continue
        raw_n = m.group("n")
        if kind in _SINGLE_CHAR:
            value = _SINGLE_CHAR[kind].index(raw_n) + 1
        elif raw_n.isdigit():
            value = int(raw_n)
        else:
            try:
                value = cn_to_int(raw_n)
            except ValueError:
                continue
        end = m.end()
        label = m.group(0)
        if text.startswith(label, end):  # "（三）（三）" written twice by mistake is one marker
            end += len(label)
        return _Marker(kind, value, pos, end, label, rank=rank)
    return None


def _find_markers(text: str, body_start: int) -> list[_Marker]:
    line_markers = _line_markers(text, body_start)
    inline = _inline_markers(text, body_start)
    # A plan whose line breaks were lost shows its markers after sentence ends instead of at line starts.
    if len(inline) >= 3 and len(inline) > 2 * len(line_markers):
        return inline
    return line_markers


def _line_markers(text: str, body_start: int) -> list[_Marker]:
    candidates: list[_Marker] = []
    lines = _lines(text, body_start)
    flat_rows = _flat_table_rows(text, lines)
    contents = _contents_lines(text, lines)
    header: list[str] | None = None
    for idx, (s, e) in enumerate(lines):
        line = text[s:e]
        if idx in flat_rows:
            candidates.append(flat_rows[idx])
            continue
        if idx in contents:
            continue
        if "|" in line:
            cells = [c.strip() for c in line.split("|")]
            short = len(cells) >= 3 and all(0 < len(c) <= 8 for c in cells)
            group = _ROW_GROUP.match(line)
            if any(c in ("序号", "编号") for c in cells) or (short and not cells[0].isdigit() and not group):
                header = cells
                continue
            row = _ROW.match(line) or group
            if row:
                candidates.append(_row_marker(text, s, e, row, header))
                continue
        att = _ATTACHMENT.match(line)
        if att:
            candidates.append(_Marker("attachment", _value(att.group("n")), s, e, line.strip(), rank=-1))
            header = None
            continue
        m = _match_marker(text, s)
        if m and m.label_end < e:  # a bare marker with nothing after it is not an item
            candidates.append(m)
    return _continuous(candidates, resync=True)


def _inline_markers(text: str, body_start: int) -> list[_Marker]:
    candidates = []
    for found in _MARKER_START.finditer(text, body_start):
        i = found.start()
        ch = text[i]
        after_sentence = i == body_start or text[i - 1] in _INLINE_LEFT
        m = _match_marker(text, i)
        if m and m.kind not in ("arabic_paren", "circled") and (after_sentence or ch in _DISTINCT):
            candidates.append(m)
    return _continuous(candidates)


def _contents_lines(text: str, lines: list[tuple[int, int]]) -> set[int]:
    """Lines of a table of contents: entries with leader dots and a page number, and the run of short
    lines from a 目录 line (or from the first marker line) up to where the first entry comes again as
    the body's first heading."""
    skip = {i for i, (s, e) in enumerate(lines) if _TOC_ENTRY.search(text, s, e)}
    keys = [_contents_key(text[s:e]) for s, e in lines]
    head = next((i for i, key in enumerate(keys) if key == "目录"), None)
    if head is None:  # no 目录 line: the first marker line is the first entry, if it comes again
        first = next((i for i, (s, e) in enumerate(lines) if keys[i] and _match_marker(text[s:e], 0)), None)
        head = first
    else:
        first = next((i for i in range(head + 1, len(lines)) if keys[i]), None)
    if head is None or first is None:
        return skip
    titled = head < first
    for i in range(first + 1, len(lines)):
        if keys[i] == keys[first]:
            skip.update(range(head, i))
            break
        s, e = lines[i]
        entry = len(keys[i]) <= 60 and not any(ch in keys[i] for ch in _SENTENCE_END + "|")
        if keys[i] and not (entry and (titled or _match_marker(text[s:e], 0))):
            break  # body text before the first entry came again: not a contents list
    return skip


def _contents_key(line: str) -> str:
    line = _TOC_PAGE.sub("", line.strip())
    return "".join(line.split())


def _continuous(candidates: list[_Marker], *, resync: bool = False) -> list[_Marker]:
    """Keep markers that continue their kind's count by one, or restart it at 1 under a new parent.

    A restart is only believed when the kind is new or a marker of a higher level came since the
    kind's last marker, so a stray ``1.`` inside a run of ``1. 2. 3.`` is not an item. With ``resync``
    (markers at line starts), a slip in the numbering — one number skipped (（二）（四）) or repeated
    (2. 2.) — is accepted when the next marker of the kind continues from it.

    Also settles each kept marker's rank. The Arabic forms below （一） have no fixed order across
    issuers: a form first seen (numbered 1) directly under an open item of another such form that
    the fixed order ranks below it (（1） under 1）) nests there, and keeps that rank for the document.
    """
    ranks = dict(_RANK)
    following: list[int | None] = [None] * len(candidates)  # value of the next candidate of the same kind
    upcoming: dict[str, int] = {}
    for i in range(len(candidates) - 1, -1, -1):
        following[i] = upcoming.get(candidates[i].kind)
        upcoming[candidates[i].kind] = candidates[i].value
    last: dict[str, int] = {}
    fresh: set[str] = set()  # kinds that may restart: unseen, or a higher-level marker came since
    kept: list[_Marker] = []
    for i, m in enumerate(candidates):
        prev = last.get(m.kind)
        restart = m.value == 1 and (prev is None or m.kind in fresh)
        ok = restart or (prev is not None and m.value == prev + 1) or m.kind == "attachment"
        if not ok and resync and prev is not None and m.value in (prev, prev + 2):
            ok = following[i] == m.value + 1
        if not ok:
            continue
        if prev is None and kept:
            outer = kept[-1]
            flexible = _FLEXIBLE <= min(_RANK[m.kind], _RANK[outer.kind]) and "row" not in (m.kind + outer.kind)
            if flexible and outer.kind != m.kind and ranks[outer.kind] >= ranks[m.kind]:
                ranks[m.kind] = ranks[outer.kind] + 0.5
        m.rank = ranks[m.kind]
        kept.append(m)
        last[m.kind] = m.value
        fresh.discard(m.kind)
        fresh.update(k for k in last if ranks[k] > m.rank)
    return kept


def _value(n: str) -> int:
    return int(n) if n.isdigit() else cn_to_int(n)


# -- tables -------------------------------------------------------------------------------------


def _row_marker(text: str, s: int, e: int, m: re.Match[str], header: list[str] | None) -> _Marker:
    cells: dict[str, tuple[int, int]] = {}
    task = _task_column(header)
    heading = None
    pos = s
    parts = text[s:e].split("|")
    for i, part in enumerate(parts):
        lead = len(part) - len(part.lstrip())
        cs, ce = pos + lead, max(pos + lead, pos + len(part.rstrip()))
        name = header[i] if header and i < len(header) and header[i] else f"col{i + 1}"
        if i > 0 and ce > cs:
            cells[name] = (cs, ce)
        if i == task:
            heading = (cs, ce)  # an empty task cell gives an empty heading, not the next cell's text
        pos += len(part) + 1
    label_end = s + len(parts[0]) + 1
    while label_end < e and text[label_end] == " ":
        label_end += 1
    label = parts[0].strip()
    kind = "row" if label.isdigit() else "row_group"
    return _Marker(kind, _value(m.group("n")), s, label_end, label, cells, rank=_RANK[kind], heading=heading)


def _task_column(header: list[str] | None) -> int | None:
    """Index of the column that holds the task (工作任务, 重点任务, 工作内容…), not its department or deadline."""
    for i, name in enumerate(header or []):
        if i and _TASK_HEADER.search(name) and not any(w in name for w in ("单位", "时限", "时间", "科室", "部门")):
            return i
    return None


def _flat_table_rows(text: str, lines: list[tuple[int, int]]) -> dict[int, _Marker]:
    """Tables flattened to one cell per line: a 序号 header line, then the row number alone on a line."""
    rows: dict[int, _Marker] = {}
    i = 0
    while i < len(lines):
        s, e = lines[i]
        if text[s:e].strip() not in ("序号", "编号"):
            i += 1
            continue
        header = ["序号"]
        j = i + 1
        while j < len(lines) and len(header) < 8:
            cell = text[lines[j][0] : lines[j][1]].strip()
            if not cell or cell.isdigit() or len(cell) > 8:
                break
            header.append(cell)
            j += 1
        width = len(header)
        expected = 1
        while width > 1 and j + width - 1 < len(lines):
            s0, e0 = lines[j]
            if text[s0:e0].strip() != str(expected):
                break
            cells = {}
            for k in range(1, width):
                cs, ce = lines[j + k]
                if ce > cs:
                    cells[header[k]] = (cs, ce)
            task = _task_column(header)
            first_cell = lines[j + 1]
            rows[j] = _Marker("row", expected, s0, first_cell[0], text[s0:e0].strip(), cells, rank=_RANK["row"],
                              heading=lines[j + task] if task else None)
            for k in range(1, width):
                rows[j + k] = rows[j]  # consumed: not scanned for markers again
            expected += 1
            j += width
        i = max(j, i + 1)
    # only the first line of each row carries the marker
    return {idx: m for idx, m in rows.items() if m.start == lines[idx][0]} | {
        idx: _SKIP for idx, m in rows.items() if m.start != lines[idx][0]
    }


_SKIP = _Marker("skip", 0, 0, 0, "")


# -- tree ---------------------------------------------------------------------------------------


def _build_items(text: str, markers: list[_Marker]) -> list[Item]:
    markers = [m for m in markers if m.kind != "skip"]
    items: list[Item] = []
    stack: list[tuple[float, Item]] = []  # (rank, item)
    counters: dict[str | None, int] = {}
    for idx, m in enumerate(markers):
        end = markers[idx + 1].start if idx + 1 < len(markers) else len(text)
        closing = idx + 1 == len(markers) or markers[idx + 1].kind == "attachment"
        if closing and m.kind not in ("row", "row_group"):
            end = _signature_start(text, m.start, end)
        while end > m.start and text[end - 1] in " \n":
            end -= 1
        rank = m.rank
        while stack and stack[-1][0] >= rank:
            stack.pop()
        parent = stack[-1][1] if stack else None
        parent_id = parent.item_id if parent else None
        counters[parent_id] = counters.get(parent_id, 0) + 1
        item_id = f"{parent_id}.{counters[parent_id]}" if parent_id else str(counters[parent_id])
        hs, he = _heading_span(text, m, end)
        item = Item(
            item_id=item_id,
            parent_id=parent_id,
            level=len(stack) + 1,
            label=m.label,
            kind=m.kind,
            start=m.start,
            end=end,
            heading_start=hs,
            heading_end=he,
            cells=m.cells,
        )
        items.append(item)
        stack.append((rank, item))
    return items


def _signature_start(text: str, start: int, end: int) -> int:
    """Where a signature block closing the item's span begins (issuer lines, a date, 此件公开发布, 抄送…),
    else ``end``: the signature is not part of the last item, nor are its names departments or its date
    a deadline. A closing paragraph before it (各单位要…) stays with the item; it cannot be told from
    the item's own last paragraph."""
    cut, dated, named = end, False, False
    for s, e in reversed(_lines(text[:end], start)[1:]):  # never the marker's own line
        line = text[s:e].strip()
        if not line:
            continue
        issuer = (len(line) <= 40 and not re.search(r"[。，；：！？、（]", line)
                  and all(_ORG_END.search(p) for p in line.split()))
        if not (issuer or _SIGNATURE.match(line)):
            break
        dated = dated or bool(re.match(_DATE, line))
        named = named or issuer
        cut = s
    return cut if dated and named else end


def _heading_span(text: str, m: _Marker, end: int) -> tuple[int, int]:
    if m.heading:
        s, limit = m.heading
    elif m.cells:
        s, limit = next(iter(m.cells.values()))
    else:
        s = m.label_end
        # an attachment's heading is the title on the line after 附件N
        skip = " \n" if m.kind == "attachment" else " "
        while s < end and text[s] in skip:
            s += 1
        limit = end
        nl = text.find("\n", s, end)
        if nl != -1:
            limit = nl
    # The item's end was trimmed of trailing blanks, which may reach back over the label's own padding.
    s = min(s, end)
    limit = min(max(limit, s), end)
    e = s
    while e < limit and text[e] not in _SENTENCE_END:
        e += 1
    heading = text[s:e]
    tail = _DEPT_TAIL.search(heading)
    if tail and tail.start() > 0:
        e = s + tail.start()
    while e > s and text[e - 1] in " ：:；":
        e -= 1
    return s, e


# -- metadata -----------------------------------------------------------------------------------


def _read_metadata(doc: Document) -> None:
    text = doc.text
    head_end = doc.items[0].start if doc.items else min(len(text), 3000)
    lines = [text[s:e].strip() for s, e in _lines(text[:head_end])]
    body_lines = [text[s:e].strip() for s, e in _lines(text[:head_end], doc.body_start)]
    body_lines = [ln for ln in body_lines if ln]
    title, title_idx = "", -1
    for i, ln in enumerate(body_lines[:12]):
        cand = re.sub(r"\s*\d{4}-\d{2}-\d{2}.*$", "", ln)
        if len(cand) <= 60 and "通知" not in cand and not cand.endswith("。") and _TITLE_WORDS.search(cand):
            title, title_idx = cand, i
            break
    if 0 <= title_idx < len(body_lines) - 1:
        nxt = body_lines[title_idx + 1]
        # a continuation of a title wrapped onto two lines (…2023年重点工作 / 任务分解和责任分工方案),
        # not a repeat of the title as web pages print it above the text
        if (len(nxt) <= 30 and "。" not in nxt and _TITLE_WORDS.search(nxt) and not _match_marker(nxt, 0)
                and not _YEAR.search(nxt)):
            title += nxt
    issuers: list[str] = []
    if title_idx > 0:
        prev = body_lines[title_idx - 1]
        if len(prev) <= 30 and "。" not in prev and _YEAR.search(prev) and not _YEAR.search(title):
            title = prev + title
        elif len(prev) <= 40 and all(_ORG_END.search(p) for p in prev.split()):
            issuers = prev.split()
    if not title:
        title = doc.metadata.get("title", "")
        notice = re.search(r"关于印发(?:《([^》]+)》|(.+?))的通知", text[:3000])
        if not title and notice:
            title = notice.group(1) or notice.group(2)
    doc.title = title.replace("  ", " ")
    # The cover letter's signature gives the full official name (立山区人民政府), which a title prefix
    # (立山区政府2023年…) or a web page's 发布机构 (省卫生健康委) often shortens.
    if not issuers and doc.body_start:
        cover = [ln for ln in lines if ln]
        for i, ln in enumerate(cover):
            dated = _COVER_END.match(ln) and re.match(r"\d{4}|[〇○零一二三四五六七八九]{4}年", ln)
            if dated and i > 0 and _ORG_END.search(cover[i - 1]):
                issuers = cover[i - 1].split()
                break
    if not issuers:
        prefix = re.match(r"(.+?)(?:\d{4}年)", title)
        if prefix and _ORG_END.search(prefix.group(1)) and "关于" not in prefix.group(1):
            issuers = [prefix.group(1)]
    if not issuers:
        meta = doc.metadata.get("issuer") or _labelled(text[:3000], "发布机构")
        if meta:
            issuers = [meta]
    doc.issuer = "；".join(issuers)
    year = _YEAR.search(doc.title)
    if not year and doc.preamble:
        year = re.search(r"(20\d{2})\s*年(?:是|全|，|工作)", text[doc.preamble[0] : doc.preamble[1]])
    if year:
        doc.year = int(year.group(1))
    else:
        date = doc.metadata.get("date", "") or doc.metadata.get("created", "")
        found = re.search(r"(20\d{2})", date) or _YEAR.search(text[: min(len(text), 2000)])
        doc.year = int(found.group(1)) if found else None
    number = doc.metadata.get("doc_number") or ""
    if not number:
        m = _DOC_NUMBER.search(text[: max(head_end, doc.body_start) + 1])
        number = m.group(0) if m else ""
    doc.doc_number = number


def _labelled(text: str, label: str) -> str:
    m = re.search(label + r"\s*[：:]\s*(\S+)", text)
    return m.group(1) if m else ""


__all__ = ["CN_NUMERAL_CHARS", "parse"]
