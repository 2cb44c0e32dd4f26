"""Build task-division spreadsheets (.xlsx, .xls, .csv) from the 立山区 sample, the way offices lay them out.

Used by the tests at test time (nothing is committed): ``build(kind, path)``. Run it directly to look at
the files: ``python tests/data/build_sheet.py OUTPUT_DIR``.

Layout, as 重点任务分工 sheets come: a title row merged across the sheet, a two-row header
(序号, 工作任务 and 完成时限 merged down; 责任单位 merged across 牵头单位 / 责任单位 below it), the
section row 一、… merged across, then one row per task; the deadline the tasks share is one cell
merged down over all of them, as people do to avoid typing it seven times.
"""
from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LISHAN = (ROOT / "corpus" / "samples" / "anshan_lishan_gov_tasks_2023.txt").read_text(encoding="utf-8")
TITLE = "立山区政府2023年重点工作任务分解和责任分工方案"
SECTION = "一、经济社会发展的主要预期目标"


def tasks() -> list[list[str]]:
    """[序号, 工作任务, 牵头单位, 责任单位] for the sample's seven tasks (ASCII commas made full-width)."""
    rows: list[list[str]] = []
    for line in (ln.strip() for ln in LISHAN.split("\n")):
        m = re.match(r"^(\d+)\.(.+)$", line)
        if m:
            rows.append([m.group(1), m.group(2), "", ""])
        elif rows and line.startswith("牵头单位:"):
            rows[-1][2] = line.split(":", 1)[1].replace(",", "，")
        elif rows and line.startswith("责任单位:"):
            rows[-1][3] = line.split(":", 1)[1].replace(",", "，")
    assert [r[0] for r in rows] == [str(i) for i in range(1, 8)], rows
    return rows


DEADLINE = "2023年12月底前"


def grid() -> tuple[list[list[str]], list[tuple[int, int, int, int]]]:
    """The sheet's cells (merged ranges hold their value in the top-left cell only) and its merges
    as (first row, first col, last row, last col), 0-based. 完成时限 is one cell merged down over all
    the tasks, as sheets write a deadline the tasks share."""
    rows = [
        [TITLE, "", "", "", ""],
        ["序号", "工作任务", "责任单位", "", "完成时限"],
        ["", "", "牵头单位", "责任单位", ""],
        [SECTION, "", "", "", ""],
    ]
    merges = [(0, 0, 0, 4), (1, 0, 2, 0), (1, 1, 2, 1), (1, 2, 1, 3), (1, 4, 2, 4), (3, 0, 3, 4)]
    body = tasks()
    first = len(rows)
    rows += [[*row, DEADLINE if i == 0 else ""] for i, row in enumerate(body)]
    merges.append((first, 4, first + len(body) - 1, 4))
    return rows, merges


def build_xlsx(path: Path) -> Path:
    import openpyxl

    rows, merges = grid()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任务分工"
    for row in rows:
        ws.append([int(v) if v.isdigit() else (v or None) for v in row])
    for r0, c0, r1, c1 in merges:
        if (r0, c0) != (r1, c1):
            ws.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
    wb.properties.title = TITLE
    wb.create_sheet("说明").sheet_state = "hidden"  # a hidden helper sheet is not part of the plan
    wb["说明"]["A1"] = "填表说明：请各单位于每月5日前报送进展情况。"
    wb.save(path)
    return path


def build_xls(path: Path) -> Path:
    import xlwt  # writes BIFF8, the format Excel 97-2003 and WPS (.et) read

    rows, merges = grid()
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("任务分工")
    merged = {(r0, c0): (r1, c1) for r0, c0, r1, c1 in merges}
    covered = {(r, c) for r0, c0, r1, c1 in merges for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            value: object = int(v) if v.isdigit() else v
            if (r, c) in merged:
                r1, c1 = merged[(r, c)]
                ws.write_merge(r, r1, c, c1, value)
            elif (r, c) not in covered and v:
                ws.write(r, c, value)
    wb.save(str(path))
    return path


def build_csv(path: Path, encoding: str = "gb18030") -> Path:
    """A CSV export has no merges: one header row, every cell written out (Excel saves it in GBK)."""
    with open(path, "w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh)
        w.writerow([TITLE])
        w.writerow(["序号", "工作任务", "牵头单位", "责任单位", "完成时限"])
        w.writerow([SECTION])
        w.writerows([*row, DEADLINE] for row in tasks())
    return path


def build(kind: str, path: Path) -> Path:
    return {"xlsx": build_xlsx, "xls": build_xls, "csv": build_csv}[kind](path)


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    out.mkdir(parents=True, exist_ok=True)
    for kind in ("xlsx", "xls", "csv"):
        print(build(kind, out / f"task_table.{kind}"))
