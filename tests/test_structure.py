"""Numbering hierarchy, headings and metadata on real plans and their variants."""
from __future__ import annotations

import pytest

from pipeline.ingest import read
from pipeline.structure import parse

from .conftest import CORPUS, DATA, SEED


def _outline(path):  # type: ignore[no-untyped-def]
    doc = parse(read(path))
    return [(it.item_id, it.level, it.label, doc.heading(it)) for it in doc.items]


def test_structure_seed_sections_and_items(seed_doc) -> None:  # type: ignore[no-untyped-def]
    sections = [it for it in seed_doc.items if it.level == 1]
    items = [it for it in seed_doc.items if it.level == 2]
    assert [s.label for s in sections] == ["一、", "二、", "三、", "四、", "五、", "六、"]
    assert len(items) == 33
    assert items[0].label == "（一）" and items[-1].label == "（三十三）"
    # （九） sits in section 二 and is the first child there, whatever its number says
    ninth = next(it for it in items if it.label == "（九）")
    assert ninth.item_id == "2.1" and seed_doc.heading(ninth) == "增加学位资源供给"


def test_structure_seed_metadata(seed_doc) -> None:  # type: ignore[no-untyped-def]
    assert seed_doc.title == "2022年工作要点"
    assert seed_doc.issuer == "中共常州市委教育工委；常州市教育局"
    assert seed_doc.year == 2022
    assert seed_doc.preamble is not None
    assert "总体思路" in seed_doc.text[seed_doc.preamble[0] : seed_doc.preamble[1]]


def test_structure_item_spans_cover_text(seed_doc) -> None:  # type: ignore[no-untyped-def]
    for it in seed_doc.items:
        own = seed_doc.text[it.start : it.end]
        assert own.startswith(it.label)
        assert seed_doc.heading(it) in own
    last = seed_doc.items[-1]
    assert seed_doc.text[last.start : last.end].endswith("大力促进中外人文交流。（牵头负责：办公室）")


@pytest.mark.parametrize(
    "variant",
    ["changzhou_edu_2022_gbk.txt", "changzhou_edu_2022_utf16.txt", "changzhou_edu_2022_trad.txt",
     "changzhou_edu_2022_oneline.txt"],
)
def test_structure_variants_give_same_items(variant: str) -> None:
    assert _outline(DATA / "txt" / variant) == _outline(SEED)


def test_structure_cover_letter_numbering_is_not_items() -> None:
    doc = parse(read(CORPUS / "samples" / "caidian_gov_report_duties_2023.txt"))
    assert doc.items[0].label == "一、"
    assert doc.heading(doc.items[0]) == "2023年全区经济社会发展的主要预期目标"
    assert "绩效考评" not in doc.text[doc.items[0].start :][:200]
    assert doc.title == "2023年区《政府工作报告》确定的主要目标任务责任分解方案"
    assert doc.doc_number == "蔡政办〔2023〕1号"


def test_structure_skipped_level_nests_under_section() -> None:
    doc = parse(read(CORPUS / "samples" / "wuhu_edu_2024.txt"))
    assert [(it.item_id, it.level, it.label) for it in doc.items] == [
        ("1", 1, "一、"), ("1.1", 2, "1."), ("1.2", 2, "2.")]
    assert doc.title == "芜湖市教育局2024年工作要点" and doc.issuer == "芜湖市教育局" and doc.year == 2024


def test_structure_four_levels() -> None:
    doc = parse(read(CORPUS / "samples" / "zhejiang_health_2023.txt"))
    labels = [(it.level, it.label) for it in doc.items]
    assert labels == [(1, "一、"), (1, "二、"), (2, "（一）"), (3, "1."), (3, "2."), (4, "（1）")]


@pytest.mark.parametrize(
    "text, expected",
    [
        # a stray "1." inside a running list is not a restart
        ("1.甲项工作。\n2.乙项工作。\n1.5万人参加\n3.丙项工作。", ["1.", "2.", "3."]),
        # decimals and years at line start are not markers
        ("一、总体目标\n2023年全面完成。\n6.5%的增长\n二、主要任务", ["一、", "二、"]),
        # a marker written twice by mistake is one marker
        ("（一）甲。\n（二）（二）乙。\n（三）丙。", ["（一）", "（二）", "（三）"]),
        # 一是…二是… stays inside its item
        ("一、加强党建。一是强化学习，二是完善制度。\n二、深化改革", ["一、", "二、"]),
    ],
)
def test_structure_marker_acceptance(text: str, expected: list[str]) -> None:
    assert [it.label for it in parse(text).items] == expected


def test_structure_table_rows_keep_cells() -> None:
    text = ("重点任务分工\n一、主要目标\n序号 | 工作任务 | 牵头单位 | 完成时限\n"
            "1 | 地区生产总值增长6.2%左右。 | 区发改局 | 2023年12月底\n"
            "2 | 规模上工业增加值增长5%左右。 | 区工信局 | 2023年底")
    doc = parse(text)
    rows = [it for it in doc.items if it.kind == "row"]
    assert [(r.item_id, r.label, doc.heading(r)) for r in rows] == [
        ("1.1", "1", "地区生产总值增长6.2%左右"), ("1.2", "2", "规模上工业增加值增长5%左右")]
    s, e = rows[0].cells["牵头单位"]
    assert doc.text[s:e] == "区发改局"
    s, e = rows[1].cells["完成时限"]
    assert doc.text[s:e] == "2023年底"


def test_structure_flattened_table_one_cell_per_line() -> None:
    text = "序号\n工作任务\n牵头单位\n1\n推进老旧小区改造。\n区住建局\n2\n新建学校3所。\n区教育局"
    doc = parse(text)
    assert [(it.label, doc.heading(it)) for it in doc.items] == [("1", "推进老旧小区改造"), ("2", "新建学校3所")]
    s, e = doc.items[1].cells["牵头单位"]
    assert doc.text[s:e] == "区教育局"


def test_structure_attachments_are_units_over_their_rows() -> None:
    text = ("附件1\n2023年重点任务分解表\n序号 | 工作任务 | 牵头单位 | 完成时限\n"
            "1 | 新建学校3所。 | 市教育局 | 2023年底前\n2 | 改造操场5个。 | 市体育局 | 2023年6月底前\n"
            "附件2\n2023年民生实事分解表\n序号 | 工作任务 | 牵头单位 | 完成时限\n"
            "1 | 新增学位2000个。 | 市教育局 | 2023年9月底前")
    doc = parse(text)
    assert [(it.item_id, it.label, doc.heading(it)) for it in doc.items] == [
        ("1", "附件1", "2023年重点任务分解表"), ("1.1", "1", "新建学校3所"), ("1.2", "2", "改造操场5个"),
        ("2", "附件2", "2023年民生实事分解表"), ("2.1", "1", "新增学位2000个")]


@pytest.mark.parametrize(
    "name, title",
    [
        ("yangpu_district_key_tasks_2022", "2022年区委、区政府重点工作任务"),
        ("anshan_lishan_gov_tasks_2023", "立山区政府2023年重点工作任务分解和责任分工方案"),
        ("zhejiang_health_2023", "2023年全省卫生健康工作要点"),
        ("changzhou_edu_2024", "2024年常州教育工作要点"),
    ],
)
def test_structure_titles_of_samples(name: str, title: str) -> None:
    assert parse(read(CORPUS / "samples" / f"{name}.txt")).title == title
