"""Build the .docx fixtures from real corpus text.

- changzhou_edu_2022_typed.docx: every line of the seed plan as a paragraph, markers typed as text.
- changzhou_edu_2022_autonum.docx: the same, but （一）…（三十三） come from Word automatic numbering
  (chineseCounting, lvlText "（%1）", one num instance, so it counts straight through as the original does).
- task_table.docx: title, heading and a 序号/工作任务/牵头单位/责任单位 table from the 立山区 sample.

Run: python tests/data/build_docx.py  (output is byte-for-byte reproducible)
"""
from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

ROOT = Path(__file__).resolve().parents[2]
SEED = (ROOT / "corpus" / "changzhou_edu_2022.txt").read_text(encoding="utf-8")
LISHAN = (ROOT / "corpus" / "samples" / "anshan_lishan_gov_tasks_2023.txt").read_text(encoding="utf-8")
OUT = Path(__file__).parent / "docx"
FIXED = datetime(2024, 1, 1)
_CN = "零一二三四五六七八九"
MARKER = re.compile(r"^（([一二三四五六七八九十]+)）")


def cn(n: int) -> str:
    """1..99 the way the plan writes them: 十, 十一, 二十, 三十三."""
    tens, ones = divmod(n, 10)
    return ((_CN[tens] if tens > 1 else "") + "十" if tens else "") + (_CN[ones] if ones else "")


def new_document(title: str, author: str) -> docx.document.Document:
    doc = docx.Document()
    props = doc.core_properties
    props.title, props.author, props.comments, props.last_modified_by = title, author, "", ""
    props.created = props.modified = FIXED
    props.revision = 1
    return doc


def save(doc: docx.document.Document, name: str) -> None:
    """Save with fixed zip timestamps so that rebuilding does not change the committed bytes."""
    buf = io.BytesIO()
    doc.save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(fixed, zin.read(info))
    (OUT / name).write_bytes(out.getvalue())


def add_chinese_numbering(doc: docx.document.Document) -> int:
    """Add an abstractNum（%1）in chineseCounting and one num using it; return its numId."""
    numbering = doc.part.numbering_part.element
    abstract_id = max((int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))),
                      default=-1) + 1
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
        '<w:multiLevelType w:val="singleLevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:suff w:val="nothing"/><w:lvlText w:val="（%1）"/><w:lvlJc w:val="left"/>'
        '<w:pPr><w:ind w:left="0" w:firstLine="640"/></w:pPr></w:lvl>'
        "</w:abstractNum>"
    )
    existing = numbering.findall(qn("w:abstractNum"))
    if existing:
        existing[-1].addnext(abstract)  # the schema wants every abstractNum before the first num
    else:
        numbering.insert(0, abstract)
    return int(numbering.add_num(abstract_id).numId)


def build_changzhou(autonum: bool) -> docx.document.Document:
    lines = SEED.rstrip("\n").split("\n")
    doc = new_document("2022年工作要点", "中共常州市委教育工委 常州市教育局")
    num_id = add_chinese_numbering(doc) if autonum else 0
    seen = []
    for line in lines:
        m = MARKER.match(line)
        if autonum and m:
            seen.append(m.group(0))
            p = doc.add_paragraph(line[m.end():])
            num_pr = p._p.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = 0
            num_pr.get_or_add_numId().val = num_id
        else:
            doc.add_paragraph(line)
    if autonum:  # one counter straight through only reproduces the plan if the plan counts that way
        assert seen == [f"（{cn(i)}）" for i in range(1, 34)], seen
    return doc


def build_task_table() -> docx.document.Document:
    lines = [ln.strip() for ln in LISHAN.split("\n") if ln.strip()]
    rows: list[list[str]] = []
    for line in lines:
        m = re.match(r"^(\d+)\.(.+)$", line)
        if m:
            rows.append([m.group(1), m.group(2), "", ""])
        elif rows and line.startswith("牵头单位:"):
            rows[-1][2] = line.split(":", 1)[1]
        elif rows and line.startswith("责任单位:"):
            rows[-1][3] = line.split(":", 1)[1]
    assert [r[0] for r in rows] == [str(i) for i in range(1, 8)], rows
    title = "立山区政府2023年重点工作任务分解和责任分工方案"
    doc = new_document(title, "鞍山市立山区人民政府")
    doc.add_paragraph(title)
    doc.add_paragraph("一、经济社会发展的主要预期目标")
    table = doc.add_table(rows=0, cols=4)
    table.style = "Table Grid"
    for values in [["序号", "工作任务", "牵头单位", "责任单位"], *rows]:
        cells = table.add_row().cells
        for cell, value in zip(cells, values):
            cell.text = value
    return doc


def main() -> None:
    OUT.mkdir(exist_ok=True)
    save(build_changzhou(autonum=False), "changzhou_edu_2022_typed.docx")
    save(build_changzhou(autonum=True), "changzhou_edu_2022_autonum.docx")
    save(build_task_table(), "task_table.docx")


if __name__ == "__main__":
    main()
