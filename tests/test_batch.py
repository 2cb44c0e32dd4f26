"""Batch runs: order-stable across workers, resumable by content hash, same tables on Dask."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from pipeline.batch import expand_paths, run
from pipeline.cli import main

from .conftest import CORPUS, DATA, assert_same_tables, read_tables


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    src = tmp_path / "plans"
    shutil.copytree(CORPUS, src, ignore=shutil.ignore_patterns("gold", "dev", "*.md"))  # batching, not the corpus
    shutil.copy(DATA / "docx" / "task_table.docx", src / "task_table.docx")
    shutil.copy(DATA / "html" / "changzhou_edu_2022_gbk.html", src / "gbk_page.html")
    (src / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    return src


def test_batch_output_identical_for_any_jobs(folder: Path, tmp_path: Path) -> None:
    assert main(["extract", str(folder), "-o", str(tmp_path / "j1"), "--jobs", "1", "--quiet"]) == 0
    assert main(["extract", str(folder), "-o", str(tmp_path / "j2"), "--jobs", "2", "--quiet"]) == 0
    one, two = read_tables(tmp_path / "j1"), read_tables(tmp_path / "j2")
    assert_same_tables(one, two)
    docs = one["documents"]
    assert len(docs) == len(expand_paths([folder])) == 10
    assert docs.set_index("doc_id").loc["broken", "status"] == "error"
    # each worker writes its texts into a folder of its own; text/ ends up with the documents' texts alone
    texts = {p.name: p.read_bytes() for p in (tmp_path / "j1" / "text").iterdir()}
    assert texts == {p.name: p.read_bytes() for p in (tmp_path / "j2" / "text").iterdir()}
    assert sorted(texts) == sorted(f"{d}.txt.gz" for d in docs.loc[docs["status"] == "ok", "doc_id"])


def test_batch_resume_skips_done_and_redoes_edited(folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["extract", str(folder), "-o", str(out), "--jobs", "1", "--resume"]) == 0
    first = read_tables(out)
    wuhu = folder / "samples" / "wuhu_edu_2024.txt"
    wuhu.write_text(wuhu.read_text(encoding="utf-8").replace("加强思想理论武装", "强化思想理论武装"), encoding="utf-8")
    capsys.readouterr()
    assert main(["extract", str(folder), "-o", str(out), "--jobs", "1", "--resume"]) == 0
    summary = capsys.readouterr().err
    assert "9 ok (8 resumed), 1 error(s)" in summary  # 8 untouched ok files reused, the edited one redone
    second = read_tables(out)
    items = second["items"]
    assert "强化思想理论武装" in set(items[items.doc_id == "wuhu_edu_2024"].heading)
    assert len(second["documents"]) == len(first["documents"])
    for name in ("quantities", "departments", "instruments"):
        pd.testing.assert_frame_equal(first[name], second[name], obj=name)


def test_batch_resume_reuses_a_record_for_the_same_file_and_options_only(tmp_path: Path,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    for name in ("wuhu_edu_2024.txt", "zhejiang_health_2023.txt", "anshan_lishan_gov_tasks_2023.txt"):
        shutil.copy(CORPUS / "samples" / name, plans / name)
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    assert main(["extract", str(plans), "-o", str(out), "--resume", "--quiet"]) == 0
    assert main(["extract", str(plans), "-o", str(fresh), "--headers", "zh", "--plain-text", "--quiet"]) == 0
    capsys.readouterr()

    def resumed(*extra: str) -> str:
        assert main(["extract", str(plans), "-o", str(out), "--resume", "--headers", "zh", "--plain-text", *extra]) == 0
        return capsys.readouterr().err

    assert "3 ok (0 resumed)" in resumed()  # the stored rows have English headers and a gzipped text
    assert "3 ok (3 resumed)" in resumed()
    for table in fresh.glob("*.csv"):  # what a resumed run writes is what a fresh one writes, byte for byte
        assert (out / table.name).read_bytes() == table.read_bytes(), table.name
    assert sorted(p.name for p in (out / "text").iterdir()) == sorted(p.name for p in (fresh / "text").iterdir())
    assert (out / "text" / "wuhu_edu_2024.txt").read_bytes() == (fresh / "text" / "wuhu_edu_2024.txt").read_bytes()
    (plans / "wuhu_edu_2024.txt").rename(plans / "wuhu_2024.txt")  # same bytes, another path and doc_id
    assert "3 ok (2 resumed)" in resumed()
    items = read_tables(out)["items"]
    assert set(items.iloc[:, 0]) == {"wuhu_2024", "zhejiang_health_2023", "anshan_lishan_gov_tasks_2023"}  # doc_id
    aliases = tmp_path / "aliases.tsv"
    aliases.write_text("variant\tcanonical\n省卫生健康委\t浙江省卫生健康委员会\n", encoding="utf-8")
    assert "3 ok (0 resumed)" in resumed("--aliases", str(aliases))  # canonical names come from the table


class _EditsItsFile:
    """A writer's finisher that edits the file once it has been read, as a user saving it mid-run would."""

    def __init__(self, then: Any) -> None:
        self.then, self.options = then, then.options

    def __call__(self, result: Any) -> Any:
        path = Path(result.extra["path"])
        path.write_text(path.read_text(encoding="utf-8").replace("加强思想理论武装", "强化思想理论武装"), encoding="utf-8")
        return self.then(result)


