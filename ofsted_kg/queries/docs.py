"""Generate ``docs/queries.md`` from the named queries' headers.

Run ``python -m ofsted_kg.queries.docs [OUTPUT]`` (default ``docs/queries.md``); a test
fails when the committed file differs from what this prints, so edit the ``.rq`` headers
(and the hand-written guide at the end, :mod:`ofsted_kg.queries.guide`), never the Markdown.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from . import NamedQuery, list_queries
from .guide import ANCHOR, GUIDE

__all__ = ["render", "main"]

_INTRO = """\
# Named SPARQL queries

Generated from the headers of `ofsted_kg/queries/*.rq` by
`python -m ofsted_kg.queries.docs`; do not edit by hand (a test fails when this file is
stale).

Run one with `ofsted-kg query NAME --param KEY=VALUE ...` (formats: table, csv, tsv, json),
list them with `ofsted-kg queries`, or from Python:
`ofsted_kg.query(store, "open-concerns", authority="Sefton")`.

Parameter kinds: `authority` (a name, GSS code or Ofsted URN, resolved to the authority's
IRI), `theme` (a theme id or label, resolved to its concept; narrower themes count),
`string`, `integer`, `date` (YYYY-MM-DD), `iri`.  Values are bound as RDF terms, never
pasted into the query text.

The queries read the per-document graphs and the per-authority links graphs
(`okg:followsUp`, `okg:repeats`/`okg:ConcernLink`, `okg:speaksTo`, `okg:StatusAssessment`);
the default graph is the union of the store's graphs.

Writing your own: [Writing queries that Oxigraph plans well](#{anchor}) (at the end) shows
the common joins written so that they run in under a second on the national store, and
what made the same joins run for minutes.
"""


def _columns(q: NamedQuery) -> list[str]:
    body = re.sub(r"^#.*$", "", q.text, flags=re.M)
    m = re.search(r"\bSELECT\s+(?:DISTINCT\s+|REDUCED\s+)?(.*?)\bWHERE\b", body, re.S | re.I)
    if not m:
        return []
    proj = re.sub(r"\((?:[^()]|\([^()]*\))*\bAS\s+(\?\w+)\s*\)", r"\1", m.group(1), flags=re.S)
    return [v[1:] for v in re.findall(r"\?\w+", proj)]


def render(queries: list[NamedQuery] | None = None) -> str:
    """The Markdown text of ``docs/queries.md``."""
    qs = queries if queries is not None else list_queries()
    out = [_INTRO.format(anchor=ANCHOR), "| query | what it answers |", "|---|---|"]
    for q in qs:
        out.append(f"| [`{q.name}`](#{q.name}) | {q.title} |")
    for q in qs:
        out += ["", f"## {q.name}", "", f"**{q.title}.** {q.description}", ""]
        if q.parameters:
            out += ["| parameter | kind | required | description |", "|---|---|---|---|"]
            for p in q.parameters:
                out.append(f"| `{p.name}` | {p.kind} | {'yes' if p.required else 'no'} | "
                           f"{p.description} |")
        else:
            out.append("No parameters.")
        cols = _columns(q)
        if cols:
            out += ["", "Columns: " + ", ".join(f"`{c}`" for c in cols) + "."]
        if q.example:
            out += ["", "```sh", q.example, "```"]
        out += ["", "<details><summary>SPARQL</summary>", "", "```sparql",
                q.text.rstrip("\n"), "```", "", "</details>"]
    out += ["", GUIDE.rstrip("\n")]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write the Markdown (to ``argv[0]``, default ``docs/queries.md``)."""
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0] if args else "docs/queries.md")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render(), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
