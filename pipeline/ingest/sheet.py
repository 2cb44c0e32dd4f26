"""Spreadsheet readers (.xlsx, .xls/.et, .csv): task-division tables, one ``a | b | c`` line per task row.

重点任务分工 tables come as spreadsheets: a title row or two, a header (often two rows: 责任单位 over
牵头单位 / 配合单位), section rows merged across the sheet (一、…), and task rows whose department or
deadline cell is merged down over several tasks. They are rendered the way the docx and HTML readers
render tables, so that the structure stage makes each task row an item with its cells named by header:
the header gets a 序号 column when it has none, merged cells are filled into every row they cover,
a row merged across the whole sheet becomes a heading line, and a multi-row header is joined per column.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass

from ..errors import ReadError
from ..model import RawText
from .encoding import decode_reporting

_HEADER_WORD = re.compile(r"序号|编号|任务|内容|事项|措施|举措|目标|指标|单位|部门|时限|时间|时序|进度|责任|牵头|配合|协办|领导|备注|要求|项目")
_NUMBER = re.compile(r"\d{1,3}")
_GROUP = re.compile(r"[一二三四五六七八九十]{1,3}[、.．]?|（[一二三四五六七八九十]{1,3}）")  # a row grouping those below
MAX_CELLS = 2_000_000  # a task table has hundreds; beyond this it is not a plan (or it is a bomb)


@dataclass(slots=True)
class Sheet:
    name: str
    rows: list[list[str]]
    # (row, col) of cells that hold a copy of a horizontally merged value, not a value of their own
    spread: set[tuple[int, int]]


def read_xlsx(data: bytes, *, source: str = "<bytes>") -> RawText:
    """Read the visible sheets of an .xlsx workbook (cached values of formulas, merged cells filled)."""
    import openpyxl

    from .docx import check_package

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            check_package(zf, source, "Excel")
    except zipfile.BadZipFile as exc:
        raise ReadError(f"{source}: not a valid .xlsx (zip) package ({exc}); re-save it from Excel/WPS") from None
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=False)
    except Exception as exc:  # openpyxl raises KeyError/ValueError/... on damaged packages
        raise ReadError(f"{source}: damaged .xlsx ({type(exc).__name__}: {exc})") from None
    formulas = None
    if b"</f>" in _sheet_xml(data):  # formulas: their cached values are what Excel showed
        formulas = openpyxl.load_workbook(io.BytesIO(data), data_only=False, read_only=False)
    sheets = []
    uncached = 0
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        if formulas is not None:  # a formula never computed (a file written by a script) has no value
            for row, frow in zip(ws.iter_rows(), formulas[ws.title].iter_rows()):
                uncached += sum(c.value is None and isinstance(f.value, str) and f.value.startswith("=")
                                for c, f in zip(row, frow))
        if ws.max_row * ws.max_column > MAX_CELLS:
            raise ReadError(f"{source}: sheet {ws.title} has {ws.max_row} x {ws.max_column} cells; "
                            "too large for a task table")
        rows = [[_cell(c.value) for c in row] for row in ws.iter_rows()]
        merges = [(r.min_row - 1, r.min_col - 1, r.max_row - 1, r.max_col - 1) for r in ws.merged_cells.ranges]
        sheets.append(_sheet(ws.title, rows, merges))
    props = wb.properties
    metadata = {k: v.strip() for k, v in (("title", props.title or ""), ("author", props.creator or "")) if v.strip()}
    warnings = ()
    if uncached:
        warnings = (f"formula_cells: {uncached} formula cell(s) without a computed value left empty; "
                    "open and save the file in Excel/WPS to compute them",)
    return RawText(text=render(sheets), format="xlsx", source=source, metadata=metadata, warnings=warnings)


def _sheet_xml(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return b"".join(zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml"))


def read_xls(data: bytes, *, source: str = "<bytes>") -> RawText:
    """Read an Excel 97-2003 (.xls) or WPS (.et) workbook: BIFF records in an OLE container."""
    try:
        import xlrd
    except ImportError:
        raise ReadError(f"{source}: reading .xls/.et needs xlrd: pip install xlrd") from None
    try:
        wb = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
    except Exception as exc:  # xlrd raises XLRDError/AssertionError/struct.error on damaged files
        raise ReadError(f"{source}: damaged .xls ({type(exc).__name__}: {exc})") from None
    sheets = []
    for i in range(wb.nsheets):
        ws = wb.sheet_by_index(i)
        if ws.visibility:
            continue
        if ws.nrows * ws.ncols > MAX_CELLS:
            raise ReadError(f"{source}: sheet {ws.name} has {ws.nrows} x {ws.ncols} cells; too large for a task table")
        rows = []
        for r in range(ws.nrows):
            row = []
            for c in range(ws.ncols):
                cell = ws.cell(r, c)
                value = cell.value
                if cell.ctype == xlrd.XL_CELL_DATE:
                    try:
                        value = xlrd.xldate_as_datetime(value, wb.datemode)
                    except (ValueError, OverflowError):
                        pass
                elif cell.ctype in (xlrd.XL_CELL_ERROR, xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    value = None
                row.append(_cell(value))
            rows.append(row)
        merges = [(r0, c0, r1 - 1, c1 - 1) for r0, r1, c0, c1 in ws.merged_cells]
        sheets.append(_sheet(ws.name, rows, merges))
    return RawText(text=render(sheets), format="xls", source=source)


def read_csv(data: bytes, *, source: str = "<bytes>") -> RawText:
    """Read a task table saved as CSV (comma, tab or semicolon; any encoding :func:`decode_reporting` reads)."""
    text, encoding, warnings = decode_reporting(data, source=source)
    sample = text[:8192]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",\t;，")
    except csv.Error:
        dialect = csv.excel
    rows = [[_cell(v) for v in row] for row in csv.reader(io.StringIO(text), dialect)]
    return RawText(text=render([_sheet("", rows, [])]), format="csv", source=source, encoding=encoding,
                   warnings=tuple(warnings))


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    # one line per row: line breaks inside a cell become spaces, and | would split the cell
    return re.sub(r"\s*\n\s*", " ", str(value)).strip().replace("|", "｜")


def _sheet(name: str, rows: list[list[str]], merges: list[tuple[int, int, int, int]]) -> Sheet:
    """Fill each merged range with its top-left value; remember which cells are horizontal copies."""
    width = max((len(r) for r in rows), default=0)
    rows = [r + [""] * (width - len(r)) for r in rows]
    spread: set[tuple[int, int]] = set()
    for r0, c0, r1, c1 in merges:
        if r0 >= len(rows) or c0 >= width:
            continue
        value = rows[r0][c0]
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            for c in range(c0, min(c1, width - 1) + 1):
                rows[r][c] = value
                if c > c0:
                    spread.add((r, c))
    return Sheet(name, rows, spread)


def _is_header(row: list[str]) -> bool:
    cells = set(c for c in row if c)  # a title merged across the sheet fills every cell with one value
    return len(cells) >= 2 and sum(bool(_HEADER_WORD.search(c)) and len(c) <= 12 for c in cells) >= 2


def render(sheets: list[Sheet]) -> str:
    """All sheets as text: lines before the header as they are, then one line per row."""
    out: list[str] = []
    several = sum(any(any(r) for r in s.rows) for s in sheets) > 1
    for sheet in sheets:
        lines = _render_sheet(sheet)
        if lines and several and sheet.name:
            out.append(sheet.name)
        out.extend(lines)
    return "\n".join(out)


def _render_sheet(sheet: Sheet) -> list[str]:
    rows, spread = sheet.rows, sheet.spread
    keep = [i for i, r in enumerate(rows) if any(r)]
    cols = [c for c in range(len(rows[0]) if rows else 0) if any(r[c] for r in rows)]
    head = next((i for i in keep[:15] if _is_header(rows[i])), None)
    out: list[str] = []
    if head is None:  # no header: text pasted into cells, one line per row
        for i in keep:
            cells = [rows[i][c] for c in cols if rows[i][c] and (i, c) not in spread]
            out.append(" | ".join(cells))
        return out
    for i in keep:
        if i >= head:
            break
        out.append(_single(rows[i]))  # the title above the table
    # header rows: the first one and those right below it that are header-like or only spread copies
    header_rows = [head]
    j = head + 1
    while j < len(rows) and _continues_header(rows, j, head, cols):
        header_rows.append(j)
        j += 1
    names = [_header_name([rows[h][c] for h in header_rows]) for c in cols]
    numbered = bool(names) and names[0] in ("序号", "编号")
    if not numbered:
        names = ["序号", *names]
    out.append(" | ".join(names))
    n = 0
    for i in range(j, len(rows)):
        row = rows[i]
        values = [row[c] for c in cols]
        if not any(values):
            continue
        if len({v for v in values if v}) == 1 and (all(v for v in values) or not any(values[1:])):
            out.append(_single(values))  # a section row merged across the sheet, or text in the first cell
            continue
        cells = ["" if (i, c) in spread else row[c] for c in cols]
        if numbered:
            if _GROUP.fullmatch(cells[0]):
                pass  # 一 | 经济发展 | …: a group row, kept for the structure stage
            elif not _NUMBER.fullmatch(cells[0]):
                n += 1
                cells[0] = str(n)  # 序号 missing or written as 1.1 / ①: number the rows in order
            else:
                n = int(cells[0])
        else:
            n += 1
            cells = [str(n), *cells]
        out.append(" | ".join(cells))
    return out


def _continues_header(rows: list[list[str]], j: int, head: int, cols: list[int]) -> bool:
    row = [rows[j][c] for c in cols]
    if not any(row) or any(_NUMBER.fullmatch(v) for v in row[:1]):
        return False
    return _is_header(row) or all(not v or v == rows[head][c] for v, c in zip(row, cols))


def _header_name(parts: list[str]) -> str:
    """A column's name in a multi-row header is its lowest part, the most specific one: 牵头单位 under
    责任单位, 完成时限 merged down from the first row."""
    return next((p for p in reversed(parts) if p), "")


def _single(values: list[str]) -> str:
    return next((v for v in values if v), "")
