"""Exports: interactive HTML views, RDF dumps, GraphML, and query results as CSV/TSV/JSON.

:func:`export` is the one entry point the ``ofsted-kg export`` command wraps::

    from ofsted_kg import open_store
    from ofsted_kg.exports import export

    with open_store(read_only=True) as store:
        export(store, "html", "sefton.html", view="timeline", authority="Sefton")
        export(store, "ttl", "graph.ttl")

Query results (``ofsted-kg query --format``) are written by :mod:`ofsted_kg.exports.tabular`.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from .model import ExportError, Selection, select_documents

if TYPE_CHECKING:
    from ..store import Store

__all__ = ["export", "ExportSummary", "ExportError", "FORMATS", "VIEWS", "select_documents",
           "Selection"]

#: every format :func:`export` writes
FORMATS = ("html", "ttl", "jsonld", "nt", "nq", "trig", "graphml")
#: the HTML views
VIEWS = ("timeline", "trace", "national")


@dataclass(slots=True)
class ExportSummary:
    """What an export wrote."""

    format: str
    output: str
    documents: int  # documents covered
    statements: int = 0  # RDF: triples or quads written
    nodes: int = 0  # html/graphml: nodes drawn
    edges: int = 0  # html/graphml: edges drawn
    view: str | None = None
    omitted: dict[str, int] = field(default_factory=dict)  # html: what the cap left out
    bytes: int = 0
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def describe(self) -> str:
        """One line for people."""
        what = (f"{self.statements} statements" if self.statements or self.format not in (
            "html", "graphml") else f"{self.nodes} concern{'' if self.nodes == 1 else 's'}, {self.edges} cells"
            if self.view == "trace" else f"{self.nodes} nodes, {self.edges} edges")
        view = f" ({self.view} view)" if self.view else ""
        left = ""
        if self.omitted:
            left = "; left out " + ", ".join(f"{v} {k}" for k, v in sorted(self.omitted.items()))
        docs = f"{self.documents} document{'' if self.documents == 1 else 's'}"
        return (f"wrote {self.output}{view}: {self.format}, {docs}, "
                f"{what}{left}, {self.bytes} bytes in {self.seconds:.2f} s")


def export(store: "Store", fmt: str, output: str | os.PathLike[str] | IO[bytes], *,
           view: str = "timeline", authority: str | None = None, theme: str | None = None,
           since: int | None = None, max_nodes: int = 1500) -> ExportSummary:
    """Export the graph (or the part the filter selects) to ``output``.

    ``fmt``: ``html`` (an interactive, self-contained page; ``view`` is ``timeline``,
    ``trace`` or ``national``), ``ttl``, ``nt``, ``nq``, ``trig`` (one named graph per
    document), ``jsonld`` (with the published ``@context``) or ``graphml`` (the concern and
    recurrence graph, for Gephi).  ``output`` is a file path, ``"-"`` for standard output,
    or a binary stream.

    ``authority`` (name, GSS code or URN), ``theme`` (id or label) and ``since`` (a year)
    select documents in every format; in the HTML views and GraphML a theme also keeps only
    the concerns and findings of that theme.  ``max_nodes`` caps an HTML view (what is left
    out is said in the page and in the summary).

    Raises:
        ExportError: unknown format or view, the trace view without a theme, or nothing
            selected for a view.
        QueryError: no authority or theme matches the filter.
        StoreError: the store cannot be read.
        OSError: ``output`` cannot be written.
    """
    t0 = time.perf_counter()
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")
    if fmt == "html" and view not in VIEWS:
        raise ExportError(f"unknown view {view!r} (one of {', '.join(VIEWS)})")
    if fmt == "html" and view == "trace" and not theme:
        raise ExportError("the trace view follows one theme: give --theme ID")
    selection = select_documents(store, authority=authority, theme=theme, since=since)
    name = _output_name(output)
    summary = ExportSummary(format=fmt, output=name, documents=len(selection.documents),
                            view=view if fmt == "html" else None)
    if fmt == "html":
        from .html import render_view

        page = render_view(store, selection, view=view, max_nodes=max_nodes)
        data = page.html.encode("utf-8")
        summary.nodes, summary.edges, summary.omitted = page.nodes, page.edges, page.omitted
    elif fmt == "graphml":
        from .concern_graph import load_concern_graph
        from .graphml import concern_digraph, graphml_bytes

        g = concern_digraph(load_concern_graph(store, selection, findings="none"))
        data = graphml_bytes(g)
        summary.nodes, summary.edges = g.number_of_nodes(), g.number_of_edges()
    else:
        from .rdf import write_rdf

        def stream(out: IO[bytes]) -> None:
            summary.statements = write_rdf(store, selection, fmt, out)

        summary.bytes = _write(output, stream)
        summary.seconds = time.perf_counter() - t0
        return summary
    summary.bytes = _write(output, lambda out: out.write(data))
    summary.seconds = time.perf_counter() - t0
    return summary


def _output_name(output: Any) -> str:
    if isinstance(output, (str, os.PathLike)):
        return "<stdout>" if str(output) == "-" else str(output)
    return str(getattr(output, "name", "<stream>"))


class _Sink:
    """A binary writer that counts the bytes written through it."""

    def __init__(self, fh: IO[bytes]) -> None:
        self.fh = fh
        self.n = 0

    def write(self, data: bytes) -> int:
        self.n += len(data)
        self.fh.write(data)
        return len(data)

    def flush(self) -> None:
        self.fh.flush()


def _write(output: Any, produce: Callable[[Any], object]) -> int:
    """Run ``produce(sink)`` into ``output`` (path: written atomically); returns bytes."""
    if isinstance(output, (str, os.PathLike)):
        if str(output) == "-":
            sink = _Sink(sys.stdout.buffer)
            produce(sink)
            sink.flush()
            return sink.n
        path = Path(output)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            with open(tmp, "wb") as fh:
                sink = _Sink(fh)
                produce(sink)
            os.replace(tmp, path)
        finally:
            if tmp.exists():
                tmp.unlink()
        return sink.n
    sink = _Sink(output)
    produce(sink)
    return sink.n
