"""Time the examples of docs/queries.md's guide ("Writing queries that Oxigraph plans
well", ofsted_kg/queries/guide.py) on a store, each under a time limit.

    python bench/query_guide.py STORE [NAME...] [--runs 3] [--timeout 120]

Each query runs through ``run_query`` (as ``ofsted-kg query`` runs it) --runs times; a run
stopped at --timeout is printed as "stopped" and not repeated.  The national store:
``python bench/national.py --keep --store /tmp/national/store``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from _common import machine

from ofsted_kg.queries.guide import EXAMPLES

#: the guide's examples (ofsted_kg/queries/guide.py) and the variants its tables time
Q: dict[str, str] = {}
Q["analyst"] = EXAMPLES["analyst"]
Q["plain"] = """SELECT ?concernText ?findingText ?st WHERE {
  ?sa a okg:StatusAssessment ; okg:ofConcern ?c ; okg:basedOn ?f ; okg:status ?st .
  ?c oa:hasSelector/oa:exact ?concernText .
  ?f oa:hasSelector/oa:exact ?findingText .
}"""
Q["patterns-first"] = EXAMPLES["patterns-first"]
Q["bind-only-early"] = """SELECT ?concernText ?findingText ?status WHERE {
  ?sa a okg:StatusAssessment ; okg:ofConcern ?c ; okg:basedOn ?f ; okg:status ?st .
  BIND(STRAFTER(STR(?st), "/status/") AS ?status)
  ?c oa:hasSelector/oa:exact ?concernText .
  ?f oa:hasSelector/oa:exact ?findingText .
}"""
Q["optional-only-early"] = """SELECT ?concernText ?findingText ?st ?cue WHERE {
  ?sa a okg:StatusAssessment ; okg:ofConcern ?c ; okg:basedOn ?f ; okg:status ?st .
  OPTIONAL { ?sa okg:cue ?cue }
  ?c oa:hasSelector/oa:exact ?concernText .
  ?f oa:hasSelector/oa:exact ?findingText .
}"""
Q["authority-iri"] = EXAMPLES["authority-iri"]
Q["authority-name"] = """SELECT ?concernText ?findingText ?status ?cue WHERE {
  ?r okg:authority/skos:prefLabel "Sefton"@en .
  ?sa okg:assessedIn ?r ; okg:ofConcern ?c ; okg:basedOn ?f ; okg:status ?st .
  ?c oa:hasSelector/oa:exact ?concernText .
  ?f oa:hasSelector/oa:exact ?findingText .
  OPTIONAL { ?sa okg:cue ?cue }
  BIND(STRAFTER(STR(?st), "/status/") AS ?status)
}"""
Q["authority-name-distinct"] = """SELECT ?concernText ?findingText ?status ?cue WHERE {
  { SELECT DISTINCT ?a WHERE { ?a a okg:Authority ; skos:prefLabel "Sefton"@en } }
  ?r okg:authority ?a .
  ?sa okg:assessedIn ?r ; okg:ofConcern ?c ; okg:basedOn ?f ; okg:status ?st .
  ?c oa:hasSelector/oa:exact ?concernText .
  ?f oa:hasSelector/oa:exact ?findingText .
  OPTIONAL { ?sa okg:cue ?cue }
  BIND(STRAFTER(STR(?st), "/status/") AS ?status)
}"""
Q["filter-words"] = """SELECT ?concernText ?findingText ?status WHERE {
  ?sa a okg:StatusAssessment ; okg:ofConcern ?c ; okg:basedOn ?f ; okg:status ?st .
  ?c oa:hasSelector/oa:exact ?concernText .
  ?f oa:hasSelector/oa:exact ?findingText .
  FILTER(CONTAINS(LCASE(?concernText), "mental health"))
  BIND(STRAFTER(STR(?st), "/status/") AS ?status)
}"""
Q["filter-words-early"] = """SELECT ?concernText ?findingText ?status WHERE {
  ?c oa:hasSelector/oa:exact ?concernText .
  FILTER(CONTAINS(LCASE(?concernText), "mental health"))
  ?sa a okg:StatusAssessment ; okg:ofConcern ?c ; okg:basedOn ?f ; okg:status ?st .
  ?f oa:hasSelector/oa:exact ?findingText .
  BIND(STRAFTER(STR(?st), "/status/") AS ?status)
}"""
Q["filter-subquery"] = EXAMPLES["filter-subquery"]
Q["union-names"] = """SELECT ?r ?name WHERE { ?r a okg:Report ; okg:authority ?a . ?a skos:prefLabel ?name }"""
Q["union-names-distinct"] = """SELECT DISTINCT ?r ?name WHERE { ?r a okg:Report ; okg:authority ?a . ?a skos:prefLabel ?name }"""
Q["graph-names"] = """SELECT ?r ?name WHERE { GRAPH ?g { ?r a okg:Report ; okg:authority ?a . ?a skos:prefLabel ?name } }"""
Q["graph-join"] = """SELECT ?concernText ?findingText ?status ?cue WHERE {
  GRAPH ?links { ?sa a okg:StatusAssessment ; okg:ofConcern ?c ; okg:basedOn ?f ; okg:status ?st .
                 OPTIONAL { ?sa okg:cue ?cue } }
  GRAPH ?cg { ?c oa:hasSelector/oa:exact ?concernText }
  GRAPH ?fg { ?f oa:hasSelector/oa:exact ?findingText }
  BIND(STRAFTER(STR(?st), "/status/") AS ?status)
}"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("store", type=Path)
    ap.add_argument("names", nargs="*", help=f"queries to run (default all: {', '.join(Q)})")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=120.0)
    args = ap.parse_args()
    print(machine())

    from ofsted_kg.errors import QueryError
    from ofsted_kg.queries import parse_query_file, run_query
    from ofsted_kg.store import open_store

    with open_store(args.store, read_only=True) as st:
        print(f"store {args.store}: {st.count()} quads; time limit {args.timeout:.0f} s")
        for name in args.names or list(Q):
            q = parse_query_file(Q[name], name=name)
            times: list[float] = []
            rows = ""
            for _ in range(args.runs):
                t = time.perf_counter()
                try:
                    rows = str(len(run_query(st, q, timeout=args.timeout).rows))
                except QueryError as exc:
                    if not str(exc).startswith("query stopped"):
                        raise
                    rows = f"stopped at {args.timeout:.0f} s"
                    break
                times.append(time.perf_counter() - t)
            best = f"{min(times):8.3f} s" if times else "        --"
            print(f"{name:26} {rows:>18}  best {best}  runs "
                  + " ".join(f"{x:.2f}" for x in times), flush=True)


if __name__ == "__main__":
    main()
