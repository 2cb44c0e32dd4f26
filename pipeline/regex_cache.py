"""Compiled regular expressions kept on disk between runs, as Python keeps the bytecode of modules.

planscope compiles about 250 patterns, many with classes of Chinese characters whose tables the ``re``
compiler builds in Python: 40-50 ms, a third of the start-up of a one-file run and of the part of a batch
run that more workers cannot share. What the compiler makes of a pattern (the program ``_sre`` runs)
depends only on the pattern, its flags and the Python build. :func:`save` stores those programs in
``__pycache__`` (or under ``PYTHONPYCACHEPREFIX``) and :func:`load`, run as the package loads, puts them
into ``re``'s own cache, where ``re.compile`` and ``re.search(pattern, ...)`` look first.

Nothing depends on it: a file from another Python, damaged or refused (``_sre`` checks every program it is
given) is ignored and the patterns compile as usual; with ``PYTHONDONTWRITEBYTECODE`` set nothing is
written. ``PLANSCOPE_NO_REGEX_CACHE=1`` turns it off.
"""
from __future__ import annotations

import marshal
import os
import re
import sys
from pathlib import Path
from typing import Any

try:  # the compiler's parts; re keeps them private, so any surprise turns the cache off
    import _sre
    from re import _compiler, _parser
except ImportError:  # Python 3.10: sre_compile, not worth a second path
    _sre = None  # type: ignore[assignment]

# re's cache of compiled patterns (a dict by (type, pattern, flags) in 3.11-3.14) and its size
_RE_CACHE: Any = getattr(re, "_cache", None)
_RE_MAX: int = getattr(re, "_MAXCACHE", 0)
ENABLED = (_sre is not None and isinstance(_RE_CACHE, dict) and _RE_MAX > 0
           and os.environ.get("PLANSCOPE_NO_REGEX_CACHE", "") in ("", "0"))
MAX_ENTRIES = 2000  # past this the file keeps only the last run's patterns (old ones stop piling up)
MAX_SEEN = 1000  # patterns seen once, waiting for a second run; past this only the last run's stay
# what the programs depend on (a different Python ignores the file), and the file's layout
_BUILD = (sys.version, getattr(_sre, "MAGIC", None), getattr(_sre, "CODESIZE", None), 2)

Entry = tuple[Any, int, int, list[int], int, dict[str, int], tuple[Any, ...]]
Key = tuple[type, Any, int]
_known: dict[Key, Entry] = {}  # the file's entries, by re's cache key


def cache_file() -> Path | None:
    """Where the programs are kept: beside this module's bytecode, named after the Python build."""
    import importlib.util

    try:
        return Path(importlib.util.cache_from_source(__file__)).with_suffix(".patterns")
    except (NotImplementedError, ValueError):  # no bytecode cache for this interpreter
        return None


def _read(path: Path) -> tuple[list[Entry], list[tuple[Any, int]]]:
    """The file's entries, and the (pattern, flags) of the patterns it has seen once."""
    try:
        build, entries, seen = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return [], []
    ok = build == _BUILD and isinstance(entries, list) and isinstance(seen, list)
    return (entries, seen) if ok else ([], [])


def load() -> int:
    """Put the stored programs into re's cache; returns how many were taken."""
    path = cache_file() if ENABLED else None
    if path is None:
        return 0
    taken = 0
    for entry in _read(path)[0]:
        try:
            pattern, flags, all_flags, code, groups, groupindex, indexgroup = entry
            compiled = _sre.compile(pattern, all_flags, code, groups, groupindex, indexgroup)
        except Exception:  # a damaged entry (_sre validates the program): that pattern compiles as usual
            continue
        key = (type(pattern), pattern, flags)
        _known[key] = entry
        if len(_RE_CACHE) < _RE_MAX:
            _RE_CACHE[key] = compiled
            taken += 1
    return taken


def _entry(pattern: Any, flags: int, compiled: re.Pattern[Any]) -> Entry | None:
    """The stored form of a compiled pattern, checked against it; None if it would not come back the same."""
    try:
        parsed = _parser.parse(pattern, flags)
        code = [int(op) for op in _compiler._code(parsed, flags)]
        indexgroup: list[str | None] = [None] * parsed.state.groups
        for name, i in parsed.state.groupdict.items():
            indexgroup[i] = name
        entry = (pattern, flags, int(flags | parsed.state.flags), code, parsed.state.groups - 1,
                 dict(parsed.state.groupdict), tuple(indexgroup))
        again = _sre.compile(*entry[:1], *entry[2:])
    except Exception:
        return None
    same = (again.flags, again.groups, dict(again.groupindex)) == (compiled.flags, compiled.groups,
                                                                   dict(compiled.groupindex))
    return entry if same else None


def save() -> int:
    """Store the programs of the patterns this process compiled that the file lacks; returns how many.

    A pattern is stored the second time a process compiles it: other packages build some patterns from
    sets (email's header parser, loaded with Dask), a new pattern in every process, which would fill the
    file and ``re``'s cache of 512 and push planscope's own out. Cheap when nothing is new (the usual case
    once two runs have stored them): a look over re's cache."""
    path = cache_file() if ENABLED and not sys.dont_write_bytecode else None
    if path is None:
        return 0
    cached = dict(_RE_CACHE)
    new = {key: compiled for key, compiled in cached.items()
           if key not in _known and key[0] in (str, bytes) and not key[2] & re.DEBUG}
    if not new:
        return 0
    stored, seen_list = _read(path)  # what other processes stored meanwhile
    entries = {(type(e[0]), e[0], e[1]): e for e in stored}
    entries.update(_known)
    seen_before = {(type(pattern), pattern, flags) for pattern, flags in seen_list}
    seen = set(seen_before)
    if len(entries) + len(new) > MAX_ENTRIES:
        entries = {key: entries[key] for key in cached if key in entries}
    added = 0
    for key, compiled in new.items():
        if key in entries:
            continue
        if key not in seen:
            seen.add(key)
            continue
        entry = _entry(key[1], key[2], compiled)
        seen.discard(key)
        if entry is not None:
            entries[key] = entry
            added += 1
    if not added and not seen - seen_before:
        return 0  # nothing new to store or to remember (no file written on every run for it)
    if len(seen) > MAX_SEEN:
        seen = {key for key in seen if key in new}
    import tempfile  # here, not at start-up

    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".part")
        with os.fdopen(fd, "wb") as fh:
            fh.write(marshal.dumps((_BUILD, list(entries.values()), [(p, f) for _, p, f in seen])))
        os.chmod(tmp, os.stat(__file__).st_mode & 0o666)  # as Python does for bytecode (mkstemp's is private)
        os.replace(tmp, path)  # readers see the old file or the new one, never half of one
    except OSError:  # a read-only install or a full disk: the patterns just compile at every start
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
        return 0
    _known.update(entries)
    return added
