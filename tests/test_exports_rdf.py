"""RDF and GraphML exports: round trips, named graphs, the filter, the manifest left out."""

from __future__ import annotations

import io
import json

import networkx as nx
import pytest
import rdflib
from click.testing import CliRunner
from rdflib.compare import isomorphic

from fixturegraph import fixture_store, write_fixture
from ofsted_kg.cli import main
from ofsted_kg.errors import QueryError
from ofsted_kg.exports import ExportError, export
from ofsted_kg.exports.rdf import jsonld_context
from ofsted_kg.ontology.namespaces import GRAPH, OKG, PREFIXES
from ofsted_kg.store import Store

MANIFEST = str(GRAPH["manifest"])
REPORT_PREFIX = str(GRAPH["report/"])


@pytest.fixture(scope="module")
def store() -> Store:
    return fixture_store()


def _store_dataset(store: Store) -> rdflib.Dataset:
    """The store's own dump (pyoxigraph, not our code), manifest removed, with the items
    the store keeps in the default graph (``id/concern/<sha>/...``, ``id/finding/<sha>/...``)
    put in their document's graph, ``graph/report/<sha>``: the dataset an export gives."""
    import pyoxigraph as ox

    data = store.oxigraph.dump(format=ox.RdfFormat.N_QUADS)
    ds = rdflib.Dataset()
    ds.parse(data=data.decode("utf-8"), format="nquads")
    ds.remove_graph(rdflib.URIRef(MANIFEST))
    default = ds.graph(rdflib.Dataset().default_graph.identifier)
    moved = list(default)
    assert moved, "the store keeps the items in the default graph"
    for s, p, o in moved:
        kind, sha = str(s).split("/id/", 1)[1].split("/")[:2]
        assert kind in ("concern", "finding"), s  # nothing else is in the default graph
        ds.graph(rdflib.URIRef(REPORT_PREFIX + sha)).add((s, p, o))
        default.remove((s, p, o))
    return ds


def _union(ds: rdflib.Dataset) -> rdflib.Graph:
    g = rdflib.Graph()
    for s, p, o, c in ds.quads((None, None, None, None)):
        if c is not None and str(c) != MANIFEST:
            g.add((s, p, o))
    return g


def _export(store: Store, fmt: str, **kw: object) -> tuple[bytes, object]:
    buf = io.BytesIO()
    summary = export(store, fmt, buf, **kw)
    return buf.getvalue(), summary


def _named(ds: rdflib.Dataset) -> dict[str, rdflib.Graph]:
    out = {}
    for g in ds.graphs():
        if len(g) and str(g.identifier).startswith("https://"):
            out[str(g.identifier)] = g
    return out


