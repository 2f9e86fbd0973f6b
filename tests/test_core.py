"""Core extraction (type, framework, dates, inspectors, judgements, authority) on real
fixtures, checked against hand-checked expected records in tests/data/expected."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ofsted_kg.errors import DocumentError
from ofsted_kg.graph_builder.authorities import lookup_authority, match_authority_name, successors
from ofsted_kg.graph_builder.core import area_of, extract_core, grade_of, parse_date_range
from ofsted_kg.graph_builder.extract import extract_path
from ofsted_kg.graph_builder.normalise import fold, prepare
from ofsted_kg.graph_builder.read import RawDocument
from ofsted_kg.graph_builder.records import DocumentRecord, Source

from conftest import fixture_path  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
EXPECTED = sorted((REPO / "tests" / "data" / "expected").glob("*.json"))


def _core(rec: DocumentRecord) -> dict:
    return {
        "authority": {k: getattr(rec.authority, k) for k in ("name", "gss_code", "ofsted_urn", "la_code")}
        if rec.authority else None,
        "document_type": rec.document_type,
        "framework": rec.framework,
        "inspection_type": rec.inspection_type,
        "visit_start": rec.visit_start,
        "visit_end": rec.visit_end,
        "published": rec.published,
        "published_source": rec.published_source,
        "lead_inspector": next((i.name for i in rec.inspectors if i.role == "lead"), None),
        "inspectors": [[i.name, i.role] for i in rec.inspectors],
        "judgements": {j.area: j.grade for j in rec.judgements},
        "title": rec.title,
        "publisher": rec.publisher,
        "visit_number": rec.visit_number,
        "follows_up": rec.follows_up,
    }


def test_every_era_and_visit_type_has_an_expected_record() -> None:
    kinds = set()
    for path in EXPECTED:
        exp = json.loads(path.read_text("utf-8"))
        kinds.add((exp["document_type"], exp["framework"], exp["inspection_type"]))
    for needed in [
        ("full_inspection", "SIF", None),
        ("full_inspection", "ILACS", "standard"),
        ("full_inspection", "ILACS", "short"),
        ("monitoring_visit", "ILACS", None),
        ("focused_visit", "ILACS", None),
        ("commissioner_report", None, None),
    ]:
        assert needed in kinds


@pytest.mark.parametrize("path", EXPECTED, ids=[p.stem for p in EXPECTED])
def test_expected_record(path: Path) -> None:
    exp = json.loads(path.read_text("utf-8"))
    rec = extract_path(fixture_path(exp.pop("file")))
    got = _core(rec)
    labels = exp.pop("judgement_labels", {})
    assert {j.area: fold(j.label) for j in rec.judgements if j.area in labels} == {
        k: fold(v) for k, v in labels.items()}
    for key, value in exp.items():
        assert got[key] == value, key


def test_sefton_2016_judgements_labels_and_pages(data_dir: Path) -> None:
    rec = extract_path(data_dir / "reports" / "sefton-2016-sif-inspection.pdf")
    by_area = {j.area: j for j in rec.judgements}
    assert by_area["overall_effectiveness"].label == "Children's services in Sefton require improvement to be good"
    assert by_area["adoption"].label == "Adoption performance"
    assert by_area["care_leavers"].label == "Experiences and progress of care leavers"
    assert by_area["children_in_care"].label == "Children looked after and achieving permanence"
    assert by_area["lscb"].grade == "inadequate"
    assert rec.source.pages == 44


def test_seed_text_loses_table_labels_but_body_gives_grades(samples_dir: Path) -> None:
    """The seed text lost the judgement table's labels: grades come from the body headings."""
    rec = extract_path(samples_dir / "sefton-2016-inspection.txt")
    assert [j.area for j in rec.judgements] == [
        "overall_effectiveness", "help_and_protection", "children_in_care", "adoption",
        "care_leavers", "leadership_management_governance", "lscb"]


