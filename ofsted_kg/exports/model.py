"""What every export reads from the store: the selected documents and their concern graph.

Everything here reads through :class:`~ofsted_kg.store.Store` with SPARQL (exports never
import ``graph_builder``).  :func:`select_documents` applies the ``authority`` / ``theme`` /
``since`` filter shared by every format; :func:`.concern_graph.load_concern_graph` reads the
documents, judgements, concerns, findings, themes and cross-visit links of a selection (the
records defined here) that the HTML views and GraphML draw.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ..errors import OfstedKGError, QueryError
from ..ontology.namespaces import OKG, THEME

if TYPE_CHECKING:
    from ..store import Store

__all__ = [
    "ExportError", "Selection", "Document", "Item", "Judgement", "StatusLink", "ConcernGraph",
    "select_documents", "describe_filter", "theme_id", "KIND_LABELS",
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
