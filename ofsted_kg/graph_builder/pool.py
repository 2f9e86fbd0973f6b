"""The build's worker processes: each reads and extracts one file (:func:`_work`, never
raising: errors become the outcome); :func:`_outcomes` runs them in a pool, bounded in
flight, and isolates a file that crashes or hangs its worker (PDFium on a damaged file)
by re-running the suspects one at a time."""

from __future__ import annotations

import multiprocessing as mp
import os
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from ..errors import DocumentError, OfstedKGError

#: A file still being read after this long (seconds) is given up: its worker is killed
#: and the file reported.  A real report takes well under 10 s.
FILE_TIMEOUT = 300.0


@dataclass(slots=True)
class _Outcome:
    path: str
    sha256: str | None = None
    record: dict[str, Any] | None = None
    nquads: bytes = b""  # the document's graph, as the store loads it (rdf.record_nquads)
    triples: int = 0
    error: str | None = None
    links: Any = None  # links.records.Known: what the links step needs of the document


def _work(path: str) -> _Outcome:
    """Worker: read + extract + RDF.  Never raises (errors become the outcome)."""
    from ..store import report_graph
    from .extract import extract
    from .links.records import links_input
    from .rdf import record_nquads
    from .read import read_document

    try:
        raw = read_document(path)
        record = extract(raw)
        # the parent needs only what the summary counts (record.to_dict() of a whole
        # record cost ~25 ms per report in the worker and more to pickle)
        auth = record.authority
        summary = {"document_type": record.document_type,
                   "authority": {"name": auth.name} if auth is not None else None,
                   "concerns": [c.kind for c in record.concerns],
                   "findings": [f.polarity for f in record.findings],
                   "audit": [c.check for c in record.audit]}
        nquads, n = record_nquads(record, report_graph(raw.sha256))
        return _Outcome(path, raw.sha256, summary, nquads, n, links=links_input(record))
    except DocumentError as exc:
        return _Outcome(path, error=exc.reason)
    except OfstedKGError as exc:
        return _Outcome(path, error=str(exc))
    except MemoryError:
        return _Outcome(path, error="out of memory while reading")
    except RecursionError:
        return _Outcome(path, error="internal error while reading (too deeply nested)")
    except Exception as exc:  # noqa: BLE001 -- a bad file must never stop the batch
        return _Outcome(path, error=f"internal error while reading ({type(exc).__name__}: {exc})")


#: what the fork server imports (and the tables it builds) before forking workers
_PRELOAD = ["ofsted_kg.graph_builder.preload"]


def mp_context() -> Any:
    """The start method of the build's worker processes.

    A fork server where the platform has one (Linux, macOS): it imports the extraction
    and links code once and builds its lookup tables (:mod:`.preload`), then forks a
    ready worker for each process a pool starts, where ``spawn`` re-imported it in every
    worker (~0.23 s of CPU each, and ~0.1 s for the tables; a build starts four).
    It is a clean process of its own, started before any worker, so the store's threads
    and open database are never forked.  ``spawn`` elsewhere (Windows).
    """
    if "forkserver" not in mp.get_all_start_methods():
        return mp.get_context("spawn")
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(_PRELOAD)
    return ctx


@contextmanager
def workers_can_start() -> Iterator[None]:
    """Let worker processes start when the calling program's main module is no file.

    A new worker (``spawn``, or the fork server) re-runs the caller's ``__main__`` from
    its ``__file__``; a program read from standard input (``python - < script``) has
    ``__file__ == "<stdin>"``, so every worker died at start and each file was reported
    as a crashed read.  The workers run only ofsted-kg's own functions, so while this is
    active such a ``__file__`` is hidden from them (and put back afterwards).
    """
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    if (main is None or not isinstance(path, str) or os.path.isfile(path)
            or getattr(main, "__spec__", None) is not None):
        yield
        return
    del main.__file__
    try:
        yield
    finally:
        main.__file__ = path


@contextmanager
def worker_pool(n: int) -> Iterator[ProcessPoolExecutor]:
    """A pool of ``n`` worker processes (:func:`mp_context`) that can start whatever the
    calling program is (:func:`workers_can_start`); every pool of the build is one."""
    with workers_can_start(), ProcessPoolExecutor(max_workers=n, mp_context=mp_context()) as pool:
        yield pool


def start_fork_server() -> None:
    """Start the fork server now (it imports and builds its tables while the caller goes
    on: a build hashes its files and loads the vocabulary meanwhile).  No-op without one."""
    if "forkserver" in mp.get_all_start_methods():
        from multiprocessing import forkserver

        mp_context()  # its preload list
        with workers_can_start():
            forkserver.ensure_running()


def _n_jobs(jobs: int | None) -> int:
    """Worker processes for ``jobs`` (``None``: every core)."""
    return max(1, jobs if jobs is not None else (os.cpu_count() or 1))


