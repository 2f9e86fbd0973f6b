"""Concern items and findings (ofsted_kg.graph_builder.items).

Real fixtures: the seeds in samples/, the PDFs in tests/data/reports/ (Crown copyright, Open
Government Licence v3.0, see tests/data/LICENCE.md) and the hand-checked concern lists in
tests/data/expected_items/*.json.  Synthetic pages cover layouts the fixtures lack
(priority actions, "Immediately"/"Within three months", page furniture inside an item).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ofsted_kg.graph_builder.items import extract_concerns, extract_findings, polarity
from ofsted_kg.graph_builder.normalise import PreparedDocument, prepare
from ofsted_kg.graph_builder.read import RawDocument, read_document
from ofsted_kg.graph_builder.records import CONCERN_KINDS, Concern, DocumentRecord, Finding, Source

from conftest import fixture_path  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
EXPECTED = sorted((REPO / "tests" / "data" / "expected_items").glob("*.json"))


def _record(raw: RawDocument, document_type: str = "other") -> DocumentRecord:
    return DocumentRecord(
        source=Source(file=raw.path, sha256=raw.sha256, pages=len(raw.pages)),
        authority=None,
        document_type=document_type,
    )


def _read(path: Path | str, document_type: str = "other") -> tuple[list[Concern], list[Finding]]:
    raw = read_document(path)
    doc = prepare(raw)
    rec = _record(raw, document_type)
    return extract_concerns(doc, rec), extract_findings(doc, rec)


def _synthetic(
    pages: list[str], document_type: str = "other", kind: str = "text"
) -> tuple[PreparedDocument, DocumentRecord]:
    raw = RawDocument(path="synthetic.txt", sha256="0" * 64, pages=pages, kind=kind)
    return prepare(raw), _record(raw, document_type)


def _letter_overview(*lines: str) -> str:
    """A focused-visit letter's text: its opening, the methodology, then an "Overview"
    section holding ``lines`` (what follows them, too, as given)."""
    return "\n".join([
        "Dear Ms Example",
        "Focused visit to Exampleshire children's services",
        "The methodology for this visit was in line with the inspection of local authority",
        "children's services (ILACS) framework.",
        "Overview",
        *lines,
    ])


# ---------------------------------------------------------------------------------------
# hand-checked expected lists
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("expected_file", EXPECTED, ids=[p.stem for p in EXPECTED])
def test_expected_concern_lists(expected_file: Path) -> None:
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    concerns, _ = _read(fixture_path(expected["file"]))
    # files written before addressees were read say none; those with addressees check all
    with_addressee = all("addressee" in c for c in expected["concerns"])
    got = [
        {
            "kind": c.kind,
            "section": c.section,
            **({"group": c.group} if c.group else {}),
            "page": c.page,
            "text": c.text,
            **({"nf_tags": c.nf_tags} if c.nf_tags else {}),
            **({"addressee": c.addressee} if with_addressee else {}),
        }
        for c in concerns
    ]
    want = [{k: v for k, v in c.items() if k in ("kind", "section", "group", "page", "text", "nf_tags", "addressee")}
            for c in expected["concerns"]]
    assert got == want


def test_expected_lists_cover_every_era_and_kind() -> None:
    kinds: set[str] = set()
    for f in EXPECTED:
        kinds |= {c["kind"] for c in json.loads(f.read_text(encoding="utf-8"))["concerns"]}
    assert {"recommendation", "area_for_improvement", "area_of_concern"} <= kinds
    assert len(EXPECTED) >= 10


# ---------------------------------------------------------------------------------------
# the seeds
# ---------------------------------------------------------------------------------------

CARE_LEAVERS_REC = (
    "Ensure that care leavers get timely support for their mental health and accommodation "
    "needs so that they can continue to make progress to become successful adults."
)
LSCB_FIRST_FROM_PDF = (
    "Ensure that the SSCB urgently reviews all of its policies, procedures and work "
    "programmes to ensure that these are fully compliant with guidance and legislation. "
    "This should include ensuring that they are updated regularly to reflect any future "
    "changes to statutory guidance."
)


def test_sefton_2016_seed_recommendations(samples_dir: Path) -> None:
    concerns, _ = _read(samples_dir / "sefton-2016-inspection.txt")
    assert all(c.kind == "recommendation" for c in concerns)
    assert len(concerns) == 11 + 7
    assert concerns[10].text == CARE_LEAVERS_REC
    assert concerns[0].text == (
        "Ensure that all assessments of children, young people and care leavers are timely, "
        "address all areas of risk and need and are updated regularly."
    )
    # item 9 has two sentences: still one recommendation
    assert concerns[8].text.startswith("Ensure that IROs, social workers and managers")
    assert concerns[8].text.endswith("future work can be appropriately directed.")


def test_sefton_2016_pdf_lscb_recommendations_whole(data_dir: Path, samples_dir: Path) -> None:
    pdf, _ = _read(data_dir / "reports" / "sefton-2016-sif-inspection.pdf")
    seed, _ = _read(samples_dir / "sefton-2016-inspection.txt")
    assert len(pdf) == len(seed) == 18
    la, lscb = pdf[:11], pdf[11:]
    assert [c.page for c in la] == [8] * 11
    assert [c.page for c in lscb] == [37] * 7
    assert lscb[0].text == LSCB_FIRST_FROM_PDF
    assert lscb[-1].text == (
        "Ensure that the board thoroughly evaluates the quality and the impact of training on "
        "improving practice."
    )
    assert la[10].text == CARE_LEAVERS_REC
    # the seed lost the first line of each LSCB item: what it kept is the item's tail
    for whole, tail in zip(lscb, seed[11:]):
        folded = lambda s: re.sub(r"[^a-z0-9 ]", "", s.lower())  # noqa: E731
        assert folded(whole.text).endswith(folded(tail.text))
        assert len(whole.text) > len(tail.text)


def test_commissioner_report_21_recommendations(samples_dir: Path) -> None:
    concerns, findings = _read(samples_dir / "sefton-2022-commissioner-report.txt")
    assert len(concerns) == 21
    assert {c.kind for c in concerns} == {"recommendation"}
    assert concerns[0].section == "Recommendations to Sefton Metropolitan Borough Council"
    assert concerns[0].text.startswith("A Commissioner should remain with oversight")
    assert concerns[20].text == (
        "Continue the work to develop local residential care provision and ensure sufficient "
        "investment to support this."
    )
    assert findings, "key issues and the executive summary are findings"


def test_monitoring_visit_areas_of_concern(samples_dir: Path) -> None:
    concerns, _ = _read(samples_dir / "sefton-2024-monitoring-visit.txt")
    assert [c.kind for c in concerns] == ["area_of_concern"] * 5
    assert concerns[3].text == (
        "The impact of support in meeting young people's needs, including the timeliness in "
        "accessing services to help their mental health and emotional well-being."
    )
    assert concerns[0].section.startswith("Inspectors reviewed the progress made")
    assert "Areas covered" not in concerns[0].section


@pytest.mark.parametrize(
    ("name", "texts"),
    [
        (
            "wirral-2024-focused-visit.txt",
            [
                "The quality of support arrangements to keep in touch with care-experienced young people aged 21 to 25.",
                "The quality and frequency of supervision for personal advisers and management oversight.",
                "The level of quality assurance activity, including the impact of the audit function on practice improvement.",
            ],
        ),
        (
            "knowsley-2024-focused-visit.txt",
            [
                "The quality and review of pathway plans.",
                "The quality and frequency of supervision and management oversight.",
                "The level of quality assurance activity, including the impact of the audit function on practice improvement.",
            ],
        ),
    ],
)
def test_focused_visits_what_needs_to_improve(samples_dir: Path, name: str, texts: list[str]) -> None:
    concerns, _ = _read(samples_dir / name)
    assert [c.text for c in concerns] == texts
    assert {c.kind for c in concerns} == {"area_for_improvement"}
    assert concerns[0].section == "What needs to improve in this area of social work practice?"
    # the scope list ("This included: - support into adulthood ...") is not a concern list
    assert not any("support into adulthood" in c.text for c in concerns)


def test_prefix_suffix_are_words_around_the_item(samples_dir: Path) -> None:
    concerns, _ = _read(samples_dir / "wirral-2024-focused-visit.txt")
    first, last = concerns[0], concerns[-1]
    assert first.prefix.endswith("area of social work practice?")
    assert first.suffix.startswith("The quality and frequency")
    assert last.suffix.startswith("Main findings")
    assert all(len(c.prefix.split()) <= 5 and len(c.suffix.split()) <= 5 for c in concerns)


# ---------------------------------------------------------------------------------------
# layouts the fixtures lack (synthetic pages written in the reports' own layout)
# ---------------------------------------------------------------------------------------

HEADER = "Inspection of Exampleshire local authority children's services"


def _ilacs_pages(body_pages: list[list[str]]) -> list[str]:
    pages = []
    for n, lines in enumerate(body_pages, 1):
        head = [HEADER, f"1 to 12 May 2025 {n}"] if n > 1 else []
        pages.append("\n".join(head + lines))
    return pages


def test_item_split_across_pages_loses_header_page_number_and_footnote() -> None:
    pages = _ilacs_pages(
        [
            ["Overall effectiveness Good", "Services for children are good."],
            [
                "What needs to improve?1",
                "\u25fc The quality of plans for children, including the timescales for actions",
                "and contingency plans when progress is not made (outcome 3, national",
                "1 The areas for improvement have been cross-referenced with the outcomes, enablers or principles in",
                "the Children\u2019s Social Care: National Framework.",
            ],
            [
                "framework).",
                "\u25fc The sufficiency of homes for children in care. (Outcome three)",
                "The experiences and progress of children who need help and",
                "protection: good",
                "1. Children receive help quickly.",
            ],
            ["Closing text on the last page."],
        ]
    )
    concerns = extract_concerns(*_synthetic(pages))
    assert [c.text for c in concerns] == [
        "The quality of plans for children, including the timescales for actions and "
        "contingency plans when progress is not made.",
        "The sufficiency of homes for children in care.",
    ]
    assert [c.nf_tags for c in concerns] == [
        ["(outcome 3, national framework)"],
        ["(Outcome three)"],
    ]
    assert [c.page for c in concerns] == [2, 3]
    assert concerns[0].section.startswith("What needs to improve?")
    assert {c.kind for c in concerns} == {"area_for_improvement"}


def test_priority_action_and_areas_for_improvement_in_a_letter() -> None:
    text = "\n".join(
        [
            "Dear Ms Smith",
            "",
            "Focused visit to Exampleshire children's services",
            "",
            "This letter summarises the findings of the focused visit to Exampleshire.",
            "",
            "Areas for priority action",
            "",
            "Senior leaders must urgently ensure that all children who go missing are offered a return home interview.",
            "",
            "Areas for improvement",
            "",
            "- The quality of assessments of risk for children at risk of exploitation.",
            "- Management oversight of",
            "  strategy discussions.",
            "",
            "Main findings",
            "",
            "There are still delays in allocating social workers to children.",
            "",
            "Yours sincerely",
        ]
    )
    concerns = extract_concerns(*_synthetic([text]))
    assert [(c.kind, c.text) for c in concerns] == [
        (
            "area_for_priority_action",
            "Senior leaders must urgently ensure that all children who go missing are offered a return home interview.",
        ),
        ("area_for_improvement", "The quality of assessments of risk for children at risk of exploitation."),
        ("area_for_improvement", "Management oversight of strategy discussions."),
    ]
    findings = extract_findings(*_synthetic([text]))
    assert [(f.text, f.polarity) for f in findings] == [
        ("There are still delays in allocating social workers to children.", "weakness")
    ]


def test_pre_2013_immediately_and_within_three_months() -> None:
    text = "\n".join(
        [
            "Areas for improvement",
            "Immediately:",
            "\u2022 ensure that all child protection referrals are allocated to a qualified social",
            "worker and visited within timescales",
            "Within three months:",
            "\u2022 improve the quality of core assessments so that they analyse risk",
            "\u2022 ensure that supervision is recorded.",
            "Outcomes for children and young people",
            "The council's arrangements are adequate.",
        ]
    )
    concerns = extract_concerns(*_synthetic([text], "full_inspection"))
    assert [(c.section, c.group, c.text) for c in concerns] == [
        (
            "Areas for improvement", "Immediately",
            "ensure that all child protection referrals are allocated to a qualified social worker "
            "and visited within timescales",
        ),
        (
            "Areas for improvement", "Within three months",
            "improve the quality of core assessments so that they analyse risk",
        ),
        ("Areas for improvement", "Within three months", "ensure that supervision is recorded."),
    ]
    assert {c.kind for c in concerns} == {"recommendation"}


def test_sif_container_with_no_priority_actions_and_topic_subheadings() -> None:
    text = "\n".join(
        [
            "Contents",
            "What does the local authority need to improve? 4",
            "Recommendations 8",
            "What does the local authority need to improve?",
            "Priority and immediate action",
            "The inspection did not find any areas for priority and immediate action.",
            "Areas for improvement",
            "Child protection",
            "1. Ensure that strategy discussions include the police (paragraph 12).",
            "2. Strengthen senior managers\u2019 oversight of:",
            "\uf0a7 private fostering arrangements (paragraph 40)",
            "\uf0a7 care leavers who are homeless (paragraph 112).",
            "Leadership, management and governance",
            "3. Improve the use of performance information.",
            "The local authority\u2019s strengths",
            "4. Early help services are effective.",
        ]
    )
    concerns = extract_concerns(*_synthetic([text], "full_inspection"))
    assert [c.text for c in concerns] == [
        "Ensure that strategy discussions include the police (paragraph 12).",
        "Strengthen senior managers\u2019 oversight of: private fostering arrangements "
        "(paragraph 40) care leavers who are homeless (paragraph 112).",
        "Improve the use of performance information.",
    ]
    assert {c.section for c in concerns} == {"Areas for improvement"}
    assert {c.kind for c in concerns} == {"recommendation"}


def test_monitoring_letter_variants_inline_and_bulleted() -> None:
    letter = "\n".join(
        [
            "Dear Mr Jones",
            "",
            "Monitoring visit to Exampleshire children's services",
            "",
            "Areas covered by the visit",
            "During this visit, inspectors reviewed the progress made by the local authority in",
            "relation to:",
            "\uf06e the quality and timeliness of assessments",
            "\uf06e management oversight and supervision.",
            "This visit was carried out in line with the inspection of local authority children's",
            "services (ILACS) framework.",
            "",
            "Yours sincerely",
        ]
    )
    concerns = extract_concerns(*_synthetic([letter], "monitoring_visit"))
    assert [(c.kind, c.text) for c in concerns] == [
        ("area_of_concern", "the quality and timeliness of assessments"),
        ("area_of_concern", "management oversight and supervision."),
    ]
    inline = "\n".join(
        [
            "Dear Mr Jones",
            "Monitoring visit to Exampleshire children's services",
            "Inspectors reviewed the progress made in the following areas of concern identified at the",
            "last inspection: the quality of plans for children in need; the timeliness of strategy",
            "discussions; and the response to children who go missing.",
            "Yours sincerely",
        ]
    )
    concerns = extract_concerns(*_synthetic([inline], "monitoring_visit"))
    assert [c.text for c in concerns] == [
        "the quality of plans for children in need",
        "the timeliness of strategy discussions",
        "the response to children who go missing.",
    ]
    assert {c.kind for c in concerns} == {"area_of_concern"}
    other = "\n".join(
        [
            "Dear Ms Smith",
            "Monitoring visit to Exampleshire children's services",
            "The areas of concern reviewed on this visit, which were agreed with the local authority, were:",
            "- the quality of plans.",
            "This visit was carried out in line with the inspection of local authority children's services",
            "(ILACS) framework, and inspectors considered a range of evidence.",
        ]
    )
    assert [c.text for c in extract_concerns(*_synthetic([other], "monitoring_visit"))] == [
        "the quality of plans."
    ]
    # the same words in a full inspection's running text are not a list of concerns
    report = "Leaders reviewed the progress made in relation to: supervision; audits.\nMore text."
    assert extract_concerns(*_synthetic([report], "full_inspection")) == []


def test_heading_words_inside_running_text_are_not_headings() -> None:
    text = "\n".join(
        [
            "Leaders have a clear understanding of",
            "What needs to improve in the service and have plans",
            "\u25fc this bullet belongs to a different list",
            "Areas for development",
            "\u25fc The timeliness of return home interviews.",
        ]
    )
    concerns = extract_concerns(*_synthetic([text], "focused_visit"))
    assert [(c.kind, c.section, c.text) for c in concerns] == [
        ("area_for_improvement", "Areas for development", "The timeliness of return home interviews.")
    ]


def test_pdf_priority_action_paragraphs_are_whole_items() -> None:
    page = "\n".join(
        [
            "Dear Ms Smith",
            "Focused visit to Exampleshire children's services",
            "Areas for priority action",
            "Senior leaders must take urgent action to ensure that children at risk of harm are",
            "seen promptly by a social worker after a referral is made to the front door service.",
            "Strategy meetings must include the police in every case.",
            "Leaders should also ensure that the outcome is recorded.",
            "Main findings",
            "Children are seen quickly and their needs are assessed well in most cases.",
            "Yours sincerely",
        ]
    )
    concerns = extract_concerns(*_synthetic([page], "focused_visit", kind="pdf"))
    assert [c.text for c in concerns] == [
        "Senior leaders must take urgent action to ensure that children at risk of harm are seen "
        "promptly by a social worker after a referral is made to the front door service. "
        "Strategy meetings must include the police in every case.",
        "Leaders should also ensure that the outcome is recorded.",
    ]
    assert {c.kind for c in concerns} == {"area_for_priority_action"}


def test_list_ends_at_an_unknown_wrapped_judgement_heading() -> None:
    page = "\n".join(
        [
            "What needs to improve?",
            "\u25fc The timeliness of initial child protection conferences for children who are at risk of",
            "significant harm and who have been subject to a strategy discussion in the last month.",
            "How well children who need help, protection and support from the local authority are",
            "helped and kept safe: requires improvement to be good",
            "1. Children receive a timely response when they first need help from a social worker.",
        ]
    )
    concerns = extract_concerns(*_synthetic([page], kind="pdf"))
    assert [c.text for c in concerns] == [
        "The timeliness of initial child protection conferences for children who are at risk of "
        "significant harm and who have been subject to a strategy discussion in the last month."
    ]


def test_commissioner_style_recommendation_numbers() -> None:
    text = "\n".join(
        [
            "Recommendations",
            "",
            "Recommendation 1: The council should appoint a permanent director of children's services.",
            "Recommendation 2: The improvement board should meet monthly and publish its minutes.",
            "",
            "Annex A: Terms of reference",
        ]
    )
    concerns = extract_concerns(*_synthetic([text], "commissioner_report"))
    assert [c.text for c in concerns] == [
        "The council should appoint a permanent director of children's services.",
        "The improvement board should meet monthly and publish its minutes.",
    ]


def test_no_concern_list_gives_nothing() -> None:
    text = "Summary\nThe service is good. Children are safe.\nRecommendations\nNone of note here"
    assert extract_concerns(*_synthetic([text])) == []


# ---------------------------------------------------------------------------------------
# findings and polarity
# ---------------------------------------------------------------------------------------


def test_monitoring_visit_still_delays_is_a_weakness(samples_dir: Path) -> None:
    _, findings = _read(samples_dir / "sefton-2024-monitoring-visit.txt")
    hit = [f for f in findings if "There are still delays in young people accessing timely, lower-level emotional and mental health support" in f.text]
    assert len(hit) == 1
    assert hit[0].polarity == "weakness"
    assert hit[0].section == "Headline findings"
    assert hit[0].prefix.endswith("training remains high.")
    texts = " ".join(f.text for f in findings)
    for boiler in ("This letter summarises", "Yours sincerely", "Piccadilly Gate", "copying this letter"):
        assert boiler not in texts
    assert 30 <= len(findings) <= 150
    assert {f.polarity for f in findings} == {"strength", "weakness", "mixed"}
    assert all(1 <= f.page <= 6 for f in findings)


def test_full_inspection_findings_skip_method_and_area_information(data_dir: Path) -> None:
    _, findings = _read(data_dir / "reports" / "sefton-2016-sif-inspection.pdf")
    assert 100 <= len(findings) <= 700
    sections = {f.section for f in findings}
    assert "Executive summary" in sections
    assert not any(s.lower().startswith(("information about", "summary for children", "recommendations")) for s in sections)
    assert not any("section 136 of the Education and Inspections Act" in f.text for f in findings)
    assert all(len(f.text) <= 1200 for f in findings)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("There are still delays in young people accessing timely, lower-level emotional and mental health support.", "weakness"),
        ("The number of young people who are not in employment, education or training remains high.", "weakness"),
        ("The quality of audits is improving.", "strength"),
        ("Leaders have created an effective and strong service.", "strength"),
        ("Most plans are good, but some are not updated when circumstances change.", "mixed"),
        ("Although supervision is mostly regular, and better demonstrates some reflection, it is not consistently curious enough.", "weakness"),
        ("Clear timescales are not always defined to insert pace.", "weakness"),
        # graph model 25: hardship and what may not happen reported of children, a change
        # for the better in words of its own (corpus sentences that carried no cue)
        ("This means that a small number of young people find it difficult to access their set up home grant and many are restricted to where they spend it.", "weakness"),
        ("They also described difficulties in making contact with their social worker by telephone.", "weakness"),
        ("This means that some young people may not be aware of all their rights and entitlements.", "weakness"),
        ("Turnover in the social care workforce is gradually reducing.", "strength"),
        ("Young carers’ voices increasingly shape service development.", "strength"),
        ("Direct work with children, using a range of tools to ascertain their views and assess risk, is becoming increasingly evident.", "strength"),
        ("This is particularly true for situations where needs and risks may not be acute but are complex and chronic.", None),
        ("Leaders have identified actions needed to improve support and address increasingly evident concerns for some children’s emotional health.", None),
        ("Currently there is no established quality assurance system.", "weakness"),
        ("Feedback about its quality is largely positive, but there is no formal evaluation of the long-term impact of training on the quality of practice.", "mixed"),
        ("Close liaison with the learning difficulties adult team, colleges and work-based providers smooth transitions and provide support into adulthood.", None),
        ("Plans are not consistently effective.", "weakness"),
        ("The local authority operates three children's homes.", None),
        # graph model 26: practice done as a matter of course, praise only in a plain
        # sentence (corpus sentences that carried no cue)
        ("Return home interviews are routinely offered and taken up.", "strength"),
        ("Children are matched and placed with adoptive parents quickly.", "strength"),
        ("PAs work proactively with care leavers to build their independent living skills, including practical tasks such as cooking, securing identification documents and attending appointments.", "strength"),
        ("The adoption panel has a suitably qualified and experienced independent chair.", "strength"),
        ("Pathway plans are completed collaboratively with the young person and many capture the young person’s words and views.", "strength"),
        ("When changes in parenting are not secured, authoritative action is quickly taken.", "strength"),
        ("This helps children to share their wishes and feelings.", "strength"),
        ("Care leavers value the consistency of their relationships with PAs and feel reassured knowing that support continues to remain available after they reach adulthood.", "strength"),
        ("This will help them to understand their journey into and through care.", None),
        ("A shared set of values are integrated into the practice and management of social work teams.", None),
        # ... and nothing beside a shortfall, a negation, a restriction, a contrast, a need
        # or in a clause of purpose
        ("However, some children do not receive therapeutic or emotional health services quickly enough.", "weakness"),
        ("However, not all data and performance are monitored systematically and routinely.", "weakness"),
        ("However, there is currently no suitably trained health professional to undertake a home visit following the death of a child.", None),
        ("However, they routinely involve only social care and the police.", None),
        ("Leaders have responded to this by monitoring the local market and seeking to engage more proactively with existing and emerging providers, but challenges in demand remain.", None),
        ("This information now needs to be used routinely in care planning.", None),
        ("Steps to ensure that social workers routinely complete life-story work are at an early stage.", None),
        ("Collaborative working between youth justice workers and children’s social care is mixed.", "weakness"),
        # ... and a spread of quality in another word
        ("The quality of children’s care plans is mixed.", "weakness"),
        ("Child and family assessments are of mixed quality.", "weakness"),
        ("The educational achievement of children looked after in Surrey is a mixed picture.", "weakness"),
    ],
)
def test_polarity(sentence: str, expected: str | None) -> None:
    assert polarity(sentence) == expected


# ---------------------------------------------------------------------------------------
# the whole archive (eyeball figures: bench/concern_counts.py)
# ---------------------------------------------------------------------------------------

_BAD_ITEM = re.compile(
    r"^(what needs to improve|recommendations|areas? for|the experiences and progress|"
    r"inspection of .* children.s services|page \d+|\d+)$|=====|\bInspection dates:",
    re.I,
)


@pytest.mark.corpus
def test_every_corpus_report_yields_sane_concerns(corpus_dir: Path) -> None:
    pdfs = sorted((corpus_dir / "ofsted-ilacs" / "reports").glob("*/*.pdf"))
    assert len(pdfs) >= 80
    empty = []
    for pdf in pdfs:
        concerns, findings = _read(pdf)
        if not concerns:
            empty.append(pdf.name)
        for c in concerns:
            assert c.kind in CONCERN_KINDS
            assert 20 <= len(c.text) <= 1200, (pdf, c.text)
            assert not _BAD_ITEM.search(c.text), (pdf, c.text)
            assert not re.search(r"\s\d{1,3}\s+Inspection of\b", c.text), (pdf, c.text)
        assert findings, pdf
        assert all(f.polarity in ("strength", "weakness", "mixed") for f in findings)
        assert not [f.text for f in findings if re.match(r"\d{1,3}[.)]\S", f.text)], pdf
        assert not [f.text for f in findings if re.match(
            r"(Outstanding|Good|Inadequate|Requires improvement|Summary) [A-Z]", f.text)], pdf
    assert empty == []


@pytest.mark.corpus
def test_corpus_layout_variants(corpus_dir: Path) -> None:
    reports = corpus_dir / "ofsted-ilacs" / "reports"
    wf, _ = _read(reports / "80517_waltham forest" / "children's services inspection - 20 january 2015.pdf")
    # 4 priority actions and 16 areas for improvement for the council, 1 + 6 for the LSCB
    assert [c.section for c in wf].count("Priority and immediate action") == 4 + 1
    assert len(wf) == 4 + 16 + 1 + 6
    assert not any("strengths" in c.text.lower()[:40] for c in wf)
    es, _ = _read(reports / "80467_east sussex" / "children's services inspection - 06 february 2024.pdf")
    assert es[-1].text == (
        "The oversight, timeliness and rigour of the response to children: experiencing neglect, "
        "including children in Public Law Outline pre-proceedings, and in private fostering arrangements."
    )
    bury, _ = _read(reports / "80443_bury" / "children's services inspection - 29 july 2025.pdf")
    assert [c.nf_tags[0] for c in bury] == [
        "(outcome 3, national framework)",
        "(enabler 2, national framework)",
        "(enabler 3, national framework)",
        "(principle 2, national framework)",
        "(outcome 3, national framework)",
    ]
    assert bury[3].text == (
        "The quality of effectiveness of direct work with children, including life-story work, "
        "to gather children\u2019s views and understanding of why they are in care"
    )
    barnsley, _ = _read(reports / "80426_barnsley" / "children's services inspection - 08 august 2014.pdf")
    assert len(barnsley) == 25 + 7
    assert not any("did not find any" in c.text for c in barnsley)


def test_numbered_paragraphs_begin_new_findings() -> None:
    """ILACS reports number their paragraphs, and in many the number is glued to the text
    ("24.Children's health ..."): the number is no part of the finding, and a numbered
    paragraph begins a new one even when the sentence before it has no full stop.  A
    list's lead-in ("This local authority is good because:") is no finding."""
    text = _letter_overview(
        "1.Care leavers are well informed about their entitlements, including free",
        "prescriptions, and most know how to access these",
        "2.Personal advisers are highly effective at identifying emerging vulnerabilities.",
        "This local authority is good because:",
        "3.Managers regularly monitor social worker caseloads, ensuring that they are manageable.",
        "What needs to improve in this area of social work practice",
        "The quality of assessments for children in need of help.",
    )
    findings = extract_findings(*_synthetic([text], "focused_visit"))
    assert [f.text for f in findings] == [
        "Care leavers are well informed about their entitlements, including free "
        "prescriptions, and most know how to access these",
        "Personal advisers are highly effective at identifying emerging vulnerabilities.",
        "Managers regularly monitor social worker caseloads, ensuring that they are manageable.",
    ]


