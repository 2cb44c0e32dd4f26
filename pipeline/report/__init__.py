"""HTML reports a researcher reads in a browser: self-contained pages, inline CSS, no scripts.

Every piece of document text goes through :func:`html.escape`, so markup inside a plan shows as text.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING

from ..model import Document, Item, ItemAlignment

if TYPE_CHECKING:  # the compare stack loads only when a comparison is rendered
    from ..compare import Comparison, PairComparison
    from ..compare.changes import DiffOp, ItemChange, TargetDetail

STATUS_LABELS = {"unchanged": "未变", "modified": "修改", "new": "新增", "dropped": "删除"}
CHANGE_LABELS = {"increased": "提高", "decreased": "降低", "qualifier": "限定词变化", "added": "新增", "removed": "删除",
                 "unchanged": "未变"}

_CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:2em auto;max-width:1200px;
color:#222;line-height:1.6;padding:0 1em}
h1{font-size:1.5em}h2{font-size:1.25em;border-bottom:2px solid #446;padding-bottom:.2em;margin-top:2em}
h3{font-size:1.05em;margin-top:1.5em}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccd;padding:.35em .5em;vertical-align:top}
th{background:#eef;text-align:left}
.side td{width:46%}.side td.st{width:8%;white-space:nowrap;text-align:center}
.summary span{display:inline-block;margin-right:1.2em;padding:.2em .6em;border-radius:4px;background:#f3f3f7}
tr.new td.newc{background:#eefbea}tr.dropped td.oldc{background:#fdeeee}
tr.section td{font-weight:bold;background:#f6f6fb}
del{background:#fcd5d5;color:#800;text-decoration:line-through}ins{background:#cdf5cd;color:#050;text-decoration:none}
.badge{font-size:.85em;padding:.05em .45em;border-radius:3px;color:#fff;background:#889}
.badge.modified{background:#c80}.badge.new{background:#383}.badge.dropped{background:#b33}.badge.unchanged{background:#99a}
.label{color:#446;font-weight:bold;margin-right:.2em}.note{font-size:.9em;color:#555;margin-top:.3em}
.arrow{color:#446;font-weight:bold}.empty{color:#999}
details summary{cursor:pointer}
.flt label{margin-right:.8em;cursor:pointer}.flt input{margin-right:.2em}
.num{text-align:right;white-space:nowrap}
"""
# Filter by change kind without a script: a radio button per kind hides the other kinds' rows.
_KINDS = ("increased", "decreased", "qualifier", "added", "removed")
_CSS += "".join(f".flt input.k-{k}:checked~table tr.t:not(.{k}){{display:none}}" for k in _KINDS)


