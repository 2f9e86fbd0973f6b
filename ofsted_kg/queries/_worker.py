"""Run SPARQL queries over one store snapshot, one after another, for the process that
started it.

Started by :mod:`ofsted_kg.queries.limit` as ``python _worker.py SNAPSHOT LOCK`` (by file
path, so that nothing but pyoxigraph and the standard library is imported), and killed when
a query outlives its time limit: killing the process is the only way to stop an Oxigraph
query from Python (pyoxigraph 0.5 exposes no cancellation; a thread running a query cannot
be stopped and keeps its core busy).  Between queries it stays, with the snapshot open and
its caches warm.  It holds a shared lock on the snapshot's lock file, so the writer never
deletes the snapshot under it, and is killed with its parent (Linux).

Protocol on standard input / output: a request is a 4-byte big-endian length and that many
bytes of JSON ``{"query": TEXT, "prefixes": {...}, "union": bool, "bindings": {name:
N-Triples term}}``; the answer is a line ``STATUS LENGTH`` and that many bytes: status 0
and SPARQL JSON results (SELECT, ASK) or N-Triples (CONSTRUCT, DESCRIBE); 3 malformed query,
4 bindings refused, 5 the store failed, each with the message.  End of input: exit.
"""

from __future__ import annotations

import json
import os
import struct
import sys


def _die_with_parent() -> None:
    """Linux: be killed if the process that started us dies (no orphaned query)."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            import signal

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass


def _read(n: int) -> bytes:
    buf = b""
    while len(buf) < n:
        chunk = os.read(0, n - len(buf))
        if not chunk:
            raise EOFError
        buf += chunk
    return buf


def _answer(status: int, payload: bytes) -> None:
    out = sys.stdout.buffer
    out.write(f"{status} {len(payload)}\n".encode() + payload)
    out.flush()


def _run(store, req: dict) -> tuple[int, bytes]:  # noqa: ANN001
    import pyoxigraph as ox

    def term(text: str):  # noqa: ANN202
        nt = f"<urn:s> <urn:p> {text} ."
        return next(iter(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES))).object

    try:
        subs = {ox.Variable(k): term(v) for k, v in (req.get("bindings") or {}).items()}
        res = store.query(req["query"], use_default_graph_as_union=bool(req.get("union")),
                          prefixes=req.get("prefixes") or None, substitutions=subs or None)
        if isinstance(res, (ox.QuerySolutions, ox.QueryBoolean)):
            return 0, res.serialize(format=ox.QueryResultsFormat.JSON) or b""
        return 0, ox.serialize(res, format=ox.RdfFormat.N_TRIPLES) or b""
    except SyntaxError as exc:
        return 3, str(exc).encode()
    except RuntimeError as exc:
        return 4, str(exc).encode()
    except (OSError, ValueError) as exc:
        return 5, str(exc).encode()


def main(argv: list[str]) -> int:
    _die_with_parent()
    import fcntl

    import pyoxigraph as ox

    snapshot, lock = argv[1], argv[2]
    try:
        fd = os.open(lock, os.O_RDONLY)
        fcntl.flock(fd, fcntl.LOCK_SH)
        store = ox.Store.read_only(snapshot)
    except (OSError, RuntimeError) as exc:
        _answer(5, f"cannot open the snapshot {snapshot}: {exc}".encode())
        return 1
    _answer(0, b"ready")
    while True:
        try:
            (n,) = struct.unpack(">I", _read(4))
            req = json.loads(_read(n))
        except EOFError:
            return 0
        _answer(*_run(store, req))


if __name__ == "__main__":
    sys.exit(main(sys.argv))
