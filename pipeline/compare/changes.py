"""What changed inside each matched pair of items: targets, lead departments, deadlines, instruments, words.

Quantities are paired by what they count: first by (subject, unit) — with the total a breakdown belongs
to, so the 幼儿园 of 新建 and the 幼儿园 of 竣工 stay apart — then, for what is left, by unit and order
when the subjects differ only slightly (character overlap). Only real changes are reported.
"""
from __future__ import annotations

import difflib
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np

from ..extract.departments import canonical
from ..model import Document, Item, ItemAlignment, Quantity, TargetChange
from .align import body, normalise, tokens

SUBJECT_MIN_OVERLAP = 0.5


@dataclass(frozen=True, slots=True)
class DiffOp:
    """One step of a word-level diff: ``tag`` is equal / delete / insert / replace (difflib's opcodes)."""

    tag: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class TargetDetail:
    """A target change together with the spans as written (``72%以上`` -> ``80%以上``)."""

    change: TargetChange
    old_text: str
    new_text: str


@dataclass(frozen=True, slots=True)
class ItemChange:
    """Everything that differs between two matched items besides their targets."""

    old_item_id: str
    new_item_id: str
    moved: bool  # the item sits under a different section than its old section's partner
    leads_before: tuple[str, ...]
    leads_after: tuple[str, ...]
    deadlines_before: tuple[str, ...]
    deadlines_after: tuple[str, ...]
    deadlines_moved: bool
    instruments_added: tuple[str, ...]
    instruments_dropped: tuple[str, ...]
    diff: tuple[DiffOp, ...]

    @property
    def lead_changed(self) -> bool:
        """True when the set of lead departments differs (order and co-departments aside)."""
        return set(self.leads_before) != set(self.leads_after)


def subject_overlap(a: str, b: str) -> float:
    """Character overlap of two subjects (Dice over character counts); 1.0 when both are empty."""
    if not a and not b:
        return 1.0
    shared = sum((Counter(a) & Counter(b)).values())
    return 2 * shared / (len(a) + len(b))


def qualified_subject(quantities: list[Quantity], q: Quantity) -> str:
    """The subject, prefixed by its total's subject for a breakdown: ``新建、改扩建学校（其中幼儿园）``."""
    if q.part_of is not None and 0 <= q.part_of < len(quantities):
        total = quantities[q.part_of].subject
        if total and total != q.subject:
            return f"{total}（其中{q.subject}）"
    return q.subject


def pair_quantities(old: list[Quantity], new: list[Quantity]) -> list[tuple[int | None, int | None]]:
    """Pair two items' quantities: same (subject, unit) in order, then same unit by subject overlap.

    Returns ``(old_index, new_index)`` pairs in new order, then removed ones as ``(i, None)``; an added
    quantity is ``(None, j)``.
    """
    keys_old = [(qualified_subject(old, q), q.unit) for q in old]
    keys_new = [(qualified_subject(new, q), q.unit) for q in new]
    waiting: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, key in enumerate(keys_old):
        waiting[key].append(i)
    match: dict[int, int] = {}
    for j, key in enumerate(keys_new):
        if waiting[key]:
            match[j] = waiting[key].pop(0)
    used = set(match.values())
    left_old = [i for i in range(len(old)) if i not in used]
    left_new = [j for j in range(len(new)) if j not in match]
    if left_old and left_new:
        score = np.array([[subject_overlap(keys_old[i][0], keys_new[j][0])
                           if keys_old[i][1] == keys_new[j][1] else 0.0 for j in left_new] for i in left_old])
        order = np.abs(np.arange(len(left_old))[:, None] - np.arange(len(left_new))[None, :])
        from scipy.optimize import linear_sum_assignment

        r, c = linear_sum_assignment(-np.where(score >= SUBJECT_MIN_OVERLAP, score, 0.0) + 1e-3 * order)
        for a, b in zip(r, c):
            if score[a, b] >= SUBJECT_MIN_OVERLAP:
                match[left_new[b]] = left_old[a]
    used = set(match.values())
    pairs: list[tuple[int | None, int | None]] = [(match.get(j), j) for j in range(len(new))]
    pairs += [(i, None) for i in range(len(old)) if i not in used]
    return pairs


def classify(old: Quantity | None, new: Quantity | None) -> str:
    """``added`` / ``removed`` / ``increased`` / ``decreased`` / ``unchanged`` (ranges compare low, then high)."""
    if old is None:
        return "added"
    if new is None:
        return "removed"
    before = (old.value, old.value_max if old.value_max is not None else old.value)
    after = (new.value, new.value_max if new.value_max is not None else new.value)
    if after == before:
        return "unchanged"
    return "increased" if after > before else "decreased"


def _items(doc: Document) -> dict[str, Item]:
    return {it.item_id: it for it in doc.items}


