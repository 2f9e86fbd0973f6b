"""The links step at national scale: the corpus's authorities copied to ~150 distinct ones.

    python bench/national_links.py [--authorities 153] [--jobs 2]

``bench/national_build.py`` repeats the corpus's PDFs under new identities, but a copy of
a PDF is the same visit of the same authority (its text names them): the ~900-document
build links the corpus's 158 visits of 32 authorities again, so it holds the links work of
the corpus, not of a national archive, where each of ~150 authorities has its own ~5
visits.  This bench measures what that costs: every corpus PDF is extracted once (in
``--jobs`` processes, as a build's workers do, keeping what they hand the links step), then
the 32 authorities' documents are copied -- each copy another authority of the shipped
table (its GSS code in every IRI of the copy, each report a new SHA-256: new visits) -- until
``--authorities``, and the links of (a) the corpus's 32 and (b) all of them are computed as
a build computes them after its last document (``links.relink`` from the workers' records,
``--jobs`` processes, into a fresh on-disk store), each timed (wall, and the CPU of this
process and its workers).  Add (b) - (a) to a ~900-document build of
``bench/national_build.py`` for what a national archive of distinct visits would take.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

from _common import corpus_all_pdfs, cpu_seconds, machine


def _links_input(path: str):  # noqa: ANN202 -- (sha, Known) or None, in a worker
    from ofsted_kg.graph_builder.pool import _work

    out = _work(path)
    return None if out.links is None or out.sha256 is None else (out.sha256, out.links)


def _copy(known, sha: str, gss: str, new_gss: str, copy: int):  # noqa: ANN001, ANN202
    """One document of another authority: its GSS code and SHA-256 replaced in its IRIs."""
    new_sha = hashlib.sha256(f"{sha}/{copy}".encode()).hexdigest()

    def iri(s: str) -> str:
        return s.replace(sha, new_sha).replace(gss, new_gss)

    doc = replace(known.doc, report=iri(known.doc.report), sha=new_sha,
                  visit=iri(known.doc.visit))
    items = tuple(replace(i, iri=iri(i.iri), report=iri(i.report)) for i in known.items)
    return new_sha, replace(known, authority=iri(known.authority), doc=doc, items=items)


def _relink(known: dict, current: dict[str, set[str]], jobs: int) -> tuple[float, float]:
    from ofsted_kg.graph_builder import links
    from ofsted_kg.graph_builder.vocabulary import ensure_vocabulary
    from ofsted_kg.store import open_store

    tmp = Path(tempfile.mkdtemp(prefix="okg-links-"))
    try:
        st = open_store(tmp / "store")
        try:
            ensure_vocabulary(st)
            c, t = cpu_seconds(), time.perf_counter()
            links.relink(st, sorted(current), jobs=jobs, known=known, current=current)
            st.count()  # (the links graphs written)
            return time.perf_counter() - t, cpu_seconds() - c
        finally:
            st.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--authorities", type=int, default=153)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    print(machine())
    from ofsted_kg.graph_builder.authorities import all_authorities

    files = [str(p) for p in corpus_all_pdfs()]
    with ProcessPoolExecutor(args.jobs) as pool:
        got = [g for g in pool.map(_links_input, files, chunksize=4) if g is not None]
    known = dict(got)
    by_auth: dict[str, list[str]] = {}
    for sha, k in known.items():
        if k.authority:
            by_auth.setdefault(k.authority.rsplit("/", 1)[-1], []).append(sha)
    corpus = {gss: set(shas) for gss, shas in by_auth.items()}
    spare = sorted({a.gss_code for a in all_authorities() if a.gss_code} - set(corpus))
    national, current = dict(known), {g: set(s) for g, s in corpus.items()}
    copy = 0
    while len(current) < args.authorities and spare:
        copy += 1
        for gss in sorted(corpus):
            if len(current) >= args.authorities or not spare:
                break
            new_gss = spare.pop(0)
            for sha in corpus[gss]:
                new_sha, k = _copy(known[sha], sha, gss, new_gss, copy)
                national[new_sha] = k
                current.setdefault(new_gss, set()).add(new_sha)
    n_docs = sum(len(s) for s in current.values())
    print(f"corpus: {len(known)} documents of {len(corpus)} authorities; national: "
          f"{n_docs} documents of {len(current)} authorities (distinct visits)")
    a = _relink(known, corpus, args.jobs)
    b = _relink(national, current, args.jobs)
    print(f"links, {len(corpus)} authorities: {a[0]:.2f} s ({a[1]:.2f} s CPU); "
          f"{len(current)} authorities: {b[0]:.2f} s ({b[1]:.2f} s CPU); "
          f"the difference: {b[0] - a[0]:.2f} s ({b[1] - a[1]:.2f} s CPU)")


if __name__ == "__main__":
    main()
