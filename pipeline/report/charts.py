"""Charts for the comparison report, rendered with matplotlib to inline SVG (self-contained pages)."""
from __future__ import annotations

import io
import re
import warnings
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from ..model import Document, Item

if TYPE_CHECKING:
    from ..compare import Comparison, PairComparison

_FONTS = ["WenQuanYi Micro Hei", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "SimHei",
          "DejaVu Sans"]
_COLOURS = {"modified": "#f59e0b", "new": "#16a34a", "dropped": "#dc2626"}
_LABELS = {"modified": "修改", "new": "新增", "dropped": "删除"}


@contextmanager
def _quiet_glyphs() -> Iterator[None]:
    # Without a CJK font matplotlib warns once per missing glyph while it measures the labels; the SVG keeps
    # them as text for the browser to draw, so those warnings say nothing the reader needs.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from font")
        yield


def _svg(fig: object) -> str:
    import matplotlib.pyplot as plt

    buf = io.StringIO()
    with _quiet_glyphs():
        fig.savefig(buf, format="svg", bbox_inches="tight")  # type: ignore[attr-defined]
    plt.close(fig)  # type: ignore[arg-type]
    svg = buf.getvalue()
    svg = svg[svg.index("<svg") :]
    # Inline SVG in HTML needs neither namespace URLs nor the RDF metadata block.
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    return re.sub(r'\s+xmlns(?::\w+)?="[^"]*"', "", svg)


def _pyplot():  # type: ignore[no-untyped-def]
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["font.sans-serif"] = _FONTS
    plt.rcParams["axes.unicode_minus"] = False
    # Text stays text in the SVG: the reader's browser draws the Chinese labels with its own fonts, so the
    # charts read right on a machine where matplotlib knows no CJK font (it then only measures the labels).
    plt.rcParams["svg.fonttype"] = "none"
    return plt


def _section(doc: Document, item_id: str | None) -> str:
    if not item_id:
        return ""
    by_id = {it.item_id: it for it in doc.items}
    item: Item | None = by_id.get(item_id)
    while item is not None and item.parent_id:
        item = by_id.get(item.parent_id)
    if item is None:
        return ""
    return f"{item.label}{doc.heading(item)[:14]}"


def section_changes_chart(pair: PairComparison, old: Document, new: Document) -> str:
    """Counts of modified / new / dropped items per section (the new plan's sections; dropped: old's)."""
    counts: dict[str, Counter[str]] = {}
    order: list[str] = []
    for a in pair.alignments:
        if a.status == "unchanged":
            continue
        section = _section(old, a.old_item_id) if a.status == "dropped" else _section(new, a.new_item_id)
        section = section or "（无章节）"
        if section not in counts:
            counts[section] = Counter()
            order.append(section)
        counts[section][a.status] += 1
    if not counts:
        return ""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(order) + 1.2))
    left = [0] * len(order)
    ys = list(range(len(order)))[::-1]
    for status in ("modified", "new", "dropped"):
        values = [counts[s][status] for s in order]
        ax.barh(ys, values, left=left, color=_COLOURS[status], label=_LABELS[status])
        left = [a + b for a, b in zip(left, values)]
    ax.set_yticks(ys, order)
    ax.set_xlabel("条目数")
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlim(left=0)
    ax.legend(loc="lower right", frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig)


def trajectory_chart(cmp: Comparison, *, limit: int = 12) -> str:
    """Small multiples: each tracked target whose value moved, plotted against the plan year."""
    series: dict[int, list[tuple[int, float]]] = {}
    names: dict[int, str] = {}
    for p in cmp.trajectories:
        if p.year is not None:
            series.setdefault(p.target_id, []).append((p.year, p.value))
            names[p.target_id] = f"{p.subject[:16]}（{p.unit}）" if p.unit else p.subject[:16]
    moving = [t for t, pts in series.items() if len({v for _, v in pts}) > 1][:limit]
    if not moving:
        return ""
    plt = _pyplot()
    cols = min(3, len(moving))
    rows = (len(moving) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(3.4 * cols, 2.4 * rows), squeeze=False)
    for ax in axes.flat[len(moving):]:
        ax.axis("off")
    for ax, t in zip(axes.flat, moving):
        pts = sorted(series[t])
        ax.plot([y for y, _ in pts], [v for _, v in pts], marker="o", color="#1e3a8a")
        for y, v in pts:
            ax.annotate(f"{v:g}", (y, v), textcoords="offset points", xytext=(0, 5), ha="center", fontsize=8)
        ax.set_title(names[t], fontsize=9)
        ax.set_xticks(sorted({y for y, _ in pts}))
        ax.spines[["top", "right"]].set_visible(False)
        ax.margins(y=0.25)
        low = min(v for _, v in pts)
        if low >= 0:  # a target's movement is read against zero, not against a cropped axis
            ax.set_ylim(bottom=0)
    with _quiet_glyphs():
        fig.tight_layout()
    return _svg(fig)
