"""The build's parent process keeps flat memory: an outcome is dropped once written."""

from __future__ import annotations

import gc
from pathlib import Path

from ofsted_kg.graph_builder.pipeline import _IN_FLIGHT, _outcomes, _Outcome

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def test_the_pool_forgets_each_outcome_once_yielded() -> None:
    files = [str(p) for p in sorted(SAMPLES.glob("*.txt"))] * 5  # 25 documents
    jobs = 2
    live = []
    for out in _outcomes(files, jobs):
        assert out.error is None and out.ntriples
        del out
        gc.collect()
        live.append(sum(1 for o in gc.get_objects() if isinstance(o, _Outcome)))
    # at most the finished futures still in flight hold an outcome; before, every future
    # was kept, and with it every document's N-Triples (~2 MB a report)
    assert max(live) <= _IN_FLIGHT * jobs < len(files), live
