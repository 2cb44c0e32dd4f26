"""What changed between two plans: targets across the whole plan, and per matched item its lead
departments, deadlines, instruments and words.

A target (a quantity: value, unit, what it counts) is paired with its counterpart first inside each
matched pair of items, then across the whole plan for targets that moved to another item (same unit,
nearly the same subject). Targets left over are listed as ``added`` or ``removed`` with the item they
sit in, also when that item is new or dropped. A pair whose value is the same but whose qualifier
(``左右`` -> ``以上``) or range differs is a change too.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from ..extract.departments import canonical
from ..model import Document, Item, ItemAlignment, Quantity, TargetChange
from .align import body, normalise

SUBJECT_MIN_OVERLAP = 0.5
# The same value, unit and qualifier is the same target even when its subject was read a little differently.
SAME_VALUE_MIN_OVERLAP = 0.25
# A target that left its item must name nearly the same thing in its new place.
MOVED_MIN_OVERLAP = 0.8
_SELF_COUNT = re.compile(r"目标|任务|指标|实事")
_REPORTED = re.compile(r"同比|预计|累计|已完成|已建成|截至|实际完成")
_COMMITTED = re.compile(r"力争|确保|达到|不低于|不少于")
_CLAUSE = re.compile(r"[，。；：,;:]")
# Subjects that differ in the administrative level they name count different things (省级名师 vs 市级名师).
_LEVEL = re.compile(r"国家级|国家|省级|省|市级|市|区级|区|县级|县|镇级|校级")


@dataclass(frozen=True, slots=True)
class DiffOp:
    """One step of a diff: ``tag`` is equal / delete / insert / replace (difflib's opcodes)."""

    tag: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class TargetDetail:
    """A target change with the spans as written (``72%以上`` -> ``80%以上``) and how it was paired.

    ``moved`` is True when the target was found in an item that is not its item's partner;
    ``item_status`` is ``matched`` or, for a target listed with its item, ``new`` / ``dropped``.
    """

    change: TargetChange
    old_text: str
    new_text: str
    old_qualifier: str = ""
    new_qualifier: str = ""
    old_value_max: float | None = None
    new_value_max: float | None = None
    moved: bool = False
    item_status: str = "matched"
    old_index: int | None = None  # the quantity's index within its item (old / new side), for trajectories
    new_index: int | None = None


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


def _levels_differ(a: str, b: str) -> bool:
    la, lb = {m.rstrip("级") for m in _LEVEL.findall(a)}, {m.rstrip("级") for m in _LEVEL.findall(b)}
    return bool(la and lb and la != lb)


def qualified_subject(quantities: list[Quantity], q: Quantity) -> str:
    """The subject, prefixed by its total's subject for a breakdown: ``新建、改扩建学校（其中幼儿园）``."""
    if q.part_of is not None and 0 <= q.part_of < len(quantities):
        total = quantities[q.part_of].subject
        if total and total != q.subject:
            return f"{total}（其中{q.subject}）"
    return q.subject


def _same_value(a: Quantity, b: Quantity) -> bool:
    return (a.unit, a.value, a.value_max, a.qualifier) == (b.unit, b.value, b.value_max, b.qualifier)


def _match_by(keys_old: list, keys_new: list, match: dict[int, int]) -> None:
    """Pair equal keys in order among the quantities not yet paired (None keys never pair)."""
    used = set(match.values())
    waiting: dict[object, list[int]] = defaultdict(list)
    for i, key in enumerate(keys_old):
        if i not in used and key is not None:
            waiting[key].append(i)
    for j, key in enumerate(keys_new):
        if j not in match and key is not None and waiting.get(key):
            match[j] = waiting[key].pop(0)


def pair_quantities(old: list[Quantity], new: list[Quantity], *, skip_old: Collection[int] = (),
                    skip_new: Collection[int] = ()) -> list[tuple[int | None, int | None]]:
    """Pair two items' quantities: same (subject, unit) in order, then same unit by subject overlap.

    A quantity whose value, unit and qualifier are all unchanged is paired with its twin before the
    subjects are looked at, so a subject read slightly differently (a line break in a PDF) is no change.
    Returns ``(old_index, new_index)`` pairs in new order, then removed ones as ``(i, None)``; an added
    quantity is ``(None, j)``. Indexes in ``skip_old`` / ``skip_new`` (not targets) take no part.
    """
    subj_old = [qualified_subject(old, q) for q in old]
    subj_new = [qualified_subject(new, q) for q in new]
    match: dict[int, int] = {}
    so, sn = set(skip_old), set(skip_new)
    _match_by([None if k in so else (s, q.unit, q.value, q.value_max) for k, (s, q) in enumerate(zip(subj_old, old))],
              [None if k in sn else (s, q.unit, q.value, q.value_max) for k, (s, q) in enumerate(zip(subj_new, new))],
              match)
    _match_by([None if k in so else (s, q.unit) for k, (s, q) in enumerate(zip(subj_old, old))],
              [None if k in sn else (s, q.unit) for k, (s, q) in enumerate(zip(subj_new, new))], match)
    used = set(match.values())
    scored = []
    for j in range(len(new)):
        if j in match or j in sn:
            continue
        for i in range(len(old)):
            if i in used or i in so or old[i].unit != new[j].unit or _levels_differ(subj_old[i], subj_new[j]):
                continue
            score = subject_overlap(subj_old[i], subj_new[j])
            if _same_value(old[i], new[j]) and score >= SAME_VALUE_MIN_OVERLAP:
                scored.append((-1.0 - score, abs(i - j), i, j))
            elif score >= SUBJECT_MIN_OVERLAP:
                scored.append((-score, abs(i - j), i, j))
    for _, _, i, j in sorted(scored):
        if i not in used and j not in match:
            match[j] = i
            used.add(i)
    pairs: list[tuple[int | None, int | None]] = [(match.get(j), j) for j in range(len(new)) if j not in sn]
    pairs += [(i, None) for i in range(len(old)) if i not in used and i not in so]
    return pairs


def not_targets(doc: Document, item: Item) -> set[int]:
    """Indexes of the item's quantities that are no targets: a heading's count of the plan's own tasks or
    targets (``10项预期目标``), and values reported as reached or estimated (``同比增长78.1%``,
    ``预计一季度增长20%左右``) in a progress report."""
    out = set()
    for k, q in enumerate(item.quantities):
        if q.unit == "项" and item.heading_start <= q.start < item.heading_end and _SELF_COUNT.search(q.subject):
            out.add(k)
            continue
        clause = _CLAUSE.split(doc.text[max(item.start, q.start - 16) : q.start])[-1]
        if _REPORTED.search(clause) and not _COMMITTED.search(clause + q.qualifier):
            out.add(k)
    return out


def classify(old: Quantity | None, new: Quantity | None) -> str:
    """``added`` / ``removed`` / ``increased`` / ``decreased`` / ``qualifier`` / ``unchanged``.

    Ranges compare low, then high bound (``3-5所`` -> ``3-6所`` is ``increased``); the same value with
    another qualifier (``30名左右`` -> ``30名以上``) is ``qualifier``.
    """
    if old is None:
        return "added"
    if new is None:
        return "removed"
    before = (old.value, old.value_max if old.value_max is not None else old.value)
    after = (new.value, new.value_max if new.value_max is not None else new.value)
    if after != before:
        return "increased" if after > before else "decreased"
    return "unchanged" if old.qualifier == new.qualifier else "qualifier"


def _items(doc: Document) -> dict[str, Item]:
    return {it.item_id: it for it in doc.items}


def _matched(alignments: list[ItemAlignment]) -> list[ItemAlignment]:
    return [a for a in alignments if a.old_item_id is not None and a.new_item_id is not None]


_Ref = tuple[str, int]  # (item_id, quantity index within the item)


def _pair_across(old: Document, new: Document, left_old: list[_Ref],
                 left_new: list[_Ref]) -> list[tuple[_Ref, _Ref]]:
    """Targets that moved to another item: same unit, subjects overlapping at least MOVED_MIN_OVERLAP."""
    o_items, n_items = _items(old), _items(new)
    # Blocked by (unit, character): subjects overlapping by 0.8 share characters, so a target meets only
    # the leftovers that share one of its rarer characters with it, never every leftover of its unit.
    block: dict[tuple[str, str], list[_Ref]] = defaultdict(list)
    subjects: dict[_Ref, str] = {}
    for ref in left_old:
        oqs = o_items[ref[0]].quantities
        subjects[ref] = qualified_subject(oqs, oqs[ref[1]])
        for ch in set(subjects[ref]):
            block[oqs[ref[1]].unit, ch].append(ref)
    scored = []
    for nref in left_new:
        nqs = n_items[nref[0]].quantities
        nq = nqs[nref[1]]
        n_subj = qualified_subject(nqs, nq)
        if not n_subj:
            continue
        lists = sorted((block.get((nq.unit, ch), []) for ch in set(n_subj)), key=len)
        # a partner sharing >= 80% of the characters shares one of the subject's rarest half of them
        seen = {ref for posting in lists[: len(lists) // 2 + 1] for ref in posting}
        for oref in sorted(seen):
            o_subj = subjects[oref]
            if not o_subj or _levels_differ(o_subj, n_subj):
                continue
            score = subject_overlap(o_subj, n_subj)
            if score >= MOVED_MIN_OVERLAP:
                scored.append((-score, oref, nref))
    used_old: set[_Ref] = set()
    used_new: set[_Ref] = set()
    out = []
    for _, oref, nref in sorted(scored):
        if oref not in used_old and nref not in used_new:
            used_old.add(oref)
            used_new.add(nref)
            out.append((oref, nref))
    return out


def target_details(old: Document, new: Document, alignments: list[ItemAlignment], *,
                   include_unchanged: bool = False, across: bool = True) -> list[TargetDetail]:
    """Every target that changed, moved, appeared or disappeared between two plans, with its spans.

    Targets are paired inside matched items first (:func:`pair_quantities`), then across the plan
    (a target that moved to another item). What is left is ``added`` / ``removed``, including the
    targets of new and dropped items; ``across=False`` skips the pairing across the plan (plans of
    different issuers). Rows follow the alignment: by new item, a removed target after
    its item's partner (or, for a dropped item, at the start).
    """
    o_items, n_items = _items(old), _items(new)
    dropped = {a.old_item_id for a in alignments if a.new_item_id is None}
    added = {a.new_item_id for a in alignments if a.old_item_id is None}
    found: list[tuple[_Ref | None, _Ref | None, bool]] = []
    paired_old: set[_Ref] = set()
    paired_new: set[_Ref] = set()
    skip_old = {it.item_id: not_targets(old, it) for it in old.items}
    skip_new = {it.item_id: not_targets(new, it) for it in new.items}
    for a in _matched(alignments):
        o_it, n_it = o_items[a.old_item_id], n_items[a.new_item_id]  # type: ignore[index]
        for i, j in pair_quantities(o_it.quantities, n_it.quantities, skip_old=skip_old[o_it.item_id],
                                    skip_new=skip_new[n_it.item_id]):
            if i is None or j is None or (o_it.item_id, i) in paired_old or (n_it.item_id, j) in paired_new:
                continue  # a merge/split partner shares items: each target pairs once
            paired_old.add((o_it.item_id, i))
            paired_new.add((n_it.item_id, j))
            found.append(((o_it.item_id, i), (n_it.item_id, j), False))
    left_old = [(it.item_id, k) for it in old.items for k in range(len(it.quantities))
                if (it.item_id, k) not in paired_old and k not in skip_old[it.item_id]]
    left_new = [(it.item_id, k) for it in new.items for k in range(len(it.quantities))
                if (it.item_id, k) not in paired_new and k not in skip_new[it.item_id]]
    for oref, nref in _pair_across(old, new, left_old, left_new) if across else ():
        paired_old.add(oref)
        paired_new.add(nref)
        found.append((oref, nref, True))
    partner_new: dict[str, str] = {}
    partner_old: dict[str, str] = {}
    for a in _matched(alignments):
        partner_new.setdefault(a.old_item_id, a.new_item_id)  # type: ignore[arg-type]
        partner_old.setdefault(a.new_item_id, a.old_item_id)  # type: ignore[arg-type]
    found += [(ref, None, False) for ref in left_old if ref not in paired_old]
    found += [(None, ref, False) for ref in left_new if ref not in paired_new]
    new_pos = {it.item_id: k for k, it in enumerate(new.items)}
    old_pos = {it.item_id: k for k, it in enumerate(old.items)}

    def order(entry: tuple[_Ref | None, _Ref | None, bool]) -> tuple[int, int, int, int]:
        oref, nref, _ = entry
        if nref is not None:
            return (new_pos[nref[0]], 0, 0, nref[1])
        assert oref is not None
        partner = partner_new.get(oref[0])
        return (new_pos[partner] if partner else -1, 1, old_pos[oref[0]], oref[1])

    out = []
    for oref, nref, moved in sorted(found, key=order):
        oq = None if oref is None else o_items[oref[0]].quantities[oref[1]]
        nq = None if nref is None else n_items[nref[0]].quantities[nref[1]]
        change = classify(oq, nq)
        if change == "unchanged" and not include_unchanged:
            continue
        if nref is not None and nq is not None:
            ref, qs = nq, n_items[nref[0]].quantities
        else:
            assert oref is not None and oq is not None
            ref, qs = oq, o_items[oref[0]].quantities
        old_id = oref[0] if oref else partner_old.get(nref[0]) if nref else None
        new_id = nref[0] if nref else partner_new.get(oref[0]) if oref else None
        status = "new" if nref and nref[0] in added else "dropped" if oref and oref[0] in dropped else "matched"
        out.append(TargetDetail(
            TargetChange(old.doc_id, new.doc_id, old_id, new_id, qualified_subject(qs, ref), ref.unit,
                         None if oq is None else oq.value, None if nq is None else nq.value, change),
            "" if oq is None else old.text[oq.start : oq.end],
            "" if nq is None else new.text[nq.start : nq.end],
            "" if oq is None else oq.qualifier, "" if nq is None else nq.qualifier,
            None if oq is None else oq.value_max, None if nq is None else nq.value_max,
            moved, status, None if oref is None else oref[1], None if nref is None else nref[1],
        ))
    return out


def target_changes(old: Document, new: Document, alignments: list[ItemAlignment], *,
                   include_unchanged: bool = False) -> list[TargetChange]:
    """Each target whose value or qualifier changed, that moved, or was added or removed (see
    :func:`target_details`); unchanged targets only with ``include_unchanged``."""
    return [d.change for d in target_details(old, new, alignments, include_unchanged=include_unchanged)]


_HAN = re.compile(r"[\u4e00-\u9fff]")


def word_diff(old_text: str, new_text: str) -> tuple[DiffOp, ...]:
    """Diff of two texts by characters (after width/space normalisation); a single equal character
    between two edits is folded into them, so ``深化`` -> ``强化`` reads as one replacement, not 深 -> 强."""
    a, b = list(old_text), list(new_text)
    matcher = difflib.SequenceMatcher(None, [normalise(t) for t in a], [normalise(t) for t in b], autojunk=False)
    ops = matcher.get_opcodes()
    merged: list[list[Any]] = []
    for k, (tag, i1, i2, j1, j2) in enumerate(ops):
        fold = tag == "equal" and i2 - i1 == 1 and 0 < k < len(ops) - 1 and bool(_HAN.match(a[i1]))
        if merged and merged[-1][0] != "equal" and (tag != "equal" or fold):
            merged[-1][2], merged[-1][4] = i2, j2
        else:
            merged.append([tag, i1, i2, j1, j2])
    out = []
    for tag, i1, i2, j1, j2 in merged:
        if tag != "equal":
            tag = "replace" if i2 > i1 and j2 > j1 else "delete" if i2 > i1 else "insert"
        out.append(DiffOp(tag, "".join(a[i1:i2]), "".join(b[j1:j2])))
    return tuple(out)


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