def _matched(alignments: list[ItemAlignment]) -> list[ItemAlignment]:
    return [a for a in alignments if a.old_item_id is not None and a.new_item_id is not None]


def target_details(old: Document, new: Document, alignments: list[ItemAlignment], *,
                   include_unchanged: bool = False) -> list[TargetDetail]:
    """Target changes of every matched pair, with the spans as written; see :func:`target_changes`."""
    old_items, new_items = _items(old), _items(new)
    out = []
    for a in _matched(alignments):
        o_it, n_it = old_items[a.old_item_id], new_items[a.new_item_id]  # type: ignore[index]
        for i, j in pair_quantities(o_it.quantities, n_it.quantities):
            oq = None if i is None else o_it.quantities[i]
            nq = None if j is None else n_it.quantities[j]
            change = classify(oq, nq)
            if change == "unchanged" and not include_unchanged:
                continue
            ref, items = (nq, n_it.quantities) if nq is not None else (oq, o_it.quantities)
            assert ref is not None
            out.append(TargetDetail(
                TargetChange(a.old_doc, a.new_doc, a.old_item_id, a.new_item_id, qualified_subject(items, ref),
                             ref.unit, None if oq is None else oq.value, None if nq is None else nq.value, change),
                "" if oq is None else old.text[oq.start : oq.end],
                "" if nq is None else new.text[nq.start : nq.end],
            ))
    return out


def target_changes(old: Document, new: Document, alignments: list[ItemAlignment], *,
                   include_unchanged: bool = False) -> list[TargetChange]:
    """For every matched pair of items, each target whose value changed, was added or was removed.

    A target is a quantity of the item (value + unit + what it counts). Targets whose value did not
    change are left out unless ``include_unchanged``; items that are new or dropped contribute nothing
    (the alignment already reports them).
    """
    return [d.change for d in target_details(old, new, alignments, include_unchanged=include_unchanged)]


def word_diff(old_text: str, new_text: str) -> tuple[DiffOp, ...]:
    """Word-level diff of two texts (jieba tokens, difflib), compared after width/space normalisation."""
    a, b = tokens(old_text), tokens(new_text)
    matcher = difflib.SequenceMatcher(None, [normalise(t) for t in a], [normalise(t) for t in b], autojunk=False)
    return tuple(DiffOp(tag, "".join(a[i1:i2]), "".join(b[j1:j2]))
                 for tag, i1, i2, j1, j2 in matcher.get_opcodes())


def _deadline_keys(doc: Document, item: Item) -> tuple[list[tuple[str, ...]], tuple[str, ...]]:
    """Deadlines relative to the plan year (``年底前`` in 2022 and in 2023 is the same), and as written."""
    keys: list[tuple[str, ...]] = []
    shown: list[str] = []
    for d in item.deadlines:
        written = doc.text[d.start : d.end]
        if d.date and doc.year and d.date[:4].isdigit():
            keys.append((str(int(d.date[:4]) - doc.year), d.date[4:], d.granularity))
        else:
            keys.append(("text", normalise(written)))
        shown.append(f"{written}（{d.date}）" if d.date else written)
    return sorted(keys), tuple(shown)


def _issued(item: Item) -> list[str]:
    seen: dict[str, None] = {}
    for ins in item.instruments:
        if ins.issued:
            seen[unicodedata.normalize("NFKC", ins.title).strip()] = None
    return list(seen)


def item_changes(old: Document, new: Document, alignments: list[ItemAlignment]) -> list[ItemChange]:
    """Details of every matched pair: section move, lead departments, deadlines, instruments, word diff.

    Instruments count when the item promises to issue them (出台/制定/印发…); a title only cited is
    context, so ``出台《X》`` becoming ``落实《X》`` shows X as dropped from the promises.
    """
    old_items, new_items = _items(old), _items(new)
    partner = {a.old_item_id: a.new_item_id for a in _matched(alignments)}
    out = []
    for a in _matched(alignments):
        o_it, n_it = old_items[a.old_item_id], new_items[a.new_item_id]  # type: ignore[index]
        moved = partner.get(o_it.parent_id) != n_it.parent_id if o_it.parent_id or n_it.parent_id else False
        d_old, shown_old = _deadline_keys(old, o_it)
        d_new, shown_new = _deadline_keys(new, n_it)
        ins_old, ins_new = _issued(o_it), _issued(n_it)
        out.append(ItemChange(
            o_it.item_id, n_it.item_id, moved,
            tuple(canonical(d.name) for d in o_it.departments if d.role == "lead"),
            tuple(canonical(d.name) for d in n_it.departments if d.role == "lead"),
            shown_old, shown_new, d_old != d_new,
            tuple(t for t in ins_new if t not in ins_old), tuple(t for t in ins_old if t not in ins_new),
            () if a.status == "unchanged" else word_diff(body(old, o_it), body(new, n_it)),
        ))
    return out
