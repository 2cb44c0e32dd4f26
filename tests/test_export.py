"""The output contract: typed tables whose keys survive every format, safe to open in a spreadsheet."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from pipeline.batch import DEFAULT_MAX_BYTES, failed_task, process_task
from pipeline.cli import main
from pipeline.export import TableWriter, neutralise, read_text, unneutralise, write_tables

from .conftest import CORPUS, read_table


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\",\"点击\")", "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd",
                                  "＝1+1"])
def test_export_formula_cells_neutralised(cell: str) -> None:
    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["加强党建", "（一）加强", "3.3万个", 42, 4.5, None])
def test_export_plain_cells_untouched(cell: object) -> None:
    assert neutralise(cell) == cell


@pytest.mark.parametrize("cell", ["=1+1", "'=1+1", "'引号开头", "正常", "", "-", "'"])
def test_export_neutralised_cells_restore_exactly(cell: str) -> None:
    assert unneutralise(neutralise(cell)) == cell  # type: ignore[arg-type]


def test_export_injected_plan_written_safely(tmp_path: Path) -> None:
    plan = tmp_path / "evil.txt"
    plan.write_text("2023年工作要点\n一、=cmd|' /C calc'!A0\n（一）@SUM(1+1)*cmd。新建学校3所。\n", encoding="utf-8")
    assert main(["extract", str(plan), "-o", str(tmp_path / "out"), "--quiet"]) == 0
    items = pd.read_csv(tmp_path / "out" / "items.csv", encoding="utf-8-sig", keep_default_na=False)
    assert all(not str(v).startswith(("=", "+", "-", "@")) for v in items["heading"])
    assert list(items["heading"]) == ["'=cmd|' /C calc'!A0", "'@SUM（1+1）*cmd"]
    q = pd.read_csv(tmp_path / "out" / "quantities.csv", encoding="utf-8-sig")
    assert q["value"].dtype.kind == "f" and q["value"].tolist() == [3.0]


# A plan whose keys a spreadsheet or pandas would turn into numbers if they were not kept as text:
# doc_id 007, item 1.10 next to 1.1, label "1.".
KEYS_PLAN = """某区教育局2023年工作要点
一、推进学前教育普惠发展
1.新建幼儿园3所，新增学位1200个。
2.开展托育服务试点，年底前建成托育机构2家。
3.落实普惠性幼儿园补助政策。
4.加强幼儿园保教质量评估。
5.推进集团化办园。
6.开展学前教育宣传月活动。
7.加强幼儿园安全管理。
8.做好幼儿园招生工作。
9.加强保育员队伍建设。
10.第三季度前制定《区学前教育发展提升行动计划》。（牵头科室：基础教育科；配合科室：计财科）
二、提升义务教育质量
1.新建改扩建中小学5所，其中小学3所、初中2所。
"""
FORMATS = ["csv", "xlsx", "json", "parquet", "sqlite"]


@pytest.fixture(scope="module")
def keys_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, pd.DataFrame]]:
    from pipeline.api import extract

    folder = tmp_path_factory.mktemp("keys")
    plan = folder / "007.txt"
    plan.write_text(KEYS_PLAN, encoding="utf-8")
    out = folder / "out"
    assert main(["extract", str(plan), "-o", str(out), "--quiet", "--format", ",".join(FORMATS)]) == 0
    return out, extract(plan)


def test_export_keys_are_kept_as_written(keys_run: tuple[Path, dict[str, pd.DataFrame]]) -> None:
    _, tables = keys_run
    items = tables["items"]
    assert list(tables["documents"]["doc_id"]) == ["007"]
    assert "1.10" in set(items["item_id"]) and "1.1" in set(items["item_id"])
    assert items.set_index("item_id").loc["1.1", "label"] == "1."
    assert items["item_id"].is_unique


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_read_tables_equals_extract(keys_run: tuple[Path, dict[str, pd.DataFrame]], fmt: str) -> None:
    from pipeline.api import read_tables

    out, tables = keys_run
    back = read_tables(out / "planscope.sqlite" if fmt == "sqlite" else out, format=fmt)
    assert list(back) == list(tables)
    for name, df in tables.items():
        pd.testing.assert_frame_equal(back[name], df, obj=f"{fmt}:{name}")


def test_export_workbook_keys_are_text_cells(keys_run: tuple[Path, dict[str, pd.DataFrame]]) -> None:
    out, _ = keys_run
    # what Excel / LibreOffice see: keys are text cells in text format, so 1.10, 007 and 1. are shown and
    # kept as written; numbers, booleans and dates are cells of their own type
    ws = load_workbook(out / "planscope.xlsx")["items"]
    header = [c.value for c in ws[1]]
    rows = [{h: c for h, c in zip(header, r)} for r in ws.iter_rows(min_row=2)]
    assert {r["doc_id"].value for r in rows} == {"007"}
    assert [r["item_id"].value for r in rows][:3] == ["1", "1.1", "1.2"] and rows[10]["item_id"].value == "1.10"
    assert rows[1]["label"].value == "1."
    for key in ("doc_id", "item_id", "parent_id", "label"):
        assert all(r[key].data_type == "s" and r[key].number_format == "@" for r in rows if r[key].value), key
    assert all(r["start"].data_type == "n" for r in rows)
    ws = load_workbook(out / "planscope.xlsx")["deadlines"]
    row = dict(zip([c.value for c in ws[1]], ws[2]))
    assert row["date"].is_date and row["date"].value.date() == dt.date(2023, 12, 31)
    assert row["recurring"].value is False and row["recurring"].data_type == "b"


def test_export_json_and_parquet_are_typed(keys_run: tuple[Path, dict[str, pd.DataFrame]]) -> None:
    import pyarrow.parquet as pq

    out, _ = keys_run
    deadlines = json.loads((out / "deadlines.json").read_text(encoding="utf-8"))
    assert deadlines[0]["doc_id"] == "007" and deadlines[0]["item_id"] == "1.2"
    assert deadlines[0]["date"] == "2023-12-31" and deadlines[0]["recurring"] is False
    assert deadlines[0]["year"] == 2023 and isinstance(deadlines[0]["start"], int)
    schema = pq.read_schema(out / "deadlines.parquet")
    assert [str(schema.field(n).type) for n in ("doc_id", "date", "recurring", "start")] == \
        ["string", "date32[day]", "bool", "int64"]


def test_export_part_of_is_the_key_of_the_total(keys_run: tuple[Path, dict[str, pd.DataFrame]]) -> None:
    _, tables = keys_run
    q = tables["quantities"]
    parts = q[q["part_of"] != ""]
    assert list(parts["text"]) == ["3所", "2所"]
    totals = parts.merge(q, left_on=["doc_id", "part_of"], right_on=["doc_id", "quantity_id"], suffixes=("", "_total"))
    assert list(totals["text_total"]) == ["5所", "5所"] and set(totals["item_id_total"]) == {"2.1"}
    assert q["quantity_id"].is_unique


@pytest.mark.parametrize("name", ["quantities", "deadlines", "departments", "instruments"])
def test_export_span_tables_carry_year_and_issuer(keys_run: tuple[Path, dict[str, pd.DataFrame]], name: str) -> None:
    _, tables = keys_run
    df = tables[name]
    assert len(df) > 0 and set(df["year"]) == {2023} and set(df["issuer"]) == {"某区教育局"}


def test_export_merge_on_keys_keeps_rows(keys_run: tuple[Path, dict[str, pd.DataFrame]]) -> None:
    from pipeline.api import read_tables

    out, _ = keys_run
    t = read_tables(out)
    for name in ("quantities", "deadlines", "departments", "instruments"):
        merged = t[name].merge(t["items"], on=["doc_id", "item_id"], suffixes=("", "_item"), validate="many_to_one")
        assert len(merged) == len(t[name]), name
    lead = t["departments"].merge(t["items"], on=["doc_id", "item_id"], suffixes=("", "_item"))
    assert lead.loc[lead.role == "lead", "label"].tolist() == ["10."]


def test_export_documents_have_warnings_column(tmp_path: Path) -> None:
    from pipeline.export import to_tables
    from pipeline.model import DocResult, Document

    docs = [Document(doc_id="a", text="", warnings=["ocr_pages: 3,4", "body_outside_items: 120 chars"]),
            Document(doc_id="b", text="")]
    tables = to_tables(DocResult(source=f"{d.doc_id}.pdf", doc_id=d.doc_id, status="ok", document=d) for d in docs)
    assert tables["documents"]["warnings"].tolist() == ["ocr_pages: 3,4;body_outside_items: 120 chars", ""]
    write_tables(tables, tmp_path)
    header = (tmp_path / "documents.csv").read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    assert header[-1] == "warnings"


def test_export_datapackage_describes_the_csvs(keys_run: tuple[Path, dict[str, pd.DataFrame]]) -> None:
    out, tables = keys_run
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    res = {r["name"]: r for r in package["resources"]}
    assert list(res) == list(tables)
    for name, r in res.items():
        header = (out / r["path"]).read_text(encoding="utf-8-sig").splitlines()[0].split(",")
        assert [f["name"] for f in r["schema"]["fields"]] == header
    fields = {f["name"]: f["type"] for f in res["deadlines"]["schema"]["fields"]}
    assert (fields["item_id"], fields["date"], fields["recurring"], fields["start"]) == ("string", "date", "boolean", "integer")
    assert res["items"]["schema"]["primaryKey"] == ["doc_id", "item_id"]
    assert {"fields": ["doc_id", "item_id"], "reference": {"resource": "items", "fields": ["doc_id", "item_id"]}} \
        in res["departments"]["schema"]["foreignKeys"]


def _one_table(**cells: object) -> dict[str, pd.DataFrame]:
    row = {"doc_id": "a", "item_id": "1", "parent_id": "", "level": 1, "label": "一、", "heading": "标题",
           "text": "", "lead_departments": "", "co_departments": "", "start": 0, "end": 1, **cells}
    return {"items": pd.DataFrame([row])}


def test_export_xlsx_long_cell_cut_and_said(tmp_path: Path) -> None:
    from pipeline.export import XLSX_CUT_MARK, XLSX_MAX_CELL

    long = "加强" * 20_000
    notices: list[str] = []
    write_tables(_one_table(text=long), tmp_path, formats=["csv", "xlsx"], notices=notices)
    cell = load_workbook(tmp_path / "planscope.xlsx")["items"]["G2"].value
    assert len(cell) == XLSX_MAX_CELL and cell.endswith(XLSX_CUT_MARK) and cell.startswith("加强加强")
    assert len(notices) == 1 and "items" in notices[0] and "cut" in notices[0]
    assert read_table(tmp_path, "items")["text"].item() == long  # the CSV keeps it whole


def test_export_xlsx_control_characters_replaced_and_said(tmp_path: Path) -> None:
    notices: list[str] = []
    write_tables(_one_table(heading="加强\x0b党建\x00工作"), tmp_path, formats=["xlsx"], notices=notices)
    assert load_workbook(tmp_path / "planscope.xlsx")["items"]["F2"].value == "加强\ufffd党建\ufffd工作"
    assert len(notices) == 1 and "2 control character(s)" in notices[0]


def test_export_xlsx_formula_text_stays_text(tmp_path: Path) -> None:
    write_tables(_one_table(heading="=HYPERLINK(\"http://x\")"), tmp_path, formats=["xlsx"])
    cell = load_workbook(tmp_path / "planscope.xlsx")["items"]["F2"]
    assert cell.data_type == "s" and cell.value == "=HYPERLINK(\"http://x\")"


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from .conftest import CORPUS

    out = tmp_path_factory.mktemp("db")
    assert main(["extract", str(CORPUS), "-o", str(out), "--quiet", "--format", "sqlite"]) == 0
    return out / "planscope.sqlite"


def test_export_sqlite_keys_indexes_and_types(corpus_db: Path) -> None:
    import sqlite3

    con = sqlite3.connect(corpus_db)
    pk = {t: [r[1] for r in sorted(con.execute(f"PRAGMA table_info({t})"), key=lambda r: r[5]) if r[5]]
          for t in ("documents", "items", "quantities")}
    assert pk == {"documents": ["doc_id"], "items": ["doc_id", "item_id"], "quantities": ["doc_id", "quantity_id"]}
    fks = {(r[2], r[3], r[4]) for r in con.execute("PRAGMA foreign_key_list(departments)")}
    assert {("documents", "doc_id", "doc_id"), ("items", "doc_id", "doc_id"), ("items", "item_id", "item_id")} <= fks
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []  # every key points at a row
    indexed = {r[0] for r in con.execute("SELECT tbl_name || '.' || name FROM sqlite_master WHERE type = 'index'")}
    for idx in ("departments.idx_departments_department", "deadlines.idx_deadlines_date",
                "quantities.idx_quantities_doc_id_item_id"):
        assert idx in indexed
    types = {r[1]: r[2] for r in con.execute("PRAGMA table_info(deadlines)")}
    assert (types["item_id"], types["start"], types["recurring"]) == ("TEXT", "INTEGER", "INTEGER")
    assert con.execute("SELECT date FROM deadlines WHERE text = '全年' LIMIT 1").fetchone() == ("2022-12-31",)
    assert con.execute("SELECT count(*) FROM items WHERE parent_id = ''").fetchone() == (0,)  # NULL, not ''
    assert con.execute("SELECT count(*) FROM quantities WHERE item_id IS NULL").fetchone()[0] > 0  # outside items


def test_export_sqlite_full_text_search_over_items(corpus_db: Path) -> None:
    import sqlite3

    con = sqlite3.connect(corpus_db)
    rows = con.execute("SELECT items.doc_id, items.item_id, items.heading FROM items_fts "
                       "JOIN items ON items.rowid = items_fts.rowid WHERE items_fts MATCH '学位资源'").fetchall()
    assert ("changzhou_edu_2022", "2.1", "增加学位资源供给") in rows
    # the trigram index finds every item holding a term of three or more characters, wherever it stands
    for term in ("思政课", "教育局", "学前教育"):
        hits = con.execute("SELECT count(*) FROM items_fts WHERE items_fts MATCH ?", (f'"{term}"',)).fetchone()[0]
        like = con.execute("SELECT count(*) FROM items WHERE text LIKE ? OR heading LIKE ?",
                           (f"%{term}%", f"%{term}%")).fetchone()[0]
        assert hits == like > 0, term


def test_export_sqlite_opens_as_sqlite_utils_expects(corpus_db: Path) -> None:
    sqlite_utils = pytest.importorskip("sqlite_utils")

    db = sqlite_utils.Database(corpus_db)
    items = db["items"]
    assert items.pks == ["doc_id", "item_id"] and items.detect_fts() == "items_fts"
    hits = list(items.search("学位资源", columns=["doc_id", "item_id"]))
    assert {"doc_id": "changzhou_edu_2022", "item_id": "2.1"} in hits
    assert any(fk.other_table == "documents" for fk in db["quantities"].foreign_keys)


def test_export_failed_write_leaves_every_earlier_table_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              keys_run: tuple[Path, dict[str, pd.DataFrame]]) -> None:
    import errno

    from pipeline import export

    _, tables = keys_run
    write_tables(tables, tmp_path, formats=["csv", "json"])
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    real, calls = export._CsvLayout.cells, []

    def cells(*args: object) -> list[str]:  # one call per row
        calls.append(1)
        if len(calls) > 1 + 13 + 6:  # the disk fills up after the documents, items and quantities tables
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(export._CsvLayout, "cells", cells)
    with pytest.raises(OSError) as err:
        write_tables(tables, tmp_path, formats=["csv", "json"])
    assert err.value.errno == errno.ENOSPC and err.value.filename == str(tmp_path / "deadlines.csv")
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before  # no table replaced, no temp file left


def test_export_read_tables_names_a_damaged_table(tmp_path: Path, keys_run: tuple[Path, dict[str, pd.DataFrame]]) -> None:
    from pipeline.api import read_tables

    _, tables = keys_run
    write_tables(tables, tmp_path)
    items = (tmp_path / "items.csv").read_text(encoding="utf-8-sig").replace(",,1,一、,", ",,一级,一、,", 1)  # level
    (tmp_path / "items.csv").write_text(items, encoding="utf-8-sig")
    with pytest.raises(ValueError, match=r"items\.csv: table items does not hold"):
        read_tables(tmp_path)
    with pytest.raises(FileNotFoundError, match="nowhere"):
        read_tables(tmp_path / "nowhere")


def test_export_text_of_a_file_that_failed_is_not_published(tmp_path: Path) -> None:
    # A worker publishes a file's text as it finishes the file; killed before its result is sent (the time
    # limit), the file gets an error row, and its text must not stay in text/ beside it.
    out = tmp_path / "out"
    wuhu, seed = CORPUS / "samples" / "wuhu_edu_2024.txt", CORPUS / "changzhou_edu_2022.txt"
    with TableWriter(out) as writer:
        finish = writer.finisher()
        finish(process_task((str(wuhu), wuhu.stem, DEFAULT_MAX_BYTES, None, None)))  # its result is lost
        writer.write(failed_task((str(wuhu), wuhu.stem, DEFAULT_MAX_BYTES, None, finish), "timeout", "60"))
        writer.write(finish(process_task((str(seed), seed.stem, DEFAULT_MAX_BYTES, None, None))))
    assert [p.name for p in (out / "text").iterdir()] == ["changzhou_edu_2022.txt.gz"]
    assert "常州" in read_text(out, "changzhou_edu_2022")
    docs = read_table(out, "documents").set_index("doc_id")
    assert docs.loc["wuhu_edu_2024", "status"] == "error" and "60" in docs.loc["wuhu_edu_2024", "error"]
