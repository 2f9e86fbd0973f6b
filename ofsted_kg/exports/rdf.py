"""RDF dumps of the store: Turtle, N-Triples, N-Quads, TriG and JSON-LD.

Quad formats (N-Quads, TriG) keep the named graphs: one per document, one per authority's
cross-visit links, the vocabulary.  Triple formats (Turtle, N-Triples, JSON-LD) give the
union, each triple once.  The manifest graph (local file paths) is never exported.

Everything is streamed by pyoxigraph (no rdflib graph in memory); JSON-LD is pyoxigraph's
expanded form compacted, node by node, with the published ``@context``
(``ofsted_kg/ontology/context.jsonld``), which is embedded in the file so that reading it
needs no network.
"""

from __future__ import annotations

import io
import itertools
import json
from collections.abc import Iterable, Iterator
from importlib import resources
from typing import IO, TYPE_CHECKING, Any

import pyoxigraph as ox

from ..ontology.namespaces import GRAPH, ID, PREFIXES
from .model import Selection

if TYPE_CHECKING:
    from ..store import Store

__all__ = ["RDF_FORMATS", "selected_quads", "union_triples", "write_rdf", "serialize_rdf",
           "write_jsonld", "jsonld_context", "CONTEXT_IRI"]

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


# (the default graph holds the documents' items, see ofsted_kg.store.item_sha)
_CONSTRUCT_ALL = (f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {{ ?s ?p ?o }} UNION "
                  f"{{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{_MANIFEST}>) }} }}")


def union_triples(store: "Store", selection: Selection | None) -> Iterator[ox.Triple]:
    """The distinct triples of :func:`selected_quads` (each triple once, whatever graphs
    hold it).  Unfiltered, Oxigraph computes the union itself.

    Raises:
        StoreError: the store cannot be read.
    """
    if selection is None or not selection.filtered:
        yield from store.oxigraph.query(_CONSTRUCT_ALL, use_default_graph_as_union=False)
        return
    seen: set[ox.Triple] = set()
    for q in selected_quads(store, selection):
        t = ox.Triple(q.subject, q.predicate, q.object)
        if t not in seen:
            seen.add(t)
            yield t


class _Counter:
    """Counts what passes through an iterator."""

    def __init__(self, it: Iterable[Any]) -> None:
        self._it = iter(it)
        self.n = 0

    def __iter__(self) -> "_Counter":
        return self

    def __next__(self) -> Any:
        v = next(self._it)
        self.n += 1
        return v


def write_rdf(store: "Store", selection: Selection | None, fmt: str, out: IO[bytes]) -> int:
    """Stream the selection as ``fmt`` (ttl, nt, nq, trig, jsonld) to ``out``.

    Returns the number of statements written (quads for nq/trig, distinct triples
    otherwise).  Statements come in the store's own (deterministic) order.

    Raises:
        ValueError: an unknown format.
        StoreError: the store cannot be read.
        OSError: ``out`` cannot be written.
    """
    if fmt not in RDF_FORMATS:
        raise ValueError(f"unknown RDF format {fmt!r}")
    oxfmt, named = RDF_FORMATS[fmt]
    if named:
        quads = _Counter(selected_quads(store, selection))
        ox.serialize(quads, out, oxfmt, prefixes=PREFIXES if fmt == "trig" else None)
        return quads.n
    triples = _Counter(union_triples(store, selection))
    if fmt == "jsonld":
        write_jsonld(triples, out)
    else:
        ox.serialize(triples, out, oxfmt, prefixes=PREFIXES if fmt == "ttl" else None)
    return triples.n


def serialize_rdf(quads: Iterable[ox.Quad], fmt: str) -> tuple[bytes, int]:
    """``quads`` serialised as ``fmt`` in memory; returns (data, statements).

    Raises:
        ValueError: an unknown format.
    """
    if fmt not in RDF_FORMATS:
        raise ValueError(f"unknown RDF format {fmt!r}")
    oxfmt, named = RDF_FORMATS[fmt]
    buf = io.BytesIO()
    if named:
        qs = _Counter(dict.fromkeys(quads))
        ox.serialize(qs, buf, oxfmt, prefixes=PREFIXES if fmt == "trig" else None)
        return buf.getvalue(), qs.n
    ts = _Counter(dict.fromkeys(ox.Triple(q.subject, q.predicate, q.object) for q in quads))
    if fmt == "jsonld":
        write_jsonld(ts, buf)
    else:
        ox.serialize(ts, buf, oxfmt, prefixes=PREFIXES if fmt == "ttl" else None)
    return buf.getvalue(), ts.n


# -- JSON-LD ---------------------------------------------------------------------------
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
JSONLD_BATCH = 20_000


