"""Align the items of two plans by what they say, not by their numbering.

Each item's text (without its marker) is vectorised twice with TF-IDF — over jieba words and over
character 2–3-grams — and the two cosine similarity matrices are averaged. Words reward shared
vocabulary; character n-grams survive segmentation differences and small rewordings. Section headings
(items with children) and leaf items are aligned separately, each by a one-to-one optimal assignment
(``scipy.optimize.linear_sum_assignment``); a pair below the threshold is no match, so its items become
``new`` and ``dropped``.
"""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # scikit-learn and scipy cost ~0.6 s to import; only comparisons pay it
    from sklearn.feature_extraction.text import TfidfVectorizer

from ..model import Document, Item, ItemAlignment
from ..resources import load_jieba

DEFAULT_THRESHOLD = 0.3
WORD_WEIGHT = 0.5
# Section similarity blends heading text with how many of the sections' leaves were matched to each
# other, so a reworded section heading still finds its section.
HEADING_WEIGHT = 0.5
_POSITION_TIE_BREAK = 1e-3
_SPACE = re.compile(r"\s+")
_NON_WORD = re.compile(r"[\W_]+")


@lru_cache(maxsize=16384)
def tokens(text: str) -> tuple[str, ...]:
    """The jieba tokens of ``text`` as written (punctuation and spaces included), cached per text."""
    return tuple(load_jieba().lcut(text))


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


def _word_features(text: str) -> list[str]:
    return [t for t in (normalise(tok) for tok in tokens(text)) if t and not _NON_WORD.fullmatch(t)]


def _cosine(vectorizer: TfidfVectorizer, old: list[str], new: list[str]) -> np.ndarray:
    try:
        matrix = vectorizer.fit_transform(old + new)
    except ValueError:  # every text empty: no vocabulary
        return np.zeros((len(old), len(new)))
    return np.asarray((matrix[: len(old)] @ matrix[len(old) :].T).todense())


def similarity_matrix(old_texts: list[str], new_texts: list[str]) -> np.ndarray:
    """Cosine similarity (0..1) of every old text to every new text: mean of word and character TF-IDF."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    words = _cosine(TfidfVectorizer(analyzer=_word_features, sublinear_tf=True), old_texts, new_texts)
    chars_old = [_NON_WORD.sub(" ", normalise(t)) for t in old_texts]
    chars_new = [_NON_WORD.sub(" ", normalise(t)) for t in new_texts]
    chars = _cosine(TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 3), sublinear_tf=True),
                    chars_old, chars_new)
    return np.clip(WORD_WEIGHT * words + (1 - WORD_WEIGHT) * chars, 0.0, 1.0)


def _assign(sim: np.ndarray, rows: list[int], cols: list[int], threshold: float,
            n_old: int, n_new: int) -> dict[int, int]:
    """One-to-one matching maximising similarity; ties go to the partner at the nearer relative position."""
    from scipy.optimize import linear_sum_assignment

    if not rows or not cols:
        return {}
    sub = sim[np.ix_(rows, cols)]
    weight = np.where(sub >= threshold, sub, 0.0)
    pos_old = np.asarray(rows, dtype=float)[:, None] / max(n_old, 1)
    pos_new = np.asarray(cols, dtype=float)[None, :] / max(n_new, 1)
    r, c = linear_sum_assignment(-weight + _POSITION_TIE_BREAK * np.abs(pos_old - pos_new))
    return {rows[i]: cols[j] for i, j in zip(r, c) if sub[i, j] >= threshold}


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


def _section_scores(sim: np.ndarray, old: Document, new: Document, leaf_pairs: dict[int, int],
                    old_heads: list[int], new_heads: list[int]) -> np.ndarray:
    """Heading similarity raised by the share of the two sections' leaves that were matched together."""
    anc_old, anc_new = _ancestors(old), _ancestors(new)
    leaves_old: dict[int, int] = defaultdict(int)
    leaves_new: dict[int, int] = defaultdict(int)
    old_head_set, new_head_set = set(old_heads), set(new_heads)
    for i, chain in enumerate(anc_old):
        if i not in old_head_set:
            for a in chain:
                leaves_old[a] += 1
    for j, chain in enumerate(anc_new):
        if j not in new_head_set:
            for b in chain:
                leaves_new[b] += 1
    shared: dict[tuple[int, int], int] = defaultdict(int)
    for i, j in leaf_pairs.items():
        for a in anc_old[i]:
            for b in anc_new[j]:
                shared[a, b] += 1
    scores = sim.copy()
    for a in old_heads:
        for b in new_heads:
            total = leaves_old[a] + leaves_new[b]
            overlap = 2 * shared.get((a, b), 0) / total if total else 0.0
            blended = HEADING_WEIGHT * sim[a, b] + (1 - HEADING_WEIGHT) * overlap
            scores[a, b] = max(sim[a, b], blended)
    return scores


