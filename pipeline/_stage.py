"""``pipeline.extract`` and ``pipeline.compare`` are both a stage subpackage and, when called, the API
function of the same name, so ``import pipeline.extract.patterns`` and ``pipeline.extract("corpus")``
both work. Each stage marks itself when it is imported, so ``import pipeline`` loads neither."""
from __future__ import annotations

import sys
import types
from typing import Any


class CallableStage(types.ModuleType):
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from . import api

        return getattr(api, self.__name__.rsplit(".", 1)[1])(*args, **kwargs)


def make_callable(module_name: str) -> None:
    sys.modules[module_name].__class__ = CallableStage
