"""Quantities: the case table, offsets on every corpus item, and the seed's known targets."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pipeline.extract.quantities import find_quantities

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "quantities.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:16] for c in CASES])
def test_quantities_case_table(case: dict) -> None:  # type: ignore[type-arg]
    found = find_quantities(case["text"])
    got = [[q.value, q.value_max, q.unit, q.qualifier, q.subject] for q in found]
    expected = case["expected"]
    assert len(got) == len(expected), got
    for g, e in zip(got, expected):
        assert g[0] == pytest.approx(e[0]) and g[1] == (None if e[1] is None else pytest.approx(e[1]))
        assert g[2:4] == e[2:4]
        if e[4] is not None:
            assert g[4] == e[4]


def test_quantities_breakdown_linked_to_total() -> None:
    qs = find_quantities("全年计划新建、改扩建学校101所，其中幼儿园37所、小学35所；竣工学校41所，其中幼儿园17所")
    assert [q.part_of for q in qs] == [None, 0, 0, None, 3]


def test_quantities_offsets_index_document_text(corpus_docs) -> None:  # type: ignore[no-untyped-def]
    for doc in corpus_docs:
        for it in doc.items:
            for q in it.quantities:
                span = doc.text[q.start : q.end]
                assert span and span[0].isdigit() or span[0] in "一二两三四五六七八九十", (doc.doc_id, span)
