"""The embedded, persistent store: an Oxigraph database on disk, no server needed.

Layout of a store directory (default ``./ofsted-kg-store``, or ``$OFSTED_KG_STORE``)::

    <store>/oxigraph/     the Oxigraph (RocksDB) database
    <store>/writer.lock   held (``flock``) by the one process allowed to write; holds its PID

Each source document lives in its own named graph (``graph/report/<sha256>``), so that
rebuilding a document replaces exactly its triples, in one transaction.  Cross-document
links live in one graph per authority (``graph/links/<GSS>``), the vocabulary in
``graph/vocabulary``, and the absolute path of every source file in ``graph/manifest``.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .errors import StoreError, StoreLockedError
from .ontology.namespaces import GRAPH, ID, OKG, PREFIXES

__all__ = [
    "Store",
    "open_store",
    "default_store_path",
    "report_graph",
    "report_iri",
    "links_graph",
    "MANIFEST_GRAPH",
    "VOCABULARY_GRAPH_IRI",
    "Row",
]

DEFAULT_STORE = "ofsted-kg-store"
MANIFEST_GRAPH = str(GRAPH["manifest"])
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


def links_graph(key: str) -> str:
    """IRI of the named graph of one authority's cross-document links."""
    return str(GRAPH[f"links/{key}"])


@dataclass(frozen=True, slots=True)
class DocumentEntry:
    """One source document held in the store."""

    sha256: str
    graph: str
    path: str  # absolute path of the file it was built from