def _text_record(text: str, path: str = "t.txt", metadata: dict[str, str] | None = None) -> DocumentRecord:
    raw = RawDocument(path, "0" * 64, [text], "text", metadata or {})
    rec = DocumentRecord(source=Source(path, raw.sha256, 1), authority=None, document_type="other")
    extract_core(prepare(raw), rec)
    return rec


ILACS_FIRST_PAGE = """Inspection of Wigan local authority
children's services
Inspection dates: {dates}
Lead inspector: Jane Doe, His Majesty's Inspector
Judgement Grade
The impact of leaders on social work
practice with children and families
Good
The experiences and progress of
children who need help and protection
Requires improvement to
be good
Overall effectiveness Good
Services are improving.
"""


def test_framework_decided_by_inspection_dates_not_publication() -> None:
    before = _text_record(ILACS_FIRST_PAGE.format(dates="9 to 13 March 2026"),
                          metadata={"CreationDate": "D:20260511150103+01'00'"})
    assert before.framework == "ILACS" and before.published == "2026-05-11"
    assert before.published_source == "pdf_metadata"
    after = _text_record(ILACS_FIRST_PAGE.format(dates="13 to 24 April 2026"))
    assert after.framework == "ILACS_2026"
    assert after.inspection_type == "standard" and before.inspection_type == "short"
    assert {j.area: j.grade for j in after.judgements}["help_and_protection"] == "requires_improvement"
    assert after.inspectors[0].name == "Jane Doe" and after.inspectors[0].role == "lead"


def test_reformed_report_without_overall_effectiveness() -> None:
    text = ILACS_FIRST_PAGE.format(dates="13 to 24 April 2026").replace("Overall effectiveness Good\n", "")
    text = text.replace("The impact of leaders on social work\npractice with children and families",
                        "Leadership and management")
    rec = _text_record(text)
    areas = {j.area: j.grade for j in rec.judgements}
    assert "overall_effectiveness" not in areas
    assert areas["impact_of_leaders"] == "good"
    assert rec.framework == "ILACS_2026"


def test_not_an_inspection_report() -> None:
    with pytest.raises(DocumentError) as err:
        _text_record("Minutes of the parish council meeting. Apologies were received.")
    assert err.value.reason == "not an inspection report"


def test_letter_with_named_lead_and_month_year_follow_up() -> None:
    text = """Ofsted
Piccadilly Gate
Manchester

4 July 2019

Dear Ms Smith

Monitoring visit of Torbay children's services

This letter summarises the findings of the monitoring visit to Torbay children's services on 4 and 5 June 2019. This was the third monitoring visit to Torbay since the local authority was judged inadequate in July 2018. The visit was carried out by Her Majesty's Inspectors Ann Other and John Smith. The lead inspector was John Smith.

Yours sincerely

John Smith
Her Majesty's Inspector
"""
    rec = _text_record(text)
    assert rec.document_type == "monitoring_visit"
    assert rec.authority is not None and rec.authority.name == "Torbay"
    assert (rec.visit_start, rec.visit_end, rec.published) == ("2019-06-04", "2019-06-05", "2019-07-04")
    assert rec.visit_number == 3
    assert rec.follows_up == {"text": "This was the third monitoring visit to Torbay since the local authority was "
                              "judged inadequate in July 2018.", "judgement": "inadequate", "date": "2018-07"}
    assert [i.role for i in rec.inspectors if i.name == "John Smith"] == ["lead"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("11 April to 5 May 2016", ("2016-04-11", "2016-05-05")),
        ("11 to 15 September 2023", ("2023-09-11", "2023-09-15")),
        ("18 Feb 2014 \u2013 12 March 2014", ("2014-02-18", "2014-03-12")),
        ("6 March 2017\u201330 March 2017", ("2017-03-06", "2017-03-30")),
        ("20 June 2017 \u2500 13 July 2017", ("2017-06-20", "2017-07-13")),
        ("31 January and 1 February 2024", ("2024-01-31", "2024-02-01")),
        ("29 December to 9 January 2015", ("2014-12-29", "2015-01-09")),
        ("on 4 March 2019", ("2019-03-04", "2019-03-04")),
        ("on 1, 2 and 3 May 2019", ("2019-05-01", "2019-05-03")),
        ("30 April, 1 and 2 May 2019", ("2019-04-30", "2019-05-02")),
        ("no date here", (None, None)),
    ],
)
def test_parse_date_range(text: str, expected: tuple[str | None, str | None]) -> None:
    assert parse_date_range(text) == expected