def test_a_sections_grade_is_no_part_of_its_first_finding() -> None:
    """Inspections of 2013-18 print each section's grade under its heading, then
    "Summary" ("Requires improvement" / "to be good" wrapped): the first finding starts
    after them (it read "Requires improvement Summary When children ...")."""
    text = _letter_overview(
        "Requires improvement",
        "to be good",
        "Summary",
        "When children need to become looked after, decisions are appropriate and timely.",
        "Good",
        "Senior leaders have considerably strengthened the service for care leavers.",
    )
    findings = extract_findings(*_synthetic([text], "focused_visit"))
    assert [(f.text, f.polarity) for f in findings] == [
        ("When children need to become looked after, decisions are appropriate and timely.",
         "strength"),
        ("Senior leaders have considerably strengthened the service for care leavers.",
         "strength"),
    ]


def test_glued_paragraph_numbers_in_a_real_report(data_dir: Path) -> None:
    """Haringey's 2026 report, read by hand: paragraph 24 on page 5 opens "24.Children's
    health and emotional wellbeing are supported very well."; paragraph 35 on page 7 opens
    "35.PAs are alert to changes ...", after a paragraph whose last sentence ends "...
    aware of how to access these" with no full stop."""
    _, findings = _read(data_dir / "reports" / "haringey-2026-ilacs-standard.pdf",
                        "full_inspection")
    assert not [f.text for f in findings if re.match(r"\d{1,3}[.)]", f.text)]
    by_text = {f.text: f for f in findings}
    health = by_text["Children\u2019s health and emotional wellbeing are supported very well."]
    assert (health.page, health.polarity) == (5, "strength")
    pas = [f for f in findings if f.text.startswith(
        "PAs are alert to changes in young people\u2019s emotional wellbeing")]
    assert len(pas) == 1 and pas[0].page == 7
    before = [f for f in findings if f.text.endswith("are aware of how to access these")]
    assert len(before) == 1 and "PAs" not in before[0].text


