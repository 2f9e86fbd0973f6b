"""Shared helpers of the bench scripts: machine facts, corpus location, timing."""

from __future__ import annotations

import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def corpus_dir() -> Path:
    """``$OFSTED_KG_CORPUS``, else ``../shared/corpus`` beside the checkout."""
    env = os.environ.get("OFSTED_KG_CORPUS")
    p = Path(env) if env else ROOT.parent / "shared" / "corpus"
    if not p.is_dir():
        sys.exit(f"corpus not found at {p} (set OFSTED_KG_CORPUS)")
    return p


def corpus_pdfs() -> list[str]:
    return sorted(str(p) for p in (corpus_dir() / "ofsted-ilacs" / "reports").rglob("*.pdf"))


def machine() -> str:
    """One paragraph naming the machine, Python and the packages that matter."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    vers = []
    for pkg in ("ofsted-kg", "pyoxigraph", "rdflib", "pypdfium2", "pyvis", "networkx"):
        try:
            vers.append(f"{pkg} {metadata.version(pkg)}")
        except metadata.PackageNotFoundError:
            pass
    try:
        rev = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        rev = "?"
    return (f"machine: {cpu}, {os.cpu_count()} cores, {mem:.0f} GiB; "
            f"{platform.system()} {platform.release()}; Python {platform.python_version()}\n"
            f"packages: {', '.join(vers)}; ofsted-kg at {rev}\n"
            f"command: {' '.join([Path(sys.argv[0]).name, *sys.argv[1:]])}")


@contextmanager
def timer() -> Iterator[Callable[[], float]]:
    t0 = time.perf_counter()
    end: list[float] = []
    yield lambda: (end[0] if end else time.perf_counter()) - t0
    end.append(time.perf_counter())


def peak_rss_mb(children: bool = True) -> float:
    """Peak resident memory of this process (and of its finished children), MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024 if children else 0
    return max(own, kids)


def dir_size_mb(path: Path) -> float:
    """Bytes on disk under ``path`` in MB, each hard-linked file counted once (the
    store's snapshots are hard links to the database's files)."""
    seen: set[tuple[int, int]] = set()
    total = 0
    for f in path.rglob("*"):
        try:
            st = f.lstat()
        except OSError:
            continue
        if not f.is_file() or (st.st_dev, st.st_ino) in seen:
            continue
        seen.add((st.st_dev, st.st_ino))
        total += st.st_blocks * 512
    return total / 2**20


def percentiles(samples: list[float]) -> tuple[float, float]:
    """(p50, p95) of ``samples``."""
    s = sorted(samples)
    p95 = s[min(len(s) - 1, int(round(0.95 * (len(s) - 1))))]
    return statistics.median(s), p95
