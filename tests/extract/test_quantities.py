"""Quantities: the case table, offsets on every corpus item, and the seed's known targets."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from pipeline.extract import patterns as P
from pipeline.extract.quantities import find_quantities, readable_value

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


def test_quantities_aspirational_targets_stay_visible_beside_their_qualifier() -> None:
    qs = find_quantities("城镇新增就业1.2万人。力争全市高新技术企业达到500家以上，研发投入强度力争达到3%。")
    assert [(q.value, q.qualifier, q.aspirational) for q in qs] == [
        (12000, "", False), (500, "以上", True), (3, "达到", True)]
    (q,) = find_quantities("力争研究成果落地2-3项")
    assert (q.qualifier, q.aspirational) == ("力争", True)


def test_quantities_readable_values_keep_base_units() -> None:
    (q,) = find_quantities("固定资产投资额达到100亿元以上")
    assert (q.value, q.unit) == (10_000_000_000, "元")
    assert readable_value(q.value) == "100亿"
    assert [readable_value(v) for v in (12_670_000, 1.43e12, 33000, 6.2, 85)] == ["1267万", "1.43万亿", "3.3万", "6.2", "85"]


def test_number_starts_hold_every_digit_a_number_may_start_with() -> None:
    # NUMBER_START names the digits as ranges (faster than \d): a digit it missed would hide its number.
    every_character = "".join(map(chr, range(0x110000)))
    digits = set(re.findall(r"\d", every_character))
    missed = sorted(digits - set(P.NUMBER_START.findall(every_character)))
    assert not missed, [hex(ord(c)) for c in missed]
    assert len(digits) > 600  # \d is Unicode-wide here, as in P.NUMBER
