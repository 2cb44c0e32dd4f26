"""Compare a plan with the same issuer's earlier plans: aligned items, target changes, trajectories.

>>> cmp = compare([plan_2022, plan_2023])           # doctest: +SKIP
>>> tables = comparison_tables(cmp)                  # doctest: +SKIP
>>> tables["target_changes"][["subject", "old_value", "new_value", "change"]]  # doctest: +SKIP
"""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING

from ..model import Document, Item, ItemAlignment, TargetChange
from ..tables import TABLES
from .align import DEFAULT_THRESHOLD, align_items
from .changes import ItemChange, TargetDetail, item_changes, target_details
from .series import same_issuer
from .trajectory import TrajectoryPoint, trajectories

if TYPE_CHECKING:  # pandas costs ~0.3 s to import; the streaming CSV path does not need it
    import pandas as pd

# The columns come from the one declared schema (pipeline/tables.py); ``series`` is filled in corpus mode only.
ALIGNMENT_COLUMNS = [c for c in TABLES["alignment"].names if c != "series"]
TARGET_COLUMNS = [c for c in TABLES["target_changes"].names if c != "series"]
TRAJECTORY_COLUMNS = [c for c in TABLES["trajectories"].names if c != "series"]


@dataclass(slots=True)
class PairComparison:
    """One consecutive pair of plans: its alignment, target changes and per-item details."""

    old_doc: str
    new_doc: str
    alignments: list[ItemAlignment]
    targets: list[TargetDetail]
    items: list[ItemChange]
    # False: the two plans come from different issuers (items were not aligned unless asked); None: unknown
    same_issuer: bool | None = None
    _by_pair: dict[tuple[str, str], ItemChange] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_pair = {(ch.old_item_id, ch.new_item_id): ch for ch in self.items}

    def detail(self, old_item_id: str | None, new_item_id: str | None) -> ItemChange | None:
        """The details of a matched pair, or None for a new or dropped item."""
        if old_item_id is None or new_item_id is None:
            return None
        return self._by_pair.get((old_item_id, new_item_id))


@dataclass(slots=True)
class Comparison:
    """The comparison of plans given in chronological order; lists cover every consecutive pair."""

    documents: list[Document] = field(repr=False)
    pairs: list[PairComparison]
    trajectories: list[TrajectoryPoint]

    @property
    def alignments(self) -> list[ItemAlignment]:
        """Alignment rows of every consecutive pair, pair after pair."""
        return [a for p in self.pairs for a in p.alignments]

    @property
    def target_changes(self) -> list[TargetChange]:
        """Target changes of every consecutive pair, pair after pair."""
        return [t.change for p in self.pairs for t in p.targets]


def document_level(doc: Document) -> Document:
    """A plan without numbered items (a report's target paragraph) as one item spanning its body, with
    its quantities, deadlines, departments and instruments extracted, so that it can be compared too."""
    if doc.items:
        return doc
    from dataclasses import replace

    from ..extract import extract

    start = doc.body_start if 0 <= doc.body_start < len(doc.text) else 0
    whole = Item("1", None, 1, "", "document", start, len(doc.text), start, min(len(doc.text), start + 40))
    return extract(replace(doc, items=[whole], warnings=[*doc.warnings, "document_level: no numbered items"]))


def _unaligned(old: Document, new: Document) -> list[ItemAlignment]:
    nan = float("nan")
    return ([ItemAlignment(old.doc_id, new.doc_id, it.item_id, None, "dropped", nan) for it in old.items]
            + [ItemAlignment(old.doc_id, new.doc_id, None, it.item_id, "new", nan) for it in new.items])


def compare(docs: list[Document], *, threshold: float = DEFAULT_THRESHOLD,
            cross_issuer: str = "abstain") -> Comparison:
    """Align each plan with the next, report what changed, and follow targets across 3+ plans.

    Plans without numbered items are compared as one item each (:func:`document_level`). A pair whose
    plans come from different issuers (:func:`series.same_issuer`) has no carry-overs by definition: its
    items are listed as dropped and new, unless ``cross_issuer="align"``.

    Args:
        docs (list[Document]): extracted plans of one issuer, oldest first.
        threshold (float): minimum item similarity for a match (see :func:`align.align_items`).
        cross_issuer (str): ``abstain`` (default) or ``align`` for pairs of plans of different issuers.
    """
    if len(docs) < 2:
        raise ValueError(f"compare needs at least two plans, got {len(docs)}")
    if cross_issuer not in ("abstain", "align"):
        raise ValueError(f"cross_issuer must be 'abstain' or 'align', not {cross_issuer!r}")
    ids = [d.doc_id for d in docs]
    if len(set(ids)) != len(ids):
        raise ValueError(f"plans must have distinct doc_ids, got {ids}")
    docs = [document_level(d) for d in docs]
    pairs = []
    links: list[list[tuple[tuple[str, int], tuple[str, int]]]] = []  # paired targets of each pair of plans
    for old, new in pairwise(docs):
        same = same_issuer(old, new)
        if same is False and cross_issuer == "abstain":
            aligned = _unaligned(old, new)
        else:
            aligned = align_items(old, new, threshold=threshold)
        details = target_details(old, new, aligned, include_unchanged=True,
                                 across=same is not False or cross_issuer == "align")
        links.append([((d.change.old_item_id, d.old_index), (d.change.new_item_id, d.new_index)) for d in details
                      if d.old_index is not None and d.new_index is not None])
        targets = [d for d in details if d.change.change != "unchanged"]
        pairs.append(PairComparison(old.doc_id, new.doc_id, aligned, targets, item_changes(old, new, aligned), same))
    tracks = trajectories(docs, [p.alignments for p in pairs], links=links) if len(docs) >= 3 else []
    return Comparison(list(docs), pairs, tracks)


