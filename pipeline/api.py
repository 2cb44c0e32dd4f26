"""The Python API: plans in, the output tables as typed pandas DataFrames out.

>>> from pipeline.api import extract, compare, read_tables
>>> tables = extract("corpus")                     # doctest: +SKIP
>>> tables["quantities"].head()                    # doctest: +SKIP
>>> changes = compare("plan_2022.txt", "plan_2023.txt")["target_changes"]  # doctest: +SKIP
>>> read_tables("outputs")["items"]                # doctest: +SKIP
>>> read_text("outputs", "plan_2022")[120:135]     # doctest: +SKIP  (what a span's start/end point at)
"""
from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

PathLike = str | os.PathLike[str]


def _flat(paths: tuple[PathLike | Iterable[PathLike], ...]) -> list[PathLike]:
    """``extract("a.txt", "b")``, ``extract(["a.txt", "b"])`` and ``extract(generator)`` mean the same."""
    flat: list[PathLike] = []
    for p in paths:
        if isinstance(p, (str, os.PathLike)):
            flat.append(p)
        elif isinstance(p, Iterable):
            flat.extend(_flat(tuple(p)))
        else:
            raise TypeError(f"expected a path or an iterable of paths, not {type(p).__name__}")
    return flat


def extract(*paths: PathLike | Iterable[PathLike], jobs: int = 1, aliases: PathLike | None = None,
            **options: Any) -> dict[str, pd.DataFrame]:
    """Extract plans (files or folders, or iterables of them) and return the output tables as DataFrames.

    Keys: documents, items, quantities, deadlines, departments, instruments — the tables ``planscope extract``
    writes, with the types declared in :mod:`pipeline.tables`. ``aliases`` is a file of extra department
    aliases (variant<TAB>canonical, as ``--aliases``). ``options`` go to :func:`pipeline.batch.run`
    (max_bytes, timeout, …). A path that does not exist raises FileNotFoundError.
    """
    from .batch import run
    from .export import to_tables

    if aliases is not None:
        from .resources import use_aliases

        use_aliases(aliases)

    return to_tables(run(_flat(paths), jobs=jobs, **options))


def compare(*paths: PathLike | Iterable[PathLike], threshold: float | None = None,
            cross_issuer: str = "abstain") -> dict[str, pd.DataFrame]:
    """Compare plans given oldest first; returns alignment, target_changes and trajectories.

    A plan without numbered items is compared as a whole; plans of different issuers are flagged and
    not aligned unless ``cross_issuer="align"``; a file that cannot be read raises a PlanscopeError naming it.
    """
    from .batch import read_plans
    from .compare import DEFAULT_THRESHOLD, comparison_tables
    from .compare import compare as compare_documents
    from .tables import typed

    files = _flat(paths)
    if len(files) < 2:
        raise ValueError("compare needs at least two plans, oldest first")
    docs = read_plans(files)
    tables = comparison_tables(compare_documents(docs, threshold=DEFAULT_THRESHOLD if threshold is None else threshold,
                                                 cross_issuer=cross_issuer))
    return {name: typed(name, df) for name, df in tables.items()}


def read_tables(path: PathLike, *, format: str | None = None) -> dict[str, pd.DataFrame]:
    """The tables in an output folder (or a ``planscope.sqlite`` / ``.xlsx`` file), exactly as
    :func:`extract` or :func:`compare` returned them. ``format`` picks csv / xlsx / json / parquet / sqlite."""
    from .export import read_tables as _read

    return _read(path, format=format)


__all__ = ["compare", "extract", "read_tables"]


def read_text(path: PathLike, doc_id: str) -> str:
    """The normalised text of one document of an output folder: every ``start``/``end`` indexes it."""
    from .export import read_text as _read

    return _read(path, doc_id)
