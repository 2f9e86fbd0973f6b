"""Regenerate every generated page under docs/ (a test fails when one is stale).

    python scripts/gen_docs.py          # write them
    python scripts/gen_docs.py --check  # exit 1 if any is stale

docs/cli.md         from the click commands' --help
docs/extraction.md  from the record contract and the extraction modules' docstrings
docs/ontology.md    from the .ttl files (ofsted_kg.ontology.docs)
docs/queries.md     from the .rq headers (ofsted_kg.queries.docs)
"""

from __future__ import annotations

import inspect
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def render_cli() -> str:
    import click
    from click.testing import CliRunner

    from ofsted_kg.cli import main

    def walk(group: click.Group, prefix: list[str]) -> list[list[str]]:
        out = []
        for name in sorted(group.commands):
            cmd = group.commands[name]
            out.append(prefix + [name])
            if isinstance(cmd, click.Group):
                out.extend(walk(cmd, prefix + [name]))
        return out

    parts = ["# Command reference", "",
             "Generated from each command's `--help` by `python scripts/gen_docs.py`; "
             "do not edit by hand.", "",
             "Exit status: 0 ok; 1 error (a file that failed to build, a query refused, "
             "SHACL non-conformance); 2 usage.", ""]
    runner = CliRunner()
    for words in [[]] + walk(main, []):
        res = runner.invoke(main, [*words, "--help"], prog_name="ofsted-kg",
                            terminal_width=100)
        title = " ".join(["ofsted-kg", *words])
        parts += [f"## `{title}`", "", "```text", res.output.rstrip(), "```", ""]
    return "\n".join(parts)


def render_extraction() -> str:
    from ofsted_kg.graph_builder import audit, core, items, letters, records, themes

    parts = ["# What extraction reads", "",
             "Generated from the extraction modules' docstrings by "
             "`python scripts/gen_docs.py`; do not edit by hand. Accuracy on the real corpus: "
             "[accuracy.md](accuracy.md).", "",
             "`ofsted-kg extract PATH...` prints one record per document; "
             "`ofsted_kg.extract(paths)` returns them as `DocumentRecord` objects.", "",
             "## The record", "", inspect.cleandoc(records.__doc__ or ""), "",
             "## Identity, dates, inspectors and judgements", "", inspect.cleandoc(core.__doc__ or ""), "",
             "## Letters", "", inspect.cleandoc(letters.__doc__ or ""), "",
             "## Concerns and findings", "", inspect.cleandoc(items.__doc__ or ""), "",
             "## The self-audit", "", inspect.cleandoc(audit.__doc__ or ""), "",
             "## Themes", "", inspect.cleandoc(themes.__doc__ or ""), ""]
    return "\n".join(parts)


def pages() -> dict[Path, str]:
    from ofsted_kg.ontology import docs as odocs
    from ofsted_kg.queries import docs as qdocs

    return {
        ROOT / "docs" / "cli.md": render_cli(),
        ROOT / "docs" / "extraction.md": render_extraction(),
        ROOT / "docs" / "ontology.md": odocs.render(),
        ROOT / "docs" / "queries.md": qdocs.render(),
    }


def main(argv: list[str]) -> int:
    stale = []
    for path, text in pages().items():
        old = path.read_text("utf-8") if path.exists() else None
        if old != text:
            stale.append(path)
            if "--check" not in argv:
                path.write_text(text, "utf-8")
    for p in stale:
        print(("stale: " if "--check" in argv else "wrote ") + str(p.relative_to(ROOT)))
    return 1 if stale and "--check" in argv else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
