"""Replacing an authority's links graph in one atomic write; which links are stale."""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

import pyoxigraph as ox

from ...ontology.namespaces import ID
from ...store import Store, links_graph
from .compute import compute, fingerprint
from .read import (
    _GSS as _GSS_KEY,
    LINKS_PREFIX,
    _authority_rows,
    _Doc,
    _Item,
    _read_docs,
    _read_items,
    _read_vocab,
    _resolve,
    _Vocab,
    _vocabulary_digest,
    authority_key,
)
from .records import Known, from_known

__all__ = ["LinkState", "authority_reports", "relink", "relink_all", "stale_authorities"]


def relink(store: Store, authorities: Iterable[str], *, jobs: int = 1,
           known: Mapping[str, Known] | None = None,
           current: Mapping[str, set[str]] | None = None, vocab: _Vocab | None = None,
           on_submitted: Callable[[], None] | None = None) -> None:
    """Recompute the links graph of each authority given (GSS code, name or IRI).

    Each authority's graph ``graph/links/<key>`` is replaced atomically (a new one is held
    back and written with the others -- in a pool, those computed so far in the background
    once the last ones are computing, the rest at the store's next read -- in a load or two
    instead of one transaction each); an authority with no report left in the store has
    its links graph dropped.  With
    ``jobs`` > 1 and several authorities, the (pure) computation runs in that many worker
    processes while this process reads the next authorities and writes the results.
    ``known`` (SHA-256 -> :class:`~.records.Known`, what a build's workers extracted): an
    authority all of whose reports are in it is linked from those, without reading its
    items back out of the store (the same links: ``tests/test_links_records.py``);
    ``current``: each authority's report SHA-256s when the caller has read them already;
    ``vocab``: the vocabulary likewise.  ``on_submitted`` is called once the authorities
    linked from ``known`` are in the workers' hands, before the store is first read: with
    ``current`` and ``vocab`` given, a build's last write (which a read would wait for)
    goes on beside their computation.

    Raises:
        StoreError: the store cannot be read or written.
    """
    keys = sorted({k for k in authorities if k and str(k).strip()})
    if not keys:
        if on_submitted is not None:
            on_submitted()
        return
    # the authorities linked from the workers' records, without reading the store
    # (a GSS key resolves without it), then the others
    shas_of = current if current is not None else {}
    mem: list[tuple[str, str, str, list[_Doc], list[_Item]]] = []
    rest: list[str] = []
    for k in keys:
        got = None
        if known and shas_of.get(k) and _GSS_KEY.match(k):
            auth = _resolve(store, k)[0]  # (a GSS key: no store read)
            got = from_known(known, shas_of[k], auth)
        if got is not None:
            mem.append((k, auth, links_graph(k), *got))
        else:
            rest.append(k)
    if not mem and on_submitted is not None:
        on_submitted()
        on_submitted = None
    if vocab is None:
        vocab = _read_vocab(store)
    if rest and known and current is None:
        shas_of = authority_reports(store)

    def stored() -> Iterator[tuple[str, str, str, list[_Doc], list[_Item]]]:
        for k in rest:
            auth, key = _resolve(store, str(k))
            graph = links_graph(key)
            got = from_known(known, shas_of[key], auth) if (
                known and auth is not None and shas_of.get(key)) else None
            if got is not None:
                yield key, auth, graph, *got  # type: ignore[misc]
                continue
            docs = _read_docs(store, auth) if auth is not None else []
            if auth is None or not docs:
                store.drop_graphs([graph])
                continue
            yield key, auth, graph, docs, _read_items(store, auth, vocab)

    if jobs <= 1 or len(keys) < _PARALLEL_MIN:
        if on_submitted is not None:
            on_submitted()
        for key, auth, graph, docs, items in [*mem, *stored()]:
            store.replace_graphs(graph, _compute_nt(docs, items, vocab, key, auth, graph),
                                 batch=True)
        return
    from concurrent.futures import FIRST_COMPLETED, Future, wait

    from ..pool import worker_pool

    with worker_pool(jobs) as pool:
        pending: dict[Future[str], str] = {}

        def drain(until: int) -> None:
            while len(pending) > until:
                done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
                for fut in sorted(done, key=lambda f: pending[f]):
                    store.replace_graphs(pending.pop(fut), fut.result(), batch=True)

        # the records are in memory already: all of them handed out at once, so the
        # workers are busy while on_submitted waits (their graphs are a few hundred
        # kilobytes each), the largest authorities first (by items, what their time goes
        # with), so the workers finish together; those read from the store, a few at a time
        for key, auth, graph, docs, items in sorted(mem, key=lambda m: (-len(m[4]), m[0])):
            pending[pool.submit(_compute_nt, docs, items, vocab, key, auth, graph)] = graph
        if on_submitted is not None:
            on_submitted()
        for key, auth, graph, docs, items in stored():
            pending[pool.submit(_compute_nt, docs, items, vocab, key, auth, graph)] = graph
            drain(2 * jobs)  # bounded: memory stays flat on a national store
        # once a worker is idle with nothing left to hand out, the links graphs held back
        # so far are written in the background beside the last computations (not after
        # them, while every core but one waits); the last few at the store's next read
        drain(jobs - 1)
        if store.path is not None:
            store.write_pending(background=True)
        drain(0)


