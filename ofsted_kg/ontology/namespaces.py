"""Every namespace ofsted-kg writes or reads, in one place.

``OKG`` is our own vocabulary, a :class:`rdflib.namespace.DefinedNamespace` with
``_fail = True``: a misspelt term raises ``AttributeError`` at import time instead of
silently minting a new IRI.  The ontology file ``ofsted-kg.ttl`` defines every term listed
here and a test checks the two agree.

IRI policy (documented in docs/ontology.md):

* ``https://w3id.org/ofsted-kg/ontology#``   the ontology's classes and properties (``okg:``)
* ``https://w3id.org/ofsted-kg/theme/``      SKOS concern themes (``theme:``)
* ``https://w3id.org/ofsted-kg/grade/``      SKOS judgement grades (``grade:``)
* ``https://w3id.org/ofsted-kg/area/``       SKOS judgement areas (``area:``)
* ``https://w3id.org/ofsted-kg/status/``     SKOS concern statuses (``status:``)
* ``https://w3id.org/ofsted-kg/framework/``  SKOS inspection frameworks (``framework:``)
* ``https://w3id.org/ofsted-kg/addressee/``  SKOS addressees of concerns (``addressee:``)
* ``https://w3id.org/ofsted-kg/topic/``      SKOS topics of visits (``topic:``)
* ``https://w3id.org/ofsted-kg/check/``      SKOS self-audit checks (``check:``)
* ``https://w3id.org/ofsted-kg/id/``         instance data (authorities by ONS GSS code,
  reports by SHA-256 of their bytes, everything else derived from those)
* ``https://w3id.org/ofsted-kg/graph/``      named graphs (one per report, one per
  authority for cross-visit links, one for the vocabulary)
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import (
    DCTERMS,
    FOAF,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SH,
    SKOS,
    XSD,
    DefinedNamespace,
)

__all__ = [
    "OKG", "THEME", "GRADE", "AREA", "STATUS", "FRAMEWORK", "ADDRESSEE", "TOPIC", "CHECK", "ID", "GRAPH", "OA", "STATGEO",
    "DCTERMS", "FOAF", "ORG", "OWL", "PROV", "RDF", "RDFS", "SH", "SKOS", "XSD",
    "BASE", "PREFIXES", "ONTOLOGY_IRI", "VOCABULARY_GRAPH",
]

BASE = "https://w3id.org/ofsted-kg/"
ONTOLOGY_IRI = URIRef(BASE + "ontology")


class OKG(DefinedNamespace):
    """The ofsted-kg ontology (classes and properties)."""

    _NS = Namespace(BASE + "ontology#")
    _fail = True

    # --- classes -------------------------------------------------------------------
    Authority: URIRef  # a local authority (the council), an org:Organization
    Report: URIRef  # a published document, a prov:Entity
    Visit: URIRef  # any inspection activity, a prov:Activity
    FullInspection: URIRef
    MonitoringVisit: URIRef
    FocusedVisit: URIRef
    JointTargetedAreaInspection: URIRef
    CommissionerReview: URIRef
    OtherVisit: URIRef
    Inspector: URIRef  # a prov:Agent
    Judgement: URIRef
    Concern: URIRef
    Recommendation: URIRef
    AreaForImprovement: URIRef
    AreaOfConcern: URIRef
    AreaForPriorityAction: URIRef
    Finding: URIRef
    Theme: URIRef  # a skos:Concept of the theme scheme
    Grade: URIRef  # a skos:Concept of the grade scheme
    JudgementArea: URIRef
    Framework: URIRef
    Status: URIRef
    Polarity: URIRef
    ConcernLink: URIRef  # a later concern repeats an earlier one
    StatusAssessment: URIRef  # status of a concern as seen at a later visit
    ThemeTally: URIRef  # in how many of an authority's visits concerns carried a theme
    Doubt: URIRef  # a failed self-audit check of a report's reading
    Addressee: URIRef  # a concept of the addressee: scheme
    VisitTopic: URIRef  # a concept of the topic: scheme
    Check: URIRef  # a concept of the check: scheme

    # --- report --------------------------------------------------------------------
    authority: URIRef  # report / visit -> Authority
    documentType: URIRef  # literal: full_inspection, monitoring_visit, ...
    sourceFile: URIRef  # file name of the source (portable, in the report's graph)
    localPath: URIRef  # absolute path it was built from (manifest graph only)
    sha256: URIRef
    pageCount: URIRef
    graphModel: URIRef  # version of the extraction + graph model a report was built with
    publishedSource: URIRef  # printed | letter_date | pdf_metadata
    describes: URIRef  # report -> visit it reports on

    # --- visit ---------------------------------------------------------------------
    framework: URIRef  # -> Framework concept
    inspectionType: URIRef  # literal standard | short
    startDate: URIRef  # xsd:date
    endDate: URIRef  # xsd:date
    visitNumber: URIRef  # ordinal of a monitoring visit since the judgement
    followsUp: URIRef  # visit -> earlier full inspection it follows up
    followUpEvidence: URIRef  # the letter's own words
    leadInspector: URIRef  # visit -> Inspector
    hasJudgement: URIRef  # visit -> Judgement
    visitTopic: URIRef  # visit -> VisitTopic concept
    topicAsWritten: URIRef  # the letter's sentence
    hasDoubt: URIRef  # report -> Doubt
    check: URIRef  # Doubt -> Check concept
    detail: URIRef  # Doubt -> literal
    about: URIRef  # Doubt -> Concern

    # --- judgement -----------------------------------------------------------------
    area: URIRef  # -> JudgementArea concept
    grade: URIRef  # -> Grade concept
    rank: URIRef  # integer order of a grade (1 = outstanding)
    labelAsWritten: URIRef

    # --- concerns and findings -----------------------------------------------------
    raisedIn: URIRef  # deprecated, not written (graph model 5): oa:hasSource
    raisedAt: URIRef  # derived, not written: oa:hasSource/okg:describes
    text: URIRef  # deprecated, not written (graph model 5): oa:hasSelector/oa:exact
    position: URIRef  # 1-based order in the report
    page: URIRef  # 1-based page number
    theme: URIRef  # -> Theme concept
    nationalFrameworkTag: URIRef  # -> Theme concept of the national-framework facet
    polarity: URIRef  # -> Polarity individual
    speaksTo: URIRef  # finding -> earlier concern
    matchedLabel: URIRef
    addressedTo: URIRef  # concern -> Addressee concept
    subList: URIRef  # concern -> literal "Immediately", "Within three months"

    # --- links and statuses --------------------------------------------------------
    repeats: URIRef  # concern -> earlier concern it repeats (direct, for queries)
    fromConcern: URIRef
    toConcern: URIRef
    linkStrength: URIRef  # xsd:decimal 0..1
    sharedTheme: URIRef
    linkEvidence: URIRef  # literal explaining the link
    status: URIRef  # -> Status concept
    assessedIn: URIRef  # StatusAssessment -> Report
    ofConcern: URIRef  # StatusAssessment -> Concern
    basedOn: URIRef  # StatusAssessment -> Finding
    cue: URIRef  # the words that decided the status
    showsStatus: URIRef  # later item -> strongest status it shows of earlier concerns
    recurrenceCount: URIRef  # chain head concern -> number of visits in its chain
    firstRaised: URIRef  # chain head concern -> xsd:date of the chain's first visit
    lastRaised: URIRef  # chain head concern -> xsd:date of the chain's last visit
    documentCount: URIRef  # ThemeTally -> number of visits

    # --- authority -----------------------------------------------------------------
    gssCode: URIRef
    ofstedURN: URIRef
    laCode: URIRef
    region: URIRef
    servesArea: URIRef  # -> statistical geography of the area the council serves

    # --- polarity individuals --------------------------------------------------------
    Strength: URIRef
    Weakness: URIRef
    Mixed: URIRef


THEME = Namespace(BASE + "theme/")
GRADE = Namespace(BASE + "grade/")
AREA = Namespace(BASE + "area/")
STATUS = Namespace(BASE + "status/")
FRAMEWORK = Namespace(BASE + "framework/")
ADDRESSEE = Namespace(BASE + "addressee/")
TOPIC = Namespace(BASE + "topic/")
CHECK = Namespace(BASE + "check/")
ID = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "graph/")
OA = Namespace("http://www.w3.org/ns/oa#")
STATGEO = Namespace("http://statistics.data.gov.uk/id/statistical-geography/")

VOCABULARY_GRAPH = GRAPH["vocabulary"]

PREFIXES: dict[str, str] = {
    "okg": str(OKG._NS),
    "theme": str(THEME),
    "grade": str(GRADE),
    "area": str(AREA),
    "status": str(STATUS),
    "framework": str(FRAMEWORK),
    "addressee": str(ADDRESSEE),
    "topic": str(TOPIC),
    "check": str(CHECK),
    "id": str(ID),
    "oa": str(OA),
    "org": str(ORG),
    "prov": str(PROV),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "foaf": str(FOAF),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "sh": str(SH),
    "xsd": str(XSD),
    "statgeo": str(STATGEO),
}
