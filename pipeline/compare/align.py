"""Align the items of two plans by what they say, not by their numbering.

Each item is a vector of character bigrams weighed by their rarity in a background corpus of plans
(:mod:`.weights`), so shared boilerplate counts little and shared specifics count much. A pair's score
blends the cosine of the bodies with that of the headings. Only a few candidate partners per item are
scored (an inverted index, top-k per item), so memory grows with the items, not with their square.

Assignment uses the plans' own order: the best order-preserving chain of pairs (a weighted longest
increasing subsequence) is accepted at the threshold, an item that moved out of order needs the higher
``MOVED_MARGIN`` more, and a pair below is abstained from (its items become ``new`` and ``dropped``).
Sections (items with children) are aligned after the leaves, helped by how many of their leaves went to
each other; inside two matched sections, the leftover items pair in order from the lower
``CONTEXT_THRESHOLD`` (the section and the order vouch for a heavy rewording). An old item merged into a
new one already matched (or the reverse) is kept as a second pair with ``relation`` ``merge``
(``split``), as is a section whose rows all went into one unsplit item on the other side.
"""
from __future__ import annotations

import heapq
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from ..model import Document, Item, ItemAlignment
from .weights import cosine, vector

DEFAULT_THRESHOLD = 0.3
# An out-of-order pair (an item moved to another place) has no neighbours vouching for it.
MOVED_MARGIN = 0.15
# A second partner (merge/split) must reach this share of the first partner's score, and the threshold;
# between rows of task tables also MERGE_MIN, since the rows of one table share most of their words.
MERGE_SHARE = 0.6
MERGE_MIN = 0.45
HEADING_WEIGHT = 0.4
# Section score: heading text blended with the share of the sections' leaves matched to each other.
SECTION_CHILD_WEIGHT = 0.5
TOP_K = 8
QUERY_TERMS = 32
# A bigram shared by more items than this finds no candidates (it is common in these plans); scoring
# still counts it. A fixed cap keeps the work per item constant, so time grows linearly.
POSTING_LIMIT = 128
# Inside two sections already matched, their leftover items pair in order from this score on: the
# sections' partnership and the order vouch for a rewording that shares few words.
CONTEXT_THRESHOLD = 0.12
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Text as compared for equality: NFKC (so full- and half-width punctuation agree), no whitespace."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


def body(doc: Document, item: Item) -> str:
    """An item's text without its numbering marker, so that renumbering is not a change."""
    text = doc.text[item.start : item.end]
    if item.label and text.startswith(item.label):
        text = text[len(item.label) :]
    return text.strip().lstrip("|").strip()


def is_heading(doc: Document, item: Item) -> bool:
    """True for section headings: items that have children."""
    return item.item_id in _parent_ids(doc)


def _parent_ids(doc: Document) -> set[str]:
    return {it.parent_id for it in doc.items if it.parent_id is not None}


@dataclass(slots=True)
class _Side:
    """One plan's items as the aligner sees them."""

    bodies: list[str]
    keys: list[str]
    body_vecs: list[dict[str, float]]
    head_vecs: list[dict[str, float]]
    ancestors: list[list[int]]

    @classmethod
    def of(cls, doc: Document) -> _Side:
        bodies = [body(doc, it) for it in doc.items]
        heads = [doc.heading(it) for it in doc.items]
        return cls(bodies, [normalise(b) for b in bodies], [vector(b) for b in bodies],
                   [vector(h) for h in heads], _ancestors(doc))


def _ancestors(doc: Document) -> list[list[int]]:
    """For each item, the indexes of its ancestors (nearest first)."""
    index = {it.item_id: i for i, it in enumerate(doc.items)}
    out = []
    for it in doc.items:
        chain, parent = [], it.parent_id
        while parent is not None and parent in index:
            chain.append(index[parent])
            parent = doc.items[index[parent]].parent_id
        out.append(chain)
    return out


