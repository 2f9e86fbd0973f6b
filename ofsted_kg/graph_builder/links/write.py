"""Replacing an authority's links graph in one atomic write; which links are stale."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping

import pyoxigraph as ox

from ...store import Store, links_graph
from .compute import compute, fingerprint
from .read import (
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

__all__ = ["authority_reports", "relink", "relink_all", "stale_authorities"]


def relink(store: Store, authorities: Iterable[str], *, jobs: int = 1,
           known: Mapping[str, Known] | None = None,
           current: Mapping[str, set[str]] | None = None) -> None:
    """Recompute the links graph of each authority given (GSS code, name or IRI).

    Each authority's graph ``graph/links/<key>`` is replaced atomically (a new one is held
    back and written with the others at the store's next read, in one load instead of one
    transaction each); an authority with no report left in the store has its links graph
    dropped.  With
    ``jobs`` > 1 and several authorities, the (pure) computation runs in that many worker
    processes while this process reads the next authorities and writes the results.
    ``known`` (SHA-256 -> :class:`~.records.Known`, what a build's workers extracted): an
    authority all of whose reports are in it is linked from those, without reading its
    items back out of the store (the same links: ``tests/test_links_records.py``);
    ``current``: each authority's report SHA-256s when the caller has read them already.

    Raises:
        StoreError: the store cannot be read or written.
    """
    keys = sorted({k for k in authorities if k and str(k).strip()})
    if not keys:
        return
    vocab = _read_vocab(store)
    shas_of = (current if current is not None else authority_reports(store)) if known else {}

    def inputs() -> Iterator[tuple[str, str, str, list[_Doc], list[_Item]]]:
        for k in keys:
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
        for key, auth, graph, docs, items in inputs():
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

        for key, auth, graph, docs, items in inputs():
            pending[pool.submit(_compute_nt, docs, items, vocab, key, auth, graph)] = graph
            drain(2 * jobs)  # bounded: memory stays flat on a national store
        drain(0)


_PARALLEL_MIN = 4  # fewer authorities than this: worker start-up would cost more


def _compute_nt(docs: list[_Doc], items: list[_Item], vocab: _Vocab, key: str, auth: str,
                graph: str) -> str:
    """:func:`compute` as N-Triples text (module-level: it runs in worker processes)."""
    nt = ox.serialize(compute(docs, items, vocab, key=key, auth=auth, graph=graph),
                      format=ox.RdfFormat.N_TRIPLES)
    return nt.decode() if isinstance(nt, bytes) else str(nt)


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
    recorded = {str(r["g"])[len(LINKS_PREFIX):]: str(r["d"]) for r in store.select(
        f"""SELECT ?g ?d WHERE {{ GRAPH ?g {{ ?g okg:sha256 ?d }}
            FILTER(STRSTARTS(STR(?g), "{LINKS_PREFIX}")) }}""", union=False)}
    cur = current if current is not None else authority_reports(store)
    digest = _vocabulary_digest(store)
    stale = {k for k, shas in cur.items() if recorded.get(k) != fingerprint(shas, digest)}
    stale |= {k for k in recorded if k not in cur}
    return stale


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