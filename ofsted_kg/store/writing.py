"""Writing a store: atomic graph replacement, batched journalled bulk loads in a writer
thread, compaction (a mixin of :class:`.core.Store`)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping

import pyoxigraph as ox

from ..errors import StoreError
from ..ontology.namespaces import OA, OKG
from .names import (
    _LOADING,
    BATCH_QUADS,
    JOURNAL_GRAPH,
    MANIFEST_GRAPH,
    SMALL_WRITE_QUADS,
    item_prefixes,
    report_iri,
    report_sha,
)


def _item_drop_ops(graph: str) -> list[str]:
    """Delete the items (and their quotes) of report graph ``graph`` from the default
    graph, where the store keeps them (found by their ``oa:hasSource``; an update's
    WHERE reads the default graph only)."""
    sha = report_sha(graph)
    if sha is None:
        return []
    rep, src, sel = report_iri(sha), OA.hasSource, OA.hasSelector
    return [f"DELETE {{ ?q ?p ?o }} WHERE {{ ?i <{src}> <{rep}> ; <{sel}> ?q . ?q ?p ?o }}",
            f"DELETE {{ ?i ?p ?o }} WHERE {{ ?i <{src}> <{rep}> . ?i ?p ?o }}"]


def _route(graph: str, lines: Iterable[str]) -> tuple[list[str], list[str]]:
    """Split one document's N-Triples lines into its named graph's and its items' (which
    the store keeps in the default graph; none unless ``graph`` is a report graph)."""
    sha = report_sha(graph)
    if sha is None:
        return list(lines), []
    starts = tuple("<" + p for p in item_prefixes(sha))
    named: list[str] = []
    items: list[str] = []
    for line in lines:
        (items if line.startswith(starts) else named).append(line)
    return named, items


class _Writes:
    """The writing half of a :class:`~.core.Store`."""

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
            sha = report_sha(g)
            if sha is not None:
                ops += _item_drop_ops(g)
                old = report_iri(sha)
                ops.append(f"DELETE WHERE {{ GRAPH <{MANIFEST_GRAPH}> {{ <{old}> ?p ?o }} }}")
        return ops

    def replace_graphs(self, graph: str, ntriples: str | bytes, *, drop: Iterable[str] = (),
                       manifest: Mapping[str, str | Iterable[str]] | None = None,
                       batch: bool = False) -> None:
        """Atomically replace named graph ``graph`` with ``ntriples``.

        ``ntriples`` is N-Triples text, or UTF-8 N-Quads bytes of graph ``graph``, one quad
        a line (what the build's workers write: the form the store loads).  A report
        graph's items (subjects under :data:`~.names.ITEM_NAMESPACES` with its SHA-256)
        are kept in the default graph: lines are routed by their subject (a new graph's
        N-Quads are loaded as the workers write them, an item's line a triple).

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
        if isinstance(ntriples, bytes):  # the general path is a SPARQL update: N-Triples
            ntriples = ntriples.decode("utf-8").replace(f" <{graph}> .\n", " .\n")
        # (split at newlines only: a literal may hold U+2028, which splitlines splits at)
        named, items = _route(graph, (ln + "\n" for ln in ntriples.split("\n") if ln.strip()))
        ops = self._drop_ops([g for g in drop if g != graph])
        ops.append(f"DROP SILENT GRAPH <{graph}>")
        ops += _item_drop_ops(graph)
        ops += self._manifest_ops(manifest)
        if items:
            ops.append("INSERT DATA {\n" + "".join(items) + "}")
        if named:
            ops.append(f"INSERT DATA {{ GRAPH <{graph}> {{\n" + "".join(named) + "} }")
        self._update(ops, f"writing graph {graph}")

    def _load_new(self, graph: str, ntriples: str | bytes, drop: list[str],
                  manifest: Mapping[str, str | Iterable[str]] | None, *,
                  batch: bool = False) -> bool:
        """The common case of a build -- a new graph, nothing to drop, manifest entries
        only for new reports -- held back as N-Quads for :meth:`_write_pending` (written
        at once unless ``batch``).  Returns False (nothing held) when the general path,
        one SPARQL update, is needed."""
        if isinstance(ntriples, bytes):
            if drop or not ntriples or ntriples.isspace():
                return False
        else:
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
        if isinstance(ntriples, bytes):
            quads = ntriples + "".join(lines).encode("utf-8")
        else:  # N-Triples lines end " .\n" (a newline inside a literal is always escaped)
            named, items = _route(graph, (ln + "\n" for ln in body.split("\n")[:-1]))
            quads = ("".join(named).replace(" .\n", f" <{graph}> .\n") + "".join(items)
                     + "".join(lines)).encode("utf-8")
        self._pending.append((graph, list(manifest or {}), quads))
        self._pending_quads += quads.count(b"\n")
        if not batch:
            self._write_pending()
        elif self._pending_quads >= BATCH_QUADS:
            self._write_pending(background=True)
        return True

    def write_pending(self, *, background: bool = False) -> None:
        """Write the graphs held back by ``replace_graphs(..., batch=True)`` now (with
        ``background``, in the writer thread: :attr:`writing` says when it is done).

        Raises:
            StoreError: the write failed (none of those graphs was written); with
                ``background``, raised by the next use of the store.
        """
        self._check_writable()
        self._write_pending(background=background)

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
        """Drop the graphs (and manifest entries, and items) of bulk loads that did not
        finish.  An interrupted bulk load may have written part of an item (not its
        ``oa:hasSource``), so the items are found here by their IRIs, in one scan of the
        default graph."""
        jg = ox.NamedNode(JOURNAL_GRAPH)
        pending = sorted({q.subject.value for q in
                          self._raw().quads_for_pattern(None, None, None, jg)})
        if not pending:
            return
        ops = self._drop_ops(pending)
        prefixes = [p for g in pending if (sha := report_sha(g)) for p in item_prefixes(sha)]
        if prefixes:
            test = " || ".join(f"STRSTARTS(STR(?s), {ox.Literal(p)})" for p in prefixes)
            ops.append(f"DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o FILTER({test}) }}")
        self._update_raw(ops + [f"DROP SILENT GRAPH <{JOURNAL_GRAPH}>"],
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
