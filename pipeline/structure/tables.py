"""Task tables as readers and web pages flatten them, read back into rows with named cells.

Readers write a table row as one line of cells joined by `` | ``; web pages and copies give three more
shapes: one cell per line (blank lines between cells or not), every cell line ending in `` |``, and
pipe rows whose first cells carry nested markers (``（一）… | 1.… | （1）… | 区政务服务局 | 2023年9月底 |``).
Every shape becomes :class:`~.markers.Marker` rows whose ``cells`` map the header's column names
(letter-spacing removed: ``序　号`` is 序号) to spans of the text, so no later stage re-detects the
convention. Header lines become ``cut`` markers: they end the item before them and are in no item.
"""
from __future__ import annotations

import re

from .. import shortcuts
from .markers import CUT, RANK, SKIP, Marker, match_marker, value_of
from .text import squeeze

_ROW = re.compile(r"(?P<n>\d{1,3})\s*\|")
_ROW_GROUP = re.compile(r"(?P<n>[一二三四五六七八九十]{1,3})[、.．]?\s*\|")
_NUMBER_HEADERS = ("序号", "编号")
# Words of column headers; a header cell may be long (2022年预期目标, 牵头责任单位) but is made of these.
_HEADER_WORD = re.compile(r"序号|编号|任务|内容|事项|措施|举措|目标|指标|单位|部门|科室|领导|时限|时间|进度|备注|进展"
                          r"|责任|牵头|配合|协办|项目|名称|类别|成效|要求|标准|情况|计划|节点|分工|完成|主体")
_TASK_HEADER = re.compile(r"任务|内容|事项|措施|举措|目标|工作|指标|项目")
_MAX_COLUMNS = 12


def task_column(header: list[str] | None) -> int | None:
    """Index of the column that holds the task (工作任务, 重点任务, 预期目标…), not its department or deadline."""
    for i, name in enumerate(header or []):
        if i and _TASK_HEADER.search(name) and not any(w in name for w in ("单位", "时限", "时间", "科室", "部门", "领导")):
            return i
    return None


def _is_header_cell(cell: str) -> bool:
    key = squeeze(cell)
    return 0 < len(key) <= 16 and "。" not in key and not key.isdigit() and bool(_HEADER_WORD.search(key))


def _is_header(cells: list[str]) -> bool:
    keys = [squeeze(c) for c in cells]
    if any(k in _NUMBER_HEADERS for k in keys):
        return True
    named = [k for k in keys if k]
    return len(named) >= 2 and all(_is_header_cell(k) for k in named) and not named[0].isdigit()


def pipe_rows(text: str, lines: list[tuple[int, int]], skip: set[int]) -> dict[int, list[Marker]]:
    """Markers of tables written one row per line with `` | `` between cells, by line index."""
    found: dict[int, list[Marker]] = {}
    header: list[str] | None = None
    for idx, (s, e) in enumerate(lines):
        line = text[s:e]
        if idx in skip or "|" not in line:
            continue
        if line.rstrip().endswith("|") and line.count("|") == 1:
            continue  # one cell per line: cell_rows reads those
        cells = [c.strip() for c in line.split("|")]
        if _is_header(cells):
            header = [squeeze(c) for c in cells]
            found[idx] = [Marker(CUT, 0, s, s, "")]
            continue
        row = _ROW.match(line) or _ROW_GROUP.match(line)
        if row:
            found[idx] = [_row_marker(text, s, e, row, header)]
            continue
        nested = _nested_markers(text, s, e, header)
        if nested:
            found[idx] = nested
    return found


def _row_marker(text: str, s: int, e: int, m: re.Match[str], header: list[str] | None) -> Marker:
    cells: dict[str, tuple[int, int]] = {}
    task = task_column(header)
    heading = None
    pos = s
    parts = text[s:e].split("|")
    for i, part in enumerate(parts):
        lead = len(part) - len(part.lstrip())
        cs, ce = pos + lead, max(pos + lead, pos + len(part.rstrip()))
        name = header[i] if header and i < len(header) and header[i] else f"col{i + 1}"
        if i > 0 and ce > cs:
            cells[name] = (cs, ce)
        if i == task:
            heading = (cs, ce)  # an empty task cell gives an empty heading, not the next cell's text
        pos += len(part) + 1
    label_end = s + len(parts[0]) + 1
    while label_end < e and text[label_end] == " ":
        label_end += 1
    label = parts[0].strip()
    kind = "row" if label.isdigit() else "row_group"
    return Marker(kind, value_of(m.group("n")), s, label_end, label, cells, rank=RANK[kind], heading=heading)


