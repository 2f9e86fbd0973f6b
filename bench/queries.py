"""Latency of every named query: the Oxigraph store next to rdflib in memory.

    python bench/queries.py STORE [--runs 20] [--budget 20] [--rdflib-runs 3]
                            [--rdflib-timeout 300] [--no-rdflib]

STORE is an on-disk store (e.g. from ``python bench/national.py --keep``).  The queries run
as ``ofsted-kg query`` runs them: under the time limit, in a child process (``--timeout 0``:
in this process).  Each named
query runs with the parameters of its header's ``example`` line; p50 and p95 over --runs.
The same triples are then loaded into an rdflib ``Dataset`` (default graph = union) and
each query runs there with ``prepareQuery`` + ``initBindings`` (fewer runs: it is slow).
rdflib is skipped above --rdflib-max-quads (memory).  Each query stops early after --budget seconds (at least 3 runs); an rdflib run longer than
--rdflib-timeout seconds is stopped and shown as ">timeout".
Goals: p50 < 50 ms for the persistence and recurrence queries; >= 10x rdflib.
"""

from __future__ import annotations

import argparse
import shlex
import signal
import time
from pathlib import Path

from _common import machine, percentiles


def example_params(example: str) -> dict[str, str]:
    words = shlex.split(example)
    out = {}
    for i, w in enumerate(words):
        if w in ("-p", "--param") and i + 1 < len(words) and "=" in words[i + 1]:
            k, _, v = words[i + 1].partition("=")
            out[k] = v
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("store", type=Path)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--budget", type=float, default=20.0)
    ap.add_argument("--rdflib-runs", type=int, default=3)
    ap.add_argument("--rdflib-timeout", type=int, default=300)
    ap.add_argument("--no-rdflib", action="store_true")
    ap.add_argument("--timeout", type=float, default=None,
                    help="the queries' time limit (default: ofsted-kg query's, 60 s: each "
                    "query runs in a child process; 0: in this process, no limit)")
    ap.add_argument("--rdflib-max-quads", type=int, default=2_000_000,
                    help="skip rdflib above this size (it needs ~3.5 KB of RAM per quad)")
    args = ap.parse_args()

    from ofsted_kg.ontology.namespaces import PREFIXES
    from ofsted_kg.queries import bind_parameters, list_queries, run_query
    from ofsted_kg.store import open_store

    print(machine())
    st = open_store(args.store, read_only=True)
    quads = st.count()  # (the items are in the default graph: GRAPH ?g misses them)
    print(f"store: {args.store} ({quads} quads)")
    ours: dict[str, tuple[float, float, int, dict]] = {}
    for q in list_queries():
        params = example_params(q.example)
        try:
            res = run_query(st, q, params, timeout=args.timeout)
        except Exception as exc:  # noqa: BLE001 -- report and go on
            print(f"{q.name}: skipped ({exc})")
            continue
        times = []
        start = time.perf_counter()
        for i in range(args.runs):
            t0 = time.perf_counter()
            try:  # a later run may pass the time limit the first stayed under
                run_query(st, q, params, timeout=args.timeout)
            except Exception as exc:  # noqa: BLE001 -- report and go on
                print(f"{q.name}: run {i + 1} stopped ({exc})")
                break
            times.append((time.perf_counter() - t0) * 1000)
            if i >= 2 and time.perf_counter() - start > args.budget:
                break
        if not times:
            continue
        p50, p95 = percentiles(times)
        bindings = bind_parameters(st, q, params, check_required=False)
        ours[q.name] = (p50, p95, len(res.rows), bindings)
        print(f"  {q.name}: {len(res.rows)} rows, p50 {p50:.2f} ms, p95 {p95:.2f} ms "
              f"({len(times)} runs)", flush=True)

    rdf_times: dict[str, float | None] = {}
    if not args.no_rdflib and quads > args.rdflib_max_quads:
        print(f"rdflib not run: {quads} quads > --rdflib-max-quads {args.rdflib_max_quads} "
              "(loading 4.45M quads took > 15 GB of RAM and > 5 minutes before it was stopped)")
    elif not args.no_rdflib:
        import rdflib
        from rdflib.plugins.sparql import prepareQuery

        t0 = time.perf_counter()
        ds = rdflib.Dataset(default_union=True)
        data = "".join(f"{q.subject} {q.predicate} {q.object} {q.graph_name} .\n"
                       for q in st.quads())
        ds.parse(data=data, format="nquads")
        print(f"rdflib Dataset loaded in {time.perf_counter() - t0:.1f} s", flush=True)

        def _timeout(signum: int, frame: object) -> None:
            raise TimeoutError
        for q in list_queries():
            if q.name not in ours:
                continue
            prepared = prepareQuery(q.text, initNs=PREFIXES)
            init = {rdflib.Variable(k): (rdflib.URIRef(v.value) if hasattr(v, "value") and
                                         type(v).__name__ == "NamedNode" else
                                         rdflib.Literal(v.value, datatype=rdflib.URIRef(v.datatype.value)
                                                        if v.datatype else None))
                    for k, v in ours[q.name][3].items()}
            times = []
            old = signal.signal(signal.SIGALRM, _timeout)
            try:
                for _ in range(args.rdflib_runs):
                    t1 = time.perf_counter()
                    signal.alarm(args.rdflib_timeout)
                    list(ds.query(prepared, initBindings=init))
                    signal.alarm(0)
                    times.append((time.perf_counter() - t1) * 1000)
                rdf_times[q.name] = percentiles(times)[0]
            except TimeoutError:
                rdf_times[q.name] = None
            finally:
                signal.alarm(0)
                signal.signal(signal.SIGALRM, old)
            r = rdf_times[q.name]
            print(f"  rdflib {q.name}: " + (f"{r:.1f} ms" if r is not None else
                                            f"> {args.rdflib_timeout} s (stopped)"), flush=True)
    st.close()

    print(f"{'query':34} {'rows':>6} {'p50 ms':>9} {'p95 ms':>9} {'rdflib p50 ms':>14} {'speed-up':>9}")
    for name, (p50, p95, rows, _) in ours.items():
        if name not in rdf_times:
            rd, sp = "-", "-"
        elif rdf_times[name] is None:
            rd, sp = f">{args.rdflib_timeout * 1000}", f">{args.rdflib_timeout * 1000 / p50:.0f}x"
        else:
            r = rdf_times[name]
            rd, sp = f"{r:.1f}", f"{r / p50:.0f}x" if p50 else "-"
        print(f"{name:34} {rows:6d} {p50:9.2f} {p95:9.2f} {rd:>14} {sp:>9}")


if __name__ == "__main__":
    main()
