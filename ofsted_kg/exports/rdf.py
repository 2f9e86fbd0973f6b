"""RDF dumps of the store: Turtle, N-Triples, N-Quads, TriG and JSON-LD.

Quad formats (N-Quads, TriG) keep the named graphs: one per document, one per authority's
cross-visit links, the vocabulary.  Triple formats (Turtle, N-Triples, JSON-LD) give the
union, each triple once.  The manifest graph (local file paths) is never exported.

Turtle, TriG, N-Triples and N-Quads are written by pyoxigraph (fast); JSON-LD by rdflib,
compacted with the published ``@context`` (``ofsted_kg/ontology/context.jsonld``), which is
embedded in the file so that reading it needs no network.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from importlib import resources
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from ..ontology.namespaces import GRAPH, ID, PREFIXES
from .model import Selection

if TYPE_CHECKING:
    from ..store import Store

__all__ = ["RDF_FORMATS", "selected_quads", "serialize_rdf", "jsonld_context", "CONTEXT_IRI"]

#: export format -> (pyoxigraph format, keeps named graphs)
RDF_FORMATS: dict[str, tuple[ox.RdfFormat, bool]] = {
    "ttl": (ox.RdfFormat.TURTLE, False),
    "nt": (ox.RdfFormat.N_TRIPLES, False),
    "nq": (ox.RdfFormat.N_QUADS, True),
    "trig": (ox.RdfFormat.TRIG, True),
    "jsonld": (ox.RdfFormat.JSON_LD, False),
}

#: where the @context is published (the file itself ships in the package)
CONTEXT_IRI = "https://w3id.org/ofsted-kg/context.jsonld"

_MANIFEST = str(GRAPH["manifest"])
_REPORT_GRAPH = str(GRAPH["report/"])
_ID = str(ID)


def jsonld_context() -> dict[str, Any]:
    """The published JSON-LD ``@context`` (the object under its ``@context`` key)."""
    data = resources.files("ofsted_kg.ontology").joinpath("context.jsonld").read_text("utf-8")
    return dict(json.loads(data)["@context"])


def _mentions_excluded(term: Any, excluded_shas: set[str], excluded_nodes: set[str]) -> bool:
    if not isinstance(term, ox.NamedNode):
        return False
    v = term.value
    if v in excluded_nodes:
        return True
    if v.startswith(_ID):
        parts = v[len(_ID):].split("/")
        return len(parts) > 1 and parts[1] in excluded_shas
    return False


def selected_quads(store: "Store", selection: Selection | None) -> Iterator[ox.Quad]:
    """The quads an RDF export of ``selection`` holds (``None``: the whole store).

    The manifest graph is always left out.  With a filter: the graphs of the selected
    documents, the vocabulary, and the cross-visit links that do not touch a document
    left out (a link node with any triple pointing to one is dropped whole).

    Raises:
        StoreError: the store cannot be read.
    """
    if selection is None or not selection.filtered:
        for q in store.quads():
            g = q.graph_name
            if isinstance(g, ox.NamedNode) and g.value == _MANIFEST:
                continue
            yield q
        return
    keep = {d.sha256 for d in selection.documents}
    all_rows = store.select("SELECT DISTINCT ?rep ?sha ?v WHERE { ?rep a okg:Report ; okg:sha256 ?sha "
                            "OPTIONAL { ?rep okg:describes ?v } }")
    excluded_shas = {str(r["sha"]) for r in all_rows} - keep
    kept_visits = {str(r["v"]) for r in all_rows if r.get("v") and str(r["sha"]) in keep}
    excluded_nodes = {f"{_ID}report/{s}" for s in excluded_shas}
    excluded_nodes |= {str(r["v"]) for r in all_rows
                       if r.get("v") and str(r["sha"]) in excluded_shas} - kept_visits
    kept_report_graphs = {_REPORT_GRAPH + s for s in keep}
    link_quads: dict[str, list[ox.Quad]] = {}
    dropped_subjects: set[str] = set()
    for q in store.quads():
        g = q.graph_name
        if not isinstance(g, ox.NamedNode) or g.value == _MANIFEST:
            continue
        gv = g.value
        if gv.startswith(_REPORT_GRAPH):
            if gv in kept_report_graphs:
                yield q
            continue
        if gv.startswith(str(GRAPH["links/"])):
            if selection.authority and not _links_graph_of(gv, selection):
                continue
            if (_mentions_excluded(q.subject, excluded_shas, excluded_nodes)
                    or _mentions_excluded(q.object, excluded_shas, excluded_nodes)):
                if isinstance(q.subject, ox.NamedNode):
                    dropped_subjects.add(q.subject.value)
                continue
            key = q.subject.value if isinstance(q.subject, ox.NamedNode) else ""
            link_quads.setdefault(key, []).append(q)
            continue
        yield q  # vocabulary and any other shared graph
    for subject, qs in link_quads.items():
        if subject in dropped_subjects:
            continue
        for q in qs:
            if isinstance(q.object, ox.NamedNode) and q.object.value in dropped_subjects:
                continue
            yield q


def _links_graph_of(graph: str, selection: Selection) -> bool:
    """Whether links graph ``graph`` belongs to the selected authority."""
    auth = selection.authority or ""
    key = graph.rsplit("/", 1)[-1]
    return bool(key) and auth.endswith("/" + key)


def _triples(quads: Iterable[ox.Quad]) -> list[ox.Triple]:
    seen: set[ox.Triple] = set()
    out: list[ox.Triple] = []
    for q in quads:
        t = ox.Triple(q.subject, q.predicate, q.object)
        if t not in seen:
            seen.add(t)
            out.append(t)
    return out


def serialize_rdf(quads: Iterable[ox.Quad], fmt: str) -> tuple[bytes, int]:
    """``quads`` serialised as ``fmt`` (ttl, nt, nq, trig, jsonld); returns (data, count).

    ``count`` is the number of statements written (quads for nq/trig, distinct triples
    otherwise).

    Raises:
        ValueError: an unknown format.
    """
    if fmt not in RDF_FORMATS:
        raise ValueError(f"unknown RDF format {fmt!r}")
    oxfmt, named = RDF_FORMATS[fmt]
    if named:
        qs = sorted(set(quads), key=lambda q: (str(q.graph_name), str(q.subject),
                                               str(q.predicate), str(q.object)))
        data = ox.serialize(qs, format=oxfmt, prefixes=PREFIXES if fmt == "trig" else None)
        return data or b"", len(qs)
    triples = _triples(quads)
    if fmt == "jsonld":
        return _jsonld(triples), len(triples)
    triples.sort(key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    data = ox.serialize(triples, format=oxfmt, prefixes=PREFIXES if fmt == "ttl" else None)
    return data or b"", len(triples)


def _jsonld(triples: list[ox.Triple]) -> bytes:
    import rdflib

    nt = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    g = rdflib.Graph()
    g.parse(data=nt.decode("utf-8"), format="nt")
    ctx = jsonld_context()
    text = g.serialize(format="json-ld", context=ctx, auto_compact=True, indent=1,
                       ensure_ascii=False)
    return text.encode("utf-8")
