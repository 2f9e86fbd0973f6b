"""Reading one authority's reports, concern items, findings and themes, and the theme
vocabulary, out of the store (the authority bound as an RDF term)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from ...lineage.records import Item
from ...ontology.namespaces import GRAPH, ID
from ...store import Store, theme_hierarchy

LINKS_PREFIX = str(GRAPH["links/"])
_GSS = re.compile(r"^[EWSN]\d{8}$")

#: how much a shared theme of each facet counts (by the facet's top concept's id)
FACET_WEIGHTS = {"practice": 1.0, "cohort": 0.25, "issue": 0.15, "national": 0.3}
_UNKNOWN_FACET_WEIGHT = 0.5

_DOC_RANK = {"full_inspection": 0, "joint_targeted_area_inspection": 1, "monitoring_visit": 2,
             "focused_visit": 3, "commissioner_report": 4, "other": 5}
_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august",
     "september", "october", "november", "december"], 1)}


@dataclass(slots=True)
class _Doc:
    report: str
    sha: str
    type: str
    visit: str
    date: str  # ISO date used for ordering (visit start, else end, else issued)
    evidence: str = ""
    n_concerns: int = 0
    n_items: int = 0
    file: str = ""
    topics: frozenset[str] = frozenset()  # the visit's okg:visitTopic (local names)


@dataclass(slots=True)
class _Item(Item):
    """An item as the links step reads it: the lineage's item, its polarity as the
    ontology's local name (Strength | Weakness | Mixed, findings only), with its TF-IDF
    vector."""

    vec: dict[str, float] = field(default_factory=dict)


@dataclass(slots=True)
class _Vocab:
    weight: dict[str, float]  # theme IRI -> facet weight
    facet: dict[str, str]  # theme IRI -> facet key
    ancestors: dict[str, frozenset[str]]  # theme IRI -> broader* (facet roots excluded)
    label: dict[str, str]

    specificity: dict[str, float] = field(default_factory=dict)  # per authority, 0.5..1
    digest: str = ""  # the vocabulary graph's okg:sha256

    def w(self, t: str) -> float:
        return self.weight.get(t, _UNKNOWN_FACET_WEIGHT) * self.specificity.get(t, 1.0)

    def name(self, t: str) -> str:
        return self.label.get(t) or t.rsplit("/", 1)[-1]


def _read_vocab(store: Store) -> _Vocab:
    h = theme_hierarchy(store)
    facet = {t: next((k for k in FACET_WEIGHTS if k in top), "other") for t, top in h.top.items()}
    weight = {t: FACET_WEIGHTS.get(f, _UNKNOWN_FACET_WEIGHT) for t, f in facet.items()}
    return _Vocab(weight, facet, dict(h.ancestors), h.labels, digest=_vocabulary_digest(store))


def _vocabulary_digest(store: Store) -> str:
    g = str(GRAPH["vocabulary"])
    rows = store.select(f"SELECT ?d WHERE {{ GRAPH <{g}> {{ <{g}> okg:sha256 ?d }} }}",
                        union=False)
    return str(rows[0]["d"]) if rows else ""


def authority_key(gss: str | None, name: str | None) -> str:
    """The key of an authority's links graph: its GSS code, else ``name-<slug>``."""
    if gss:
        return gss
    slug = re.sub(r"[^a-z0-9]+", "-", (name or "").lower()).strip("-") or "unknown"
    return f"name-{slug}"


def _authority_rows(store: Store) -> list[dict[str, object]]:
    return store.select("""SELECT DISTINCT ?a ?gss ?name ?sha WHERE {
        ?r a okg:Report ; okg:authority ?a ; okg:sha256 ?sha .
        OPTIONAL { ?a okg:gssCode ?gss } OPTIONAL { ?a skos:prefLabel ?name } }""")


