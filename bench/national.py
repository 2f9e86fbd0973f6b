"""A national-scale graph: the corpus's documents replicated to ~500 reports.

    python bench/national.py [--reports 500] [--concerns 5000] [--store DIR] [--keep]

Extracts every corpus PDF and seed once, then writes copies with changed identities (a new
SHA-256 per copy, the authority rotated over all 153 English authorities, dates kept) until
``--reports`` documents holding ``--concerns`` concerns are in a fresh on-disk store, each written as the build writes it
(batched journalled bulk loads, a snapshot published every 2 s), then recomputes every
authority's links (in a pool of every core) after compacting the database, as the build does.  Prints the time,
the documents/concerns/findings/quads, the store size on disk and the peak RSS (goal:
< 2 GB).  ``--keep`` leaves the store for bench/queries.py.
"""

from __future__ import annotations

import argparse
import os
import copy
import hashlib
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from _common import PeakRSS, corpus_dir, corpus_pdfs, dir_size_mb, machine, peak_rss_mb


def base_records() -> list:
    """Every corpus PDF and seed, extracted once."""
    from ofsted_kg.errors import DocumentError
    from ofsted_kg.graph_builder.extract import extract_path

    files = corpus_pdfs() + sorted(str(p) for p in (corpus_dir() / "seeds").glob("*.txt"))
    base = []
    for f in files:
        try:
            base.append(extract_path(f))
        except DocumentError:
            pass
    return base


def national_records(base: list, n_reports: int, n_concerns: int = 0) -> Iterator:
    """At least ``n_reports`` records holding at least ``n_concerns`` concerns: the base
    records, then copies with a new SHA-256 and the authority rotated over all 153
    authorities (made one at a time: flat memory)."""
    from ofsted_kg.graph_builder.authorities import all_authorities

    auths = list(all_authorities())
    made = concerns = 0
    k = 0
    while True:
        for i, rec in enumerate(base):
            if made >= n_reports and concerns >= n_concerns:
                return
            r = copy.deepcopy(rec)
            r.source.sha256 = hashlib.sha256(f"{rec.source.sha256}:{k}".encode()).hexdigest()
            if k:
                r.authority = auths[(i * 7 + k * 31) % len(auths)].ref()
            made += 1
            concerns += len(r.concerns)
            yield r
        k += 1


def write_national(records: Iterator, store_path: Path) -> dict:
    """Each record written as the build writes it (one transaction per document), then
    the links of every authority computed."""
    from ofsted_kg.graph_builder.links import relink
    from ofsted_kg.graph_builder.pipeline import PUBLISH_EVERY
    from ofsted_kg.graph_builder.rdf import record_ntriples, report_iri
    from ofsted_kg.graph_builder.vocabulary import ensure_vocabulary
    from ofsted_kg.store import open_store, report_graph

    st = open_store(store_path)
    counts = {"reports": 0, "concerns": 0, "findings": 0}
    try:
        ensure_vocabulary(st)
        t0 = time.perf_counter()
        t_rdf = 0.0
        keys = set()
        last_publish = time.monotonic()
        for r in records:
            if time.monotonic() - last_publish >= PUBLISH_EVERY:
                st.publish()  # as the build does: readers see progress, memtables flushed
                last_publish = time.monotonic()
            t1 = time.perf_counter()
            nt = record_ntriples(r)
            t_rdf += time.perf_counter() - t1
            st.replace_graphs(report_graph(r.source.sha256), nt,
                              manifest={report_iri(r.source.sha256): f"/national/{r.source.sha256}"},
                              batch=True)
            counts["reports"] += 1
            counts["concerns"] += len(r.concerns)
            counts["findings"] += len(r.findings)
            if r.authority:
                keys.add(r.authority.gss_code or r.authority.name)
        t_docs = time.perf_counter() - t0
        rss_docs = peak_rss_mb()
        t_links = time.perf_counter()
        st.optimize()  # as the build does: compact, then compute the links
        t_opt = time.perf_counter() - t_links
        relink(st, keys, jobs=os.cpu_count() or 1)  # as the build does
        t_all = time.perf_counter() - t0
        st.publish()
        t_pub = time.perf_counter() - t0 - t_all
        quads = st.count()  # (the items are in the default graph: GRAPH ?g misses them)
    finally:
        st.close()
    return {"rss_docs_mb": rss_docs, "write_s": t_docs, "rdf_s": t_rdf, "total_s": t_all, "publish_s": t_pub,
            "optimize_s": t_opt,
            "quads": quads, "authorities": len(keys), **counts}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=500)
    ap.add_argument("--concerns", type=int, default=5000)
    ap.add_argument("--store", type=Path, default=None)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    print(machine())
    t0 = time.perf_counter()
    base = base_records()
    t_extract = time.perf_counter() - t0
    rss_base = peak_rss_mb()
    store = args.store or Path(tempfile.mkdtemp(prefix="okg-national-")) / "store"
    with PeakRSS() as rss:
        res = write_national(national_records(base, args.reports, args.concerns), store)
    print(f"reports: {res['reports']}, concerns: {res['concerns']}, findings: "
          f"{res['findings']}, authorities: {res['authorities']}, quads: {res['quads']}")
    print(f"extraction of the {len(base)} distinct documents: {t_extract:.1f} s; writing "
          f"{res['reports']} documents: {res['write_s']:.1f} s (of which N-Triples "
          f"{res['rdf_s']:.1f} s); links: {res['total_s'] - res['write_s'] - res['optimize_s']:.1f} s; "
          f"compaction: {res['optimize_s']:.1f} s; "
          f"total {res['total_s']:.1f} s; final snapshot {res['publish_s']:.1f} s")
    db = dir_size_mb(store / "oxigraph")
    total = dir_size_mb(store)
    from ofsted_kg.store import open_store

    open_store(store).close()  # RocksDB deletes write-ahead logs it no longer needs on open
    print(f"store on disk: {total:.0f} MB as the writer left it (database {db:.0f} MB, "
          f"mostly write-ahead logs; snapshots share its files by hard links); "
          f"{dir_size_mb(store):.0f} MB (database {dir_size_mb(store / 'oxigraph'):.0f} MB) "
          f"once reopened")
    print(f"peak RSS, largest process: {rss.peak:.0f} MB (goal < 1024; this process "
          f"{rss.own:.0f} MB, largest links worker {rss.peak_worker:.0f} MB): "
          f"{rss_base:.0f} MB after extracting the distinct documents, {res['rss_docs_mb']:.0f} MB "
          f"after writing them all, the rest in computing the links")
    if args.keep:
        print(f"store kept at {store}")
    else:
        shutil.rmtree(store.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
