"""A time limit for SPARQL over the local store: a query that runs too long is stopped.

pyoxigraph 0.5 has no way to cancel a query (the Rust API's cancellation token is not
exposed to Python, oxigraph/oxigraph#1926), and a query running in a thread cannot be stopped
from Python: its core stays busy until it ends.  So a query with a limit runs in a child
process (:mod:`ofsted_kg.queries._worker`) over the same read-only snapshot the caller has
open, and the process is killed when the limit passes; the answer comes back as SPARQL JSON
results or N-Triples and is parsed into the same pyoxigraph objects :meth:`Store.query`
returns.  One worker serves each open store, query after query (its caches stay warm); it
is started at the store's first limited query (~0.1 s), replaced after a kill, and ended
when the store is closed or collected, or the process exits.

The limit applies to read-only on-disk stores (what ``ofsted-kg query`` opens).  On an
in-memory or writable store the query runs in this process and the limit is checked between
answers as they are read (:func:`ofsted_kg.queries.to_result`): a query that streams answers
is stopped, one that computes for long before its first answer is not.
"""

from __future__ import annotations

import atexit
import json
import os
import select
import struct
import subprocess
import sys
import threading
import time
import weakref
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from ..errors import QueryError, StoreError
from ..ontology.namespaces import PREFIXES

if TYPE_CHECKING:
    from ..store import Store

__all__ = ["DEFAULT_TIMEOUT", "TIMEOUT_ENV", "default_timeout", "limited_query",
           "stopped_message", "Deadline"]

#: seconds a query may run unless told otherwise
DEFAULT_TIMEOUT = 60.0
#: the environment variable that changes the default (seconds; 0 = no limit)
TIMEOUT_ENV = "OFSTED_KG_QUERY_TIMEOUT"

_WORKER = Path(__file__).with_name("_worker.py")


def default_timeout() -> float:
    """The time limit in seconds: ``$OFSTED_KG_QUERY_TIMEOUT`` if set, else 60 (0 = none).

    Raises:
        QueryError: the variable is not a number of seconds >= 0.
    """
    raw = os.environ.get(TIMEOUT_ENV, "").strip()
    if not raw:
        return DEFAULT_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value >= 0:
        raise QueryError(f"{TIMEOUT_ENV}={raw!r} is not a number of seconds (0 = no limit)")
    return value


def _seconds(t: float) -> str:
    return f"{t:.0f} s" if t >= 10 or t == int(t) else f"{t:.1f} s"


def stopped_message(timeout: float, *, where: str = "") -> str:
    """The one line a user reads when a query is stopped at its time limit."""
    return (f"query stopped after {_seconds(timeout)}{where} (the time limit: --timeout "
            f"SECONDS or ${TIMEOUT_ENV}, 0 = none); narrow it: bind an authority, add LIMIT, "
            "put OPTIONAL and BIND after the patterns that bind their variables, FILTER last "
            "(docs/queries.md, 'Writing queries that Oxigraph plans well')")


