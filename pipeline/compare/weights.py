"""Term weights for alignment: character bigrams weighed by how rare they are in Chinese plans at large.

Boilerplate (``党的政治建设``, ``习近平新时代中国特色社会主义思想``) appears in nearly every plan, so sharing it
says little about two items being the same item. ``models/term_weights.tsv`` holds the document frequency
of every bigram that occurs in at least 1% of a background corpus of real plans (built by
``models/build_term_weights.py``); a bigram not listed is rare and gets the highest weight. Bigrams need
no word segmenter, so comparing plans never loads jieba's dictionary (about 0.7 s).
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from functools import lru_cache

from ..resources import MODELS

WEIGHTS_FILE = "term_weights.tsv"
_RUNS = re.compile(r"[^\W_]+")  # letters, CJK and digits; punctuation and spaces split runs
_DIGITS = re.compile(r"\d+(?:\.\d+)?")


def grams(text: str) -> Counter[str]:
    """Character bigrams of ``text`` (NFKC, numbers folded to ``0`` so 101所 and 120所 share ``0所``).

    A run of a single character counts as a unigram so that very short headings still have features.
    """
    out: Counter[str] = Counter()
    folded = _DIGITS.sub("0", unicodedata.normalize("NFKC", text).lower())
    for run in _RUNS.findall(folded):
        if len(run) == 1:
            out[run] += 1
        else:
            out.update(run[k : k + 2] for k in range(len(run) - 1))
    return out


@lru_cache(maxsize=1)
def background() -> tuple[int, dict[str, int]]:
    """(number of background documents, {bigram: document frequency}); (0, {}) when the file is missing."""
    path = MODELS / WEIGHTS_FILE
    if not path.is_file():
        return 0, {}
    n_docs, table = 0, {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        term, _, count = line.partition("\t")
        if term == "__documents__":
            n_docs = int(count)
        elif count:
            table[term] = int(count)
    return n_docs, table


@lru_cache(maxsize=1 << 16)
def idf(term: str) -> float:
    """Smoothed inverse document frequency of ``term`` in the background corpus (1.0 without one)."""
    n_docs, table = background()
    if not n_docs:
        return 1.0
    return math.log((n_docs + 1) / (table.get(term, 0) + 1)) + 1.0


def vector(text: str) -> dict[str, float]:
    """L2-normalised weights (1 + log tf) * idf of the bigrams of ``text``; {} for a text without any."""
    weights = {t: (1.0 + math.log(c)) * idf(t) for t, c in grams(text).items()}
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {t: w / norm for t, w in weights.items()} if norm else {}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """Cosine of two :func:`vector` results."""
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())
