"""From a plain :class:`DocumentRecord` to the RDF of its named graph.

Deterministic IRIs, no blank nodes: the authority by ONS GSS code, the report by the
SHA-256 of its bytes, the visit by authority + kind + start date, every concern, finding
and quote selector derived from the report IRI and its position (:mod:`.iris`).  The
same record always gives the same triples (tests compare graphs by isomorphism).

Triples are formatted directly as N-Triples text (the terms: :mod:`.ntriples`);
:func:`record_graph` gives an :class:`rdflib.Graph` of the same triples.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ..ontology.namespaces import (
    ADDRESSEE,
    AREA,
    CHECK,
    DCTERMS,
    FOAF,
    FRAMEWORK,
    GRADE,
    ID,
    OA,
    OKG,
    ORG,
    PROV,
    RDF,
    RDFS,
    SKOS,
    STATGEO,
    THEME,
    TOPIC,
)
from .iris import authority_iri, inspector_iri, report_iri, slug, visit_iri
from .ntriples import bracket as _b
from .ntriples import date_literal as _d
from .ntriples import integer_literal as _i
from .ntriples import iri as _iri
from .ntriples import string_literal as _s
from .records import DocumentRecord

if TYPE_CHECKING:
    import rdflib

__all__ = [
    "record_triples", "record_ntriples", "record_graph", "authority_iri", "report_iri",
    "visit_iri", "inspector_iri", "slug", "VISIT_CLASSES", "CONCERN_CLASSES",
]

VISIT_CLASSES = {
    "full_inspection": OKG.FullInspection,
    "monitoring_visit": OKG.MonitoringVisit,
    "focused_visit": OKG.FocusedVisit,
    "joint_targeted_area_inspection": OKG.JointTargetedAreaInspection,
    "commissioner_report": OKG.CommissionerReview,
    "other": OKG.OtherVisit,
}
CONCERN_CLASSES = {
    "recommendation": OKG.Recommendation,
    "area_for_improvement": OKG.AreaForImprovement,
    "area_of_concern": OKG.AreaOfConcern,
    "area_for_priority_action": OKG.AreaForPriorityAction,
}
POLARITIES = {"strength": OKG.Strength, "weakness": OKG.Weakness, "mixed": OKG.Mixed}

_A = _b(RDF.type)
_P = {name: _b(getattr(OKG, name)) for name in (
    "Authority", "Report", "Visit", "Inspector", "Judgement", "Concern", "Finding",
    "gssCode", "servesArea", "ofstedURN", "laCode", "region",
    "sha256", "sourceFile", "pageCount", "graphModel", "documentType", "publishedSource", "authority",
    "describes", "framework", "inspectionType", "startDate", "endDate", "visitNumber",
    "followUpEvidence", "leadInspector", "hasJudgement", "area", "grade", "labelAsWritten",
    "nationalFrameworkTag", "polarity", "page", "position",
    "theme", "matchedLabel",
    "addressedTo", "subList", "visitTopic", "topicAsWritten", "hasDoubt", "Doubt", "check", "detail", "about",
)}
_ORG_ORGANIZATION = _b(ORG.Organization)
_SKOS_PREFLABEL = _b(SKOS.prefLabel)
_RDFS_LABEL = _b(RDFS.label)
_FOAF_NAME = _b(FOAF.name)
_PROV_ENTITY, _PROV_ACTIVITY, _PROV_AGENT = _b(PROV.Entity), _b(PROV.Activity), _b(PROV.Agent)
_PROV_GENERATED, _PROV_ASSOC, _PROV_DERIVED = (
    _b(PROV.wasGeneratedBy), _b(PROV.wasAssociatedWith), _b(PROV.wasDerivedFrom))
_DCT_ID, _DCT_TITLE, _DCT_PUBLISHER, _DCT_ISSUED = (
    _b(DCTERMS.identifier), _b(DCTERMS.title), _b(DCTERMS.publisher), _b(DCTERMS.issued))
_OA = {name: _b(OA[name]) for name in (
    "hasSource", "hasSelector", "TextQuoteSelector", "exact", "prefix", "suffix")}
_VISIT_CLASSES = {k: _b(v) for k, v in VISIT_CLASSES.items()}
_CONCERN_CLASSES = {k: _b(v) for k, v in CONCERN_CLASSES.items()}
_POLARITIES = {k: _b(v) for k, v in POLARITIES.items()}
_ID, _THEME, _GRADE, _AREA, _FRAMEWORK, _STATGEO = (
    str(ID), str(THEME), str(GRADE), str(AREA), str(FRAMEWORK), str(STATGEO))
_ADDRESSEE, _TOPIC, _CHECK = str(ADDRESSEE), str(TOPIC), str(CHECK)


#: The version of what a record becomes in its document graph -- the extraction and the
#: RDF model together.  Bump it when either changes what a build writes for the same file:
#: a build rebuilds every stored document of another version (``okg:graphModel`` on the
#: report), so an upgraded tool never leaves old graphs mixed in with new ones.  1: before
#: the version was written; 2: items are Web Annotation specific resources; 3: polarity
#: cues; 4: "into care" tags children in care; 5: an item's quote and report written once
#: (``oa:exact``, ``oa:hasSource``); 6: a cohort's name is no negation, "closely" praise; 7:
#: a letter's "Overview" is a findings section; 8: bare "stability" no longer tags
#: permanence; 9: the workforce's and relationships' cues; 10: "should have been", "with no
#: contingency plan", a leading "When ..., " clause judges nothing, "adults who work with
#: children"; 11: "adversely", "variance"; 12: "further work is required", caseloads
#: "higher", "high morale"; 13: "recognise the need to"; 14: "are helped/supported/
#: encouraged to"; 15: a numbered paragraph ("24.Children's ..."), a section's grade line
#: and "Summary" begin a new paragraph, a list's lead-in is no finding; 16: a leading
#: clause recalling the last judgement judges nothing, "progress has been made" is praise;
#: 17: "less" before a quality ("less strong", "less evident") is a shortfall; 18: a
#: shortfall reported as put right ("shortfalls have been addressed") is praise, "it is
#: difficult to see ..." a shortfall; 19: a number broken at its hyphen across lines is
#: joined ("26-week"), a suspended hyphen keeps its space ("16- and 17-year-olds"); 20:
#: work asked for in the conditional ("would benefit from further", "could be
#: strengthened", "room for improvement"), "vague", "piecemeal" are shortfalls; 21: a delay
#: or drift the practice averts ("prevents drift", "delay is minimised") is promptness; 22:
#: "further improvements are needed" is a shortfall, "...; others ..." a contrast; 23:
#: "the areas in which improvement is needed" names what a response is for; 24: the store
#: keeps a document's items in the default graph (the same triples; see record_nquads); 25:
#: hardship reported of children ("find it difficult to", "difficulties in accessing"),
#: what "may not" happen for them, an arrangement missing ("no established / formal"), and
#: "increasingly informing", "is gradually reducing"; 26: practice done as a matter of
#: course ("routinely offered", "placed quickly", "work proactively", "suitably
#: qualified", "completed collaboratively", "this helps children to ...") is praise in a
#: plain sentence without a shortfall (items/polarity.py, _STRONG_ALONE), and so is what
#: people say they value ("care leavers value the support"); quality that "is mixed", "of mixed
#: quality", "a mixed picture" is a shortfall.
GRAPH_MODEL = 26


def _lines(record: DocumentRecord) -> tuple[list[str], list[str]]:
    """Every triple of one document, as N-Triples lines (no newline): the report's, its
    visit's and authority's, then its items' (concerns and findings with their quotes)."""
    P = _P
    out: list[str] = []
    add = out.append
    sha = record.source.sha256
    rep = _iri(report_iri(sha))
    visit_s = visit_iri(record)
    visit = _iri(visit_s)
    auth_s = authority_iri(record)
    auth = _iri(auth_s) if auth_s else None

    # -- authority ----------------------------------------------------------------
    if auth is not None and record.authority is not None:
        a = record.authority
        add(f"{auth} {_A} {P['Authority']}")
        add(f"{auth} {_A} {_ORG_ORGANIZATION}")
        name = _s(a.name) + "@en"
        add(f"{auth} {_SKOS_PREFLABEL} {name}")
        add(f"{auth} {_RDFS_LABEL} {name}")
        if a.gss_code:
            add(f"{auth} {P['gssCode']} {_s(a.gss_code)}")
            add(f"{auth} {P['servesArea']} {_iri(_STATGEO + a.gss_code)}")
        if a.ofsted_urn:
            add(f"{auth} {P['ofstedURN']} {_s(a.ofsted_urn)}")
        if a.la_code:
            add(f"{auth} {P['laCode']} {_s(a.la_code)}")
        if a.region:
            add(f"{auth} {P['region']} {_s(a.region)}")

    # -- report -------------------------------------------------------------------
    add(f"{rep} {_A} {P['Report']}")
    add(f"{rep} {_A} {_PROV_ENTITY}")
    add(f"{rep} {P['sha256']} {_s(sha)}")
    add(f"{rep} {P['sourceFile']} "
        f"{_s(record.source.file.replace(chr(92), '/').rsplit('/', 1)[-1])}")
    add(f"{rep} {P['pageCount']} {_i(record.source.pages)}")
    add(f"{rep} {P['graphModel']} {_i(GRAPH_MODEL)}")
    add(f"{rep} {P['documentType']} {_s(record.document_type)}")
    add(f"{rep} {_DCT_ID} {_s('sha256:' + sha)}")
    if record.title:
        add(f"{rep} {_DCT_TITLE} {_s(record.title)}")
    if record.publisher:
        add(f"{rep} {_DCT_PUBLISHER} {_iri(_ID + 'publisher/' + slug(record.publisher))}")
    if record.published:
        add(f"{rep} {_DCT_ISSUED} {_d(record.published)}")
    if record.published_source:
        add(f"{rep} {P['publishedSource']} {_s(record.published_source)}")
    if auth is not None:
        add(f"{rep} {P['authority']} {auth}")
    add(f"{rep} {P['describes']} {visit}")
    add(f"{rep} {_PROV_GENERATED} {visit}")

    # -- visit --------------------------------------------------------------------
    add(f"{visit} {_A} {_VISIT_CLASSES.get(record.document_type, _b(OKG.OtherVisit))}")
    add(f"{visit} {_A} {P['Visit']}")
    add(f"{visit} {_A} {_PROV_ACTIVITY}")
    if auth is not None:
        add(f"{visit} {P['authority']} {auth}")
    if record.framework:
        add(f"{visit} {P['framework']} {_iri(_FRAMEWORK + record.framework)}")
    if record.inspection_type:
        add(f"{visit} {P['inspectionType']} {_s(record.inspection_type)}")
    if record.visit_start:
        add(f"{visit} {P['startDate']} {_d(record.visit_start)}")
    if record.visit_end:
        add(f"{visit} {P['endDate']} {_d(record.visit_end)}")
    if record.visit_number:
        add(f"{visit} {P['visitNumber']} {_i(record.visit_number)}")
    if record.follows_up and record.follows_up.get("text"):
        add(f"{visit} {P['followUpEvidence']} {_s(str(record.follows_up['text']))}")
    for insp in record.inspectors:
        who = _iri(inspector_iri(insp.name))
        add(f"{who} {_A} {P['Inspector']}")
        add(f"{who} {_A} {_PROV_AGENT}")
        name = _s(insp.name)
        add(f"{who} {_FOAF_NAME} {name}")
        add(f"{who} {_RDFS_LABEL} {name}")
        add(f"{visit} {_PROV_ASSOC} {who}")
        if insp.role == "lead":
            add(f"{visit} {P['leadInspector']} {who}")
    for t in record.topics:
        add(f"{visit} {P['visitTopic']} {_iri(_TOPIC + t)}")
    if record.topic_text:
        add(f"{visit} {P['topicAsWritten']} {_s(record.topic_text)}")
    for j in record.judgements:
        jn = _iri(f"{visit_s}/judgement/{j.area}")
        add(f"{jn} {_A} {P['Judgement']}")
        add(f"{visit} {P['hasJudgement']} {jn}")
        add(f"{jn} {P['area']} {_iri(_AREA + j.area)}")
        add(f"{jn} {P['grade']} {_iri(_GRADE + j.grade)}")
        add(f"{jn} {P['labelAsWritten']} {_s(j.label)}")
        add(f"{jn} {_PROV_DERIVED} {rep}")

    # -- concerns and findings ----------------------------------------------------
    # (the items' lines come last, after ``head`` lines: the store keeps them in the
    # default graph, see record_nquads)
    items: list[str] = []
    put = items.append
    concern = P["Concern"]
    for c in record.concerns:
        node_s = f"{_ID}concern/{sha}/{c.position}"
        node = _iri(node_s)
        put(f"{node} {_A} {_CONCERN_CLASSES.get(c.kind, concern)}")
        put(f"{node} {_A} {concern}")
        _item(put, node_s, node, rep, c.text, c.page, c.position, c.themes,
              c.theme_matches, c.prefix, c.suffix)
        for tag in c.nf_tags:
            put(f"{node} {P['nationalFrameworkTag']} {_s(tag)}")
        put(f"{node} {P['addressedTo']} {_iri(_ADDRESSEE + (c.addressee or 'council'))}")
        if c.group:
            put(f"{node} {P['subList']} {_s(c.group)}")
    # -- self-audit: the checks this reading failed ---------------------------------
    for k, chk in enumerate(record.audit, 1):
        dn = _iri(f"{_ID}doubt/{sha}/{k}")
        add(f"{rep} {P['hasDoubt']} {dn}")
        add(f"{dn} {_A} {P['Doubt']}")
        add(f"{dn} {P['check']} {_iri(_CHECK + chk.check)}")
        add(f"{dn} {P['detail']} {_s(chk.detail)}")
        if chk.item:
            add(f"{dn} {P['about']} {_iri(f'{_ID}concern/{sha}/{chk.item}')}")
    mixed = _b(OKG.Mixed)
    for f in record.findings:
        node_s = f"{_ID}finding/{sha}/{f.position}"
        node = _iri(node_s)
        put(f"{node} {_A} {P['Finding']}")
        put(f"{node} {P['polarity']} {_POLARITIES.get(f.polarity, mixed)}")
        _item(put, node_s, node, rep, f.text, f.page, f.position, f.themes,
              f.theme_matches, f.prefix, f.suffix)
    return out, items


