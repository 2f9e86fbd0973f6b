"""Acceptance on the real archive (marker ``corpus``): concerns followed across visits.

The store is the samples plus every PDF of ../shared/corpus, built once per session
(``corpus_store`` in conftest.py).  What each later text implies was decided by reading the
PDFs (Ofsted, Open Government Licence v3.0):

* Sefton 2016 recommends timely mental-health and accommodation support for care leavers;
  the 2024 monitoring visit reviews the timeliness of mental-health support again and finds
  "still delays": persisting.
* Knowsley 2014 asks for better pathway plans (47), regular, audited supervision (29) and a
  quality assurance framework (28).  2017 (para 42): plans changed "but too many written
  plans still lack specific actions" -- persisting; (para 53) quality assurance "well
  established" but "audit findings are not consistently rigorous" -- improving.  The 2024
  focused visit names pathway plans, supervision and management oversight, and quality
  assurance and audit again: all persisting.
* Wirral 2016 asks for audits' lessons to reach practice (4), regular reflective
  supervision (6) and re-establishing lost contact with care leavers (11); the 2024 focused
  visit finds supervision variable, audit activity low and 21-25-year-olds' cases closed
  without consultation: persisting.
"""

from __future__ import annotations

from typing import Any

import pytest

from ofsted_kg.analyse import recurring
from ofsted_kg.queries import run_query
from ofsted_kg.queries.trace import trace
from ofsted_kg.store import Store

pytestmark = pytest.mark.corpus

STATUS = "https://w3id.org/ofsted-kg/status/"


def _concerns(store: Store, authority: str, year: str, words: str) -> list[str]:
    rows = store.select(f"""SELECT DISTINCT ?c WHERE {{
        ?c a okg:Concern ; oa:hasSelector/oa:exact ?t ; oa:hasSource ?r .
        ?r okg:authority/skos:prefLabel "{authority}"@en ; okg:describes/okg:startDate ?d .
        FILTER NOT EXISTS {{ ?r prov:alternateOf ?other }}
        FILTER(STRSTARTS(STR(?d), "{year}") && CONTAINS(LCASE(?t), LCASE("{words}"))) }}""")
    return [str(r["c"]) for r in rows]


def _one(store: Store, authority: str, year: str, words: str) -> str:
    found = _concerns(store, authority, year, words)
    assert len(found) == 1, f"{authority} {year}: one concern with {words!r}, found {len(found)}"
    return found[0]


def _status(store: Store, concern: str, year: str) -> dict[str, Any]:
    rows = store.select(f"""SELECT ?st ?cue ?basis WHERE {{
        ?sa okg:ofConcern <{concern}> ; okg:assessedIn ?r ; okg:status ?st .
        ?r okg:describes/okg:startDate ?d . FILTER(STRSTARTS(STR(?d), "{year}"))
        OPTIONAL {{ ?sa okg:cue ?cue }} OPTIONAL {{ ?sa okg:basedOn/oa:hasSelector/oa:exact ?basis }} }}""")
    assert len(rows) == 1, f"one status of {concern} in {year}, found {rows}"
    r = rows[0]
    r["st"] = r["st"].rsplit("/", 1)[-1]
    return r


def _repeats(store: Store, later: str) -> set[str]:
    return {str(r["e"]) for r in store.select(f"SELECT ?e WHERE {{ <{later}> okg:repeats ?e }}")}


def _text(store: Store, item: str) -> str:
    return store.select(f"SELECT ?t WHERE {{ <{item}> oa:hasSelector/oa:exact ?t }}")[0]["t"]