def _score(old: _Side, new: _Side, i: int, j: int) -> float:
    if old.keys[i] == new.keys[j]:
        return 1.0
    b = cosine(old.body_vecs[i], new.body_vecs[j])
    h = cosine(old.head_vecs[i], new.head_vecs[j])
    return min(1.0, max(b, (1 - HEADING_WEIGHT) * b + HEADING_WEIGHT * h))


def _top_candidates(queries: list[int], query_vecs: list[dict[str, float]], pool: list[int],
                    pool_vecs: list[dict[str, float]], k: int) -> Iterable[tuple[int, int]]:
    """For every query, the ``k`` pool items sharing the most weight with it (inverted index, no matrix).

    Bigrams found in very many pool items are skipped when gathering candidates (they would make the
    work quadratic and say little); the candidates are then scored on their whole vectors.
    """
    index: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for p in pool:
        for t, w in pool_vecs[p].items():
            index[t].append((p, w))
    limit = POSTING_LIMIT
    for q in queries:
        acc: dict[int, float] = defaultdict(float)
        # the query's heaviest (rarest) bigrams find its partners; the common ones would only cost time
        for t, w in heapq.nlargest(QUERY_TERMS, query_vecs[q].items(), key=lambda tw: tw[1]):
            posting = index.get(t)
            if posting and len(posting) <= limit:
                for p, wp in posting:
                    acc[p] += w * wp
        for p, _ in heapq.nlargest(k, acc.items(), key=lambda pw: pw[1]):
            yield q, p


def _candidate_scores(old: _Side, new: _Side, rows: list[int], cols: list[int]) -> dict[tuple[int, int], float]:
    pairs: set[tuple[int, int]] = set()
    pairs.update(_top_candidates(rows, old.body_vecs, cols, new.body_vecs, TOP_K))
    pairs.update((i, j) for j, i in _top_candidates(cols, new.body_vecs, rows, old.body_vecs, TOP_K))
    by_key: dict[str, list[int]] = defaultdict(list)  # identical texts always meet, whatever the index skipped
    for i in rows:
        by_key[old.keys[i]].append(i)
    for j in cols:
        pairs.update((i, j) for i in by_key.get(new.keys[j], ()))
    return {(i, j): _score(old, new, i, j) for i, j in pairs}


def _ordered_chain(scores: dict[tuple[int, int], float], threshold: float) -> list[tuple[int, int]]:
    """The order-preserving set of pairs (both indexes increasing) of greatest total squared score."""
    pairs = sorted((p for p, s in scores.items() if s >= threshold), key=lambda p: (p[0], -p[1]))
    if not pairs:
        return []
    cols = sorted({j for _, j in pairs})
    rank = {j: r + 1 for r, j in enumerate(cols)}
    tree: list[tuple[float, int]] = [(0.0, -1)] * (len(cols) + 1)  # Fenwick tree of prefix maxima
    best: list[tuple[float, int]] = []
    for n, (i, j) in enumerate(pairs):
        r, top = rank[j] - 1, (0.0, -1)
        while r > 0:
            top = max(top, tree[r])
            r -= r & -r
        # pairs of one old item come in decreasing j, so a query never sees a pair of the same old item
        best.append((top[0] + scores[i, j] ** 2, top[1]))
        r = rank[j]
        while r <= len(cols):
            if best[n][0] > tree[r][0]:
                tree[r] = (best[n][0], n)
            r += r & -r
    n = max(range(len(best)), key=lambda k: best[k][0])
    chain = []
    while n >= 0:
        chain.append(pairs[n])
        n = best[n][1]
    return chain[::-1]


def _assign(scores: dict[tuple[int, int], float], threshold: float) -> dict[int, int]:
    """Order-preserving pairs at ``threshold``, then out-of-order ones at ``threshold + MOVED_MARGIN``."""
    pairs = dict(_ordered_chain(scores, threshold))
    taken = set(pairs.values())
    for (i, j), s in sorted(scores.items(), key=lambda ps: (-ps[1], ps[0])):
        if s < threshold + MOVED_MARGIN:
            break
        if i not in pairs and j not in taken:
            pairs[i] = j
            taken.add(j)
    return pairs


