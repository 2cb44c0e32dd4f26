"""Accepted markers -> the tree of items, with each item's span and heading."""
from __future__ import annotations

import re

from ..model import Item
from .cover import footer_start, signature_start
from .markers import BOUNDARY, CUT, SKIP, Marker
from .text import SENTENCE_END

# A department note ends the heading: （责任单位：…）, （市教育局牵头，…配合）, （北京…联合管委会起草）, and
# what runs on after it where line breaks were lost is the item's text
_DEPT_NOTE = re.compile(r"（(?:[^（）]{0,6}(?:牵头|负责|责任)[^（）]*|[^（）]{2,40}(?:牵头|负责|起草))）")
_TABLE_KINDS = ("row", "row_group")
_SENTENCE_END_CHAR = re.compile(f"[{SENTENCE_END}]")
# The standard section names of a plan. In a text whose line breaks were lost, the section's first
# paragraph runs on right after them (一、总体要求以习近平新时代…): the heading is the name alone.
_SECTION_PART = (r"(?:总体|主要|工作|活动|行动|发展|基本|目标|指导|进度|组织|时间)"
                 r"(?:要求|目标|原则|任务|措施|步骤|保障|安排|思路|主题|内容|范围|思想|对象)")
_SECTION_NAME = re.compile(rf"(?:{_SECTION_PART}(?:[和与](?:{_SECTION_PART}|安排|措施|要求))?"  # 时间步骤和工作安排
                           r"|保障措施|实施步骤|组织实施|工作重点|活动时间|行动时间|前景与基础|发展基础|基本情况|现状与问题"
                           r"|适用范围)(?=[\u4e00-\u9fff“（]{8}|[到至]?\d{4}年)")


def build_items(text: str, markers: list[Marker]) -> list[Item]:
    """Nest markers by rank: a marker's parent is the nearest open item of a higher rank. An item's span
    runs from its marker to the next marker (or table header); the last one stops before a signature
    or a web page's footer."""
    markers = [m for m in markers if m.kind != SKIP]
    items: list[Item] = []
    stack: list[tuple[float, Item]] = []  # (rank, item)
    counters: dict[str | None, int] = {}
    last = len(markers) - 1
    for idx, m in enumerate(markers):
        kind = m.kind
        if kind == BOUNDARY:
            stack.clear()
            continue
        if kind == CUT:
            continue
        if idx < last:
            end = markers[idx + 1].start
            closing = markers[idx + 1].kind in ("attachment", BOUNDARY)
        else:
            end = footer_start(text, m.start, len(text))
            closing = True
        if closing and kind not in _TABLE_KINDS:
            end = signature_start(text, m.start, end)
        while end > m.start and text[end - 1] in " \n":
            end -= 1
        rank = m.rank
        while stack and stack[-1][0] >= rank:
            stack.pop()
        if stack:
            parent_id: str | None = stack[-1][1].item_id
            count = counters[parent_id] = counters.get(parent_id, 0) + 1
            item_id = f"{parent_id}.{count}"
        else:
            parent_id = None
            count = counters[None] = counters.get(None, 0) + 1
            item_id = str(count)
        hs, he = heading_span(text, m, end)
        # in the order of Item's fields (id, parent, level, label, kind, span, heading span, cells): keywords
        # would cost a third of the call
        item = Item(item_id, parent_id, len(stack) + 1, m.label, kind, m.start, end, hs, he, m.cells)
        items.append(item)
        stack.append((rank, item))
    return items


def heading_span(text: str, m: Marker, end: int) -> tuple[int, int]:
    """The heading: the task cell of a table row, else the text after the marker up to the first
    sentence end or line end (an attachment's heading is the title on the line after 附件N)."""
    if m.heading:
        s, limit = m.heading
    elif m.cells:
        s, limit = next(iter(m.cells.values()))
    else:
        s = m.label_end
        skip = " \n" if m.kind == "attachment" else " ：:" if m.kind == "category" else " "
        while s < end and text[s] in skip:
            s += 1
        limit = end
        nl = text.find("\n", s, end)
        if nl != -1:
            limit = nl
    # The item's end was trimmed of trailing blanks, which may reach back over the label's own padding.
    s = min(s, end)
    limit = min(max(limit, s), end)
    stop = _SENTENCE_END_CHAR.search(text, s, limit)
    e = stop.start() if stop else limit
    # (the heading's patterns are tried in the text up to its end, as on a copy of it)
    if m.kind not in _TABLE_KINDS:
        name = _SECTION_NAME.match(text, s, e)
        if name:
            e = name.end()
    note = _DEPT_NOTE.search(text, s, e)
    if note and note.start() > s:
        e = note.start()
    while e > s and text[e - 1] in " ：:；|":
        e -= 1
    return s, e
