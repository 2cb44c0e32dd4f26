"""Compare on real yearly series (gold by reading), across issuers, across formats, and at corpus scale."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from pipeline.batch import process_file
from pipeline.cli import main
from pipeline.compare import compare, document_level
from pipeline.compare.changes import pair_quantities
from pipeline.compare.evaluate import evaluate_compare
from pipeline.compare.series import same_issuer
from pipeline.extract import extract
from pipeline.model import Document, Quantity
from pipeline.structure import parse

from ..conftest import CORPUS, DATA, ROOT, SEED

SAMPLES = CORPUS / "samples"
DEV = CORPUS / "dev"


def _plan(text: str, doc_id: str) -> Document:
    return extract(parse(text, doc_id=doc_id))


def test_series_gold_every_carry_over_and_target_change_found_nothing_false() -> None:
    scores = evaluate_compare(CORPUS / "gold" / "compare", ROOT)
    assert {s.name for s in scores} == {"wuhu_edu_2024_2025", "changzhou_edu_2019_2022", "changzhou_edu_2022_2024",
                                        "shapingba_2021_2022"}
    for s in scores:
        assert not s.refused
        assert (s.found, s.missed, s.false_pairs) == (s.carry_overs, [], []), s.name
        assert (s.targets_found, s.spurious) == (s.target_changes, []), s.name
    assert sum(s.carry_overs for s in scores) >= 8
    assert sum(s.target_changes for s in scores) == 4


def test_series_reworded_carry_overs_of_real_plans() -> None:
    # 2019 1.加强政治思想建设 -> 2022 （一）加强党的政治建设 share little wording; their sections and order pair them.
    old, new = process_file(DEV / "01_changzhou_edu_2019.txt"), process_file(SEED)
    pairs = {(a.old_item_id, a.new_item_id) for a in compare([old, new]).alignments if a.old_item_id and a.new_item_id}
    assert pairs == {("1", "1"), ("1.1", "1.1"), ("1.2", "1.2")}
    # 芜湖 2025's first item takes in both 2024 items: one pair and one merge.
    old, new = process_file(SAMPLES / "wuhu_edu_2024.txt"), process_file(DEV / "12_wuhu_edu_2025.txt")
    rows = [(a.old_item_id, a.new_item_id, a.relation) for a in compare([old, new]).alignments]
    assert ("1.2", "1.1", "") in rows and ("1.1", "1.1", "merge") in rows and (None, "1.2", "") in rows


@pytest.mark.parametrize("a, b", [
    (SEED, SAMPLES / "wuhu_edu_2024.txt"), (SAMPLES / "changzhou_edu_2024.txt", SAMPLES / "wuhu_edu_2024.txt"),
    (SAMPLES / "anshan_lishan_gov_tasks_2023.txt", SAMPLES / "caidian_gov_report_duties_2023.txt"),
    (SAMPLES / "zhejiang_health_2023.txt", DEV / "12_wuhu_edu_2025.txt"),
    (SAMPLES / "caidian_gov_report_duties_2023.txt", DEV / "36_shapingba_gov_report_progress_2021q1.txt"),
], ids=lambda p: p.stem[:12])
def test_series_plans_of_different_issuers_give_no_pairs(a: Path, b: Path) -> None:
    old, new = process_file(a), process_file(b)
    assert same_issuer(old, new) is False
    pair = compare([old, new]).pairs[0]
    assert pair.same_issuer is False
    assert not [x for x in pair.alignments if x.old_item_id and x.new_item_id]
    assert not [t for t in pair.targets if t.change.change not in ("added", "removed")]


def test_series_cross_issuer_align_is_what_pairs_standard_indicators() -> None:
    # 立山 and 蔡甸 both list 地区生产总值增长 etc.: only an explicit request aligns two issuers' plans.
    old = process_file(SAMPLES / "anshan_lishan_gov_tasks_2023.txt")
    new = process_file(SAMPLES / "caidian_gov_report_duties_2023.txt")
    aligned = compare([old, new], cross_issuer="align").pairs[0]
    assert [x for x in aligned.alignments if x.old_item_id and x.new_item_id]


@pytest.mark.parametrize("path", [DATA / "docx" / "changzhou_edu_2022_typed.docx",
                                  DATA / "docx" / "changzhou_edu_2022_autonum.docx",
                                  DATA / "html" / "changzhou_edu_2022.html",
                                  DATA / "txt" / "changzhou_edu_2022_trad.txt"], ids=lambda p: p.name)
def test_series_same_plan_in_two_formats_gives_no_change(path: Path) -> None:
    seed = process_file(SEED)
    pair = compare([seed, process_file(path, doc_id="other_format")]).pairs[0]
    assert {a.status for a in pair.alignments} == {"unchanged"} and pair.targets == []


TARGETS_2023 = """某区2023年经济社会发展主要预期目标
全区地区生产总值增长6.5%左右，一般公共预算收入增长5%，城镇调查失业率控制在5.5%以内，新增城镇就业1.2万人，居民人均可支配收入增长与经济增长基本同步。
"""
TARGETS_2024 = """某区2024年经济社会发展主要预期目标
全区地区生产总值增长6%以上，一般公共预算收入增长5%左右，城镇调查失业率控制在5.5%以内，新增城镇就业1.5万人，居民人均可支配收入增长与经济增长基本同步。
"""


def test_series_plans_without_numbered_items_compared_at_document_level(tmp_path: Path) -> None:
    old, new = _plan(TARGETS_2023, "t2023"), _plan(TARGETS_2024, "t2024")
    assert not old.items and len(document_level(old).items) == 1
    got = {(t.old_text, t.new_text, t.change.change) for t in compare([old, new]).pairs[0].targets}
    assert got == {("6.5%左右", "6%以上", "decreased"), ("5%", "5%左右", "qualifier"), ("1.2万人", "1.5万人", "increased")}
    (tmp_path / "a.txt").write_text(TARGETS_2023, encoding="utf-8")
    (tmp_path / "b.txt").write_text(TARGETS_2024, encoding="utf-8")
    assert main(["compare", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "-o", str(tmp_path / "o"), "--quiet"]) == 0
    table = pd.read_csv(tmp_path / "o" / "target_changes.csv", encoding="utf-8-sig")
    assert sorted(table["change"]) == ["decreased", "increased", "qualifier"]
    assert table.loc[table["change"] == "increased", "pct"].item() == 25.0


def _q(subject: str, value: float, unit: str, qualifier: str = "", value_max: float | None = None) -> Quantity:
    return Quantity(0, 1, value, unit, value_max=value_max, qualifier=qualifier, subject=subject)


def test_series_targets_of_other_administrative_levels_never_pair() -> None:
    assert pair_quantities([_q("省级名师", 20, "人")], [_q("市级名师", 25, "人")]) == [(None, 0), (0, None)]
    assert pair_quantities([_q("省级名师", 20, "人")], [_q("省级名师", 25, "人")]) == [(0, 0)]


MOVED_OLD = """2023年工作要点
一、优化教育资源
（一）增加学位供给。全年新建、改扩建学校30所，增加学位1.2万个。
（二）提升装备水平。推进智慧校园建设，建成智慧校园示范校20所。
二、提升教育质量
（三）深化课堂改革。遴选优秀课例100个，培育市级教学成果奖30项。
"""
MOVED_NEW = """2024年工作要点
一、优化教育资源
（一）增加学位供给。全年新建、改扩建学校35所，增加学位1.5万个。
（二）提升装备水平。推进实验室标准化建设，更新实验室设备2000套。
二、提升教育质量
（三）深化课堂改革。遴选优秀课例120个，培育市级教学成果奖30项，建成智慧校园示范校25所左右。
"""


def test_series_target_that_moved_to_another_item_is_paired_and_flagged() -> None:
    pair = compare([_plan(MOVED_OLD, "m2023"), _plan(MOVED_NEW, "m2024")]).pairs[0]
    moved = [t for t in pair.targets if t.moved]
    assert [(t.change.old_item_id, t.change.new_item_id, t.old_text, t.new_text, t.change.change) for t in moved] \
        == [("1.2", "2.1", "20所", "25所左右", "increased")]
    assert ("", "2000套", "added") in {(t.old_text, t.new_text, t.change.change) for t in pair.targets}


REPORTED = """2021年一季度重点任务推进情况
一、主要指标完成情况
1.地区生产总值增长6%以上。预计一季度增长20%左右，社会消费品零售总额同比增长78.1%。
"""
TARGETS = """2022年重点任务
一、主要指标
1.地区生产总值增长5.5%左右。
"""


def test_series_values_reported_as_reached_are_not_targets() -> None:
    pair = compare([_plan(REPORTED, "r2021"), _plan(TARGETS, "r2022")]).pairs[0]
    assert [(t.old_text, t.new_text, t.change.change) for t in pair.targets] == [("6%以上", "5.5%左右", "decreased")]


def _write(folder: Path, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def test_cli_compare_corpus_folder_lists_series_and_error_rows(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    for path in (SEED, SAMPLES / "changzhou_edu_2024.txt", DEV / "01_changzhou_edu_2019.txt",
                 SAMPLES / "wuhu_edu_2024.txt", DEV / "12_wuhu_edu_2025.txt", SAMPLES / "zhejiang_health_2023.txt"):
        _write(plans / path.parent.name, path.name, path.read_text(encoding="utf-8"))
    (plans / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    out = tmp_path / "out"
    assert main(["compare", str(plans), "-o", str(out), "--quiet"]) == 0
    series = pd.read_csv(out / "series.csv", encoding="utf-8-sig", dtype={"compared_with": str})
    assert len(series) == 7
    error = series[series["status"] == "error"]
    assert error["doc_id"].tolist() == ["broken"] and "broken.docx" in error["error"].item()
    runs = {k: g.sort_values("position")["doc_id"].tolist() for k, g in series.dropna(subset=["series"]).groupby("series")}
    assert sorted(runs.values()) == sorted([["01_changzhou_edu_2019", "changzhou_edu_2022", "changzhou_edu_2024"],
                                            ["wuhu_edu_2024", "12_wuhu_edu_2025"], ["zhejiang_health_2023"]])
    alignment = pd.read_csv(out / "alignment.csv", encoding="utf-8-sig")
    assert set(zip(alignment["old_doc"], alignment["new_doc"])) == {
        ("01_changzhou_edu_2019", "changzhou_edu_2022"), ("changzhou_edu_2022", "changzhou_edu_2024"),
        ("wuhu_edu_2024", "12_wuhu_edu_2025")}
    assert sorted(p.name for p in out.glob("report_*.html")) and (out / "trajectories.csv").is_file()
    assert main(["compare", str(plans), "-o", str(out), "--quiet", "--strict"]) == 1


def test_cli_compare_heading_with_dollar_frac_does_not_crash(tmp_path: Path) -> None:
    old = "2023年工作要点\n一、推进$\\frac$改革\n（一）完善制度。全年新建学校10所。\n（二）加强管理。\n二、其他工作\n（三）做好服务。\n"
    new = "2024年工作要点\n一、推进$\\frac$改革\n（一）完善制度。全年新建学校12所。\n二、其他工作\n（二）做好服务。\n"
    _write(tmp_path, "a.txt", old)
    _write(tmp_path, "b.txt", new)
    assert main(["compare", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "-o", str(tmp_path / "o"), "--quiet"]) == 0
    assert "推进$\\frac$改革" in (tmp_path / "o" / "report.html").read_text(encoding="utf-8")


def test_import_pipeline_pulls_no_numerics_and_compare_no_jieba() -> None:
    code = ("import sys, pipeline; from pipeline.compare import compare; from pipeline.batch import process_file;"
            f"d = [process_file(r'{SEED}'), process_file(r'{DATA / 'compare' / 'changzhou_edu_2023_draft.txt'}')];"
            "compare(d); print(sorted(m for m in ('numpy', 'scipy', 'sklearn', 'jieba', 'pandas') if m in sys.modules))")
    got = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert got.stdout.strip() == "[]"


def test_report_target_table_labels_as_written_delta_percent_and_filter(tmp_path: Path) -> None:
    from pipeline.report import render_comparison

    docs = [process_file(SEED), process_file(DATA / "compare" / "changzhou_edu_2023_draft.txt")]
    page = render_comparison(compare(docs), docs)
    # （九）增加学位资源供给: 新建、改扩建学校101所 -> 120所, Δ 19, +18.8%
    row = next(r for r in page.split("<tr ") if "101所" in r and "120所" in r)
    assert "（九）" in row and ">19<" in row and "+18.8%" in row and "2.1" not in row
    assert 'class="k-increased"' in page and 'class="k-removed"' in page and 'class="k-decreased"' in page
    assert "<script" not in page


def test_series_shapingba_table_rows_when_they_parse(tmp_path: Path) -> None:
    # The 2022 targets table laid out with "|" cells, as the 2021 report writes its table: every row is an item.
    import json

    from pipeline.compare.evaluate import score_pair

    text = (DEV / "31_shapingba_gov_report_tasks_table_2022.txt").read_text(encoding="utf-8")
    cut = text.index("附件1\n")
    rows = [line.strip() for line in text[cut:].splitlines() if line.strip()]
    table = "\n".join(r if r.startswith("附件") or r.endswith("分解表") else r + " |" for r in rows)
    (tmp_path / "s2022.txt").write_text(text[:cut] + table + "\n", encoding="utf-8")
    new = process_file(tmp_path / "s2022.txt")
    assert len([it for it in new.items if it.kind == "row"]) == 11
    gold = json.loads((CORPUS / "gold" / "compare" / "shapingba_2021_2022.json").read_text(encoding="utf-8"))
    score = score_pair(gold, process_file(DEV / "36_shapingba_gov_report_progress_2021q1.txt"), new)
    assert (score.found, score.carry_overs, score.false_pairs, score.unparsed) == (4, 4, [], [])
    assert (score.targets_found, score.target_changes, score.spurious) == (3, 3, [])


def test_report_department_view_and_items_across_years() -> None:
    from pipeline.report import render_comparison

    plans = [process_file(p) for p in (SEED, DATA / "compare" / "changzhou_edu_2023_draft.txt",
                                       DATA / "compare" / "changzhou_edu_2024_variant.txt")]
    page = render_comparison(compare(plans), plans)
    # 政策法规处 leads （十一）（十三）（三十二） in 2022: its row shows 3 items in the old plan
    view = page[page.index("按牵头单位") : page.index("</table>", page.index("按牵头单位"))]
    seed_led = sum(1 for it in plans[0].items if it.item_id not in {i.parent_id for i in plans[0].items}
                   and any(d.role == "lead" and d.name == "政策法规处" for d in it.departments))
    assert seed_led == 3 and f"<td>政策法规处</td><td class=\"num\">{seed_led}</td>" in view
    across = page[page.index("条目跨年对照") :]
    # （二十一）深化教育督导… is （十八） in the 2023 draft and stays in 2024: one row with the three labels
    row = next(r for r in across.split("<tr>") if "（二十一）" in r)
    assert row.count('class="label"') == 3 and "（十八）" in row


def test_corpus_series_are_one_plan_over_the_years_not_every_plan_of_an_issuer() -> None:
    from pipeline.compare.corpus import compare_corpus
    from pipeline.model import DocResult

    def plan(title: str, year: int, doc_id: str) -> DocResult:
        doc = _plan(f"{title}\n一、总体要求\n（一）加强组织领导。建立工作专班，每季度调度一次。\n", doc_id)
        doc.title, doc.issuer, doc.year = title, "金华市教育局", year
        return DocResult(doc_id, doc_id, "ok", document=doc)

    found = compare_corpus([
        plan("金华市学前教育发展提升行动方案（2021—2023年）", 2021, "preschool_2021"),
        plan("金华市职业教育产教融合行动方案", 2022, "vocational_2022"),
        plan("金华市学前教育发展提升行动方案（2024—2026年）", 2024, "preschool_2024"),
    ])
    runs = {tuple(r["doc_id"] for r in found.rows if r["series"] == k) for k in {r["series"] for r in found.rows}}
    assert runs == {("preschool_2021", "preschool_2024"), ("vocational_2022",)}


def test_cli_compare_warns_about_plans_of_different_issuers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "o"
    args = ["compare", str(SAMPLES / "wuhu_edu_2024.txt"), str(SAMPLES / "changzhou_edu_2024.txt"), "-o", str(out)]
    assert main([*args, "--quiet"]) == 0
    assert "come from different issuers" in capsys.readouterr().err
    rows = pd.read_csv(out / "alignment.csv", encoding="utf-8-sig")
    assert set(rows["status"]) == {"new", "dropped"}
    assert main([*args, "--quiet", "--cross-issuer", "align"]) == 0
    assert "aligned anyway" in capsys.readouterr().err


def test_series_trajectory_follows_a_target_that_moved_to_another_item() -> None:
    third = MOVED_NEW.replace("2024年工作要点", "2025年工作要点").replace("智慧校园示范校25所左右", "智慧校园示范校30所")
    plans = [_plan(MOVED_OLD, "m2023"), _plan(MOVED_NEW, "m2024"), _plan(third, "m2025")]
    series: dict[int, list[tuple[str, str, float]]] = {}
    for p in compare(plans).trajectories:
        series.setdefault(p.target_id, []).append((p.doc_id, p.item_id, p.value))
    assert [("m2023", "1.2", 20.0), ("m2024", "2.1", 25.0), ("m2025", "2.1", 30.0)] in series.values()


def test_cli_compare_reads_the_tables_of_an_earlier_extract(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    for path in (SEED, SAMPLES / "changzhou_edu_2024.txt", DEV / "01_changzhou_edu_2019.txt",
                 SAMPLES / "wuhu_edu_2024.txt", DEV / "12_wuhu_edu_2025.txt"):
        _write(plans, path.name, path.read_text(encoding="utf-8"))
    assert main(["extract", str(plans), "-o", str(tmp_path / "ex"), "--quiet", "--jobs", "1"]) == 0
    assert main(["compare", str(tmp_path / "ex"), "-o", str(tmp_path / "from_tables"), "--quiet"]) == 0
    assert main(["compare", str(plans), "-o", str(tmp_path / "from_plans"), "--quiet"]) == 0
    for name in ("alignment", "target_changes", "trajectories", "series"):
        assert (tmp_path / "from_tables" / f"{name}.csv").read_bytes() == (tmp_path / "from_plans" / f"{name}.csv").read_bytes()
    series = pd.read_csv(tmp_path / "from_tables" / "series.csv", encoding="utf-8-sig")
    assert series["series"].nunique() == 2 and len(series) == 5
