"""Departments: the case table, offsets on every corpus item, and scores against the gold files."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pipeline.extract.departments import canonical, declares_first_listed_lead, find_departments
from pipeline.ingest import read
from pipeline.model import Department, Document, Item
from pipeline.resources import load_aliases
from pipeline.structure import parse

from ..conftest import DATA



CASES = yaml.safe_load((Path(__file__).parent / "cases" / "departments.yaml").read_text(encoding="utf-8"))


def _cell_spans(text: str, cells: dict[str, str]) -> dict[str, tuple[int, int]]:
    spans, pos = {}, 0
    for column, value in cells.items():
        start = text.index(value, pos)
        spans[column] = (start, start + len(value))
        pos = start + len(value)
    return spans


def _run(doc: Document, it: Item) -> list[Department]:
    return find_departments(doc.text[it.start : it.end], offset=it.start, cells=it.cells, full_text=doc.text,
                            first_listed_leads=declares_first_listed_lead(doc.text))


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:20] for c in CASES])
def test_departments_case_table(case: dict) -> None:  # type: ignore[type-arg]
    text = case["text"]
    cells = _cell_spans(text, case["cells"]) if "cells" in case else None
    found = find_departments(text, cells=cells, first_listed_leads=case.get("first_listed_leads", False))
    assert [[d.name, d.role] for d in found] == case["expected"]
    # the same with the text placed at an offset inside a longer document
    prefix = "附件\n"
    shifted_cells = {k: (s + len(prefix), e + len(prefix)) for k, (s, e) in (cells or {}).items()}
    full = prefix + text
    again = find_departments(text, offset=len(prefix), cells=shifted_cells or None, full_text=full,
                             first_listed_leads=case.get("first_listed_leads", False))
    assert [(d.name, d.role) for d in again] == [(d.name, d.role) for d in found]
    assert all(full[d.start : d.end] == d.name for d in again)


def test_departments_spans_index_document_text(parsed_corpus) -> None:  # type: ignore[no-untyped-def]
    docs = [*parsed_corpus, parse(read(DATA / "docx" / "task_table.docx"))]
    seen = 0
    for doc in docs:
        for it in doc.items:
            for d in _run(doc, it):
                assert doc.text[d.start : d.end] == d.name, (doc.doc_id, it.item_id, d)
                assert it.start <= d.start < d.end <= it.end
                assert d.role in ("lead", "co")
                seen += 1
    assert seen > 50


def test_departments_table_cells_from_docx() -> None:
    doc = parse(read(DATA / "docx" / "task_table.docx"))
    rows = [it for it in doc.items if it.cells]
    got = [[(d.name, d.role) for d in _run(doc, it)] for it in rows]
    assert got[0] == [("区发改局", "lead"), ("立山经济开发区", "co")]
    assert got[4] == [("区财政局", "lead"), ("立山经济开发区", "co"), ("税务局", "co")]
    assert got[5] == [("区发改局", "lead")]
    assert got[6] == []


def test_departments_first_listed_convention_detected() -> None:
    assert declares_first_listed_lead("各项任务中，首位单位为牵头单位，其他为配合单位。")
    assert declares_first_listed_lead("（排在第一位的为牵头单位）")
    assert not declares_first_listed_lead("牵头单位：区发改局")


def test_departments_alias_table() -> None:
    aliases = load_aliases()
    assert "variant" not in aliases and all(k and v for k, v in aliases.items())
    assert canonical("区发改局") == "区发展和改革局"
    assert canonical("组织处") == "组织处"
    assert canonical("党委(党组)") == "党委（党组）"
