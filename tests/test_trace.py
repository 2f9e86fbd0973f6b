"""trace(): the lineage per document, statuses with their deciding words, the verdict;
the pure chain on hand-made documents; the CLI's formats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from fixturegraph import fixture_store

from ofsted_kg.cli import main
from ofsted_kg.errors import QueryError
from ofsted_kg.lineage.chain import Doc, Item, Row, Step, lineage
from ofsted_kg.lineage.phrase import parse_phrase
from ofsted_kg.lineage.words import stem
from ofsted_kg.queries.trace import trace, verdict
from ofsted_kg.store import Store


@pytest.fixture(scope="module")
def store() -> Store:
    return fixture_store()


def test_lineage_per_document_with_statuses_quotes_pages(store: Store) -> None:
    res = trace(store, "mental health", authority="Sefton")
    assert res.verdict == "raised 2016; repeated 2024"
    assert [s["date"] for s in res.steps] == ["2016-04-11", "2024-02-13"]
    assert [s["status"] for s in res.steps] == ["raised", "persisting"]
    first = [r for r in res.rows if r["step"] == 0]
    rec = next(r for r in first if r["kindLabel"] == "recommendation")
    assert rec["status"] == "raised" and rec["page"] == 9
    assert rec["quote"].startswith("Ensure that care leavers get timely support")
    assert rec["document"] == "full inspection (sefton-2016.pdf)"
    late = {r["kindLabel"]: r for r in res.rows if r["step"] == 1}
    assert late["area of concern"]["status"] == "persisting"
    assert late["area of concern"]["cue"] == "named again as an area of concern"
    f = late["finding"]
    assert f["status"] == "persisting" and f["cue"] == "still delays"
    assert "still delays" in f["quote"]
    for r in res.rows:  # evidence and confidence on every row
        assert 0 < r["score"] <= 1 and r["inChain"]
        assert {"mental", "health"} <= set(r["words"])
    assert len(res.rows) <= 3 * len(res.steps)


def test_a_researchers_phrase_finds_the_chain_by_meaning(store: Store) -> None:
    # no item contains this phrase; its words and themes find the same chain
    res = trace(store, "Timely access to emotional and mental health support for care leavers",
                authority="Sefton")
    assert res.verdict == "raised 2016; repeated 2024"
    assert any("still delays" in r["quote"] for r in res.rows)


def test_quoted_words_match_literally(store: Store) -> None:
    res = trace(store, '"still delays"', authority="Sefton")
    assert res.rows and all("still delays" in r["quote"].lower() for r in res.rows)
    assert trace(store, '"no such literal words"', authority="Sefton").verdict == \
        "no mention found"


def test_all_adds_the_other_mentions_outside_the_chain(store: Store) -> None:
    chain = trace(store, "health", authority="Sefton")
    every = trace(store, "health", authority="Sefton", all_mentions=True)
    assert every.steps == chain.steps
    assert [r for r in every.rows if r["inChain"]] == chain.rows
    assert all(r["step"] == -1 for r in every.rows if not r["inChain"])
    # a weaker mention of the words stays out of the chain, and comes with --all
    items = [*_items(), Item("r2/9", "r2", "Finding", "Some interviews are recorded late.",
                             page=9, position=9)]
    lin = lineage("return home interviews", _docs(), items)
    assert "r2/9" not in {r.item.iri for r in lin.rows}
    assert "r2/9" in {r.item.iri for r in lin.mentions}


def test_since_and_theme(store: Store) -> None:
    res = trace(store, "mental health", authority="Sefton", since=2020)
    assert res.steps and all(s["date"] >= "2020" for s in res.steps)
    assert res.verdict == "raised 2024"
    th = trace(store, theme="mental-health")
    assert {r["authorityName"] for r in th.rows} == {"Sefton"}
    assert th.verdict == "Sefton: raised 2016; repeated 2024"
    assert "mental-health" in th.themes


def test_no_mention_and_bad_input(store: Store) -> None:
    assert trace(store, "no such words anywhere", authority="Sefton").verdict == \
        "no mention found"
    with pytest.raises(QueryError):
        trace(store)
    with pytest.raises(QueryError):
        trace(store, "x", authority="Nowhere-on-Sea")


# -- the pure chain ------------------------------------------------------------------------
def _docs() -> list[Doc]:
    return [Doc("r1", "2017-01-10", "full_inspection", "a.pdf", "v1"),
            Doc("r2", "2019-03-01", "focused_visit", "b.pdf", "v2"),
            Doc("r3", "2020-02-01", "focused_visit", "c.pdf", "v3"),
            Doc("r4", "2022-05-01", "full_inspection", "d.pdf", "v4")]


def _items() -> list[Item]:
    def f(rep: str, n: int, text: str, kind: str = "Finding", pol: str = "") -> Item:
        return Item(f"{rep}/{n}", rep, kind, text, page=n, position=n, polarity=pol)
    return [
        f("r1", 1, "Improve the timeliness and quality of return home interviews for children "
                   "who go missing.", "Recommendation"),
        f("r1", 2, "Care leavers live in suitable accommodation.", pol="strength"),
        f("r2", 1, "Return home interviews are still not offered to every child who goes "
                   "missing.", pol="weakness"),
        f("r2", 2, "Pathway plans are up to date.", pol="strength"),
        f("r3", 1, "Leaders know their services well.", pol="strength"),
        f("r4", 1, "Return home interviews are now timely and the information gathered is "
                   "used well.", pol="strength"),
    ]


def test_chain_statuses_and_not_reviewed() -> None:
    lin = lineage("Response to children who go missing: return home interviews", _docs(),
                  _items(), follows={"v2": "v1", "v3": "v1", "v4": "v1"})
    assert [(s.doc.report, s.status) for s in lin.steps] == [
        ("r1", "raised"), ("r2", "persisting"), ("r3", "not_reviewed"), ("r4", "resolved")]
    assert lin.steps[2].rows == []  # silent: no row from that document
    assert [r.cue for r in lin.steps[3].rows] == ["now timely"]
    assert all("accommodation" not in r.item.text for r in lin.rows)
    assert verdict(lin.steps) == "raised 2017; persisting 2019; resolved 2022"


def test_silent_document_that_follows_up_nothing_is_left_out() -> None:
    lin = lineage("return home interviews", _docs(), _items(), follows={})
    assert [s.doc.report for s in lin.steps] == ["r1", "r2", "r4"]


def test_verdict_wording() -> None:
    d = [Doc(f"r{y}", f"{y}-01-01") for y in (2014, 2018, 2020, 2023, 2026)]
    concern = Item("c", "r", "AreaForImprovement", "x")
    finding = Item("f", "r", "Finding", "x")

    def step(i: int, status: str, item: Item | None = None) -> Step:
        return Step(d[i], status, [Row(item, d[i], status, "", 1.0)] if item else [])

    steps = [step(0, "raised", concern), step(1, "persisting", concern),
             step(2, "not_reviewed"), step(3, "persisting", concern), step(4, "resolved", finding)]
    assert verdict(steps) == "raised 2014; repeated 2018, 2023; resolved 2026"
    steps[3] = step(3, "persisting", finding)
    assert verdict(steps) == "raised 2014; repeated 2018; persisting 2023; resolved 2026"
    assert verdict(steps[:3]) == "raised 2014; repeated 2018; not reviewed 2020"
    assert verdict([]) == "no mention found"


def test_phrase_words_weights_and_themes() -> None:
    p = parse_phrase("Quality of supervision and management oversight (critical challenge)")
    assert p.weights[stem("supervision")] == 1.0 and p.weights[stem("challenge")] < 1.0
    assert {"supervision", "management-oversight"} <= set(p.themes)
    assert parse_phrase('the "return home interview" offer').literal == ["return home interview"]
    # the stems meet the words as the reports write them
    assert stem("planning") == stem("plans") == stem("planned") == "plan"
    assert stem("coordination") == stem("coordinated")
    assert stem("timeliness") == stem("timely")


# -- the command ------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["table", "json", "text"])
def test_cli_trace_formats(disk_store: Path, fmt: str) -> None:
    res = CliRunner().invoke(main, ["trace", "mental health", "--authority", "Sefton",
                                    "--store", str(disk_store), "--format", fmt])
    assert res.exit_code == 0, res.output
    assert "raised 2016; repeated 2024" in res.output
    if fmt == "json":
        data = json.loads(res.output)
        assert [s["status"] for s in data["steps"]] == ["raised", "persisting"]
        assert [r["status"] for r in data["rows"]][-2:] == ["persisting", "persisting"]
    else:
        assert "still delays" in res.output


def test_cli_trace_all(disk_store: Path) -> None:
    base = ["trace", "health", "--authority", "Sefton", "--store", str(disk_store),
            "--format", "json"]
    chain = json.loads(CliRunner().invoke(main, base).output)
    every = json.loads(CliRunner().invoke(main, [*base, "--all"]).output)
    assert every["steps"] == chain["steps"]
    assert [r for r in every["rows"] if r["inChain"]] == chain["rows"]


def test_cli_trace_html_needs_theme_or_authority(disk_store: Path, tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["trace", "mental health", "--store", str(disk_store),
                                    "--format", "html"])
    assert res.exit_code == 2
    grid = tmp_path / "g.html"
    res = CliRunner().invoke(main, ["trace", "mental health", "--authority", "Sefton", "--store",
                                    str(disk_store), "--format", "html", "-o", str(grid)])
    assert res.exit_code == 0, res.output
    assert "raised 2016; repeated 2024" in grid.read_text(encoding="utf-8")
    out = tmp_path / "t.html"
    res = CliRunner().invoke(main, ["trace", "--theme", "mental-health", "--store",
                                    str(disk_store), "--format", "html", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert out.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")


# -- the grid view ----------------------------------------------------------------------------
def _grid_data(page: str) -> dict:
    import re

    return json.loads(re.search(r"const D = (.*);\n", page).group(1))


def test_grid_concerns_as_rows_visits_as_columns(store: Store) -> None:
    from ofsted_kg.exports.html.page import _check_self_contained
    from ofsted_kg.exports.trace_grid import trace_grid

    page = trace_grid(store, "mental health", authority="Sefton")
    _check_self_contained(page)
    assert "default-src 'none'" in page
    d = _grid_data(page)
    assert [c["date"] for c in d["columns"]] == ["2016-04-11", "2024-02-13"]
    (row,) = d["rows"]
    assert row["verdict"] == "raised 2016; repeated 2024"
    cells = [row["cells"][c["report"]] for c in d["columns"]]
    assert [c["status"] for c in cells] == ["raised", "repeated"]
    assert d["colours"]["repeated"] == d["colours"]["persisting"]
    assert any("still delays" in q["quote"] and q["cue"] == "still delays"
               for q in cells[1]["quotes"])  # the quote shown on click
    th = _grid_data(trace_grid(store, theme="mental-health", authority="Sefton"))
    assert th["rows"] and all(r["cells"] for r in th["rows"])


def test_grid_keeps_report_text_out_of_the_markup() -> None:
    from ofsted_kg.exports.trace_grid import render_grid
    from ofsted_kg.queries.trace import TraceResult

    bad = "</script><img src=x onerror=alert(1)>"
    res = TraceResult(steps=[{"report": "r", "date": "2020-01-01", "document": bad,
                              "label": "raised", "status": "raised"}],
                      rows=[{"kindLabel": "finding", "page": 1, "status": "raised", "cue": bad,
                             "score": 0.5, "quote": bad, "step": 0}], verdict="raised 2020")
    page = render_grid(bad, [{"report": "r", "date": "2020-01-01", "document": bad}],
                       [(bad, res)])
    assert "<img" not in page and page.lower().count("</script") == 1
    assert _grid_data(page)["rows"][0]["cells"]["r"]["quotes"][0]["quote"] == bad


def test_a_theme_only_the_opening_names_inside_a_longer_match_of_the_head() -> None:
    """"The stability of the workforce ...": "stability" alone names permanence, the whole
    head does not (a longer label holds the word); the phrase is parsed, not a KeyError."""
    from ofsted_kg.lineage.phrase import parse_phrase

    p = parse_phrase("The stability of the workforce in the disabled children\u2019s team and "
                     "the three long-term teams.")
    assert p.stems and "permanence" not in p.themes


def test_without_mentions_the_same_chain() -> None:
    # the links step traces without mentions: it leaves out early the items that cannot
    # be rows (ofsted_kg.lineage.relevance ROW_FLOOR, chain._weak_findings_out); the
    # steps and rows must be the ones traced with every mention
    items = [*_items(),
             Item("r2/3", "r2", "Finding", "Some return home interviews are late and a few "
                  "children who go missing are not offered one.", page=3, position=3),
             Item("r3/2", "r3", "AreaForImprovement", "The quality of pathway plans for care "
                  "leavers.", page=2, position=2),
             Item("r4/2", "r4", "Finding", "Care leavers have pathway plans but these are not "
                  "always updated.", page=2, position=2, polarity="weakness")]
    docs = [*_docs()[:2], Doc("r3", "2020-02-01", "focused_visit", "c.pdf", "v3",
                              topics=frozenset({"care_leavers"})), _docs()[3]]
    follows = {"v2": "v1", "v3": "v1", "v4": "v1"}
    for it in items:
        every = lineage(it.text, docs, items, follows=follows)
        assert lineage(it.text, docs, items, follows=follows, mentions=False).steps \
            == every.steps, it.text


def test_children_coming_into_care_name_children_in_care() -> None:
    """"... for children coming into care": reports and researchers write the cohort as
    children who come into care; a visit to the front door that only speaks of health
    partners at strategy meetings says nothing about it (the visit is off topic)."""
    from ofsted_kg.lineage.phrase import phrase_themes

    assert "children-in-care" in phrase_themes("Children coming into care wait for a first "
                                               "health check.")
    f = lambda rep, n, text, pol="": Item(f"{rep}/{n}", rep, "Finding", text, page=n,  # noqa: E731
                                          position=n, polarity=pol)
    items = [f("r1", 1, "Health assessments for children coming into care are not timely.",
               "weakness"),
             f("r2", 1, "Health partners do not always attend strategy meetings.", "weakness"),
             f("r4", 1, "Health assessments for children coming into care are now timely.",
               "strength")]
    docs = [_docs()[0], Doc("r2", "2019-03-01", "focused_visit", "b.pdf", "v2",
                            topics=frozenset({"front_door"})), _docs()[3]]
    lin = lineage("Timeliness of health assessments for children coming into care", docs, items)
    assert [s.doc.report for s in lin.steps] == ["r1", "r4"]


def test_the_boards_own_work_is_a_mention() -> None:
    """The review of the local safeguarding children board closing an older inspection
    asks things of the board ("The Board should ..."): a phrase about the council's
    practice is only mentioned there, unless it names a board itself."""
    from ofsted_kg.lineage.relevance import relevance

    items = [Item("r1/1", "r1", "Recommendation", "The Board should monitor how quickly return "
                  "home interviews are offered to children who go missing.", page=40, position=1),
             Item("r1/2", "r1", "Recommendation", "Ensure that return home interviews are "
                  "offered quickly to children who go missing.", page=8, position=2)]
    got = relevance(parse_phrase("Return home interviews for children who go missing"), items)
    assert got[0][0] <= 0.5 * got[1][0] + 1e-9
    board = relevance(parse_phrase("The Board's oversight of return home interviews"), items)
    assert board[0][0] > 0.5 * board[1][0]


def test_a_visit_naming_the_phrases_area_only_in_passing_is_off_topic() -> None:
    """A visit to care leavers that names children in care only as the service care
    leavers move on from says nothing about health assessments for children in care; one
    of its items must speak of that practice to bring it into the chain."""
    from ofsted_kg.lineage.phrase import phrase_themes

    f = lambda rep, n, text, pol="": Item(f"{rep}/{n}", rep, "Finding", text, page=n,  # noqa: E731
                                          position=n, polarity=pol,
                                          themes=frozenset(phrase_themes(text)))
    items = [f("r1", 1, "Health assessments for children in care are not timely.", "weakness"),
             f("r2", 1, "Personal advisers go with care leavers to health appointments.",
               "strength"),
             f("r2", 2, "Young people move from the children in care service to the care "
                        "leaver teams too late.", "weakness"),
             f("r4", 1, "Health assessments for children in care are now timely.", "strength")]
    docs = [_docs()[0], Doc("r2", "2019-03-01", "focused_visit", "b.pdf", "v2",
                            topics=frozenset({"care_leavers"})), _docs()[3]]
    lin = lineage("Timeliness of health assessments for children in care", docs, items)
    assert [s.doc.report for s in lin.steps] == ["r1", "r4"]
    items[2] = f("r2", 2, "Care leavers' health histories are shared with them.", "strength")
    items.append(f("r2", 3, "Health assessments of children in care before they leave care "
                            "are thorough.", "strength"))
    assert [s.doc.report for s in lineage("Timeliness of health assessments for children in "
                                          "care", docs, items).steps] == ["r1", "r2", "r4"]


def test_the_document_raising_a_concern_shows_one_row_fewer() -> None:
    """Where a concern is first raised its status is "raised" whatever the findings say:
    the recommendation and its best shortfall show it (two shortfalls without a listing as
    strong as the chain's core); a later document, where the findings decide, keeps up to
    three findings; one listing the concern again (a concern item as strong as the chain's
    core) is decided by that listing, shown with its two best findings."""
    f = lambda rep, n, text, kind="Finding", pol="weakness": Item(  # noqa: E731
        f"{rep}/{n}", rep, kind, text, page=n, position=n, polarity=pol)
    texts = ["Return home interviews for children who go missing are not timely.",
             "Children who go missing are not always offered return home interviews.",
             "Too few return home interviews are completed for children who go missing.",
             "Return home interviews with children who go missing are not analysed."]
    items = [f(rep, 1, "Improve the timeliness of return home interviews for children who "
                       "go missing.", "Recommendation", "")
             for rep in ("r1", "r4")]
    items += [f(rep, k + 2, t) for rep in ("r1", "r3", "r4") for k, t in enumerate(texts)]
    docs = [_docs()[0], _docs()[2], _docs()[3]]
    lin = lineage("Return home interviews for children who go missing", docs, items)
    assert [s.doc.report for s in lin.steps] == ["r1", "r3", "r4"]
    assert [len(s.rows) for s in lin.steps] == [2, 3, 3]
    assert [r.item.kind for r in lin.steps[0].rows] == ["Recommendation", "Finding"]
    assert [r.item.kind for r in lin.steps[1].rows] == ["Finding"] * 3
    assert [r.item.kind for r in lin.steps[2].rows] == ["Recommendation", "Finding", "Finding"]
    assert lin.steps[2].rows[0].status == "persisting"


def test_an_area_for_improvement_of_another_practice_is_not_the_concern_again() -> None:
    """A visit's areas for improvement are short phrases of their own practice: "Earlier
    transition ... to the leaving care teams" shares the care leavers with a concern about
    those not in education, employment or training, but is not that concern listed again,
    even as the best item of a document that barely speaks of it."""
    from ofsted_kg.lineage.phrase import phrase_themes

    def f(rep: str, n: int, text: str, kind: str = "Finding", pol: str = "") -> Item:
        return Item(f"{rep}/{n}", rep, kind, text, page=n, position=n, polarity=pol,
                    themes=frozenset(phrase_themes(text)))
    items = [f("r1", 1, "Improve the support for care leavers who are not in education, "
                        "employment or training.", "Recommendation"),
             f("r1", 2, "Too many care leavers are not in education, employment or training.",
               pol="weakness"),
             f("r2", 1, "Earlier transition of care leavers from the children in care service "
                        "to the leaving care teams.", "AreaForImprovement"),
             f("r2", 2, "Personal advisers know care leavers well.", pol="strength"),
             *[f(r, 10 + k, t, pol="strength") for k, t in enumerate([
                 "Social workers visit children regularly.", "Strategy discussions are timely.",
                 "Managers oversee casework well.", "Assessments of need are thorough.",
                 "Return home interviews are offered to children who go missing.",
                 "Plans for children in need are specific."]) for r in ("r1", "r4")],
             f("r4", 1, "More care leavers are now in education, employment or training.",
               pol="strength")]
    docs = [_docs()[0], Doc("r2", "2019-03-01", "focused_visit", "b.pdf", "v2",
                            topics=frozenset({"care_leavers"})), _docs()[3]]
    lin = lineage("Care leavers not in education, employment or training", docs, items)
    rows = [r.item.iri for s in lin.steps for r in s.rows]
    assert "r1/1" in rows and "r2/1" not in rows
    assert "r2/1" in [m.item.iri for m in lin.mentions]


def test_taking_part_names_the_practice_after_the_agents() -> None:
    """"Involvement of X in Y" (attendance at, participation in): the practice is Y, so
    an item about Y that does not say "involvement" is not halved as a mention."""
    from ofsted_kg.lineage.phrase import core_words

    assert core_words("Involvement of all relevant partner agencies in child protection "
                      "strategy discussions") == "child protection strategy discussion"
    assert core_words("Attendance of partner agencies at strategy meetings") == "strategy meeting"
    p = parse_phrase("Involvement of all relevant partner agencies in child protection strategy "
                     "discussions")
    assert stem("strategy") in p.core and stem("involvement") not in p.core


def test_another_legal_status_is_other_children() -> None:
    """A phrase about children in care: an item about care leavers' plans (and not children
    in care) is the same practice for other children, a mention (half the score)."""
    from ofsted_kg.lineage.relevance import relevance

    cic, leavers = ("https://w3id.org/ofsted-kg/theme/children-in-care",
                    "https://w3id.org/ofsted-kg/theme/care-leavers")
    plan = "https://w3id.org/ofsted-kg/theme/planning-and-review"
    items = [Item("r1/1", "r1", "Finding", "Plans for children in care have clear actions.",
                  page=3, position=1, themes=frozenset({cic, plan})),
             Item("r1/2", "r1", "Finding", "Plans for care leavers have clear actions.",
                  page=4, position=2, themes=frozenset({leavers, plan})),
             # the same words about both statuses: not other children
             Item("r1/3", "r1", "Finding", "Plans for care leavers have clear actions.",
                  page=5, position=3, themes=frozenset({leavers, cic, plan}))]
    got = relevance(parse_phrase("Care plans for children in care: clear actions"), items)
    assert got[1][0] < 0.6 * got[0][0]
    assert got[1][0] < 0.6 * got[2][0]


def test_a_strength_beside_a_shortfall_as_strong_is_improving() -> None:
    """Some improvement with a shortfall left is improving: a later document praising the
    practice and, about as strongly, stating a shortfall of it gives the praise's row
    improving (its cue names the shortfall's words), though the shortfall is stated apart
    from the praise (no "However" after it); the shortfall's row stays persisting.  Praise
    alone stays resolved."""
    f = lambda rep, n, text, kind="Finding", pol="strength": Item(
        f"{rep}/{n}", rep, kind, text, page=n, position=n, polarity=pol)
    items = [
        f("r1", 1, "Improve the timeliness of return home interviews for children who go "
                   "missing.", "Recommendation", ""),
        f("r1", 2, "Return home interviews for children who go missing are not timely.",
          pol="weakness"),
        f("r2", 1, "Return home interviews for children who go missing have considerably "
                   "improved since the last inspection."),
        f("r2", 7, "Return home interviews are not consistently offered to children who go "
                   "missing from care.", pol="weakness"),
        f("r4", 1, "Return home interviews for children who go missing have considerably "
                   "improved since the last inspection."),
        f("r4", 2, "Return home interviews are timely and well recorded."),
    ]
    docs = [_docs()[0], _docs()[1], _docs()[3]]
    lin = lineage("Return home interviews for children who go missing", docs, items)
    assert [s.doc.report for s in lin.steps] == ["r1", "r2", "r4"]
    got = {r.item.iri: r for r in lin.rows}
    assert got["r2/1"].status == "improving"
    assert got["r2/1"].cue.endswith("; a shortfall left beside it: " + got["r2/7"].cue)
    assert got["r2/7"].status == "persisting"
    assert {got["r4/1"].status, got["r4/2"].status} == {"resolved"}


def test_a_later_full_inspection_joins_the_chain_on_less(monkeypatch: pytest.MonkeyPatch) -> None:
    """A full inspection after the concern was raised reviews the whole service: its best
    item joins the chain at FULL_DOC_THRESHOLD, under the DOC_THRESHOLD a focused visit
    (which may have looked at another area) must reach."""
    from ofsted_kg.lineage import chain

    f = lambda rep, n, text, kind="Finding", pol="strength": Item(
        f"{rep}/{n}", rep, kind, text, page=n, position=n, polarity=pol)
    weak = "Children who go missing from care are offered timely interviews."
    items = [
        f("r1", 1, "Improve the timeliness of return home interviews for children who go "
                   "missing.", "Recommendation", ""),
        f("r1", 2, "Return home interviews for children who go missing are not timely.",
          pol="weakness"),
        f("r1", 3, "Many children who go missing are not offered return home interviews.",
          pol="weakness"),
        f("r2", 1, weak), f("r4", 1, weak),
    ]
    docs = [_docs()[0], _docs()[1], _docs()[3]]  # full inspection, focused visit, full
    phrase = "Return home interviews for children who go missing"
    s = {m.item.iri: m.score for m in lineage(phrase, docs, items).mentions}["r4/1"]
    monkeypatch.setattr(chain, "DOC_THRESHOLD", s + 0.01)
    monkeypatch.setattr(chain, "FULL_DOC_THRESHOLD", s - 0.01)
    lin = lineage(phrase, docs, items)
    assert [st.doc.report for st in lin.steps] == ["r1", "r4"]
    assert [r.item.iri for r in lin.steps[1].rows] == ["r4/1"]
    assert s > 0.25  # (a row, were its document in the chain)
