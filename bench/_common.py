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
    """The full inspection reports (PDF) of the corpus."""
    return sorted(str(p) for p in (corpus_dir() / "ofsted-ilacs" / "reports").rglob("*.pdf"))


def corpus_letters() -> list[str]:
    """The focused-visit letters (PDF) of the corpus."""
    return sorted(str(p) for p in (corpus_dir() / "focused-visits" / "reports").rglob("*.pdf"))


def corpus_all_pdfs() -> list[str]:
    """Every PDF of the corpus: full inspections, then focused-visit letters."""
    return corpus_pdfs() + corpus_letters()


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


def descendants() -> list[int]:
    """Pids of every live descendant of this process (read from ``/proc``)."""
    me = os.getpid()
    parent: dict[int, int] = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as fh:
                    parent[int(d)] = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                pass
    out, todo = [], [me]
    while todo:
        p = todo.pop()
        kids = [c for c, pp in parent.items() if pp == p]
        out += kids
        todo += kids
    return out


def cpu_seconds() -> float:
    """CPU seconds of this process, of its waited-for children, and of every live
    descendant with the children it waited for.

    The build's workers are forked by a fork server (a child of this process that lives
    until this process exits): they are not this process's children, and their CPU time
    reaches ``RUSAGE_CHILDREN`` only when the fork server ends, so it is read from
    ``/proc/<pid>/stat`` (utime, stime, cutime, cstime) of the live descendants.
    """
    a = resource.getrusage(resource.RUSAGE_SELF)
    b = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime
    tick = os.sysconf("SC_CLK_TCK")
    for pid in descendants():
        try:
            with open(f"/proc/{pid}/stat") as fh:
                f = fh.read().rsplit(")", 1)[1].split()
            total += sum(int(x) for x in f[11:15]) / tick  # utime stime cutime cstime
        except (OSError, ValueError, IndexError):
            pass
    return total


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


class PeakRSS:
    """Samples the resident memory of this process and of every descendant (workers)
    from ``/proc`` every ``every`` seconds, in a thread; ``peak`` is the largest single
    process seen (MB), ``own`` this process's.

    ``ru_maxrss`` of the children cannot be used for the workers: a spawned worker is
    forked from this process before it execs, so the kernel counts this process's RSS at
    fork time as the child's peak.  Each worker's ``VmHWM`` (its own high-water mark since
    exec) is read instead, and this process's from ``getrusage``.
    """

    def __init__(self, every: float = 0.25, log: list[tuple[float, float]] | None = None) -> None:
        import threading

        self.every = every
        self.peak_worker = 0.0
        self.log = log  # (seconds since start, this process's RSS MB), when given
        self._stop = threading.Event()
        self._t0 = time.perf_counter()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "PeakRSS":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()

    @property
    def own(self) -> float:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    @property
    def peak(self) -> float:
        return max(self.own, self.peak_worker)

    @staticmethod
    def _status(pid: int, key: str) -> float:
        try:
            with open(f"/proc/{pid}/status") as fh:
                for line in fh:
                    if line.startswith(key):
                        return int(line.split()[1]) / 1024
        except (OSError, ValueError):
            pass
        return 0.0

    @staticmethod
    def _descendants() -> list[int]:
        return descendants()

    def _sample(self) -> None:
        for pid in self._descendants():
            self.peak_worker = max(self.peak_worker, self._status(pid, "VmHWM:"))
        if self.log is not None:
            self.log.append((time.perf_counter() - self._t0,
                             self._status(os.getpid(), "VmRSS:")))

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self._sample()
