"""A time limit for SPARQL over the local store: a query that runs too long is stopped.

pyoxigraph 0.5 has no way to cancel a query (the Rust API's cancellation token is not
exposed to Python, oxigraph/oxigraph#1926), and a query running in a thread cannot be stopped
from Python: its core stays busy until it ends.  So a query with a limit runs in a child
process (:mod:`ofsted_kg.queries._worker`) over the same read-only snapshot the caller has
open, and is killed when the limit passes; the answer comes back as SPARQL JSON results or
N-Triples and is parsed into the same pyoxigraph objects :meth:`Store.query` returns.  The
child costs ~50-100 ms per query (start-up and opening the snapshot).

The limit applies to read-only on-disk stores (what ``ofsted-kg query`` opens).  On an
in-memory or writable store the query runs in this process and the limit is checked between
answers as they are read (:func:`ofsted_kg.queries.to_result`): a query that streams answers
is stopped, one that computes for long before its first answer is not.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
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
    request = json.dumps({"snapshot": str(snap), "query": sparql, "prefixes": PREFIXES,
                          "union": union,
                          "bindings": {k: str(v) for k, v in (bindings or {}).items()}})
    proc = subprocess.Popen([sys.executable, str(_WORKER)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        out, err = proc.communicate(request.encode("utf-8"), timeout=limit)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise QueryError(stopped_message(limit)) from None
    finally:
        if proc.poll() is None:  # interrupted (Ctrl-C): never leave the query running
            proc.kill()
            proc.wait()
    message = err.decode("utf-8", "replace").strip().splitlines()
    last = message[-1] if message else ""
    if proc.returncode == 3:
        raise QueryError(f"invalid SPARQL: {chr(10).join(message)}")
    if proc.returncode == 4:
        raise QueryError(f"cannot bind parameters: {last}")
    if proc.returncode != 0:
        raise StoreError(f"query failed (status {proc.returncode}): {last}")
    if form in ("CONSTRUCT", "DESCRIBE"):
        return [ox.Triple(q.subject, q.predicate, q.object)
                for q in ox.parse(out, format=ox.RdfFormat.N_TRIPLES)], None
    return ox.parse_query_results(out, format=ox.QueryResultsFormat.JSON), None
