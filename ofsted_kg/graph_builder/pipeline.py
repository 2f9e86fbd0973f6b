"""Build the graph: files -> records (in worker processes) -> one named graph each.

Workers read and extract (the expensive part) and return plain data: the record and its
N-Quads.  Only the parent writes, one atomic transaction per document, so a crash or a
kill leaves every document either wholly in the store or not at all.  Unchanged files
(same SHA-256 already stored) are skipped; a changed file replaces its old graph in the
same transaction.  After the documents, the cross-visit links of every authority whose
set of reports differs from the one its links were computed from are recomputed (so a
run killed before relinking is repaired by the next one).  A worker that crashes (e.g.
PDFium on a damaged file) costs only its file: the pool is restarted and the suspects
re-run one by one.  Readers see the store through snapshots published after each batch.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..store import Store, open_store, report_graph, report_iri
from .inputs import Failure, _sha256, collect_files
from .pool import (
    _IN_FLIGHT,
    _n_jobs,
    _Outcome,
    _outcomes,
    start_fork_server,
)
from .rdf import GRAPH_MODEL

if TYPE_CHECKING:
    from .links import LinkState

__all__ = ["build", "collect_files", "relink_stale", "BuildSummary", "Failure", "Progress"]

#: Publish a snapshot for readers at least this often during a build (seconds).
PUBLISH_EVERY = 2.0  # (between two batched writes, see handle() in _build, ...
PUBLISH_LAG = 5  # ... or at the latest after PUBLISH_LAG times as long)
COMPACT_AFTER = 16  # documents built: compact the store at the end of such a build



@dataclass(slots=True)
class Progress:
    """Sent to the ``on_progress`` callback after each file."""

    done: int
    total: int
    current: str
    failures: int
    elapsed: float


@dataclass(slots=True)
class BuildSummary:
    """What a build did."""

    built: int = 0
    skipped: int = 0  # unchanged since the last build
    outdated: int = 0  # unchanged files rebuilt: stored with another graph model
    by_type: Counter[str] = field(default_factory=Counter)
    authorities: set[str] = field(default_factory=set)
    concerns: int = 0
    findings: int = 0
    triples: int = 0  # triples written by this build
    store_quads: int = 0  # quads in the store afterwards
    failures: list[Failure] = field(default_factory=list)
    doubtful: list[tuple[str, list[str]]] = field(default_factory=list)  # (path, failed checks)
    relinked: int = 0  # authorities whose links were recomputed
    stopped: bool = False  # --strict stopped at the first failure
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failures

    def to_dict(self) -> dict[str, Any]:
        return {
            "built": self.built, "skipped": self.skipped, "outdated": self.outdated,
            "by_type": dict(self.by_type),
            "authorities": sorted(self.authorities), "concerns": self.concerns,
            "findings": self.findings, "triples": self.triples,
            "store_quads": self.store_quads,
            "failures": [{"path": f.path, "reason": f.reason} for f in self.failures],
            "doubtful": [{"path": p, "checks": c} for p, c in self.doubtful],
            "relinked": self.relinked, "stopped": self.stopped,
            "seconds": round(self.seconds, 3),
        }


def build(
    paths: Iterable[str | Path],
    *,
    store: Store | str | Path | None = None,
    jobs: int | None = None,
    strict: bool = False,
    force: bool = False,
    on_progress: Callable[[Progress], None] | None = None,
) -> BuildSummary:
    """Build (or update) the graph from report files and folders.

    Args:
        paths: files and folders (searched recursively for ``.pdf`` and ``.txt``).
        store: an open :class:`Store`, or a path (default: the default store path).
        jobs: worker processes (default: every core; 1 = in this process).  The workers
            come from a fork server (``spawn`` where there is none), which imports the
            calling script's main module again: a script that builds at import time must
            do it under ``if __name__ == "__main__":``, the multiprocessing rule.
        strict: stop at the first failing file (files already written stay written).
        force: rebuild files even when unchanged.
        on_progress: called after each file.

    Returns:
        A :class:`BuildSummary`; failing files are listed in it, never raised.

    Raises:
        StoreLockedError: another process is writing to the store.
        StoreError: the store cannot be opened or written.
    """
    t0 = time.perf_counter()
    own = not isinstance(store, Store)
    st = open_store(store) if own else store  # type: ignore[arg-type]
    try:
        return _build(st, paths, jobs=jobs, strict=strict, force=force,
                      on_progress=on_progress, t0=t0)
    finally:
        if own:
            st.close()


class _Manifest:
    """Which file paths each stored report was built from (kept in step with the store)."""

    def __init__(self, st: Store) -> None:
        self.paths: dict[str, set[str]] = {}
        self.sha_of: dict[str, str] = {}
        self.outdated: set[str] = set()  # stored with another graph model: rebuild
        for d in st.documents():
            self.paths[d.sha256] = set(d.paths)
            if d.graph_model != GRAPH_MODEL:
                self.outdated.add(d.sha256)
            for p in d.paths:
                self.sha_of[p] = d.sha256

    def assign(self, path: str, sha: str) -> tuple[dict[str, set[str]], list[str]]:
        """``path`` now holds ``sha``: the manifest changes and graphs to drop."""
        manifest: dict[str, set[str]] = {}
        drop: list[str] = []
        old = self.sha_of.get(path)
        if old is not None and old != sha:
            left = self.paths.get(old, set()) - {path}
            if left:
                self.paths[old] = left
                manifest[report_iri(old)] = set(left)
            else:  # the file changed: its old document goes in the same transaction
                self.paths.pop(old, None)
                drop.append(report_graph(old))
        self.sha_of[path] = sha
        self.paths.setdefault(sha, set()).add(path)
        manifest[report_iri(sha)] = set(self.paths[sha])
        return manifest, drop


def _build(st: Store, paths: Iterable[str | Path], *, jobs: int | None, strict: bool,
           force: bool, on_progress: Callable[[Progress], None] | None,
           t0: float) -> BuildSummary:
    from .vocabulary import ensure_vocabulary

    summary = BuildSummary()
    n_jobs = _n_jobs(jobs)
    if n_jobs > 1:
        start_fork_server()  # its imports overlap the hashing below
    files, missing = collect_files(paths)
    summary.failures.extend(missing)
    if strict and missing:
        summary.stopped = True
        summary.seconds = time.perf_counter() - t0
        return summary
    ensure_vocabulary(st)
    man = _Manifest(st)
    from .links import LinkState

    # what relinking needs of the store, read now and kept up to date with the writes:
    # the links of the authorities built are then computed while the last write goes on
    state = LinkState.read(st)

    todo: list[str] = []
    first_of: dict[str, str] = {}  # sha -> the file to build
    copies: dict[str, list[str]] = {}  # sha -> identical files met later in this run
    for f in files:
        sha = _sha256(f)
        if sha is not None and sha in man.outdated and not force and sha not in first_of:
            summary.outdated += 1
        elif sha is not None and sha in man.paths and not force:
            summary.skipped += 1
            abspath = os.path.abspath(f)
            if man.sha_of.get(abspath) != sha:  # a copy, a move, or changed back
                manifest, drop = man.assign(abspath, sha)
                st.update_manifest(manifest, drop=drop)
                state.dropped(g.rsplit("/", 1)[-1] for g in drop)
            continue
        if sha is not None and sha in first_of:
            copies.setdefault(first_of[sha], []).append(f)
            continue
        if sha is not None:
            first_of[sha] = f
        todo.append(f)
    if st.path is not None:
        st.publish()  # readers see the vocabulary and any earlier work at once

    total = len(todo)
    done = 0
    last_publish = time.monotonic()
    flushed = False  # held-back graphs written early for readers: publish them next
    # documents still being read once every file is handed out: then the held-back ones
    # are written (the last batch) while the workers finish
    tail = n_jobs * _IN_FLIGHT
    if n_jobs == 1 or st.path is None or len(todo) < 4 * tail:
        tail = 0  # in this process, in memory, or too few files to matter
    known: dict[str, Any] = {}  # sha -> links.records.Known of each document written

    def handle(out: _Outcome) -> bool:
        nonlocal done, last_publish, flushed, tail
        done += 1
        same = copies.get(out.path, [])
        if out.error is not None or out.record is None or out.sha256 is None:
            summary.failures.append(Failure(out.path, out.error or "unknown error"))
            summary.failures.extend(Failure(c, out.error or "unknown error") for c in same)
        else:
            _write(st, out, man, summary, same, state)
            if out.links is not None:
                known[out.sha256] = out.links
        # publish what is written, between two batches' writes (the store writes a full
        # batch in the background): forcing the held-back graphs out at each snapshot
        # would mean many small bulk loads, which cost RocksDB far more than a few large
        # ones.  When readers would otherwise lag PUBLISH_LAG times PUBLISH_EVERY behind,
        # the held-back graphs are written now -- in the background too, so this process
        # keeps the workers fed (a write here stalled them for seconds) -- and the next
        # snapshot, once that write is done, shows them
        since = time.monotonic() - last_publish
        if tail and total - done <= tail and st.pending_quads and not st.writing:
            # the last documents are in flight: write what is held back now, beside
            # them, rather than after the last one while the workers wait for the links
            st.write_pending(background=True)
            tail = 0
        elif st.path is not None and since >= PUBLISH_EVERY and not st.writing:
            if since >= PUBLISH_EVERY * PUBLISH_LAG and st.pending_quads and not flushed:
                st.write_pending(background=True)
                flushed = True
            else:
                st.publish(held_back=False)
                last_publish, flushed = time.monotonic(), False
        if on_progress is not None:
            on_progress(Progress(done, total, out.path, len(summary.failures),
                                 time.perf_counter() - t0))
        if strict and summary.failures:
            summary.stopped = True
            return False
        return True

    for out in _outcomes(todo, jobs):
        if not handle(out):
            break

    compact = None
    if st.path is not None and summary.built >= COMPACT_AFTER:
        # bulk loads leave RocksDB overlapping files and snapshots never compact: after a
        # large build, compacting makes queries faster (1.2-2 x); it starts once the last
        # write is done, in the background, while the links are computed (from the
        # workers' records, so they do not read the items back; they are handed to the
        # workers before that write is waited for); a few changed files are not worth
        # compacting the whole store for
        def compact() -> None:
            st.optimize(background=True)
    summary.relinked = len(relink_stale(st, jobs=n_jobs, known=known, state=state,
                                        on_submitted=compact))
    summary.store_quads = st.count()
    summary.seconds = time.perf_counter() - t0
    return summary


def _write(st: Store, out: _Outcome, man: _Manifest, summary: BuildSummary,
           copies: list[str], state: LinkState | None = None) -> None:
    """One transaction: the document's graph, its paths (and identical copies' paths),
    and the drop of what these paths held before."""
    assert out.record is not None and out.sha256 is not None
    rec = out.record
    manifest: dict[str, set[str]] = {}
    drop: list[str] = []
    for p in [out.path, *copies]:
        m, d = man.assign(os.path.abspath(p), out.sha256)
        manifest.update(m)
        drop += d
    summary.skipped += len(copies)
    st.replace_graphs(report_graph(out.sha256), out.nquads, drop=drop, manifest=manifest,
                      batch=True)
    if state is not None:
        state.dropped(g.rsplit("/", 1)[-1] for g in drop)
        if out.links is None:
            state.exact = False  # (never: every outcome carries its links input)
        else:
            state.wrote(out.sha256, out.links.authority)
    summary.built += 1
    summary.by_type[rec["document_type"]] += 1
    auth = rec.get("authority") or {}
    if auth:
        summary.authorities.add(auth.get("name") or "")
    summary.concerns += len(rec.get("concerns") or [])
    summary.findings += len(rec.get("findings") or [])
    summary.triples += out.triples
    if rec.get("audit"):
        summary.doubtful.append((out.path, list(rec["audit"])))


# -- links --------------------------------------------------------------------------
def relink_stale(st: Store, *, jobs: int = 1, known: Mapping[str, Any] | None = None,
                 state: LinkState | None = None, on_submitted: Callable[[], None] | None = None
                 ) -> list[str]:
    """Recompute the links of every authority whose links graph is missing or was
    computed from another set of reports (:func:`links.stale_authorities`: each links
    graph records the fingerprint of its report set, written atomically with the links).

    So a build killed after writing documents but before relinking is repaired by the
    next one, even if that one finds every file unchanged.  ``known``: the documents this
    build extracted (:func:`links.relink`); ``state``: a :class:`links.LinkState` read
    before the build and kept up to date with its writes (the store is then not read
    for it, when the state is exact); ``on_submitted``: as for :func:`links.relink`
    (called even when nothing is stale).  Returns the keys relinked.

    Raises:
        StoreError: the store cannot be read or written.
    """
    from . import links

    vocab = None
    if state is not None and state.exact:
        cur, vocab = state.current, state.vocab
        keys = sorted(state.stale())
    else:
        cur = links.authority_reports(st)  # read once, for both
        keys = sorted(links.stale_authorities(st, current=cur))
    if keys:
        links.relink(st, keys, jobs=jobs, known=known, current=cur, vocab=vocab,
                     on_submitted=on_submitted)
    elif on_submitted is not None:
        on_submitted()
    return keys
