"""HTML views without a browser: self-contained, text as data, counts, cap, determinism.

(tests/test_browser.py opens the same pages in headless Chromium.)
"""

from __future__ import annotations

import io
import json
import re

import pytest
from fixturegraph import HOSTILE, fixture_store

from ofsted_kg.exports import ExportError, export
from ofsted_kg.exports.concern_graph import load_concern_graph
from ofsted_kg.exports.html import render_view, safe_json
from ofsted_kg.exports.model import select_documents
from ofsted_kg.store import Store


@pytest.fixture(scope="module")
def store() -> Store:
    return fixture_store()


def _html(store: Store, **kw: object) -> tuple[str, object]:
    buf = io.BytesIO()
    summary = export(store, "html", buf, **kw)
    return buf.getvalue().decode("utf-8"), summary


def _data(page: str, name: str) -> list[dict]:
    """The JSON a DataSet is built from (nodes or edges), parsed back."""
    m = re.search(rf"var {name} = new vis\.DataSet\((.*?)\);\n", page)
    assert m, name
    return json.loads(m.group(1))


VIEWS = [  # the network views (the trace view is a grid: test_trace_is_the_lineage_grid)
    ("timeline", {"authority": "Sefton"}),
    ("timeline", {}),
    ("national", {}),
]


@pytest.mark.parametrize("view,kw", VIEWS)
def test_page_is_self_contained(store: Store, view: str, kw: dict) -> None:
    page, summary = _html(store, view=view, **kw)
    low = page.lower()
    # no element loads anything: no src/href at all, no CSS import or remote url()
    assert not re.search(r"<(script|link|img|iframe|source|embed|object)\b[^>]*\b(src|href)\s*=",
                         low)
    assert "@import" not in low
    assert not re.search(r"url\(\s*['\"]?(https?:|//)", low)
    for host in ("cdnjs", "unpkg", "jsdelivr", "bootstrapcdn", "googleapis"):
        assert host not in low, host
    # a CSP forbids requests even if a script tried
    assert "default-src 'none'" in page and "connect-src 'none'" in page
    # one script element per script we wrote, the vendored library inlined
    assert low.count("<script") == low.count("</script") == 3
    assert "@version 10.1.5" in page and "sourceMappingURL" not in page
    assert len(_data(page, "nodes")) == summary.nodes
    assert len(_data(page, "edges")) == summary.edges


def test_hostile_text_is_data_not_markup(store: Store) -> None:
    page, _ = _html(store, view="timeline", authority="Telford")
    assert "<script>window.__pwned" not in page
    assert "<b>bold</b>" not in page
    assert "\\u003cscript\\u003ewindow.__pwned" in page
    # the authority's name: HTML-escaped in <title>, JSON-escaped in the data
    assert "<title>Timeline &#8212; Telford &amp; Wrekin</title>" in page
    # pyvis writes with the locale's encoding: all it writes is ASCII (only the vendored
    # vis-network, inlined afterwards as UTF-8, has other characters)
    from importlib import resources

    vis = resources.files("ofsted_kg.exports").joinpath("static/vis-network.min.js")
    assert page.replace(vis.read_text(encoding="utf-8"), "").isascii()
    nodes = _data(page, "nodes")
    concern = next(n for n in nodes if n["kind"] == "concern")
    assert HOSTILE in concern["title"] and isinstance(concern["title"], str)
    assert ["Quote", f"Improve the recording of {HOSTILE} decisions."] in concern["info"]


def test_safe_json_never_closes_a_script() -> None:
    s = safe_json({"a": "</script><!-- & ' \u2028"})
    assert "<" not in s and ">" not in s and "&" not in s and "'" not in s
    assert json.loads(s) == {"a": "</script><!-- & ' \u2028"}


def test_timeline_draws_documents_in_date_order_and_links(store: Store) -> None:
    page, summary = _html(store, view="timeline", authority="Sefton")
    nodes = {n["id"]: n for n in _data(page, "nodes")}
    edges = _data(page, "edges")
    docs = sorted((n for n in nodes.values() if n["kind"] == "document"), key=lambda n: n["x"])
    assert [n["label"].split("\n")[0] for n in docs] == ["2016-04-11", "2024-02-13"]
    assert all(n["fixed"] for n in docs)
    assert sum(n["kind"] == "judgement" for n in nodes.values()) == 4
    assert sum(n["kind"] == "concern" for n in nodes.values()) == 3
    rows = store.select("SELECT (COUNT(DISTINCT *) AS ?n) WHERE { ?a okg:repeats ?b . "
                        "?a oa:hasSource/okg:authority/skos:prefLabel 'Sefton'@en }")
    assert sum(e["kind"] == "repeats" for e in edges) == rows[0]["n"] >= 1
    # judgements coloured by grade: Sefton 2016 requires improvement throughout
    assert {n["color"] for n in nodes.values() if n["kind"] == "judgement"} == {"#fdae61"}
    # every concern tooltip carries quote, page, document and date
    for n in nodes.values():
        if n["kind"] == "concern":
            assert "\u201c" in n["title"] and "page " in n["title"]
            assert ".pdf" in n["title"] or ".txt" in n["title"]
            assert re.search(r"\d{4}-\d\d-\d\d", n["title"])
    meta = json.loads(re.search(r"meta: (\{.*?\}), stabilized", page).group(1))
    assert meta["counts"] == {"nodes": summary.nodes, "edges": summary.edges, "documents": 2}
    assert meta["years"][0] == 2016 and meta["years"][-1] == 2024
    assert {k["id"] for k in meta["kinds"]} >= {"document", "concern", "theme", "judgement"}


