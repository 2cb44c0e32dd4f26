"""Instruments: the case table, offsets on every corpus item, and scores against the gold files."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pipeline.extract.instruments import find_instruments




CASES = yaml.safe_load((Path(__file__).parent / "cases" / "instruments.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:20] for c in CASES])
def test_instruments_case_table(case: dict) -> None:  # type: ignore[type-arg]
    found = find_instruments(case["text"])
    assert [[i.title, i.action, i.issued] for i in found] == case["expected"]
    for i in found:
        assert "".join(case["text"][i.start : i.end].split()) == "".join(i.title.split())


def test_instruments_offset_shifts_spans() -> None:
    text = "出台《依法治校建设标准》"
    full = "附件\n" + text
    (ins,) = find_instruments(text, offset=3)
    assert full[ins.start : ins.end] == ins.title == "依法治校建设标准"


def test_instruments_spans_index_document_text(parsed_corpus) -> None:  # type: ignore[no-untyped-def]
    seen = 0
    for doc in parsed_corpus:
        for it in doc.items:
            for ins in find_instruments(doc.text[it.start : it.end], offset=it.start):
                assert doc.text[ins.start : ins.end] == ins.title, (doc.doc_id, it.item_id, ins)
                assert doc.text[ins.start - 1] == "《" and doc.text[ins.end] == "》"
                seen += 1
    assert seen >= 20
