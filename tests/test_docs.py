"""Docs cannot drift: generated pages match the code, and the README's commands exist."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("gen_docs", ROOT / "scripts" / "gen_docs.py")
assert _spec and _spec.loader
gen_docs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gen_docs)


@pytest.mark.parametrize("name,render", [("cli.md", gen_docs.render_cli),
                                         ("extraction.md", gen_docs.render_extraction)])
def test_generated_page_is_current(name: str, render) -> None:
    committed = (ROOT / "docs" / name).read_text("utf-8")
    assert committed == render(), f"docs/{name} is stale: run python scripts/gen_docs.py"


def test_cli_reference_covers_every_command() -> None:
    text = (ROOT / "docs" / "cli.md").read_text("utf-8")
    from ofsted_kg.cli import main

    for name in main.commands:
        assert f"## `ofsted-kg {name}`" in text


def test_readme_starts_with_the_two_commands_and_ci_runs_the_second() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    block = re.search(r"```bash\n(.*?)```", readme, re.S)
    assert block, "README has no bash block"
    cmds = [ln.split("#")[0].strip() for ln in block.group(1).splitlines() if ln.strip()]
    assert cmds == ["bash scripts/demo.sh", "bash scripts/test.sh"]
    assert readme.index("```bash") < readme.index("## ")
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert "scripts/test.sh" in ci


def test_readme_images_exist() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    for img in re.findall(r"\]\((docs/img/[^)]+)\)", readme):
        assert (ROOT / img).is_file(), img