_PARALLEL_MIN = 4  # fewer authorities than this: worker start-up would cost more


def _compute_nt(docs: list[_Doc], items: list[_Item], vocab: _Vocab, key: str, auth: str,
                graph: str) -> str:
    """:func:`compute` as N-Triples text (module-level: it runs in worker processes)."""
    with _collector_paused():
        nt = ox.serialize(compute(docs, items, vocab, key=key, auth=auth, graph=graph),
                          format=ox.RdfFormat.N_TRIPLES)
    return nt.decode() if isinstance(nt, bytes) else str(nt)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector held off for one authority's computation (when it
    was on): the computation allocates millions of short-lived containers and leaves no
    reference cycle behind (a collection after it, over the corpus's authorities, frees
    nothing), so the collector's passes during it -- full ones over the whole heap among
    them -- are pure overhead: some 8% of the links CPU.  What it frees, refcounting
    frees as before; a cycle some change left would wait for the next collection."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def authority_reports(store: Store) -> dict[str, set[str]]:
    """Each authority's links-graph key -> the SHA-256s of its reports in the store."""
    cur: dict[str, set[str]] = defaultdict(set)
    for r in _authority_rows(store):
        cur[authority_key(r.get("gss"), r.get("name"))].add(str(r["sha"]))  # type: ignore[arg-type]
    return cur


def stale_authorities(store: Store, *, current: Mapping[str, set[str]] | None = None
                      ) -> set[str]:
    """Keys of the authorities whose links graph is missing or out of date.

    Out of date: computed from another set of reports (or by another algorithm version)
    than the store now holds; a links graph whose authority has no report left is stale
    too (relinking drops it).  ``current``: as for :func:`relink`.

    Raises:
        StoreError: the store cannot be read.
    """
    cur = current if current is not None else authority_reports(store)
    return _stale(cur, _recorded(store), _vocabulary_digest(store))


def _recorded(store: Store) -> dict[str, str]:
    """Each links graph's key -> the fingerprint it records."""
    return {str(r["g"])[len(LINKS_PREFIX):]: str(r["d"]) for r in store.select(
        f"""SELECT ?g ?d WHERE {{ GRAPH ?g {{ ?g okg:sha256 ?d }}
            FILTER(STRSTARTS(STR(?g), "{LINKS_PREFIX}")) }}""", union=False)}


def _stale(cur: Mapping[str, set[str]], recorded: Mapping[str, str], digest: str) -> set[str]:
    stale = {k for k, shas in cur.items() if recorded.get(k) != fingerprint(shas, digest)}
    stale |= {k for k in recorded if k not in cur}
    return stale


@dataclass(slots=True)
class LinkState:
    """What relinking after a build needs of the store -- each authority's reports, the
    fingerprints its links graphs record, the vocabulary -- read before the build writes
    (:meth:`read`) and kept up to date with what it writes (:meth:`wrote`,
    :meth:`dropped`), so that the links of the authorities it built are computed while
    its last documents are still being written (a read would wait for that write).

    ``exact`` is False once a report of an authority without a GSS code is written: its
    key comes from names the store may spell otherwise in another report; the caller then
    reads the store instead (:func:`authority_reports`).
    """

    current: dict[str, set[str]]
    recorded: dict[str, str]
    digest: str
    vocab: _Vocab
    exact: bool = True

    @classmethod
    def read(cls, store: Store) -> LinkState:
        """Raises: StoreError: the store cannot be read."""
        return cls(authority_reports(store), _recorded(store), _vocabulary_digest(store),
                   _read_vocab(store))

    def wrote(self, sha: str, authority: str | None) -> None:
        """Report ``sha`` was (re)written, of the authority with IRI ``authority`` (None:
        of no authority)."""
        self.dropped([sha])
        if authority is None:
            return
        gss = authority.rsplit("/", 1)[-1]
        if authority != str(ID[f"authority/{gss}"]) or not _GSS_KEY.match(gss):
            self.exact = False  # no GSS code: keyed by the names the store holds
            return
        self.current.setdefault(gss, set()).add(sha)

    def dropped(self, shas: Iterable[str]) -> None:
        """Reports ``shas`` left the store."""
        for sha in shas:
            for k in [k for k, v in self.current.items() if sha in v]:
                self.current[k].discard(sha)
                if not self.current[k]:
                    del self.current[k]

    def stale(self) -> set[str]:
        """As :func:`stale_authorities` would read it now."""
        return _stale(self.current, self.recorded, self.digest)


def relink_all(store: Store, *, only_stale: bool = True, jobs: int = 1,
               known: Mapping[str, Known] | None = None) -> set[str]:
    """Relink every stale authority (or every authority); returns the keys relinked.
    ``known``: as for :func:`relink`.  The authorities' report sets are read once.

    Raises:
        StoreError: the store cannot be read or written.
    """
    cur = authority_reports(store)
    keys = stale_authorities(store, current=cur) if only_stale else set(cur)
    relink(store, keys, jobs=jobs, known=known, current=cur)
    return keys