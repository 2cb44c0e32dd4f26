"""Regression tests for bugs found along the way, one per bug."""
from __future__ import annotations

import shutil
from pathlib import Path

from pipeline.cli import main

from .conftest import CORPUS


def test_issue_identical_files_in_parallel_share_the_resume_store(tmp_path: Path) -> None:
    """Two inputs with the same bytes used to race on one temporary cache file and crash the run."""
    for i in range(6):
        (tmp_path / f"in{i}").mkdir()
        shutil.copy(CORPUS / "samples" / "wuhu_edu_2024.txt", tmp_path / f"in{i}" / "plan.txt")
    out = tmp_path / "out"
    assert main(["extract", *(str(tmp_path / f"in{i}") for i in range(6)), "-o", str(out), "--jobs", "2",
                 "--quiet"]) == 0
    assert len(list((out / ".planscope-cache").glob("*.json"))) == 1
    assert not list((out / ".planscope-cache").glob("*.tmp"))
