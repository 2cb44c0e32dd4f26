"""Deadline extraction: a case table of real plan phrasing, span integrity on the corpus, gold scores."""
from __future__ import annotations

import json
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

from pipeline.extract.deadlines import find_deadlines, is_progress_report
from pipeline.ingest import read
from pipeline.model import Document
from pipeline.structure import parse

from ..conftest import CORPUS_DOCS

CASES = json.loads((Path(__file__).parent / "cases" / "deadlines.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def _doc(path: Path) -> Document:
    return parse(read(path))


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:24] for c in CASES])
def test_deadline_cases(case: dict[str, Any]) -> None:
    text = case["text"]
    found = find_deadlines(text, year=case["year"], report=case.get("report", False))
    got = [
        {"text": text[d.start : d.end], "date": d.date, "granularity": d.granularity, "recurring": d.recurring}
        for d in found
    ]
    assert got == case["expected"]


def test_deadline_offsets_index_the_document() -> None:
    text = "（一）加强管理。年底前完成。"
    (d,) = find_deadlines(text[3:], year=2022, offset=3)
    assert text[d.start : d.end] == "年底前"


@pytest.mark.parametrize("path", CORPUS_DOCS, ids=[p.stem for p in CORPUS_DOCS])
def test_deadline_spans_on_corpus(path: Path) -> None:
    doc = _doc(path)
    for it in doc.items:
        for d in find_deadlines(doc.text[it.start : it.end], year=doc.year, offset=it.start):
            assert it.start <= d.start < d.end <= it.end
            span = doc.text[d.start : d.end]
            assert span and span == span.strip()
            if d.date is not None:
                assert date.fromisoformat(d.date).isoformat() == d.date
            assert d.recurring == (d.granularity == "recurring")


def test_progress_reports_are_told_from_plans() -> None:
    report = "区政府：\n按照工作安排，区督查办对2021年政府工作报告重点任务一季度推进情况进行了汇总，现将具体情况报告如下。"
    assert is_progress_report(report)
    assert is_progress_report("", title="2023年重点工作任务上半年进展情况报告")
    assert is_progress_report("", title="某市教育局2022年政府信息公开工作年度报告")
    assert is_progress_report("", title="某省工业和信息化厅2021年法治政府建设情况")
    assert not is_progress_report("", title="2023年区政府工作报告重点工作责任分解方案")
    plan = "2023年全市教育工作要点\n一、加强党的建设\n1.持续推进党史学习教育常态化长效化。"
    assert not is_progress_report(plan, title="2023年全市教育工作要点")
