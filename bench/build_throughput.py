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
import shutil
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from _common import PeakRSS, corpus_all_pdfs, corpus_pdfs, cpu_seconds, machine


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
    """CPU seconds of this process and of all its workers (see ``cpu_seconds``)."""
    return cpu_seconds()


def floor(files: list[str], jobs: int) -> tuple[float, int]:
    t0 = time.perf_counter()
    if jobs == 1:
        pages = sum(_raw_text(f) for f in files)
    else:
        with ProcessPoolExecutor(jobs, mp_context=mp.get_context("spawn")) as pool:
            pages = sum(pool.map(_raw_text, files, chunksize=4))
    return time.perf_counter() - t0, pages


_BUILD = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
from _common import cpu_seconds
import ofsted_kg
files = json.load(open(sys.argv[2]))
c, t0 = cpu_seconds(), time.perf_counter()
summary = ofsted_kg.build(files, store=sys.argv[3], jobs=int(sys.argv[4]))
print(json.dumps({"wall": time.perf_counter() - t0, "cpu": cpu_seconds() - c,
                  "failures": [str(f) for f in summary.failures[:3]]}))
"""


def full_build(files: list[str], jobs: int) -> tuple[float, float]:
    """Wall and CPU seconds of ``ofsted_kg.build`` in a fresh process (as the command
    runs it: its fork server and workers start anew each time), imports excluded."""
    import json
    import subprocess
    import sys

    tmp = Path(tempfile.mkdtemp(prefix="okg-bench-"))
    try:
        (tmp / "files.json").write_text(json.dumps(files))
        out = subprocess.run([sys.executable, "-c", _BUILD, str(Path(__file__).parent),
                              str(tmp / "files.json"), str(tmp / "store"), str(jobs)],
                             check=True, capture_output=True, text=True).stdout
        got = json.loads(out.strip().splitlines()[-1])
        if got["failures"]:
            print(f"  (failures: {got['failures']})")
        return got["wall"], got["cpu"]
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
        bt, bc = full_build(files, jobs)
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
    print(f"peak RSS, largest process: {rss.peak:.0f} MB (of the builds' processes and "
          f"workers {rss.peak_worker:.0f} MB, this bench process {rss.own:.0f} MB)")


if __name__ == "__main__":
    main()
