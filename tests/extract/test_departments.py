"""Departments: the case table, offsets on every corpus item, and scores against the gold files."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from pipeline.cli import main
from pipeline.errors import PlanscopeError
from pipeline.extract import extract
from pipeline.extract.departments import canonical, declares_first_listed_lead, find_departments, lead_marker
from pipeline.model import RawText
from pipeline.ingest import read
from pipeline.model import Department, Document, Item
from pipeline.resources import ALIASES_ENV, load_aliases, use_aliases
from pipeline.structure import parse

from ..conftest import DATA, read_table



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
    found = find_departments(text, cells=cells, first_listed_leads=case.get("first_listed_leads", False),
                             lead_mark=case.get("lead_mark", ""))
    assert [[d.name, d.role] for d in found] == case["expected"]
    # the same with the text placed at an offset inside a longer document
    prefix = "附件\n"
    shifted_cells = {k: (s + len(prefix), e + len(prefix)) for k, (s, e) in (cells or {}).items()}
    full = prefix + text
    again = find_departments(text, offset=len(prefix), cells=shifted_cells or None, full_text=full,
                             first_listed_leads=case.get("first_listed_leads", False),
                             lead_mark=case.get("lead_mark", ""))
    assert [(d.name, d.role) for d in again] == [(d.name, d.role) for d in found]
    assert all(_unwrapped(full[d.start : d.end]) == d.name for d in again)


def _unwrapped(span: str) -> str:
    """A name as written, without the line breaks that wrap it (国家\\n卫生健康委)."""
    return "".join(span.split()) if "\n" in span else span


def test_departments_spans_index_document_text(parsed_corpus) -> None:  # type: ignore[no-untyped-def]
    docs = [*parsed_corpus, parse(read(DATA / "docx" / "task_table.docx"))]
    seen = 0
    for doc in docs:
        for it in doc.items:
            for d in _run(doc, it):
                assert _unwrapped(doc.text[d.start : d.end]) == d.name, (doc.doc_id, it.item_id, d)
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


def test_departments_legend_sign_detected() -> None:
    assert lead_marker("注：标★的为牵头单位，其余为配合单位。") == "★"
    assert lead_marker("带“※”者为牵头部门") == "※"
    assert lead_marker("牵头单位：区发改局") == ""


def _plan(text: str):  # type: ignore[no-untyped-def]
    from pipeline.structure import parse as parse_raw

    return extract(parse_raw(RawText(text=text, format="txt", source="plan.txt"), doc_id="plan"))


def test_section_annotation_after_last_sub_item_belongs_to_section() -> None:
    doc = _plan("2023年全市科普工作要点\n一、提升公民科学素质\n（一）开展科普进社区活动。组织专家进社区宣讲100场。\n"
                "（二）建设科普基地。新建市级科普教育基地10个。\n（三）办好科技活动周。\n"
                "（市科技局、市科协牵头，市委宣传部、市教育局参与）\n二、加强科普队伍建设\n（一）培育科普志愿者队伍。\n")
    by_label = {it.label: it for it in doc.items if it.level == 1}
    section = by_label["一、"]
    assert [(d.name, d.role) for d in section.departments] == [
        ("市科技局", "lead"), ("市科协", "lead"), ("市委宣传部", "co"), ("市教育局", "co")]
    assert all(not it.departments for it in doc.children(section.item_id))


def test_every_sub_item_annotated_keeps_its_own() -> None:
    doc = _plan("2025年教育工作要点\n一、加强党的建设\n1.深化理论学习。\n责任单位：组干科、机关党委。\n"
                "2.加强廉政建设。\n责任单位：纪检组、办公室。\n二、推进教育改革\n1.深化集团化办学。\n")
    section = next(it for it in doc.items if it.label == "一、")
    kids = doc.children(section.item_id)
    assert section.departments == []
    assert [[d.name for d in k.departments] for k in kids] == [["组干科", "机关党委"], ["纪检组", "办公室"]]


@pytest.fixture
def no_user_aliases():  # type: ignore[no-untyped-def]
    """use_aliases sets the process environment (for workers): leave none behind for other tests."""
    os.environ.pop(ALIASES_ENV, None)
    load_aliases.cache_clear()
    yield
    os.environ.pop(ALIASES_ENV, None)
    load_aliases.cache_clear()


def test_user_alias_file_extends_the_table(tmp_path: Path, no_user_aliases: None) -> None:
    aliases = tmp_path / "my_aliases.tsv"
    aliases.write_text("# 本地简称\n区发改局\t区发改委（本地）\n区市场局\t区市场监督管理局\n", encoding="utf-8")
    plan = tmp_path / "plan.txt"
    plan.write_text("2023年重点工作任务\n一、稳增长\n1.社会消费品零售总额增长9%左右。\n\n牵头单位：区商务局\n\n"
                    "责任单位：各街道，区市场局\n", encoding="utf-8")
    out = tmp_path / "out"
    assert canonical("区发改局") == "区发展和改革局"
    assert main(["extract", str(plan), "-o", str(out), "--quiet", "--aliases", str(aliases)]) == 0
    deps = read_table(out, "departments")
    assert dict(zip(deps["department"], deps["canonical"])) == {"区商务局": "区商务局", "区市场局": "区市场监督管理局"}
    assert canonical("区发改局") == "区发改委（本地）"  # the user's row wins over the shipped one


def test_bad_alias_file_is_an_error_naming_file_and_line(tmp_path: Path, no_user_aliases: None) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("区发改局\t区发展和改革局\n区教育局 区教体局\n", encoding="utf-8")
    with pytest.raises(PlanscopeError, match=r"bad\.tsv:2"):
        use_aliases(bad)
    with pytest.raises(PlanscopeError, match="missing.tsv"):
        use_aliases(tmp_path / "missing.tsv")
    assert ALIASES_ENV not in os.environ
