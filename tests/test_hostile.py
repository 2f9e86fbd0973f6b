"""Hostile content: report text with markup, script and SPARQL-looking text stays text;
queries are read-only and offline unless allowed; parameters are bound, never pasted;
output goes only where the user said.

The HTML export is tested by its owner (tests of ofsted_kg/exports/html.py); here CSV,
TSV, JSON, Turtle and N-Quads.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib

from ofsted_kg.graph_builder.pipeline import build
from ofsted_kg.store import Store

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
CLI = [sys.executable, "-c", "from ofsted_kg.cli import main; main()"]

HOSTILE = ('The quality of <script>alert("owned")</script> pathway plans & '
           '<img src=x onerror=alert(1)> "} ; DROP ALL ; # \'quotes\' \\ back\\slash.')
CONCERNS_RQ = """# title: Concern texts
# description: every concern's text containing some words
# param: words string required  words in the text
SELECT DISTINCT ?text ?words WHERE {
  ?c oa:hasSelector/oa:exact ?text .
  FILTER(CONTAINS(STR(?text), STR(?words)))
} ORDER BY ?text
"""


def cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=120, cwd=cwd)


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    d = tmp_path_factory.mktemp("hostile")
    text = (SAMPLES / "knowsley-2024-focused-visit.txt").read_text("utf-8")
    line = "- The quality and review of pathway plans."
    assert line in text
    (d / "knowsley-hostile.txt").write_text(text.replace(line, "- " + HOSTILE), "utf-8")
    store = d / "store"
    s = build([d / "knowsley-hostile.txt", SAMPLES / "sefton-2024-monitoring-visit.txt"],
              store=store, jobs=1)
    assert s.ok and s.built == 2
    (d / "concerns.rq").write_text(CONCERNS_RQ)
    return store, d


def test_hostile_text_is_stored_verbatim(hostile_store: tuple[Path, Path]) -> None:
    store, _ = hostile_store
    with Store(store, read_only=True) as st:
        rows = st.select('SELECT ?t WHERE { ?c oa:hasSelector/oa:exact ?t FILTER(CONTAINS(?t, "<script>")) }')
    assert HOSTILE in {r["t"] for r in rows}


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json"])
def test_query_outputs_keep_markup_as_text(hostile_store: tuple[Path, Path], fmt: str) -> None:
    store, d = hostile_store
    res = cli("query", str(d / "concerns.rq"), "--store", str(store), "-p", "words=<script>",
              "--format", fmt)
    assert res.returncode == 0, res.stderr
    if fmt == "json":
        texts = [r["text"] for r in json.loads(res.stdout)]
    else:
        reader = csv.DictReader(io.StringIO(res.stdout), delimiter="," if fmt == "csv" else "\t",
                                quoting=csv.QUOTE_MINIMAL)
        texts = [r["text"] for r in reader]
    assert texts == [HOSTILE]


@pytest.mark.parametrize("fmt,rdf_format", [("ttl", "turtle"), ("nq", "nquads")])
def test_rdf_exports_keep_markup_as_a_literal(hostile_store: tuple[Path, Path], tmp_path: Path,
                                              fmt: str, rdf_format: str) -> None:
    store, _ = hostile_store
    out = tmp_path / f"graph.{fmt}"
    res = cli("export", fmt, "--store", str(store), "-o", str(out))
    assert res.returncode == 0, res.stderr
    g = rdflib.Dataset() if fmt == "nq" else rdflib.Graph()
    g.parse(out, format=rdf_format)
    okg_text = rdflib.URIRef("http://www.w3.org/ns/oa#exact")
    literals = {str(o) for s, p, o, *_ in (g.quads((None, okg_text, None, None))
                if fmt == "nq" else g.triples((None, okg_text, None)))}
    assert HOSTILE in literals
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]  # nothing else written


def test_parameters_are_bound_not_pasted(hostile_store: tuple[Path, Path]) -> None:
    store, d = hostile_store
    with Store(store, read_only=True) as st:
        before = st.count()
    # a value that would close the string and run an update if it were pasted in
    res = cli("query", str(d / "concerns.rq"), "--store", str(store), "-p",
              'words="} ; DROP ALL ; #', "--format", "json")
    assert res.returncode == 0, res.stderr
    # ... matches the concern that literally contains it, and nothing was dropped
    assert [r["text"] for r in json.loads(res.stdout)] == [HOSTILE]
    res = cli("query", "concern-persistence", "--store", str(store), "-p",
              'authority=Sefton" } ; DROP ALL ; #', "-p", "words=health", "--format", "json")
    assert res.returncode == 1 and "no authority matching" in res.stderr
    with Store(store, read_only=True) as st:
        assert st.count() == before


def test_update_refused_unless_allowed(hostile_store: tuple[Path, Path], tmp_path: Path) -> None:
    store, _ = hostile_store
    work = tmp_path / "store"
    shutil.copytree(store, work)
    with Store(work, read_only=True) as st:
        before = st.count()
    for text in ("DROP ALL", "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
                 "# a comment SELECT\nCLEAR DEFAULT",
                 "PREFIX x: <urn:x>\nDELETE WHERE { ?s ?p ?o }"):
        rq = tmp_path / "u.rq"
        rq.write_text(text)
        res = cli("query", str(rq), "--store", str(work))
        assert res.returncode == 1 and "SPARQL UPDATE refused" in res.stderr, (text, res.stderr)
    with Store(work, read_only=True) as st:
        assert st.count() == before
    rq = tmp_path / "u.rq"
    rq.write_text("INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> <urn:c> } }")
    res = cli("query", str(rq), "--store", str(work), "--allow-update")
    assert res.returncode == 0, res.stderr
    with Store(work, read_only=True) as st:  # readers see it (snapshot published on close)
        assert st.count() == before + 1


def test_service_refused_unless_allowed(hostile_store: tuple[Path, Path], tmp_path: Path) -> None:
    store, _ = hostile_store
    rq = tmp_path / "s.rq"
    rq.write_text("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    res = cli("query", str(rq), "--store", str(store))
    assert res.returncode == 1 and "SERVICE refused" in res.stderr
    rq.write_text("SELECT * WHERE { ?a ?b ?c OPTIONAL { SERVICE SILENT <http://127.0.0.1:9/> "
                  "{ ?s ?p ?o } } } LIMIT 1")
    res = cli("query", str(rq), "--store", str(store))
    assert res.returncode == 1 and "SERVICE refused" in res.stderr
    res = cli("query", str(rq), "--store", str(store), "--allow-service", "--format", "json")
    assert "SERVICE refused" not in res.stderr  # allowed: it is tried (and may fail offline)


def test_output_goes_only_where_asked(hostile_store: tuple[Path, Path], tmp_path: Path) -> None:
    """A hostile --authority value names no file; nothing is written outside -o."""
    store, _ = hostile_store
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    res = cli("export", "ttl", "--store", str(store), "--authority", "../../../etc/passwd",
              "-o", str(out_dir / "g.ttl"), cwd=out_dir)
    assert res.returncode == 1 and "no authority matching" in res.stderr
    res = cli("export", "ttl", "--store", str(store), "--authority", "Knowsley",
              "-o", str(out_dir / "k.ttl"), cwd=out_dir)
    assert res.returncode == 0, res.stderr
    assert {p.name for p in out_dir.iterdir()} <= {"g.ttl", "k.ttl"}
    assert not any(p.name == "passwd" for p in tmp_path.rglob("*"))
