"""Every named query on the fixture graph (tests/fixturegraph.py), asserting its rows;
headers, parameter projection and docs/queries.md freshness."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fixturegraph import fixture_store
from ofsted_kg.errors import QueryError
from ofsted_kg.queries import list_queries, run_query
from ofsted_kg.queries.docs import _columns, render
from ofsted_kg.store import Store

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def store() -> Store:
    return fixture_store()


def rows(store: Store, name: str, **params: str) -> list[dict]:
    return run_query(store, name, dict(params)).rows


def test_at_least_ten_named_queries_with_headers() -> None:
    qs = list_queries()
    assert len(qs) >= 11
    for q in qs:
        assert q.title and q.title != q.name, q.name
        assert len(q.description) > 40, q.name
        assert q.example.startswith(f"ofsted-kg query {q.name}"), q.name
        assert q.form == "SELECT", q.name


def test_every_parameter_is_projected() -> None:
    for q in list_queries():
        cols = _columns(q)
        for p in q.parameters:
            assert p.name in cols, f"{q.name}: parameter ?{p.name} not in the SELECT projection"
            assert f"?{p.name}" in q.text


def test_example_parameters_are_declared() -> None:
    for q in list_queries():
        declared = {p.name for p in q.parameters}
        used = set(re.findall(r"--param\s+(\w+)=", q.example))
        assert used <= declared, q.name
        assert {p.name for p in q.parameters if p.required} <= used, q.name


def test_docs_queries_md_is_current() -> None:
    committed = (ROOT / "docs" / "queries.md").read_text(encoding="utf-8")
    assert committed == render(), "docs/queries.md is stale: python -m ofsted_kg.queries.docs"


def test_concern_persistence(store: Store) -> None:
    r = rows(store, "concern-persistence", authority="Sefton", words="mental health")
    assert [x["date"][:4] for x in r] == sorted(x["date"][:4] for x in r)
    by = {(x["kind"], x["date"][:4]): x for x in r}
    assert by[("Recommendation", "2016")]["status"] == "raised"
    assert by[("AreaOfConcern", "2024")]["status"] == "persisting"
    still = [x for x in r if "still delays" in x["text"]]
    assert still and still[0]["status"] == "persisting" and still[0]["kind"] == "Finding"
    # the words that decided the 2024 status, as trace gives them
    assert by[("AreaOfConcern", "2024")]["cue"] == "named again as an area of concern"
    assert all(x["authorityName"] == "Sefton" for x in r)


def test_open_concerns(store: Store) -> None:
    r = rows(store, "open-concerns", authority="Sefton")
    def one(start: str) -> dict:
        (x,) = [x for x in r if x["text"].startswith(start)]
        return x

    mh = one("Ensure that care leavers get timely support")
    assert mh["lastStatus"] == "persisting" and mh["lastAssessed"] == "2024-02-13"
    assert one("Ensure that management oversight")["lastStatus"] == "raised"
    assert "lastAssessed" not in one("Ensure that management oversight")
    assert len(r) == 3 and all(x["authority"].endswith("E08000014") for x in r)


def test_recurring_concerns(store: Store) -> None:
    assert rows(store, "recurring-concerns") == []  # no chain spans 3 documents
    r = rows(store, "recurring-concerns", min="2")
    assert {(x["authorityName"], x["documents"], x["first"][:4], x["latest"][:4]) for x in r} == {
        ("Knowsley", 2, "2017", "2024"), ("Sefton", 2, "2016", "2024")}
    k = rows(store, "recurring-concerns", min="2", authority="Knowsley")
    assert len(k) == 1 and k[0]["text"] == "The quality and timeliness of pathway plans."


def test_grade_trajectory(store: Store) -> None:
    r = rows(store, "grade-trajectory", authority="Sefton")
    assert {x["area"] for x in r} == {"overall_effectiveness", "help_and_protection",
                                      "children_in_care", "care_leavers"}
    assert {(x["grade"], x["rank"]) for x in r} == {("requires_improvement", 3)}
    assert all(x["date"] == "2016-04-11" and x["framework"] == "SIF" for x in r)


def test_latest_grades(store: Store) -> None:
    r = rows(store, "latest-grades")
    overall = {x["authorityName"]: (x["grade"], x["rank"]) for x in r
               if x["area"] == "overall_effectiveness"}
    assert overall == {"Sefton": ("requires_improvement", 3), "Knowsley": ("inadequate", 5),
                       "Telford & Wrekin": ("outstanding", 1)}
    west = rows(store, "latest-grades", region="West Midlands")
    assert {x["authorityName"] for x in west} == {"Telford & Wrekin"}


def test_shared_recurring_failures(store: Store) -> None:
    assert rows(store, "shared-recurring-failures") == []  # nothing recurs in 2 authorities
    r = rows(store, "shared-recurring-failures", min="1")
    assert r, "with one document enough, a theme is shared"
    for x in r:
        assert x["authorities"] >= 2 and "; " in x["authorityNames"]
    names = {x["authorityNames"] for x in r}
    assert "Knowsley; Sefton" in names
    # cohorts (care leavers) are not a failure
    assert not any("care-leavers" in x["themeIri"] for x in r)


def test_monitoring_vs_recommendations(store: Store) -> None:
    r = rows(store, "monitoring-vs-recommendations")
    k = [x for x in r if x["authorityName"] == "Knowsley"]
    assert k and k[0]["visitType"] == "focused_visit"
    assert k[0]["recommendation"].startswith("Improve the quality of pathway plans")
    assert k[0]["followsUp"] == "2017-03-06" and k[0]["strength"] >= 0.45
    s = [x for x in r if x["authorityName"] == "Sefton"]
    assert s and "2022-02" in s[0]["followsUp"]  # the inspection the letter names
    assert s[0]["recommendation"].startswith("Ensure that care leavers get timely support")


def test_concern_findings(store: Store) -> None:
    r = rows(store, "concern-findings", authority="Sefton", words="timely support")
    assert len(r) == 1
    assert r[0]["finding"].startswith("There are still delays")
    assert r[0]["status"] == "persisting" and r[0]["findingDate"] == "2024-02-13"
    assert rows(store, "concern-findings", authority="Knowsley", words="mental health") == []


def test_themes_by_year(store: Store) -> None:
    r = rows(store, "themes-by-year")
    pathway = [x for x in r if x["themeIri"].endswith("/pathway-planning")]
    assert {(x["year"], x["concerns"], x["authorities"]) for x in pathway} == {
        ("2017", 1, 1), ("2024", 1, 1)}
    assert [x["year"] for x in r] == sorted(x["year"] for x in r)


def test_inspector_documents(store: Store) -> None:
    r = rows(store, "inspector-documents", inspector="stevens")
    assert {(x["name"], x["role"], x["date"], x["documentType"]) for x in r} == {
        ("Paul Stevens", "lead", "2017-03-06", "full_inspection"),
        ("Paul Stevens", "lead", "2024-01-31", "focused_visit")}
    team = rows(store, "inspector-documents", inspector="Anne Waterman")
    assert [(x["role"], x["authorityName"]) for x in team] == [("inspector", "Sefton")]


def test_visit_follow_ups(store: Store) -> None:
    r = rows(store, "visit-follow-ups")
    by = {x["authorityName"]: x for x in r}
    assert by["Knowsley"]["followsUpDate"] == "2017-03-06"
    assert "inferred" in by["Knowsley"]["evidence"]
    assert "fifth monitoring visit" in by["Sefton"]["evidence"]
    assert rows(store, "visit-follow-ups", authority="Telford") == []


def test_required_parameter_missing(store: Store) -> None:
    with pytest.raises(QueryError, match="needs --param authority"):
        run_query(store, "open-concerns", {})


@pytest.mark.parametrize("name", ["Sefton", "sefton", "Sefton Council", "Sefton Metropolitan Borough Council",
                                  "E08000014", "80550"])
def test_authority_by_every_name_users_use(store: Store, name: str) -> None:
    from ofsted_kg.queries import resolve_authority
    assert resolve_authority(store, name).value.endswith("E08000014")


def test_authority_unknown_or_ambiguous_is_one_clear_error(store: Store) -> None:
    from ofsted_kg.queries import resolve_authority
    with pytest.raises(QueryError, match="no authority matching 'Narnia'"):
        resolve_authority(store, "Narnia")


def test_alias_table_serves_extraction_and_the_store() -> None:
    """One table (ofsted_kg/ontology/authority_aliases.csv) for both sides."""
    from ofsted_kg.graph_builder.authorities import lookup_authority
    from ofsted_kg.ontology.aliases import alias_gss, aliases
    assert alias_gss("East Riding") == "E06000011" == lookup_authority("East Riding").gss_code
    assert alias_gss("Birmingham Children's Trust") == lookup_authority("Birmingham Children's Trust").gss_code
    assert lookup_authority("Newcastle").name == "Newcastle upon Tyne"
    assert alias_gss("Achieving for Children") is None  # serves three councils: ambiguous
    codes = {a.gss_code for a in aliases() if a.gss_code}
    from ofsted_kg.graph_builder.authorities import all_authorities
    known = {a.gss_code for a in all_authorities()}
    assert codes <= known, codes - known
