"""planscope: parse, extract and compare Chinese government work plans.

>>> from pipeline import extract, compare
>>> tables = extract("corpus")                     # doctest: +SKIP
>>> tables["quantities"].head()                    # doctest: +SKIP
>>> changes = compare("plan_2022.txt", "plan_2023.txt")["target_changes"]  # doctest: +SKIP
"""
from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

# The stage subpackages share their names with the API functions below. Importing them first means the
# import system has already set (and will not set again) the package attributes, so ``pipeline.extract``
# and ``pipeline.compare`` are the functions; reach the stages as ``from pipeline.extract import …``.
from . import compare as _compare_stage  # noqa: F401
from . import extract as _extract_stage  # noqa: F401

if TYPE_CHECKING:
    import pandas as pd

__version__ = "0.1.0"


def extract(*paths: str | os.PathLike[str], jobs: int = 1, aliases: str | os.PathLike[str] | None = None,
            **options: Any) -> dict[str, pd.DataFrame]:
    """Extract plans (files or folders) and return the output tables as DataFrames.

    Keys: documents, items, quantities, deadlines, departments, instruments — the same tables
    ``planscope extract`` writes. ``aliases`` is a file of extra department aliases (variant<TAB>canonical,
    as ``--aliases``). ``options`` go to :func:`pipeline.batch.run` (max_bytes, timeout, …).
    """
    from .batch import run
    from .export import to_tables

    if aliases is not None:
        from .resources import use_aliases

        use_aliases(aliases)

    return to_tables(run(paths, jobs=jobs, **options))


def compare(*paths: str | os.PathLike[str], threshold: float | None = None) -> dict[str, pd.DataFrame]:
    """Compare plans given oldest first; returns alignment, target_changes and trajectories."""
    from .batch import read_plans
    from .compare import DEFAULT_THRESHOLD, comparison_tables
    from .compare import compare as compare_documents

    if len(paths) < 2:
        raise ValueError("compare needs at least two plans, oldest first")
    docs = read_plans(paths)
    return comparison_tables(compare_documents(docs, threshold=DEFAULT_THRESHOLD if threshold is None else threshold))


__all__ = ["extract", "compare", "__version__"]