def _join(values: tuple[str, ...]) -> str:
    return ";".join(values)


def _text_changes(change: ItemChange | None) -> str:
    if change is None:
        return ""
    parts = []
    for op in change.diff:
        if op.tag == "replace":
            parts.append(f"{op.old} → {op.new}")
        elif op.tag == "delete":
            parts.append(f"删：{op.old}")
        elif op.tag == "insert":
            parts.append(f"增：{op.new}")
    return ";".join(parts)


def target_row(t: TargetDetail, labels_old: dict[str, str], labels_new: dict[str, str]) -> dict[str, object]:
    """One row of ``target_changes``: the change, Δ and % (of the old value), labels as written."""
    c = t.change
    both = c.old_value is not None and c.new_value is not None
    delta = round(c.new_value - c.old_value, 10) if both else None  # type: ignore[operator]
    pct = round(100 * delta / c.old_value, 1) if both and c.old_value and delta is not None else None
    return {"old_doc": c.old_doc, "new_doc": c.new_doc, "old_item_id": c.old_item_id, "new_item_id": c.new_item_id,
            "subject": c.subject, "unit": c.unit, "old_value": c.old_value, "new_value": c.new_value,
            "change": c.change, "delta": delta, "old_text": t.old_text, "new_text": t.new_text,
            "old_label": labels_old.get(c.old_item_id or "", ""), "new_label": labels_new.get(c.new_item_id or "", ""),
            "old_qualifier": t.old_qualifier, "new_qualifier": t.new_qualifier, "old_value_max": t.old_value_max,
            "new_value_max": t.new_value_max, "pct": pct, "moved": t.moved, "item_status": t.item_status}


TABLE_COLUMNS = {"alignment": ALIGNMENT_COLUMNS, "target_changes": TARGET_COLUMNS, "trajectories": TRAJECTORY_COLUMNS}


def comparison_tables(cmp: Comparison) -> dict[str, pd.DataFrame]:
    """The comparison as tables: ``alignment``, ``target_changes`` and ``trajectories`` (contract columns first)."""
    import pandas as pd

    rows = comparison_rows(cmp)
    tables = {name: pd.DataFrame(rows[name], columns=columns) for name, columns in TABLE_COLUMNS.items()}
    tables["trajectories"]["year"] = tables["trajectories"]["year"].astype("Int64")
    return tables


def comparison_rows(cmp: Comparison) -> dict[str, list[dict[str, object]]]:
    """The rows of :func:`comparison_tables` as plain dicts (no pandas: the CSV-only command line path)."""
    docs = {d.doc_id: d for d in cmp.documents}
    rows = []
    for pair in cmp.pairs:
        old, new = docs[pair.old_doc], docs[pair.new_doc]
        old_items = {it.item_id: it for it in old.items}
        new_items = {it.item_id: it for it in new.items}
        for a in pair.alignments:
            o = old_items.get(a.old_item_id or "")
            n = new_items.get(a.new_item_id or "")
            ch = pair.detail(a.old_item_id, a.new_item_id)
            rows.append({
                "old_doc": a.old_doc, "new_doc": a.new_doc, "old_item_id": a.old_item_id,
                "new_item_id": a.new_item_id, "old_heading": old.heading(o) if o else "",
                "new_heading": new.heading(n) if n else "", "status": a.status, "similarity": a.similarity,
                "old_label": o.label if o else "", "new_label": n.label if n else "",
                "confidence": a.confidence, "relation": a.relation, "moved": ch.moved if ch else None,
                "lead_change": f"{_join(ch.leads_before)} → {_join(ch.leads_after)}" if ch and ch.lead_changed else "",
                "deadline_change": (f"{_join(ch.deadlines_before)} → {_join(ch.deadlines_after)}"
                                    if ch and ch.deadlines_moved else ""),
                "instruments_added": _join(ch.instruments_added) if ch else "",
                "instruments_dropped": _join(ch.instruments_dropped) if ch else "",
                "text_changes": _text_changes(ch),
            })
    targets = []
    for pair in cmp.pairs:
        labels_old = {it.item_id: it.label for it in docs[pair.old_doc].items}
        labels_new = {it.item_id: it.label for it in docs[pair.new_doc].items}
        for t in pair.targets:
            targets.append(target_row(t, labels_old, labels_new))
    tracks = [{"subject": p.subject, "unit": p.unit, "year": p.year, "value": p.value, "doc_id": p.doc_id,
               "item_id": p.item_id, "target_id": p.target_id} for p in cmp.trajectories]
    return {"alignment": rows, "target_changes": targets, "trajectories": tracks}


__all__ = [
    "DEFAULT_THRESHOLD",
    "Comparison",
    "ItemChange",
    "PairComparison",
    "TargetDetail",
    "TrajectoryPoint",
    "align_items",
    "compare",
    "comparison_rows",
    "comparison_tables",
]

from .._stage import make_callable  # noqa: E402

make_callable(__name__)  # pipeline.compare(...) is the API function
