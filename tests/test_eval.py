"""Extraction quality on the hand-made gold of every corpus document, held at the issue's floors."""
from __future__ import annotations

import pytest

from pipeline.evaluate import evaluate

from .conftest import CORPUS

# Floors from the issues (#10 structure, #11 extraction) over corpus/gold and corpus/dev; the measured
# figures are in the README.
FLOORS = {
    "title": 0.95,
    "year": 1.0,  # the plan year right on every document
    "items": 0.97,  # label path and exact heading
    "lead_departments": 0.97,
    "departments": 0.95,  # lead and co-operating, with their role
    "quantities": 0.95,
    "deadlines": 0.92,
    "instruments": 0.90,
    "instrument_actions": 0.90,
}


@pytest.fixture(scope="module")
def scores():  # type: ignore[no-untyped-def]
    return evaluate(CORPUS / "gold", CORPUS)


def test_eval_covers_every_corpus_document(scores) -> None:  # type: ignore[no-untyped-def]
    dev = {p.stem for p in (CORPUS / "dev").glob("*.txt")}  # the real plans of corpus/dev, gold in GUIDE format
    assert len(dev) == 12
    assert set(scores) - {"TOTAL"} == {"changzhou_edu_2022", "anshan_lishan_gov_tasks_2023",
                                       "caidian_gov_report_duties_2023", "changzhou_edu_2024", "wuhu_edu_2024",
                                       "yangpu_district_key_tasks_2022", "zhejiang_health_2023"} | dev


@pytest.mark.parametrize("field, floor", FLOORS.items())
def test_eval_floor(scores, field: str, floor: float) -> None:  # type: ignore[no-untyped-def]
    total = scores["TOTAL"][field]
    assert total.f1 >= floor, (total.missed, total.spurious)


def test_eval_no_non_quantity_reported(scores) -> None:  # type: ignore[no-untyped-def]
    """Zero spurious quantities: every reported number is one the annotators counted."""
    assert scores["TOTAL"]["quantities"].spurious == []


@pytest.mark.parametrize("doc_id", ["changzhou_edu_2022", "zhejiang_health_2023", "anshan_lishan_gov_tasks_2023"])
def test_eval_items_exact_per_document(scores, doc_id: str) -> None:  # type: ignore[no-untyped-def]
    s = scores[doc_id]["items"]
    assert s.fn == 0 and s.fp == 0, (s.missed, s.spurious)
