"""Analytics over the whole graph with networkx: recurring failures, national theme counts.

Everything is read through the store with SPARQL -- thirteen scans of one predicate each
(the documents' concerns, themes, reports, visits and dates, the links graphs'
``okg:repeats``, ``prov:alternateOf`` and status assessments), joined in Python: 0.7 s on
the national store where one SPARQL join with OPTIONAL, BIND and FILTER NOT EXISTS took 7 s
(docs/performance.md) -- and computed in plain Python and networkx:

* :func:`recurring` ranks (authority, theme) pairs by persistence: in how many documents
  the authority's concerns carried the theme, how many years that spans, the longest chain
  of concerns repeating one another, and whether it was still open at the last visit that
  spoke to it (raised again, or assessed persisting/improving).
* :func:`themes` gives national counts of concerns by theme and year and by theme and
  region, and for each theme the authorities where it recurs.
* :func:`recurring_graph` / :func:`themes_graph` build the authority--theme networks;
  :func:`write_graphml` writes them for Gephi, yEd or Cytoscape.

Only specific themes count by default (practice areas, not the cohort or issue facets:
"care leavers" recurring in a care-leaver visit says nothing).  Broader practice areas
collect their narrower ones (pathway planning counts for planning and review too).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

if TYPE_CHECKING:
    from .store import Store

__all__ = [
    "Recurrence", "ThemeSummary", "recurring", "themes", "recurring_graph", "themes_graph",
    "write_graphml", "OPEN",
]

#: statuses under which a concern is still open
OPEN = ("raised", "persisting", "improving")
_NON_SPECIFIC = ("cohort", "issue", "national")
_STATUS_RANK = {"persisting": 4, "raised": 3, "improving": 2, "resolved": 1}
_NOT_REVIEWED = "https://w3id.org/ofsted-kg/status/not_reviewed"


@dataclass(slots=True)
class Recurrence:
    """One (authority, theme) pair and how persistently it recurs."""

    authority: str
    authority_name: str
    region: str
    theme: str  # theme IRI
    theme_label: str
    documents: int  # distinct visits whose concerns carry the theme
    first_year: int
    last_year: int
    years_spanned: int
    chain: int  # visits in the longest chain of concerns repeating one another
    still_open: bool
    last_status: str  # raised | persisting | improving | resolved
    last_date: str
    concerns: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class ThemeSummary:
    """National counts of concerns by theme, and the authorities sharing recurring ones."""

    by_year: dict[str, dict[str, int]] = field(default_factory=dict)  # theme label -> year -> n
    by_region: dict[str, dict[str, int]] = field(default_factory=dict)  # label -> region -> n
    shared: dict[str, list[str]] = field(default_factory=dict)  # label -> authority names
    authorities: dict[str, int] = field(default_factory=dict)  # label -> authorities naming it
    concerns: dict[str, int] = field(default_factory=dict)  # label -> concerns

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def rows(self) -> list[dict[str, Any]]:
        """One row per theme: concerns, authorities, years, shared recurring failure."""
        out = []
        for label in sorted(self.concerns, key=lambda t: (-self.concerns[t], t)):
            years = self.by_year.get(label, {})
            out.append({
                "theme": label, "concerns": self.concerns[label],
                "authorities": self.authorities.get(label, 0),
                "years": ", ".join(f"{y}:{n}" for y, n in sorted(years.items())),
                "regions": ", ".join(f"{r}:{n}" for r, n in sorted(
                    self.by_region.get(label, {}).items(), key=lambda x: (-x[1], x[0]))),
                "recurring_in": "; ".join(self.shared.get(label, [])),
            })
        return out


# -- reading ------------------------------------------------------------------------------
def _facets(store: "Store") -> tuple[dict[str, str], dict[str, frozenset[str]], dict[str, str]]:
    """theme -> facet key, theme -> non-root ancestors, theme -> label."""
    from .store import theme_hierarchy

    h = theme_hierarchy(store)
    facet = {t: next((k for k in _NON_SPECIFIC if k in top), "practice") for t, top in h.top.items()}
    return facet, dict(h.ancestors), h.labels


def _pairs(store: "Store", sparql: str) -> list[tuple[str, str]]:
    """The two columns of a SELECT as strings (the union default graph repeats a triple
    once per graph holding it: duplicates are dropped)."""
    res = store.query(sparql)
    a, b = (v.value for v in res.variables)
    return list(dict.fromkeys((s[a].value, s[b].value) for s in res))


def _one(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """key -> value, the smallest value where a key has several (never on built stores)."""
    out: dict[str, str] = {}
    for k, v in pairs:
        if k not in out or v < out[k]:
            out[k] = v
    return out


@dataclass(slots=True)
class _Data:
    """What both analyses read, in a few single-pattern reads joined here (each is a scan
    of one predicate; joining them in SPARQL with OPTIONAL and BIND cost 7 s on the
    national store)."""

    info: dict[str, dict[str, str]]  # concern -> authority, name, region, visit, date
    themes: dict[str, set[str]]  # concern -> its themes
    statuses: dict[str, list[tuple[str, str]]]  # concern -> (date, status) assessed
    repeats: list[tuple[str, str]]


def _read(store: "Store") -> _Data:
    visit = _one(_pairs(store, "SELECT ?r ?v WHERE { ?r okg:describes ?v }"))
    auth = _one(_pairs(store, "SELECT ?r ?a WHERE { ?r okg:authority ?a }"))
    start = _one(_pairs(store, "SELECT ?v ?d WHERE { ?v okg:startDate ?d }"))
    issued = _one(_pairs(store, "SELECT ?r ?d WHERE { ?r dcterms:issued ?d }"))
    alternate = {r for r, _ in _pairs(store, "SELECT ?r ?c WHERE { ?r prov:alternateOf ?c }")}
    name = _one(_pairs(store, "SELECT ?a ?n WHERE { ?a skos:prefLabel ?n }"))
    region = _one(_pairs(store, "SELECT ?a ?n WHERE { ?a okg:region ?n }"))

    def date(r: str) -> str:
        return start.get(visit[r]) or issued.get(r) or ""

    info: dict[str, dict[str, str]] = {}
    for c, r in _pairs(store, "SELECT ?c ?r WHERE { ?c a okg:Concern ; oa:hasSource ?r }"):
        a = auth.get(r)
        if a is None or r not in visit or r in alternate or c in info:
            continue
        info[c] = {"a": a, "name": name.get(a) or a.rsplit("/", 1)[-1],
                   "region": region.get(a, ""), "visit": visit[r], "date": date(r)}
    themes: dict[str, set[str]] = defaultdict(set)
    for c, t in _pairs(store, "SELECT ?c ?t WHERE { ?c a okg:Concern ; okg:theme ?t }"):
        if c in info:
            themes[c].add(t)
    sa_concern = _one(_pairs(store, "SELECT ?sa ?c WHERE { ?sa okg:ofConcern ?c }"))
    sa_report = _pairs(store, "SELECT ?sa ?r WHERE { ?sa okg:assessedIn ?r }")
    sa_status = _pairs(store, "SELECT ?sa ?st WHERE { ?sa okg:status ?st }")
    status_of = defaultdict(set)
    for sa, st in sa_status:
        if st != _NOT_REVIEWED:
            status_of[sa].add(st.rsplit("/", 1)[-1])
    statuses: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for sa, r in sa_report:
        c = sa_concern.get(sa)
        if c is None or r not in visit:
            continue
        for st in status_of.get(sa, ()):
            statuses[c].add((date(r), st))
    repeats = _pairs(store, "SELECT ?c ?e WHERE { ?c okg:repeats ?e }")
    info = {c: info[c] for c in themes}  # a concern counts through its themes only
    return _Data(info, dict(themes), {c: sorted(v) for c, v in statuses.items()}, repeats)


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
        from .queries import resolve_authority

        auth_iri = resolve_authority(store, authority).value
    return _recurring(_read(store), _facets(store), min_documents=min_documents,
                      auth_iri=auth_iri, specific_only=specific_only)


def _recurring(data: _Data, facets: tuple[dict[str, str], dict[str, frozenset[str]],
                                          dict[str, str]], *, min_documents: int,
               auth_iri: str | None, specific_only: bool) -> list[Recurrence]:
    facet, anc, labels = facets
    info = {c: i for c, i in data.info.items() if not auth_iri or i["a"] == auth_iri}
    pairs: dict[tuple[str, str], set[str]] = defaultdict(set)  # (authority, theme) -> concerns
    for c, i in info.items():
        for t in data.themes[c]:
            for th in {t} | anc.get(t, set()):
                if specific_only and facet.get(th, "practice") != "practice":
                    continue
                pairs[(i["a"], th)].add(c)
    g = nx.Graph()
    g.add_edges_from(e for e in data.repeats if e[0] in info and e[1] in info)

    out: list[Recurrence] = []
    for (a, th), cs in pairs.items():
        visits = {info[c]["visit"] for c in cs}
        if len(visits) < min_documents:
            continue
        years = sorted(y for c in cs if (y := _year(info[c]["date"])) is not None)
        # the latest evidence: the concern itself (raised) or a later status assessment
        events = [(info[c]["date"], "raised") for c in cs]
        events += [ev for c in cs for ev in data.statuses.get(c, [])]
        events = [e for e in events if e[0]]
        last_date = max((e[0] for e in events), default="")
        last = [s for d, s in events if d == last_date]
        last_status = max(last, key=lambda s: _STATUS_RANK.get(s, 0)) if last else "raised"
        sub = g.subgraph(cs)
        chain = max((len({info[c]["visit"] for c in comp})
                     for comp in nx.connected_components(sub)), default=1) if len(sub) else 1
        first = info[min(cs)]
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
    data, facets = _read(store), _facets(store)
    facet, anc, labels = facets
    summary = ThemeSummary()
    auths: dict[str, set[str]] = defaultdict(set)
    for c, i in data.info.items():
        counted: set[str] = set()
        for t in data.themes[c]:
            for th in {t} | anc.get(t, set()):
                if th in counted or (specific_only and facet.get(th, "practice") != "practice"):
                    continue
                counted.add(th)
                label = labels.get(th, th.rsplit("/", 1)[-1])
                year = str(_year(i["date"]) or "unknown")
                region = i["region"] or "unknown"
                by_year = summary.by_year.setdefault(label, {})
                by_year[year] = by_year.get(year, 0) + 1
                by_region = summary.by_region.setdefault(label, {})
                by_region[region] = by_region.get(region, 0) + 1
                summary.concerns[label] = summary.concerns.get(label, 0) + 1
                auths[label].add(i["a"])
    summary.authorities = {k: len(v) for k, v in auths.items()}
    for rec in _recurring(data, facets, min_documents=min_documents, auth_iri=None,
                          specific_only=specific_only):
        summary.shared.setdefault(rec.theme_label, []).append(rec.authority_name)
    summary.shared = {k: sorted(set(v)) for k, v in summary.shared.items() if len(set(v)) >= 2}
    return summary


# -- graphs -----------------------------------------------------------------------------------
def recurring_graph(rows: list[Recurrence]) -> nx.Graph:
    """Authority -- theme network: an edge per recurring pair, with its persistence."""
    g = nx.Graph()
    for r in rows:
        g.add_node(r.authority, kind="authority", label=r.authority_name, region=r.region)
        g.add_node(r.theme, kind="theme", label=r.theme_label)
        g.add_edge(r.authority, r.theme, documents=r.documents, years_spanned=r.years_spanned,
                   first_year=r.first_year, last_year=r.last_year, chain=r.chain,
                   still_open=r.still_open, last_status=r.last_status)
    return g


def themes_graph(summary: ThemeSummary) -> nx.Graph:
    """Theme -- authority network of shared recurring failures, with national counts."""
    g = nx.Graph()
    for label, names in summary.shared.items():
        tid = f"theme:{label}"
        g.add_node(tid, kind="theme", label=label, concerns=summary.concerns.get(label, 0),
                   authorities=summary.authorities.get(label, 0))
        for n in names:
            aid = f"authority:{n}"
            g.add_node(aid, kind="authority", label=n)
            g.add_edge(tid, aid)
    return g


def write_graphml(graph: nx.Graph, path: str | Path) -> None:
    """Write a network as GraphML (attributes kept: strings, numbers, booleans).

    Raises:
        OSError: the file cannot be written.
    """
    nx.write_graphml(graph, str(path))