def _nested_markers(text: str, s: int, e: int, header: list[str] | None) -> list[Marker]:
    """A pipe row whose leading cells start with markers (（一）… | 1.… | （1）… | dept | date) is one item
    per marker; the remaining cells (departments, 时限) belong to the deepest one."""
    markers: list[Marker] = []
    pos = s
    parts = text[s:e].split("|")
    # rows that open with a marker have no 序号 cell: their cells sit one column left of the header's
    shift = 1 if header and header[0] in _NUMBER_HEADERS else 0
    rest: dict[str, tuple[int, int]] = {}
    for i, part in enumerate(parts):
        lead = len(part) - len(part.lstrip())
        cs, ce = pos + lead, pos + len(part.rstrip())
        pos += len(part) + 1
        if ce <= cs:
            continue
        m = match_marker(text, cs) if not rest else None
        if m and m.label_end < ce:
            markers.append(m)
        elif markers:
            col = i + shift
            name = header[col] if header and col < len(header) and header[col] else f"col{i + 1}"
            rest[name] = (cs, ce)
        else:
            return []
    if markers:
        markers[-1].cells = rest
    # without a table header, one marker and a '|' in its line is an ordinary item that quotes a bar
    return markers if len(markers) > 1 or (rest and header) else []


def cell_rows(text: str, lines: list[tuple[int, int]]) -> dict[int, Marker]:
    """Tables flattened to one cell per line: a 序号 header line, its column names, then each row's number
    alone on a line followed by its cells. Blank lines between cells and a `` |`` closing every cell are
    the same table; the first row may be numbered above 1 (a page of a longer table)."""
    if shortcuts.ENABLED and lines and not _holds_number_header_text(text, lines[0][0], lines[-1][1]):
        return {}  # no cell can be a 序号 header
    cells: list[tuple[int, int, int]] = []  # (line index, start, end) of each non-blank cell line
    for idx, (s, e) in enumerate(lines):
        line = text[s:e]
        stripped = line.strip()
        if not stripped:
            continue
        if "|" in stripped:
            if not (stripped.endswith("|") and stripped.count("|") == 1):
                cells.append((idx, -1, -1))  # a pipe row: not part of a one-cell-per-line table
                continue
            e = s + line.rindex("|")
        lead = len(line) - len(line.lstrip())
        cs, ce = s + lead, s + len(text[s:e].rstrip())
        cells.append((idx, cs, ce))

    def cell(k: int) -> str:
        _, cs, ce = cells[k]
        return text[cs:ce] if cs >= 0 else "|"

    rows: dict[int, Marker] = {}
    k = 0
    while k < len(cells):
        # (a cell starts with its first character, so a 序号 cell starts with 序 or 编)
        if (shortcuts.ENABLED and (cells[k][1] < 0 or text[cells[k][1]] not in "序编")
                or squeeze(cell(k)) not in _NUMBER_HEADERS):
            k += 1
            continue
        header_at = k
        header = [squeeze(cell(k))]
        k += 1
        while k < len(cells) and len(header) < _MAX_COLUMNS and _is_header_cell(cell(k)):
            header.append(squeeze(cell(k)))
            k += 1
        width = len(header)
        if width < 2 or k >= len(cells) or not cell(k).isdecimal():  # "²".isdigit(), but int("²") fails
            k = header_at + 1
            continue
        rows[cells[header_at][0]] = Marker(CUT, 0, cells[header_at][1], cells[header_at][1], "")
        for h in range(header_at + 1, k):
            rows[cells[h][0]] = Marker(SKIP, 0, 0, 0, "")
        task = task_column(header)
        number = int(cell(k))
        while k < len(cells) and cell(k).isdecimal() and int(cell(k)) == number:
            nxt = _next_row(cells, cell, k, number + 1, width)
            own = range(k + 1, nxt)
            named: dict[str, tuple[int, int]] = {}
            for pos, c in enumerate(own):
                name = header[pos + 1] if pos + 1 < width else f"col{pos + 2}"
                named[name] = (cells[c][1], cells[c][2])
            heading = named.get(header[task]) if task else None
            idx, s0, e0 = cells[k]
            first = cells[k + 1][1] if k + 1 < nxt else e0
            rows[idx] = Marker("row", number, s0, first, str(number), named, rank=RANK["row"], heading=heading)
            for c in own:
                rows[cells[c][0]] = Marker(SKIP, 0, 0, 0, "")
            k = nxt
            number += 1
    return rows


def _holds_number_header_text(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` holds what a cell that squeezes to 序号 or 编号 holds (``[序编]\\s*号``):
    looked for from each 号 (a literal a search jumps to) back over the blanks before it."""
    at = text.find("号", start, end)
    while at >= 0:
        k = at
        while k > start and text[k - 1].isspace():
            k -= 1
        if k > start and text[k - 1] in "序编":
            return True
        at = text.find("号", at + 1, end)
    return False


def _next_row(cells: list[tuple[int, int, int]], cell, k: int, number: int, width: int) -> int:  # type: ignore[no-untyped-def]
    """Index of the cell that opens row ``number`` after the row opened at ``k``: normally ``width`` cells
    on, else the nearest cell holding that number (a merged or split cell changes the count); the last
    row takes at most ``width - 1`` cells."""
    want = str(number)
    end = min(len(cells), k + width)
    if end < len(cells) and cell(end) == want:
        return end
    for j in range(k + 2, min(len(cells), k + 3 * width)):
        if cell(j) == want:
            return j
    for j in range(k + 1, end):
        if cells[j][1] < 0 or cell(j).startswith("附件"):
            return j
    return end
