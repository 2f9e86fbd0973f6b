"""The RDF of one record: deterministic, no blank nodes, as the golden file says."""

from __future__ import annotations

from pathlib import Path

import rdflib
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from fixturegraph import sample_records
from ofsted_kg.graph_builder.rdf import record_graph, record_ntriples
from ofsted_kg.ontology.namespaces import OKG, PREFIXES

GOLDEN = Path(__file__).parent / "data" / "golden" / "sefton-2024-monitoring-visit.ttl"


def _dump(g: rdflib.Graph) -> str:
    for k, v in PREFIXES.items():
        g.bind(k, v)
    return g.serialize(format="turtle")


def test_record_graph_matches_golden() -> None:
    rec = sample_records()[1]
    got = record_graph(rec)
    want = rdflib.Graph().parse(GOLDEN, format="turtle")
    if not isomorphic(got, want):
        _, only_got, only_want = graph_diff(to_isomorphic(got), to_isomorphic(want))
        raise AssertionError("graph differs from golden file\nonly in built graph:\n"
                             + _dump(only_got) + "\nonly in golden file:\n" + _dump(only_want))


def test_same_record_same_triples_and_no_blank_nodes() -> None:
    a, b = record_ntriples(sample_records()[0]), record_ntriples(sample_records()[0])
    assert sorted(a.splitlines()) == sorted(b.splitlines())
    g = record_graph(sample_records()[0])
    assert not any(isinstance(t, rdflib.BNode) for triple in g for t in triple)


def test_concern_carries_kind_text_page_themes_and_quote() -> None:
    rec = sample_records()[0]
    g = record_graph(rec)
    c = rdflib.URIRef(f"https://w3id.org/ofsted-kg/id/concern/{rec.source.sha256}/1")
    assert (c, rdflib.RDF.type, OKG.Recommendation) in g
    assert int(g.value(c, OKG.page)) == 9
    themes = {str(t).rsplit("/", 1)[-1] for t in g.objects(c, OKG.theme)}
    assert themes == {"care-leavers", "mental-health", "accommodation", "timeliness"}
    OA = rdflib.Namespace("http://www.w3.org/ns/oa#")
    # the concern is the Web Annotation SpecificResource: its report and its quote, its
    # text written once (as the quote), its report once (as the source)
    assert g.value(c, OA.hasSource) == rdflib.URIRef(
        f"https://w3id.org/ofsted-kg/id/report/{rec.source.sha256}")
    sel = g.value(c, OA.hasSelector)
    assert (sel, rdflib.RDF.type, OA.TextQuoteSelector) in g
    assert str(g.value(sel, OA.exact)).startswith("Ensure that care leavers get timely support")
    deprecated = (OKG.text, OKG.raisedIn, OKG.raisedAt)
    assert not any(p in deprecated for _, p, _ in g), "graph model 5 writes none of these"
