"""trace on hand-made chains of eighteen more corpus authorities
(tests/data/gold_heldout/README.md): Wokingham, West Sussex, Southwark, Leicestershire, Bury,
Hampshire, Derby and Telford and Wrekin, made development data after they were first
measured blind, and Wandsworth, Surrey, Plymouth, Barking and Dagenham, Lincolnshire,
Bradford, Enfield, Waltham Forest, Peterborough and Hartlepool, still held out -- never read
to write or tune a rule, the estimate of how the tool does on authorities it has never seen
(Peterborough's and Hartlepool's floors are their blind first measurement, at 1cf8453).

The issue's targets are recall >= 0.9, rows <= 3x the appearances, status right for >= 85%
of the later appearances found, no row from a silent document; the floors below are what
the tool reaches today (docs/accuracy.md), so a test fails if trace gets worse.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lineage_measure import Measure, build_gold_store, measure

from ofsted_kg.store import open_store

pytestmark = pytest.mark.corpus

GOLD = Path(__file__).parent / "data" / "gold_heldout" / "recurrence-heldout.json"
#: authority -> (recall floor, rows ceiling, status floor, silent rows ceiling)
FLOORS = {"Wokingham": (0.88, 2.8, 0.92, 4), "Wandsworth": (0.89, 2.7, 0.91, 3),
          "Surrey": (0.94, 3.5, 0.88, 10), "West Sussex": (0.85, 2.6, 0.96, 0),
          "Southwark": (0.91, 2.8, 0.87, 5), "Plymouth": (0.88, 2.95, 0.85, 5),
          "Leicestershire": (0.84, 2.8, 0.91, 2), "Barking and Dagenham": (0.82, 2.7, 0.80, 4),
          "Bury": (0.87, 3.4, 0.83, 1), "Lincolnshire": (0.90, 2.8, 0.81, 0),
          "Bradford": (0.86, 2.8, 0.97, 8), "Hampshire": (0.86, 2.4, 0.84, 0),
          "Enfield": (0.83, 2.5, 0.91, 0), "Derby": (0.88, 2.6, 0.80, 0),
          "Waltham Forest": (0.89, 2.6, 0.91, 7), "Telford and Wrekin": (0.87, 2.6, 0.82, 6),
          "Peterborough": (0.82, 2.7, 0.85, 0), "Hartlepool": (0.70, 2.9, 0.88, 3)}
# Eight deliberate moves of held-out floors, all written in docs/accuracy.md: Plymouth's
# status floor and silent ceiling with graph model 7 (a letter's "Overview" became a
# findings section: one more appearance found, its status wrong, the number of right
# statuses unchanged at 30; one row in a silent letter); Wandsworth's recall floor 0.90
# -> 0.89 with the raising document's one finding beside a strong listing (one raised
# appearance of 48 lost, rows 2.71 -> 2.54 there, 3.01 -> 2.87 over the three held out);
# Bury's status floor 0.84 -> 0.81 (its blind figure) with a strength beside a close
# shortfall read as improving: one Bury status lost, four more held-out statuses right
# (Wandsworth 2, Plymouth 1, Lincolnshire 1): 177 -> 180 of 213 over the six;
# Lincolnshire's back 0.85 -> 0.81 with graph model 10 (a leading "When ..." clause
# judges nothing, and cues read off Bury's misses): one of its statuses lost, five
# more right on the development authorities, two more appearances found there;
# Lincolnshire's rows ceiling 2.5 -> 2.6 with graph model 14 ('are supported to' is
# praise: 3 more rows there, one more appearance and status right over the held out;
# on development data Hampshire's recall floor 0.81 -> 0.79 and Derby's status 0.82 ->
# 0.80, one more appearance found there with its status wrong); Hartlepool's rows
# ceiling 2.5 -> 2.7 with a later full inspection joining on less (FULL_DOC_THRESHOLD):
# 10 more rows there, one more appearance and one more status right; over the ten held
# out 5 more appearances and 5 more statuses; on development data Bury's and Telford
# and Wrekin's rows ceilings 3.1 -> 3.2 and 2.3 -> 2.4, Derby's status 0.80 -> 0.77;
# Barking and Dagenham's status floor 0.80 -> 0.77 with graph model 15 (a numbered
# paragraph begins a new finding, the number and a section's grade no part of it: 771
# sentences of 81 corpus reports changed, found from the documents' structure, not from
# any gold): one of its statuses lost (32 -> 31 of 40), one more right in Waltham
# Forest, the held-out total unchanged (303 of 349); development data unchanged.
# Re-read for every authority at links-37 (within a document in the chain, an item
# without the head's words is ranked at its full score, docs/accuracy.md "Tenth
# session"): over the eight development authorities 464 -> 474 appearances and 315 ->
# 321 statuses right, rows 2.54 -> 2.68x; over the ten held out 464 -> 469 and 303 ->
# 310, rows 2.59 -> 2.75x (Surrey 3.35x, as above 3x before: 3.21x).  Lost: one
# appearance and one status in Plymouth (46 -> 45 of 51, 31 -> 30 of 35), one status in
# Leicestershire (33 -> 32 of 35); Hampshire's and Bury's status ratios fall (26/30 ->
# 28/33, 29/34 -> 31/37: more right, more found); silent rows +1 in Waltham Forest, +2
# in Telford and Wrekin; the development gold (Wigan, Haringey) keeps no silent row.
# Surrey's rows ceiling 3.4 -> 3.5 with graph model 25 (hardship reported of children and
# "is gradually reducing" are polarity cues: 36 corpus sentences become findings, read
# from the corpus's sentences without a cue, not from any gold): Surrey 54 -> 55 of 57
# appearances and 38 -> 39 statuses right, its rows 3.35 -> 3.40x; over the ten held out
# 469 -> 470 and 311 -> 312; development data unchanged.
# Hartlepool's recall floor 0.72 -> 0.70 and rows ceiling 2.8 -> 2.9 (2.85x), and
# Plymouth's rows ceiling 2.9 -> 2.95 with
# graph model 26 (practice done as a matter of course, "routinely offered", "placed
# quickly", "this helps children to ...", and what people say they value, are praise in
# a plain sentence; "is mixed" a shortfall: 407 corpus sentences become findings, read
# from the corpus's sentences without a cue, not from any gold): Hartlepool 39 -> 38 of
# 54 appearances, Plymouth one row more (147 -> 148 for 51) and 30 -> 31 statuses right;
# over the ten held out appearances unchanged (470 of 546), statuses 312 -> 314;
# development data 475 -> 477 appearances, 322 -> 324 statuses, the dev gold 106 -> 107.


@pytest.fixture(scope="module")
def measured(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Measure]:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["authorities"]
    assert set(gold) == set(FLOORS)
    st = open_store(build_gold_store(gold, corpus_dir, tmp_path_factory.mktemp("heldout")),
                    read_only=True)
    try:
        return {la: measure(st, {la: a}) for la, a in gold.items()}
    finally:
        st.close()


@pytest.mark.parametrize("authority", sorted(FLOORS))
def test_trace_on_hand_made_chains(measured: dict[str, Measure], authority: str) -> None:
    m = measured[authority]
    recall, rows, status, silent = FLOORS[authority]
    assert m.total > 40, str(m)
    assert m.recall >= recall, str(m)
    assert m.per_appearance <= rows, str(m)
    assert m.status >= status, str(m)
    assert m.silent_rows <= silent, str(m)
