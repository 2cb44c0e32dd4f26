"""The command line as a researcher uses it: extract a folder, read the tables, trace every span."""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from pipeline.api import read_text
from pipeline.cli import main

from .conftest import CORPUS, DATA

# DESIGN.md, "Output contract": these columns must exist, in this order, at the start of each table.
CONTRACT = {
    "documents": ["doc_id", "source", "format", "title", "issuer", "year", "n_items", "status", "error"],
    "items": ["doc_id", "item_id", "parent_id", "level", "label", "heading", "text", "lead_departments",
              "co_departments", "start", "end"],
    "quantities": ["doc_id", "item_id", "text", "value", "value_max", "unit", "qualifier", "subject", "start", "end"],
    "deadlines": ["doc_id", "item_id", "text", "date", "granularity", "start", "end"],
    "departments": ["doc_id", "item_id", "department", "role", "start", "end"],
    "instruments": ["doc_id", "item_id", "title", "action", "start", "end"],
}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    assert main(["extract", str(CORPUS), "-o", str(out), "--quiet"]) == 0
    return out


def _table(out: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(out / f"{name}.csv", encoding="utf-8-sig", dtype={"item_id": str, "parent_id": str},
                       keep_default_na=False)


@pytest.mark.parametrize("name", CONTRACT)
def test_cli_extract_tables_follow_contract(extracted: Path, name: str) -> None:
    raw = (extracted / f"{name}.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM, so Excel opens the UTF-8 correctly
    header = raw[3:].split(b"\n", 1)[0].decode("utf-8").strip().split(",")
    assert header[: len(CONTRACT[name])] == CONTRACT[name]


def test_cli_extract_one_row_per_document(extracted: Path) -> None:
    docs = _table(extracted, "documents")
    # the seed, six samples, and the real dev texts of the compare gold series (corpus/dev)
    assert len(docs) == 7 + len(list((CORPUS / "dev").glob("*.txt"))) and set(docs["status"]) == {"ok"}
    seed = docs[docs["doc_id"] == "changzhou_edu_2022"].iloc[0]
    assert (seed["title"], int(seed["year"]), int(seed["n_items"])) == ("2022年工作要点", 2022, 39)


@pytest.mark.parametrize("name, column", [("items", None), ("quantities", "text"), ("deadlines", "text"),
                                          ("departments", "department"), ("instruments", "title")])
def test_cli_extract_offsets_trace_to_exported_text(extracted: Path, name: str, column: str | None) -> None:
    df = _table(extracted, name)
    assert len(df) > 0
    texts = {doc_id: read_text(extracted, doc_id) for doc_id in _table(extracted, "documents")["doc_id"]}
    for row in df.itertuples():
        span = texts[row.doc_id][int(row.start) : int(row.end)]
        if column is None:
            assert span.startswith(row.label) and row.heading in span
        else:
            assert span == getattr(row, column)


def test_cli_extract_seed_values(extracted: Path) -> None:
    items = _table(extracted, "items")
    ninth = items[(items.doc_id == "changzhou_edu_2022") & (items.label == "（九）")].iloc[0]
    assert (ninth.item_id, ninth.parent_id, ninth.heading) == ("2.1", "2", "增加学位资源供给")
    q = _table(extracted, "quantities")
    seats = q[(q.doc_id == "changzhou_edu_2022") & (q.text == "3.3万个")].iloc[0]
    assert (float(seats.value), seats.unit, seats.subject) == (33000.0, "个", "学位")
    deps = _table(extracted, "departments")
    pe = deps[deps.department == "体育、卫生与艺术教育处"]
    assert len(pe) == 1 and pe.iloc[0].role == "lead"


def test_cli_extract_bad_files_get_error_rows(tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    shutil.copy(CORPUS / "samples" / "wuhu_edu_2024.txt", folder / "wuhu.txt")
    shutil.copy(DATA / "docx" / "task_table.docx", folder / "tasks.docx")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "scan.pdf").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    (folder / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100))
    out = tmp_path / "out"
    assert main(["extract", str(folder), "-o", str(out), "--quiet"]) == 0
    docs = _table(out, "documents").set_index("doc_id")
    assert docs.loc["wuhu", "status"] == "ok" and docs.loc["tasks", "status"] == "ok"
    for doc_id, word in [("empty", "empty"), ("scan", "PNG"), ("old", "OLE")]:
        assert docs.loc[doc_id, "status"] == "error"
        assert doc_id in docs.loc[doc_id, "error"] and word in docs.loc[doc_id, "error"]
    assert main(["extract", str(folder), "-o", str(out), "--quiet", "--strict"]) == 1


def test_cli_doc_ids_unique_within_run(tmp_path: Path) -> None:
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        shutil.copy(CORPUS / "samples" / "wuhu_edu_2024.txt", tmp_path / sub / "plan.txt")
    out = tmp_path / "out"
    assert main(["extract", str(tmp_path / "a"), str(tmp_path / "b"), "-o", str(out), "--quiet"]) == 0
    assert list(_table(out, "documents")["doc_id"]) == ["plan", "plan_2"]
    assert sorted(p.name for p in (out / "text").iterdir()) == ["plan.txt.gz", "plan_2.txt.gz"]


# ------------------------------------------------------------------------------- inputs and errors

WUHU = CORPUS / "samples" / "wuhu_edu_2024.txt"


def test_cli_missing_path_is_an_error_not_an_empty_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["extract", str(WUHU), str(tmp_path / "nope.txt"), "-o", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "nope.txt" in err[0] and "no such file" in err[0]
    assert not (out / "documents.csv").exists()


def test_api_missing_path_raises_file_not_found(tmp_path: Path) -> None:
    from pipeline.api import extract

    with pytest.raises(FileNotFoundError, match="nope.txt"):
        extract(WUHU, tmp_path / "nope.txt")


def test_api_takes_any_iterable_of_paths() -> None:
    from pipeline.api import extract

    paths = [WUHU, CORPUS / "samples" / "zhejiang_health_2023.txt"]
    by_list, by_gen = extract(paths), extract(p for p in paths)
    assert list(by_list["documents"]["doc_id"]) == ["wuhu_edu_2024", "zhejiang_health_2023"]
    pd.testing.assert_frame_equal(by_list["items"], by_gen["items"])
    assert len(by_list["items"]) > 0


def test_cli_second_run_skips_own_output_and_duplicates(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    shutil.copy(WUHU, plans / "wuhu.txt")
    out = plans / "outputs"  # the output folder inside the folder read, as `planscope extract .` gives
    for _ in range(2):
        assert main(["extract", str(plans), str(plans / "wuhu.txt"), "-o", str(out), "--quiet"]) == 0
        assert list(_table(out, "documents")["doc_id"]) == ["wuhu"]
    other = tmp_path / "elsewhere"  # an earlier output folder met while walking is skipped too
    assert main(["extract", str(tmp_path), "-o", str(other), "--quiet"]) == 0
    assert list(_table(other, "documents")["doc_id"]) == ["wuhu"]


def test_cli_from_list_resolves_relative_to_the_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "lists").mkdir()
    shutil.copy(WUHU, tmp_path / "lists" / "wuhu.txt")
    listing = tmp_path / "lists" / "files.txt"
    listing.write_text("# plans\nwuhu.txt\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["extract", "--from-list", "lists/files.txt", "-o", "out", "--quiet"]) == 0
    assert list(_table(tmp_path / "out", "documents")["doc_id"]) == ["wuhu"]
    listing.write_text("wuhu.txt\nmissing.txt\n", encoding="utf-8")
    assert main(["extract", "--from-list", "lists/files.txt", "-o", "out2", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "line 2" in err and "missing.txt" in err and "does not exist" in err


def _fail_on(monkeypatch: pytest.MonkeyPatch, exc: BaseException, *, after: int = 0) -> None:
    """Make the CSV files the writing process appends to fail with ``exc`` after ``after`` appends."""
    from pipeline import export

    real = export._CsvSink.append
    calls = {"n": 0}

    class FullDisk:
        def __init__(self, fh: Any) -> None:
            self.fh = fh

        def write(self, text: str) -> int:
            self.fh.write(text[: len(text) // 2])  # half a row reaches the temporary file
            raise exc

        def close(self) -> None:
            self.fh.close()

    def append(self: Any, text: str) -> None:
        calls["n"] += 1
        if calls["n"] > after and not isinstance(self.fh, FullDisk):
            self.fh = FullDisk(self.fh)
        real(self, text)

    monkeypatch.setattr(export._CsvSink, "append", append)


def test_cli_full_disk_names_the_file_and_keeps_old_tables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    import errno

    out = tmp_path / "out"
    assert main(["extract", str(WUHU), "-o", str(out), "--quiet"]) == 0
    before = (out / "items.csv").read_bytes()
    texts = sorted(p.name for p in (out / "text").iterdir())
    _fail_on(monkeypatch, OSError(errno.ENOSPC, "No space left on device"), after=3)
    assert main(["extract", str(CORPUS), "-o", str(out), "--quiet", "-j", "1"]) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "Traceback" not in err[0]
    assert ".csv" in err[0] and str(out) in err[0] and "disk is full" in err[0] and ".part" not in err[0]
    assert (out / "items.csv").read_bytes() == before  # never a table cut mid-row
    assert sorted(p.name for p in (out / "text").iterdir()) == texts == ["wuhu_edu_2024.txt.gz"]
    assert not list(out.glob(".*.part"))  # neither temporary tables nor the staged texts are left


def test_cli_file_open_elsewhere_says_close_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    import errno

    from pipeline import export

    real = os.replace

    def locked(src: str, dst: object) -> None:  # what Windows gives while Excel holds the file
        if str(dst).endswith("documents.csv"):
            raise PermissionError(errno.EACCES, "Permission denied", src, None, str(dst))
        real(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(export.os, "replace", locked)
    assert main(["extract", str(WUHU), "-o", str(tmp_path / "out"), "--quiet", "--format", "csv,xlsx"]) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "documents.csv" in err[0] and "close it" in err[0]


def test_cli_output_path_is_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "out").write_text("not a folder", encoding="utf-8")
    assert main(["extract", str(WUHU), "-o", str(tmp_path / "out"), "--quiet"]) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(tmp_path / "out") in err[0] and "give -o a folder" in err[0]


def test_cli_ctrl_c_says_how_far_and_how_to_resume(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    from pipeline.export import TableWriter

    real, calls = TableWriter.write, []

    def write(self: TableWriter, result: object) -> None:
        calls.append(result)
        if len(calls) == 3:  # Ctrl-C while the third file's rows are written
            raise KeyboardInterrupt
        real(self, result)  # type: ignore[arg-type]

    monkeypatch.setattr(TableWriter, "write", write)
    out = tmp_path / "out"
    samples = CORPUS / "samples"
    n = len(list(samples.glob("*.txt")))
    assert main(["extract", str(samples), "-o", str(tmp_path / "plain"), "--quiet", "-j", "1"]) == 130
    err = capsys.readouterr().err  # without --resume nothing was kept: the message says to give it next time
    assert f"interrupted after 2 of {n} file(s)" in err and "Next time give --resume" in err
    calls.clear()
    assert main(["extract", str(samples), "-o", str(out), "--quiet", "-j", "1", "--resume"]) == 130
    err = capsys.readouterr().err
    assert f"interrupted after 2 of {n} file(s)" in err and "Run the same command again" in err
    monkeypatch.undo()
    assert main(["extract", str(samples), "-o", str(out), "-j", "1", "--resume"]) == 0
    done = re.search(rf"{n} ok \((\d) resumed\)", capsys.readouterr().err)
    assert done and int(done.group(1)) >= 2  # the files finished before Ctrl-C are not read again


# ------------------------------------------------------------------------------- the newcomer's CLI

def test_cli_alone_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: planscope") and "extract" in out and "exit codes:" in out


def test_cli_version(capsys: pytest.CaptureFixture[str]) -> None:
    from pipeline import __version__

    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"planscope {__version__}"


@pytest.mark.parametrize("command", ["extract", "compare", "report", "eval"])
def test_cli_help_has_examples_and_exit_codes(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([command, "--help"]) == 0
    text = capsys.readouterr().out
    examples = text.split("examples:", 1)[1].split("exit codes:", 1)[0]
    assert sum(line.strip().startswith(f"planscope {command}") for line in examples.splitlines()) >= 2
    assert "130" in text


@pytest.mark.parametrize("argv", [["extract", str(WUHU), "--out", "x"], ["extract", str(WUHU), "--form", "csv"],
                                  ["extract", str(WUHU), "-j", "0"], ["extract", str(WUHU), "-j", "two"],
                                  ["extract", str(WUHU), "--format", "xls"], ["frobnicate"]])
def test_cli_usage_errors_exit_2(argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "planscope" in err and "Traceback" not in err
    assert not (tmp_path / "outputs" / "documents.csv").exists()


def test_cli_zh_headers_translate_every_column() -> None:
    import re

    from pipeline.tables import TABLES, header_names

    for name in TABLES:
        zh = header_names(name, "zh")
        assert len(set(zh)) == len(zh), name
        assert all(re.search(r"[\u4e00-\u9fff]", h) for h in zh), (name, zh)


def test_cli_zh_tables_read_back_the_same(tmp_path: Path) -> None:
    from pipeline.api import read_tables

    assert main(["extract", str(WUHU), "-o", str(tmp_path / "en"), "--quiet"]) == 0
    assert main(["extract", str(WUHU), "-o", str(tmp_path / "zh"), "--quiet", "--headers", "zh",
                 "--format", "csv,xlsx,parquet"]) == 0
    deps = pd.read_csv(tmp_path / "zh" / "departments.csv", encoding="utf-8-sig")
    assert set(deps["角色"]) == {"牵头"} and list(deps.columns[:4]) == ["文件", "条目编号", "部门", "角色"]
    en = read_tables(tmp_path / "en")
    for fmt in ("csv", "xlsx", "parquet"):
        zh = read_tables(tmp_path / "zh", format=fmt)
        for name in en:
            pd.testing.assert_frame_equal(zh[name].drop(columns="source", errors="ignore"),
                                          en[name].drop(columns="source", errors="ignore"), obj=f"{fmt}:{name}")


def test_cli_stale_texts_of_earlier_runs_pruned(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["extract", str(CORPUS / "samples"), "-o", str(out), "--quiet"]) == 0
    assert len(list((out / "text").glob("*.txt.gz"))) == 6
    assert main(["extract", str(WUHU), "-o", str(out), "--quiet"]) == 0
    assert sorted(p.name for p in (out / "text").iterdir()) == ["wuhu_edu_2024.txt.gz"]
    assert main(["extract", str(WUHU), "-o", str(out), "--quiet", "--plain-text"]) == 0
    assert sorted(p.name for p in (out / "text").iterdir()) == ["wuhu_edu_2024.txt"]
    assert read_text(out, "wuhu_edu_2024").startswith("关于印发《芜湖市教育局2024年工作要点》的通知")


def test_cli_compare_default_folder_and_read_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.api import compare, read_tables

    plans = [CORPUS / "changzhou_edu_2022.txt", DATA / "compare" / "changzhou_edu_2023_draft.txt"]
    monkeypatch.chdir(tmp_path)
    assert main(["compare", *map(str, plans), "--quiet"]) == 0
    out = tmp_path / "outputs" / "compare"
    assert (out / "report.html").exists() and not (tmp_path / "outputs" / "alignment.csv").exists()
    back, direct = read_tables(out), compare(*plans)
    assert list(back) == ["alignment", "target_changes"]
    for name in back:
        pd.testing.assert_frame_equal(back[name], direct[name], obj=name)


def test_cli_report_writes_an_index(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    shutil.copy(WUHU, folder / "wuhu.txt")
    (folder / "empty.txt").write_bytes(b"")
    assert main(["report", str(folder), "-o", str(tmp_path / "report"), "--quiet"]) == 0
    index = (tmp_path / "report" / "index.html").read_text(encoding="utf-8")
    assert '<a href="wuhu.html">wuhu</a>' in index and "芜湖市教育局2024年工作要点" in index
    assert "empty" in index and "未能读取" in index


def test_cli_report_page_names_the_file_not_its_path(tmp_path: Path) -> None:
    assert main(["report", str(WUHU.resolve()), "-o", str(tmp_path), "--quiet"]) == 0
    page = (tmp_path / "wuhu_edu_2024.html").read_text(encoding="utf-8")
    assert "wuhu_edu_2024.txt" in page and str(WUHU.resolve().parent) not in page


def test_cli_report_pages_are_not_read_back_as_plans(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(WUHU, tmp_path / "wuhu.txt")
    monkeypatch.chdir(tmp_path)
    assert main(["report", ".", "--quiet"]) == 0  # outputs/report/*.html, before any extract
    assert main(["extract", ".", "--quiet"]) == 0
    assert list(_table(tmp_path / "outputs", "documents")["doc_id"]) == ["wuhu"]


def test_cli_texts_are_kept_compressed(tmp_path: Path) -> None:
    # the tables hold every item's text already: the texts every span indexes take a fraction of the input
    out = tmp_path / "out"
    assert main(["extract", str(CORPUS), "-o", str(out), "--quiet"]) == 0
    size_in = sum(p.stat().st_size for p in CORPUS.rglob("*.txt") if "gold" not in p.parts)
    size_texts = sum(p.stat().st_size for p in (out / "text").iterdir())
    assert size_texts < 0.6 * size_in
    assert read_text(out, "changzhou_edu_2022").count("\n") > 39  # every text is there, readable
