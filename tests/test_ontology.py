"""The packaged ontology, schemes and themes: load everywhere, complete, documented."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.namespace import OWL, RDF, SKOS

from ofsted_kg.ontology import (
    FACETS, ONTOLOGY_FILE, SHAPES_FILE, THEMES_FILE, ontology_graph, shapes_graph, theme_index,
    themes_graph, ttl_text, vocabulary_graph, vocabulary_turtle,
)
from ofsted_kg.ontology import docs
from ofsted_kg.ontology.namespaces import AREA, GRADE, OKG, ONTOLOGY_IRI, PREFIXES, STATUS, THEME

REPO = Path(__file__).resolve().parent.parent
PREFIX_BLOCK = "\n".join(f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items()) + "\n"


def ask(g: rdflib.Graph, q: str) -> list[tuple]:
    return [tuple(r) for r in g.query(PREFIX_BLOCK + q)]


@pytest.mark.parametrize("name", [ONTOLOGY_FILE, THEMES_FILE, SHAPES_FILE])
def test_every_file_loads_in_rdflib_and_pyoxigraph_with_the_same_size(name: str) -> None:
    text = ttl_text(name)
    g = rdflib.Graph().parse(data=text, format="turtle")
    store = ox.Store()
    store.load(text.encode("utf-8"), format=ox.RdfFormat.TURTLE)
    assert len(g) > 100
    assert len(store) == len(g)


def test_vocabulary_is_ontology_plus_themes_and_loads_in_pyoxigraph() -> None:
    v = vocabulary_graph()
    assert len(v) == len(ontology_graph() | themes_graph())
    store = ox.Store()
    store.load(vocabulary_turtle().encode("utf-8"), format=ox.RdfFormat.TURTLE)
    assert len(store) == len(v)


def test_loaders_return_independent_copies() -> None:
    g = ontology_graph()
    g.remove((None, None, None))
    assert len(ontology_graph()) > 100


def test_ontology_header_is_versioned() -> None:
    g = ontology_graph()
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in g
    assert g.value(ONTOLOGY_IRI, OWL.versionInfo) is not None
    assert str(g.value(ONTOLOGY_IRI, OWL.versionIRI)).startswith(str(ONTOLOGY_IRI) + "/")


def test_every_namespaces_term_is_defined_and_every_defined_term_is_in_namespaces() -> None:
    g = ontology_graph()
    terms = [t for t in OKG.__annotations__ if not t.startswith("_") and t != "localPath"]
    base = str(OKG._NS)
    defined = {str(s)[len(base):] for s in g.subjects() if str(s).startswith(base)}
    missing = [t for t in terms if t not in defined]
    assert not missing, f"terms of namespaces.OKG not defined in ofsted-kg.ttl: {missing}"
    extra = defined - set(terms)
    assert not extra, f"terms defined in ofsted-kg.ttl but not in namespaces.OKG: {extra}"


def test_reuses_w3c_vocabularies() -> None:
    g = ontology_graph()
    rows = dict(ask(g, """SELECT ?c ?super WHERE { VALUES ?c { okg:Authority okg:Report okg:Visit
        okg:Inspector } ?c rdfs:subClassOf ?super .
        FILTER(!STRSTARTS(STR(?super), STR(okg:))) }"""))
    assert rows[OKG.Authority] == rdflib.URIRef("http://www.w3.org/ns/org#Organization")
    assert rows[OKG.Report] == rdflib.URIRef("http://www.w3.org/ns/prov#Entity")
    assert rows[OKG.Visit] == rdflib.URIRef("http://www.w3.org/ns/prov#Activity")
    # concerns and findings are Web Annotation specific resources (parts) of their report
    for item in (OKG.Concern, OKG.Finding):
        assert (item, rdflib.RDFS.subClassOf, rdflib.URIRef("http://www.w3.org/ns/oa#SpecificResource")) in g
    for kind in ("FullInspection", "MonitoringVisit", "FocusedVisit",
                 "JointTargetedAreaInspection", "CommissionerReview"):
        assert (OKG[kind], rdflib.RDFS.subClassOf, OKG.Visit) in g
    for kind in ("Recommendation", "AreaForImprovement", "AreaOfConcern", "AreaForPriorityAction"):
        assert (OKG[kind], rdflib.RDFS.subClassOf, OKG.Concern) in g


def test_every_class_and_property_has_a_label_and_a_definition() -> None:
    g = ontology_graph()
    kinds = "VALUES ?k { owl:Class owl:ObjectProperty owl:DatatypeProperty rdf:Property }"
    no_label = ask(g, f"""SELECT ?x WHERE {{ ?x a ?k . {kinds}
        FILTER NOT EXISTS {{ ?x rdfs:label|skos:prefLabel ?l }} }}""")
    no_def = ask(g, f"""SELECT ?x WHERE {{ ?x a ?k . {kinds}
        FILTER NOT EXISTS {{ ?x rdfs:comment|skos:definition ?d }} }}""")
    rows = no_label + no_def
    assert rows == []
    n = ask(g, "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a owl:Class }")[0][0]
    assert int(n) >= 25


def test_every_concept_has_label_definition_scheme_and_no_orphans() -> None:
    v = vocabulary_graph()
    no_label = ask(v, """SELECT ?c WHERE { ?c a skos:Concept .
        FILTER NOT EXISTS { ?c skos:prefLabel ?l } }""")
    no_def = ask(v, """SELECT ?c WHERE { ?c a skos:Concept .
        FILTER NOT EXISTS { ?c skos:definition ?d } }""")
    no_scheme = ask(v, """SELECT ?c WHERE { ?c a skos:Concept .
        FILTER NOT EXISTS { ?c skos:inScheme ?s . ?s a skos:ConceptScheme } }""")
    orphans = ask(v, """SELECT ?c WHERE { ?c a skos:Concept .
        FILTER NOT EXISTS { ?c skos:topConceptOf ?s }
        FILTER NOT EXISTS { ?c skos:broader ?b . ?b a skos:Concept } }""")
    assert (no_label, no_def, no_scheme, orphans) == ([], [], [], [])
    # every top concept is listed by its scheme, and every broader is in the same scheme
    assert ask(v, """SELECT ?c WHERE { ?c skos:topConceptOf ?s .
        FILTER NOT EXISTS { ?s skos:hasTopConcept ?c } }""") == []
    assert ask(v, """SELECT ?c WHERE { ?c skos:broader ?b ; skos:inScheme ?s .
        FILTER NOT EXISTS { ?b skos:inScheme ?s } }""") == []
    # one prefLabel per language
    assert ask(v, """SELECT ?c WHERE { ?c skos:prefLabel ?a, ?b .
        FILTER(?a != ?b && LANG(?a) = LANG(?b)) }""") == []


def test_grades_are_ordered_for_order_by() -> None:
    g = ontology_graph()
    rows = ask(g, "SELECT ?g ?r WHERE { ?g a okg:Grade ; okg:rank ?r } ORDER BY ?r")
    assert [str(r[0])[len(str(GRADE)):] for r in rows] == [
        "outstanding", "good", "requires_improvement", "adequate", "inadequate"]
    from ofsted_kg.graph_builder.records import GRADES
    assert {str(r[0])[len(str(GRADE)):] for r in rows} == set(GRADES)
    worse = ask(g, """SELECT ?g WHERE { ?g okg:rank ?r . grade:good okg:rank ?good
        FILTER(?r > ?good) }""")
    assert len(worse) == 3


def test_judgement_areas_are_mapped_across_frameworks() -> None:
    g = ontology_graph()
    assert (AREA.children_looked_after, SKOS.closeMatch, AREA.children_in_care) in g
    assert (AREA.leadership_management_governance, SKOS.closeMatch, AREA.impact_of_leaders) in g
    assert (AREA.adoption, SKOS.broader, AREA.children_looked_after) in g
    assert (AREA.children_in_care_and_care_leavers, SKOS.narrowMatch, AREA.care_leavers) in g
    for area in ("overall_effectiveness", "help_and_protection", "children_in_care",
                 "care_leavers", "adoption", "impact_of_leaders",
                 "leadership_management_governance", "lscb"):
        assert (AREA[area], RDF.type, OKG.JudgementArea) in g, area
    note = str(g.value(AREA.overall_effectiveness, SKOS.scopeNote))
    assert "April 2026" in note


def test_statuses_and_frameworks() -> None:
    g = ontology_graph()
    statuses = {str(s)[len(str(STATUS)):] for s in g.subjects(RDF.type, OKG.Status)}
    assert statuses == {"raised", "persisting", "improving", "resolved", "not_reviewed"}
    frameworks = {str(s).rsplit("/", 1)[-1] for s in g.subjects(RDF.type, OKG.Framework)}
    assert frameworks == {"pre_SIF", "SIF", "ILACS", "ILACS_2026"}


def test_theme_vocabulary_is_faceted() -> None:
    t = themes_graph()
    for facet in FACETS:
        assert (THEME[facet], SKOS.topConceptOf, THEME[""]) in t
        assert (THEME[f"facet-{facet}"], RDF.type, SKOS.Collection) in t
    index = {e.id: e for e in theme_index()}
    # every concept except the roots is in exactly its facet's collection (of the facet
    # collections: theme:legal-status groups some cohorts across them)
    facets = {str(THEME[f"facet-{f}"]) for f in FACETS}
    for e in index.values():
        if e.is_facet_root:
            continue
        members = {str(c) for c in t.subjects(SKOS.member, rdflib.URIRef(e.iri))} & facets
        assert members == {str(THEME[f"facet-{e.facet}"])}, e.id
    by_facet = {f: [e for e in index.values() if e.facet == f] for f in FACETS}
    assert len(by_facet["cohort"]) >= 10 and len(by_facet["practice-area"]) >= 25
    assert len(by_facet["issue"]) >= 5 and len(by_facet["national-framework"]) >= 7


@pytest.mark.parametrize("theme,label", [
    ("mental-health", "CAMHS"),
    ("mental-health", "emotional well-being"),
    ("mental-health", "anxiety or depression"),
    ("care-leavers", "care-experienced young people"),
    ("care-leavers", "care leavers"),
    ("care-leavers", "PA"),
    ("care-leavers", "personal adviser"),
])
def test_matching_labels_from_the_issue(theme: str, label: str) -> None:
    e = next(x for x in theme_index() if x.id == theme)
    labels = {e.pref_label.lower()} | {a.lower() for a in e.alt_labels + e.hidden_labels}
    assert label.lower() in labels


def test_issue_cohorts_and_practice_areas_exist() -> None:
    ids = {e.id for e in theme_index()}
    for needed in ("care-leavers", "children-in-care", "children-in-need-and-child-protection",
                   "disabled-children", "unaccompanied-asylum-seeking-children", "young-parents",
                   "young-people-in-custody", "homeless-16-17-year-olds",
                   "privately-fostered-children", "children-missing-or-exploited",
                   "mental-health", "physical-health", "accommodation",
                   "education-employment-training", "pathway-planning", "assessment",
                   "planning-and-review", "permanence", "placements-and-sufficiency",
                   "management-oversight", "supervision", "quality-assurance-and-audit",
                   "workforce-and-caseloads", "leadership-and-governance", "corporate-parenting",
                   "partnership-and-safeguarding-board", "early-help", "front-door",
                   "voice-of-the-child", "identity-and-diversity", "local-offer",
                   "timeliness-and-delay", "consistency", "quality", "capacity", "compliance",
                   "nf-outcome-3", "nf-enabler-2"):
        assert needed in ids, needed


def test_shapes_graph_is_shacl() -> None:
    s = shapes_graph()
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    shapes = list(s.subjects(RDF.type, sh.NodeShape))
    assert len(shapes) >= 10
    sev = {str(o) for o in s.objects(None, sh.severity)}
    assert str(sh.Warning) in sev


def test_worked_example_runs_on_a_small_graph() -> None:
    store = ox.Store()
    store.load(vocabulary_turtle().encode("utf-8"), format=ox.RdfFormat.TURTLE)
    store.load(path=str(REPO / "tests" / "data" / "shapes" / "valid.ttl"),
               format=ox.RdfFormat.TURTLE)
    rows = list(store.query(docs.WORKED_EXAMPLE))
    by_text = {r["text"].value: r for r in rows}
    assert len(by_text) == 2  # the 2016 recommendation and the area of concern
    rec = next(r for t, r in by_text.items() if t.startswith("Ensure that care leavers"))
    assert rec["matched"].value == "mental health"
    assert rec["kind"].value == str(OKG.Recommendation)
    assert all(r["issued"].value == "2016-06-27" for r in rows)


def test_docs_are_generated_and_up_to_date() -> None:
    text = docs.render()
    for heading in ("## Classes", "## Properties", "## Grades (ordered)", "## Judgement areas",
                    "## Frameworks", "## Concern statuses", "## Themes", "## SHACL shapes",
                    "## Worked example"):
        assert heading in text
    assert "`theme:mental-health`" in text and "`okg:ConcernLink`" in text
    committed = (REPO / "docs" / "ontology.md").read_text(encoding="utf-8")
    assert committed == text, "docs/ontology.md is stale: run python -m ofsted_kg.ontology.docs"


def test_docs_check_mode(tmp_path: Path) -> None:
    target = tmp_path / "ontology.md"
    assert docs.main([str(target), "--check"]) == 1
    assert docs.main([str(target)]) == 0
    assert docs.main([str(target), "--check"]) == 0


def test_legal_status_collection_groups_cohorts() -> None:
    """theme:legal-status: the statuses a child has with children's services at one time,
    each a cohort (trace keeps a concern about one status apart from the others)."""
    from ofsted_kg.ontology import theme_collection

    members = theme_collection("legal-status")
    assert members == {"children-in-need-and-child-protection", "children-in-care", "care-leavers"}
    facet = {e.id: e.facet for e in theme_index()}
    assert all(facet[m] == "cohort" for m in members)
    assert theme_collection("no-such-collection") == frozenset()