def _section_scores(old: _Side, new: _Side, leaf_pairs: dict[int, int], old_heads: list[int],
                    new_heads: list[int]) -> dict[tuple[int, int], float]:
    """Heading similarity raised by the share of the two sections' leaves that were matched together."""
    heads_old, heads_new = set(old_heads), set(new_heads)
    leaves_old: dict[int, int] = defaultdict(int)
    leaves_new: dict[int, int] = defaultdict(int)
    for i, chain in enumerate(old.ancestors):
        if i not in heads_old:
            for a in chain:
                leaves_old[a] += 1
    for j, chain in enumerate(new.ancestors):
        if j not in heads_new:
            for b in chain:
                leaves_new[b] += 1
    shared: dict[tuple[int, int], int] = defaultdict(int)
    for i, j in leaf_pairs.items():
        for a in old.ancestors[i]:
            for b in new.ancestors[j]:
                shared[a, b] += 1
    scores = _candidate_scores(old, new, old_heads, new_heads)
    for a, b in set(scores) | set(shared):
        text = scores.get((a, b))
        if text is None:
            text = _score(old, new, a, b)
        # share of the smaller section: an excerpt cut after one item still vouches for its section
        smaller = min(leaves_old[a], leaves_new[b])
        overlap = min(1.0, shared.get((a, b), 0) / smaller) if smaller else 0.0
        scores[a, b] = max(text, (1 - SECTION_CHILD_WEIGHT) * text + SECTION_CHILD_WEIGHT * overlap)
    return scores


def _within_sections(o: _Side, n: _Side, old: Document, new: Document, section_pairs: dict[int, int],
                     pairs: dict[int, int], threshold: float) -> dict[tuple[int, int], float]:
    """Scores of the unmatched leaves under each pair of matched sections, with the section's matched
    leaves as fixed points (weight above any score), so that a chain through them keeps their order."""
    index_old = {it.item_id: k for k, it in enumerate(old.items)}
    index_new = {it.item_id: k for k, it in enumerate(new.items)}
    kids_old: dict[int, list[int]] = defaultdict(list)
    kids_new: dict[int, list[int]] = defaultdict(list)
    for k, it in enumerate(old.items):
        if it.parent_id in index_old:
            kids_old[index_old[it.parent_id]].append(k)
    for k, it in enumerate(new.items):
        if it.parent_id in index_new:
            kids_new[index_new[it.parent_id]].append(k)
    taken = set(pairs.values())
    out: dict[tuple[int, int], float] = {}
    for a, b in section_pairs.items():
        free_old = [i for i in kids_old[a] if i not in pairs and i not in section_pairs]
        free_new = [j for j in kids_new[b] if j not in taken]
        if not free_old or not free_new or len(free_old) * len(free_new) > 40_000:
            continue
        for i in free_old:
            for j in free_new:
                s = _score(o, n, i, j)
                if s >= threshold:
                    out[i, j] = s
    return out


def _across_granularity(o: _Side, n: _Side, scores: dict[tuple[int, int], float], pairs: dict[int, int],
                        old_heads: list[int], new_heads: list[int], threshold: float) -> list[tuple[int, int, str]]:
    """A section on one side whose items all went into one item on the other (a table parsed into rows in
    one plan and left whole in the other): the section is paired with that item, as a merge or split.

    Score: the section's text blended with the share of its leaves whose best partner is that item.
    """
    def best(scored: dict[int, tuple[float, int]], key: int, s: float, other: int) -> None:
        if s >= CONTEXT_THRESHOLD and s > scored.get(key, (0.0, -1))[0]:
            scored[key] = (s, other)

    best_of_old: dict[int, tuple[float, int]] = {}
    best_of_new: dict[int, tuple[float, int]] = {}
    for (i, j), s in scores.items():
        best(best_of_old, i, s, j)
        best(best_of_new, j, s, i)
    out = []
    partner_of_new = {j: i for i, j in pairs.items()}
    for heads, side, best_of, mine, is_old in ((old_heads, o, best_of_old, pairs, True),
                                                (new_heads, n, best_of_new, partner_of_new, False)):
        heads_set = set(heads)
        leaves: dict[int, list[int]] = defaultdict(list)
        for k, chain in enumerate(side.ancestors):
            if k not in heads_set:
                for a in chain:
                    leaves[a].append(k)
        for a in heads:
            if a in mine or not leaves[a]:
                continue
            votes: dict[int, int] = defaultdict(int)
            for leaf in leaves[a]:
                if leaf in best_of:
                    votes[best_of[leaf][1]] += 1
            if not votes:
                continue
            target, count = max(votes.items(), key=lambda tc: tc[1])
            i, j = (a, target) if is_old else (target, a)
            text = _score(o, n, i, j)
            blended = max(text, (1 - SECTION_CHILD_WEIGHT) * text + SECTION_CHILD_WEIGHT * count / len(leaves[a]))
            if blended < threshold:
                continue
            scores[i, j] = blended
            taken = (j in partner_of_new) if is_old else (i in pairs)
            if not taken:
                pairs[i] = j
                partner_of_new[j] = i
            else:
                out.append((i, j, "merge" if is_old else "split"))
    return out


