"""A target's value year by year across three or more plans, by chaining consecutive alignments."""
from __future__ import annotations

from dataclasses import dataclass

from ..model import Document, ItemAlignment
from .changes import not_targets, pair_quantities, qualified_subject

_Node = tuple[int, str, int]  # (plan index, item_id, quantity index within the item)


@dataclass(frozen=True, slots=True)
class TrajectoryPoint:
    """The value of one tracked target in one plan; ``target_id`` groups the points of one target."""

    target_id: int
    subject: str
    unit: str
    year: int | None
    value: float
    doc_id: str
    item_id: str


def _find(parent: dict[_Node, _Node], node: _Node) -> _Node:
    while parent[node] != node:
        parent[node] = parent[parent[node]]
        node = parent[node]
    return node


def trajectories(docs: list[Document], alignments: list[list[ItemAlignment]], *, min_plans: int = 2,
                 links: list[list[tuple[tuple[str, int], tuple[str, int]]]] | None = None) -> list[TrajectoryPoint]:
    """One point per tracked target per plan, for targets followed through at least ``min_plans`` plans.

    ``alignments[k]`` aligns ``docs[k]`` with ``docs[k + 1]``. A target is followed from one plan to the
    next through its item's partner and the quantity pairing of :func:`changes.pair_quantities`, so it
    keeps its identity when the item is renumbered or moved; ``links[k]`` (the target pairs of
    :func:`changes.target_details`) replaces that pairing, following targets that moved to another item. Points are ordered by target, then plan.
    """
    if len(alignments) != len(docs) - 1:
        raise ValueError(f"need {len(docs) - 1} alignments for {len(docs)} plans, got {len(alignments)}")
    items = [{it.item_id: it for it in doc.items} for doc in docs]
    parent: dict[_Node, _Node] = {}
    for k, doc in enumerate(docs):
        for it in doc.items:
            for q in range(len(it.quantities)):
                parent[(k, it.item_id, q)] = (k, it.item_id, q)
    if links is not None:  # the pairs of targets compare already made (moved targets included)
        for k, pair_links in enumerate(links):
            for (old_id, i), (new_id, j) in pair_links:
                parent[_find(parent, (k, old_id, i))] = _find(parent, (k + 1, new_id, j))
    for k, pair in enumerate(alignments if links is None else []):
        for a in pair:
            if a.old_item_id is None or a.new_item_id is None:
                continue
            old_it, new_it = items[k][a.old_item_id], items[k + 1][a.new_item_id]
            for i, j in pair_quantities(old_it.quantities, new_it.quantities,
                                        skip_old=not_targets(docs[k], old_it), skip_new=not_targets(docs[k + 1], new_it)):
                if i is not None and j is not None:
                    parent[_find(parent, (k, a.old_item_id, i))] = _find(parent, (k + 1, a.new_item_id, j))
    groups: dict[_Node, list[_Node]] = {}
    for node in parent:  # insertion order = plan, then item, then quantity order
        groups.setdefault(_find(parent, node), []).append(node)
    out: list[TrajectoryPoint] = []
    target_id = 0
    for nodes in groups.values():
        if len({k for k, _, _ in nodes}) < min_plans:
            continue
        k_last, id_last, q_last = nodes[-1]
        last_qs = items[k_last][id_last].quantities
        subject, unit = qualified_subject(last_qs, last_qs[q_last]), last_qs[q_last].unit
        target_id += 1
        for k, item_id, q in nodes:
            out.append(TrajectoryPoint(target_id, subject, unit, docs[k].year,
                                       items[k][item_id].quantities[q].value, docs[k].doc_id, item_id))
    return out
