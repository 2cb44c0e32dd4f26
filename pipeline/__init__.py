"""planscope: parse, extract and compare Chinese government work plans.

>>> from pipeline import extract, compare, read_tables
>>> tables = extract("corpus")                     # doctest: +SKIP
>>> tables["quantities"].head()                    # doctest: +SKIP
>>> changes = compare("plan_2022.txt", "plan_2023.txt")["target_changes"]  # doctest: +SKIP

The API lives in :mod:`pipeline.api`; the stages are the subpackages (``pipeline.extract.patterns``, ...).
"""
from __future__ import annotations

import types
from typing import Any

__version__ = "0.1.0"

from . import api  # noqa: E402
from . import compare as _compare_stage  # noqa: E402
from . import extract as _extract_stage  # noqa: E402
from .api import read_tables  # noqa: E402


class _CallableStage(types.ModuleType):
    """``pipeline.extract`` and ``pipeline.compare`` are both a stage subpackage and, when called, the API
    function of the same name, so ``import pipeline.extract.patterns`` and ``pipeline.extract("corpus")``
    both work."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return getattr(api, self.__name__.rsplit(".", 1)[1])(*args, **kwargs)


for _stage in (_extract_stage, _compare_stage):
    _stage.__class__ = _CallableStage
extract = _extract_stage
compare = _compare_stage

__all__ = ["api", "compare", "extract", "read_tables", "__version__"]