class _Side:
    """A plan with its items by id and the ids of its section headings, looked up once per pair."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.items = {it.item_id: it for it in doc.items}
        self.sections = {it.parent_id for it in doc.items if it.parent_id is not None}


def _diff_html(diff: tuple[DiffOp, ...], side: str) -> str:
    parts = []
    for op in diff:
        if op.tag == "equal":
            parts.append(escape(op.old if side == "old" else op.new))
        elif side == "old" and op.old:
            parts.append(f"<del>{escape(op.old)}</del>")
        elif side == "new" and op.new:
            parts.append(f"<ins>{escape(op.new)}</ins>")
    return "".join(parts)


def _value(text: str) -> str:
    return escape(text) if text else '<span class="empty">—</span>'


def _target_line(t: TargetDetail) -> str:
    c = t.change
    return (f"{escape(c.subject) or '（未识别对象）'}：{_value(t.old_text)} <span class=\"arrow\">→</span> "
            f"{_value(t.new_text)}（{CHANGE_LABELS.get(c.change, escape(c.change))}）")


def _notes(change: ItemChange | None, targets: list[TargetDetail]) -> str:
    notes = []
    if change is not None:
        if change.moved:
            notes.append("调整了所在部分")
        if change.lead_changed:
            notes.append(f"牵头：{escape('、'.join(change.leads_before)) or '—'} <span class=\"arrow\">→</span> "
                         f"{escape('、'.join(change.leads_after)) or '—'}")
        if change.deadlines_moved:
            notes.append(f"时限：{escape('；'.join(change.deadlines_before)) or '—'} <span class=\"arrow\">→</span> "
                         f"{escape('；'.join(change.deadlines_after)) or '—'}")
        if change.instruments_added:
            notes.append("新增文件：" + escape("；".join(f"《{t}》" for t in change.instruments_added)))
        if change.instruments_dropped:
            notes.append("不再列出的文件：" + escape("；".join(f"《{t}》" for t in change.instruments_dropped)))
    notes += [_target_line(t) for t in targets]
    return "".join(f'<div class="note">{n}</div>' for n in notes)


def _cell(doc: Document, item: Item | None, text_html: str | None, *, collapse: bool) -> str:
    if item is None:
        return '<span class="empty">（无对应条目）</span>'
    from ..compare.align import body

    label = f'<span class="label">{escape(item.label)}</span>'
    content = text_html if text_html is not None else escape(body(doc, item))
    if collapse:
        return f"<details><summary>{label}{escape(doc.heading(item))}</summary>{content}</details>"
    return label + content


def _row(pair: PairComparison, a: ItemAlignment, sides: tuple[_Side, _Side], targets: list[TargetDetail]) -> str:
    old, new = sides
    o = old.items.get(a.old_item_id) if a.old_item_id else None
    n = new.items.get(a.new_item_id) if a.new_item_id else None
    change = pair.detail(a.old_item_id, a.new_item_id)
    diff = change.diff if change is not None and change.diff else None
    section = (a.new_item_id in new.sections) if a.new_item_id else (a.old_item_id in old.sections)
    collapse = a.status == "unchanged" and not section and not (change and change.moved)
    sim = "" if a.similarity != a.similarity else f"<br><small>{a.similarity:.3f}</small>"
    if a.relation:  # a second partner: two old items went into one new one (merge), or the reverse
        sim += f"<br><small>{'合并 merge' if a.relation == 'merge' else '拆分 split'}</small>"
    cls = f"{a.status}{' section' if section else ''}"
    return (f'<tr class="{cls}"><td class="oldc">'
            f'{_cell(old.doc, o, _diff_html(diff, "old") if diff else None, collapse=collapse)}'
            f'</td><td class="st"><span class="badge {a.status}">{STATUS_LABELS[a.status]}</span>{sim}</td>'
            f'<td class="newc">{_cell(new.doc, n, _diff_html(diff, "new") if diff else None, collapse=collapse)}'
            f"{_notes(change, targets)}</td></tr>")


def _doc_name(doc: Document) -> str:
    title = doc.title or doc.doc_id
    return f"{escape(title)}（{escape(doc.doc_id)}{'，' + str(doc.year) if doc.year else ''}）"


def _where(side: _Side, item_id: str | None) -> str:
    """An item as the plan writes it: its label (``（九）``), or its heading's start for an unlabelled one."""
    item = side.items.get(item_id) if item_id else None
    if item is None:
        return "—"
    return escape(item.label or side.doc.heading(item)[:10] or item.item_id)


def _number(value: float | None, digits: int = 10) -> str:
    return "" if value is None else escape(f"{round(value, digits):g}")