@pytest.mark.parametrize("fmt,parse_as", [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")])
def test_triple_formats_round_trip(store: Store, fmt: str, parse_as: str) -> None:
    data, summary = _export(store, fmt)
    g = rdflib.Graph()
    g.parse(data=data.decode("utf-8"), format=parse_as)
    expected = _union(_store_dataset(store))
    assert len(g) == len(expected) == summary.statements
    assert isomorphic(g, expected)
    assert summary.documents == 5


@pytest.mark.parametrize("fmt,parse_as", [("nq", "nquads"), ("trig", "trig")])
def test_quad_formats_keep_one_named_graph_per_document(store: Store, fmt: str,
                                                       parse_as: str) -> None:
    data, summary = _export(store, fmt)
    ds = rdflib.Dataset()
    ds.parse(data=data.decode("utf-8"), format=parse_as)
    got = _named(ds)
    want = _named(_store_dataset(store))
    assert set(got) == set(want)
    reports = [g for g in got if g.startswith(REPORT_PREFIX)]
    assert len(reports) == 5  # one per fixture document
    assert str(GRAPH["vocabulary"]) in got
    for name in want:
        assert isomorphic(got[name], want[name]), name
    assert summary.statements == sum(len(g) for g in want.values())


def test_manifest_and_local_paths_never_exported(store: Store) -> None:
    for fmt in ("ttl", "nt", "nq", "trig", "jsonld"):
        data, _ = _export(store, fmt)
        assert b"/fixture/" not in data, fmt
        assert str(OKG.localPath).encode() not in data and b"localPath" not in data, fmt
        assert MANIFEST.encode() not in data, fmt


def test_turtle_and_trig_bind_our_prefixes(store: Store) -> None:
    for fmt in ("ttl", "trig"):
        text = _export(store, fmt)[0].decode()
        for p in ("okg", "theme", "id", "oa", "skos"):
            assert f"@prefix {p}: <{PREFIXES[p]}>" in text, (fmt, p)
        assert "okg:Report" in text


def test_jsonld_uses_the_published_context_inline(store: Store) -> None:
    doc = json.loads(_export(store, "jsonld")[0])
    ctx = jsonld_context()
    assert doc["@context"] == ctx  # embedded, so reading needs no network
    assert ctx["okg"] == PREFIXES["okg"] and ctx["hasSource"]["@type"] == "@id"
    nodes = doc["@graph"]
    # the context's terms are used: short class and property names, IRIs coerced
    report = next(n for n in nodes if "Report" in (n.get("@type") or []))
    assert report["@id"].startswith("id:report/")
    assert report["documentType"] and report["sha256"]
    concern = next(n for n in nodes if "hasSource" in n)
    assert concern["hasSource"].startswith("id:report/")
    quote = next(n for n in nodes if n["@id"] == concern["hasSelector"])
    assert quote["@type"] == "TextQuoteSelector" and quote["exact"]
    assert str(concern["page"]).isdigit()  # typed by the context (xsd:integer)


def test_jsonld_batches_merge_back(store: Store) -> None:
    """A subject split across pyoxigraph batches is two node objects that JSON-LD merges."""
    from ofsted_kg.exports.rdf import union_triples, write_jsonld

    triples = list(union_triples(store, None))
    buf = io.BytesIO()
    write_jsonld(triples, buf, batch=7)
    g = rdflib.Graph().parse(data=buf.getvalue().decode(), format="json-ld")
    expected = _union(_store_dataset(store))
    assert len(g) == len(expected) and isomorphic(g, expected)
    ids = [n["@id"] for n in json.loads(buf.getvalue())["@graph"]]
    assert len(ids) > len(set(ids))  # the split really happened


def test_hostile_text_survives_every_format(store: Store) -> None:
    from fixturegraph import HOSTILE

    want = f"Improve the recording of {HOSTILE} decisions."
    for fmt, parse_as in (("ttl", "turtle"), ("jsonld", "json-ld"), ("nt", "nt")):
        g = rdflib.Graph()
        g.parse(data=_export(store, fmt)[0].decode("utf-8"), format=parse_as)
        texts = {str(o) for o in g.objects(None, rdflib.URIRef("http://www.w3.org/ns/oa#exact"))}
        assert want in texts, fmt
        names = {str(o) for o in g.objects(None, rdflib.URIRef(PREFIXES["skos"] + "prefLabel"))}
        assert "Telford & Wrekin" in names, fmt


def test_filter_by_authority_and_since(store: Store) -> None:
    data, summary = _export(store, "trig", authority="Sefton", since=2020)
    ds = rdflib.Dataset()
    ds.parse(data=data.decode(), format="trig")
    graphs = _named(ds)
    reports = [g for g in graphs if g.startswith(REPORT_PREFIX)]
    assert summary.documents == 1 and len(reports) == 1
    (rep_graph,) = reports
    types = {str(o) for o in graphs[rep_graph].objects(None, rdflib.URIRef(str(OKG.documentType)))}
    assert types == {"monitoring_visit"}
    # links graphs: only Sefton's, and nothing pointing at the 2016 document left out
    links = [g for g in graphs if "/graph/links/" in g]
    assert links and all(g.endswith("/E08000014") for g in links)
    sha_2016 = [d for d in store.documents()]
    kept_sha = rep_graph.rsplit("/", 1)[-1]
    dropped = {d.sha256 for d in sha_2016} - {kept_sha}
    text = data.decode()
    for sha in dropped:
        assert sha not in text


def test_filter_by_theme_keeps_documents_with_the_theme(store: Store) -> None:
    _, all_summary = _export(store, "nq")
    _, summary = _export(store, "nq", theme="pathway-planning")
    assert summary.documents == 2  # Knowsley 2017 and 2024
    assert summary.statements < all_summary.statements


def test_unknown_things_raise(store: Store) -> None:
    with pytest.raises(ExportError):
        _export(store, "rdfxml")
    with pytest.raises(ExportError):
        _export(store, "html", view="galaxy")
    with pytest.raises(ExportError, match="theme"):
        _export(store, "html", view="trace")
    with pytest.raises(QueryError):
        _export(store, "ttl", authority="Atlantis")
    with pytest.raises(QueryError):
        _export(store, "ttl", theme="no-such-theme-at-all")


# -- GraphML ----------------------------------------------------------------------------
def test_graphml_round_trips_with_networkx(store: Store, tmp_path) -> None:
    path = tmp_path / "g.graphml"
    summary = export(store, "graphml", path)
    g = nx.read_graphml(path, force_multigraph=True)
    assert g.number_of_nodes() == summary.nodes and g.number_of_edges() == summary.edges
    kinds = {}
    for _, a in g.nodes(data=True):
        kinds[a["kind"]] = kinds.get(a["kind"], 0) + 1
    concerns = store.select("SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a okg:Concern }")[0]["n"]
    assert kinds["document"] == 5 and kinds["authority"] == 3
    assert kinds["concern"] == concerns == 6
    themes = store.select("SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE { ?c a okg:Concern ; okg:theme ?t }")[0]["n"]
    assert kinds["theme"] == themes
    ekinds = {}
    for _, _, a in g.edges(data=True):
        ekinds[a["kind"]] = ekinds.get(a["kind"], 0) + 1
    assert ekinds["raisedIn"] == 6 and ekinds["authority"] == 5
    repeats = store.select("SELECT (COUNT(DISTINCT *) AS ?n) WHERE { ?a okg:repeats ?b }")[0]["n"]
    assert ekinds.get("repeats", 0) == repeats
    # report text arrives as text
    from fixturegraph import HOSTILE

    assert any(HOSTILE in str(a.get("text", "")) for _, a in g.nodes(data=True))
    assert any(a.get("label") == "Telford & Wrekin" for _, a in g.nodes(data=True))


def test_graphml_filter_by_theme(store: Store) -> None:
    data, summary = _export(store, "graphml", theme="pathway-planning")
    g = nx.read_graphml(io.BytesIO(data), force_multigraph=True)
    concerns = [a for _, a in g.nodes(data=True) if a["kind"] == "concern"]
    assert len(concerns) == 2
    assert all("pathway-planning" in a["themes"].split() for a in concerns)


# -- CLI --------------------------------------------------------------------------------
def test_cli_export_writes_files(tmp_path) -> None:
    st = Store(tmp_path / "store")
    write_fixture(st)
    st.close()
    runner = CliRunner()
    out = tmp_path / "g.ttl"
    res = runner.invoke(main, ["export", "ttl", "--store", str(tmp_path / "store"),
                               "-o", str(out), "--authority", "Knowsley"])
    assert res.exit_code == 0, res.output
    assert "2 documents" in res.output
    g = rdflib.Graph().parse(out, format="turtle")
    assert len(g) > 100
    html = tmp_path / "k.html"
    res = runner.invoke(main, ["export", "html", "--store", str(tmp_path / "store"),
                               "-o", str(html), "--view", "national"])
    assert res.exit_code == 0, res.output
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    res = runner.invoke(main, ["export", "html", "--store", str(tmp_path / "store"),
                               "-o", str(html), "--view", "trace"])
    assert res.exit_code == 2 and "--theme" in res.output
    res = runner.invoke(main, ["export", "nt", "--store", str(tmp_path / "store"), "-o", "-",
                               "--authority", "Telford"])
    assert res.exit_code == 0
    g = rdflib.Graph().parse(data=res.stdout, format="nt")
    assert "Telford & Wrekin" in {str(o) for o in g.objects()}
    assert "1 document," in res.stderr  # the summary goes to stderr when data is on stdout
    res = runner.invoke(main, ["export", "ttl", "--store", str(tmp_path / "store"),
                               "-o", str(out), "--authority", "Atlantis"])
    assert res.exit_code == 1 and "Atlantis" in res.output
