"""Docs are tested: the README's set-up lines and every CLI command are documented."""
from __future__ import annotations

import pytest

from pipeline.cli import build_parser

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_docs_readme_starts_with_two_setup_commands() -> None:
    block = README.split("```bash\n", 1)[1].split("```", 1)[0].strip().splitlines()
    assert block == ['python -m pip install -e ".[dev]" && planscope extract corpus -o outputs', "python -m pytest"]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.strip().splitlines()[-1] == block[1]


def _commands() -> dict[str, str]:
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    return {name: (action.description or action.format_help()) for name, action in sub.choices.items()}  # type: ignore[attr-defined]


@pytest.mark.parametrize("command", sorted(_commands()))
def test_docs_every_command_in_readme_with_help(command: str) -> None:
    assert f"planscope {command}" in README
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    helps = {c.dest: c.help for c in sub._choices_actions}  # type: ignore[attr-defined]
    assert helps.get(command)


def _python_block(marker: str) -> str:
    start = README.index(marker)
    return README[README.rindex("```python\n", 0, start) + len("```python\n") : README.index("```", start)]


def test_docs_readme_three_questions_run(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import shutil

    from pipeline.api import read_tables
    from pipeline.cli import main

    from .test_export import KEYS_PLAN

    plans = tmp_path / "plans"
    shutil.copytree(ROOT / "corpus", plans, ignore=shutil.ignore_patterns("gold", "*.md"))
    (plans / "district_2023.txt").write_text(KEYS_PLAN, encoding="utf-8")  # it schedules in the third quarter
    assert main(["extract", str(plans), "-o", str(tmp_path / "outputs"), "--quiet"]) == 0
    code = _python_block('t = read_tables("outputs")').replace('"outputs"', repr(str(tmp_path / "outputs")))
    ns: dict[str, object] = {"read_tables": read_tables}
    exec(code, ns)
    schools, led, q3, t = ns["schools"], ns["led"], ns["q3"], ns["t"]
    assert set(schools["text"]) >= {"101所", "15所"} and set(schools["year"]) == {2022}  # type: ignore[index]
    assert "中共常州市委教育工委;常州市教育局" in set(schools["issuer"])  # type: ignore[index]
    assert len(led) >= 5 and set(led["role"]) == {"lead"} and led["heading"].str.len().min() > 0  # type: ignore[index]
    assert set(led["canonical"]) == {"基础教育处"}  # type: ignore[index]
    assert ["district_2023", "1.10", "第三季度前"] in q3[["doc_id", "item_id", "text"]].values.tolist()  # type: ignore[index]
    assert set(q3["date"].dt.month) <= {7, 8, 9} and set(q3["doc_id"]) < set(t["documents"]["doc_id"])  # type: ignore[index]
