"""Run one SPARQL query over a store snapshot and write its answer to standard output.

Started by :mod:`ofsted_kg.queries.limit` as ``python _worker.py`` (by file path, so that
nothing but pyoxigraph and the standard library is imported: ~50 ms to start), killed when
the query outlives its time limit: killing the process is the only way to stop an Oxigraph
query from Python (pyoxigraph 0.5 exposes no cancellation; a thread running a query cannot be
stopped and keeps its core busy).

Reads one JSON request on standard input::

    {"snapshot": DIR, "query": TEXT, "prefixes": {...}, "union": true,
     "bindings": {"name": "<N-Triples term>", ...}}

and writes the answer in a format pyoxigraph parses back: SPARQL JSON results for SELECT
and ASK, N-Triples for CONSTRUCT and DESCRIBE.  Exit status 0 ok; 3 malformed query; 4
bindings refused; 5 the store failed (the message on standard error).
"""

from __future__ import annotations

import json
import sys


def _term(text: str):  # noqa: ANN202 (pyoxigraph term)
    import pyoxigraph as ox

    quad = next(iter(ox.parse(f"<urn:s> <urn:p> {text} .", format=ox.RdfFormat.N_TRIPLES)))
    return quad.object


def _die_with_parent() -> None:
    """Linux: be killed if the process that started us dies (no orphaned query)."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            import signal

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass


def main() -> int:
    _die_with_parent()
    import pyoxigraph as ox

    req = json.loads(sys.stdin.buffer.read())
    subs = {ox.Variable(k): _term(v) for k, v in (req.get("bindings") or {}).items()}
    try:
        store = ox.Store.read_only(req["snapshot"])
    except (OSError, RuntimeError) as exc:
        print(f"cannot open the snapshot: {exc}", file=sys.stderr)
        return 5
    try:
        res = store.query(req["query"], use_default_graph_as_union=bool(req.get("union")),
                          prefixes=req.get("prefixes") or None, substitutions=subs or None)
        if isinstance(res, (ox.QuerySolutions, ox.QueryBoolean)):
            data = res.serialize(format=ox.QueryResultsFormat.JSON)
        else:
            data = ox.serialize(res, format=ox.RdfFormat.N_TRIPLES)
    except SyntaxError as exc:
        print(exc, file=sys.stderr)
        return 3
    except RuntimeError as exc:
        print(exc, file=sys.stderr)
        return 4
    except OSError as exc:
        print(exc, file=sys.stderr)
        return 5
    sys.stdout.buffer.write(data or b"")
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