def _resolve(store: Store, key: str) -> tuple[str | None, str]:
    """(authority IRI or None, links-graph key) for a key given by the pipeline."""
    key = key.strip()
    if _GSS.match(key):
        return str(ID[f"authority/{key}"]), key
    if key.startswith(str(ID)):
        rows = store.select(f"SELECT ?g ?n WHERE {{ OPTIONAL {{ <{key}> okg:gssCode ?g }} "
                            f"OPTIONAL {{ <{key}> skos:prefLabel ?n }} }}")
        r = rows[0] if rows else {}
        return key, authority_key(r.get("g"), r.get("n") or key.rsplit("/", 1)[-1])  # type: ignore[arg-type]
    for r in _authority_rows(store):
        name = str(r.get("name") or "")
        if name.lower() == key.lower() or (key.startswith("name-") and
                                            authority_key(None, name) == key):
            return str(r["a"]), authority_key(r.get("gss"), name)  # type: ignore[arg-type]
    return None, authority_key(None, key.removeprefix("name-"))


def _read_docs(store: Store, auth: str) -> list[_Doc]:
    rows = store.select(f"""SELECT DISTINCT ?r ?sha ?type ?v ?start ?end ?issued ?ev ?file WHERE {{
        ?r a okg:Report ; okg:authority <{auth}> ; okg:sha256 ?sha ; okg:documentType ?type ;
           okg:describes ?v .
        OPTIONAL {{ ?v okg:startDate ?start }} OPTIONAL {{ ?v okg:endDate ?end }}
        OPTIONAL {{ ?r dcterms:issued ?issued }} OPTIONAL {{ ?r okg:sourceFile ?file }}
        OPTIONAL {{ GRAPH ?g {{ ?v okg:followUpEvidence ?ev }}
                   FILTER(!STRSTARTS(STR(?g), "{LINKS_PREFIX}")) }} }}""")
    topics: dict[str, set[str]] = defaultdict(set)
    for r in store.select(f"""SELECT DISTINCT ?v ?t WHERE {{
            ?r a okg:Report ; okg:authority <{auth}> ; okg:describes ?v . ?v okg:visitTopic ?t }}"""):
        topics[str(r["v"])].add(str(r["t"]).rsplit("/", 1)[-1])
    docs: dict[str, _Doc] = {}
    for r in rows:
        rep = str(r["r"])
        date = str(r.get("start") or r.get("end") or r.get("issued") or "")
        d = docs.get(rep)
        if d is None:
            docs[rep] = _Doc(rep, str(r["sha"]), str(r["type"]), str(r["v"]), date,
                             str(r.get("ev") or ""), file=str(r.get("file") or ""),
                             topics=frozenset(topics.get(str(r["v"]), ())))
        elif r.get("ev") and len(str(r["ev"])) > len(d.evidence):
            d.evidence = str(r["ev"])
    return sorted(docs.values(), key=lambda d: (d.date or "9999", _DOC_RANK.get(d.type, 9), d.sha))


def _read_items(store: Store, auth: str, vocab: _Vocab) -> list[_Item]:
    rows = store.select(f"""SELECT DISTINCT ?i ?r ?cls ?text ?page ?pos ?pol WHERE {{
        ?r okg:authority <{auth}> ; a okg:Report .
        ?i oa:hasSource ?r ; oa:hasSelector/oa:exact ?text ; a ?cls .
        FILTER(?cls IN (okg:Recommendation, okg:AreaForImprovement, okg:AreaOfConcern,
                        okg:AreaForPriorityAction, okg:Finding))
        OPTIONAL {{ ?i okg:page ?page }} OPTIONAL {{ ?i okg:position ?pos }}
        OPTIONAL {{ ?i okg:polarity ?pol }} }}""")
    items: dict[str, _Item] = {}
    for r in rows:
        iri = str(r["i"])
        if iri in items:
            continue
        items[iri] = _Item(iri, str(r["r"]), str(r["cls"]).rsplit("#", 1)[-1], str(r["text"]),
                           int(r.get("page") or 0), int(r.get("pos") or 0),
                           str(r.get("pol") or "").rsplit("#", 1)[-1])
    themes: dict[str, set[str]] = defaultdict(set)
    for r in store.select(f"""SELECT DISTINCT ?i ?t WHERE {{
            ?r okg:authority <{auth}> ; a okg:Report . ?i oa:hasSource ?r ; okg:theme ?t }}"""):
        themes[str(r["i"])].add(str(r["t"]))
    for iri, it in items.items():
        it.themes = frozenset(themes.get(iri, ()))
    return sorted(items.values(), key=lambda i: (i.report, i.is_finding, i.position, i.iri))