def test_grades_and_areas() -> None:
    assert grade_of("Requires improvement to be good") == "requires_improvement"
    assert grade_of("Requires Improvement") == "requires_improvement"
    assert grade_of("Adequate") == "adequate"
    assert grade_of("Strong") is None
    assert area_of("The experiences and progress of children in care and care leavers") == "children_in_care"
    assert area_of("The experiences and progress of care leavers") == "care_leavers"
    assert area_of("2.2 Experiences and progress of care leavers") == "care_leavers"
    assert area_of("Children looked after and achieving permanence") == "children_in_care"
    assert area_of("Leadership, management and governance") == "leadership_management_governance"
    assert area_of("Capacity for improvement") == "capacity_for_improvement"


@pytest.mark.parametrize(
    ("name", "gss"),
    [
        ("Sefton Metropolitan Borough Council", "E08000014"),
        ("Sefton Borough Council", "E08000014"),
        ("Sefton Council", "E08000014"),
        ("Royal Borough of Kingston upon Thames", "E09000021"),
        ("Bournemouth, Christchurch and Poole", "E06000058"),
        ("Bournemouth, Christchurch & Poole Council", "E06000058"),
        ("Telford & Wrekin", "E06000020"),
        ("City of York", "E06000014"),
        ("Kingston upon Hull", "E06000010"),
        ("Bristol, City of", "E06000023"),
        ("Herefordshire, County of", "E06000019"),
        ("City of Bradford Metropolitan District Council", "E08000032"),
        ("London Borough of Barking and Dagenham", "E09000002"),
        ("North Lincolnshire", "E06000013"),
        ("Northamptonshire County Council", "E10000021"),
        ("West Northamptonshire", "E06000062"),
        ("St Helens", "E08000013"),
        ("Barnsley", "E08000038"),
        ("Southend on Sea Borough Council", "E06000033"),
        ("Hull City Council", "E06000010"),
        ("Council of the Isles of Scilly", "E06000053"),
    ],
)
def test_authority_names(name: str, gss: str) -> None:
    ref = match_authority_name(name)
    assert ref is not None and ref.gss_code == gss
    assert ref.matched == name


def test_lookup_authority_codes_and_history() -> None:
    assert lookup_authority("80550").name == "Sefton"  # Ofsted URN
    assert lookup_authority("e08000014").name == "Sefton"  # GSS, any case
    assert lookup_authority("343").name == "Sefton"  # DfE LA code
    assert lookup_authority("BCP").gss_code == "E06000058"
    assert lookup_authority("E08000016").gss_code == "E08000038"  # Barnsley's pre-2025 code
    assert successors("E10000021") == ("E06000061", "E06000062")
    assert successors("E10000009") == ("E06000059",)
    assert lookup_authority("Atlantis") is None


PRE_SIF = """Inspection of safeguarding and looked after children services
Borough of Poole
Inspection dates: 14 – 25 May 2012
Reporting inspector: Ann Example HMI
Age group: All
Published: 29 June 2012
Safeguarding services
Overall effectiveness Adequate
Capacity for improvement Good
Children and young people are safe
Adequate
Services for looked after children
Overall effectiveness Good
Capacity for improvement
Good
Being healthy Outstanding
"""


def test_pre_sif_layout() -> None:
    rec = _text_record(PRE_SIF)
    assert rec.document_type == "full_inspection" and rec.framework == "pre_SIF"
    assert (rec.visit_start, rec.visit_end, rec.published) == ("2012-05-14", "2012-05-25", "2012-06-29")
    assert rec.published_source == "printed"
    assert rec.inspectors[0].name == "Ann Example" and rec.inspectors[0].role == "lead"
    assert rec.authority is not None and rec.authority.name == "Poole"
    assert {j.area: j.grade for j in rec.judgements} == {
        "overall_effectiveness": "adequate",
        "capacity_for_improvement": "good",
        "children_and_young_people_are_safe": "adequate",
        "overall_effectiveness_looked_after_children": "good",
        "capacity_for_improvement_looked_after_children": "good",
        "being_healthy": "outstanding",
    }


