"""The same plan in every format gives the same items as the txt original."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.ingest import read
from pipeline.structure import parse

from ..conftest import CORPUS, DATA, SEED
from . import builder

SEED_VARIANTS = [
    "docx/changzhou_edu_2022_typed.docx",
    "docx/changzhou_edu_2022_autonum.docx",
    "pdf/changzhou_edu_2022.pdf",
    "html/changzhou_edu_2022.html",
    "html/changzhou_edu_2022_gbk.html",
    "txt/changzhou_edu_2022_gbk.txt",
    "txt/changzhou_edu_2022_utf16.txt",
    "txt/changzhou_edu_2022_trad.txt",
    "txt/changzhou_edu_2022_oneline.txt",
]


def _outline(path: Path) -> list[tuple[str, int, str, str]]:
    doc = parse(read(path))
    return [(it.item_id, it.level, it.label, doc.heading(it)) for it in doc.items]


@pytest.mark.parametrize("variant", SEED_VARIANTS)
def test_parity_seed_variants(variant: str) -> None:
    outline = _outline(DATA / variant)
    assert len(outline) == 39
    assert outline == _outline(SEED)


@pytest.mark.parametrize("variant", ["docx/task_table.docx", "html/anshan_lishan_gov_tasks_2023.html"])
def test_parity_task_table_rows_match_numbered_lines(variant: str) -> None:
    """The 立山 tasks as a table give the same tasks, under the same section, as the numbered text."""
    text_doc = parse(read(CORPUS / "samples" / "anshan_lishan_gov_tasks_2023.txt"))
    table_doc = parse(read(DATA / variant))
    want = [(it.item_id, text_doc.heading(it)) for it in text_doc.items]
    got = [(it.item_id, table_doc.heading(it)) for it in table_doc.items]
    assert got == want
    rows = [it for it in table_doc.items if it.kind == "row"]
    assert len(rows) == 7
    s, e = rows[0].cells["牵头单位"]
    assert table_doc.text[s:e] == "区发改局"


@pytest.mark.parametrize("kind", ["xlsx", "xls", "csv"])
def test_parity_task_table_spreadsheets(tmp_path: Path, kind: str) -> None:
    """The 立山 tasks as a spreadsheet (two-row header, merged cells) give the tasks of the numbered text."""
    if kind == "xls":
        pytest.importorskip("xlwt")
    path = builder("build_sheet").build(kind, tmp_path / f"tasks.{kind}")
    text_doc = parse(read(CORPUS / "samples" / "anshan_lishan_gov_tasks_2023.txt"))
    sheet_doc = parse(read(path))
    want = [(it.item_id, text_doc.heading(it)) for it in text_doc.items]
    assert [(it.item_id, sheet_doc.heading(it)) for it in sheet_doc.items] == want


@pytest.mark.parametrize("kind", ["doc", "wps", "ofd", "ofd-template", "ofd-spread"])
def test_parity_seed_built_formats(tmp_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The seed written as .doc/.wps (piece table) and .ofd (three layouts) at test time: the same items."""
    if kind in ("doc", "wps"):
        from pipeline.ingest import doc as doc_reader

        monkeypatch.setattr(doc_reader, "_libreoffice", lambda: None)
        path = builder("build_doc").build_seed(tmp_path / f"plan.{kind}")
    else:
        layout = kind.partition("-")[2] or "plain"
        path = builder("build_ofd").build(tmp_path / "plan.ofd", layout)
    outline = _outline(path)
    assert len(outline) == 39
    assert outline == _outline(SEED)
