"""The command line as a researcher uses it: extract a folder, read the tables, trace every span."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

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
    assert len(docs) == 7 + 12 and set(docs["status"]) == {"ok"}  # seed, samples, corpus/dev
    seed = docs[docs["doc_id"] == "changzhou_edu_2022"].iloc[0]
    assert (seed["title"], int(seed["year"]), int(seed["n_items"])) == ("2022年工作要点", 2022, 39)


@pytest.mark.parametrize("name, column", [("items", None), ("quantities", "text"), ("deadlines", "text"),
                                          ("departments", "department"), ("instruments", "title")])
def test_cli_extract_offsets_trace_to_exported_text(extracted: Path, name: str, column: str | None) -> None:
    df = _table(extracted, name)
    assert len(df) > 0
    texts = {p.stem: p.read_text(encoding="utf-8") for p in (extracted / "text").glob("*.txt")}
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
    assert sorted(p.name for p in (out / "text").iterdir()) == ["plan.txt", "plan_2.txt"]
