"""Keep the store's vocabulary graph (ontology, schemes, themes) in step with the package."""

from __future__ import annotations

import hashlib
from importlib import resources

from ..ontology.namespaces import OKG
from ..store import VOCABULARY_GRAPH_IRI, Store

__all__ = ["ensure_vocabulary", "vocabulary_files"]

#: package .ttl files that are data vocabulary (shapes are for validation only)
_EXCLUDE = {"shapes.ttl"}


def vocabulary_files() -> dict[str, bytes]:
    """The ontology package's vocabulary ``.ttl`` files, by name."""
    root = resources.files("ofsted_kg.ontology")
    return {
        f.name: f.read_bytes()
        for f in sorted(root.iterdir(), key=lambda f: f.name)
        if f.name.endswith(".ttl") and f.name not in _EXCLUDE
    }


def ensure_vocabulary(store: Store) -> bool:
    """Load the vocabulary into its named graph when missing or changed.

    Returns whether it was (re)loaded.

    Raises:
        StoreError: the store cannot be written.
    """
    files = vocabulary_files()
    digest = hashlib.sha256(b"".join(files.values())).hexdigest()
    rows = store.select(
        f"SELECT ?d WHERE {{ GRAPH <{VOCABULARY_GRAPH_IRI}> {{ <{VOCABULARY_GRAPH_IRI}> <{OKG.sha256}> ?d }} }}",
        union=False,
    )
    if rows and rows[0].get("d") == digest:
        return False
    import pyoxigraph as ox

    triples: list[ox.Triple] = []
    for data in files.values():
        triples.extend(ox.Triple(q.subject, q.predicate, q.object)
                       for q in ox.parse(data, format=ox.RdfFormat.TURTLE))
    triples.append(ox.Triple(ox.NamedNode(VOCABULARY_GRAPH_IRI), ox.NamedNode(str(OKG.sha256)),
                             ox.Literal(digest)))
    nt = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    store.replace_graphs(VOCABULARY_GRAPH_IRI, nt.decode() if isinstance(nt, bytes) else nt)
    return True
