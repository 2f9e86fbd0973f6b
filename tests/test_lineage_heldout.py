"""trace on held-out chains: two corpus authorities (Wokingham, Wandsworth) whose recurring
concerns were written by reading their PDFs (tests/data/gold_heldout/README.md), never used
to write or tune a rule -- the estimate of how the tool does on other authorities.

The issue's targets are recall >= 0.9, rows <= 3x the appearances, status right for >= 85%
of the later appearances found, no row from a silent document; the floors below are what
the tool reaches today (docs/accuracy.md), so the test fails if it gets worse.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lineage_measure import build_gold_store, measure

from ofsted_kg.store import open_store

pytestmark = pytest.mark.corpus

GOLD = Path(__file__).parent / "data" / "gold_heldout" / "recurrence-heldout.json"
RECALL_FLOOR = 0.70  # target 0.9
ROWS_CEILING = 3.0
STATUS_FLOOR = 0.70  # target 0.85
SILENT_CEILING = 14  # target 0


def test_trace_on_held_out_chains(corpus_dir: Path, tmp_path: Path) -> None:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["authorities"]
    st = open_store(build_gold_store(gold, corpus_dir, tmp_path), read_only=True)
    try:
        m = measure(st, gold)
    finally:
        st.close()
    assert m.total == sum(len(c["appearances"]) for a in gold.values() for c in a["concerns"])
    assert m.recall >= RECALL_FLOOR, str(m)
    assert m.per_appearance <= ROWS_CEILING, str(m)
    assert m.status >= STATUS_FLOOR, str(m)
    assert m.silent_rows <= SILENT_CEILING, str(m)
