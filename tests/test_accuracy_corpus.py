"""The whole shared corpus (91 report PDFs, 67 focused-visit letters, 5 seeds): no crash,
every document typed, every full inspection with its judgements, dates and lead inspector,
every letter with its dates, letter date and lead; agreement with the peer CSV."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from ofsted_kg.graph_builder.extract import extract_path
from ofsted_kg.graph_builder.records import DOCUMENT_TYPES

pytestmark = pytest.mark.corpus
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def records(corpus_dir: Path) -> dict[str, object]:
    reports = sorted((corpus_dir / "ofsted-ilacs" / "reports").glob("*/*.pdf"))
    letters = sorted((corpus_dir / "focused-visits" / "reports").glob("*/*.pdf"))
    seeds = sorted((corpus_dir / "seeds").glob("*.txt"))
    assert len(reports) >= 91 and len(letters) >= 67 and len(seeds) == 5
    return {str(f): extract_path(f) for f in reports + letters + seeds}


def test_every_document_typed(records: dict) -> None:
    for path, rec in records.items():
        assert rec.document_type in DOCUMENT_TYPES, path
        assert rec.authority is not None, path
    types = [r.document_type for r in records.values()]
    n_reports = sum(1 for p in records if "/ofsted-ilacs/" in p)
    n_letters = sum(1 for p in records if "/focused-visits/" in p)
    assert types.count("full_inspection") == n_reports - 1 + 1  # Surrey's LSCB review is other; + the Sefton seed
    assert types.count("other") == 1
    assert types.count("monitoring_visit") == 1
    assert types.count("focused_visit") == n_letters + 2  # + the Wirral and Knowsley seeds
    assert types.count("commissioner_report") == 1


def test_full_inspections_complete(records: dict) -> None:
    for path, rec in records.items():
        if rec.document_type != "full_inspection":
            continue
        areas = {j.area for j in rec.judgements}
        assert rec.framework in ("SIF", "ILACS", "ILACS_2026", "pre_SIF"), path
        if rec.framework in ("SIF", "ILACS"):
            assert "overall_effectiveness" in areas, path
        if rec.framework == "SIF":
            assert {"help_and_protection", "children_in_care", "adoption", "care_leavers",
                    "leadership_management_governance"} <= areas, path
        elif rec.framework == "pre_SIF":  # the 2013 looked-after children inspections
            assert {"overall_effectiveness", "capacity_to_improve", "outcomes", "quality_of_provision",
                    "leadership_and_management"} <= areas, path
        else:
            assert {"impact_of_leaders", "help_and_protection", "children_in_care"} <= areas, path
            assert rec.inspection_type in ("standard", "short"), path
        assert rec.visit_start and rec.visit_end and rec.visit_start <= rec.visit_end, path
        assert rec.published and rec.published >= rec.visit_end, path
        assert [i for i in rec.inspectors if i.role == "lead"], path
        assert rec.warnings == [], (path, rec.warnings)


def test_letters_complete(records: dict) -> None:
    for path, rec in records.items():
        if rec.document_type != "focused_visit":
            continue
        assert rec.visit_start and rec.visit_end and rec.visit_start <= rec.visit_end, path
        assert rec.published_source == "letter_date" and rec.published >= rec.visit_end, path
        assert [i for i in rec.inspectors if i.role == "lead"], path
        assert rec.topics, path


def test_authority_matches_the_archive_folder(records: dict) -> None:
    for path, rec in records.items():
        if path.endswith(".pdf"):
            assert rec.authority.ofsted_urn == Path(path).parent.name.split("_", 1)[0], path


def test_peer_agreement(corpus_dir: Path, records: dict) -> None:
    spec = importlib.util.spec_from_file_location("accuracy", REPO / "bench" / "accuracy.py")
    acc = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(acc)
    res = acc.run(corpus_dir, records)
    assert res["failures"] == []
    for field, c in res["fields"].items():
        assert c["compared"] > 0, field
        # adjudicated in docs/accuracy.md: the one remaining disagreement is the peer's error
        assert c["compared"] - c["agree"] <= 1, (field, [d for d in res["disagreements"] if d["field"] == field])
