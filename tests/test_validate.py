"""validate_graph: inputs (graph, dataset, pyoxigraph store), report form, errors, and the
graph the RDF builder writes conforms."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from ofsted_kg.errors import ValidationError
from ofsted_kg.graph_builder.records import (
    AuthorityRef, Concern, DocumentRecord, Finding, Inspector, Judgement, Source,
)
from ofsted_kg.graph_builder.themes import tag_record
from ofsted_kg.validate import ValidationReport, validate_graph

DATA = Path(__file__).parent / "data" / "shapes"
LINKS_GRAPH = rdflib.URIRef("https://w3id.org/ofsted-kg/graph/links/E08000014")


def _split_dataset() -> rdflib.Dataset:
    """valid.ttl split as the store holds it: the report's triples in one named graph,
    the cross-visit link and status in the authority's links graph."""
    g = rdflib.Graph().parse(DATA / "valid.ttl")
    ds = rdflib.Dataset()
    report_g = ds.graph(rdflib.URIRef("https://w3id.org/ofsted-kg/graph/report/a"))
    links_g = ds.graph(LINKS_GRAPH)
    for s, p, o in g:
        if "/id/link/" in str(s) or "/id/status/" in str(s):
            links_g.add((s, p, o))
        else:
            report_g.add((s, p, o))
    return ds


def test_dataset_named_graphs_are_merged_so_cross_graph_links_resolve() -> None:
    ds = _split_dataset()
    report = validate_graph(ds)
    assert report.conforms, report.text()
    # the links graph alone does not conform: its concerns live in the report graph
    alone = validate_graph(ds.graph(LINKS_GRAPH))
    assert not alone.conforms
    assert {v.shape for v in alone.violations} >= {"okgsh:ConcernLinkShape"}


def test_pyoxigraph_store_input() -> None:
    store = ox.Store()
    store.load(path=str(DATA / "valid.ttl"), format=ox.RdfFormat.TURTLE,
               to_graph=ox.NamedNode("https://w3id.org/ofsted-kg/graph/report/a"))
    report = validate_graph(store)
    assert report.conforms and report.triples == len(store)


def test_ofsted_kg_store_input(tmp_path: Path) -> None:
    from ofsted_kg.store import open_store

    with open_store(tmp_path / "store") as st:
        st.load_graph("https://w3id.org/ofsted-kg/graph/report/a",
                      (DATA / "valid.ttl").read_bytes())
        report = validate_graph(st)
    assert report.conforms, report.text()
    assert report.triples > 100


def test_failing_report_lists_focus_path_message_severity_shape() -> None:
    g = rdflib.Graph().parse(DATA / "valid.ttl")
    rep = rdflib.URIRef("https://w3id.org/ofsted-kg/id/report/" + "a" * 64)
    g.remove((rep, rdflib.URIRef("http://purl.org/dc/terms/issued"), None))
    report = validate_graph(g)
    assert not report.conforms
    [v] = report.violations
    assert v.focus_node == "id:report/" + "a" * 64
    assert v.path == "dcterms:issued"
    assert v.severity == "Violation"
    assert v.shape == "okgsh:ReportShape"
    assert "dcterms:issued" in v.message
    data = json.loads(json.dumps(report.to_dict()))
    assert data["conforms"] is False and data["violations"][0]["path"] == "dcterms:issued"
    assert "does NOT conform: 1 violation(s)" in report.text()


def test_the_callers_graph_is_left_unchanged() -> None:
    g = rdflib.Graph().parse(DATA / "valid.ttl")
    before = set(g)
    validate_graph(g)
    assert set(g) == before
    validate_graph(g, inference="rdfs")  # inference runs on a copy
    assert set(g) == before


def test_warnings_do_not_fail() -> None:
    g = rdflib.Graph().parse(DATA / "valid.ttl")
    g.remove((None, rdflib.URIRef("https://w3id.org/ofsted-kg/ontology#linkEvidence"), None))
    report = validate_graph(g)
    assert report.conforms
    assert [w.path for w in report.warnings] == ["okg:linkEvidence"]
    assert report.warnings[0].severity == "Warning"


def test_without_vocabulary_theme_and_area_checks_fail() -> None:
    g = rdflib.Graph().parse(DATA / "valid.ttl")
    report = validate_graph(g, include_vocabulary=False)
    assert not report.conforms
    assert {"okg:theme", "okg:area", "okg:framework"} <= {v.path for v in report.violations}


def test_inference_modes() -> None:
    g = rdflib.Graph().parse(DATA / "valid.ttl")
    assert validate_graph(g, inference="rdfs").conforms
    with pytest.raises(ValueError, match="inference"):
        validate_graph(g, inference="magic")