def test_a_letters_overview_is_a_findings_section() -> None:
    """Many focused-visit letters (30 of the corpus's 67) open their evaluation under
    "Overview", before the sections on each area: its sentences are findings; the
    methodology before it is not."""
    text = _letter_overview(
        "Additional capacity in social work teams has reduced caseloads for many staff.",
        "However, risks to children are not always fully explored.",
        "What needs to improve in this area of social work practice",
        "The quality of assessments for children in need of help.",
    )
    findings = extract_findings(*_synthetic([text], "focused_visit"))
    assert [(f.text, f.polarity, f.section) for f in findings] == [
        ("Additional capacity in social work teams has reduced caseloads for many staff.",
         "strength", "Overview"),
        ("However, risks to children are not always fully explored.", "weakness", "Overview"),
    ]


def test_a_line_broken_at_a_hyphen_joins_unless_the_hyphen_is_suspended() -> None:
    """A word or number broken at its hyphen at a line's end is one word again ("26-" /
    "week"); a suspended hyphen ("16-" / "and 17-year-olds") keeps its space."""
    text = _letter_overview(
        "Care proceedings are not yet completed within the 26-",
        "week timescale for most children.",
        "Arrangements for private fostering and for homeless 16-",
        "and 17-year-olds are not effective.",
    )
    findings = extract_findings(*_synthetic([text], "focused_visit"))
    assert [f.text for f in findings] == [
        "Care proceedings are not yet completed within the 26-week timescale for most children.",
        "Arrangements for private fostering and for homeless 16- and 17-year-olds are not "
        "effective.",
    ]
