"""A national-scale graph: the corpus's documents replicated to ~500 reports.

    python bench/national.py [--reports 500] [--store DIR] [--keep]

Extracts every corpus PDF and seed once, then writes copies with changed identities (a new
SHA-256 per copy, the authority rotated over all 153 English authorities, dates kept) until
``--reports`` documents are in a fresh on-disk store, each written as the build writes it
(one atomic update per document), then recomputes every authority's links.  Prints the time,
the documents/concerns/findings/quads, the store size on disk and the peak RSS (goal:
< 2 GB).  ``--keep`` leaves the store for bench/queries.py.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import shutil
import tempfile
import time
from pathlib import Path

from _common import corpus_dir, corpus_pdfs, dir_size_mb, machine, peak_rss_mb


def national_records(n_reports: int) -> list:
    from ofsted_kg.errors import DocumentError
    from ofsted_kg.graph_builder.authorities import all_authorities
    from ofsted_kg.graph_builder.extract import extract_path

    files = corpus_pdfs() + sorted(str(p) for p in (corpus_dir() / "seeds").glob("*.txt"))
    base = []
    for f in files:
        try:
            base.append(extract_path(f))
        except DocumentError:
            pass
    auths = [a for a in all_authorities()]
    out = []
    k = 0
    while len(out) < n_reports:
        for i, rec in enumerate(base):
            if len(out) >= n_reports:
                break
            r = copy.deepcopy(rec)
            r.source.sha256 = hashlib.sha256(f"{rec.source.sha256}:{k}".encode()).hexdigest()
            if k:
                r.authority = auths[(i * 7 + k * 31) % len(auths)].ref()
            out.append(r)
        k += 1
    return out


def write_national(records: list, store_path: Path) -> dict:
    from ofsted_kg.graph_builder.links import relink
    from ofsted_kg.graph_builder.rdf import record_ntriples, report_iri
    from ofsted_kg.graph_builder.vocabulary import ensure_vocabulary
    from ofsted_kg.store import open_store, report_graph

    st = open_store(store_path)
    try:
        ensure_vocabulary(st)
        t0 = time.perf_counter()
        keys = set()
        for r in records:
            st.replace_graphs(report_graph(r.source.sha256), record_ntriples(r),
                              manifest={report_iri(r.source.sha256): f"/national/{r.source.sha256}"})
            if r.authority:
                keys.add(r.authority.gss_code or r.authority.name)
        t_docs = time.perf_counter() - t0
        relink(st, keys)
        t_all = time.perf_counter() - t0
        quads = st.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")[0]["n"]
    finally:
        st.close()
    return {"write_s": t_docs, "total_s": t_all, "quads": quads, "authorities": len(keys)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=500)
    ap.add_argument("--store", type=Path, default=None)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    print(machine())
    t0 = time.perf_counter()
    records = national_records(args.reports)
    t_extract = time.perf_counter() - t0
    concerns = sum(len(r.concerns) for r in records)
    findings = sum(len(r.findings) for r in records)
    store = args.store or Path(tempfile.mkdtemp(prefix="okg-national-")) / "store"
    res = write_national(records, store)
    print(f"reports: {len(records)}, concerns: {concerns}, findings: {findings}, "
          f"authorities: {res['authorities']}, quads: {res['quads']}")
    print(f"extraction of the distinct documents: {t_extract:.1f} s; writing {len(records)} "
          f"documents: {res['write_s']:.1f} s; with links: {res['total_s']:.1f} s")
    print(f"store on disk: {dir_size_mb(store):.0f} MB; peak RSS: {peak_rss_mb():.0f} MB (goal < 2048)")
    if args.keep:
        print(f"store kept at {store}")
    else:
        shutil.rmtree(store.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