def test_not_a_graph() -> None:
    with pytest.raises(TypeError):
        validate_graph("valid.ttl")  # type: ignore[arg-type]


@pytest.mark.parametrize("body", [
    "sh:property [ sh:minCount 1 ]",  # no sh:path
    "sh:property [ sh:path ex:p ; sh:minCount \"abc\" ]",  # not an integer
])
def test_broken_shapes_raise_validation_error(body: str) -> None:
    broken = rdflib.Graph().parse(data=f"""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; {body} .
        """, format="turtle")
    data = rdflib.Graph().parse(data="<http://example.org/a> a <http://example.org/C> .",
                                format="turtle")
    with pytest.raises(ValidationError, match="not valid"):
        validate_graph(data, shapes=broken)


def test_empty_shapes_graph_raises() -> None:
    with pytest.raises(ValidationError, match="no SHACL shape"):
        validate_graph(rdflib.Graph(), shapes=rdflib.Graph())


def _record() -> DocumentRecord:
    rec = DocumentRecord(
        source=Source("sefton-2024-monitoring-visit.txt", "c" * 64, 3),
        authority=AuthorityRef("Sefton", "E08000014", "80550", "343", "North West"),
        document_type="monitoring_visit", framework="ILACS",
        visit_start="2024-02-13", visit_end="2024-02-14", published="2024-03-19",
        published_source="letter_date", title="Monitoring visit to Sefton",
        publisher="Ofsted", visit_number=5,
        inspectors=[Inspector("Jane Example", "lead")],
        judgements=[],
        concerns=[Concern(kind="area_of_concern", page=1, position=1,
                          text="the timeliness in accessing services to help their mental "
                               "health and emotional well-being", prefix="reviewed", suffix=".")],
        findings=[Finding(text="There are still delays in young people accessing timely, "
                               "lower-level emotional and mental health support.",
                          polarity="weakness", page=2, position=1)],
    )
    tag_record(rec)
    return rec


def test_the_rdf_builders_graph_conforms() -> None:
    from ofsted_kg.graph_builder.rdf import record_graph

    g = record_graph(_record())
    report = validate_graph(g)
    assert report.conforms, report.text()
    # a monitoring visit not yet linked to its inspection is only a warning
    assert "okgsh:MonitoringVisitShape" in {w.shape for w in report.warnings}


def test_a_full_inspection_record_with_judgements_conforms() -> None:
    from ofsted_kg.graph_builder.rdf import record_graph

    rec = _record()
    rec.document_type = "full_inspection"
    rec.framework = "SIF"
    rec.inspection_type = "standard"
    rec.judgements = [Judgement("care_leavers", "Experiences and progress of care leavers",
                                "requires_improvement"),
                      Judgement("overall_effectiveness", "Overall effectiveness", "inadequate")]
    report = validate_graph(record_graph(rec))
    assert report.conforms, report.text()
    bad = record_graph(rec)
    bad.add((rdflib.URIRef("https://w3id.org/ofsted-kg/id/x"), rdflib.RDF.type,
             rdflib.URIRef("https://w3id.org/ofsted-kg/ontology#Judgement")))
    assert not validate_graph(bad).conforms


def test_report_type() -> None:
    assert isinstance(validate_graph(rdflib.Graph()), ValidationReport)
    assert validate_graph(rdflib.Graph()).conforms  # an empty graph has nothing wrong


def test_the_bundled_samples_graph_conforms(samples_dir) -> None:  # type: ignore[no-untyped-def]
    from ofsted_kg.graph_builder.extract import extract_path
    from ofsted_kg.graph_builder.rdf import record_ntriples

    files = sorted(samples_dir.glob("*.txt"))
    assert len(files) == 5
    g = rdflib.Graph()
    g.parse(data="".join(record_ntriples(extract_path(f)) for f in files), format="nt")
    report = validate_graph(g)
    assert report.conforms, report.text()


@pytest.mark.corpus
def test_an_early_and_a_late_corpus_report_conform(corpus_dir) -> None:  # type: ignore[no-untyped-def]
    from ofsted_kg.graph_builder.extract import extract_path
    from ofsted_kg.graph_builder.rdf import record_ntriples

    reports = corpus_dir / "ofsted-ilacs" / "reports"
    picks = [reports / "80479_knowsley" / "children's services inspection - 30 june 2014.pdf",
             reports / "80449_bradford" / "children's services inspection - 21 may 2026.pdf"]
    g = rdflib.Graph()
    g.parse(data="".join(record_ntriples(extract_path(f)) for f in picks), format="nt")
    report = validate_graph(g)
    assert report.conforms, report.text()
