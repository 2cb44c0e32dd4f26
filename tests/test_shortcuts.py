"""Speed changes never change a table: the pre-checks of :mod:`pipeline.shortcuts` on and off give the same
bytes on real plans (the bundled corpus always; 120 crawled plans of ../shared/corpus/wild when it lies
beside the checkout, as in CI).
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CORPUS, ROOT

WILD = ROOT.parent / "shared" / "corpus" / "wild"


def _tables(paths: list[Path], out: Path, *, shortcuts: bool) -> dict[str, bytes]:
    env = dict(os.environ, PLANSCOPE_NO_SHORTCUTS="0" if shortcuts else "1")
    subprocess.run([sys.executable, "-m", "pipeline", "extract", *map(str, paths), "-o", str(out), "--quiet",
                    "--jobs", "2"], check=True, cwd=ROOT, env=env)
    files = [*out.glob("*.csv"), *(out / "text").glob("*.txt.gz")]
    return {str(f.relative_to(out)): f.read_bytes() for f in files}


def _same_bytes(paths: list[Path], tmp_path: Path) -> None:
    fast = _tables(paths, tmp_path / "fast", shortcuts=True)
    reference = _tables(paths, tmp_path / "reference", shortcuts=False)
    assert sorted(fast) == sorted(reference)
    changed = [name for name in fast if fast[name] != reference[name]]
    assert not changed, f"the shortcuts change {changed}"
    items = fast["items.csv"].decode("utf-8-sig").count("\n")
    assert items > 100  # the comparison covered real content, not empty tables


def test_shortcuts_never_change_the_corpus_tables(tmp_path: Path) -> None:
    _same_bytes([CORPUS], tmp_path)


def test_shortcuts_never_change_crawled_tables(tmp_path: Path) -> None:
    if not WILD.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{WILD} is missing: CI must run this comparison")
        pytest.skip(f"{WILD} not here (the crawl lies beside the checkout in CI only)")
    _same_bytes(sorted(WILD.glob("*.txt"))[::7], tmp_path)  # every 7th: 124 plans of every site
