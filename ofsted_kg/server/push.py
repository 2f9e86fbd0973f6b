"""Push the store to any triple store (SPARQL 1.1 Graph Store HTTP Protocol)."""

from __future__ import annotations

import re
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..errors import QueryError
from ..store import MANIFEST_GRAPH, Store
from .errors import RemoteError
from .http import _auth_header, _check_url, _redact, _request, _with_param
from .remote import RemoteEndpoint

__all__ = ["PushProgress", "PushSummary", "graph_store_url", "push", "pushable_graphs"]


def graph_store_url(endpoint: str) -> str:
    """The Graph Store Protocol URL that goes with a query endpoint (or is one).

    ``.../query`` (Oxigraph) -> ``.../store``; ``/ds/sparql`` or ``/ds/query`` (Fuseki) ->
    ``/ds/data``; ``/repositories/X`` (GraphDB) -> ``/repositories/X/rdf-graphs/service``;
    a URL already ending in ``/store``, ``/data`` or ``/rdf-graphs/service`` is kept.

    Raises:
        RemoteError: the URL's shape is unknown (give the graph store URL explicitly).
    """
    _check_url(endpoint)
    p = urllib.parse.urlsplit(endpoint)
    path = p.path.rstrip("/")

    def mk(new: str) -> str:
        return urllib.parse.urlunsplit((p.scheme, p.netloc, new, "", ""))

    if path in ("", "/query", "/store"):
        return mk("/store")
    if path.endswith("/rdf-graphs/service") or path.endswith("/data"):
        return mk(path)
    if re.search(r"/repositories/[^/]+$", path):
        return mk(path + "/rdf-graphs/service")
    m = re.fullmatch(r"(/.+)/(sparql|query)", path)
    if m:
        return mk(m.group(1) + "/data")
    raise RemoteError(f"cannot tell the graph store URL for {endpoint}; give --graph-store "
                      "(Oxigraph: /store, Fuseki: /DATASET/data, GraphDB: "
                      "/repositories/ID/rdf-graphs/service)")


@dataclass(frozen=True, slots=True)
class PushProgress:
    """Progress of a push, after each uploaded chunk."""

    graphs_done: int
    graphs_total: int
    graph: str
    triples_sent: int
    triples_total: int


@dataclass(slots=True)
class PushSummary:
    """What a push sent."""

    graph_store: str
    graphs: int = 0
    triples: int = 0
    bytes: int = 0
    requests: int = 0
    seconds: float = 0.0
    pruned: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"graph_store": _redact(self.graph_store), "graphs": self.graphs,
                "triples": self.triples, "bytes": self.bytes, "requests": self.requests,
                "seconds": round(self.seconds, 3), "pruned": self.pruned}


def _graph_chunks(store: Store, graph: str, size: int) -> Iterator[list[str]]:
    """N-Triples lines of one graph, ``size`` at a time; a graph with blank nodes comes in
    one chunk (a blank node's label only holds within one request)."""
    quads = store.quads(graph)  # a report graph with its items (see Store.quads)
    chunk: list[str] = []
    has_bnode = False
    for q in quads:
        if not has_bnode and (isinstance(q.subject, ox.BlankNode)
                              or isinstance(q.object, ox.BlankNode)):
            has_bnode = True
        chunk.append(f"{q.subject} {q.predicate} {q.object} .\n")
        if len(chunk) >= size and not has_bnode:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def pushable_graphs(store: Store) -> list[str]:
    """The named graphs a push sends: everything but the manifest (local file paths);
    the vocabulary first, then links, then reports."""
    names = sorted(g.value for g in store.oxigraph.named_graphs()
                   if isinstance(g, ox.NamedNode) and g.value != MANIFEST_GRAPH)

    def rank(g: str) -> tuple[int, str]:
        return (0 if g.endswith("/vocabulary") else 1 if "/graph/links/" in g
                else 3 if "/graph/report/" in g else 2, g)

    return sorted(names, key=rank)


def push(store: Store | str | Path, *, endpoint: str, graph_store: str | None = None,
         user: str | None = None, password: str | None = None,
         progress: Callable[[PushProgress], None] | None = None,
         chunk_triples: int = 50_000, timeout: float = 120.0,
         prune: bool = False) -> PushSummary:
    """Upload the store's named graphs through the SPARQL 1.1 Graph Store HTTP Protocol.

    Each graph is sent with ``PUT ?graph=IRI`` (replace semantics: pushing twice gives the
    same remote graph); a graph larger than ``chunk_triples`` sends its first chunk with
    ``PUT`` and the rest with ``POST`` (append).  The manifest graph is never sent.
    ``password`` should come from :data:`PASSWORD_ENV`, never from a command-line flag.
    With ``prune``, report and links graphs on the remote store that the local store no
    longer has (removed or rebuilt documents) are deleted afterwards (``DELETE ?graph=``);
    this asks ``endpoint`` (a query endpoint) which graphs it holds.

    Raises:
        RemoteError: the graph store cannot be reached, or refused a request (nothing after
            the failing graph is sent; graphs sent before it are complete).
        StoreError: the local store cannot be opened.
    """
    if chunk_triples < 1:
        raise ValueError("chunk_triples must be positive")
    gsp = _check_url(graph_store) if graph_store else graph_store_url(endpoint)
    headers = {"Content-Type": "application/n-triples; charset=utf-8",
               **_auth_header(user, password)}
    own = not isinstance(store, Store)
    st = Store(Path(store), read_only=True) if own else store
    assert isinstance(st, Store)
    started = time.monotonic()
    summary = PushSummary(graph_store=gsp)
    try:
        graphs = pushable_graphs(st)
        total = sum(st.count(g) for g in graphs)
        sent = 0
        for i, graph in enumerate(graphs, 1):
            url = _with_param(gsp, "graph", graph)
            first = True
            for chunk in _graph_chunks(st, graph, chunk_triples):
                body = "".join(chunk).encode("utf-8")
                _request("PUT" if first else "POST", url, data=body, headers=headers,
                         timeout=timeout)
                first = False
                sent += len(chunk)
                summary.requests += 1
                summary.bytes += len(body)
                if progress is not None:
                    progress(PushProgress(i - 1, len(graphs), graph, sent, total))
            if first:  # an empty graph: replace the remote one with nothing
                _request("PUT", url, data=b"", headers=headers, timeout=timeout)
                summary.requests += 1
            summary.graphs += 1
            if progress is not None:
                progress(PushProgress(i, len(graphs), graph, sent, total))
        summary.triples = sent
        if prune:
            summary.pruned = _prune(endpoint, gsp, set(graphs), user=user, password=password,
                                    timeout=timeout)
            summary.requests += len(summary.pruned)
    finally:
        summary.seconds = time.monotonic() - started
        if own:
            st.close()
    return summary


def _prune(endpoint: str, gsp: str, keep: set[str], *, user: str | None,
           password: str | None, timeout: float) -> list[str]:
    from ..ontology.namespaces import GRAPH

    ours = (str(GRAPH["report/"]), str(GRAPH["links/"]))
    ep = RemoteEndpoint(endpoint, user=user, password=password, timeout=timeout)
    try:
        rows = ep.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", union=False)
    except (RemoteError, QueryError) as exc:
        raise RemoteError(f"cannot list the remote graphs to prune (is --endpoint the query "
                          f"endpoint?): {exc}") from None
    stale = sorted(str(r["g"]) for r in rows
                   if str(r.get("g", "")).startswith(ours) and str(r["g"]) not in keep)
    for g in stale:
        _request("DELETE", _with_param(gsp, "graph", g), timeout=timeout,
                 headers=_auth_header(user, password))
    return stale
