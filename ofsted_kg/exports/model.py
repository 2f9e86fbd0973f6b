"""What every export reads from the store: the selected documents and their concern graph.

Everything here reads through :class:`~ofsted_kg.store.Store` with SPARQL (exports never
import ``graph_builder``).  :func:`select_documents` applies the ``authority`` / ``theme`` /
``since`` filter shared by every format; :func:`load_concern_graph` reads the documents,
judgements, concerns, findings, themes and cross-visit links the HTML views and GraphML draw.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from ..errors import OfstedKGError, QueryError
from ..ontology.namespaces import OKG, THEME

if TYPE_CHECKING:
    from ..store import Store

__all__ = [
    "ExportError", "Selection", "Document", "Item", "Judgement", "StatusLink", "ConcernGraph",
    "select_documents", "load_concern_graph", "theme_id", "KIND_LABELS",
]

THEME_NS = str(THEME)
OKG_NS = str(OKG._NS)

#: concern classes (local names of okg: IRIs) -> the kind shown to people
KIND_LABELS = {
    "Recommendation": "recommendation",
    "AreaForImprovement": "area for improvement",
    "AreaOfConcern": "area of concern",
    "AreaForPriorityAction": "area for priority action",
    "Concern": "concern",
    "Finding": "finding",
}


class ExportError(OfstedKGError):
    """An export cannot be made as asked (unknown format or view, missing theme, ...)."""


def theme_id(iri: str) -> str:
    """``https://w3id.org/ofsted-kg/theme/care-leavers`` -> ``care-leavers``."""
    return iri[len(THEME_NS):] if iri.startswith(THEME_NS) else iri.rsplit("/", 1)[-1]


@dataclass(slots=True)
class Document:
    """One report of the selection."""

    iri: str
    sha256: str
    document_type: str
    date: str  # visit start date, else publication date ('' if neither)
    published: str
    authority: str  # authority IRI ('' if unknown)
    authority_name: str
    file: str
    title: str
    visit: str  # the visit IRI it describes

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if self.date[:4].isdigit() else None

    @property
    def label(self) -> str:
        kind = self.document_type.replace("_", " ")
        return f"{kind} {self.date[:10]}".strip()


@dataclass(slots=True)
class Judgement:
    report: str
    area: str  # local id, e.g. overall_effectiveness
    grade: str  # local id, e.g. requires_improvement
    label: str


@dataclass(slots=True)
class Item:
    """A concern (recommendation, area for improvement...) or a finding."""

    iri: str
    kind: str  # local class name: Recommendation, AreaOfConcern, ..., Finding
    text: str
    page: int | None
    position: int | None
    report: str
    polarity: str = ""  # findings: strength | weakness | mixed
    themes: list[str] = field(default_factory=list)  # theme ids

    @property
    def is_finding(self) -> bool:
        return self.kind == "Finding"


@dataclass(slots=True)
class StatusLink:
    """A later document's view of an earlier concern."""

    concern: str
    status: str  # local id: persisting, improving, resolved, not_reviewed, raised
    report: str  # the later report ('' if unknown)
    finding: str  # the finding it was read from ('' if none)
    cue: str


@dataclass(slots=True)
class Selection:
    """The documents an export covers and the filter that chose them."""

    documents: list[Document]
    authority: str | None = None  # the authority IRI asked for
    authority_name: str | None = None
    theme: str | None = None  # the theme IRI asked for
    since: int | None = None

    @property
    def report_iris(self) -> set[str]:
        return {d.iri for d in self.documents}

    @property
    def filtered(self) -> bool:
        return bool(self.authority or self.theme or self.since)


@dataclass(slots=True)
class ConcernGraph:
    """The concern and recurrence graph of a selection."""

    selection: Selection
    documents: list[Document]  # in date order
    judgements: list[Judgement]
    items: list[Item]
    repeats: list[tuple[str, str]]  # (later concern, earlier concern)
    statuses: list[StatusLink]
    follows_up: list[tuple[str, str]]  # (later report, earlier report)
    theme_labels: dict[str, str]  # theme id -> label (the id when the vocabulary lacks it)
    theme_facets: dict[str, str]  # theme id -> facet id ('' when unknown)
    presence: list[tuple[str, str]] = field(default_factory=list)  # (report, theme id) of
    # every concern
    finding_count: int = 0  # findings in the selected documents (of the theme, if any)


