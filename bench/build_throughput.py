"""Build throughput over the corpus PDFs, next to the floor: raw pypdfium2 text extraction.

    python bench/build_throughput.py [--jobs 1 2] [--repeat 3]

For each process count, times (a) reading every page's text with pypdfium2 and nothing
else, in a pool of the same size (the floor: no build can be faster), and (b) a full
``ofsted_kg.build`` of the same files into a fresh on-disk store.  Prints documents/s,
pages/s and build / floor (goal: <= 1.25).  Best of --repeat runs.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import shutil
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from _common import corpus_pdfs, machine


def _raw_text(path: str) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    try:
        n = len(pdf)
        for i in range(n):
            page = pdf[i]
            tp = page.get_textpage()
            tp.get_text_range()
            tp.close()
            page.close()
        return n
    finally:
        pdf.close()


def floor(files: list[str], jobs: int) -> tuple[float, int]:
    t0 = time.perf_counter()
    if jobs == 1:
        pages = sum(_raw_text(f) for f in files)
    else:
        with ProcessPoolExecutor(jobs, mp_context=mp.get_context("spawn")) as pool:
            pages = sum(pool.map(_raw_text, files, chunksize=4))
    return time.perf_counter() - t0, pages


def full_build(files: list[str], jobs: int) -> float:
    import ofsted_kg

    tmp = Path(tempfile.mkdtemp(prefix="okg-bench-"))
    try:
        t0 = time.perf_counter()
        summary = ofsted_kg.build(files, store=tmp / "store", jobs=jobs)
        dt = time.perf_counter() - t0
        if summary.failures:
            print(f"  ({len(summary.failures)} failures: {summary.failures[:3]})")
        return dt
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    files = corpus_pdfs()
    print(machine())
    print(f"corpus: {len(files)} PDFs")
    for jobs in args.jobs:
        fl = min((floor(files, jobs) for _ in range(args.repeat)), key=lambda x: x[0])
        bt = min(full_build(files, jobs) for _ in range(args.repeat))
        secs, pages = fl
        print(f"jobs={jobs}: floor (raw pypdfium2 text) {secs:.2f} s = {len(files)/secs:.1f} docs/s, "
              f"{pages/secs:.0f} pages/s; full build {bt:.2f} s = {len(files)/bt:.1f} docs/s, "
              f"{pages/bt:.0f} pages/s; build/floor = {bt/secs:.2f} (goal <= 1.25)")


if __name__ == "__main__":
    main()
