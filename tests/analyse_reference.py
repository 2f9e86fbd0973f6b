"""The slow derivation of ``analyse recurring`` and ``analyse themes``, as ofsted_kg/analyse.py
computed them up to commit 0ce370a (one SPARQL join of concerns, reports, visits, dates and
authorities with OPTIONAL, BIND and FILTER NOT EXISTS; themes() read it all twice): the
reference the fast path is compared with (tests/test_analyse_fast.py).  Do not optimise.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

import networkx as nx

from ofsted_kg.analyse import OPEN, Recurrence, ThemeSummary

if TYPE_CHECKING:
    from ofsted_kg.store import Store

_NON_SPECIFIC = ("cohort", "issue", "national")
_STATUS_RANK = {"persisting": 4, "raised": 3, "improving": 2, "resolved": 1}


# -- reading ------------------------------------------------------------------------------
def _facets(store: "Store") -> tuple[dict[str, str], dict[str, frozenset[str]], dict[str, str]]:
    """theme -> facet key, theme -> non-root ancestors, theme -> label."""
    from ofsted_kg.store import theme_hierarchy

    h = theme_hierarchy(store)
    facet = {t: next((k for k in _NON_SPECIFIC if k in top), "practice") for t, top in h.top.items()}
    return facet, dict(h.ancestors), h.labels


def _concerns(store: "Store") -> list[dict[str, Any]]:
    return store.select("""SELECT DISTINCT ?c ?a ?name ?region ?v ?date ?t WHERE {
        ?c a okg:Concern ; oa:hasSource ?r ; okg:theme ?t .
        ?r okg:authority ?a ; okg:describes ?v .
        FILTER NOT EXISTS { ?r prov:alternateOf ?canonical }
        OPTIONAL { ?a skos:prefLabel ?name } OPTIONAL { ?a okg:region ?region }
        OPTIONAL { ?v okg:startDate ?start } OPTIONAL { ?r dcterms:issued ?issued }
        BIND(COALESCE(?start, ?issued) AS ?date) }""")


def _assessments(store: "Store") -> list[dict[str, Any]]:
    return store.select("""SELECT DISTINCT ?c ?status ?date WHERE {
        ?sa okg:ofConcern ?c ; okg:assessedIn ?r ; okg:status ?st .
        FILTER(?st != status:not_reviewed)
        ?r okg:describes ?v .
        OPTIONAL { ?v okg:startDate ?start } OPTIONAL { ?r dcterms:issued ?issued }
        BIND(COALESCE(?start, ?issued) AS ?date)
        BIND(REPLACE(STR(?st), "^.*/", "") AS ?status) }""")


def _repeats(store: "Store") -> list[tuple[str, str]]:
    return [(str(r["c"]), str(r["e"])) for r in store.select(
        "SELECT DISTINCT ?c ?e WHERE { ?c okg:repeats ?e }")]


def _year(date: Any) -> int | None:
    s = str(date or "")
    return int(s[:4]) if len(s) >= 4 and s[:4].isdigit() else None


# -- recurring ------------------------------------------------------------------------------
def recurring(store: "Store", *, min_documents: int = 3, authority: str | None = None,
              specific_only: bool = True) -> list[Recurrence]:
    """(authority, theme) pairs whose concerns recur in at least ``min_documents`` documents.

    Ranked by documents, then years spanned, then still open, then chain length.
    ``authority`` (a name, GSS code or URN) keeps one authority.

    Raises:
        QueryError: the authority is unknown.
        StoreError: the store cannot be read.
    """
    auth_iri = None
    if authority:
        from ofsted_kg.queries import resolve_authority

        auth_iri = resolve_authority(store, authority).value
    facet, anc, labels = _facets(store)
    info: dict[str, dict[str, Any]] = {}
    pairs: dict[tuple[str, str], set[str]] = defaultdict(set)  # (authority, theme) -> concerns
    for r in _concerns(store):
        a = str(r["a"])
        if auth_iri and a != auth_iri:
            continue
        c = str(r["c"])
        info.setdefault(c, {"a": a, "name": str(r.get("name") or a.rsplit("/", 1)[-1]),
                            "region": str(r.get("region") or ""), "visit": str(r["v"]),
                            "date": str(r.get("date") or "")})
        t = str(r["t"])
        for th in {t} | anc.get(t, set()):
            if specific_only and facet.get(th, "practice") != "practice":
                continue
            pairs[(a, th)].add(c)
    statuses: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for r in _assessments(store):
        statuses[str(r["c"])].append((str(r.get("date") or ""), str(r["status"])))
    g = nx.Graph()
    g.add_edges_from(e for e in _repeats(store) if e[0] in info and e[1] in info)

    out: list[Recurrence] = []
    for (a, th), cs in pairs.items():
        visits = {info[c]["visit"] for c in cs}
        if len(visits) < min_documents:
            continue
        years = sorted(y for c in cs if (y := _year(info[c]["date"])) is not None)
        # the latest evidence: the concern itself (raised) or a later status assessment
        events = [(info[c]["date"], "raised") for c in cs]
        events += [ev for c in cs for ev in statuses.get(c, [])]
        events = [e for e in events if e[0]]
        last_date = max((e[0] for e in events), default="")
        last = [s for d, s in events if d == last_date]
        last_status = max(last, key=lambda s: _STATUS_RANK.get(s, 0)) if last else "raised"
        sub = g.subgraph(cs)
        chain = max((len({info[c]["visit"] for c in comp})
                     for comp in nx.connected_components(sub)), default=1) if len(sub) else 1
        first = info[next(iter(cs))]
        out.append(Recurrence(
            authority=a, authority_name=first["name"], region=first["region"], theme=th,
            theme_label=labels.get(th, th.rsplit("/", 1)[-1]), documents=len(visits),
            first_year=years[0] if years else 0, last_year=years[-1] if years else 0,
            years_spanned=(years[-1] - years[0]) if years else 0, chain=max(chain, 1),
            still_open=last_status in OPEN, last_status=last_status, last_date=last_date,
            concerns=len(cs)))
    out.sort(key=lambda x: (-x.documents, -x.years_spanned, not x.still_open, -x.chain,
                            x.authority_name, x.theme_label))
    return out


def themes(store: "Store", *, min_documents: int = 2, specific_only: bool = True
           ) -> ThemeSummary:
    """National counts of concerns by theme and year, theme and region, and the
    authorities in which each theme recurs (in at least ``min_documents`` documents).

    Raises:
        StoreError: the store cannot be read.
    """
    facet, anc, labels = _facets(store)
    summary = ThemeSummary()
    seen: set[tuple[str, str]] = set()
    auths: dict[str, set[str]] = defaultdict(set)
    for r in _concerns(store):
        c, t = str(r["c"]), str(r["t"])
        for th in {t} | anc.get(t, set()):
            if specific_only and facet.get(th, "practice") != "practice":
                continue
            if (c, th) in seen:
                continue
            seen.add((c, th))
            label = labels.get(th, th.rsplit("/", 1)[-1])
            year = str(_year(r.get("date")) or "unknown")
            region = str(r.get("region") or "unknown")
            summary.by_year.setdefault(label, {}).setdefault(year, 0)
            summary.by_year[label][year] += 1
            summary.by_region.setdefault(label, {}).setdefault(region, 0)
            summary.by_region[label][region] += 1
            summary.concerns[label] = summary.concerns.get(label, 0) + 1
            auths[label].add(str(r["a"]))
    summary.authorities = {k: len(v) for k, v in auths.items()}
    for rec in recurring(store, min_documents=min_documents, specific_only=specific_only):
        summary.shared.setdefault(rec.theme_label, []).append(rec.authority_name)
    summary.shared = {k: sorted(set(v)) for k, v in summary.shared.items() if len(set(v)) >= 2}
    return summary
