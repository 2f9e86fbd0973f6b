"""trace on the corpus gold (../shared/corpus/gold/recurrence-dev.json): each concern's
label exactly as written is the input, measured as ../shared/tools/measure_lineage.py
measures it (and as the tool is measured on other authorities' held-out chains).

The issue's targets are recall >= 0.9, rows <= 3x the appearances, status right for >= 85%
of the later appearances found, and no row from a document the gold lists as silent.  The
floors asserted here are those targets; the tool reaches recall 106/113 = 0.94, rows 2.5x,
status 83/87 = 0.95 and no row from a silent document on the dev gold (docs/accuracy.md),
so no exception is needed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lineage_measure import build_gold_store, measure

from ofsted_kg.queries.trace import trace
from ofsted_kg.store import Store, open_store

pytestmark = pytest.mark.corpus

RECALL_FLOOR = 0.9
ROWS_CEILING = 3.0
STATUS_FLOOR = 0.85
SILENT_ALLOWANCE = 0  # no justified exception needed today; name each one here if any


@pytest.fixture(scope="module")
def gold(corpus_dir: Path) -> dict:
    path = corpus_dir / "gold" / "recurrence-dev.json"
    if not path.exists():
        pytest.skip("no gold chains in this corpus")
    return json.loads(path.read_text(encoding="utf-8"))["authorities"]


@pytest.fixture(scope="module")
def gold_store(gold: dict, corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Store:
    st = open_store(build_gold_store(gold, corpus_dir, tmp_path_factory.mktemp("gold")),
                    read_only=True)
    yield st
    st.close()


def test_trace_on_the_gold_chains(gold: dict, gold_store: Store) -> None:
    m = measure(gold_store, gold)
    for la, a in gold.items():
        for c in a["concerns"]:
            res = trace(gold_store, c["label"], authority=la)
            # the lineage is in date order and its first document raised the concern
            assert [s["date"] for s in res.steps] == sorted(s["date"] for s in res.steps)
            assert res.steps and res.steps[0]["status"] == "raised"
    assert m.recall >= RECALL_FLOOR, str(m)
    assert m.per_appearance <= ROWS_CEILING, str(m)
    assert m.status >= STATUS_FLOOR, str(m)
    assert m.silent_rows <= SILENT_ALLOWANCE, (str(m), m.silent)


def test_a_silent_follow_up_says_not_reviewed(gold: dict, gold_store: Store) -> None:
    """At least one gold-silent document that follows up a chain is a step without rows."""
    seen = 0
    for la, a in gold.items():
        for c in a["concerns"]:
            res = trace(gold_store, c["label"], authority=la)
            for s in res.steps:
                if s["status"] == "not_reviewed":
                    assert not [r for r in res.rows if r["report"] == s["report"]]
                    seen += 1
    assert seen
