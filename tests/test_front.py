"""The researcher's front: XLSX/JSON/Parquet, Chinese headers, and the per-plan HTML report."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from pipeline.cli import main
from pipeline.export import read_tables
from pipeline.report.extraction import render_extraction

from .conftest import CORPUS, TABLES, read_table


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("front")
    assert main(["extract", str(CORPUS), "-o", str(folder), "--quiet", "--format", "csv,xlsx,json,parquet"]) == 0
    return folder


@pytest.mark.parametrize("name", TABLES)
def test_front_xlsx_sheet_holds_exactly_the_csv_rows(out: Path, name: str) -> None:
    sheet = pd.read_excel(out / "planscope.xlsx", sheet_name=name, keep_default_na=False)
    csv = read_table(out, name)
    assert list(sheet.columns) == list(csv.columns)
    assert len(sheet) == len(csv) and len(csv) > 0
    pd.testing.assert_frame_equal(read_tables(out, format="xlsx")[name], read_tables(out)[name])


def test_front_xlsx_layout(out: Path) -> None:
    wb = load_workbook(out / "planscope.xlsx")
    assert wb.sheetnames == TABLES
    ws = wb["items"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
    assert all(cell.font.bold for cell in ws[1])
    heading_col = [c.column_letter for c in ws[1] if c.value == "heading"][0]
    assert 20 <= ws.column_dimensions[heading_col].width <= 60


@pytest.mark.parametrize("name", TABLES)
def test_front_json_and_parquet_match_csv(out: Path, name: str) -> None:
    csv = read_table(out, name)
    js = pd.read_json(out / f"{name}.json", orient="records", dtype=False)
    pq = pd.read_parquet(out / f"{name}.parquet")
    assert len(js) == len(pq) == len(csv)
    assert list(pq.columns) == list(csv.columns)
    if name == "quantities":
        assert pq["value"].dtype.kind == "f" and pq["value"].sum() == pytest.approx(csv["value"].astype(float).sum())


def test_front_chinese_headers(tmp_path: Path) -> None:
    assert main(["extract", str(CORPUS / "samples" / "wuhu_edu_2024.txt"), "-o", str(tmp_path), "--quiet",
                 "--headers", "zh", "--format", "csv,xlsx"]) == 0
    items = pd.read_csv(tmp_path / "items.csv", encoding="utf-8-sig")
    assert list(items.columns[:6]) == ["文件", "条目编号", "上级条目", "层级", "序号", "标题"]
    assert "牵头单位" in items.columns and items["牵头单位"].iloc[1] == "组干科;机关党委"
    wb = load_workbook(tmp_path / "planscope.xlsx")
    assert [c.value for c in wb["departments"][1]][:4] == ["文件", "条目编号", "部门", "角色"]


def test_front_report_highlights_and_escapes(corpus_docs, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    seed = corpus_docs[0]
    page = render_extraction(seed)
    assert page.count('<section id="item-') == 39
    assert 'href="#item-2.1"' in page  # outline links to the item
    assert '3.3万个<sub>数量</sub></mark>' in page
    assert '体育、卫生与艺术教育处<sub>牵头</sub></mark>' in page
    from pipeline.extract import extract
    from pipeline.structure import parse

    # the readers already strip tags from text; a Document built directly must still render safely
    plan = "2023年工作要点\n一、<script>alert(1)</script>新建学校3所<img src=x onerror=alert(2)>\n"
    evil = extract(parse(plan))
    assert "<script>" in evil.text
    html = render_extraction(evil)
    assert "<script>alert(1)" not in html and "<img" not in html  # ... the page shows it as text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_front_report_cli_writes_one_page_per_plan(tmp_path: Path) -> None:
    assert main(["report", str(CORPUS / "samples"), "-o", str(tmp_path), "--quiet"]) == 0
    pages = sorted(p.name for p in tmp_path.glob("*.html") if p.name != "index.html")
    assert len(pages) == 6 and "wuhu_edu_2024.html" in pages
    assert "芜湖市教育局2024年工作要点" in (tmp_path / "wuhu_edu_2024.html").read_text(encoding="utf-8")


def test_front_comparison_report_has_charts(tmp_path: Path) -> None:
    from .conftest import DATA

    plans = [CORPUS / "changzhou_edu_2022.txt", DATA / "compare" / "changzhou_edu_2023_draft.txt",
             DATA / "compare" / "changzhou_edu_2024_variant.txt"]
    assert main(["compare", *map(str, plans), "-o", str(tmp_path)]) == 0
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    # one section-changes chart per pair of plans, one trajectory chart for the three plans
    assert page.count("<svg") == 3
    assert page.index("<h3>各章节条目变化</h3>") < page.index("<h3>目标变化</h3>")
    assert "目标走势（数值有变化的目标）" in page and "http://" not in page.split("<svg", 1)[0]


def test_front_compare_formats_and_chinese_headers(tmp_path: Path) -> None:
    from .conftest import DATA

    plans = [CORPUS / "changzhou_edu_2022.txt", DATA / "compare" / "changzhou_edu_2023_draft.txt"]
    assert main(["compare", *map(str, plans), "-o", str(tmp_path), "--quiet", "--format", "csv,xlsx",
                 "--headers", "zh"]) == 0
    changes = pd.read_csv(tmp_path / "target_changes.csv", encoding="utf-8-sig")
    assert list(changes.columns[:4]) == ["旧文件", "新文件", "旧条目编号", "新条目编号"]
    wb = load_workbook(tmp_path / "comparison.xlsx")
    assert wb.sheetnames == ["alignment", "target_changes"]
    assert wb["target_changes"].max_row == len(changes) + 1 == 10


def test_front_charts_keep_chinese_text_without_a_cjk_font(monkeypatch: pytest.MonkeyPatch) -> None:
    import re
    import warnings

    from pipeline.batch import read_plans
    from pipeline.compare import compare
    from pipeline.report import charts

    from .conftest import DATA

    # matplotlib knows no CJK font here (as on a fresh machine): the labels must stay text for the browser
    monkeypatch.setattr(charts, "_FONTS", ["DejaVu Sans"])
    docs = read_plans([CORPUS / "changzhou_edu_2022.txt", DATA / "compare" / "changzhou_edu_2023_draft.txt",
                       DATA / "compare" / "changzhou_edu_2024_variant.txt"])
    cmp = compare(docs)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sections = charts.section_changes_chart(cmp.pairs[0], docs[0], docs[1])
        tracks = charts.trajectory_chart(cmp)
    for svg in (sections, tracks):
        texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
        assert any(re.search(r"[\u4e00-\u9fff]", t) for t in texts)
    assert "条目数" in sections and "新增" in sections


def test_front_chart_axes_start_at_zero(monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.batch import read_plans
    from pipeline.compare import compare
    from pipeline.report import charts

    from .conftest import DATA

    docs = read_plans([CORPUS / "changzhou_edu_2022.txt", DATA / "compare" / "changzhou_edu_2023_draft.txt",
                       DATA / "compare" / "changzhou_edu_2024_variant.txt"])
    cmp = compare(docs)
    seen = []
    real = charts._svg

    def keep(fig):  # type: ignore[no-untyped-def]
        seen.extend(ax for ax in fig.axes if ax.axison)
        return real(fig)

    monkeypatch.setattr(charts, "_svg", keep)
    charts.section_changes_chart(cmp.pairs[0], docs[0], docs[1])
    charts.trajectory_chart(cmp)
    assert seen[0].get_xlim()[0] == 0
    assert len(seen) > 1 and all(ax.get_ylim()[0] == 0 for ax in seen[1:])


@pytest.fixture(scope="module")
def corpus_tables() -> dict[str, pd.DataFrame]:
    from pipeline.api import extract

    return extract(CORPUS)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json", "parquet"])
def test_front_every_format_reads_back_as_extract(out: Path, corpus_tables: dict[str, pd.DataFrame], fmt: str) -> None:
    back = read_tables(out, format=fmt)
    assert (corpus_tables["quantities"]["item_id"] == "").any()  # targets stated outside any item come too
    for name, df in corpus_tables.items():
        if name == "documents":
            df, back[name] = df.drop(columns="source"), back[name].drop(columns="source")
        pd.testing.assert_frame_equal(back[name], df, obj=f"{fmt}:{name}")