def test_sefton_mental_health_2016_to_2024(corpus_store: Store) -> None:
    rec = _one(corpus_store, "Sefton", "2016", "timely support for their mental health and accommodation")
    aoc = _one(corpus_store, "Sefton", "2024", "timeliness in accessing services to help their mental health")
    assert rec in _repeats(corpus_store, aoc)
    still = corpus_store.select(f"""SELECT ?f WHERE {{ ?f okg:speaksTo <{rec}> ; oa:hasSelector/oa:exact ?t .
        FILTER(CONTAINS(?t, "still delays in young people accessing timely")) }}""")
    assert still, "the 2024 'still delays' finding speaks to the 2016 recommendation"
    st = _status(corpus_store, rec, "2024")
    assert st["st"] == "persisting"
    assert "mental health" in st["basis"].lower()
    chain = trace(corpus_store, "mental health", authority="Sefton")
    assert chain.verdict.startswith("raised 2016;") and chain.verdict.endswith("2024")
    assert chain.steps[-1]["status"] == "persisting"
    late = [r for r in chain.rows if r["date"].startswith("2024")]
    assert any(r["kind"] == "AreaOfConcern" and r["status"] == "persisting" for r in late)
    assert any("still delays" in r["quote"] and r["status"] == "persisting" for r in late)


def test_knowsley_pathway_plans(corpus_store: Store) -> None:
    fv = _one(corpus_store, "Knowsley", "2024", "quality and review of pathway plans")
    i14 = _one(corpus_store, "Knowsley", "2014", "improve the quality of pathway plans")
    i17 = _one(corpus_store, "Knowsley", "2017", "care plans, pathway plans and personal education plans")
    assert {i14, i17} <= _repeats(corpus_store, fv)
    assert _status(corpus_store, i14, "2017")["st"] == "persisting"
    at24 = _status(corpus_store, i14, "2024")
    assert at24["st"] == "persisting" and "pathway plan" in at24["basis"].lower()
    s17 = _status(corpus_store, i17, "2024")
    assert s17["st"] == "persisting" and "plan" in s17["basis"].lower()


def test_knowsley_supervision_and_oversight(corpus_store: Store) -> None:
    fv = _one(corpus_store, "Knowsley", "2024", "frequency of supervision and management oversight")
    i14 = _one(corpus_store, "Knowsley", "2014", "staff supervision is regular")
    assert i14 in _repeats(corpus_store, fv)
    at24 = _status(corpus_store, i14, "2024")
    assert at24["st"] == "persisting" and "supervision" in at24["basis"].lower()
    oversight17 = _one(corpus_store, "Knowsley", "2017", "independent reviewing officers’ oversight")
    assert _status(corpus_store, oversight17, "2024")["st"] == "persisting"


def test_knowsley_quality_assurance_and_audit(corpus_store: Store) -> None:
    fv = _one(corpus_store, "Knowsley", "2024", "level of quality assurance activity")
    i14 = _one(corpus_store, "Knowsley", "2014", "quality assurance framework across")
    assert i14 in _repeats(corpus_store, fv)
    at17 = _status(corpus_store, i14, "2017")
    assert at17["st"] == "improving" and "quality assurance" in at17["basis"].lower()
    at24 = _status(corpus_store, i14, "2024")
    assert at24["st"] == "persisting" and "quality assurance" in at24["basis"].lower()


def test_wirral_2024_focused_visit_against_2016(corpus_store: Store) -> None:
    qa24 = _one(corpus_store, "Wirral", "2024", "level of quality assurance activity")
    audits16 = _one(corpus_store, "Wirral", "2016", "recommendations from local authority audits")
    assert audits16 in _repeats(corpus_store, qa24)
    assert _status(corpus_store, audits16, "2024")["st"] == "persisting"
    sup16 = _one(corpus_store, "Wirral", "2016", "provide regular supervision to social workers")
    sup = _status(corpus_store, sup16, "2024")
    assert sup["st"] == "persisting" and "supervision" in sup["basis"].lower()
    contact16 = _one(corpus_store, "Wirral", "2016", "when contact has been lost with care leavers")
    contact = _status(corpus_store, contact16, "2024")
    assert contact["st"] == "persisting" and "21 to 25" in contact["basis"]


def test_visits_follow_up_the_inspection_their_letters_name(corpus_store: Store) -> None:
    rows = run_query(corpus_store, "visit-follow-ups", {}).rows
    by = {(r["authorityName"], r["date"][:4]): r for r in rows}
    assert "February 2022" in by[("Sefton", "2024")]["evidence"]
    assert "2022-02" in by[("Sefton", "2024")]["followsUpLabel"]  # not in the archive
    assert "October 2021" in by[("Knowsley", "2024")]["evidence"]
    assert by[("Knowsley", "2017")]["followsUpDate"].startswith("2014")