def _resolve_authority(store: "Store", value: str) -> tuple[str, str]:
    from ..queries import resolve_authority

    iri = resolve_authority(store, value).value
    rows = store.select("SELECT ?a ?n WHERE { ?a skos:prefLabel ?n } LIMIT 1",
                        bindings={"a": ox.NamedNode(iri)})
    return iri, str(rows[0]["n"]) if rows else value


def _resolve_theme(store: "Store", value: str) -> str:
    from ..queries import resolve_theme

    try:
        return resolve_theme(store, value).value
    except QueryError:
        # the vocabulary may not hold it yet: accept a theme id used in the data
        iri = value if value.startswith(THEME_NS) else THEME_NS + value.strip().lower()
        rows = store.select("SELECT ?t WHERE { ?x okg:theme ?t } LIMIT 1",
                            bindings={"t": ox.NamedNode(iri)})
        if rows:
            return iri
        raise


_DOCS = """
SELECT DISTINCT ?rep ?sha ?type ?issued ?start ?visit ?auth ?file ?title WHERE {
  ?rep a okg:Report ; okg:sha256 ?sha .
  OPTIONAL { ?rep okg:documentType ?type }
  OPTIONAL { ?rep dcterms:issued ?issued }
  OPTIONAL { ?rep okg:describes ?visit OPTIONAL { ?visit okg:startDate ?start } }
  OPTIONAL { ?rep okg:authority ?auth }
  OPTIONAL { ?rep okg:sourceFile ?file }
  OPTIONAL { ?rep dcterms:title ?title }
}"""

_AUTH_NAMES = """
SELECT DISTINCT ?a ?n WHERE { ?a a okg:Authority ; skos:prefLabel ?n }"""

_THEMED_REPORTS = """
SELECT DISTINCT ?rep ?t WHERE { ?x oa:hasSource ?rep ; okg:theme ?t }"""


def select_documents(store: "Store", *, authority: str | None = None, theme: str | None = None,
                     since: int | None = None) -> Selection:
    """The documents an export covers, in date order.

    ``authority`` (name, GSS code or Ofsted URN) keeps that authority's documents; ``theme``
    (id or label) keeps documents with a concern or finding of that theme; ``since`` keeps
    documents dated (visit start, else publication) in that year or later.

    Raises:
        QueryError: no authority or theme matches.
        StoreError: the store cannot be read.
    """
    auth_iri = auth_name = None
    if authority:
        auth_iri, auth_name = _resolve_authority(store, authority)
    theme_iri = _resolve_theme(store, theme) if theme else None
    names = {str(r["a"]): str(r["n"]) for r in store.select(_AUTH_NAMES)}
    by_iri: dict[str, Document] = {}
    for r in store.select(_DOCS):
        iri = str(r["rep"])
        if iri in by_iri:
            continue
        start = str(r.get("start") or "")
        issued = str(r.get("issued") or "")
        auth = str(r.get("auth") or "")
        by_iri[iri] = Document(
            iri=iri, sha256=str(r["sha"]), document_type=str(r.get("type") or "document"),
            date=start or issued, published=issued, authority=auth,
            authority_name=names.get(auth, ""), file=str(r.get("file") or ""),
            title=str(r.get("title") or ""), visit=str(r.get("visit") or ""))
    docs = list(by_iri.values())
    if auth_iri:
        docs = [d for d in docs if d.authority == auth_iri]
    if since:
        docs = [d for d in docs if d.year is not None and d.year >= since]
    if theme_iri:
        themed = {str(r["rep"]) for r in store.select(
            _THEMED_REPORTS, bindings={"t": ox.NamedNode(theme_iri)})}
        docs = [d for d in docs if d.iri in themed]
    docs.sort(key=lambda d: (d.authority_name, d.date, d.document_type, d.iri))
    return Selection(docs, authority=auth_iri, authority_name=auth_name, theme=theme_iri,
                     since=since)


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


def describe_filter(selection: Selection) -> str:
    """A short human description of the filter (for titles and messages)."""
    parts: list[str] = []
    if selection.authority_name:
        parts.append(selection.authority_name)
    if selection.theme:
        parts.append(f"theme {theme_id(selection.theme)}")
    if selection.since:
        parts.append(f"since {selection.since}")
    return ", ".join(parts) or "all authorities"
