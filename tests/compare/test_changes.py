"""Target changes, per-item details, trajectories over three plans, and the compare command's outputs."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
import yaml

from pipeline.batch import process_file
from pipeline.cli import main
from pipeline.compare import Comparison, compare, comparison_tables
from pipeline.compare.changes import (
    classify,
    pair_quantities,
    subject_overlap,
    word_diff,
)
from pipeline.extract import extract
from pipeline.model import Document, Quantity
from pipeline.report import render_comparison
from pipeline.structure import parse

from ..conftest import DATA, SEED

COMPARE = DATA / "compare"
DRAFT = COMPARE / "changzhou_edu_2023_draft.txt"
VARIANT = COMPARE / "changzhou_edu_2024_variant.txt"
EXPECTED = yaml.safe_load((COMPARE / "expected_edits.yaml").read_text(encoding="utf-8"))
CONTRACT = {
    "alignment": ["old_doc", "new_doc", "old_item_id", "new_item_id", "old_heading", "new_heading", "status",
                  "similarity"],
    "target_changes": ["old_doc", "new_doc", "old_item_id", "new_item_id", "subject", "unit", "old_value",
                       "new_value", "change"],
    "trajectories": ["subject", "unit", "year", "value", "doc_id", "item_id"],
}


@pytest.fixture(scope="module")
def plans() -> list[Document]:
    return [process_file(p) for p in (SEED, DRAFT, VARIANT)]


@pytest.fixture(scope="module")
def three(plans: list[Document]) -> Comparison:
    return compare(plans)


def _plan(body: str, year: int, doc_id: str) -> Document:
    return extract(parse(f"{year}年工作要点\n一、加强管理\n{body}", doc_id=doc_id))


def test_changes_draft_reports_every_target_change_and_nothing_else(three: Comparison) -> None:
    first = three.pairs[0]
    got = Counter((t.change.old_item_id, t.change.new_item_id, t.change.unit, t.change.old_value,
                   t.change.new_value, t.change.change) for t in first.targets)
    expected = Counter((o, n, u, None if a is None else float(a), None if b is None else float(b), c)
                       for o, n, u, a, b, c in EXPECTED["target_changes"])
    assert got == expected


def test_changes_breakdown_subjects_name_their_total(three: Comparison) -> None:
    subjects = {t.change.subject for t in three.pairs[0].targets if t.change.old_item_id == "2.1"}
    assert subjects == {"新建、改扩建学校", "新建、改扩建学校（其中幼儿园）", "新建、改扩建学校（其中小学）"}


def test_changes_lead_department_change(three: Comparison) -> None:
    changed = [[ch.old_item_id, ch.new_item_id, list(ch.leads_before), list(ch.leads_after)]
               for ch in three.pairs[0].items if ch.lead_changed]
    assert changed == EXPECTED["lead_changes"]


def test_changes_moved_item_is_flagged(three: Comparison) -> None:
    assert [(ch.old_item_id, ch.new_item_id) for ch in three.pairs[0].items if ch.moved] == [("2.5", "3.9")]


def test_changes_second_pair_has_only_the_variant_edit(three: Comparison) -> None:
    second = three.pairs[1]
    assert [(t.change.old_item_id, t.change.old_value, t.change.new_value, t.change.change) for t in second.targets] \
        == [("2.2", 80.0, 85.0, "increased")]
    assert {a.status for a in second.alignments if a.new_item_id != "2.2"} == {"unchanged"}


def test_changes_trajectories_over_three_plans(three: Comparison, plans: list[Document]) -> None:
    assert [d.year for d in plans] == [2022, 2023, 2024]
    series: dict[int, list[tuple[int | None, float, str]]] = {}
    for p in three.trajectories:
        series.setdefault(p.target_id, []).append((p.year, p.value, p.item_id))
    found = {(tuple(v for _, v, _ in s), tuple(i for _, _, i in s)) for s in series.values()}
    for expected in EXPECTED["trajectories"]:
        assert (tuple(float(v) for v in expected["values"]), tuple(expected["items"])) in found
    assert all([y for y, _, _ in s] == [2022, 2023, 2024] for s in series.values() if len(s) == 3)
    assert not any(len(s) == 1 for s in series.values())


@pytest.mark.parametrize("old, new, expected", [
    ([("学校", 101.0, "所", None)], [("学校", 120.0, "所", None)], [(0, 0)]),
    ([("省级名师", 20.0, "人", None), ("市级优师", 500.0, "人", None)],
     [("市级优师", 500.0, "人", None), ("省级名师", 25.0, "人", None)], [(1, 0), (0, 1)]),
    ([("常州市优质融合资源中心", 25.0, "所", None)], [("优质融合资源中心", 30.0, "所", None)], [(0, 0)]),
    ([("优质幼儿园", 20.0, "所", None)], [("优质幼儿园", 20.0, "个", None)], [(None, 0), (0, None)]),
    ([("节水型学校", 72.0, "%", None)], [("心理辅导室", 80.0, "%", None)], [(None, 0), (0, None)]),
    ([("新建学校", 101.0, "所", None), ("幼儿园", 37.0, "所", 0), ("竣工学校", 41.0, "所", None), ("幼儿园", 17.0, "所", 2)],
     [("新建学校", 120.0, "所", None), ("幼儿园", 46.0, "所", 0), ("竣工学校", 41.0, "所", None), ("幼儿园", 17.0, "所", 2)],
     [(0, 0), (1, 1), (2, 2), (3, 3)]),
], ids=["same", "reordered", "subject-reworded", "unit-differs", "subject-unrelated", "breakdowns"])
def test_changes_pair_quantities(old: list[tuple[str, float, str, int | None]],
                                 new: list[tuple[str, float, str, int | None]],
                                 expected: list[tuple[int | None, int | None]]) -> None:
    def qs(rows: list[tuple[str, float, str, int | None]]) -> list[Quantity]:
        return [Quantity(0, 1, value, unit, subject=subject, part_of=part) for subject, value, unit, part in rows]

    assert pair_quantities(qs(old), qs(new)) == expected


@pytest.mark.parametrize("old, new, expected", [
    ((72.0, None), (80.0, None), "increased"), ((30.0, None), (20.0, None), "decreased"),
    ((3.0, 5.0), (3.0, 5.0), "unchanged"), ((3.0, 5.0), (3.0, 6.0), "increased"),
    (None, (10.0, None), "added"), ((2.0, 3.0), None, "removed"),
])
def test_changes_classify(old: tuple[float, float | None] | None, new: tuple[float, float | None] | None,
                          expected: str) -> None:
    def q(v: tuple[float, float | None] | None) -> Quantity | None:
        return None if v is None else Quantity(0, 1, v[0], "所", value_max=v[1])

    assert classify(q(old), q(new)) == expected


@pytest.mark.parametrize("a, b, expected", [("", "", 1.0), ("省级名师", "省级名师", 1.0), ("学校", "名师", 0.0)])
def test_changes_subject_overlap(a: str, b: str, expected: float) -> None:
    assert subject_overlap(a, b) == expected


def test_changes_word_diff_marks_replaced_words() -> None:
    ops = word_diff("探索教师弹性工作制，切实减轻负担", "试行教师弹性工作制，切实减轻负担")
    assert [(op.tag, op.old, op.new) for op in ops if op.tag != "equal"] == [("replace", "探索", "试行")]
    assert "".join(op.new for op in ops) == "试行教师弹性工作制，切实减轻负担"


@pytest.mark.parametrize("old_body, new_body, moved, added, dropped", [
    ("（一）完善制度。年底前出台《甲办法》。", "（一）完善制度。年底前出台《甲办法》。", False, (), ()),
    ("（一）完善制度。年底前出台《甲办法》。", "（一）完善制度。6月底前出台《甲办法》。", True, (), ()),
    ("（一）完善制度。年底前出台《甲办法》。", "（一）完善制度。年底前贯彻《甲办法》，制定《乙细则》。", False, ("乙细则",), ("甲办法",)),
], ids=["same-relative-deadline", "deadline-moved", "instrument-issued-then-cited"])
def test_changes_deadlines_and_instruments(old_body: str, new_body: str, moved: bool,
                                           added: tuple[str, ...], dropped: tuple[str, ...]) -> None:
    cmp = compare([_plan(old_body, 2022, "a"), _plan(new_body, 2023, "b")])
    (change,) = [ch for ch in cmp.pairs[0].items if ch.old_item_id == "1.1"]
    assert (change.deadlines_moved, change.instruments_added, change.instruments_dropped) == (moved, added, dropped)


def test_changes_tables_follow_contract(three: Comparison) -> None:
    tables = comparison_tables(three)
    for name, columns in CONTRACT.items():
        assert list(tables[name].columns[: len(columns)]) == columns
    moved = tables["alignment"].query("old_item_id == '2.3' and new_doc == 'changzhou_edu_2023_draft'")
    assert moved["lead_change"].item() == "政策法规处 → 安全稳定工作处"
    assert tables["target_changes"]["delta"].dropna().tolist()[:3] == [19.0, 9.0, 10.0]


def _run_compare(tmp_path: Path, *paths: Path) -> Path:
    out = tmp_path / "out"
    assert main(["compare", *map(str, paths), "-o", str(out), "--quiet"]) == 0
    return out


@pytest.mark.parametrize("n_plans", [2, 3])
def test_cli_compare_writes_contract_tables(tmp_path: Path, n_plans: int) -> None:
    out = _run_compare(tmp_path, *(SEED, DRAFT, VARIANT)[:n_plans])
    names = ["alignment", "target_changes"] + (["trajectories"] if n_plans == 3 else [])
    assert sorted(p.name for p in out.iterdir()) == sorted([f"{n}.csv" for n in names] + ["datapackage.json", "report.html"])
    for name in names:
        raw = (out / f"{name}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        header = raw[3:].split(b"\n", 1)[0].decode("utf-8").strip().split(",")
        assert header[: len(CONTRACT[name])] == CONTRACT[name]
    changes = pd.read_csv(out / "target_changes.csv", encoding="utf-8-sig", dtype={"old_item_id": str})
    assert len(changes) == len(EXPECTED["target_changes"]) + (n_plans - 2)


def test_report_escapes_markup_from_the_plan(plans: list[Document]) -> None:
    # Built with parse() directly: the .txt reader would already strip the tags.
    planted = DRAFT.read_text(encoding="utf-8").replace(
        "提升教育装备使用成效。", "提升教育装备使用成效。<script>alert('x')</script>", 1)
    planted = planted.replace("（三十三）推进教育数字化转型。", "（三十三）推进<b onmouseover=alert(1)>数字化</b>转型。")
    planted = planted.replace("2023年工作要点", "2023年工作要点<script>")
    docs = [plans[0], extract(parse(planted, doc_id="planted<i>"))]
    assert "<script>alert" in docs[1].text
    page = render_comparison(compare(docs), docs)
    assert "<script" not in page and "<b " not in page and "<i>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page and "planted&lt;i&gt;" in page
    assert page.count("<ins>") >= 1 and page.count("<del>") >= 1


def test_report_render_comparison_is_self_contained(three: Comparison, plans: list[Document]) -> None:
    page = render_comparison(three, plans)
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page
    assert "http://" not in page and "https://" not in page and "<link" not in page and "src=" not in page
    assert "72%以上 <span class=\"arrow\">→</span> 80%以上" in page


@pytest.mark.parametrize("bad, message", [("missing.txt", "cannot open"), ("empty.txt", "empty"),
                                          ("prose.txt", "no numbered items")])
def test_cli_compare_bad_file_exits_2_naming_it(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                bad: str, message: str) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "prose.txt").write_text("这是一段没有编号的文字。", encoding="utf-8")
    path = tmp_path / bad
    assert main(["compare", str(SEED), str(path), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and str(path) in err and message in err