def test_batch_resume_keys_a_record_by_the_bytes_that_were_read(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    from pipeline.export import TableWriter
    from pipeline.resume import ResultStore, Storing

    plan = tmp_path / "wuhu_edu_2024.txt"
    shutil.copy(CORPUS / "samples" / plan.name, plan)
    out = tmp_path / "out"
    with TableWriter(out) as writer:
        storing = Storing(ResultStore(out), _EditsItsFile(writer.finisher(keep_text=True)))
        for res in run([plan], finish=storing, reuse=storing.reuse):
            writer.write(res)
    assert "加强思想理论武装" in set(read_tables(out)["items"].heading)
    capsys.readouterr()
    # the file on disk is the edited one now: its rows were never stored, so it is read again
    assert main(["extract", str(plan), "-o", str(out), "--resume"]) == 0
    assert "1 ok (0 resumed)" in capsys.readouterr().err
    assert "强化思想理论武装" in set(read_tables(out)["items"].heading)


def test_batch_from_list_and_globs(tmp_path: Path) -> None:
    listing = tmp_path / "list.txt"
    listing.write_text(f"# plans to read\n{CORPUS / 'changzhou_edu_2022.txt'}\n\n", encoding="utf-8")
    files = expand_paths([str(CORPUS / "samples" / "*_2024.txt")], from_list=listing)
    assert [f.name for f in files] == ["changzhou_edu_2024.txt", "wuhu_edu_2024.txt", "changzhou_edu_2022.txt"]


def test_batch_time_limit_gives_error_row(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    import pipeline.batch as batch

    def slow(*args: object, **kwargs: object) -> None:
        time.sleep(30)

    monkeypatch.setattr(batch, "process_file", slow)  # workers are forked, so they see the patch
    [res] = run([CORPUS / "changzhou_edu_2022.txt"], timeout=0.2)
    assert res.status == "error" and "longer than 0.2 s" in res.error and "changzhou_edu_2022.txt" in res.error


def test_batch_dask_engine_equals_local(folder: Path, tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    assert main(["extract", str(folder), "-o", str(tmp_path / "local"), "--jobs", "1", "--quiet"]) == 0
    assert main(["extract", str(folder), "-o", str(tmp_path / "dask"), "--engine", "dask", "--jobs", "2",
                 "--quiet"]) == 0
    assert_same_tables(read_tables(tmp_path / "local"), read_tables(tmp_path / "dask"))


def test_batch_run_yields_one_result_per_input_in_order(folder: Path) -> None:
    files = expand_paths([folder])
    results = list(run([folder], jobs=2))
    assert [r.source for r in results] == [str(f) for f in files]


def test_batch_folder_walk_takes_plans_only(tmp_path: Path) -> None:
    seed = (CORPUS / "changzhou_edu_2022.txt").read_bytes()
    for rel in ("b.txt", "A.TXT", "notes.csv", ".hidden.txt", ".git/x.txt", "gold/g.txt", "sub/gold/g.txt",
                "sub/z.txt", "sub/a-b.txt", "sub/a/b.txt", "text/t.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(seed)
    (tmp_path / "alias.txt").symlink_to(tmp_path / "b.txt")  # the same file twice: taken once, where first met
    (tmp_path / "up").symlink_to(tmp_path)  # a folder link is not entered
    assert main(["extract", str(tmp_path / "sub" / "z.txt"), "-o", str(tmp_path / "out"), "--quiet"]) == 0
    (tmp_path / "out" / "copy.txt").write_bytes(seed)  # inside an earlier output folder: not a plan
    names = [str(f.relative_to(tmp_path)) for f in expand_paths([tmp_path])]
    # path order, component by component (sub/a/b.txt before sub/a-b.txt: "a" < "a-b")
    assert names == ["A.TXT", "alias.txt", "sub/a/b.txt", "sub/a-b.txt", "sub/z.txt", "text/t.txt"]
    # the folder given is itself an output folder (-o inside it): only its text/ is left out
    (tmp_path / "datapackage.json").write_bytes((tmp_path / "out" / "datapackage.json").read_bytes())
    assert [str(f.relative_to(tmp_path)) for f in expand_paths([tmp_path])] == names[:-1]