class Store:
    """An ofsted-kg store.  Use :func:`open_store` or ``Store(path)``.

    ``Store(None)`` is an in-memory store (tests, notebooks).  A writable on-disk store
    takes an exclusive writer lock; a second writer fails fast with
    :class:`StoreLockedError` (or waits with ``wait=True``).

    Raises:
        StoreLockedError: another process holds the writer lock.
        StoreError: the directory is not a store or cannot be opened.
    """

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False,
                 wait: bool = False) -> None:
        self.path: Path | None = Path(path) if path is not None else None
        self.read_only = read_only
        self._lock_fd: int | None = None
        if self.path is None:
            self._ox = ox.Store()
            return
        db = self.path / "oxigraph"
        if read_only:
            if not db.is_dir():
                raise StoreError(f"no store at {self.path} (run 'ofsted-kg build' first)")
            try:
                self._ox = ox.Store.read_only(str(db))
            except OSError as exc:
                raise StoreError(f"cannot open store {self.path}: {exc}") from None
            return
        if self.path.exists() and not self.path.is_dir():
            raise StoreError(f"{self.path} exists and is not a store directory")
        self.path.mkdir(parents=True, exist_ok=True)
        self._acquire_lock(wait)
        try:
            self._ox = ox.Store(str(db))
        except OSError as exc:
            self._release_lock()
            raise StoreError(f"cannot open store {self.path}: {exc}") from None

    # -- locking ----------------------------------------------------------------------
    def _acquire_lock(self, wait: bool) -> None:
        assert self.path is not None
        lock_path = self.path / "writer.lock"
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            try:
                pid = int(os.read(fd, 32).decode().strip() or 0) or None
            except ValueError:
                pid = None
            os.close(fd)
            raise StoreLockedError(str(self.path), pid) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._lock_fd = fd

    def _release_lock(self) -> None:
        if self._lock_fd is not None:
            try:
                os.ftruncate(self._lock_fd, 0)
                fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            finally:
                os.close(self._lock_fd)
                self._lock_fd = None

    def close(self) -> None:
        """Flush and release the store (the writer lock with it)."""
        if getattr(self, "_ox", None) is not None:
            if not self.read_only and self.path is not None:
                try:
                    self._ox.flush()
                except OSError:
                    pass
            self._ox = None  # type: ignore[assignment]
        self._release_lock()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def oxigraph(self) -> ox.Store:
        """The underlying :class:`pyoxigraph.Store` (for advanced use)."""
        if self._ox is None:
            raise StoreError("store is closed")
        return self._ox

    # -- writing ----------------------------------------------------------------------
    def _check_writable(self) -> None:
        if self.read_only:
            raise StoreError(f"store {self.path} is open read-only")

    def replace_graphs(self, graph: str, ntriples: str, *, drop: Iterable[str] = (),
                       manifest: Mapping[str, str] | None = None) -> None:
        """Atomically replace named graph ``graph`` with ``ntriples``.

        In the same transaction, drop the graphs in ``drop`` (an older version of the same
        file) and record ``manifest`` (report IRI -> absolute source path).  Either all of
        it is written or none of it.

        Raises:
            StoreError: the update failed (nothing was written).
        """
        self._check_writable()
        ops = [f"DROP SILENT GRAPH <{g}>" for g in (*drop, graph)]
        if manifest:
            for report, path in manifest.items():
                ops.append(
                    f"DELETE WHERE {{ GRAPH <{MANIFEST_GRAPH}> {{ <{report}> ?p ?o }} }}"
                )
            lines = "\n".join(
                f"<{report}> <{OKG.localPath}> {ox.Literal(path)} ."
                for report, path in manifest.items()
            )
            ops.append(f"INSERT DATA {{ GRAPH <{MANIFEST_GRAPH}> {{\n{lines}\n}} }}")
        for g in drop:
            old = report_iri(g.rsplit("/", 1)[-1])
            ops.append(f"DELETE WHERE {{ GRAPH <{MANIFEST_GRAPH}> {{ <{old}> ?p ?o }} }}")
        if ntriples.strip():
            ops.append(f"INSERT DATA {{ GRAPH <{graph}> {{\n{ntriples}\n}} }}")
        try:
            self.oxigraph.update(" ;\n".join(ops))
        except (OSError, SyntaxError, ValueError) as exc:
            raise StoreError(f"writing graph {graph} failed: {exc}") from None

    def drop_graphs(self, graphs: Iterable[str], *, reports: Iterable[str] = ()) -> None:
        """Atomically drop named graphs and the manifest entries of ``reports``."""
        self._check_writable()
        ops = [f"DROP SILENT GRAPH <{g}>" for g in graphs]
        ops += [f"DELETE WHERE {{ GRAPH <{MANIFEST_GRAPH}> {{ <{r}> ?p ?o }} }}" for r in reports]
        if ops:
            try:
                self.oxigraph.update(" ;\n".join(ops))
            except (OSError, SyntaxError) as exc:
                raise StoreError(f"removing graphs failed: {exc}") from None

    def load_graph(self, graph: str, data: bytes | str, *, format: str = "text/turtle") -> None:
        """Atomically replace ``graph`` with RDF ``data`` (Turtle by default)."""
        self._check_writable()
        fmt = ox.RdfFormat.from_media_type(format)
        if fmt is None:
            raise StoreError(f"unknown RDF media type {format}")
        quads = [ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(graph))
                 for q in ox.parse(data, format=fmt)]
        nt = ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in quads],
                          format=ox.RdfFormat.N_TRIPLES)
        self.replace_graphs(graph, nt.decode() if isinstance(nt, bytes) else nt)

    # -- reading ----------------------------------------------------------------------
    def has_graph(self, graph: str) -> bool:
        """Whether named graph ``graph`` holds any triple."""
        return self.oxigraph.contains_named_graph(ox.NamedNode(graph)) and any(
            True for _ in self.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(graph))
        )

    def documents(self) -> list[DocumentEntry]:
        """Every source document in the store, with the path it was built from."""
        rows = self.select(
            f"SELECT ?r ?sha ?f WHERE {{ GRAPH ?g {{ ?r a <{OKG.Report}> ; <{OKG.sha256}> ?sha }}"
            f" OPTIONAL {{ GRAPH <{MANIFEST_GRAPH}> {{ ?r <{OKG.localPath}> ?f }} }} }}"
        )
        return [DocumentEntry(str(r["sha"]), report_graph(str(r["sha"])), str(r.get("f") or ""))
                for r in rows]

    def count(self, graph: str | None = None) -> int:
        """Number of quads (in one named graph, or in the whole store)."""
        g = ox.NamedNode(graph) if graph else None
        return sum(1 for _ in self.oxigraph.quads_for_pattern(None, None, None, g))

    def query(self, sparql: str, *, bindings: Mapping[str, ox.NamedNode | ox.Literal] | None = None,
              union: bool = True) -> Any:
        """Run SPARQL with bound parameters (never pasted into the text).

        The default graph is the union of all named graphs unless ``union=False``.

        Raises:
            QueryError: the query is malformed.
        """
        from .errors import QueryError

        subs = {ox.Variable(k): v for k, v in (bindings or {}).items()}
        try:
            return self.oxigraph.query(sparql, use_default_graph_as_union=union,
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
        """Every quad (of one graph, or of the whole store)."""
        g = ox.NamedNode(graph) if graph else None
        return self.oxigraph.quads_for_pattern(None, None, None, g)


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


@contextmanager
def opened(path: str | Path | None = None, **kw: Any) -> Iterator[Store]:
    """``with opened(path) as store:`` -- open, yield, close."""
    s = open_store(path, **kw)
    try:
        yield s
    finally:
        s.close()
