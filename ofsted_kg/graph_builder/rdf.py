"""From a plain :class:`DocumentRecord` to the RDF of its named graph.

Deterministic IRIs, no blank nodes: the authority by ONS GSS code, the report by the
SHA-256 of its bytes, the visit by authority + kind + start date, every concern, finding,
evidence and theme assignment derived from the report IRI and its position.  The same
record always gives the same triples (tests compare graphs by isomorphism).

Triples are built with pyoxigraph terms (fast, correct escaping) and serialised as
N-Triples; :func:`record_graph` gives an :class:`rdflib.Graph` of the same triples.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ..ontology.namespaces import (
    AREA, DCTERMS, FOAF, FRAMEWORK, GRADE, ID, OA, OKG, ORG, PROV, RDF, RDFS, SKOS, STATGEO,
    THEME, XSD,
)
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

_N = ox.NamedNode
_XSD_DATE = _N(str(XSD.date))
_XSD_INT = _N(str(XSD.integer))
_XSD_DEC = _N(str(XSD.decimal))
_TYPE = _N(str(RDF.type))


def slug(text: str) -> str:
    """Lower-case ASCII slug for IRIs (``"Shirley Bailey"`` -> ``"shirley-bailey"``)."""
    t = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    t = re.sub(r"[^a-zA-Z0-9]+", "-", t).strip("-").lower()
    return t or hashlib.sha1(text.encode()).hexdigest()[:12]


def authority_iri(record: DocumentRecord) -> str | None:
    a = record.authority
    if a is None:
        return None
    if a.gss_code:
        return str(ID[f"authority/{a.gss_code}"])
    return str(ID[f"authority/name/{slug(a.name)}"])


def report_iri(sha256: str) -> str:
    return str(ID[f"report/{sha256}"])


def visit_iri(record: DocumentRecord) -> str:
    """The visit a report describes: shared by two files of the same visit (PDF and text)."""
    auth = record.authority
    key = auth.gss_code if auth and auth.gss_code else (slug(auth.name) if auth else None)
    if key and record.visit_start:
        return str(ID[f"visit/{key}/{record.document_type}/{record.visit_start}"])
    return str(ID[f"visit/report/{record.source.sha256}"])


def inspector_iri(name: str) -> str:
    return str(ID[f"inspector/{slug(name)}"])


def _lit(value: str) -> ox.Literal:
    return ox.Literal(value)


def _date(value: str) -> ox.Literal:
    return ox.Literal(value, datatype=_XSD_DATE)


def _int(value: int) -> ox.Literal:
    return ox.Literal(str(int(value)), datatype=_XSD_INT)


def record_triples(record: DocumentRecord) -> Iterator[ox.Triple]:
    """Every triple of one document's named graph."""
    T = ox.Triple
    rep = _N(report_iri(record.source.sha256))
    visit = _N(visit_iri(record))
    auth_s = authority_iri(record)
    auth = _N(auth_s) if auth_s else None

    # -- authority ----------------------------------------------------------------
    if auth is not None and record.authority is not None:
        a = record.authority
        yield T(auth, _TYPE, _N(str(OKG.Authority)))
        yield T(auth, _TYPE, _N(str(ORG.Organization)))
        yield T(auth, _N(str(SKOS.prefLabel)), ox.Literal(a.name, language="en"))
        yield T(auth, _N(str(RDFS.label)), ox.Literal(a.name, language="en"))
        if a.gss_code:
            yield T(auth, _N(str(OKG.gssCode)), _lit(a.gss_code))
            yield T(auth, _N(str(OKG.servesArea)), _N(str(STATGEO[a.gss_code])))
        if a.ofsted_urn:
            yield T(auth, _N(str(OKG.ofstedURN)), _lit(a.ofsted_urn))
        if a.la_code:
            yield T(auth, _N(str(OKG.laCode)), _lit(a.la_code))
        if a.region:
            yield T(auth, _N(str(OKG.region)), _lit(a.region))

    # -- report -------------------------------------------------------------------
    yield T(rep, _TYPE, _N(str(OKG.Report)))
    yield T(rep, _TYPE, _N(str(PROV.Entity)))
    yield T(rep, _N(str(OKG.sha256)), _lit(record.source.sha256))
    yield T(rep, _N(str(OKG.sourceFile)), _lit(record.source.file.replace("\\", "/").rsplit("/", 1)[-1]))
    yield T(rep, _N(str(OKG.pageCount)), _int(record.source.pages))
    yield T(rep, _N(str(OKG.documentType)), _lit(record.document_type))
    yield T(rep, _N(str(DCTERMS.identifier)), _lit(f"sha256:{record.source.sha256}"))
    if record.title:
        yield T(rep, _N(str(DCTERMS.title)), _lit(record.title))
    if record.publisher:
        yield T(rep, _N(str(DCTERMS.publisher)), _N(str(ID[f"publisher/{slug(record.publisher)}"])))
    if record.published:
        yield T(rep, _N(str(DCTERMS.issued)), _date(record.published))
    if record.published_source:
        yield T(rep, _N(str(OKG.publishedSource)), _lit(record.published_source))
    if auth is not None:
        yield T(rep, _N(str(OKG.authority)), auth)
    yield T(rep, _N(str(OKG.describes)), visit)
    yield T(rep, _N(str(PROV.wasGeneratedBy)), visit)

    # -- visit --------------------------------------------------------------------
    yield T(visit, _TYPE, _N(str(VISIT_CLASSES.get(record.document_type, OKG.OtherVisit))))
    yield T(visit, _TYPE, _N(str(OKG.Visit)))
    yield T(visit, _TYPE, _N(str(PROV.Activity)))
    if auth is not None:
        yield T(visit, _N(str(OKG.authority)), auth)
    if record.framework:
        yield T(visit, _N(str(OKG.framework)), _N(str(FRAMEWORK[record.framework])))
    if record.inspection_type:
        yield T(visit, _N(str(OKG.inspectionType)), _lit(record.inspection_type))
    if record.visit_start:
        yield T(visit, _N(str(OKG.startDate)), _date(record.visit_start))
    if record.visit_end:
        yield T(visit, _N(str(OKG.endDate)), _date(record.visit_end))
    if record.visit_number:
        yield T(visit, _N(str(OKG.visitNumber)), _int(record.visit_number))
    if record.follows_up and record.follows_up.get("text"):
        yield T(visit, _N(str(OKG.followUpEvidence)), _lit(str(record.follows_up["text"])))
    for insp in record.inspectors:
        who = _N(inspector_iri(insp.name))
        yield T(who, _TYPE, _N(str(OKG.Inspector)))
        yield T(who, _TYPE, _N(str(PROV.Agent)))
        yield T(who, _N(str(FOAF.name)), _lit(insp.name))
        yield T(who, _N(str(RDFS.label)), _lit(insp.name))
        yield T(visit, _N(str(PROV.wasAssociatedWith)), who)
        if insp.role == "lead":
            yield T(visit, _N(str(OKG.leadInspector)), who)
    for j in record.judgements:
        jn = _N(f"{visit.value}/judgement/{j.area}")
        yield T(jn, _TYPE, _N(str(OKG.Judgement)))
        yield T(visit, _N(str(OKG.hasJudgement)), jn)
        yield T(jn, _N(str(OKG.area)), _N(str(AREA[j.area])))
        yield T(jn, _N(str(OKG.grade)), _N(str(GRADE[j.grade])))
        yield T(jn, _N(str(OKG.labelAsWritten)), _lit(j.label))
        yield T(jn, _N(str(PROV.wasDerivedFrom)), rep)

    # -- concerns and findings ----------------------------------------------------
    for c in record.concerns:
        node = _N(str(ID[f"concern/{record.source.sha256}/{c.position}"]))
        yield T(node, _TYPE, _N(str(CONCERN_CLASSES.get(c.kind, OKG.Concern))))
        yield T(node, _TYPE, _N(str(OKG.Concern)))
        yield from _item(node, rep, visit, c.text, c.page, c.position, c.themes,
                         c.theme_matches, c.prefix, c.suffix)
        for tag in c.nf_tags:
            yield T(node, _N(str(OKG.nationalFrameworkTag)), _lit(tag))
    for f in record.findings:
        node = _N(str(ID[f"finding/{record.source.sha256}/{f.position}"]))
        yield T(node, _TYPE, _N(str(OKG.Finding)))
        yield T(node, _N(str(OKG.polarity)), _N(str(POLARITIES.get(f.polarity, OKG.Mixed))))
        yield from _item(node, rep, visit, f.text, f.page, f.position, f.themes,
                         f.theme_matches, f.prefix, f.suffix)


