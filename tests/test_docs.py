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