def _targets_html(pair: PairComparison, sides: tuple[_Side, _Side]) -> str:
    """Target changes with labels as written, Δ and % of the old value, and a filter by kind of change."""
    if not pair.targets:
        return "<p>没有目标数值变化。</p>"
    rows = []
    for t in pair.targets:
        c = t.change
        both = c.old_value is not None and c.new_value is not None
        delta = c.new_value - c.old_value if both else None  # type: ignore[operator]
        pct = 100 * delta / c.old_value if both and c.old_value and delta is not None else None
        note = CHANGE_LABELS.get(c.change, escape(c.change))
        if t.moved:
            note += "（移至其他条目）"
        elif t.item_status != "matched":
            note += "（条目新增）" if t.item_status == "new" else "（条目删除）"
        rows.append(f'<tr class="t {escape(c.change)}"><td>{_where(sides[0], c.old_item_id)} <span class="arrow">→'
                    f'</span> {_where(sides[1], c.new_item_id)}</td><td>{escape(c.subject) or "（未识别对象）"}</td>'
                    f'<td>{escape(c.unit)}</td><td>{_value(t.old_text)} <span class="arrow">→</span> '
                    f'{_value(t.new_text)}</td><td class="num">{_number(delta)}</td>'
                    f'<td class="num">{"" if pct is None else f"{pct:+.1f}%"}</td><td>{note}</td></tr>')
    present = [k for k in _KINDS if any(t.change.change == k for t in pair.targets)]
    name = escape(f"kind-{pair.old_doc}-{pair.new_doc}")
    radios = f'<input type="radio" name="{name}" id="{name}-all" checked><label for="{name}-all">全部</label>'
    radios += "".join(f'<input type="radio" class="k-{k}" name="{name}" id="{name}-{k}">'
                      f'<label for="{name}-{k}">{CHANGE_LABELS[k]}</label>' for k in present)
    return (f'<div class="flt">筛选 filter：{radios}<table><tr><th>条目（旧 → 新）</th><th>指标</th><th>单位</th>'
            f'<th>旧 → 新</th><th>Δ</th><th>%</th><th>变化</th></tr>{"".join(rows)}</table></div>')


_BAR_COLOURS = {"modified": "#f59e0b", "new": "#16a34a", "dropped": "#dc2626"}


def _top_section(side: _Side, item_id: str | None) -> str:
    item = side.items.get(item_id) if item_id else None
    while item is not None and item.parent_id and item.parent_id in side.items:
        item = side.items[item.parent_id]
    return "" if item is None else f"{item.label}{side.doc.heading(item)[:14]}"


def _section_bars(pair: PairComparison, old: Document, new: Document) -> str:
    """Modified / new / dropped items per section (the new plan's sections; dropped: the old plan's) as an
    inline SVG drawn here: its labels are text the browser sets in its own fonts, so Chinese shows on any
    machine, and a two-plan comparison loads no plotting library."""
    sides = (_Side(old), _Side(new))
    counts: dict[str, Counter[str]] = {}
    for a in pair.alignments:
        if a.status == "unchanged" or a.relation:
            continue
        section = _top_section(sides[0], a.old_item_id) if a.status == "dropped" else _top_section(sides[1], a.new_item_id)
        counts.setdefault(section or "（无章节）", Counter())[a.status] += 1
    if not counts:
        return ""
    widest = max(sum(c.values()) for c in counts.values())
    label_w, bar_w, row_h = 250, 440, 24
    height = row_h * len(counts) + 40
    parts = [f'<svg width="{label_w + bar_w + 60}" height="{height}" role="img" aria-label="各章节条目变化" '
             f'style="font-size:13px">']
    for k, (section, c) in enumerate(counts.items()):
        y = 8 + k * row_h
        parts.append(f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end">{escape(section)}</text>')
        x = float(label_w)
        for status in ("modified", "new", "dropped"):
            if c[status]:
                w = bar_w * c[status] / widest
                parts.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_h - 8}" '
                             f'fill="{_BAR_COLOURS[status]}"><title>{STATUS_LABELS[status]} {c[status]}</title></rect>')
                x += w
        parts.append(f'<text x="{x + 6:.1f}" y="{y + 15}">{sum(c.values())}</text>')
    y = 8 + len(counts) * row_h + 10
    for k, status in enumerate(("modified", "new", "dropped")):
        x = label_w + 90 * k
        parts.append(f'<rect x="{x}" y="{y}" width="12" height="12" fill="{_BAR_COLOURS[status]}"></rect>'
                     f'<text x="{x + 16}" y="{y + 11}">{STATUS_LABELS[status]}</text>')
    return "".join(parts) + "</svg>"


