"""The compiled patterns kept between runs (pipeline/regex_cache.py): the same matches as patterns compiled
afresh, the same tables, and a damaged or foreign file ignored. Each test runs fresh interpreters whose
bytecode cache (and so the pattern file) lies in a folder of the test's own."""
from __future__ import annotations

import json
import marshal
import os
import subprocess
import sys
from pathlib import Path

from .conftest import CORPUS, ROOT, SEED

CACHE_FILE = "import json; from pipeline import regex_cache; print(json.dumps(str(regex_cache.cache_file())))"

# Every pattern the file gave this process, compiled afresh: the same groups and flags, and the same
# matches on a real plan (the seed and a plan with a task table), where a wrong program would show.
COMPARE = f"""
import json, re, sys
from re import _compiler
from pathlib import Path
import pipeline
from pipeline import regex_cache
texts = [Path({str(SEED)!r}).read_text(encoding="utf-8"), Path({str(CORPUS / "samples")!r}).joinpath(
    "wuhu_edu_2024.txt").read_text(encoding="utf-8")]
differ, checked = [], 0
for (kind, pattern, flags) in regex_cache._known:
    cached = re._cache.get((kind, pattern, flags))
    if cached is None or kind is not str:
        continue
    fresh = _compiler.compile(pattern, flags)
    checked += 1
    same = (cached.groups, cached.groupindex, cached.flags) == (fresh.groups, fresh.groupindex, fresh.flags)
    for text in texts:
        same = same and [m.span() + m.groups() for m in cached.finditer(text)] == [
            m.span() + m.groups() for m in fresh.finditer(text)]
    if not same:
        differ.append(pattern)
print(json.dumps([checked, differ]))
"""


def _env(pycache: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PLANSCOPE_NO_REGEX_CACHE")}
    return {**env, "PYTHONPYCACHEPREFIX": str(pycache), **extra}


def _python(code: str, env: dict[str, str]) -> str:
    done = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _extract(out: Path, env: dict[str, str], *files: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "pipeline", "extract", *map(str, files), "-o", str(out), "--quiet",
                           "--jobs", "2"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]


def _tables(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.glob("*.csv"))}


def test_regex_cache_programs_match_as_compiled_and_tables_are_the_same(tmp_path: Path) -> None:
    env = _env(tmp_path / "pycache")
    plans = [SEED, *sorted((CORPUS / "samples").glob("*.txt"))]
    _extract(tmp_path / "first", env, *plans)  # compiles every pattern, and notes them as seen once
    cache = Path(json.loads(_python(CACHE_FILE, env)))
    assert cache.is_file() and cache.is_relative_to(tmp_path)
    _extract(tmp_path / "second", env, *plans)  # seen again: stored
    checked, differ = json.loads(_python(COMPARE, env))
    assert checked > 200 and differ == []
    before = cache.stat().st_mtime_ns
    _extract(tmp_path / "cached", env, *plans)
    assert cache.stat().st_mtime_ns == before  # nothing new to store: the third run only reads the file
    _extract(tmp_path / "plain", {**env, "PLANSCOPE_NO_REGEX_CACHE": "1"}, *plans)
    assert (_tables(tmp_path / "cached") == _tables(tmp_path / "plain") == _tables(tmp_path / "first")
            == _tables(tmp_path / "second"))
    assert len(_tables(tmp_path / "plain")) == 6


def test_regex_cache_damaged_file_is_ignored_and_replaced(tmp_path: Path) -> None:
    env = _env(tmp_path / "pycache")
    cache = Path(json.loads(_python(CACHE_FILE, env)))
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_bytes(b"\x00not a marshal file")
    _extract(tmp_path / "out", env, SEED)
    _extract(tmp_path / "again", env, SEED)
    checked, differ = json.loads(_python(COMPARE, env))
    assert checked > 200 and differ == []  # the runs stored a sound file in place of the damaged one
    # A sound file with one program broken (a jump past its end): _sre refuses it, the pattern compiles
    # as usual, and the other programs are still taken.
    build, entries, seen = marshal.loads(cache.read_bytes())
    broken = entries[0]
    entries[0] = (*broken[:3], [*broken[3][:-1], 10 ** 6], *broken[4:])
    cache.write_bytes(marshal.dumps((build, entries, seen)))
    count = "import pipeline, re; from pipeline import regex_cache as c; print(len(c._known))"
    assert int(_python(count, env)) == len(entries) - 1
    # a file from another Python build, or of the earlier layout, is not read at all
    cache.write_bytes(marshal.dumps((("another Python", 0, 0, 2), entries, seen)))
    assert int(_python(count, env)) == 0
    cache.write_bytes(marshal.dumps((build[:3], entries)))
    assert int(_python(count, env)) == 0


def test_regex_cache_stores_a_pattern_only_when_a_second_process_compiles_it(tmp_path: Path) -> None:
    # Some packages build a pattern from a set (email's header parser, which Dask loads): a different
    # pattern in every process. Stored, such patterns would fill the file and re's cache of 512.
    env = _env(tmp_path / "pycache")
    run = ("import re, pipeline; from pipeline import regex_cache as c; re.compile('planscope-every-run'); "
           "re.compile({!r}); c.save(); "
           "print(sorted(p for p in (e[0] for e in c._read(c.cache_file())[0]) if p.startswith('planscope-')))")
    assert _python(run.format("planscope-process-1"), env).strip() == "[]"  # each seen once
    assert _python(run.format("planscope-process-2"), env).strip() == "['planscope-every-run']"
    assert _python(run.format("planscope-process-3"), env).strip() == "['planscope-every-run']"


def test_regex_cache_not_written_where_bytecode_is_not(tmp_path: Path) -> None:
    env = _env(tmp_path / "pycache", PYTHONDONTWRITEBYTECODE="1")
    _extract(tmp_path / "out", env, SEED)
    assert not Path(json.loads(_python(CACHE_FILE, env))).exists()


def test_patterns_are_the_same_in_every_process(tmp_path: Path) -> None:
    # A pattern built from a set would differ with the hash seed: never found in the cache, stored anew
    # by every run.
    code = f"""
import re
import pipeline.cli, pipeline.batch, pipeline.export
from pipeline.batch import DEFAULT_MAX_BYTES, process_task
for path in [{str(SEED)!r}, {str(CORPUS / "samples" / "wuhu_edu_2024.txt")!r}]:
    process_task((path, "plan", DEFAULT_MAX_BYTES, None, None))
print(sorted(repr(key) for key in re._cache))
"""
    env = _env(tmp_path / "pycache", PLANSCOPE_NO_REGEX_CACHE="1")
    assert _python(code, {**env, "PYTHONHASHSEED": "1"}) == _python(code, {**env, "PYTHONHASHSEED": "2"})