def align_items(old: Document, new: Document, *, threshold: float = DEFAULT_THRESHOLD) -> list[ItemAlignment]:
    """Pair every item of ``old`` with its counterpart in ``new`` (or none), by content.

    Status is ``unchanged`` when the two texts are equal after :func:`normalise` (marker label removed,
    whitespace dropped, punctuation width unified), ``modified`` otherwise, ``new`` for an item only in
    ``new`` and ``dropped`` for one only in ``old``. ``similarity`` is the alignment score (0..1, three
    decimals; NaN for new/dropped). Rows follow the new plan's order; a dropped item comes right after the
    partner of its nearest matched predecessor in the old plan.

    Args:
        old (Document): the earlier plan.
        new (Document): the later plan.
        threshold (float): minimum similarity for two items to be the same item.
    """
    if not 0.0 <= threshold <= 1.0:
        raise ValueError(f"threshold must be between 0 and 1, not {threshold!r}")
    old_bodies = [body(old, it) for it in old.items]
    new_bodies = [body(new, it) for it in new.items]
    sim = similarity_matrix(old_bodies, new_bodies)
    old_parents, new_parents = _parent_ids(old), _parent_ids(new)
    old_heads = [i for i, it in enumerate(old.items) if it.item_id in old_parents]
    new_heads = [j for j, it in enumerate(new.items) if it.item_id in new_parents]
    old_leaves = sorted(set(range(len(old.items))) - set(old_heads))
    new_leaves = sorted(set(range(len(new.items))) - set(new_heads))
    n_old, n_new = len(old.items), len(new.items)

    pairs = _assign(sim, old_leaves, new_leaves, threshold, n_old, n_new)
    scores = sim
    if old_heads and new_heads:
        scores = _section_scores(sim, old, new, pairs, old_heads, new_heads)
        pairs.update(_assign(scores, old_heads, new_heads, threshold, n_old, n_new))

    def row(i: int | None, j: int | None) -> ItemAlignment:
        if i is None or j is None:
            return ItemAlignment(old.doc_id, new.doc_id,
                                 None if i is None else old.items[i].item_id,
                                 None if j is None else new.items[j].item_id,
                                 "new" if i is None else "dropped", float("nan"))
        same = normalise(old_bodies[i]) == normalise(new_bodies[j])
        return ItemAlignment(old.doc_id, new.doc_id, old.items[i].item_id, new.items[j].item_id,
                             "unchanged" if same else "modified", round(float(scores[i, j]), 3))

    partner_of_new = {j: i for i, j in pairs.items()}
    dropped_after: dict[int, list[int]] = defaultdict(list)  # new index (-1 = start) -> dropped old indexes
    anchor = -1
    for i in range(n_old):
        if i in pairs:
            anchor = pairs[i]
        else:
            dropped_after[anchor].append(i)
    out = [row(i, None) for i in dropped_after[-1]]
    for j in range(n_new):
        out.append(row(partner_of_new.get(j), j))
        out.extend(row(i, None) for i in dropped_after[j])
    return out
