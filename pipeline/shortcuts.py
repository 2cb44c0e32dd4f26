"""Pre-checks that skip work whose result is already known to be empty, e.g. a pattern searched for in a
text that lacks the characters every match must contain.

They exist for speed only and must never change a table. ``PLANSCOPE_NO_SHORTCUTS=1`` turns every one of
them off; ``tests/test_shortcuts.py`` extracts real plans both ways and compares the tables byte for byte.
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Set

ENABLED = os.environ.get("PLANSCOPE_NO_SHORTCUTS", "") in ("", "0")


def cannot_match(present: Set[str], needs: Iterable[str]) -> bool:
    """Whether a search is sure to find nothing: for some group of characters of which every match holds
    at least one, the text (``present``: its set of characters) holds none."""
    return ENABLED and any(present.isdisjoint(group) for group in needs)