def _chart(draw: Callable[..., str], *args: object) -> str:
    """A chart, or a visible note when the plotting library cannot draw the plan's text (matplotlib
    reads ``$...$`` in a label as mathematics and fails on ``$\\frac$``): the report is written anyway."""
    try:
        return draw(*args)
    except Exception as exc:  # noqa: BLE001 - any plotting failure must not cost the report
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f'<p class="note">（图表无法绘制 chart not drawn：{escape(type(exc).__name__)}: {escape(first)}）</p>'


def _pair_html(pair: PairComparison, old: Document, new: Document) -> str:
    counts = Counter(a.status for a in pair.alignments)
    summary = "".join(f"<span>{STATUS_LABELS[s]} {s}：<b>{counts.get(s, 0)}</b></span>" for s in STATUS_LABELS)
    summary += f"<span>目标变化 targets changed：<b>{len(pair.targets)}</b></span>"
    by_pair: dict[tuple[str | None, str | None], list[TargetDetail]] = {}
    for t in pair.targets:
        by_pair.setdefault((t.change.old_item_id, t.change.new_item_id), []).append(t)
    sides = (_Side(old), _Side(new))
    targets = _targets_html(pair, sides) + _departments_html(pair, sides)
    rows = "".join(_row(pair, a, sides, by_pair.get((a.old_item_id, a.new_item_id), []))
                   for a in pair.alignments)
    chart = _section_bars(pair, old, new)
    chart = f'<h3>各章节条目变化</h3><div class="chart">{chart}</div>' if chart else ""
    return (f"<section><h2>{_doc_name(old)} → {_doc_name(new)}</h2><p class=\"summary\">{summary}</p>"
            f"{chart}<h3>目标变化</h3>{targets}<h3>逐条对照</h3>"
            f'<table class="side"><tr><th>旧：{escape(old.doc_id)}</th><th>状态</th><th>新：{escape(new.doc_id)}</th></tr>'
            f"{rows}</table></section>")


def _trajectories_html(cmp: Comparison, docs: list[Document]) -> str:
    if not cmp.trajectories:
        return ""
    order = [d.doc_id for d in docs]
    header = "".join(f"<th>{escape(d.doc_id)}{'（' + str(d.year) + '）' if d.year else ''}</th>" for d in docs)
    tracks: dict[int, dict[str, str]] = {}
    names: dict[int, str] = {}
    for p in cmp.trajectories:
        tracks.setdefault(p.target_id, {})[p.doc_id] = f"{p.value:g}"
        names[p.target_id] = f"{escape(p.subject)}（{escape(p.unit)}）"
    rows = "".join(f"<tr><td>{names[t]}</td>" + "".join(f"<td>{v.get(d, '—')}</td>" for d in order) + "</tr>"
                   for t, v in tracks.items() if len(set(v.values())) > 1)
    if not rows:
        return "<h2>目标走势</h2><p>所跟踪的目标在各年计划中数值未变。</p>"
    from .charts import trajectory_chart

    chart = _chart(trajectory_chart, cmp)
    return (f"<h2>目标走势（数值有变化的目标）</h2><div class=\"chart\">{chart}</div>"
            f"<table><tr><th>指标</th>{header}</tr>{rows}</table>")


def _leads(item: Item | None) -> list[str]:
    from ..extract.departments import canonical

    if item is None:
        return []
    return list(dict.fromkeys(canonical(d.name) for d in item.departments if d.role == "lead")) or ["（未注明）"]