@lru_cache(maxsize=1024)
def _theme_iri(theme: str) -> str:
    """``<theme IRI>`` (a vocabulary of a few hundred themes, written for every item)."""
    return _iri(_THEME + theme)


def _item(add: Callable[[str], None], node_s: str, node: str, rep: str,
          text: str, page: int, position: int, themes: list[str],
          matches: list[dict[str, str]], prefix: str, suffix: str) -> None:
    P = _P
    O = _OA
    add(f"{node} {P['page']} {_i(page)}")
    add(f"{node} {P['position']} {_i(position)}")
    for th in themes:
        add(f"{node} {P['theme']} {_theme_iri(th)}")
    # why the item has its themes: each label that matched (a SKOS label of the theme,
    # or the National Framework tag the item carries), on the item itself -- one triple
    # per label, not a node of three per theme (27 % of a document's triples, queried
    # by none of the named queries)
    for label in dict.fromkeys(m["label"] for m in matches if m.get("theme") and m.get("label")):
        add(f"{node} {P['matchedLabel']} {_s(label)}")
    # the item is a part of its report, a Web Annotation oa:SpecificResource (okg:Concern
    # and okg:Finding are subclasses): its source and the quote that selects it, with no
    # annotation and target nodes between (4 triples an item fewer); the page is the item's.
    # The quote and the report are written here only: the item's text is its selector's
    # oa:exact, its report its oa:hasSource, its visit the report's (okg:describes)
    sel = f"<{node_s}/quote>"
    add(f"{node} {O['hasSource']} {rep}")
    add(f"{node} {O['hasSelector']} {sel}")
    add(f"{sel} {_A} {O['TextQuoteSelector']}")
    add(f"{sel} {O['exact']} {_s(text)}")
    if prefix:
        add(f"{sel} {O['prefix']} {_s(prefix)}")
    if suffix:
        add(f"{sel} {O['suffix']} {_s(suffix)}")