JTAI = """Ofsted
Agora
6 Cumberland Place
Nottingham

12 May 2024

Dear Director

Joint targeted area inspection of the multi-agency response to children and families who need help in Wigan

This letter summarises the findings of a joint targeted area inspection (JTAI) of the multi-agency response to children and families who need help in Wigan.

Between 11 and 15 March 2024, Ofsted, the Care Quality Commission (CQC), His Majesty's Inspectorate of Constabulary and Fire & Rescue Services (HMICFRS) and His Majesty's Inspectorate of Probation (HMI Probation) carried out a joint inspection of the multi-agency response in Wigan.

Wigan partners work well together.

Yours sincerely

Yvette Stanley
National Director, Regulation and Social Care, Ofsted
"""


def test_jtai_letter() -> None:
    rec = _text_record(JTAI)
    assert rec.document_type == "joint_targeted_area_inspection" and rec.framework is None
    assert rec.authority is not None and rec.authority.name == "Wigan"
    assert (rec.visit_start, rec.visit_end) == ("2024-03-11", "2024-03-15")
    assert (rec.published, rec.published_source) == ("2024-05-12", "letter_date")
    assert [(i.name, i.role) for i in rec.inspectors] == [("Yvette Stanley", "other")]
    assert rec.judgements == []


def test_trust_report_and_untitled_report_are_full_inspections() -> None:
    trust = ILACS_FIRST_PAGE.format(dates="9 to 20 June 2025").replace(
        "Inspection of Wigan local authority\nchildren's services", "Inspection of Birmingham Children's Trust")
    rec = _text_record(trust)
    assert rec.document_type == "full_inspection" and rec.authority.name == "Birmingham"
    untitled = ILACS_FIRST_PAGE.format(dates="9 to 20 June 2025").replace(
        "Inspection of Wigan local authority\nchildren's services", "Wigan Council")
    rec = _text_record(untitled)
    assert rec.document_type == "full_inspection" and rec.authority.name == "Wigan"
    assert rec.inspection_type == "standard"


def test_ofsted_report_mentioning_a_dfe_commissioner_is_not_a_commissioner_report() -> None:
    text = ILACS_FIRST_PAGE.format(dates="9 to 20 June 2025").replace(
        "Services are improving.",
        "Following the last inspection the Department for Education appointed a commissioner.")
    assert _text_record(text).document_type == "full_inspection"


def test_unknown_ofsted_document_is_other() -> None:
    rec = _text_record("Ofsted\nAnnual report on children's social care in Sefton\n"
                       "This note describes the inspection programme for 2019 to 2020.\n")
    assert rec.document_type == "other" and rec.framework is None and rec.judgements == []
    assert rec.title == "Ofsted"
    bare = _text_record("Inspection of Wigan local authority children's services\nSome text about children.\n")
    assert bare.document_type == "full_inspection"
    assert bare.warnings == ["no graded judgements found", "no lead inspector found", "no visit dates found"]
    assert rec.publisher == "Ofsted"


@pytest.mark.parametrize("title, gss", [
    ("Focused visit to Birmingham Children\u2019s Trust", "E08000025"),
    ("Focused visit to Together for Children", "E08000024"),
    ("Focused visit to East Riding children\u2019s services", "E06000011"),
    ("Focused visit to Newcastle children\u2019s services", "E08000021"),
])
def test_letters_name_authorities_as_people_call_them(title: str, gss: str) -> None:
    from ofsted_kg.graph_builder.authorities import find_authority
    text = f"Dear Ms Smith\n{title}\nThis letter summarises the findings of the focused visit on 2 and 3 April 2024."
    assert find_authority(text, text).gss_code == gss
