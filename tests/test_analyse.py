"""analyse: recurring (authority, theme) pairs, national theme counts, GraphML; the CLI."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from fixturegraph import fixture_store
from ofsted_kg.analyse import recurring, recurring_graph, themes, themes_graph, write_graphml
from ofsted_kg.cli import main
from ofsted_kg.store import Store


@pytest.fixture(scope="module")
def store() -> Store:
    return fixture_store()


def test_recurring_ranks_persistent_pairs(store: Store) -> None:
    assert recurring(store) == []  # nothing in 3 documents
    rows = recurring(store, min_documents=2)
    pairs = {(r.authority_name, r.theme.rsplit("/", 1)[-1]): r for r in rows}
    mh = pairs[("Sefton", "mental-health")]
    assert (mh.documents, mh.first_year, mh.last_year, mh.years_spanned) == (2, 2016, 2024, 8)
    assert mh.still_open and mh.last_status == "persisting" and mh.chain == 2
    pw = pairs[("Knowsley", "pathway-planning")]
    assert (pw.documents, pw.years_spanned, pw.still_open) == (2, 7, True)
    # the cohort facet is not a failure
    assert not any(r.theme.endswith("/care-leavers") for r in rows)
    # ranked: more years spanned first at equal documents
    spans = [r.years_spanned for r in rows]
    assert spans == sorted(spans, reverse=True)
    only = recurring(store, min_documents=2, authority="Knowsley")
    assert {r.authority_name for r in only} == {"Knowsley"}


def test_themes_national_counts(store: Store) -> None:
    s = themes(store, min_documents=1)
    label = next(k for k in s.concerns if k.lower().startswith("pathway"))
    assert s.by_year[label] == {"2017": 1, "2024": 1}
    assert s.by_region[label] == {"North West": 2}
    assert s.authorities[label] == 1
    assert any(names == ["Knowsley", "Sefton"] for names in s.shared.values())
    assert themes(store, min_documents=2).shared == {}
    row = next(r for r in s.rows() if r["theme"] == label)
    assert row["years"] == "2017:1, 2024:1" and row["concerns"] == 2


def test_graphml_round_trip(store: Store, tmp_path: Path) -> None:
    g = recurring_graph(recurring(store, min_documents=2))
    path = tmp_path / "r.graphml"
    write_graphml(g, path)
    back = nx.read_graphml(path)
    assert back.number_of_nodes() == g.number_of_nodes() > 0
    a = "https://w3id.org/ofsted-kg/id/authority/E08000014"
    t = next(n for n in back.neighbors(a) if n.endswith("/mental-health"))
    assert back.edges[a, t]["documents"] == 2 and back.edges[a, t]["still_open"] is True
    tg = themes_graph(themes(store, min_documents=1))
    assert any(d["kind"] == "authority" for _, d in tg.nodes(data=True))


def test_cli_analyse(disk_store: Path, tmp_path: Path) -> None:
    r = CliRunner().invoke(main, ["analyse", "recurring", "--min-documents", "2", "--store",
                                  str(disk_store), "--format", "csv"])
    assert r.exit_code == 0, r.output
    table = list(csv.DictReader(io.StringIO(r.output)))
    assert {"authority", "theme", "documents", "years", "open"} <= set(table[0])
    assert any(x["authority"] == "Sefton" and x["documents"] == "2" for x in table)
    gm = tmp_path / "t.graphml"
    r = CliRunner().invoke(main, ["analyse", "themes", "--min-documents", "1", "--store",
                                  str(disk_store), "--format", "json", "--graphml", str(gm)])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["shared"] and nx.read_graphml(gm).number_of_edges() >= 2
    r = CliRunner().invoke(main, ["analyse", "recurring", "--store", str(disk_store)])
    assert r.exit_code == 0 and "0 rows" in r.output
