"""planscope: parse, extract and compare Chinese government work plans.

>>> from pipeline import extract, compare, read_tables
>>> tables = extract("corpus")                     # doctest: +SKIP
>>> tables["quantities"].head()                    # doctest: +SKIP
>>> changes = compare("plan_2022.txt", "plan_2023.txt")["target_changes"]  # doctest: +SKIP

The API lives in :mod:`pipeline.api`; the stages are the subpackages (``pipeline.extract.patterns``, ...).
"""
from __future__ import annotations

import importlib
from typing import Any

from . import regex_cache

__version__ = "0.1.0"

regex_cache.load()  # before any module of the package compiles its patterns

_STAGES = ("extract", "compare")


def __getattr__(name: str) -> Any:
    # the stages load on first use: ``import pipeline`` (and a worker that only extracts) stays light
    if name in _STAGES:
        return importlib.import_module(f".{name}", __name__)
    if name == "read_tables":
        from .api import read_tables

        return read_tables
    if name == "api":
        return importlib.import_module(".api", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["api", "compare", "extract", "read_tables", "__version__"]
