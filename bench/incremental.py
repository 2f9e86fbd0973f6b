"""Incremental rebuilds: an unchanged corpus, and one changed file.

    python bench/incremental.py [--jobs 2]

Copies the corpus PDFs to a temporary folder, builds them (full build), builds again with
nothing changed (goal: < 5% of the full build), then changes one file (bytes appended after
``%%EOF``, which PDF readers ignore but which changes its SHA-256) and builds again: only
that document is re-extracted and its named graph replaced.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from _common import corpus_pdfs, machine


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    import ofsted_kg

    print(machine())
    tmp = Path(tempfile.mkdtemp(prefix="okg-incr-"))
    try:
        src = tmp / "reports"
        for i, f in enumerate(corpus_pdfs()):
            dst = src / f"{i:03d}.pdf"
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(f, dst)
        store = tmp / "store"
        t0 = time.perf_counter()
        s1 = ofsted_kg.build([src], store=store, jobs=args.jobs)
        full = time.perf_counter() - t0
        t0 = time.perf_counter()
        s2 = ofsted_kg.build([src], store=store, jobs=args.jobs)
        again = time.perf_counter() - t0
        victim = sorted(src.glob("*.pdf"))[0]
        with open(victim, "ab") as fh:
            fh.write(b"\n% changed by bench/incremental.py\n")
        t0 = time.perf_counter()
        s3 = ofsted_kg.build([src], store=store, jobs=args.jobs)
        one = time.perf_counter() - t0
        print(f"full build: {s1.built} documents in {full:.2f} s")
        print(f"unchanged rebuild: {s2.skipped} skipped, {s2.built} built in {again:.2f} s "
              f"= {100 * again / full:.1f}% of the full build (goal < 5%)")
        print(f"one changed file: {s3.built} built, {s3.skipped} skipped in {one:.2f} s "
              f"= {100 * one / full:.1f}% of the full build")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
