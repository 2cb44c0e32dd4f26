"""Regression tests for bugs found along the way, one per bug."""
from __future__ import annotations

import shutil
from pathlib import Path

from pipeline.cli import main

from .conftest import CORPUS, cache_entries


def test_issue_identical_files_in_parallel_share_the_resume_store(tmp_path: Path) -> None:
    """Two inputs with the same bytes used to race on one temporary cache file and crash the run."""
    for i in range(6):
        (tmp_path / f"in{i}").mkdir()
        shutil.copy(CORPUS / "samples" / "wuhu_edu_2024.txt", tmp_path / f"in{i}" / "plan.txt")
    out = tmp_path / "out"
    assert main(["extract", *(str(tmp_path / f"in{i}") for i in range(6)), "-o", str(out), "--jobs", "2",
                 "--quiet", "--resume"]) == 0
    assert len({head.split()[0] for head, _ in cache_entries(out)}) == 1  # one key for the one content
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
    assert main(["extract", str(folder), "-o", str(out), "--jobs", "1", "--resume"]) == 0
    capsys.readouterr()
    assert main(["extract", str(folder), "-o", str(out), "--jobs", "1", "--resume"]) == 0
    assert "1 ok (1 resumed)" in capsys.readouterr().err
    assert (out / "text" / "芜湖教育工作要点.txt.gz").exists()


def test_issue_department_spelling_variants_are_not_a_lead_change(tmp_path: Path) -> None:
    """区发改局 and 区发展和改革局 are one department: tables carry the canonical name, compare sees no change."""
    from pipeline import compare

    old = tmp_path / "a.txt"
    new = tmp_path / "b.txt"
    old.write_text("2023年重点工作\n一、扩大有效投资\n1.固定资产投资增长15%左右。\n牵头单位：区发改局\n", encoding="utf-8")
    new.write_text("2024年重点工作\n一、扩大有效投资\n1.固定资产投资增长15%左右。\n牵头单位：区发展和改革局\n", encoding="utf-8")
    align = compare(old, new)["alignment"]
    leaf = align[align["new_item_id"] == "1.1"].iloc[0]
    assert leaf["status"] == "modified" and not leaf["lead_change"]
    from pipeline import extract

    deps = extract(old)["departments"]
    assert list(deps["canonical"]) == ["区发展和改革局"] and list(deps["department"]) == ["区发改局"]
