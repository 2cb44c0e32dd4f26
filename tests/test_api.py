"""The Python API a researcher uses in a notebook: DataFrames in, no CLI needed."""
from __future__ import annotations

import pipeline
from pipeline import compare, extract

from .conftest import CORPUS, DATA


def test_api_names_are_the_functions_even_after_stage_imports() -> None:
    from pipeline.extract.quantities import find_quantities  # noqa: F401  (loads stage modules)
    from pipeline.compare.align import align_items  # noqa: F401

    assert callable(pipeline.extract) and pipeline.extract is extract
    assert pipeline.compare is compare


def test_api_extract_returns_the_tables() -> None:
    tables = extract(CORPUS / "samples" / "zhejiang_health_2023.txt", CORPUS / "samples" / "wuhu_edu_2024.txt")
    assert set(tables) == {"documents", "items", "quantities", "deadlines", "departments", "instruments"}
    assert list(tables["documents"]["doc_id"]) == ["zhejiang_health_2023", "wuhu_edu_2024"]
    q = tables["quantities"]
    life = q[q["subject"] == "人均预期寿命"].iloc[0]
    assert (life["value"], life["unit"]) == (82.4, "岁")


def test_api_compare_returns_alignment_and_changes() -> None:
    tables = compare(CORPUS / "changzhou_edu_2022.txt", DATA / "compare" / "changzhou_edu_2023_draft.txt")
    align = tables["alignment"]
    assert set(align["status"]) == {"unchanged", "modified", "new", "dropped"}
    changes = tables["target_changes"]
    row = changes[changes["subject"] == "新建、改扩建学校"].iloc[0]
    assert (row["old_value"], row["new_value"], row["change"]) == (101.0, 120.0, "increased")


def test_api_stage_subpackages_import_by_dotted_name() -> None:
    import pipeline.extract.patterns
    import pipeline.compare.align

    assert pipeline.extract.patterns.__name__ == "pipeline.extract.patterns"
    assert callable(pipeline.compare.align.align_items)
    from pipeline.api import extract as api_extract

    tables = pipeline.extract(CORPUS / "samples" / "wuhu_edu_2024.txt")
    assert tables["items"].equals(api_extract(CORPUS / "samples" / "wuhu_edu_2024.txt")["items"])


def test_api_document_shows_itself_briefly() -> None:
    from pipeline.batch import process_file

    doc = process_file(CORPUS / "changzhou_edu_2022.txt")
    text = repr(doc)
    assert text.startswith("Document('changzhou_edu_2022', '2022年工作要点'") and "39 items" in text
    assert len(text) < 300 and "\n" not in text
    html = doc._repr_html_()
    assert "<th>quantities</th>" in html and "中共常州市委教育工委" in html and len(html) < 2000