def _departments_html(pair: PairComparison, sides: tuple[_Side, _Side]) -> str:
    """Per lead department: items led in the old and the new plan, and what changed among them."""
    rows: dict[str, Counter[str]] = {}
    for a in pair.alignments:
        o = sides[0].items.get(a.old_item_id) if a.old_item_id else None
        n = sides[1].items.get(a.new_item_id) if a.new_item_id else None
        if (o and o.item_id in sides[0].sections) or (n and n.item_id in sides[1].sections):
            continue
        for dept in _leads(o):
            rows.setdefault(dept, Counter())["old"] += 1
        for dept in _leads(n if n is not None else o):
            rows.setdefault(dept, Counter())[a.status] += 1
            rows[dept]["new_total"] += n is not None
    for t in pair.targets:
        item = sides[1].items.get(t.change.new_item_id or "") or sides[0].items.get(t.change.old_item_id or "")
        for dept in _leads(item):
            rows.setdefault(dept, Counter())["targets"] += 1
    if set(rows) <= {"（未注明）"}:
        return ""
    body = "".join(f"<tr><td>{escape(d)}</td><td class=\"num\">{c['old']}</td><td class=\"num\">{c['new_total']}</td>"
                   f"<td class=\"num\">{c['modified']}</td><td class=\"num\">{c['new']}</td>"
                   f"<td class=\"num\">{c['dropped']}</td><td class=\"num\">{c['targets']}</td></tr>"
                   for d, c in sorted(rows.items(), key=lambda dc: (-dc[1]["new_total"] - dc[1]["old"], dc[0])))
    return ("<h3>按牵头单位</h3><table><tr><th>牵头单位</th><th>旧计划条目</th><th>新计划条目</th><th>修改</th>"
            f"<th>新增</th><th>删除</th><th>目标变化</th></tr>{body}</table>")


def _items_across_years(cmp: Comparison, docs: list[Document]) -> str:
    """Three plans or more: each item followed through the plans (label and heading as written)."""
    if len(docs) < 3:
        return ""
    by_id = {d.doc_id: d for d in docs}
    col = {d.doc_id: k for k, d in enumerate(docs)}
    chains: dict[tuple[int, str], list[str | None]] = {}
    for pair in cmp.pairs:
        for a in pair.alignments:
            if a.relation or a.old_item_id is None or a.new_item_id is None:
                continue
            chain = chains.pop((col[a.old_doc], a.old_item_id), None) or [None] * len(docs)
            if chain[col[a.old_doc]] is None:
                chain[col[a.old_doc]] = a.old_item_id
            chain[col[a.new_doc]] = a.new_item_id
            chains[(col[a.new_doc], a.new_item_id)] = chain
    sides = [_Side(d) for d in docs]
    rows = []
    for chain in chains.values():
        if sum(x is not None for x in chain) < 3:
            continue
        cells = []
        for k, item_id in enumerate(chain):
            item = sides[k].items.get(item_id) if item_id else None
            cells.append("<td>—</td>" if item is None else
                         f'<td><span class="label">{escape(item.label)}</span>{escape(by_id[docs[k].doc_id].heading(item))}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    if not rows:
        return ""
    header = "".join(f"<th>{escape(d.doc_id)}{'（' + str(d.year) + '）' if d.year else ''}</th>" for d in docs)
    return f"<h2>条目跨年对照</h2><table><tr>{header}</tr>{''.join(rows)}</table>"


def render_comparison(cmp: Comparison, docs: list[Document]) -> str:
    """A self-contained HTML page: per pair of plans, summary counts, target changes (旧 → 新) and the
    two plans side by side item by item with word-level changes as ``<del>``/``<ins>``.

    Args:
        cmp (Comparison): the result of :func:`pipeline.compare.compare`.
        docs (list[Document]): the same plans, oldest first.
    """
    by_id = {d.doc_id: d for d in docs}
    pairs = "".join(_pair_html(p, by_id[p.old_doc], by_id[p.new_doc]) for p in cmp.pairs)
    plans = "".join(f"<li>{_doc_name(d)}</li>" for d in docs)
    title = escape(" → ".join(d.doc_id for d in docs))
    return (f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>planscope 对比：{title}</title><style>{_CSS}</style></head><body>"
            f"<h1>计划对比</h1><ol>{plans}</ol>{pairs}{_trajectories_html(cmp, docs)}"
            f"{_items_across_years(cmp, docs)}</body></html>\n")


__all__ = ["render_comparison"]
