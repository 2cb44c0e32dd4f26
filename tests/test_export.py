"""Exported tables are safe to open in a spreadsheet and keep their numbers numeric."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pipeline.cli import main
from pipeline.export import neutralise, safe_frame


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\",\"点击\")", "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd",
                                  "＝1+1"])
def test_export_formula_cells_neutralised(cell: str) -> None:
    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["加强党建", "（一）加强", "3.3万个", 42, 4.5, None])
def test_export_plain_cells_untouched(cell: object) -> None:
    assert neutralise(cell) == cell


def test_export_safe_frame_keeps_numeric_columns() -> None:
    df = pd.DataFrame({"heading": ["=1+1", "正常"], "value": [-3.0, 5.0], "start": [-1, 2]})
    out = safe_frame(df)
    assert list(out["heading"]) == ["'=1+1", "正常"]
    assert out["value"].dtype.kind == "f" and list(out["value"]) == [-3.0, 5.0]
    assert out["start"].dtype.kind == "i"


def test_export_injected_plan_written_safely(tmp_path: Path) -> None:
    plan = tmp_path / "evil.txt"
    plan.write_text("2023年工作要点\n一、=cmd|' /C calc'!A0\n（一）@SUM(1+1)*cmd。新建学校3所。\n", encoding="utf-8")
    assert main(["extract", str(plan), "-o", str(tmp_path / "out"), "--quiet"]) == 0
    items = pd.read_csv(tmp_path / "out" / "items.csv", encoding="utf-8-sig", keep_default_na=False)
    assert all(not str(v).startswith(("=", "+", "-", "@")) for v in items["heading"])
    assert list(items["heading"]) == ["'=cmd|' /C calc'!A0", "'@SUM（1+1）*cmd"]
    q = pd.read_csv(tmp_path / "out" / "quantities.csv", encoding="utf-8-sig")
    assert q["value"].dtype.kind == "f" and q["value"].tolist() == [3.0]