def _item(node: ox.NamedNode, rep: ox.NamedNode, visit: ox.NamedNode, text: str, page: int,
          position: int, themes: list[str], matches: list[dict[str, str]], prefix: str,
          suffix: str) -> Iterator[ox.Triple]:
    T = ox.Triple
    yield T(node, _N(str(OKG.text)), _lit(text))
    yield T(node, _N(str(OKG.page)), _int(page))
    yield T(node, _N(str(OKG.position)), _int(position))
    yield T(node, _N(str(OKG.raisedIn)), rep)
    yield T(node, _N(str(OKG.raisedAt)), visit)
    yield T(node, _N(str(PROV.wasDerivedFrom)), rep)
    for th in themes:
        yield T(node, _N(str(OKG.theme)), _N(str(THEME[th])))
    for m in matches:
        th = m.get("theme")
        if not th:
            continue
        an = _N(f"{node.value}/theme/{th}")
        yield T(node, _N(str(OKG.hasThemeAssignment)), an)
        yield T(an, _TYPE, _N(str(OKG.ThemeAssignment)))
        yield T(an, _N(str(OKG.theme)), _N(str(THEME[th])))
        if m.get("label"):
            yield T(an, _N(str(OKG.matchedLabel)), _lit(m["label"]))
        if m.get("rule"):
            yield T(an, _N(str(OKG.matchRule)), _lit(m["rule"]))
    ev = _N(f"{node.value}/evidence")
    tgt = _N(f"{node.value}/evidence/target")
    sel = _N(f"{node.value}/evidence/selector")
    yield T(node, _N(str(OKG.hasEvidence)), ev)
    yield T(ev, _TYPE, _N(str(OKG.Evidence)))
    yield T(ev, _TYPE, _N(str(OA.Annotation)))
    yield T(ev, _N(str(OA.motivatedBy)), _N(str(OA.describing)))
    yield T(ev, _N(str(OA.hasTarget)), tgt)
    yield T(ev, _N(str(OKG.page)), _int(page))
    yield T(tgt, _TYPE, _N(str(OA.SpecificResource)))
    yield T(tgt, _N(str(OA.hasSource)), rep)
    yield T(tgt, _N(str(OA.hasSelector)), sel)
    yield T(sel, _TYPE, _N(str(OA.TextQuoteSelector)))
    yield T(sel, _N(str(OA.exact)), _lit(text))
    if prefix:
        yield T(sel, _N(str(OA.prefix)), _lit(prefix))
    if suffix:
        yield T(sel, _N(str(OA.suffix)), _lit(suffix))


def record_ntriples(record: DocumentRecord) -> str:
    """The document's triples as N-Triples text."""
    data = ox.serialize(list(record_triples(record)), format=ox.RdfFormat.N_TRIPLES)
    return data.decode("utf-8") if isinstance(data, bytes) else str(data)


def record_graph(record: DocumentRecord) -> "rdflib.Graph":
    """The document's triples as an :class:`rdflib.Graph` (for tests and notebooks)."""
    import rdflib

    g = rdflib.Graph()
    g.parse(data=record_ntriples(record), format="nt")
    return g
