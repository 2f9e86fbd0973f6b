"""The self-audit (ofsted_kg.graph_builder.audit): named checks a reading fails, shown by
extract and build and recorded in the graph; documents that cannot be identified are refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ofsted_kg.errors import DocumentError
from ofsted_kg.graph_builder.audit import CHECKS, audit
from ofsted_kg.graph_builder.extract import extract, extract_path
from ofsted_kg.graph_builder.read import RawDocument
from ofsted_kg.graph_builder.records import AuthorityRef, Concern, DocumentRecord, Inspector, Source
from ofsted_kg.ontology import ontology_graph
from ofsted_kg.ontology.namespaces import CHECK, SKOS
from test_bad_input import run_cli


def _letter(**kw: object) -> DocumentRecord:
    rec = DocumentRecord(source=Source("x.pdf", "0" * 64, 5), document_type="focused_visit", publisher="Ofsted",
                         authority=AuthorityRef("Sefton", "E08000014", "80550", "343"),
                         visit_start="2024-02-13", visit_end="2024-02-14", published="2024-03-19",
                         published_source="letter_date", inspectors=[Inspector("Ann Smith", "lead")])
    for k, v in kw.items():
        setattr(rec, k, v)
    return rec


def test_a_clean_record_fails_no_check() -> None:
    assert audit(_letter(concerns=[Concern("area_for_improvement", "The quality of plans.", 2, position=1)])) == []


@pytest.mark.parametrize("change, check", [
    ({"authority": None}, "authority_not_resolved"),
    ({"visit_start": None, "published": None}, "date_not_read"),
    ({"visit_start": None}, "visit_dates_not_read"),
    ({"published_source": "pdf_metadata"}, "letter_date_not_read"),
    ({"inspectors": [Inspector("Ann Smith", "inspector")]}, "no_lead_inspector"),
    ({"empty_lists": ["What needs to improve in this area of social work practice"]}, "heading_without_items"),
    ({"concerns": [Concern("area_for_improvement",
                           "Senior leaders have a strong track record of listening to children. They act on "
                           "what they hear. Social workers know their children well.", 2, position=1)]},
     "item_reads_as_narrative"),
    ({"concerns": [Concern("area_for_improvement", "The quality of plans. Ofsted Piccadilly Gate Manchester M1 2WD",
                           2, position=1)]}, "item_has_page_furniture"),
])
def test_each_check_fails_on_its_case(change: dict, check: str) -> None:
    assert check in [c.check for c in audit(_letter(**change))]


def test_full_inspection_checks() -> None:
    rec = _letter(document_type="full_inspection", framework="ILACS")
    assert {c.check for c in audit(rec)} >= {"no_judgements", "no_concerns"}
    rec.framework = "ILACS_2026"
    from ofsted_kg.graph_builder.records import Judgement
    rec.judgements = [Judgement("impact_of_leaders", "Leaders", "good")]
    assert "no_overall_effectiveness" not in {c.check for c in audit(rec)}  # 2026 reports have none


def test_advice_in_several_sentences_is_not_narrative() -> None:
    text = ("Ensure that IROs have sufficient capacity. Ensure that all review meetings evaluate progress. "
            "Managers should challenge poor practice.")
    assert audit(_letter(concerns=[Concern("recommendation", text, 8, position=1)])) == []


def test_every_check_is_a_concept_with_label_and_definition() -> None:
    g = ontology_graph()
    for c in CHECKS:
        assert g.value(CHECK[c], SKOS.prefLabel) and g.value(CHECK[c], SKOS.definition), c


def test_unidentifiable_document_is_refused_with_one_line() -> None:
    raw = RawDocument("note.txt", "1" * 64, ["Ofsted note on Sefton: caf\u00e9 meeting about children's services"], "text")
    with pytest.raises(DocumentError, match="cannot identify the document"):
        extract(raw)


@pytest.mark.corpus
def test_flagged_documents_on_the_corpus_are_few(corpus_dir: Path) -> None:
    """The issue's bound: the self-audit flags at most 3% of the corpus's documents."""
    files = sorted(corpus_dir.glob("*/reports/*/*.pdf")) + sorted((corpus_dir / "seeds").glob("*.txt"))
    flagged = [f for f in files if extract_path(f).audit]
    assert len(files) >= 160
    assert len(flagged) <= 0.03 * len(files), [f.name for f in flagged]


@pytest.mark.corpus
def test_doubts_are_printed_and_queryable(corpus_dir: Path, tmp_path: Path) -> None:
    letter = corpus_dir / "focused-visits/reports/80449_bradford/children's services focused visit - 12 february 2021.pdf"
    res = run_cli("extract", str(letter), "-o", str(tmp_path / "r.json"))
    assert res.returncode == 0 and "item_reads_as_narrative" in res.stderr
    assert json.loads((tmp_path / "r.json").read_text())["audit"][0]["check"] == "item_reads_as_narrative"
    store = tmp_path / "s"
    # with another Bradford report beside it: the authority's triples are then in two
    # documents' graphs, which must not double the letter's row
    other = corpus_dir / "ofsted-ilacs/reports/80449_bradford/children's services inspection - 29 october 2018.pdf"
    res = run_cli("build", str(letter), str(other), "--store", str(store))
    assert res.returncode == 0 and "doubtful readings" in res.stderr
    res = run_cli("query", "doubtful-readings", "--store", str(store), "--format", "json")
    rows = json.loads(res.stdout)
    rows = rows.get("results", {}).get("bindings", rows) if isinstance(rows, dict) else rows
    assert "item_reads_as_narrative" in json.dumps(rows) and "Bradford" in json.dumps(rows)
    assert len(rows) == 1, rows  # the letter's one doubt, once
    res = run_cli("validate", "--store", str(store))
    assert res.returncode == 0, res.stdout