def record_ntriples(record: DocumentRecord) -> str:
    """The document's triples as N-Triples text.

    Raises:
        ValueError: a value cannot be written as RDF (an IRI part that is not one, or text
            that is not valid Unicode, e.g. a lone surrogate).
    """
    head, items = _lines(record)
    lines = head + items
    if not lines:
        return ""
    text = " .\n".join(lines) + " .\n"
    text.encode("utf-8")  # a lone surrogate raises here, in the worker, not in the store
    return text


def record_nquads(record: DocumentRecord, graph: str) -> tuple[bytes, int]:
    """The document's triples as UTF-8 N-Quads in the store's layout, and their count:
    what a build's worker hands to the store (which bulk-loads N-Quads), so the building
    process does not convert ~1 MB of text a report.

    The report's, visit's and authority's triples are in named graph ``graph``; the
    items' (97 % of a document's triples) in the default graph, where the store keeps
    them (``ofsted_kg.store.item_sha``: Oxigraph indexes a named graph's quads six ways,
    the default graph's three).

    Raises:
        ValueError: as :func:`record_ntriples`.
    """
    head, items = _lines(record)
    if not head and not items:
        return b"", 0
    # each line encoded (str.encode: UTF-8) and the bytes joined: the same bytes as the
    # joined text encoded, ~4x faster -- most lines are ASCII, which encodes as a copy,
    # where one literal with a curly quote made the whole ~1 MB text two bytes a character
    # to build, copy (for the last line's end) and encode character by character
    out = []
    for lines, end in ((head, f" <{graph}> .\n".encode("utf-8")), (items, b" .\n")):
        if lines:
            parts = list(map(str.encode, lines))
            parts.append(b"")  # (the last line's end too)
            out.append(end.join(parts))
    return b"".join(out), len(head) + len(items)


def record_triples(record: DocumentRecord) -> Iterator[ox.Triple]:
    """Every triple of one document's named graph (as pyoxigraph terms)."""
    yield from ox.parse(record_ntriples(record).encode("utf-8"),
                        format=ox.RdfFormat.N_TRIPLES)


def record_graph(record: DocumentRecord) -> "rdflib.Graph":
    """The document's triples as an :class:`rdflib.Graph` (for tests and notebooks)."""
    import rdflib

    g = rdflib.Graph()
    g.parse(data=record_ntriples(record), format="nt")
    return g
