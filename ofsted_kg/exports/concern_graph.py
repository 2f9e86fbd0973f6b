"""The concern graph of a selection: its documents' judgements, concerns, findings, themes,
repeats, statuses and follow-ups, read from the store with SPARQL (what the HTML views and
GraphML draw; :mod:`.model` holds the records and the selection)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from .model import ConcernGraph, Item, Judgement, Selection, StatusLink, theme_id

if TYPE_CHECKING:
    from ..store import Store

__all__ = ["load_concern_graph"]

_JUDGEMENTS = """
SELECT DISTINCT ?rep ?area ?grade ?label WHERE {
  ?rep okg:describes ?v . ?v okg:hasJudgement ?j .
  ?j okg:area ?area ; okg:grade ?grade .
  OPTIONAL { ?j okg:labelAsWritten ?label }
}"""

_CONCERNS = """
SELECT ?item ?cls ?text ?page ?pos ?rep WHERE { %(values)s
  ?item a okg:Concern , ?cls ; oa:hasSource ?rep ; oa:hasSelector/oa:exact ?text . %(theme)s
  FILTER(?cls != okg:Concern && STRSTARTS(STR(?cls), STR(okg:)))
  OPTIONAL { ?item okg:page ?page } OPTIONAL { ?item okg:position ?pos }
}"""

_FINDINGS = """
SELECT ?item ?text ?page ?pos ?rep ?pol WHERE { %(values)s %(assessing)s
  ?item a okg:Finding ; oa:hasSource ?rep ; oa:hasSelector/oa:exact ?text . %(theme)s
  OPTIONAL { ?item okg:page ?page } OPTIONAL { ?item okg:position ?pos }
  OPTIONAL { ?item okg:polarity ?pol }
}"""

_FINDING_COUNT = """
SELECT (COUNT(DISTINCT ?item) AS ?n) WHERE { %(values)s
  ?item a okg:Finding ; oa:hasSource ?rep . %(theme)s }"""

_ITEM_THEMES = """
SELECT ?item ?t WHERE { %(values)s ?item oa:hasSource ?rep ; okg:theme ?t }"""

#: (report, theme) of every concern (recommendation, area for improvement ...): what the
#: national view counts, without reading any text
_PRESENCE = """
SELECT DISTINCT ?rep ?t WHERE { %(values)s
  ?x a okg:Concern ; oa:hasSource ?rep ; okg:theme ?t .
}"""

_THEME_LABELS = """
SELECT ?t ?l ?facet WHERE {
  ?t a skos:Concept .
  FILTER(STRSTARTS(STR(?t), "https://w3id.org/ofsted-kg/theme/"))
  OPTIONAL { ?t skos:prefLabel ?l FILTER(LANGMATCHES(LANG(?l), "en") || LANG(?l) = "") }
  OPTIONAL { ?t skos:broader+ ?facet . ?facet skos:topConceptOf ?scheme }
}"""

_REPEATS = "SELECT DISTINCT ?a ?b WHERE { ?a okg:repeats ?b }"

_STATUSES = """
SELECT DISTINCT ?sa ?c ?st ?rep ?f ?cue WHERE {
  ?sa okg:ofConcern ?c ; okg:status ?st .
  OPTIONAL { ?sa okg:assessedIn ?rep }
  OPTIONAL { ?sa okg:basedOn ?f }
  OPTIONAL { ?sa okg:cue ?cue }
}"""

_FOLLOWS = """
SELECT DISTINCT ?r1 ?r2 WHERE {
  ?v1 okg:followsUp ?v2 . ?r1 okg:describes ?v1 . ?r2 okg:describes ?v2 .
}"""


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _values(selection: Selection, var: str = "rep") -> str:
    """A VALUES clause restricting ``?rep`` to the selected reports ('' if unfiltered)."""
    if not selection.filtered:
        return ""
    iris = " ".join(ox.NamedNode(d.iri).__str__() for d in selection.documents)
    return f"VALUES ?{var} {{ {iris} }}"


def load_concern_graph(store: "Store", selection: Selection, *, findings: str = "all",
                       presence: bool = False) -> ConcernGraph:
    """The concern and recurrence graph of the selected documents.

    ``findings``: ``all``, ``assessing`` (only findings a status assessment is based on) or
    ``none`` (concerns only) -- reading 20,000 findings' text costs seconds, so each view
    asks for what it draws.  With a theme in the selection, only the concerns and findings
    of that theme are read.  ``presence`` also reads the (report, theme) pairs of every
    concern (the national view's counts).

    Raises:
        StoreError: the store cannot be read.
    """
    if findings not in ("all", "assessing", "none"):
        raise ValueError(f"findings must be all, assessing or none, not {findings!r}")
    reps = selection.report_iris
    docs = sorted(selection.documents, key=lambda d: (d.date, d.authority_name, d.iri))
    values = _values(selection)
    theme = f"?item okg:theme {ox.NamedNode(selection.theme)} ." if selection.theme else ""
    judgements = [
        Judgement(str(r["rep"]), _local(str(r["area"])), _local(str(r["grade"])),
                  str(r.get("label") or ""))
        for r in store.select(_JUDGEMENTS) if str(r["rep"]) in reps
    ]
    items: dict[str, Item] = {}

    def add(r: dict[str, Any], kind: str) -> None:
        rep = str(r["rep"])
        iri = str(r["item"])
        if rep not in reps or iri in items:
            return
        page = r.get("page")
        pos = r.get("pos")
        items[iri] = Item(iri=iri, kind=kind, text=str(r["text"]),
                          page=int(page) if isinstance(page, int) else None,
                          position=int(pos) if isinstance(pos, int) else None,
                          report=rep, polarity=_local(str(r.get("pol") or "")).lower())

    for r in store.select(_CONCERNS % {"values": values, "theme": theme}):
        add(r, _local(str(r["cls"])))
    if findings != "none":
        assessing = "?sa okg:basedOn ?item ." if findings == "assessing" else ""
        for r in store.select(_FINDINGS % {"values": values, "theme": theme,
                                           "assessing": assessing}):
            add(r, "Finding")
    if len(items) <= 5000:  # only the items read, else every item of the reports
        item_values = "VALUES ?item { " + " ".join(str(ox.NamedNode(i)) for i in items) + " }"
    else:
        item_values = values
    for r in store.select(_ITEM_THEMES % {"values": item_values}):
        it = items.get(str(r["item"]))
        if it is not None:
            tid = theme_id(str(r["t"]))
            if tid not in it.themes:
                it.themes.append(tid)
    for it in items.values():
        it.themes.sort()
    pairs: list[tuple[str, str]] = []
    if presence:
        pairs = sorted({(str(r["rep"]), theme_id(str(r["t"])))
                        for r in store.select(_PRESENCE % {"values": values})
                        if str(r["rep"]) in reps})
    if selection.theme:
        want = theme_id(selection.theme)
        pairs = [p for p in pairs if p[1] == want]
    labels: dict[str, str] = {}
    facets: dict[str, str] = {}
    for r in store.select(_THEME_LABELS):
        tid = theme_id(str(r["t"]))
        if r.get("l") and tid not in labels:
            labels[tid] = str(r["l"])
        if r.get("facet") and not facets.get(tid):
            facets[tid] = theme_id(str(r["facet"]))
    used = {t for it in items.values() for t in it.themes} | {t for _, t in pairs}
    theme_labels = {t: labels.get(t, t) for t in sorted(used)}
    theme_facets = {t: facets.get(t, "") for t in sorted(used)}
    repeats = [(str(r["a"]), str(r["b"])) for r in store.select(_REPEATS)
               if str(r["a"]) in items and str(r["b"]) in items]
    statuses = [
        StatusLink(str(r["c"]), _local(str(r["st"])), str(r.get("rep") or ""),
                   str(r.get("f") or ""), str(r.get("cue") or ""))
        for r in store.select(_STATUSES)
        if str(r["c"]) in items and (not r.get("rep") or str(r["rep"]) in reps)
    ]
    follows = [(str(r["r1"]), str(r["r2"])) for r in store.select(_FOLLOWS)
               if str(r["r1"]) in reps and str(r["r2"]) in reps]
    nf = store.select(_FINDING_COUNT % {"values": values, "theme": theme})
    return ConcernGraph(selection, docs, judgements, list(items.values()), sorted(set(repeats)),
                        statuses, sorted(set(follows)), theme_labels, theme_facets, pairs,
                        int(nf[0]["n"]) if nf else 0)
