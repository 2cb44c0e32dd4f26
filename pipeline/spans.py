"""Lookups in sorted, disjoint ``(start, end, ...)`` spans by bisection: a long item has thousands of numbers,
titles and masked stretches, so a linear scan per candidate would make extraction quadratic."""
from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from operator import itemgetter

_START = itemgetter(0)  # the bisection key (a C function: a lambda would be called at every step)


def overlaps(start: int, end: int, spans: Sequence[tuple[int, ...]]) -> bool:
    """Whether ``[start, end)`` overlaps one of ``spans`` (sorted by start, disjoint)."""
    i = bisect_left(spans, end, key=_START) - 1  # the last span starting before ``end``
    return i >= 0 and spans[i][1] > start


def inside(pos: int, spans: Sequence[tuple[int, ...]]) -> bool:
    """Whether ``pos`` falls in one of ``spans``."""
    i = bisect_left(spans, pos + 1, key=_START) - 1  # as overlaps(pos, pos + 1, spans), one call less
    return i >= 0 and spans[i][1] > pos
