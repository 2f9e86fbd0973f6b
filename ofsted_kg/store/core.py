"""The :class:`Store`: opening, closing and reading (writing and snapshots are mixins)."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..errors import StoreError
from ..ontology.namespaces import OA, OKG, PREFIXES
from .names import (
    MANIFEST_GRAPH,
    DocumentEntry,
    Row,
    default_store_path,
    item_sha,
    latest_snapshot,
    report_graph,
    report_iri,
    report_sha,
)
from .snapshots import _Snapshots
from .writing import _Background, _Writes


class Store(_Snapshots, _Writes):
    """An ofsted-kg store.  Use :func:`open_store` or ``Store(path)``.

    ``Store(None)`` is an in-memory store (tests, notebooks).  A writable on-disk store
    takes an exclusive writer lock; a second writer fails fast with
    :class:`StoreLockedError` (or waits with ``wait=True``).  A read-only store opens the
    latest snapshot the writer published, so it works while a build is running.

    Raises:
        StoreLockedError: another process holds the writer lock.
        StoreError: the directory is not a store or cannot be opened.
    """
    def __init__(self, path: str | Path | None = None, *, read_only: bool = False,
                 wait: bool = False) -> None:
        self.path: Path | None = Path(path) if path is not None else None
        self.read_only = read_only
        self._lock_fd: int | None = None
        self._snap_fd: int | None = None
        self._dirty = False
        self.snapshot: Path | None = None  # the snapshot a read-only store reads
        self._ox: ox.Store | None = None
        self._pending: list[tuple[str, list[str], bytes]] = []  # batched new graphs
        self._pending_quads = 0
        # a full batch is bulk-loaded by a writer thread (pyoxigraph releases the GIL)
        # while the build goes on; one at a time, waited for before anything else
        self._writer: _Background | None = None
        self._writing: set[str] = set()  # graphs and reports the writer is writing
        # a compaction started with optimize(background=True): reads and writes go on
        # meanwhile (RocksDB compacts concurrently); publish, close and optimize wait
        self._compactor: _Background | None = None
        if self.path is None:
            self._ox = ox.Store()
            return
        db = self.path / "oxigraph"
        if read_only:
            if not db.is_dir():
                raise StoreError(f"no store at {self.path} (run 'ofsted-kg build' first)")
            self._open_snapshot(wait)
            return
        if self.path.exists() and not self.path.is_dir():
            raise StoreError(f"{self.path} exists and is not a store directory")
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create store {self.path}: {exc.strerror or exc}") from None
        self._acquire_lock(wait)
        try:
            self._ox = ox.Store(str(db))
        except OSError as exc:
            self._release_lock()
            raise StoreError(f"cannot open store {self.path}: {exc}") from None
        try:
            self._recover()
        except StoreError:
            self._ox = None
            self._release_lock()
            raise
        if latest_snapshot(self.path) is None:
            self._dirty = True  # publish on close even if nothing is written

    def close(self) -> None:
        """Write held-back graphs, publish (writer), flush and release the store.

        Raises:
            StoreError: held-back graphs could not be written (none of them is in the
                store; the store is closed all the same).
        """
        failed: StoreError | None = None
        try:
            try:
                self._join_compactor()
            except StoreError:
                pass  # a failed compaction leaves the data as it was
            if (self._pending or self._writer is not None) and self._ox is not None:
                try:
                    self._write_pending()
                except StoreError as exc:
                    failed = exc  # recovered: those documents are not in the store
            if self._ox is not None and not self.read_only and self.path is not None:
                if self._dirty:
                    try:
                        self.publish()
                    except StoreError:
                        pass
                try:
                    self._ox.flush()
                except OSError:
                    pass
        finally:
            self._ox = None
            if self._snap_fd is not None:
                os.close(self._snap_fd)
                self._snap_fd = None
            self._release_lock()
        if failed is not None:
            raise failed

    def __del__(self) -> None:
        try:
            if self._snap_fd is not None:
                os.close(self._snap_fd)
            if self._lock_fd is not None:
                os.close(self._lock_fd)
        except Exception:  # noqa: BLE001 -- interpreter shutdown
            pass

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def oxigraph(self) -> ox.Store:
        """The underlying :class:`pyoxigraph.Store` (for advanced use).

        On a writable store, using it counts as a change (a snapshot is published on
        close).
        """
        if self._ox is None:
            raise StoreError("store is closed")
        if not self.read_only:
            self._dirty = True
        self._write_pending()
        return self._ox

    # -- reading ----------------------------------------------------------------------
    def has_graph(self, graph: str) -> bool:
        """Whether named graph ``graph`` holds any triple."""
        return any(True for _ in self._reader().quads_for_pattern(
            None, None, None, ox.NamedNode(graph)))

    def documents(self) -> list[DocumentEntry]:
        """Every source document in the store, with the paths it was built from."""
        rows = self.select(
            f"SELECT ?sha ?f ?model WHERE {{ GRAPH ?g {{ ?r a <{OKG.Report}> ; <{OKG.sha256}> ?sha"
            f" OPTIONAL {{ ?r <{OKG.graphModel}> ?model }} }}"
            f" FILTER(STRSTARTS(STR(?g), \"{report_graph('')}\"))"
            f" OPTIONAL {{ GRAPH <{MANIFEST_GRAPH}> {{ ?r <{OKG.localPath}> ?f }} }} }}"
        )
        paths: dict[str, set[str]] = {}
        models: dict[str, int] = {}
        for r in rows:
            sha = str(r["sha"])
            ps = paths.setdefault(sha, set())
            if r.get("f"):
                ps.add(str(r["f"]))
            if r.get("model") is not None:
                models[sha] = int(r["model"])
        return [DocumentEntry(sha, report_graph(sha), min(ps) if ps else "", tuple(sorted(ps)),
                              models.get(sha))
                for sha, ps in sorted(paths.items())]

    def count(self, graph: str | None = None) -> int:
        """Number of quads (in one named graph, or in the whole store); a report graph's
        count includes its items (see :meth:`quads`)."""
        if graph is None:
            return len(self._reader())
        return sum(1 for _ in self.quads(graph))

    def query(self, sparql: str, *, bindings: Mapping[str, ox.NamedNode | ox.Literal] | None = None,
              union: bool = True) -> Any:
        """Run SPARQL with bound parameters (never pasted into the text).

        The default graph is the union of the store's graphs (its own default graph,
        which holds the documents' items, and every named graph) unless ``union=False``:
        then it is the store's own default graph, and the others are reached by ``GRAPH``.

        Raises:
            QueryError: the query is malformed.
        """
        from ..errors import QueryError

        subs = {ox.Variable(k): v for k, v in (bindings or {}).items()}
        try:
            return self._reader().query(sparql, use_default_graph_as_union=union,
                                       prefixes=PREFIXES, substitutions=subs or None)
        except SyntaxError as exc:
            raise QueryError(f"invalid SPARQL: {exc}") from None
        except RuntimeError as exc:  # e.g. a bound variable not in the projection
            raise QueryError(f"cannot bind parameters: {exc}") from None
        except OSError as exc:
            raise StoreError(f"query failed: {exc}") from None

    def select(self, sparql: str, **kwargs: Any) -> list[Row]:
        """A SELECT as a list of rows ``{variable: python value}`` (unbound left out)."""
        res = self.query(sparql, **kwargs)
        names = [v.value for v in res.variables]
        out: list[Row] = []
        for sol in res:
            row: Row = {}
            for n in names:
                t = sol[n]
                if t is not None:
                    row[n] = term_value(t)
            out.append(row)
        return out

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        """Every quad (of one graph, or of the whole store), each in its logical graph.

        The store keeps a document's items (concerns, findings, their quotes) in the
        default graph (:func:`~.names.item_sha`); here they come in their report's named
        graph, so that what is read, exported or pushed is one named graph per document,
        as the union graph every query reads is the same either way.
        """
        raw = self._reader()
        if not graph:
            return self._logical(raw)
        quads = raw.quads_for_pattern(None, None, None, ox.NamedNode(graph))
        sha = report_sha(graph)
        if sha is None:
            return quads
        return itertools.chain(quads, self._items(raw, sha))

    @staticmethod
    def _logical(raw: ox.Store) -> Iterator[ox.Quad]:
        graphs: dict[str, ox.NamedNode] = {}
        for q in raw:
            if isinstance(q.graph_name, ox.DefaultGraph) and isinstance(q.subject, ox.NamedNode):
                sha = item_sha(q.subject.value)
                if sha is not None:
                    g = graphs.get(sha)
                    if g is None:
                        g = graphs[sha] = ox.NamedNode(report_graph(sha))
                    yield ox.Quad(q.subject, q.predicate, q.object, g)
                    continue
            yield q

    @staticmethod
    def _items(raw: ox.Store, sha: str) -> Iterator[ox.Quad]:
        """The items of one document (with their quotes), in its report graph."""
        g, dg = ox.NamedNode(report_graph(sha)), ox.DefaultGraph()
        src, sel = ox.NamedNode(str(OA.hasSource)), ox.NamedNode(str(OA.hasSelector))
        for link in raw.quads_for_pattern(None, src, ox.NamedNode(report_iri(sha)), dg):
            for node in (link.subject, *(q.object for q in raw.quads_for_pattern(
                    link.subject, sel, None, dg))):
                for q in raw.quads_for_pattern(node, None, None, dg):
                    yield ox.Quad(q.subject, q.predicate, q.object, g)

    def _reader(self) -> ox.Store:
        self._write_pending()  # a reader sees every write made so far
        return self._raw()

    def _raw(self) -> ox.Store:
        if self._ox is None:
            raise StoreError("store is closed")
        return self._ox


def term_value(t: Any) -> Any:
    """A pyoxigraph term as a plain Python value (IRI -> str, typed literal -> value)."""
    if isinstance(t, ox.Literal):
        dt = t.datatype.value if t.datatype else ""
        if dt.endswith("#integer") or dt.endswith("#int"):
            try:
                return int(t.value)
            except ValueError:
                return t.value
        if dt.endswith("#decimal") or dt.endswith("#double"):
            try:
                return float(t.value)
            except ValueError:
                return t.value
        if dt.endswith("#boolean"):
            return t.value == "true"
        return t.value
    return t.value if hasattr(t, "value") else str(t)


def open_store(path: str | Path | None = None, *, read_only: bool = False,
               wait: bool = False) -> Store:
    """Open (creating if needed) the store at ``path`` (default: :func:`default_store_path`).

    Raises:
        StoreLockedError: another process is writing to the store.
        StoreError: the store cannot be opened.
    """
    return Store(path if path is not None else default_store_path(), read_only=read_only,
                 wait=wait)



@dataclass(frozen=True, slots=True)
class ThemeHierarchy:
    """The theme vocabulary as the store holds it, as plain data (theme IRIs as keys)."""

    top: dict[str, str]  # theme -> local name of its facet root ("practice-area", ...)
    ancestors: dict[str, frozenset[str]]  # theme -> broader+ themes, facet roots excluded
    labels: dict[str, str]  # theme -> skos:prefLabel


def theme_hierarchy(store: Store) -> ThemeHierarchy:
    """Read the theme hierarchy from the store's vocabulary graph.

    Raises:
        StoreError: the store cannot be read.
    """
    theme_ns = "https://w3id.org/ofsted-kg/theme/"
    top: dict[str, str] = {}
    roots: set[str] = set()
    for r in store.select(f"""SELECT DISTINCT ?t ?top WHERE {{ ?t skos:broader+ ?top .
            ?top skos:topConceptOf ?s . FILTER(STRSTARTS(STR(?t), "{theme_ns}")) }}"""):
        top[str(r["t"])] = str(r["top"]).rsplit("/", 1)[-1].lower()
        roots.add(str(r["top"]))
    anc: dict[str, set[str]] = {}
    for r in store.select(f"""SELECT DISTINCT ?t ?b WHERE {{ ?t skos:broader+ ?b .
            FILTER(STRSTARTS(STR(?t), "{theme_ns}")) }}"""):
        if str(r["b"]) not in roots:
            anc.setdefault(str(r["t"]), set()).add(str(r["b"]))
    labels = {str(r["t"]): str(r["l"]) for r in store.select(
        f"""SELECT DISTINCT ?t ?l WHERE {{ ?t skos:prefLabel ?l .
           FILTER(STRSTARTS(STR(?t), "{theme_ns}")) }}""")}
    return ThemeHierarchy(top, {t: frozenset(a) for t, a in anc.items()}, labels)
