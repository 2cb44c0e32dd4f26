"""Task-division spreadsheets: each task row an item, cells named by header, merged cells and two-row headers."""
from __future__ import annotations

import io
from pathlib import Path

import pytest

from pipeline.errors import PlanscopeError, ReadError
from pipeline.extract import extract
from pipeline.ingest import read
from pipeline.structure import parse

from ..conftest import ANSHAN_TABLE_ROWS
from . import builder

build_sheet = builder("build_sheet")

KINDS = ["xlsx", "xls", "csv"]


@pytest.fixture(scope="module")
def sheets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("sheets")
    built = {}
    for kind in KINDS:
        if kind == "xls":
            pytest.importorskip("xlwt")  # the .xls fixture needs the dev extra's writer
        built[kind] = build_sheet.build(kind, out / f"task_table.{kind}")
    return built


@pytest.mark.parametrize("kind", KINDS)
def test_sheet_rows_rendered_like_the_docx_table(sheets: dict[str, Path], kind: str) -> None:
    lines = read(sheets[kind]).text.splitlines()
    assert lines[:3] == [build_sheet.TITLE, "序号 | 工作任务 | 牵头单位 | 责任单位 | 完成时限", build_sheet.SECTION]
    # the deadline merged down over the seven tasks is in every task's row
    tasks = build_sheet.tasks()
    assert [" | ".join(row).rstrip() for row in tasks] == ANSHAN_TABLE_ROWS  # the tasks of the docx table
    assert lines[3:] == [" | ".join([*row, build_sheet.DEADLINE]) for row in tasks]


@pytest.mark.parametrize("kind", KINDS)
def test_sheet_task_rows_are_items_with_named_cells(sheets: dict[str, Path], kind: str) -> None:
    doc = extract(parse(read(sheets[kind])))
    rows = [it for it in doc.items if it.kind == "row"]
    assert [it.item_id for it in rows] == [f"1.{i}" for i in range(1, 8)]
    first = rows[0]
    assert {name: doc.span(*span) for name, span in first.cells.items()} == {
        "工作任务": "努力实现地区生产总值增长6.2%左右。",
        "牵头单位": "区发改局",
        "责任单位": "立山经济开发区，全区经济运行各专班",
        "完成时限": build_sheet.DEADLINE,
    }
    assert [(d.name, d.role) for d in first.departments][:2] == [("区发改局", "lead"), ("立山经济开发区", "co")]
    assert all(it.deadlines and it.deadlines[0].date == "2023-12-31" for it in rows)
    assert rows[6].departments == []  # item 7 names no unit


def test_xlsx_hidden_sheet_and_title_property(sheets: dict[str, Path]) -> None:
    raw = read(sheets["xlsx"])
    assert "填表说明" not in raw.text
    assert raw.metadata["title"] == build_sheet.TITLE
    assert raw.format == "xlsx"


def test_csv_in_gbk_and_utf8_read_alike(tmp_path: Path) -> None:
    gbk = build_sheet.build_csv(tmp_path / "gbk.csv", "gb18030")
    utf8 = build_sheet.build_csv(tmp_path / "utf8.csv", "utf-8-sig")
    assert read(gbk).encoding == "gb18030"
    assert read(gbk).text == read(utf8).text


def test_sheet_without_serial_column_gets_one(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["重点任务", "牵头部门", "完成时间"])
    ws.append(["推进城市更新，完成老旧小区改造12个。", "区住建局", "2023年10月"])
    ws.append(["新增城镇就业3000人以上。", "区人社局", "2023年12月"])
    wb.save(tmp_path / "t.xlsx")
    doc = parse(read(tmp_path / "t.xlsx"))
    assert doc.text.splitlines() == [
        "序号 | 重点任务 | 牵头部门 | 完成时间",
        "1 | 推进城市更新，完成老旧小区改造12个。 | 区住建局 | 2023年10月",
        "2 | 新增城镇就业3000人以上。 | 区人社局 | 2023年12月",
    ]
    assert [doc.span(*it.cells["牵头部门"]) for it in doc.items] == ["区住建局", "区人社局"]
    assert doc.heading(doc.items[1]).startswith("新增城镇就业3000人")