class _Compactor:
    """Compacts pyoxigraph's expanded JSON-LD node objects with our published context.

    Only rewritings that keep the meaning under that context are made: a property becomes
    a term when every value fits the term's coercion (``@id`` / datatype / language), else
    a compact IRI (``prefix:local``); IRIs become compact IRIs; ``rdf:type`` becomes
    ``@type``; one-element arrays are unwrapped.
    """

    def __init__(self, ctx: dict[str, Any]) -> None:
        # prefixes: plain string definitions ending in / or # (longest first)
        self.prefixes = sorted(((v, k) for k, v in ctx.items()
                                if isinstance(v, str) and v[-1:] in "/#"),
                               key=lambda p: -len(p[0]))
        self.terms: dict[str, tuple[str, dict[str, Any]]] = {}  # property IRI -> term
        self.class_terms: dict[str, str] = {}  # IRI -> term usable in @type
        for k, v in ctx.items():
            if isinstance(v, str) and v[-1:] in "/#":
                continue
            d = {"@id": v} if isinstance(v, str) else dict(v)
            iri = self._expand(d["@id"], ctx)
            typ = d.get("@type")
            if typ and typ != "@id":
                d["@type"] = self._expand(typ, ctx)
            self.terms.setdefault(iri, (k, d))
            if isinstance(v, str):
                self.class_terms.setdefault(iri, k)

    @staticmethod
    def _expand(value: str, ctx: dict[str, Any]) -> str:
        if ":" in value and not value.startswith("http"):
            pre, _, local = value.partition(":")
            base = ctx.get(pre)
            if isinstance(base, str):
                return base + local
        return value

    def iri(self, iri: str) -> str:
        for base, pre in self.prefixes:
            if iri.startswith(base) and len(iri) > len(base):
                return f"{pre}:{iri[len(base):]}"
        return iri

    def vocab(self, iri: str) -> str:
        return self.class_terms.get(iri) or self.iri(iri)

    def node(self, node: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, values in node.items():
            if key == "@id":
                out["@id"] = self.iri(values)
                continue
            if key.startswith("@"):
                out[key] = values
                continue
            if key == _RDF_TYPE and all(set(v) == {"@id"} for v in values):
                types = [self.vocab(v["@id"]) for v in values]
                out["@type"] = types[0] if len(types) == 1 else types
                continue
            term = self.terms.get(key)
            name, vals = self.iri(key), [self.value(v) for v in values]
            if term is not None:
                tname, d = term
                coerced = self.coerce(values, d)
                if coerced is not None:
                    name, vals = tname, coerced
            out[name] = vals[0] if len(vals) == 1 else vals
        return out

    def value(self, v: dict[str, Any]) -> Any:
        if set(v) == {"@id"}:
            return {"@id": self.iri(v["@id"])}
        if "@type" in v:
            return {"@value": v["@value"], "@type": self.iri(v["@type"])}
        if set(v) == {"@value"}:
            return v["@value"]
        return v

    def coerce(self, values: list[dict[str, Any]], d: dict[str, Any]) -> list[Any] | None:
        typ, lang = d.get("@type"), d.get("@language")
        if typ == "@id":
            if all(set(v) == {"@id"} for v in values):
                return [self.iri(v["@id"]) for v in values]
            return None
        if typ:
            if all(set(v) == {"@value", "@type"} and v["@type"] == typ for v in values):
                return [v["@value"] for v in values]
            return None
        if lang:
            return None  # not used by our context
        if all(set(v) == {"@value"} for v in values):
            return [v["@value"] for v in values]
        return None


def write_jsonld(triples: Iterable[ox.Triple], out: IO[bytes], *,
                 batch: int = JSONLD_BATCH) -> None:
    """Stream ``triples`` as one JSON-LD document compacted with the published context.

    pyoxigraph writes each batch of triples as expanded JSON-LD; each node object is then
    compacted (:class:`_Compactor`) and appended to ``@graph``.  A subject whose triples
    fall in two batches appears as two node objects with the same ``@id`` (JSON-LD merges
    them).  The context is embedded, so reading the file needs no network.
    """
    ctx = jsonld_context()
    comp = _Compactor(ctx)
    out.write(b'{\n"@context": ')
    out.write(json.dumps(ctx, ensure_ascii=False, indent=1).encode("utf-8"))
    out.write(b',\n"@graph": [')
    first = True
    it = iter(triples)
    while True:
        chunk = list(itertools.islice(it, batch))
        if not chunk:
            break
        for node in json.loads(ox.serialize(chunk, format=ox.RdfFormat.JSON_LD) or b"[]"):
            out.write(b"\n" if first else b",\n")
            first = False
            out.write(json.dumps(comp.node(node), ensure_ascii=False,
                                 separators=(",", ":")).encode("utf-8"))
    out.write(b"\n]\n}\n")
