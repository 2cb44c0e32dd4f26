"""Reader tests; :func:`builder` loads a fixture builder from tests/data/ (not a package)."""
from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

_DATA = Path(__file__).resolve().parents[1] / "data"


def builder(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, _DATA / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
