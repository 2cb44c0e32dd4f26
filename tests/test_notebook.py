"""The worked analysis in notebooks/ runs top to bottom on the bundled corpus."""
from __future__ import annotations

import nbformat
from nbclient import NotebookClient

from .conftest import ROOT


def test_notebook_runs_and_shows_results() -> None:
    nb = nbformat.read(ROOT / "notebooks" / "plan_analysis.ipynb", as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "".join(o.get("data", {}).get("text/plain", "") for o in outputs)
    assert "changzhou_edu_2022" in text and "新建、改扩建学校" in text
    assert sum("image/png" in o.get("data", {}) for o in outputs) == 2  # both charts drawn
