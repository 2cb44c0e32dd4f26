"""Every new format in one batch: the good files are read, each damaged one gets an error row naming it."""
from __future__ import annotations

from pathlib import Path

import importlib.util

import pytest

from pipeline.batch import run

from . import builder


def test_batch_reads_new_formats_and_reports_damaged_ones(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.ingest import doc as doc_reader

    monkeypatch.setattr(doc_reader, "_libreoffice", lambda: None)
    folder = tmp_path / "plans"
    folder.mkdir()
    good = {
        "plan.doc": builder("build_doc").build_seed(folder / "plan.doc"),
        "plan.ofd": builder("build_ofd").build(folder / "plan.ofd"),
        "tasks.xlsx": builder("build_sheet").build("xlsx", folder / "tasks.xlsx"),
    }
    if importlib.util.find_spec("xlwt"):  # the dev extra's .xls writer
        good["tasks.xls"] = builder("build_sheet").build("xls", folder / "tasks.xls")
    for name, path in list(good.items()):
        data = path.read_bytes()
        (folder / f"cut_{name}").write_bytes(data[: len(data) // 3])
    results = {Path(r.source).name: r for r in run([folder], timeout=None)}
    assert set(results) == {*good, *(f"cut_{n}" for n in good)}
    for name in good:
        ok, bad = results[name], results[f"cut_{name}"]
        assert ok.status == "ok" and ok.document is not None and len(ok.document.items) in (1 + 7, 39), name  # 一、 + 7 rows
        assert bad.status == "error" and f"cut_{name}" in bad.error and "damaged" in bad.error, bad.error
