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

Each source document lives in its own named graph (``graph/report/<sha256>``), so that
rebuilding a document replaces exactly its triples, in one transaction.  Cross-document
links live in one graph per authority (``graph/links/<GSS>``), the vocabulary in
``graph/vocabulary``, and the absolute path of every source file in ``graph/manifest``.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
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
    "JOURNAL_GRAPH",
    "VOCABULARY_GRAPH_IRI",
    "Row",
    "DocumentEntry",
    "latest_snapshot",
    "SNAPSHOTS",
]

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


def links_graph(key: str) -> str:
    """IRI of the named graph of one authority's cross-document links."""
    return str(GRAPH[f"links/{key}"])


@dataclass(frozen=True, slots=True)
class DocumentEntry:
    """One source document held in the store.

    ``paths`` are the absolute paths of every file it was built from (identical copies
    share one document); ``path`` is the first of them ("" if none is recorded).
    """

    sha256: str
    graph: str
    path: str
    paths: tuple[str, ...] = ()


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


class Store:
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

    # -- locking ----------------------------------------------------------------------
    def _acquire_lock(self, wait: bool) -> None:
        assert self.path is not None
        lock_path = self.path / "writer.lock"
        try:
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StoreError(f"cannot lock store {self.path}: {exc.strerror or exc}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            os.close(fd)
            raise StoreLockedError(str(self.path), _lock_pid(lock_path)) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        os.fsync(fd)
        self._lock_fd = fd

    def _release_lock(self) -> None:
        if self._lock_fd is not None:
            try:
                os.ftruncate(self._lock_fd, 0)
                fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            finally:
                os.close(self._lock_fd)
                self._lock_fd = None

    # -- snapshots --------------------------------------------------------------------
    def _open_snapshot(self, wait: bool) -> None:
        """Open the latest snapshot read-only, holding a shared lock on it."""
        assert self.path is not None
        if latest_snapshot(self.path) is None:
            self._first_snapshot(wait)
        last: str = ""
        for attempt in range(_OPEN_TRIES):
            snap = latest_snapshot(self.path)
            if snap is None:
                last = "no published snapshot"
            else:
                try:
                    fd = os.open(snap.with_suffix(".lock"), os.O_RDONLY)
                except FileNotFoundError:  # deleted (superseded) in between: try again
                    last = "snapshot superseded while opening"
                    time.sleep(0.01 * (attempt + 1))
                    continue
                except OSError as exc:
                    raise StoreError(f"cannot open store {self.path}: {exc.strerror or exc}"
                                     ) from None
                fcntl.flock(fd, fcntl.LOCK_SH)
                if snap.is_dir():
                    try:
                        self._ox = ox.Store.read_only(str(snap))
                    except OSError as exc:
                        os.close(fd)
                        raise StoreError(f"cannot open store {self.path}: {exc}") from None
                    self._snap_fd = fd
                    self.snapshot = snap
                    return
                os.close(fd)
                last = "snapshot superseded while opening"
            time.sleep(0.01 * (attempt + 1))
        raise StoreError(f"cannot open store {self.path}: {last}")

    def _first_snapshot(self, wait: bool) -> None:
        """A store without a snapshot (older version, or a first build just starting)."""
        assert self.path is not None
        deadline = time.monotonic() + 30.0
        while True:
            try:
                with Store(self.path, wait=False):
                    return  # closing a writer publishes a snapshot
            except StoreLockedError as exc:
                # the writer publishes its first snapshot right after opening
                if latest_snapshot(self.path) is not None:
                    return
                if not wait and time.monotonic() > deadline:
                    raise StoreError(f"store {self.path} is being built by "
                                     f"{'process ' + str(exc.pid) if exc.pid else 'another process'}"
                                     " and has nothing published yet; try again shortly") from None
                time.sleep(0.1)
            except StoreError:
                if os.access(self.path, os.W_OK):
                    raise
                # a store we may not write: read the database itself (no writer can run)
                try:
                    self._ox = ox.Store.read_only(str(self.path / "oxigraph"))
                except OSError as exc2:
                    raise StoreError(f"cannot open store {self.path}: {exc2}") from None
                return

    def publish(self, *, held_back: bool = True) -> Path | None:
        """Publish a read-only snapshot of the store for readers (writer only).

        A RocksDB checkpoint (hard links, tens of milliseconds) is written beside the
        database, then made current by an atomic rename; superseded snapshots no reader
        holds are deleted.  Returns the snapshot directory (``None`` in memory).
        Graphs held back for a batched write are written first, unless ``held_back`` is
        false (then the snapshot shows what is written; a background write in flight is
        waited for in either case).

        Raises:
            StoreError: the checkpoint could not be written (the previous one stays).
        """
        self._check_writable()
        if held_back:
            self._write_pending()
        else:
            self._join_writer()
        self._join_compactor()  # readers get the compacted database
        if self.path is None:
            return None
        raw = self._raw()
        snaps = self.path / SNAPSHOTS
        snaps.mkdir(exist_ok=True)
        name = f"{time.time_ns():020d}-{os.getpid()}"
        target = snaps / name
        lock = target.with_suffix(".lock")
        try:
            lock.touch()
            raw.flush()
            raw.backup(str(target))
            tmp = snaps / f".{_CURRENT}.{os.getpid()}"
            with open(tmp, "w", encoding="ascii") as fh:
                fh.write(name + "\n")
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, snaps / _CURRENT)
        except OSError as exc:
            shutil.rmtree(target, ignore_errors=True)
            raise StoreError(f"publishing a snapshot of {self.path} failed: {exc}") from None
        self._dirty = bool(self._pending)
        self._collect_snapshots(keep=name)
        return target

    def _collect_snapshots(self, *, keep: str) -> None:
        """Delete superseded snapshots (and leftovers of interrupted ones) no reader holds."""
        assert self.path is not None
        snaps = self.path / SNAPSHOTS
        names = {p.name.removesuffix(".lock") for p in snaps.iterdir()
                 if not p.name.startswith(".") and p.name != _CURRENT}
        for n in names - {keep}:
            lock = snaps / f"{n}.lock"
            try:
                fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError:
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue  # a reader still has it open
            try:
                shutil.rmtree(snaps / n, ignore_errors=True)
                lock.unlink(missing_ok=True)
            finally:
                os.close(fd)

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

    # -- writing ----------------------------------------------------------------------
    @property
    def pending_quads(self) -> int:
        """Quads of new graphs held back for the next batched write (0: none)."""
        return self._pending_quads

    @property
    def writing(self) -> bool:
        """Whether a batch of new graphs is being written in the background."""
        return self._writer is not None and self._writer.thread.is_alive()

    def _check_writable(self) -> None:
        if self.read_only:
            raise StoreError(f"store {self.path} is open read-only")

    def _update(self, ops: list[str], what: str) -> None:
        self._write_pending()  # (and wait for a background write)
        self._dirty = True
        self._update_raw(ops, what)

    def _update_raw(self, ops: list[str], what: str) -> None:
        if not ops:
            return
        try:
            self._raw().update(" ;\n".join(ops))
        except (OSError, SyntaxError, ValueError, RuntimeError) as exc:
            raise StoreError(f"{what} failed: {exc}") from None

    @staticmethod
    def _manifest_ops(manifest: Mapping[str, str | Iterable[str]] | None) -> list[str]:
        ops: list[str] = []
        lines: list[str] = []
        for report, paths in (manifest or {}).items():
            ops.append(f"DELETE WHERE {{ GRAPH <{MANIFEST_GRAPH}> {{ <{report}> ?p ?o }} }}")
            for path in ([paths] if isinstance(paths, str) else sorted(paths)):
                lines.append(f"<{report}> <{OKG.localPath}> {ox.Literal(path)} .")
        if lines:
            ops.append(f"INSERT DATA {{ GRAPH <{MANIFEST_GRAPH}> {{\n" + "\n".join(lines)
                       + "\n} }")
        return ops

    @staticmethod
    def _drop_ops(graphs: Iterable[str]) -> list[str]:
        ops = []
        for g in graphs:
            ops.append(f"DROP SILENT GRAPH <{g}>")
            if g.startswith(report_graph("")):
                old = report_iri(g.rsplit("/", 1)[-1])
                ops.append(f"DELETE WHERE {{ GRAPH <{MANIFEST_GRAPH}> {{ <{old}> ?p ?o }} }}")
        return ops

    def replace_graphs(self, graph: str, ntriples: str, *, drop: Iterable[str] = (),
                       manifest: Mapping[str, str | Iterable[str]] | None = None,
                       batch: bool = False) -> None:
        """Atomically replace named graph ``graph`` with ``ntriples``.

        In the same transaction, drop the graphs in ``drop`` (with the manifest entries of
        dropped report graphs) and set ``manifest`` (report IRI -> absolute source path,
        or every path it was built from).  Either all of it is written or none of it.

        With ``batch``, a new graph (nothing to drop or replace) may be held back and
        written together with the next ones -- at the latest when the store is next read,
        written otherwise, published or closed -- which saves RocksDB much compaction
        work; each graph of a batch is still wholly written or not at all.

        Raises:
            StoreError: the update failed (nothing was written); with ``batch``, also the
                write of the held-back graphs failed (none of them was written).
        """
        self._check_writable()
        drop = list(drop)
        if self._load_new(graph, ntriples, drop, manifest, batch=batch):
            return
        ops = self._drop_ops([g for g in drop if g != graph])
        ops.append(f"DROP SILENT GRAPH <{graph}>")
        ops += self._manifest_ops(manifest)
        if ntriples.strip():
            ops.append(f"INSERT DATA {{ GRAPH <{graph}> {{\n{ntriples}\n}} }}")
        self._update(ops, f"writing graph {graph}")

    def _load_new(self, graph: str, ntriples: str, drop: list[str],
                  manifest: Mapping[str, str | Iterable[str]] | None, *,
                  batch: bool = False) -> bool:
        """The common case of a build -- a new graph, nothing to drop, manifest entries
        only for new reports -- held back as N-Quads for :meth:`_write_pending` (written
        at once unless ``batch``).  Returns False (nothing held) when the general path,
        one SPARQL update, is needed."""
        body = ntriples if ntriples.endswith("\n") else ntriples + "\n"
        if drop or body.count("\n") != body.count(" .\n") or not ntriples.strip():
            return False  # something to drop, or not plain one-triple-per-line N-Triples
        ox_store = self._raw()
        g = ox.NamedNode(graph)
        held = {x for pg, reports, _ in self._pending for x in (pg, *reports)} | self._writing
        if graph in held or next(iter(ox_store.quads_for_pattern(None, None, None, g)),
                                 None) is not None:
            return False
        mg = ox.NamedNode(MANIFEST_GRAPH)
        lines: list[str] = []
        for report, paths in (manifest or {}).items():
            if report in held or next(iter(ox_store.quads_for_pattern(
                    ox.NamedNode(report), None, None, mg)), None) is not None:
                return False
            for path in ([paths] if isinstance(paths, str) else sorted(paths)):
                lines.append(f"<{report}> <{OKG.localPath}> {ox.Literal(path)} <{MANIFEST_GRAPH}> .\n")
        # N-Triples lines end " .\n" (a newline inside a literal is always escaped)
        quads = (body.replace(" .\n", f" <{graph}> .\n") + "".join(lines)).encode("utf-8")
        self._pending.append((graph, list(manifest or {}), quads))
        self._pending_quads += quads.count(b"\n")
        if not batch:
            self._write_pending()
        elif self._pending_quads >= BATCH_QUADS:
            self._write_pending(background=True)
        return True

    def _write_pending(self, *, background: bool = False) -> None:
        """Write the held-back new graphs: fewer than :data:`SMALL_WRITE_QUADS` quads in
        one transaction, more with one bulk load.

        Oxigraph's bulk loader (sorted SST files ingested into RocksDB) is ~2x faster than
        a transactional load, and one load per batch rather than per graph saves RocksDB
        ~40 % of its compaction work, but it is not atomic, so the graphs are journalled
        first: a write interrupted (crash, kill, bad data) leaves the journal entries, and
        the graphs and their manifest entries are dropped -- here on error, else when the
        store is next opened for writing -- so each document is wholly in the store or not
        at all.  Readers of other processes are unaffected: they read snapshots, published
        only between writes.

        With ``background``, the batch is written by a writer thread while the caller goes
        on (extracting, reading the next outcomes); a previous background write is
        waited for first, and so is one in flight before any other use of the store, which
        raises its error, if any, there.
        """
        self._join_writer()
        if not self._pending:
            return
        batch, n_quads = self._pending, self._pending_quads
        self._pending, self._pending_quads = [], 0
        self._dirty = True
        if not background or n_quads < SMALL_WRITE_QUADS:
            self._write_batch(batch, n_quads)
            return
        self._writing = {x for g, reports, _ in batch for x in (g, *reports)}
        self._writer = _Background("ofsted-kg-store-writer",
                                   lambda: self._write_batch(batch, n_quads),
                                   f"writing {len(batch)} graphs")

    def _join_writer(self) -> None:
        """Wait for the background write, if any; raise its error."""
        w = self._writer
        if w is None or w.thread is threading.current_thread():
            return
        self._writer, self._writing = None, set()
        w.join()

    def _write_batch(self, batch: list[tuple[str, list[str], bytes]], n_quads: int) -> None:
        """One batch of new graphs, all of it or none (see :meth:`_write_pending`); uses
        the raw store only (it may run in the writer thread)."""
        what = (f"writing graph {batch[0][0]}" if len(batch) == 1
                else f"writing {len(batch)} graphs")
        raw = self._raw()
        if n_quads < SMALL_WRITE_QUADS:
            try:  # one transaction: all of it or nothing
                raw.load(b"".join(q for _, _, q in batch), format=ox.RdfFormat.N_QUADS,
                         lenient=True)
            except (OSError, SyntaxError, ValueError, RuntimeError, UnicodeError) as exc:
                raise StoreError(f"{what} failed: {exc}") from None
            return
        entries = " ".join(f"<{g}> <{_LOADING}> <{g}> ." for g, _, _ in batch)
        self._update_raw([f"INSERT DATA {{ GRAPH <{JOURNAL_GRAPH}> {{ {entries} }} }}"], what)
        try:
            raw.bulk_load(b"".join(q for _, _, q in batch), format=ox.RdfFormat.N_QUADS,
                          lenient=True)
        except (OSError, SyntaxError, ValueError, RuntimeError, UnicodeError) as exc:
            self._recover()
            raise StoreError(f"{what} failed: {exc}") from None
        # dropping the journal graph leaves no empty named graph behind
        self._update_raw([f"DROP SILENT GRAPH <{JOURNAL_GRAPH}>"], what)

    def _recover(self) -> None:
        """Drop the graphs (and manifest entries) of bulk loads that did not finish."""
        jg = ox.NamedNode(JOURNAL_GRAPH)
        pending = sorted({q.subject.value for q in
                          self._raw().quads_for_pattern(None, None, None, jg)})
        if not pending:
            return
        self._update_raw(self._drop_ops(pending) + [f"DROP SILENT GRAPH <{JOURNAL_GRAPH}>"],
                         f"recovering interrupted writes in {self.path}")

    def optimize(self, *, background: bool = False) -> None:
        """Compact the database for reading (after a build that wrote documents).

        Bulk loads leave RocksDB many overlapping files; a compaction roughly halves the
        named queries' time on a national store (8.5 s for 3.6 M quads), and the next
        snapshot readers get is the compacted database.  With ``background``, held-back
        graphs are written first, then the compaction runs in a thread while the caller
        goes on reading and writing (a build computes its links meanwhile); the next
        :meth:`publish`, :meth:`optimize` or :meth:`close` waits for it.

        Raises:
            StoreError: the store is read-only or cannot be written (with ``background``,
                a failed compaction is raised by the next :meth:`publish` or
                :meth:`optimize`).
        """
        self._check_writable()
        self._join_compactor()
        raw = self.oxigraph  # writes what is held back, waits for a write in flight
        if not background:
            self._compact(raw)
            return
        self._compactor = _Background("ofsted-kg-store-compactor", lambda: self._compact(raw),
                                      f"optimizing {self.path}")

    def _compact(self, raw: ox.Store) -> None:
        try:
            raw.optimize()
        except OSError as exc:
            raise StoreError(f"optimizing {self.path} failed: {exc}") from None

    def _join_compactor(self) -> None:
        """Wait for a background compaction, if any; raise its error."""
        c, self._compactor = self._compactor, None
        if c is not None:
            c.join()

    def update_manifest(self, manifest: Mapping[str, str | Iterable[str]], *,
                        drop: Iterable[str] = ()) -> None:
        """Atomically set the source paths of reports (and drop graphs), nothing else.

        Raises:
            StoreError: the update failed (nothing was written).
        """
        self._check_writable()
        self._update(self._drop_ops(drop) + self._manifest_ops(manifest), "updating manifest")

    def drop_graphs(self, graphs: Iterable[str], *, reports: Iterable[str] = ()) -> None:
        """Atomically drop named graphs and the manifest entries of ``reports``.

        Raises:
            StoreError: the update failed (nothing was removed).
        """
        self._check_writable()
        ops = self._drop_ops(graphs)
        ops += [f"DELETE WHERE {{ GRAPH <{MANIFEST_GRAPH}> {{ <{r}> ?p ?o }} }}" for r in reports]
        self._update(ops, "removing graphs")

    def load_graph(self, graph: str, data: bytes | str, *, format: str = "text/turtle") -> None:
        """Atomically replace ``graph`` with RDF ``data`` (Turtle by default).

        Raises:
            StoreError: unknown format, unparsable data, or the write failed.
        """
        self._check_writable()
        fmt = ox.RdfFormat.from_media_type(format)
        if fmt is None:
            raise StoreError(f"unknown RDF media type {format}")
        try:
            triples = [ox.Triple(q.subject, q.predicate, q.object)
                       for q in ox.parse(data, format=fmt)]
        except SyntaxError as exc:
            raise StoreError(f"cannot parse data for graph {graph}: {exc}") from None
        nt = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
        self.replace_graphs(graph, nt.decode() if isinstance(nt, bytes) else nt)

    # -- reading ----------------------------------------------------------------------
    def has_graph(self, graph: str) -> bool:
        """Whether named graph ``graph`` holds any triple."""
        return any(True for _ in self._reader().quads_for_pattern(
            None, None, None, ox.NamedNode(graph)))

    def documents(self) -> list[DocumentEntry]:
        """Every source document in the store, with the paths it was built from."""
        rows = self.select(
            f"SELECT ?sha ?f WHERE {{ GRAPH ?g {{ ?r a <{OKG.Report}> ; <{OKG.sha256}> ?sha }}"
            f" FILTER(STRSTARTS(STR(?g), \"{report_graph('')}\"))"
            f" OPTIONAL {{ GRAPH <{MANIFEST_GRAPH}> {{ ?r <{OKG.localPath}> ?f }} }} }}"
        )
        paths: dict[str, set[str]] = {}
        for r in rows:
            ps = paths.setdefault(str(r["sha"]), set())
            if r.get("f"):
                ps.add(str(r["f"]))
        return [DocumentEntry(sha, report_graph(sha), min(ps) if ps else "", tuple(sorted(ps)))
                for sha, ps in sorted(paths.items())]

    def count(self, graph: str | None = None) -> int:
        """Number of quads (in one named graph, or in the whole store)."""
        if graph is None:
            return len(self._reader())
        g = ox.NamedNode(graph)
        return sum(1 for _ in self._reader().quads_for_pattern(None, None, None, g))

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
        """Every quad (of one graph, or of the whole store)."""
        g = ox.NamedNode(graph) if graph else None
        return self._reader().quads_for_pattern(None, None, None, g)

    def _reader(self) -> ox.Store:
        self._write_pending()  # a reader sees every write made so far
        return self._raw()

    def _raw(self) -> ox.Store:
        if self._ox is None:
            raise StoreError("store is closed")
        return self._ox


class _Background:
    """One store operation in a daemon thread (pyoxigraph releases the GIL while RocksDB
    works); its error is raised to whoever waits for it, never lost."""

    def __init__(self, name: str, fn: Callable[[], None], what: str) -> None:
        self.error: StoreError | None = None
        self.thread = threading.Thread(target=self._run, args=(fn, what), name=name,
                                       daemon=True)
        self.thread.start()

    def _run(self, fn: Callable[[], None], what: str) -> None:
        try:
            fn()
        except StoreError as exc:
            self.error = exc
        except BaseException as exc:  # noqa: BLE001 -- reported to the caller, not lost
            self.error = StoreError(f"{what} failed: {exc!r}")

    def join(self) -> None:
        """Wait for the operation; raise its error."""
        self.thread.join()
        if self.error is not None:
            raise self.error


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
