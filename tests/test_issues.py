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


def test_issue_gbk_file_names_are_resumed(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """Results of a file whose name is GBK bytes were stored under the decoded name and never reused."""
    import os

    folder = tmp_path / "in"
    folder.mkdir()
    name = "芜湖教育工作要点.txt".encode("gb18030")
    with open(os.path.join(os.fsencode(folder), name), "wb") as fh:
        fh.write((CORPUS / "samples" / "wuhu_edu_2024.txt").read_bytes())
    out = tmp_path / "out"
    assert main(["extract", str(folder), "-o", str(out), "--jobs", "1"]) == 0
    capsys.readouterr()
    assert main(["extract", str(folder), "-o", str(out), "--jobs", "1", "--resume"]) == 0
    assert "1 ok (1 resumed)" in capsys.readouterr().err
    assert (out / "text" / "芜湖教育工作要点.txt").exists()
