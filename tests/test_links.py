"""Cross-visit links (graph_builder/links/) on small hand-made records.

Texts are quoted from real reports (Sefton 2016/2024, Knowsley 2014/2017/2024; Ofsted,
Open Government Licence v3.0).  Theme ids are the vocabulary's; the facet test reads the
facets from the vocabulary graph, so it holds whatever the ids are.
"""

from __future__ import annotations

import hashlib

import pytest

from ofsted_kg.graph_builder import links as L
from ofsted_kg.graph_builder.rdf import record_ntriples, report_iri
from ofsted_kg.graph_builder.records import (
    AuthorityRef, Concern, DocumentRecord, Finding, Source,
)
from ofsted_kg.graph_builder.vocabulary import ensure_vocabulary
from ofsted_kg.store import Store, links_graph, report_graph

KNOWSLEY = AuthorityRef("Knowsley", "E08000011", "80479", "340", "North West")
OKG = "https://w3id.org/ofsted-kg/ontology#"
STATUS = "https://w3id.org/ofsted-kg/status/"


def _sha(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()


def _rec(name: str, dtype: str, start: str, concerns: list[tuple[str, str, list[str]]] = (),
         findings: list[tuple[str, str, list[str]]] = (), follows: str | None = None,
         file: str | None = None, sha: str | None = None) -> DocumentRecord:
    r = DocumentRecord(source=Source(file or f"{name}.pdf", sha or _sha(name), 10),
                       authority=KNOWSLEY, document_type=dtype, visit_start=start)
    if follows:
        r.follows_up = {"text": follows}
    r.concerns = [Concern(kind=k, text=t, page=2, themes=th, position=i)
                  for i, (k, t, th) in enumerate(concerns, 1)]
    r.findings = [Finding(text=t, polarity=p, page=3, themes=th, position=i)
                  for i, (t, p, th) in enumerate(findings, 1)]
    return r


I2014 = _rec("k2014", "full_inspection", "2014-04-29", concerns=[
    ("recommendation", "Improve the quality of pathway plans so that they provide a clear "
     "assessment and analysis of young people's aspirations.", ["pathway-planning", "care-leavers"]),
    ("recommendation", "Ensure that staff supervision is regular and that supervision practice "
     "is audited with a focus on the quality of supervision offered.", ["supervision"]),
    ("recommendation", "Ensure that care leavers are provided with information about their "
     "entitlements and how to access the advocacy service.", ["care-leavers", "local-offer"]),
])
I2017 = _rec("k2017", "full_inspection", "2017-03-13", findings=[
    ("Pathway plans have been recently changed to make them more meaningful, but too many "
     "written plans still lack specific actions and contingency planning.", "weakness",
     ["pathway-planning", "care-leavers"]),
    ("Care leavers live in suitable accommodation.", "strength", ["care-leavers", "accommodation"]),
])
FV2024 = _rec("k2024", "focused_visit", "2024-01-31",
              follows="This was the second focused visit since the full inspection of "
                      "children's services in March 2017.",
              concerns=[("area_for_improvement", "The quality and review of pathway plans.",
                         ["pathway-planning", "care-leavers"]),
                        ("area_for_improvement", "The quality and frequency of supervision and "
                         "management oversight.", ["supervision", "management-oversight"])],
              findings=[("Personal advisers do not always receive regular supervision.",
                         "weakness", ["supervision"]),
                        ("Supervision of personal advisers is now regular and reflective.",
                         "strength", ["supervision"])])


def _store(*records: DocumentRecord) -> Store:
    st = Store(None)
    ensure_vocabulary(st)
    for r in records:
        st.replace_graphs(report_graph(r.source.sha256), record_ntriples(r),
                          manifest={report_iri(r.source.sha256): "/t/" + r.source.file})
    L.relink(st, {"E08000011"})
    return st


def _objects(st: Store, s: str, p: str) -> set[str]:
    return {str(r["o"]) for r in st.select(f"SELECT ?o WHERE {{ <{s}> <{p}> ?o }}")}


def _concern(r: DocumentRecord, pos: int) -> str:
    return f"https://w3id.org/ofsted-kg/id/concern/{r.source.sha256}/{pos}"


def _finding(r: DocumentRecord, pos: int) -> str:
    return f"https://w3id.org/ofsted-kg/id/finding/{r.source.sha256}/{pos}"


def _visit(r: DocumentRecord) -> str:
    return f"https://w3id.org/ofsted-kg/id/visit/E08000011/{r.document_type}/{r.visit_start}"


@pytest.fixture(scope="module")
def store() -> Store:
    return _store(I2014, I2017, FV2024)


def test_focused_visit_follows_up_the_inspection_its_letter_dates(store: Store) -> None:
    assert _objects(store, _visit(FV2024), OKG + "followsUp") == {_visit(I2017)}
    # a later full inspection follows up the previous one, by date
    assert _objects(store, _visit(I2017), OKG + "followsUp") == {_visit(I2014)}
    ev = _objects(store, _visit(I2017), OKG + "followUpEvidence")
    assert any("latest full inspection before" in e and "2014-04-29" in e for e in ev)


def test_letter_naming_an_inspection_not_in_the_store_gets_a_placeholder() -> None:
    mv = _rec("mv", "monitoring_visit", "2024-02-13",
              follows="the fifth monitoring visit since the local authority was judged "
                      "inadequate in February 2022")
    st = _store(I2014, mv)
    target = _objects(st, _visit(mv), OKG + "followsUp")
    assert target == {"https://w3id.org/ofsted-kg/id/visit/E08000011/full_inspection/referenced/2022-02"}
    (ph,) = target
    assert OKG + "FullInspection" in _objects(st, ph, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def test_later_concern_repeats_the_earlier_ones_on_its_specific_theme(store: Store) -> None:
    pathway, supervision = _concern(FV2024, 1), _concern(FV2024, 2)
    assert _objects(store, pathway, OKG + "repeats") == {_concern(I2014, 1)}
    assert _objects(store, supervision, OKG + "repeats") == {_concern(I2014, 2)}
    rows = store.select(f"""SELECT ?s ?ev ?t WHERE {{ ?l a okg:ConcernLink ;
        okg:fromConcern <{pathway}> ; okg:toConcern <{_concern(I2014, 1)}> ;
        okg:linkStrength ?s ; okg:linkEvidence ?ev ; okg:sharedTheme ?t }}""")
    assert rows and 0.45 <= rows[0]["s"] <= 1.0
    assert "pathway" in rows[0]["ev"].lower()
    assert {r["t"].rsplit("/", 1)[-1] for r in rows} == {"pathway-planning"}


def test_cohort_only_overlap_is_weak(store: Store) -> None:
    vocab = L._read_vocab(store)
    cohorts = [t for t, f in vocab.facet.items() if f == "cohort"]
    practice = [t for t, f in vocab.facet.items() if f == "practice"]
    assert cohorts and practice, "the vocabulary has cohort and practice-area facets"
    c, p1, p2 = cohorts[0], practice[0], practice[1]
    weak, shared_weak = L._theme_sim(frozenset({c, p1}), frozenset({c, p2}), vocab)
    strong, shared = L._theme_sim(frozenset({c, p1}), frozenset({c, p1}), vocab)
    assert weak < 0.3 and shared_weak == []
    assert strong == 1.0 and shared == [p1]
    # the unrelated 2014 care-leavers recommendation is not repeated by the 2024 items
    assert not store.select(f"SELECT ?c WHERE {{ ?c okg:repeats <{_concern(I2014, 3)}> }}")


@pytest.mark.parametrize("text,polarity,status,cue", [
    ("There are still delays in young people accessing timely, lower-level emotional and "
     "mental health support.", "weakness", "persisting", "still delays"),
    ("Pathway plans remain of variable quality.", "weakness", "persisting", "remain of"),
    ("Assessments are too slow.", "mixed", "persisting", "too slow"),
    ("Supervision is not consistently reflective.", "mixed", "persisting", "not consistently"),
    ("The timeliness of health assessments has improved.", "strength", "improving",
     "has improved"),
    ("Quality has not improved since the last inspection.", "weakness", "persisting",
     "has not improved"),
    ("Access to emotional health support is now timely.", "strength", "resolved", "now timely"),
    ("The multi-agency response is effective.", "strength", "resolved", "is effective"),
    ("Leaders know their services well.", "strength", "resolved", "well"),
    ("Personal advisers visit young people.", "weakness", "persisting", "reported as a weakness"),
    # some improvement with shortfalls left; now effective with none left
    ("Caseloads for social workers have reduced, although they are still too high for some "
     "practitioners.", "mixed", "improving", "have reduced"),
    ("Since the last inspection, the council has fully addressed all the identified areas for "
     "improvement.", "strength", "resolved", "fully addressed"),
    ("A minority of plans lack focus and detail on actions.", "weakness", "improving",
     "a minority of"),
    ("Most assessments are thorough and include past family history.", "strength", "improving",
     "most"),
    ("Independent reviewing officers ensure that plans remain child centred.", "strength",
     "resolved", "remain child centred"),
    ("Care leavers who are not in education or employment are closely monitored.", "strength",
     "resolved", "reported as a strength"),
    ("The quality of children's assessments and plans is not good.", "weakness", "persisting",
     "is not good"),
    ("The coordination of early help services is under developed.", "weakness", "persisting",
     "under developed"),
    # the strength words of a "not all" clause are what some do not do
    ("Not all schools routinely share attendance data with the virtual school.", "weakness",
     "persisting", "not all"),
    # granting only that something happens regularly, a shortfall in its quality persists
    ("Visits to children are regular, but their purpose is not always recorded.", "mixed",
     "persisting", "regular"),
    # a purpose clause says what the work is for, not what was found
    ("Visits are not consistently recorded, and leaders are reviewing this in order to ensure "
     "that records are improved.", "weakness", "persisting", "not consistently"),
    # an improvement reported as made (against the last inspection, as the state now, by a
    # large margin) with nothing left is resolved; a comparison measures the way come
    ("The sufficiency of foster placements has improved since the last inspection.", "strength",
     "resolved", "since the last inspection"),
    ("Case recording is better now than at the previous visit.", "strength", "improving",
     "better"),
    # a concession: the main clause says how things are -- a strength granted, a shortfall
    # stated is persisting; a shortfall granted, a strength stated is improving; an
    # improvement granted with a shortfall stated stays improving
    ("While the new assessment template is well designed, its use by teams is inconsistent.",
     "mixed", "persisting", "inconsistent"),
    ("Although recruitment of social workers remains difficult, the duty team is stable and "
     "effective.", "mixed", "improving", "remains difficult"),
    ("Although caseloads have reduced, they are still too high in the duty team.", "mixed",
     "improving", "have reduced"),
    # ... and a strength granted with the shortfall of a few stated is improving, as a
    # shortfall of a minority is without the concession
    ("While initial health assessments are started in a timely way, dental checks are "
     "delayed for a small number of children.", "mixed", "improving", "small number"),
    # a remedy is resolved, unless a shortfall is turned against it
    ("Areas for improvement noted during the last inspection have been addressed.",
     "strength", "resolved", "have been addressed"),
    ("All recommendations have been addressed, although the quality of chronologies remains "
     "variable.", "mixed", "improving", "remains variable"),
    # averted delay is no delay; a shortfall of the past is not one now
    ("Managers track cases closely and prevent drift for children in pre-proceedings.",
     "strength", "resolved", "prevent drift"),
    # what a practice responds to is its trigger, not a finding
    ("Legal advice is sought promptly when parents do not engage with the plan.", "strength",
     "resolved", "promptly"),
    ("Return home interviews, previously variable, are completed by a dedicated worker.",
     "strength", "resolved", "reported as a strength"),
    # ... even where those words made the sentence read as a weakness
    ("Managers prevent delay and start proceedings promptly when parents do not engage.",
     "weakness", "resolved", "promptly"),
    # a challenge the service faces is a shortfall; plans to improve are work under way
    ("Finding local homes for older children presents a significant challenge.", "strength",
     "persisting", "significant challenge"),
    ("Leaders have plans in place to improve the quality of supervision.", "strength",
     "improving", "plans in place to improve"),
    ("Supervision is frequent, and although there is some variability, records are detailed.",
     "strength", "improving", "some variability"),
    # effort is work under way; what limits practice is a shortfall; an improvement on
    # what the last inspection found, with nothing left, is made
    ("Leaders have worked to improve the recruitment offer for foster carers.", "strength",
     "improving", "worked to improve"),
    ("Vacancies and sickness limit the capacity of the duty team.", "strength", "persisting",
     "limit"),
    ("Return home interviews, an area for improvement at the last inspection, have improved.",
     "strength", "resolved", "at the last inspection"),
    # a hedge inside the sentence: "for most children"
    ("Permanence is secured quickly for most children in long-term foster care.", "strength",
     "improving", "for most"),
    # a recent investment is a development under way, as a recent change is
    ("A recent investment in family support workers means that families get help sooner.",
     "strength", "improving", "recent investment"),
    # work still asked for is a shortfall left (the purpose clause after it says what for)
    ("Arrangements for reviewing plans require further attention, to ensure that actions "
     "are timely.", "strength", "persisting", "require further attention"),
    ("Caseloads have reduced, but the duty team needs more management oversight.", "mixed",
     "improving", "have reduced"),
    # work that remains, said in the same sentence as the improvement
    ("Return home interviews have improved since the last inspection, although managers "
     "recognise that there is more to do.", "strength", "improving", "more to do"),
    # an improvement with the state it left, in the words reports use for it
    ("Caseloads have fallen and social workers find them manageable.", "strength", "resolved",
     "manageable"),
    ("With improved timeliness, plans now provide a rigorous record of progress.", "strength",
     "resolved", "rigorous"),
    # a spread of quality is a shortfall; regularity granted does not outweigh it
    ("Supervision is regular, although there is some variance in the depth of its recording.",
     "mixed", "persisting", "variance"),
    # the shortfalls a practice challenges are what it acts on, not what it lacks
    ("Reviewing officers are strong advocates, challenging any shortfalls in care plans.",
     "strength", "resolved", "strong"),
    # more asked of what is already good
    ("There is more to do to achieve even greater consistency in the quality of audits.",
     "weakness", "improving", "even greater"),
    # a strength word negated through an adverb ("not always effectively") is no strength
    ("Supervision, though mostly regular, is not always effectively steering plans.", "mixed",
     "persisting", "is not always"),
    ("Learning from audits is not always rigorous.", "weakness", "persisting", "not always"),
    # a shortfall leaders own, beside a strength, leaves the practice improving
    ("Assessments are thorough, and leaders recognise the need to make them timelier.",
     "strength", "improving", "recognise the need to"),
    # a condition inverted is no shortfall; caseloads higher somewhere are one; progress
    # gaining traction is under way, not done
    ("Contingency plans set out options for children should the first plan not remain "
     "successful.", "strength", "resolved", "reported as a strength"),
    ("Caseloads have reduced and are now manageable, although workloads in the leaving care "
     "team are higher.", "strength", "improving", "higher"),
    ("The sufficiency strategy is gaining traction.", "strength", "improving",
     "gaining traction"),
    # an adverb after the negated verb is negated with it ("not challenged effectively");
    # children's needs to be met are no work asked for
    ("Some challenge is evident, but repeated absences are not challenged effectively.",
     "mixed", "persisting", "are not challenged"),
    ("Plans are clear about what must change for children's needs to be met.", "strength",
     "resolved", "are clear"),
])
def test_status_from_the_findings_words(text: str, polarity: str, status: str, cue: str) -> None:
    got, got_cue = L.status_of(text, polarity)
    assert got == status
    assert cue.lower() in got_cue.lower()


def test_a_positive_sentence_qualified_by_the_next_is_improving() -> None:
    st, cue = L.status_of("Quality assurance of casework is well established.", "strength",
                          "However, audit findings are not consistently rigorous.")
    assert st == "improving" and "not consistently" in cue


def test_a_strength_followed_by_work_that_remains_is_improving() -> None:
    """No "However": the next sentence says there is more to do, and qualifies it."""
    from ofsted_kg.lineage.status import continues

    nxt = "Senior leaders know that there is more to do to make this consistent."
    assert continues(nxt) and continues("Leaders recognise that further work is needed.")
    st, cue = L.status_of("Return home interviews are now offered promptly.", "strength", nxt)
    assert st == "improving" and "more to do" in cue
    assert L.status_of("Return home interviews are now offered promptly.", "strength")[0] \
        == "resolved"
    assert not continues("Leaders have done more to support staff.")


def test_a_strength_with_an_exception_carved_out_is_improving() -> None:
    st, cue = L.status_of("With the exception of the duty team, where caseloads are larger, "
                          "workloads are manageable.", "strength")
    assert st == "improving" and "with the exception of" in cue.lower()
    # (caseloads "higher" there are a shortfall of their own: improving either way)
    assert L.status_of("With the exception of the duty team, where caseloads are higher, "
                       "workloads are manageable.", "strength")[0] == "improving"
    assert L.status_of("Workloads are manageable.", "strength")[0] == "resolved"
    # "apart from" carves out a shortfall only with a count ("apart from a small number")
    assert L.status_of("Apart from parents, everyone attends the meetings.", "strength")[0] \
        == "resolved"
    assert L.status_of("Apart from a small number of children, plans are reviewed.",
                       "strength")[0] == "improving"


def test_findings_speak_to_earlier_concerns_and_give_a_status(store: Store) -> None:
    pathway14 = _concern(I2014, 1)
    speakers = {str(r["f"]) for r in store.select(
        f"SELECT ?f WHERE {{ ?f okg:speaksTo <{pathway14}> }}")}
    assert _finding(I2017, 1) in speakers
    assert _finding(I2017, 2) not in speakers  # accommodation: another subject
    rows = store.select(f"""SELECT ?r ?st ?cue ?b WHERE {{ ?sa a okg:StatusAssessment ;
        okg:ofConcern <{pathway14}> ; okg:assessedIn ?r ; okg:status ?st ; okg:cue ?cue ;
        okg:basedOn ?b }}""")
    by_report = {r["r"].rsplit("/", 1)[-1]: r for r in rows}
    at2017 = by_report[I2017.source.sha256]
    assert at2017["st"] == STATUS + "persisting" and at2017["b"] == _finding(I2017, 1)
    assert "still" in at2017["cue"] or "too many" in at2017["cue"]
    at2024 = by_report[FV2024.source.sha256]
    assert at2024["st"] == STATUS + "persisting"
    # supervision at 2024: one finding says "not always", another "now regular": the worse
    # reading wins when both are about as strong
    sup = store.select(f"""SELECT ?st ?cue WHERE {{ ?sa okg:ofConcern <{_concern(I2014, 2)}> ;
        okg:assessedIn <{report_iri(FV2024.source.sha256)}> ; okg:status ?st ; okg:cue ?cue }}""")
    assert sup and sup[0]["st"] == STATUS + "persisting"


def test_not_reviewed_when_a_follow_up_says_nothing(store: Store) -> None:
    rows = store.select(f"""SELECT ?st WHERE {{ ?sa okg:ofConcern <{_concern(I2014, 3)}> ;
        okg:assessedIn <{report_iri(I2017.source.sha256)}> ; okg:status ?st }}""")
    assert [r["st"] for r in rows] == [STATUS + "not_reviewed"]


def test_links_are_deterministic_without_blank_nodes(store: Store) -> None:
    g = links_graph("E08000011")
    first = sorted(str(q) for q in store.quads(g))
    L.relink(store, {"E08000011"})
    again = sorted(str(q) for q in store.quads(g))
    assert first == again and len(first) > 30
    assert not any(q.subject.__class__.__name__ == "BlankNode" or
                   q.object.__class__.__name__ == "BlankNode" for q in store.quads(g))


def test_fingerprint_and_stale_authorities() -> None:
    st = _store(I2014, I2017)
    assert L.stale_authorities(st) == set()
    st.replace_graphs(report_graph(FV2024.source.sha256), record_ntriples(FV2024))
    assert L.stale_authorities(st) == {"E08000011"}
    assert L.relink_all(st) == {"E08000011"}
    assert L.stale_authorities(st) == set()
    st.drop_graphs([report_graph(r.source.sha256) for r in (I2014, I2017, FV2024)])
    assert L.stale_authorities(st) == {"E08000011"}
    L.relink_all(st)
    assert not st.has_graph(links_graph("E08000011"))


def test_two_files_of_one_visit_link_once() -> None:
    txt = _rec("k2014txt", "full_inspection", "2014-04-29", concerns=I2014.concerns and [
        ("recommendation", "Improve the quality of pathway plans.", ["pathway-planning"])],
        file="k2014.txt")
    st = _store(I2014, txt, FV2024)
    alt = _objects(st, report_iri(txt.source.sha256), "http://www.w3.org/ns/prov#alternateOf")
    assert alt == {report_iri(I2014.source.sha256)}  # the fuller file is canonical
    assert not st.select(f"SELECT ?c WHERE {{ ?c okg:repeats <{_concern(txt, 1)}> }}")


def test_carry_over_words_strengthen_and_explain_the_link() -> None:
    fv = _rec("k2024b", "focused_visit", "2024-01-31", concerns=[
        ("area_for_improvement", "The quality and review of pathway plans.", ["pathway-planning"])],
        findings=[("Areas for improvement identified at the last inspection have not been "
                   "sufficiently addressed.", "weakness", [])])
    st = _store(I2014, fv)
    ev = [r["ev"] for r in st.select(
        f"SELECT ?ev WHERE {{ ?l okg:fromConcern <{_concern(fv, 1)}> ; okg:linkEvidence ?ev }}")]
    assert ev and "carry-over" in ev[0] and "not been sufficiently addressed" in ev[0]


def test_a_changed_vocabulary_makes_links_stale() -> None:
    st = _store(I2014, I2017)
    g = "https://w3id.org/ofsted-kg/graph/vocabulary"
    st.oxigraph.update(f"DELETE WHERE {{ GRAPH <{g}> {{ <{g}> <{OKG}sha256> ?d }} }} ; "
                       f"INSERT DATA {{ GRAPH <{g}> {{ <{g}> <{OKG}sha256> \"other\" }} }}")
    assert L.stale_authorities(st) == {"E08000011"}
    L.relink_all(st)
    assert L.stale_authorities(st) == set()


def test_authority_without_gss_code_is_keyed_by_name() -> None:
    anon = AuthorityRef("Isles of Nowhere", None, None, None)
    r1 = _rec("n2016", "full_inspection", "2016-01-01", concerns=[
        ("recommendation", "Improve the quality of pathway plans.", ["pathway-planning"])])
    r2 = _rec("n2020", "focused_visit", "2020-01-01", concerns=[
        ("area_for_improvement", "The quality of pathway plans.", ["pathway-planning"])])
    r1.authority = r2.authority = anon
    st = Store(None)
    ensure_vocabulary(st)
    for r in (r1, r2):
        st.replace_graphs(report_graph(r.source.sha256), record_ntriples(r))
    assert L.stale_authorities(st) == {"name-isles-of-nowhere"}
    L.relink(st, {"Isles of Nowhere"})  # the pipeline passes the name when there is no GSS
    assert st.has_graph(links_graph("name-isles-of-nowhere"))
    assert L.stale_authorities(st) == set()
    assert st.select("SELECT ?c WHERE { ?c okg:repeats ?e }")


def test_statuses_are_the_concerns_lineage_as_trace_gives_it(store: Store) -> None:
    """The links step's status at each later report is the status trace gives the
    concern's own words there (one set of rules, ofsted_kg.lineage)."""
    from ofsted_kg.queries.trace import trace

    concern = _concern(I2014, 1)
    text = store.select(f"SELECT ?t WHERE {{ <{concern}> oa:hasSelector/oa:exact ?t }}")[0]["t"]
    res = trace(store, text, authority="Knowsley")
    traced = {s["report"]: s["status"] for s in res.steps[1:] if s["status"] != "not_reviewed"}
    rows = store.select(f"""SELECT ?r ?st WHERE {{ ?sa okg:ofConcern <{concern}> ;
        okg:assessedIn ?r ; okg:status ?st }}""")
    linked = {r["r"]: r["st"].rsplit("/", 1)[-1] for r in rows if not r["st"].endswith("not_reviewed")}
    assert traced and linked == traced
