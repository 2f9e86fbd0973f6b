"""Time ``analyse recurring`` and ``analyse themes`` on on-disk stores, against the slow
derivation they replaced.

    python bench/analyse.py STORE [STORE...] [--runs 5] [--no-slow] [--floor]

For each store: the library calls in this process (first run, then the median of --runs),
the command line end to end in a fresh process (``ofsted-kg analyse ... -o /dev/null``:
Python start-up, opening the store, reading, ranking, writing the table; wall and CPU
seconds -- on a shared machine the CPU time is what the load does not change), and -- unless
--no-slow -- one run of the slow derivation (tests/analyse_reference.py: one SPARQL join with
OPTIONAL, BIND and FILTER NOT EXISTS, read twice by themes) with the ratio slow / fast.
With --floor, also the build's floor (reading every page's text of every corpus PDF, full
inspections and letters, with pypdfium2 in 2 processes: bench/build_throughput.py) and each
command's time as a share of it.  Goals (issue 15): both commands <= 2 s on the national
store; ``analyse recurring`` <= a quarter of the floor.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _common import ROOT, machine

sys.path.insert(0, str(ROOT / "tests"))


def _timed(fn) -> float:  # noqa: ANN001
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def _cli(store: Path, words: list[str]) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of the command in a fresh process."""
    exe = Path(sys.executable).with_name("ofsted-kg")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "ofsted_kg.cli"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run([*cmd, "analyse", *words, "--store", str(store), "-o", "/dev/null"],
                   check=True, capture_output=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("stores", type=Path, nargs="+")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--no-slow", action="store_true")
    ap.add_argument("--floor", action="store_true")
    args = ap.parse_args()
    print(machine())
    floor_s = 0.0
    if args.floor:
        from _common import corpus_dir
        from build_throughput import floor

        pdfs = sorted(str(p) for p in corpus_dir().rglob("*.pdf"))
        floor_s, pages = floor(pdfs, 2)
        print(f"floor: {len(pdfs)} corpus PDFs, {pages} pages, text read in {floor_s:.2f} s "
              "(2 processes)")

    from ofsted_kg import analyse as fast
    from ofsted_kg.store import open_store

    for path in args.stores:
        with open_store(path, read_only=True) as st:
            quads = st.count()
            reports = st.select("SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r a okg:Report }")
            print(f"\nstore {path}: {reports[0]['n']} reports, {quads} quads")
            print(f"load average {os.getloadavg()[0]:.1f}")
            print(f"{'command':28} {'first s':>8} {'median s':>9} {'cli s':>7} {'cpu s':>6} "
                  f"{'slow s':>8} {'slow/fast':>9}  rows")
            for name, fn in (("recurring --min-documents 3", lambda: fast.recurring(st)),
                             ("themes --min-documents 2", lambda: fast.themes(st))):
                first = _timed(fn)
                runs = [_timed(fn) for _ in range(args.runs)]
                med = statistics.median(runs)
                word = name.split()[0]
                clis = [_cli(path, [word]) for _ in range(3)]
                cli = statistics.median(w for w, _ in clis)
                cpu = statistics.median(c for _, c in clis)
                rows = len(fn()) if word == "recurring" else len(fn().rows())
                slow_s = ratio = ""
                if not args.no_slow:
                    import analyse_reference as slow

                    sfn = slow.recurring if word == "recurring" else slow.themes
                    s = _timed(lambda: sfn(st))  # noqa: B023
                    slow_s, ratio = f"{s:8.2f}", f"{s / med:8.0f}x"
                share = f"  cli = {cli / floor_s:.2f} x floor" if floor_s else ""
                print(f"{name:28} {first:8.2f} {med:9.2f} {cli:7.2f} {cpu:6.2f} {slow_s:>8} "
                      f"{ratio:>9}  {rows}{share}", flush=True)


if __name__ == "__main__":
    main()
