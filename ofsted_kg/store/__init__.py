"""The embedded, persistent store: an Oxigraph database on disk, no server needed.

Layout of a store directory (default ``./ofsted-kg-store``, or ``$OFSTED_KG_STORE``)::

    <store>/oxigraph/            the Oxigraph (RocksDB) database: opened by the writer only
    <store>/writer.lock          held (``flock``) by the one process allowed to write; its PID
    <store>/snapshots/CURRENT    name of the latest published snapshot (replaced atomically)
    <store>/snapshots/<n>/       immutable read-only copies (RocksDB checkpoints: hard links)
    <store>/snapshots/<n>.lock   held shared (``flock``) by every reader of snapshot <n>

Readers never open the live database (``Store.read_only`` on a database another process
is writing is undefined behaviour in RocksDB/Oxigraph).  The writer publishes a
checkpoint after each batch of documents and on close (tens of milliseconds: SST files
are hard-linked, not copied); a reader opens the latest one, holding a shared lock on it
so the writer never deletes a snapshot in use.  Readers thus see the store as of the last
published batch, and keep working while a build runs.

Each source document has its own named graph (``graph/report/<sha256>``: the report, its
visit, judgements, inspectors and authority); its items -- concerns and findings with
their quotes, 97 % of its triples -- are kept in the default graph, each under its own
document's IRIs (``id/concern/<sha256>/<n>``, ``id/finding/<sha256>/<n>``: see
:func:`.names.item_sha`), because Oxigraph indexes a default-graph quad three ways and a
named graph's six: the build's store work is halved.  Rebuilding or removing a document
drops its graph and deletes its items (by their ``oa:hasSource``) in one transaction, so it
still replaces exactly its triples.  :meth:`Store.quads` and :meth:`Store.count`, and so
the quad exports and ``push``, give the items in their report's graph: one named graph
per document, as before; the union graph every query reads is the same either way.
Cross-document links live in one graph per authority (``graph/links/<GSS>``), the
vocabulary in ``graph/vocabulary``, and the absolute path of every source file in
``graph/manifest``.

A package by responsibility: :mod:`.names` (the layout's names and IRIs), :mod:`.snapshots`
(the writer lock, publishing and opening snapshots), :mod:`.writing` (atomic replacement,
batched bulk loads, compaction), :mod:`.core` (the :class:`Store`: opening, closing,
reading); every public name is importable from here.
"""

from ..errors import StoreError, StoreLockedError
from .core import (
    Row,
    Store,
    ThemeHierarchy,
    open_store,
    term_value,
    theme_hierarchy,
)
from .names import (
    BATCH_QUADS,
    DEFAULT_STORE,
    ITEM_NAMESPACES,
    JOURNAL_GRAPH,
    MANIFEST_GRAPH,
    SMALL_WRITE_QUADS,
    SNAPSHOTS,
    VOCABULARY_GRAPH_IRI,
    DocumentEntry,
    default_store_path,
    item_sha,
    latest_snapshot,
    links_graph,
    report_graph,
    report_iri,
)
from .writing import _Background as _Background  # for the tests

__all__ = [
    "BATCH_QUADS",
    "DEFAULT_STORE",
    "ITEM_NAMESPACES",
    "JOURNAL_GRAPH",
    "MANIFEST_GRAPH",
    "SMALL_WRITE_QUADS",
    "SNAPSHOTS",
    "VOCABULARY_GRAPH_IRI",
    "DocumentEntry",
    "Row",
    "Store",
    "StoreError",
    "StoreLockedError",
    "ThemeHierarchy",
    "default_store_path",
    "item_sha",
    "latest_snapshot",
    "links_graph",
    "open_store",
    "report_graph",
    "report_iri",
    "term_value",
    "theme_hierarchy",
]
