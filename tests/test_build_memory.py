"""The build's parent process keeps flat memory: an outcome is dropped once written."""

from __future__ import annotations

import gc
from pathlib import Path

from ofsted_kg.graph_builder.pool import _IN_FLIGHT, _Outcome, _outcomes

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def test_the_pool_forgets_each_outcome_once_yielded() -> None:
    files = [str(p) for p in sorted(SAMPLES.glob("*.txt"))] * 8  # 40 documents
    jobs = 2
    gc.collect()
    before = {id(o) for o in gc.get_objects() if isinstance(o, _Outcome)}  # other tests'
    live = []
    for out in _outcomes(files, jobs):
        assert out.error is None and out.nquads and out.triples
        del out
        gc.collect()
        live.append(sum(1 for o in gc.get_objects()
                        if isinstance(o, _Outcome) and id(o) not in before))
    # only futures in flight, and those finished in the same wait not yet yielded, hold an
    # outcome; before, every future was kept, and with it every document's N-Triples
    # (~2 MB a report)
    assert max(live) <= 2 * _IN_FLIGHT * jobs < len(files) - 16, live