def test_analyse_recurring_on_the_archive(corpus_store: Store) -> None:
    rows = recurring(corpus_store, min_documents=3)
    assert rows, "some practice area recurs in 3+ documents of an authority"
    assert all(r.documents >= 3 for r in rows)
    k = [r for r in recurring(corpus_store, min_documents=2, authority="Knowsley")
         if r.theme.endswith("/pathway-planning")]
    assert k and k[0].documents == 3 and k[0].first_year == 2014 and k[0].still_open


# -- the links step's shortcuts agree with what they shortcut ------------------------------
def test_shows_status_is_the_strongest_status_of_what_the_item_repeats_or_speaks_to(
        corpus_store: Store) -> None:
    rank = {"persisting": 0, "improving": 1, "resolved": 2}
    derived: dict[str, str] = {}
    for r in corpus_store.select("""SELECT DISTINCT ?i ?st WHERE {
            { ?i okg:repeats ?e } UNION { ?i okg:speaksTo ?e }
            ?i oa:hasSource ?r .
            ?sa okg:ofConcern ?e ; okg:assessedIn ?r ; okg:status ?st }"""):
        st = str(r["st"]).rsplit("/", 1)[-1]
        i = str(r["i"])
        if st in rank and (i not in derived or rank[st] < rank[derived[i]]):
            derived[i] = st
    stored = {str(r["i"]): str(r["st"]).rsplit("/", 1)[-1] for r in corpus_store.select(
        "SELECT DISTINCT ?i ?st WHERE { ?i okg:showsStatus ?st }")}
    assert len(stored) > 100
    assert stored == derived
    sefton = _one(corpus_store, "Sefton", "2024", "timeliness in accessing services to help their mental health")
    assert stored[sefton] == "persisting"


def test_recurrence_counts_are_the_visits_of_each_repeats_chain(corpus_store: Store) -> None:
    rows = corpus_store.select("""SELECT ?head (COUNT(DISTINCT ?v) AS ?n) (MIN(?d) AS ?first)
                                          (MAX(?d) AS ?last) WHERE {
            ?head okg:repeats ?x .
            FILTER NOT EXISTS { ?later okg:repeats ?head }
            ?head okg:repeats* ?c .
            ?c oa:hasSource ?r . ?r okg:describes ?v .
            OPTIONAL { ?v okg:startDate ?s } OPTIONAL { ?v okg:endDate ?e }
            OPTIONAL { ?r dcterms:issued ?i }
            BIND(COALESCE(?s, ?e, ?i) AS ?d) FILTER(BOUND(?d))
        } GROUP BY ?head""")
    derived = {str(r["head"]): (int(r["n"]), str(r["first"]), str(r["last"]))
               for r in rows if int(r["n"]) >= 2}
    stored = {str(r["c"]): (int(r["n"]), str(r["f"]), str(r["l"])) for r in corpus_store.select(
        """SELECT DISTINCT ?c ?n ?f ?l WHERE {
             ?c okg:recurrenceCount ?n ; okg:firstRaised ?f ; okg:lastRaised ?l }""")}
    assert len(stored) > 20
    assert stored == derived


def test_theme_tallies_count_the_visits_raising_each_theme(corpus_store: Store) -> None:
    rows = corpus_store.select("""SELECT ?a ?t (COUNT(DISTINCT ?v) AS ?n) WHERE {
            ?c a okg:Concern ; okg:theme ?t ; oa:hasSource ?r .
            ?r okg:authority ?a ; okg:describes ?v } GROUP BY ?a ?t""")
    derived = {(str(r["a"]), str(r["t"])): int(r["n"]) for r in rows}
    stored = {(str(r["a"]), str(r["t"])): int(r["n"]) for r in corpus_store.select(
        """SELECT DISTINCT ?a ?t ?n WHERE {
             ?x a okg:ThemeTally ; okg:authority ?a ; okg:theme ?t ; okg:documentCount ?n }""")}
    assert len(stored) > 200
    assert stored == derived
