"""Build throughput over every corpus PDF, next to the floor: raw pypdfium2 text extraction.

    python bench/build_throughput.py [--jobs 1 2] [--repeat 3] [--reports-only]

For each process count, times (a) reading every page's text with pypdfium2 and nothing
else, in a pool of the same size (the floor: no build can be faster), and (b) a full
``ofsted_kg.build`` of the same files into a fresh on-disk store -- alternately, so that
both see the same load on a shared machine.  The files are every PDF of the corpus: the
full inspection reports and the focused-visit letters (``--reports-only``: the reports).
Prints documents/s, pages/s, build / floor (goal: <= 4) with the best wall time of each,
and the CPU time (this process and its workers) of each, which other load on the machine
disturbs less; and the peak RSS of the largest process.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import shutil
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from _common import PeakRSS, corpus_all_pdfs, corpus_pdfs, machine


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


def _cpu() -> float:
    """CPU seconds of this process and of its finished (waited-for) children."""
    a = resource.getrusage(resource.RUSAGE_SELF)
    b = resource.getrusage(resource.RUSAGE_CHILDREN)
    return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime


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


def _timed(fn, *args):  # type: ignore[no-untyped-def]
    c = _cpu()
    out = fn(*args)
    return out, _cpu() - c


def runs(files: list[str], jobs: int, repeat: int) -> None:
    import statistics

    fls, bts = [], []
    for i in range(repeat):
        (fl, pages), fc = _timed(floor, files, jobs)
        bt, bc = _timed(full_build, files, jobs)
        fls.append((fl, fc))
        bts.append((bt, bc))
        print(f"  jobs={jobs} run {i + 1}: floor {fl:.2f} s ({fc:.2f} s CPU), build {bt:.2f} s "
              f"({bc:.2f} s CPU): {bt / fl:.2f} x wall, {bc / fc:.2f} x CPU", flush=True)
    fl, fc = min(fls)
    bt, bc = min(bts)
    paired = statistics.median(b / f for (b, _), (f, _) in zip(bts, fls))
    print(f"jobs={jobs}: floor (raw pypdfium2 text) {fl:.2f} s = {len(files) / fl:.1f} docs/s, "
          f"{pages / fl:.0f} pages/s; full build {bt:.2f} s = {len(files) / bt:.1f} docs/s, "
          f"{pages / bt:.0f} pages/s; build/floor = {bt / fl:.2f} best of {repeat}, "
          f"{paired:.2f} median of the runs (goal <= 4); CPU: floor {min(c for _, c in fls):.2f} s, "
          f"build {min(c for _, c in bts):.2f} s, ratio {min(c for _, c in bts) / min(c for _, c in fls):.2f}",
          flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--reports-only", action="store_true")
    args = ap.parse_args()
    files = corpus_pdfs() if args.reports_only else corpus_all_pdfs()
    print(machine())
    print(f"corpus: {len(files)} PDFs ({len(corpus_pdfs())} reports"
          + ("" if args.reports_only else f" + {len(files) - len(corpus_pdfs())} letters") + ")")
    floor(files[:4], 1)  # warm the page cache and PDFium's imports
    with PeakRSS() as rss:
        for jobs in args.jobs:
            runs(files, jobs, args.repeat)
    print(f"peak RSS, largest process: {rss.peak:.0f} MB (this process {rss.own:.0f} MB, "
          f"largest worker {rss.peak_worker:.0f} MB)")


if __name__ == "__main__":
    main()
