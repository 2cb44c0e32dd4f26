"""The per-plan extraction view: the plan's text with every extracted span highlighted by kind.

A researcher checks any value against its source at a glance: an outline of the items on the left,
each item's text with quantities, deadlines, departments and documents marked, and under it a small
table of what was extracted. Self-contained HTML; all document text is escaped.
"""
from __future__ import annotations

from html import escape
from pathlib import PurePath

from ..extract.quantities import readable_value
from ..model import Document, Item

KINDS = {
    "quantity": ("数量", "#fde68a"),
    "deadline": ("时限", "#bfdbfe"),
    "lead": ("牵头", "#bbf7d0"),
    "co": ("配合", "#dcfce7"),
    "instrument": ("文件", "#fbcfe8"),
}

_CSS = """
body{font-family:"Noto Sans CJK SC","WenQuanYi Micro Hei","Microsoft YaHei",sans-serif;margin:0;color:#1f2937}
header{padding:12px 20px;background:#1e3a8a;color:#fff}header h1{margin:0;font-size:20px}
header p{margin:4px 0 0;font-size:13px;opacity:.9}
.wrap{display:flex}nav{width:280px;flex:none;height:calc(100vh - 64px);overflow:auto;border-right:1px solid #e5e7eb;
padding:10px;font-size:13px;position:sticky;top:0}nav a{display:block;color:#1e3a8a;text-decoration:none;padding:2px 0}
nav a:hover{text-decoration:underline}main{flex:1;padding:10px 24px;max-width:980px}
.legend span{margin-right:10px;padding:1px 6px;border-radius:3px;font-size:12px}
section{border-bottom:1px solid #f3f4f6;padding:8px 0}section .text{line-height:1.9;white-space:pre-wrap}
.l1>.text{font-weight:bold;font-size:17px}.id{color:#6b7280;font-size:12px;margin-right:6px}
mark{padding:1px 2px;border-radius:3px}mark sub{font-size:10px;color:#374151;margin-left:2px}
table{border-collapse:collapse;font-size:12px;margin:6px 0 4px}td,th{border:1px solid #e5e7eb;padding:2px 6px;text-align:left}
th{background:#f9fafb}.preamble{color:#4b5563;font-size:14px;white-space:pre-wrap}
"""


def _spans(item: Item) -> list[tuple[int, int, str]]:
    spans = [(q.start, q.end, "quantity") for q in item.quantities]
    spans += [(d.start, d.end, "deadline") for d in item.deadlines]
    spans += [(d.start, d.end, d.role) for d in item.departments]
    spans += [(i.start, i.end, "instrument") for i in item.instruments]
    chosen: list[tuple[int, int, str]] = []
    for s, e, kind in sorted(spans, key=lambda x: (x[0], -(x[1] - x[0]))):
        if not chosen or s >= chosen[-1][1]:  # overlapping spans: keep the first, longest
            chosen.append((s, e, kind))
    return chosen


def highlight(text: str, start: int, end: int, spans: list[tuple[int, int, str]]) -> str:
    """Escaped ``text[start:end]`` with each span wrapped in a labelled ``<mark>``."""
    out, pos = [], start
    for s, e, kind in spans:
        if s < pos or e > end:
            continue
        label, colour = KINDS.get(kind, (kind, "#e5e7eb"))
        out.append(escape(text[pos:s]))
        out.append(f'<mark style="background:{colour}" title="{escape(label)}">{escape(text[s:e])}'
                   f"<sub>{escape(label)}</sub></mark>")
        pos = e
    out.append(escape(text[pos:end]))
    return "".join(out)


def _table(doc: Document, item: Item) -> str:
    rows = []
    t = doc.text
    for q in item.quantities:
        value = readable_value(q.value) + (f"–{readable_value(q.value_max)}" if q.value_max is not None else "")
        aim = "力争 " if q.aspirational and q.qualifier != "力争" else ""
        rows.append(("数量", t[q.start:q.end], f"{value} {q.unit} {aim}{q.qualifier}".strip(), q.subject))
    for d in item.deadlines:
        rows.append(("时限", t[d.start:d.end], d.date or ("recurring" if d.recurring else "—"), d.granularity))
    for dep in item.departments:
        rows.append(("牵头" if dep.role == "lead" else "配合", dep.name, dep.role, ""))
    for ins in item.instruments:
        rows.append(("文件", f"《{ins.title}》", ins.action, "出台/制定" if ins.issued else "引用/落实"))
    if not rows:
        return ""
    body = "".join("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><tr><th>类别</th><th>原文</th><th>值</th><th>说明</th></tr>{body}</table>"


def render_extraction(doc: Document) -> str:
    """A self-contained HTML page showing ``doc`` with all its extractions highlighted."""
    outline = "".join(
        f'<a href="#item-{escape(it.item_id)}" style="padding-left:{(it.level - 1) * 14}px">'
        f"{escape(it.label)} {escape(doc.heading(it)[:40])}</a>"
        for it in doc.items
    )
    sections = []
    if doc.preamble:
        sections.append(f'<div class="preamble">{escape(doc.text[doc.preamble[0]:doc.preamble[1]].strip())}</div>')
    for it in doc.items:
        sections.append(
            f'<section id="item-{escape(it.item_id)}" class="l{it.level}">'
            f'<div class="text"><span class="id">{escape(it.item_id)}</span>'
            f"{highlight(doc.text, it.start, it.end, _spans(it))}</div>{_table(doc, it)}</section>"
        )
    counts = {
        "条目": len(doc.items),
        "数量": sum(len(i.quantities) for i in doc.items),
        "时限": sum(len(i.deadlines) for i in doc.items),
        "部门": sum(len(i.departments) for i in doc.items),
        "文件": sum(len(i.instruments) for i in doc.items),
    }
    summary = " · ".join(f"{k} {v}" for k, v in counts.items())
    # the file's name, not the path it was read from (which says where the researcher's folders are)
    name = PurePath(doc.source).name if doc.source else ""
    meta = " · ".join(escape(str(x)) for x in (doc.issuer, doc.year, doc.doc_number, name) if x)
    legend = "".join(f'<span style="background:{c}">{escape(n)}</span>' for n, c in KINDS.values())
    title = escape(doc.title or doc.doc_id)
    return (
        f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title>'
        f"<style>{_CSS}</style></head><body><header><h1>{title}</h1><p>{meta}</p><p>{summary}</p></header>"
        f'<div class="wrap"><nav>{outline}</nav><main><p class="legend">{legend}</p>{"".join(sections)}'
        f"</main></div></body></html>"
    )
