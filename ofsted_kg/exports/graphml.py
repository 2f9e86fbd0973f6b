"""The concern and recurrence graph as GraphML (networkx), for Gephi and friends.

Nodes (attribute ``kind``): ``authority``, ``document``, ``concern``, ``theme``.
Edges (attribute ``kind``): ``raisedIn`` (concern -> document), ``theme`` (concern -> theme),
``repeats`` (later concern -> earlier concern), ``followsUp`` (later document -> the
document of the visit it follows up), ``authority`` (document -> authority) and ``status``
(earlier concern -> the later document that assessed it, with the ``status``).
Every attribute is a string or a number (GraphML has no null); node ids are the IRIs.
"""

from __future__ import annotations

import io

import networkx as nx

from .model import KIND_LABELS, ConcernGraph

__all__ = ["concern_digraph", "graphml_bytes"]


def concern_digraph(cg: ConcernGraph) -> nx.MultiDiGraph:
    """A :class:`networkx.MultiDiGraph` of the concern and recurrence graph."""
    g = nx.MultiDiGraph(name="ofsted-kg concern and recurrence graph")
    for d in cg.documents:
        if d.authority and d.authority not in g:
            g.add_node(d.authority, kind="authority", label=d.authority_name or d.authority)
        g.add_node(d.iri, kind="document", label=f"{d.authority_name} {d.label}".strip(),
                   documentType=d.document_type, date=d.date, year=d.year or 0,
                   authority=d.authority_name, file=d.file)
        if d.authority:
            g.add_edge(d.iri, d.authority, key="authority", kind="authority")
    used = {t for it in cg.items if not it.is_finding for t in it.themes}
    for t, label in cg.theme_labels.items():
        if t in used:
            g.add_node(f"theme:{t}", kind="theme", label=label, theme=t,
                       facet=cg.theme_facets.get(t, ""))
    docs = {d.iri: d for d in cg.documents}
    for it in cg.items:
        if it.is_finding:
            continue
        d = docs.get(it.report)
        g.add_node(it.iri, kind="concern", label=it.text[:80], text=it.text,
                   concernKind=KIND_LABELS.get(it.kind, it.kind), page=it.page or 0,
                   date=d.date if d else "", year=(d.year or 0) if d else 0,
                   authority=d.authority_name if d else "", themes=" ".join(it.themes))
        g.add_edge(it.iri, it.report, key="raisedIn", kind="raisedIn")
        for t in it.themes:
            g.add_edge(it.iri, f"theme:{t}", key=f"theme:{t}", kind="theme")
    for a, b in cg.repeats:
        if a in g and b in g:
            g.add_edge(a, b, key="repeats", kind="repeats")
    for a, b in cg.follows_up:
        g.add_edge(a, b, key="followsUp", kind="followsUp")
    for s in cg.statuses:
        if s.concern in g and s.report in g:
            g.add_edge(s.concern, s.report, key=f"status:{s.status}", kind="status",
                       status=s.status, cue=s.cue)
    return g


def graphml_bytes(g: nx.MultiDiGraph) -> bytes:
    """``g`` as GraphML (UTF-8)."""
    buf = io.BytesIO()
    nx.write_graphml(g, buf, encoding="utf-8", prettyprint=True)
    return buf.getvalue()
