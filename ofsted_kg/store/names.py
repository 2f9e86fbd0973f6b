"""The store's layout and names: graph IRIs, constants, the snapshot directory."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..ontology.namespaces import GRAPH, ID

DEFAULT_STORE = "ofsted-kg-store"
MANIFEST_GRAPH = str(GRAPH["manifest"])
# Graphs being bulk-loaded (see Store._load_new); empty except during a write.
JOURNAL_GRAPH = str(GRAPH["journal"])
_LOADING = "https://w3id.org/ofsted-kg/store#loading"
# held-back new graphs (Store.replace_graphs(batch=True)) are written once they reach this
# many quads (tests set 1 to write each document on its own): ~50 MB of N-Quads; fewer,
# larger bulk loads leave RocksDB less to compact (the corpus's write: 73 ms of CPU a
# document with 100,000, 59 with 400,000), but the parent holds up to two batches and the
# bulk loader's buffers: on 900 documents its peak RSS was 526 MB with 100,000, 884 MB
# with 250,000 (the goal is < 1 GiB)
BATCH_QUADS = int(os.environ.get("OFSTED_KG_BATCH_QUADS") or 150_000)
# a write of fewer quads than this is one transaction (atomic by itself: no journal): the
# bulk loader costs 0.1-0.25 s a call whatever its size (it writes and ingests new files),
# a transaction ~30 us a quad, so below ~20,000 quads (a links graph, one document) the
# transaction is cheaper
SMALL_WRITE_QUADS = 20_000
VOCABULARY_GRAPH_IRI = str(GRAPH["vocabulary"])

Row = dict[str, Any]


def default_store_path() -> Path:
    """``$OFSTED_KG_STORE`` if set, else ``./ofsted-kg-store``."""
    return Path(os.environ.get("OFSTED_KG_STORE") or DEFAULT_STORE)


def report_graph(sha256: str) -> str:
    """IRI of the named graph holding one source document's triples."""
    return str(GRAPH[f"report/{sha256}"])


def report_iri(sha256: str) -> str:
    """IRI of the report (the document itself) with this SHA-256."""
    return str(ID[f"report/{sha256}"])


#: The IRI namespaces of a document's items (its concerns and findings, each with its quote
#: selector under its own IRI): ``id/concern/<sha256>/<n>``, ``id/finding/<sha256>/<n>``.
ITEM_NAMESPACES = (str(ID["concern/"]), str(ID["finding/"]))


def item_sha(iri: str) -> str | None:
    """The SHA-256 of the document whose item (or item's quote) ``iri`` is, else None.

    The store keeps a document's items -- 97 % of its triples -- in the default graph,
    not in the document's named graph (see :mod:`ofsted_kg.store`): Oxigraph indexes a
    default-graph quad three ways and a named graph's six, which halves the build's
    store work.  The item's own IRI says which document it belongs to.
    """
    for ns in ITEM_NAMESPACES:
        if iri.startswith(ns):
            sha = iri[len(ns):].split("/", 1)[0]
            return sha or None
    return None


def item_prefixes(sha256: str) -> tuple[str, ...]:
    """The IRI prefixes of one document's items (and their quotes)."""
    return tuple(f"{ns}{sha256}/" for ns in ITEM_NAMESPACES)


def report_sha(graph: str) -> str | None:
    """The SHA-256 of report graph ``graph``, else None (another kind of graph)."""
    prefix = report_graph("")
    return graph[len(prefix):] or None if graph.startswith(prefix) else None


def links_graph(key: str) -> str:
    """IRI of the named graph of one authority's cross-document links."""
    return str(GRAPH[f"links/{key}"])


@dataclass(frozen=True, slots=True)
class DocumentEntry:
    """One source document held in the store.

    ``paths`` are the absolute paths of every file it was built from (identical copies
    share one document); ``path`` is the first of them ("" if none is recorded);
    ``graph_model`` the version of the graph model it was built with (``okg:graphModel``;
    None: built before the version was written).
    """

    sha256: str
    graph: str
    path: str
    paths: tuple[str, ...] = ()
    graph_model: int | None = None


SNAPSHOTS = "snapshots"
_CURRENT = "CURRENT"
_OPEN_TRIES = 50


def latest_snapshot(path: str | Path) -> Path | None:
    """The directory of the latest published read-only snapshot of store ``path``."""
    cur = Path(path) / SNAPSHOTS / _CURRENT
    try:
        name = cur.read_text("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    if not name or "/" in name or name.startswith("."):
        return None
    snap = cur.parent / name
    return snap if snap.is_dir() else None


def _lock_pid(lock_path: Path) -> int | None:
    try:
        return int(lock_path.read_text().strip() or 0) or None
    except (OSError, ValueError):
        return None
