"""A national-scale build of real documents: the corpus's PDFs repeated under new identities.

    python bench/national_build.py [--docs 900] [--jobs 2] [--no-floor] [--keep DIR]

Copies every corpus PDF (full inspections and focused-visit letters) into a temporary
folder outside the checkout, again and again, each copy with a few bytes appended after
the PDF's end (so its SHA-256, hence its identity in the store, differs; PDFium reads it
the same), until ``--docs`` files.  Then, in the same run: the floor (every page's text
read with pypdfium2 in a pool of ``--jobs``) and ``ofsted_kg.build`` of the same files
into a fresh store with ``--jobs`` processes.  Prints both times, the ratio, and the peak
RSS of the largest process (this one, which writes the store, or a worker: see
``_common.PeakRSS``).  A copy is the same visit of the same authority as its original (its
text names them): the links are those of the corpus's visits, not of a national archive's
~150 authorities -- ``bench/national_links.py`` measures what those add.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from _common import PeakRSS, corpus_all_pdfs, dir_size_mb, machine
from build_throughput import _cpu, floor


def make_copies(files: list[str], n: int, where: Path) -> list[str]:
    """``n`` files: ``files`` as they are, then copies with bytes appended."""
    out: list[str] = []
    k = 0
    while len(out) < n:
        for i, f in enumerate(files):
            if len(out) >= n:
                break
            if k == 0:
                out.append(f)
                continue
            dst = where / f"copy{k:02d}" / f"{i:04d}-{Path(f).name}"
            dst.parent.mkdir(parents=True, exist_ok=True)
            data = Path(f).read_bytes()
            dst.write_bytes(data + f"\n% national_build copy {k}\n".encode())
            out.append(str(dst))
        k += 1
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=900)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--no-floor", action="store_true")
    ap.add_argument("--keep", type=Path, default=None, help="build the store here and keep it")
    args = ap.parse_args()
    print(machine())
    import ofsted_kg

    tmp = Path(tempfile.mkdtemp(prefix="okg-national-build-"))
    try:
        files = make_copies(corpus_all_pdfs(), args.docs, tmp / "docs")
        print(f"documents: {len(files)} ({len(corpus_all_pdfs())} corpus PDFs and copies)")
        fl = pages = None
        if not args.no_floor:
            c = _cpu()
            fl, pages = floor(files, args.jobs)
            fc = _cpu() - c
            print(f"floor (raw pypdfium2 text, {args.jobs} processes): {fl:.2f} s "
                  f"({fc:.2f} s CPU), {pages} pages")
        store = args.keep or tmp / "store"
        t0 = time.perf_counter()
        c = _cpu()
        with PeakRSS() as rss:
            s = ofsted_kg.build(files, store=store, jobs=args.jobs)
        bt = time.perf_counter() - t0
        bc = _cpu() - c
        own, kids = rss.own, rss.peak_worker
        print(f"build ({args.jobs} processes): {bt:.2f} s ({bc:.2f} s CPU); {s.built} built, {len(s.failures)} "
              f"failed, {s.store_quads} quads, {len(s.authorities)} authorities")
        if fl:
            print(f"build / floor = {bt / fl:.2f} (goal <= 4); CPU time: {bc / fc:.2f}")
        print(f"peak RSS, largest process: {max(own, kids):.0f} MB (goal < 1024): the "
              f"building process {own:.0f} MB, the largest worker {kids:.0f} MB")
        print(f"store on disk: {dir_size_mb(Path(store)):.0f} MB")
        print("(a copy is the same visit as its original: the links step linked the "
              f"corpus's visits of {len(s.authorities)} authorities; a national archive's "
              "distinct visits add what bench/national_links.py measures)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
