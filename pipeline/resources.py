"""Artefacts shipped in ``models/`` (department aliases, jieba user dictionary), loaded once per process."""
from __future__ import annotations

import os
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


# A user's own alias file (``--aliases FILE``, ``extract(..., aliases=FILE)``) extends the shipped table. It
# travels in the environment so that worker processes, however started, read the same table.
ALIASES_ENV = "PLANSCOPE_ALIASES"


@lru_cache(maxsize=1)
def load_aliases() -> dict[str, str]:
    """The department alias table ``models/department_aliases.tsv`` as ``{variant: canonical}``.

    Comment lines (``#``), blank lines and the ``variant<TAB>canonical`` header are skipped. A missing
    file gives an empty table. Rows of the user's file (:func:`use_aliases`) are added and win over
    shipped ones. The returned dict is shared between callers: do not mutate it.
    """
    path = MODELS / "department_aliases.tsv"
    table = _read_aliases(path, strict=False) if path.is_file() else {}
    user = os.environ.get(ALIASES_ENV)
    if user:
        table = {**table, **_read_aliases(Path(user), strict=True)}
    return table


def use_aliases(path: str | os.PathLike[str]) -> dict[str, str]:
    """Extend the alias table with a user's ``variant<TAB>canonical`` file, for this process and its workers.

    Raises :class:`~pipeline.errors.PlanscopeError` naming the file and line when it cannot be read.
    """
    p = Path(path)
    rows = _read_aliases(p, strict=True)  # check it here, where the error can be reported
    os.environ[ALIASES_ENV] = str(p.resolve())
    load_aliases.cache_clear()
    return rows


def _read_aliases(path: Path, *, strict: bool) -> dict[str, str]:
    pairs = _read_pairs(path, header=("variant", "canonical"), what="alias", strict=strict)
    return {variant.replace("(", "（").replace(")", "）"): canonical for variant, canonical in pairs}


def _read_pairs(path: Path, *, header: tuple[str, str], what: str, strict: bool) -> list[tuple[str, str]]:
    """The ``a<TAB>b`` rows of a two-column table; comment (``#``), blank and header lines skipped. With
    ``strict`` a malformed line is a PlanscopeError naming the file and line, else it is skipped."""
    from .errors import PlanscopeError

    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise PlanscopeError(f"{path}: cannot read the {what} file ({exc.__class__.__name__}: {exc})") from None
    pairs: list[tuple[str, str]] = []
    for n, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = [p.strip() for p in line.split("\t")]
        if tuple(parts[:2]) == header:
            continue
        if len(parts) < 2 or not parts[0] or not parts[1]:
            if strict:
                article = "an" if what[0] in "aeiou" else "a"
                raise PlanscopeError(f"{path}:{n}: {article} {what} line is {header[0]}<TAB>{header[1]}, "
                                     f"not {line.strip()!r}")
            continue
        pairs.append((parts[0], parts[1]))
    return pairs


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
    pairs = _read_pairs(path, header=("taiwan", "mainland"), what="phrase", strict=False)
    return sorted(pairs, key=lambda p: -len(p[0]))
