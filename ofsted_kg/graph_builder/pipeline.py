"""Build the graph: files -> records (in worker processes) -> one named graph each.

Workers read and extract (the expensive part) and return plain data: the record and its
N-Triples.  Only the parent writes, one atomic transaction per document, so a crash or a
kill leaves every document either wholly in the store or not at all.  Unchanged files
(same SHA-256 already stored) are skipped; a changed file replaces its old graph in the
same transaction.  After the documents, each touched authority's cross-visit links are
recomputed.
"""

from __future__ import annotations

import hashlib
import multiprocessing as mp
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import DocumentError, OfstedKGError
from ..store import Store, open_store, report_graph
from .read import READABLE_SUFFIXES

__all__ = ["build", "collect_files", "BuildSummary", "Failure", "Progress"]


@dataclass(slots=True)
class Failure:
    """A file that could not be built, with the one-line reason."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass(slots=True)
class Progress:
    """Sent to the ``on_progress`` callback after each file."""

    done: int
    total: int
    current: str
    failures: int
    elapsed: float


@dataclass(slots=True)
class BuildSummary:
    """What a build did."""

    built: int = 0
    skipped: int = 0  # unchanged since the last build
    by_type: Counter[str] = field(default_factory=Counter)
    authorities: set[str] = field(default_factory=set)
    concerns: int = 0
    findings: int = 0
    triples: int = 0  # triples written by this build
    store_quads: int = 0  # quads in the store afterwards
    failures: list[Failure] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failures

    def to_dict(self) -> dict[str, Any]:
        return {
            "built": self.built, "skipped": self.skipped, "by_type": dict(self.by_type),
            "authorities": sorted(self.authorities), "concerns": self.concerns,
            "findings": self.findings, "triples": self.triples,
            "store_quads": self.store_quads,
            "failures": [{"path": f.path, "reason": f.reason} for f in self.failures],
            "seconds": round(self.seconds, 3),
        }


def collect_files(paths: Iterable[str | Path]) -> tuple[list[str], list[Failure]]:
    """Expand files and folders (recursively) into ``.pdf``/``.txt`` files, sorted.

    A path that does not exist is a failure, not an exception.
    """
    files: list[str] = []
    failures: list[Failure] = []
    seen: set[str] = set()
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(
                str(f) for f in p.rglob("*")
                if f.suffix.lower() in READABLE_SUFFIXES and not f.name.startswith(".")
                and (f.is_file() or f.is_symlink())
            )
            if not found:
                failures.append(Failure(str(raw), "folder holds no .pdf or .txt files"))
            cand = found
        elif p.exists() or p.is_symlink():
            cand = [str(raw)]
        else:
            failures.append(Failure(str(raw), "no such file or folder"))
            continue
        for f in cand:
            key = os.path.abspath(f)
            if key not in seen:
                seen.add(key)
                files.append(f)
    return files, failures


@dataclass(slots=True)
class _Outcome:
    path: str
    sha256: str | None = None
    record: dict[str, Any] | None = None
    ntriples: str = ""
    error: str | None = None


def _work(path: str) -> _Outcome:
    """Worker: read + extract + RDF.  Never raises (errors become the outcome)."""
    from .extract import extract
    from .rdf import record_ntriples
    from .read import read_document

    try:
        raw = read_document(path)
        record = extract(raw)
        return _Outcome(path, raw.sha256, record.to_dict(), record_ntriples(record))
    except DocumentError as exc:
        return _Outcome(path, error=exc.reason)
    except OfstedKGError as exc:
        return _Outcome(path, error=str(exc))
    except MemoryError:
        return _Outcome(path, error="out of memory while reading")
    except Exception as exc:  # noqa: BLE001 -- a bad file must never stop the batch
        return _Outcome(path, error=f"internal error while reading ({type(exc).__name__}: {exc})")


def _sha256(path: str) -> str | None:
    h = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return None  # the worker reports the reason
    return h.hexdigest()


def build(
    paths: Iterable[str | Path],
    *,
    store: Store | str | Path | None = None,
    jobs: int | None = None,
    strict: bool = False,
    force: bool = False,
    on_progress: Callable[[Progress], None] | None = None,
) -> BuildSummary:
    """Build (or update) the graph from report files and folders.

    Args:
        paths: files and folders (searched recursively for ``.pdf`` and ``.txt``).
        store: an open :class:`Store`, or a path (default: the default store path).
        jobs: worker processes (default: every core; 1 = in this process).
        strict: stop at the first failing file.
        force: rebuild files even when unchanged.
        on_progress: called after each file.

    Returns:
        A :class:`BuildSummary`; failing files are listed in it, never raised.

    Raises:
        StoreLockedError: another process is writing to the store.
        StoreError: the store cannot be opened or written.
    """
    t0 = time.perf_counter()
    own = not isinstance(store, Store)
    st = open_store(store) if own else store  # type: ignore[arg-type]
    try:
        return _build(st, paths, jobs=jobs, strict=strict, force=force,
                      on_progress=on_progress, t0=t0)
    finally:
        if own:
            st.close()


def _build(st: Store, paths: Iterable[str | Path], *, jobs: int | None, strict: bool,
           force: bool, on_progress: Callable[[Progress], None] | None,
           t0: float) -> BuildSummary:
    from .links import relink
    from .vocabulary import ensure_vocabulary

    summary = BuildSummary()
    files, missing = collect_files(paths)
    summary.failures.extend(missing)
    if strict and missing:
        summary.seconds = time.perf_counter() - t0
        return summary
    ensure_vocabulary(st)

    known = {d.path: d for d in st.documents() if d.path}
    stored = {d.sha256 for d in st.documents()}
    todo: list[str] = []
    for f in files:
        sha = _sha256(f)
        if sha is not None and sha in stored and not force:
            summary.skipped += 1
            continue
        todo.append(f)

    total = len(todo)
    done = 0
    touched: set[str] = set()

    def handle(out: _Outcome) -> bool:
        nonlocal done
        done += 1
        if out.error is not None or out.record is None or out.sha256 is None:
            summary.failures.append(Failure(out.path, out.error or "unknown error"))
        else:
            _write(st, out, known, summary, touched)
        if on_progress is not None:
            on_progress(Progress(done, total, out.path, len(summary.failures),
                                 time.perf_counter() - t0))
        return not (strict and summary.failures)

    for out in _outcomes(todo, jobs):
        if not handle(out):
            break

    relink(st, touched)
    summary.store_quads = st.count()
    summary.seconds = time.perf_counter() - t0
    return summary


def _outcomes(todo: list[str], jobs: int | None) -> Iterator[_Outcome]:
    n = max(1, jobs if jobs is not None else (os.cpu_count() or 1))
    if n == 1 or len(todo) <= 1:
        for f in todo:
            yield _work(f)
        return
    ctx = mp.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(n, len(todo)), mp_context=ctx) as pool:
        # bounded in-flight work keeps memory flat on a national archive
        pending: set[Future[_Outcome]] = set()
        it = iter(todo)
        try:
            for f in it:
                pending.add(pool.submit(_work, f))
                if len(pending) >= n * 4:
                    break
            while pending:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for fut in finished:
                    for f in it:
                        pending.add(pool.submit(_work, f))
                        break
                    try:
                        yield fut.result()
                    except Exception as exc:  # a worker died (e.g. PDFium crash)
                        yield _Outcome("<unknown>", error=f"worker crashed ({exc})")
        finally:
            for fut in pending:
                fut.cancel()


def _write(st: Store, out: _Outcome, known: dict[str, Any], summary: BuildSummary,
           touched: set[str]) -> None:
    from .rdf import report_iri

    assert out.record is not None and out.sha256 is not None
    rec = out.record
    abspath = os.path.abspath(out.path)
    old = known.get(abspath)
    drop = [old.graph] if old is not None and old.sha256 != out.sha256 else []
    st.replace_graphs(report_graph(out.sha256), out.ntriples, drop=drop,
                      manifest={report_iri(out.sha256): abspath})
    summary.built += 1
    summary.by_type[rec["document_type"]] += 1
    auth = rec.get("authority") or {}
    if auth:
        summary.authorities.add(auth.get("name") or "")
        touched.add(auth.get("gss_code") or auth.get("name") or "")
    summary.concerns += len(rec.get("concerns") or [])
    summary.findings += len(rec.get("findings") or [])
    summary.triples += out.ntriples.count("\n")
