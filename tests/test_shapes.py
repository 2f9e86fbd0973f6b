"""Each SHACL shape passes on the valid example and fails on an invalid one.

``tests/data/shapes/valid.ttl`` must conform with no warnings; every
``tests/data/shapes/invalid/*.trig`` is a patch of it (triples of ``<urn:remove>`` removed,
of ``<urn:add>`` added) whose first line names the result the validator must report.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib

from ofsted_kg.ontology import shapes_graph
from ofsted_kg.validate import validate_graph

DATA = Path(__file__).parent / "data" / "shapes"
CASES = sorted((DATA / "invalid").glob("*.trig"))


def _valid() -> rdflib.Graph:
    return rdflib.Graph().parse(DATA / "valid.ttl", format="turtle")


def _patched(case: Path) -> tuple[rdflib.Graph, tuple[str, str, str]]:
    first = case.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# expect: "), case
    severity, shape, path = first[len("# expect: "):].split()
    ds = rdflib.Dataset()
    ds.parse(case, format="trig")
    g = _valid()
    removed = list(ds.graph(rdflib.URIRef("urn:remove")))
    for t in removed:
        assert t in g, f"{case.name}: triple to remove is not in valid.ttl: {t}"
        g.remove(t)
    for t in ds.graph(rdflib.URIRef("urn:add")):
        g.add(t)
    return g, (severity, shape, path)


def test_valid_example_conforms_without_warnings() -> None:
    report = validate_graph(_valid())
    assert report.conforms, report.text()
    assert report.violations == []
    assert report.warnings == [], report.text()


def test_there_is_a_failing_case_for_every_node_shape() -> None:
    g = shapes_graph()
    shapes = {
        str(s).rsplit("#", 1)[-1]
        for s in g.subjects(rdflib.RDF.type, rdflib.URIRef("http://www.w3.org/ns/shacl#NodeShape"))
    }
    # shapes reached through sh:node are exercised through their parents
    shapes -= {"TargetShape", "QuoteSelectorShape"}  # (none left: kept for safety)
    tested = {c.read_text(encoding="utf-8").split()[3].split(":", 1)[1] for c in CASES}
    assert shapes <= tested, f"shapes without a failing example: {sorted(shapes - tested)}"


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_invalid_example_is_reported(case: Path) -> None:
    graph, (severity, shape, path) = _patched(case)
    report = validate_graph(graph)
    results = report.violations if severity == "Violation" else report.warnings
    found = [(r.shape, r.path or "-") for r in results]
    assert (shape, path) in found, f"{case.name}: expected {shape} {path}; got\n{report.text()}"
    if severity == "Violation":
        assert not report.conforms
    else:
        assert report.conforms, report.text()
        assert report.violations == []