class Deadline:
    """A point in time after which reading answers stops with :class:`QueryError`."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self.at = time.monotonic() + timeout

    def check(self) -> None:
        """Raises:
            QueryError: the deadline has passed.
        """
        if time.monotonic() > self.at:
            raise QueryError(stopped_message(self.timeout))


class _Worker:
    """One worker process over one snapshot (see :mod:`ofsted_kg.queries._worker`)."""

    def __init__(self, snapshot: Path) -> None:
        self.snapshot = snapshot
        self.lock = threading.Lock()
        self.proc = subprocess.Popen(
            [sys.executable, str(_WORKER), str(snapshot), str(snapshot.with_suffix(".lock"))],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.ready = False

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for f in (self.proc.stdin, self.proc.stdout):
            if f is not None:
                f.close()

    def _read(self, n: int, deadline: float, buf: bytearray) -> None:
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        while len(buf) < n:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise TimeoutError
            chunk = os.read(fd, max(n - len(buf), 65536))
            if not chunk:
                raise EOFError
            buf += chunk

    def _answer(self, deadline: float) -> tuple[int, bytes]:
        buf = bytearray()
        while b"\n" not in buf:
            self._read(len(buf) + 1, deadline, buf)
        head, _, rest = bytes(buf).partition(b"\n")
        status, size = (int(x) for x in head.split())
        body = bytearray(rest)
        self._read(size, deadline, body)
        return status, bytes(body[:size])

    def ask(self, request: dict[str, Any], timeout: float) -> tuple[int, bytes]:
        """Send one query; its status and answer.

        Raises:
            QueryError: no answer within ``timeout`` seconds (the worker is killed).
            StoreError: the worker died or could not open the snapshot.
        """
        deadline = time.monotonic() + timeout
        with self.lock:
            try:
                if not self.ready:
                    status, msg = self._answer(deadline)
                    if status:
                        raise StoreError(msg.decode("utf-8", "replace"))
                    self.ready = True
                data = json.dumps(request).encode("utf-8")
                assert self.proc.stdin is not None
                self.proc.stdin.write(struct.pack(">I", len(data)) + data)
                self.proc.stdin.flush()
                return self._answer(deadline)
            except TimeoutError:
                self.kill()
                raise QueryError(stopped_message(timeout)) from None
            except (EOFError, OSError, ValueError):
                self.kill()
                raise StoreError(f"the query process over {self.snapshot} died "
                                 f"(status {self.proc.returncode})") from None
            except BaseException:  # Ctrl-C: never leave the query running
                self.kill()
                raise


#: one worker per open store: id(store) -> (weak reference to the store, worker)
_WORKERS: dict[int, tuple[weakref.ref[Any], _Worker]] = {}
_REGISTRY = threading.Lock()


def _closed(store: Any) -> bool:
    if store is None:
        return True
    try:
        store.oxigraph  # noqa: B018 (raises StoreError once the store is closed)
    except StoreError:
        return True
    return False


def _worker_for(store: Any, snap: Path) -> _Worker:
    with _REGISTRY:
        for key, (ref, w) in list(_WORKERS.items()):  # workers of closed stores end here
            st = ref()
            if w.proc.poll() is not None or _closed(st) or (st is store and w.snapshot != snap):
                w.kill()
                del _WORKERS[key]
        entry = _WORKERS.get(id(store))
        if entry is not None and entry[0]() is store:
            return entry[1]
        worker = _Worker(snap)
        _WORKERS[id(store)] = (weakref.ref(store), worker)
        weakref.finalize(store, worker.kill)
        return worker


@atexit.register
def _end_workers() -> None:
    for _, w in list(_WORKERS.values()):
        w.kill()
    _WORKERS.clear()


def _snapshot(store: Any) -> Path | None:
    snap = getattr(store, "snapshot", None)
    return Path(snap) if snap is not None and getattr(store, "read_only", False) else None


def limited_query(store: "Store", sparql: str, *,
                  bindings: Mapping[str, ox.NamedNode | ox.Literal] | None = None,
                  union: bool = True, timeout: float | None = None, form: str = "SELECT"
                  ) -> tuple[Any, Deadline | None]:
    """``store.query(sparql, bindings=..., union=...)`` stopped after ``timeout`` seconds
    (``None``: :func:`default_timeout`; ``0``: no limit).

    Returns the answer (``QuerySolutions``, ``QueryBoolean`` or triples, as
    :meth:`Store.query`) and, when the query ran in this process with a limit, the
    :class:`Deadline` to check while reading it (else ``None``).  ``form`` is the query's
    form (SELECT, ASK, CONSTRUCT, DESCRIBE).

    Raises:
        QueryError: the query is malformed, its parameters cannot be bound, or it was
            stopped at the time limit (the message says how to narrow it).
        StoreError: the store failed.
    """
    limit = default_timeout() if timeout is None else float(timeout)
    snap = _snapshot(store)
    if limit <= 0:
        return store.query(sparql, bindings=bindings, union=union), None
    if snap is None:  # in memory or writable: soft limit, checked between answers
        deadline = Deadline(limit)
        return store.query(sparql, bindings=bindings, union=union), deadline
    store.oxigraph  # noqa: B018 (StoreError if the store is closed)
    status, out = _worker_for(store, snap).ask(
        {"query": sparql, "prefixes": PREFIXES, "union": union,
         "bindings": {k: str(v) for k, v in (bindings or {}).items()}}, limit)
    message = out.decode("utf-8", "replace").strip() if status else ""
    if status == 3:
        raise QueryError(f"invalid SPARQL: {message}")
    if status == 4:
        raise QueryError(f"cannot bind parameters: {(message.splitlines() or [''])[-1]}")
    if status != 0:
        raise StoreError(f"query failed: {message}")
    if form in ("CONSTRUCT", "DESCRIBE"):
        return [ox.Triple(q.subject, q.predicate, q.object)
                for q in ox.parse(out, format=ox.RdfFormat.N_TRIPLES)], None
    return ox.parse_query_results(out, format=ox.QueryResultsFormat.JSON), None