def _second_partners(scores: dict[tuple[int, int], float], pairs: dict[int, int],
                     threshold: float, only: set[tuple[int, int]] | None = None,
                     rows: tuple[set[int], set[int]] = (set(), set())) -> list[tuple[int, int, str]]:
    """Unmatched items whose best partner is already matched but close in score: merges and splits.
    Two rows of task tables need ``MERGE_MIN``: the rows of one table share their columns' words."""

    def floor(i: int, j: int) -> float:
        return MERGE_MIN if i in rows[0] and j in rows[1] else 0.0

    partner_of_new = {j: i for i, j in pairs.items()}
    best_old: dict[int, tuple[float, int]] = {}
    best_new: dict[int, tuple[float, int]] = {}
    for (i, j), s in scores.items():
        if only is not None and (i, j) not in only:
            continue
        if i not in pairs and j in partner_of_new and s > best_old.get(i, (-1.0, 0))[0]:
            best_old[i] = (s, j)
        if j not in partner_of_new and i in pairs and s > best_new.get(j, (-1.0, 0))[0]:
            best_new[j] = (s, i)
    out = []
    for i, (s, j) in best_old.items():
        if s >= max(threshold, floor(i, j)) and s >= MERGE_SHARE * scores.get((partner_of_new[j], j), 1.0):
            out.append((i, j, "merge"))
    for j, (s, i) in best_new.items():
        if s >= max(threshold, floor(i, j)) and s >= MERGE_SHARE * scores.get((i, pairs[i]), 1.0):
            out.append((i, j, "split"))
    return out


def _confidence(scores: dict[tuple[int, int], float], i: int, j: int, threshold: float,
                rival: dict[int, float], rival_new: dict[int, float]) -> float:
    """0..1: how far the score clears the threshold, lowered when another partner scores nearly as well."""
    s = scores[i, j]
    clear = min(1.0, 0.5 + (s - threshold) / (2 * MOVED_MARGIN * 2)) if s < 1.0 else 1.0
    runner_up = max(rival.get(i, 0.0), rival_new.get(j, 0.0))
    margin = min(1.0, max(0.0, (s - runner_up) / MOVED_MARGIN))
    return round(max(0.0, clear) * (0.5 + 0.5 * margin), 3)