def _grid(page: str) -> dict:
    return json.loads(re.search(r"const D = (.*);\n", page).group(1))


def test_trace_is_the_lineage_grid(store: Store) -> None:
    """--view trace draws what trace answers: the theme's concerns as rows, visits as
    columns, cells coloured by status, the deciding quotes in the data shown on click."""
    from ofsted_kg.queries.trace import trace

    page, summary = _html(store, view="trace", theme="mental-health", authority="Sefton")
    low = page.lower()
    assert "default-src 'none'" in page and "vis.dataset" not in low
    assert low.count("<script") == low.count("</script") == 1
    d = _grid(page)
    assert summary.nodes == len(d["rows"]) >= 1 and summary.view == "trace"
    assert "concern" in summary.describe() and "cells" in summary.describe()
    row = d["rows"][0]
    res = trace(store, row["label"], authority="Sefton")
    assert row["verdict"] == res.verdict
    assert [c["date"] for c in d["columns"] if c["report"] in row["cells"]] == \
        [s["date"] for s in res.steps]
    for s in res.steps:
        cell = row["cells"][s["report"]]
        assert cell["status"] == s["label"]
        assert d["colours"][cell["status"].replace(" ", "_")].startswith("#")
        assert {q["quote"] for q in cell["quotes"]} == \
            {r["quote"] for r in res.rows if r["report"] == s["report"]}
    # across authorities: one row per authority with a chain, the years as columns
    page, summary = _html(store, view="trace", theme="mental-health")
    d = _grid(page)
    assert d["byYear"] and all(re.fullmatch(r"\d{4}", c["date"]) for c in d["columns"])
    assert "Sefton" in {r["label"] for r in d["rows"]}
    with pytest.raises(ExportError):
        _html(store, view="trace")


def test_national_sizes_by_persistence(store: Store) -> None:
    page, _ = _html(store, view="national")
    nodes = {n["id"]: n for n in _data(page, "nodes")}
    edges = _data(page, "edges")
    authorities = {n["label"] for n in nodes.values() if n["kind"] == "authority"}
    assert authorities == {"Sefton", "Knowsley", "Telford & Wrekin"}
    # Sefton raises care leavers / mental health in both its documents; Telford has one
    sefton = next(n for n in nodes.values() if n["label"] == "Sefton")
    telford = next(n for n in nodes.values() if n["label"] == "Telford & Wrekin")
    assert sefton["value"] > telford["value"] == 1
    cl = nodes["theme:care-leavers"]
    assert cl["value"] == 3  # recurs in Sefton and Knowsley
    for e in edges:
        assert e["value"] >= 2  # every edge is a theme raised in 2+ documents


def test_cap_says_what_was_left_out(store: Store) -> None:
    page, summary = _html(store, view="timeline", max_nodes=10)
    assert summary.nodes <= 10 and summary.omitted
    assert "capped at 10 nodes" in page
    nodes = _data(page, "nodes")
    # a timeline keeps the latest documents whole: the 2024 ones (and what they hold)
    kept = sorted(n["year"] for n in nodes if n["kind"] == "document")
    assert kept and kept[-1] == 2024 and summary.omitted["documents"] == 5 - len(kept)
    assert "latest documents kept whole" in page


def test_render_is_deterministic(store: Store) -> None:
    sel = select_documents(store, authority="Knowsley")
    a = render_view(store, sel, view="timeline").html
    b = render_view(store, sel, view="timeline").html
    assert a == b


def test_theme_filter_keeps_only_that_theme(store: Store) -> None:
    sel = select_documents(store, theme="pathway-planning")
    cg = load_concern_graph(store, sel)
    assert {d.authority_name for d in cg.documents} == {"Knowsley"}
    assert cg.items and all("pathway-planning" in i.themes for i in cg.items)


def test_since_filter(store: Store) -> None:
    page, summary = _html(store, view="timeline", since=2020)
    assert summary.documents == 3
    years = {n.get("year") for n in _data(page, "nodes") if n["kind"] == "document"}
    assert years == {2020, 2024}


def test_empty_selection_still_renders(store: Store) -> None:
    page, summary = _html(store, view="national", authority="Telford")
    assert summary.nodes == 1 and summary.edges == 0