@pytest.mark.parametrize("kind", ["xlsx", "xls"])
def test_damaged_spreadsheet_names_the_file(sheets: dict[str, Path], kind: str) -> None:
    data = sheets[kind].read_bytes()
    cut = data[: len(data) // 2]
    with pytest.raises(PlanscopeError, match=f"task_table.{kind}: .*(damaged|not a valid)"):
        read(cut, name=f"task_table.{kind}")


def test_xlsx_bomb_refused(tmp_path: Path) -> None:
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/sharedStrings.xml", "<sst>" + " " * (20 * 1024 * 1024) + "</sst>")
    with pytest.raises(ReadError, match="plan.xlsx: .*zip bomb"):
        read(buf.getvalue(), name="plan.xlsx")


def test_sheet_short_title_group_rows_and_wps_et(tmp_path: Path, sheets: dict[str, Path]) -> None:
    """A short title merged across the sheet is not a header; 一/二 in the 序号 column group the rows
    below; a WPS .et (the same BIFF8 workbook) reads like the .xls."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["重点任务分工表", None, None])
    ws.merge_cells("A1:C1")
    ws.append(["序号", "重点任务", "牵头单位"])
    ws.append(["一", "稳增长", None])
    ws.append([1, "全年地区生产总值增长6%左右。", "区发改局"])
    ws.append(["二", "惠民生", None])
    ws.append([2, "新增城镇就业3000人以上。", "区人社局"])
    wb.save(tmp_path / "g.xlsx")
    doc = parse(read(tmp_path / "g.xlsx"))
    assert doc.text.splitlines()[:3] == ["重点任务分工表", "序号 | 重点任务 | 牵头单位", "一 | 稳增长 |"]
    assert [(it.item_id, it.kind) for it in doc.items] == [("1", "row_group"), ("1.1", "row"), ("2", "row_group"),
                                                           ("2.1", "row")]
    if "xls" in sheets:
        et = tmp_path / "tasks.et"
        et.write_bytes(sheets["xls"].read_bytes())
        assert read(et).text == read(sheets["xls"]).text


def test_xlsx_formula_without_cached_value_is_reported(tmp_path: Path) -> None:
    """A workbook written by a script holds formulas Excel never computed: their cells come out empty
    and the warning says how many, instead of the numbers silently missing."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "工作任务", "目标值", "牵头单位"])
    ws.append([1, "新建、改扩建学校", "=35+22+6", "发展规划与财务处"])
    ws.append([2, "新增学位（万个）", 3.3, "发展规划与财务处"])
    wb.save(tmp_path / "f.xlsx")
    raw = read(tmp_path / "f.xlsx")
    assert raw.text.splitlines()[1] == "1 | 新建、改扩建学校 |  | 发展规划与财务处"
    assert raw.warnings == ("formula_cells: 1 formula cell(s) without a computed value left empty; "
                            "open and save the file in Excel/WPS to compute them",)


def test_xlsx_without_formulas_has_no_warning(sheets: dict[str, Path]) -> None:
    assert read(sheets["xlsx"]).warnings == ()


def test_xls_that_is_an_html_table_or_tab_text(tmp_path: Path) -> None:
    """Sites serve "Excel" downloads that are an HTML table or tab-separated text named .xls: read as such."""
    rows = [["序号", "工作任务", "牵头单位"], ["1", "全年地区生产总值增长6%左右。", "区发改局"]]
    html = "<meta charset='utf-8'><table>" + "".join(
        "<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows) + "</table>"
    tsv = "\r\n".join("\t".join(r) for r in rows)
    for name, data in (("a.xls", html.encode("utf-8")), ("b.xls", tsv.encode("gb18030"))):
        doc = parse(read(data, name=name))
        assert doc.text.splitlines() == ["序号 | 工作任务 | 牵头单位", "1 | 全年地区生产总值增长6%左右。 | 区发改局"], name
        assert doc.span(*doc.items[0].cells["牵头单位"]) == "区发改局"