def _outcomes(todo: list[str], jobs: int | None,
              work: Callable[[str], _Outcome] = _work) -> Iterator[_Outcome]:
    """Outcomes of ``todo`` (in completion order), isolating crashing workers.

    ``work`` must be a module-level function (it is sent to worker processes).
    """
    n = _n_jobs(jobs)
    if n == 1 or len(todo) <= 1:
        for f in todo:
            yield work(f)
        return
    queue = list(todo)
    while queue:
        suspects: list[str] = []
        rest: list[str] = []
        yield from _pool_run(queue, n, suspects, work, rest)
        # a worker died (e.g. PDFium crashed on a damaged file): the pool is broken and
        # every file in flight is a suspect; run each alone to find the culprit, then go
        # on with the files not yet started in a fresh pool.
        yield from _isolate(suspects, work)
        queue = rest


def _isolate(suspects: list[str], work: Callable[[str], _Outcome]) -> Iterator[_Outcome]:
    """Run files one at a time in a single worker; the one it dies on (or hangs on) is
    the culprit."""
    from concurrent.futures import TimeoutError as FutureTimeout

    queue = list(suspects)
    while queue:
        with worker_pool(1) as pool:
            for i, f in enumerate(queue):
                try:
                    out = pool.submit(work, f).result(timeout=FILE_TIMEOUT)
                except BrokenProcessPool:
                    yield _Outcome(f, error="the reader crashed on this file (damaged PDF?)")
                    queue = queue[i + 1:]
                    break
                except FutureTimeout:
                    _kill_workers(pool)
                    yield _Outcome(f, error=f"reading took longer than {FILE_TIMEOUT:g} s "
                                            "(given up)")
                    queue = queue[i + 1:]
                    break
                except Exception as exc:  # noqa: BLE001
                    out = _Outcome(f, error=f"internal error ({type(exc).__name__})")
                yield out
            else:
                queue = []


def _kill_workers(pool: ProcessPoolExecutor) -> None:
    """Kill a pool's worker processes (a hung read cannot be cancelled otherwise)."""
    for proc in list(getattr(pool, "_processes", {}).values()):
        try:
            proc.kill()
        except Exception:  # noqa: BLE001 -- already gone
            pass


#: documents in flight per worker process: enough to keep the workers busy while this
#: process waits (a batch being written, a snapshot), few enough to keep memory flat
_IN_FLIGHT = 4


def _pool_run(todo: list[str], n: int, broken: list[str],
              work: Callable[[str], _Outcome], rest: list[str]) -> Iterator[_Outcome]:
    """Run ``todo`` in a pool of ``n``; if it breaks, fill ``broken`` with the files in
    flight and ``rest`` with those never started, and stop."""
    with worker_pool(min(n, len(todo))) as pool:
        # bounded in-flight work keeps memory flat on a national archive
        pending: dict[Future[_Outcome], str] = {}
        since: dict[Future[_Outcome], float] = {}
        it = iter(todo)
        # a worker may die between two of our looks at the pool: then submitting raises
        # BrokenProcessPool, the file was never started, and the pool is done for
        dead = False

        def submit(f: str) -> bool:
            nonlocal dead
            try:
                fut = pool.submit(work, f)
            except BrokenProcessPool:
                rest.append(f)
                dead = True
                return False
            pending[fut], since[fut] = f, time.monotonic()
            return True

        try:
            for f in it:
                if not submit(f) or len(pending) >= n * _IN_FLIGHT:
                    break
            while pending:
                finished, _ = wait(list(pending), timeout=min(FILE_TIMEOUT, 30.0),
                                   return_when=FIRST_COMPLETED)
                if not finished and time.monotonic() - min(since[f] for f in pending) \
                        > FILE_TIMEOUT:
                    # a read hangs: kill the workers; the files in flight become suspects
                    _kill_workers(pool)
                    finished, _ = wait(list(pending), timeout=30.0,
                                       return_when=FIRST_COMPLETED)
                for fut in finished:
                    path = pending.pop(fut)
                    # forget the future: it holds its outcome (the document's N-Triples,
                    # ~2 MB), and keeping every one grew this process by ~2 MB a document
                    since.pop(fut, None)
                    try:
                        out = fut.result()
                    except BrokenProcessPool:
                        broken.append(path)
                        continue
                    except Exception as exc:  # noqa: BLE001 -- e.g. unpicklable result
                        out = _Outcome(path, error=f"internal error ({type(exc).__name__})")
                    if not broken and not dead:
                        for f in it:
                            submit(f)
                            break
                    yield out
                if broken or dead:
                    broken.extend(pending.values())
                    rest.extend(it)
                    pending.clear()
            if dead:  # (it died before anything was in flight)
                rest.extend(it)
        finally:
            for fut in pending:
                fut.cancel()
            if pending:  # stopped early (--strict): do not wait for reads still running
                _kill_workers(pool)
