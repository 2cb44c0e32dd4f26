"""Document metadata researchers group by: title, issuers in full, the year the plan is for, 文号."""
from __future__ import annotations

import re

from ..model import Document
from .cover import COVER_END
from .markers import match_marker
from .text import ORG_END, YEAR
from .text import lines as line_spans

_TITLE_WORDS = re.compile(r"(要点|计划|方案|任务|安排|清单|报告|分工|分解|举措|目标|重点工作|任务表|分解表|办法|细则)$")
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,10}〔\d{4}〕\d{1,4}号")


def read_metadata(doc: Document) -> None:
    text = doc.text
    head_end = doc.items[0].start if doc.items else min(len(text), 3000)
    lines = [text[s:e].strip() for s, e in line_spans(text[:head_end])]
    body_lines = [text[s:e].strip() for s, e in line_spans(text[:head_end], doc.body_start)]
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
        if (len(nxt) <= 30 and "。" not in nxt and _TITLE_WORDS.search(nxt) and not match_marker(nxt, 0)
                and not YEAR.search(nxt)):
            title += nxt
    issuers: list[str] = []
    if title_idx > 0:
        prev = body_lines[title_idx - 1]
        if len(prev) <= 30 and "。" not in prev and YEAR.search(prev) and not YEAR.search(title):
            title = prev + title
        elif len(prev) <= 40 and all(ORG_END.search(p) for p in prev.split()):
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
            dated = COVER_END.match(ln) and re.match(r"\d{4}|[〇○零一二三四五六七八九]{4}年", ln)
            if dated and i > 0 and ORG_END.search(cover[i - 1]):
                issuers = cover[i - 1].split()
                break
    if not issuers:
        prefix = re.match(r"(.+?)(?:\d{4}年)", title)
        if prefix and ORG_END.search(prefix.group(1)) and "关于" not in prefix.group(1):
            issuers = [prefix.group(1)]
    if not issuers:
        meta = doc.metadata.get("issuer") or _labelled(text[:3000], "发布机构")
        if meta:
            issuers = [meta]
    doc.issuer = "；".join(issuers)
    year = YEAR.search(doc.title)
    if not year and doc.preamble:
        year = re.search(r"(20\d{2})\s*年(?:是|全|，|工作)", text[doc.preamble[0] : doc.preamble[1]])
    if year:
        doc.year = int(year.group(1))
    else:
        date = doc.metadata.get("date", "") or doc.metadata.get("created", "")
        found = re.search(r"(20\d{2})", date) or YEAR.search(text[: min(len(text), 2000)])
        doc.year = int(found.group(1)) if found else None
    number = doc.metadata.get("doc_number") or ""
    if not number:
        m = _DOC_NUMBER.search(text[: max(head_end, doc.body_start) + 1])
        number = m.group(0) if m else ""
    doc.doc_number = number


def _labelled(text: str, label: str) -> str:
    m = re.search(label + r"\s*[：:]\s*(\S+)", text)
    return m.group(1) if m else ""
