"""Focused-visit letters of every year, read as published, against hand-checked records.

The expected records (tests/data/expected_letters/*.json, see the README there) were made
by reading the PDFs of ../shared/corpus; the letters are Crown copyright (OGL v3.0).  The
thresholds are the issue's: visit dates, letter date and lead inspector exactly on every
letter, concern items exact after normalisation at F1 >= 0.97.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from expected_records import compare, expected_files, f1, load
from ofsted_kg.graph_builder.extract import extract_path
from ofsted_kg.graph_builder.dates import parse_day_list
from ofsted_kg.graph_builder.letters import _inspectors, _topics

pytestmark = pytest.mark.corpus
FILES = expected_files()


@pytest.fixture(scope="module")
def comparisons(corpus_dir: Path) -> dict[str, object]:
    out = {}
    for p in FILES:
        exp = load(p)
        rec = extract_path(corpus_dir / exp["corpus_file"]).to_dict()
        out[p.stem] = (compare(rec, exp, p.stem), rec, exp)
    return out


def test_the_expected_letters_cover_every_year_2018_to_2026() -> None:
    years = {load(p)["published"][:4] for p in FILES}
    assert {str(y) for y in range(2018, 2027)} <= years
    assert len(FILES) >= 20


@pytest.mark.parametrize("name", [p.stem for p in FILES])
@pytest.mark.parametrize("field", ["authority", "document_type", "visit_start", "visit_end", "published",
                                   "lead_inspector", "inspectors", "topics"])
def test_letter_field(comparisons: dict, name: str, field: str) -> None:
    comp, rec, exp = comparisons[name]
    assert comp.fields[field], (field, {k: rec.get(k) for k in ("visit_start", "visit_end", "published", "topics")},
                                rec.get("inspectors"), exp.get(field))


def test_letter_items_f1(comparisons: dict) -> None:
    comps = [c for c, _, _ in comparisons.values()]
    p, r, f = f1(comps)
    wrong = {c.name: (c.missing, c.extra) for c in comps if c.missing or c.extra}
    assert f >= 0.97, (p, r, wrong)


def test_letter_addressees(comparisons: dict) -> None:
    comps = [c for c, _, _ in comparisons.values()]
    right = sum(c.addressee_right for c in comps)
    checked = sum(c.addressee_checked for c in comps)
    assert checked >= 60 and right / checked >= 0.95, (right, checked)


# ---------------------------------------------------------------------------------------
# the forms letters print, on their own
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, letter, expected", [
    ("13 and 14 February 2024. His Majesty's", "2024-03-19", ("2024-02-13", "2024-02-14")),
    ("29 and 30 September, and 1 October 2020. The visit", "2020-11-13", ("2020-09-29", "2020-10-01")),
    ("25 to 26 October 2023.", "2023-11-29", ("2023-10-25", "2023-10-26")),
    ("20 and 22 October. Inspectors", "2020-12-04", ("2020-10-20", "2020-10-22")),
    ("23 and 24 November. The visit", "2024-01-12", ("2023-11-23", "2023-11-24")),
    ("29 December 2014 to 9 January 2015", None, ("2014-12-29", "2015-01-09")),
    ("29 December to 9 January 2015", None, ("2014-12-29", "2015-01-09")),
    ("the 5th and 6th of the month", "2020-01-01", (None, None)),
])
def test_parse_day_list(text: str, letter: str | None, expected: tuple) -> None:
    assert parse_day_list(text, letter_date=letter) == expected


def test_inspectors_in_every_wording() -> None:
    cases = [
        ("The visit was carried out by Her Majesty's Inspector, Lisa Summers and Her Majesty's Inspector, Nick Stacey.",
         ["Lisa Summers", "Nick Stacey"]),
        ("The visit was carried out by Kate Malleson, Louise Hocking and Jon Bowman, all of whom are Her Majesty's Inspectors.",
         ["Kate Malleson", "Louise Hocking", "Jon Bowman"]),
        ("His Majesty's Inspectors for this visit were Jo Warburton, Rachel Fairhurst and Matthew Hedges.",
         ["Jo Warburton", "Rachel Fairhurst", "Matthew Hedges"]),
        ("The inspectors were Kate Malleson, Her Majesty's Inspector, and Diane Partridge, Ofsted Inspector.",
         ["Kate Malleson", "Diane Partridge"]),
    ]
    for sentence, names in cases:
        got = _inspectors(sentence, sentence + "\nYours sincerely\n\n" + names[-1] + "\nHis Majesty's Inspector",
                          "focused_visit")
        assert [i.name for i in got] == [names[-1]] + names[:-1]  # the signatory leads
        assert got[0].role == "lead"


def test_lead_named_as_lead_beats_the_signature() -> None:
    s = "The visit was carried out by Ann Smith (lead inspector) and Bob Jones, Her Majesty's Inspectors."
    got = _inspectors(s, s + "\nYours sincerely\nBob Jones\nHis Majesty's Inspector", "focused_visit")
    assert [(i.name, i.role) for i in got] == [("Ann Smith", "lead"), ("Bob Jones", "inspector")]


def test_lead_from_signature_without_yours_sincerely() -> None:
    s = "The inspectors were Kate Malleson, Her Majesty's Inspector, and Diane Partridge, Her Majesty's Inspector."
    got = _inspectors(s, s + "\nOfsted will take the findings into account\nDiane Partridge\nHer Majesty's Inspector",
                      "focused_visit")
    assert got[0].name == "Diane Partridge" and got[0].role == "lead"


def test_topics_from_the_scope_sentence() -> None:
    text, topics = _topics("Dear Ms X. This letter summarises the findings. Inspectors looked at the local "
                           "authority's arrangements for care leavers and children in care. Inspectors considered a "
                           "range of evidence. Headline findings")
    assert topics == ["children_in_care", "care_leavers"]
    assert text.startswith("Inspectors looked at")
    _, topics = _topics("Inspectors looked at decision-making in the multi-agency safeguarding hub (MASH). Main findings")
    assert topics == ["front_door"]
