"""Item alignment: the hand-edited 2023 draft, a plan against itself, and the real 2024 excerpt."""
from __future__ import annotations

import math
from pathlib import Path

import pytest
import yaml

from pipeline.batch import process_file
from pipeline.compare import compare
from pipeline.compare.align import align_items, normalise
from pipeline.model import Document, ItemAlignment
from pipeline.structure import parse

from ..conftest import CORPUS, DATA, SEED

COMPARE = DATA / "compare"
EXPECTED = yaml.safe_load((COMPARE / "expected_edits.yaml").read_text(encoding="utf-8"))
EXCERPT_2024 = CORPUS / "samples" / "changzhou_edu_2024.txt"
# Read by hand: the 2024 excerpt's section 一 and its item 1 (party building: 主题教育, 校长负责制,
# 秋白党支部, the verbatim 一地一特色 sentence) genuinely continue these 2022 items; nothing else does.
GENUINE_2024 = {("1", "1"), ("1.1", "1.1"), ("1.4", "1.1"), ("1.5", "1.1")}


@pytest.fixture(scope="module")
def seed() -> Document:
    return process_file(SEED)


@pytest.fixture(scope="module")
def draft() -> Document:
    return process_file(COMPARE / "changzhou_edu_2023_draft.txt")


@pytest.fixture(scope="module")
def draft_alignment(seed: Document, draft: Document) -> list[ItemAlignment]:
    return align_items(seed, draft)


def test_align_draft_every_item_has_right_partner_and_status(draft_alignment: list[ItemAlignment]) -> None:
    got = [(a.old_item_id, a.new_item_id, a.status) for a in draft_alignment]
    expected = [tuple(row) for row in EXPECTED["alignment"]]
    assert sorted(got, key=str) == sorted(expected, key=str)


@pytest.mark.parametrize("old_id, new_id, old_label, new_label", [
    ("1.3", "1.2", "（三）", "（二）"), ("3.8", "3.8", "（二十一）", "（十八）"), ("6.4", "6.4", "（三十三）", "（三十二）"),
])
def test_align_renumbered_item_is_unchanged(seed: Document, draft: Document, draft_alignment: list[ItemAlignment],
                                            old_id: str, new_id: str, old_label: str, new_label: str) -> None:
    labels = ({it.item_id: it.label for it in seed.items}[old_id], {it.item_id: it.label for it in draft.items}[new_id])
    assert labels == (old_label, new_label)
    row = next(a for a in draft_alignment if a.old_item_id == old_id)
    assert (row.new_item_id, row.status, row.similarity) == (new_id, "unchanged", 1.0)


def test_align_rows_follow_new_plan_with_dropped_after_predecessor(draft: Document,
                                                                  draft_alignment: list[ItemAlignment]) -> None:
    kept = [a.new_item_id for a in draft_alignment if a.new_item_id is not None]
    assert kept == [it.item_id for it in draft.items]
    ids = [(a.old_item_id, a.new_item_id) for a in draft_alignment]
    assert ids[ids.index(("1.1", "1.1")) + 1] == ("1.2", None)
    assert ids[ids.index(("1.7", "1.6")) + 1] == ("1.8", None)


def test_align_similarity_reported_only_for_pairs(draft_alignment: list[ItemAlignment]) -> None:
    for a in draft_alignment:
        if a.status in ("new", "dropped"):
            assert math.isnan(a.similarity)
        else:
            assert 0.0 <= a.similarity <= 1.0 and round(a.similarity, 3) == a.similarity


@pytest.mark.parametrize("path", [SEED, COMPARE / "changzhou_edu_2023_draft.txt", EXCERPT_2024,
                                  CORPUS / "samples" / "zhejiang_health_2023.txt"], ids=lambda p: p.stem)
def test_align_plan_with_itself_is_all_unchanged(path: Path) -> None:
    doc = process_file(path)
    cmp = compare([doc, process_file(path, doc_id=doc.doc_id + "_again")])
    assert {a.status for a in cmp.alignments} == {"unchanged"}
    assert len(cmp.alignments) == len(doc.items)
    assert all(a.old_item_id == a.new_item_id for a in cmp.alignments)
    assert cmp.target_changes == []


def test_align_punctuation_width_and_spacing_are_not_changes(seed: Document) -> None:
    # Markers stay as they are so that the structure is the same; the bodies get web-copy punctuation.
    ascii_copy = SEED.read_text(encoding="utf-8")
    for full, half in [("，", ","), ("：", ":"), ("；", ";"), ("。", "。 "), ("（牵头负责", "(牵头负责"),
                       ("处）", "处)"), ("室）", "室)")]:
        ascii_copy = ascii_copy.replace(full, half)
    web = parse(ascii_copy, doc_id="web_copy")
    assert len(web.items) == len(seed.items)
    assert {a.status for a in align_items(seed, web)} == {"unchanged"}


@pytest.mark.parametrize("a, b", [("（牵头负责：组织处）", "(牵头负责:组织处)"), ("组建 8个", "组建8个")])
def test_align_normalise_equates_width_and_space(a: str, b: str) -> None:
    assert normalise(a) == normalise(b)


def test_align_department_annotation_change_is_modification(seed: Document, draft: Document,
                                                            draft_alignment: list[ItemAlignment]) -> None:
    row = next(a for a in draft_alignment if a.old_item_id == "2.3")
    assert (row.new_item_id, row.status) == ("2.3", "modified")


def test_align_2024_excerpt_forces_no_false_match(seed: Document) -> None:
    excerpt = process_file(EXCERPT_2024)
    rows = align_items(seed, excerpt)
    matched = {(a.old_item_id, a.new_item_id) for a in rows if a.old_item_id and a.new_item_id}
    assert matched <= GENUINE_2024
    assert sum(a.status == "dropped" for a in rows) >= len(seed.items) - len(excerpt.items)
    assert len({a.new_item_id for a in rows if a.new_item_id}) == len(excerpt.items)


@pytest.mark.parametrize("threshold", [-0.1, 1.5])
def test_align_rejects_threshold_outside_0_1(seed: Document, threshold: float) -> None:
    with pytest.raises(ValueError, match="threshold"):
        align_items(seed, seed, threshold=threshold)
