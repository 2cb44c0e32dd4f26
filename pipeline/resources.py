"""Artefacts shipped in ``models/`` (department aliases, jieba user dictionary), loaded once per process."""
from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

def _models_dir() -> Path:
    # A checkout or editable install reads models/ beside the package; a wheel installs the same files
    # as data under <prefix>/share/planscope/models (pyproject: tool.setuptools.data-files).
    here = Path(__file__).resolve().parents[1] / "models"
    if here.is_dir():
        return here
    return Path(sys.prefix) / "share" / "planscope" / "models"


MODELS = _models_dir()


@lru_cache(maxsize=1)
def load_aliases() -> dict[str, str]:
    """The department alias table ``models/department_aliases.tsv`` as ``{variant: canonical}``.

    Comment lines (``#``), blank lines and the ``variant<TAB>canonical`` header are skipped. A missing
    file gives an empty table. The returned dict is shared between callers: do not mutate it.
    """
    path = MODELS / "department_aliases.tsv"
    if not path.is_file():
        return {}
    table: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = [p.strip() for p in line.split("\t")]
        if len(parts) < 2 or not parts[0] or not parts[1] or parts[:2] == ["variant", "canonical"]:
            continue
        table[parts[0]] = parts[1]
    return table


@lru_cache(maxsize=1)
def load_jieba() -> Any:
    """The jieba module, dictionary loaded (~1.4 s, once per process) and ``models/jieba_userdict.txt`` added.

    spaCy's jieba segmenter uses the same module-level tokenizer, so words added here stay whole there too.
    """
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    user_dict = MODELS / "jieba_userdict.txt"
    if user_dict.is_file():
        with user_dict.open("rb") as fh:  # given a path, jieba leaves the file open
            jieba.load_userdict(fh)
    return jieba


@lru_cache(maxsize=1)
def load_tw_phrases() -> list[tuple[str, str]]:
    """``models/tw_phrases.tsv`` as ``(taiwan, mainland)`` pairs, longest first (so 光碟机 wins over 光碟)."""
    path = MODELS / "tw_phrases.tsv"
    if not path.is_file():
        return []
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 2 and not line.startswith("#"):
            pairs.append((parts[0], parts[1]))
    return sorted(pairs, key=lambda p: -len(p[0]))