def align_items(old: Document, new: Document, *, threshold: float = DEFAULT_THRESHOLD) -> list[ItemAlignment]:
    """Pair every item of ``old`` with its counterpart in ``new`` (or none), by content.

    Status is ``unchanged`` when the two texts are equal after :func:`normalise` (marker label removed,
    whitespace dropped, punctuation width unified), ``modified`` otherwise, ``new`` for an item only in
    ``new`` and ``dropped`` for one only in ``old``. ``similarity`` is the alignment score (0..1, three
    decimals; NaN for new/dropped), ``confidence`` how sure the pair is. Rows follow the new plan's
    order; a dropped item comes right after the partner of its nearest matched predecessor in the old
    plan; a merge or split partner comes right after the pair it joins.

    Args:
        old (Document): the earlier plan.
        new (Document): the later plan.
        threshold (float): minimum score for two items in the same order to be the same item.
    """
    if not 0.0 <= threshold <= 1.0:
        raise ValueError(f"threshold must be between 0 and 1, not {threshold!r}")
    o, n = _Side.of(old), _Side.of(new)
    old_parents, new_parents = _parent_ids(old), _parent_ids(new)
    old_heads = [i for i, it in enumerate(old.items) if it.item_id in old_parents]
    new_heads = [j for j, it in enumerate(new.items) if it.item_id in new_parents]
    heads_o, heads_n = set(old_heads), set(new_heads)
    old_leaves = [i for i in range(len(old.items)) if i not in heads_o]
    new_leaves = [j for j in range(len(new.items)) if j not in heads_n]

    scores = _candidate_scores(o, n, old_leaves, new_leaves)
    pairs = _assign(scores, threshold)
    table_rows = ({i for i, it in enumerate(old.items) if it.kind == "row"},
                  {j for j, it in enumerate(new.items) if it.kind == "row"})
    extra = _second_partners(scores, pairs, threshold, rows=table_rows)
    if old_heads and new_heads:
        section = _section_scores(o, n, pairs, old_heads, new_heads)
        section_pairs = _assign(section, threshold)
        pairs.update(section_pairs)
        scores.update(section)
        context = _within_sections(o, n, old, new, section_pairs, pairs, min(threshold, CONTEXT_THRESHOLD))
        scores.update(context)
        found = dict(_ordered_chain(context, min(threshold, CONTEXT_THRESHOLD)))
        taken = set(pairs.values())
        pairs.update({i: j for i, j in found.items() if i not in pairs and j not in taken})
        extra += _second_partners(scores, pairs, min(threshold, CONTEXT_THRESHOLD), only=set(context), rows=table_rows)
    extra += _across_granularity(o, n, scores, pairs, old_heads, new_heads, threshold)
    partner_of_new = {j: i for i, j in pairs.items()}
    extra = list(dict.fromkeys((i, j, r) for i, j, r in extra
                               if (i not in pairs if r == "merge" else j not in partner_of_new)))
    rival: dict[int, float] = defaultdict(float)
    rival_new: dict[int, float] = defaultdict(float)
    partner_of_new = {j: i for i, j in pairs.items()}
    for (i, j), s in scores.items():
        if pairs.get(i) != j:
            rival[i] = max(rival[i], s)
        if partner_of_new.get(j) != i:
            rival_new[j] = max(rival_new[j], s)

    def row(i: int | None, j: int | None, relation: str = "") -> ItemAlignment:
        if i is None or j is None:
            return ItemAlignment(old.doc_id, new.doc_id,
                                 None if i is None else old.items[i].item_id,
                                 None if j is None else new.items[j].item_id,
                                 "new" if i is None else "dropped", float("nan"))
        same = o.keys[i] == n.keys[j]
        return ItemAlignment(old.doc_id, new.doc_id, old.items[i].item_id, new.items[j].item_id,
                             "unchanged" if same else "modified", round(scores[i, j], 3),
                             _confidence(scores, i, j, threshold, rival, rival_new), relation)

    seconds: dict[int, list[tuple[int, int, str]]] = defaultdict(list)  # new index of the pair joined
    in_second = set()
    for i, j, relation in extra:
        seconds[j if relation == "merge" else pairs[i]].append((i, j, relation))
        in_second.add(i if relation == "merge" else ~j)
    dropped_after: dict[int, list[int]] = defaultdict(list)  # new index (-1 = start) -> dropped old indexes
    anchor = -1
    for i in range(len(old.items)):
        if i in pairs:
            anchor = pairs[i]
        elif i not in in_second:
            dropped_after[anchor].append(i)
    out = [row(i, None) for i in dropped_after[-1]]
    for j in range(len(new.items)):
        if ~j in in_second:
            continue
        out.append(row(partner_of_new.get(j), j))
        out.extend(row(i, jj, rel) for i, jj, rel in seconds[j])
        out.extend(row(i, None) for i in dropped_after[j])
    return out
