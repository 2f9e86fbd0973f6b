"""``analyse recurring`` and ``analyse themes`` read a few single-predicate scans and join
them in Python; they must give exactly what the slow SPARQL derivation gave
(tests/analyse_reference.py), on the fixture graph and on the real corpus."""

from __future__ import annotations

import pytest

import analyse_reference as slow
from fixturegraph import fixture_store
from ofsted_kg import analyse as fast
from ofsted_kg.store import Store

CASES = [dict(min_documents=1), dict(min_documents=2), dict(min_documents=3),
         dict(min_documents=1, specific_only=False)]


def _same(store: Store, authorities: list[str]) -> int:
    """Compare every case; return how many rows were compared (so a test can insist
    that the comparison was not of two empty answers)."""
    compared = 0
    for kw in CASES:
        got = [r.to_dict() for r in fast.recurring(store, **kw)]
        want = [r.to_dict() for r in slow.recurring(store, **kw)]
        assert got == want, kw
        compared += len(want)
        assert fast.themes(store, **kw).to_dict() == slow.themes(store, **kw).to_dict(), kw
        assert fast.themes(store, **kw).rows() == slow.themes(store, **kw).rows(), kw
    for a in authorities:
        got = [r.to_dict() for r in fast.recurring(store, min_documents=1, authority=a)]
        assert got == [r.to_dict() for r in slow.recurring(store, min_documents=1, authority=a)]
        assert got and {r["authority_name"] for r in got} == {a}
    return compared


def test_fast_path_equals_slow_derivation_on_the_fixture() -> None:
    store = fixture_store()
    assert _same(store, ["Sefton"]) > 0
    summary = fast.themes(store, min_documents=1)
    assert summary.shared and summary.concerns


@pytest.mark.corpus
def test_fast_path_equals_slow_derivation_on_the_corpus(corpus_store: Store) -> None:
    assert _same(corpus_store, ["Knowsley", "Bradford"]) > 100
    rows = fast.recurring(corpus_store, min_documents=3)
    assert any(r.chain >= 3 and r.still_open for r in rows)
    assert any(r.last_status in ("improving", "resolved") for r in
               fast.recurring(corpus_store, min_documents=2))


def _rich_table(title: str, cols: list[str], cells: list[list[str]]) -> str:
    import io

    from rich.console import Console
    from rich.table import Table

    t = Table(title=title)
    for c in cols:
        t.add_column(c, overflow="fold", max_width=60)
    for row in cells:
        t.add_row(*row)
    out = io.StringIO()
    Console(file=out, width=200).print(t)
    return out.getvalue()


def test_plain_table_is_what_rich_draws() -> None:
    """The analyse commands write their table directly when rich would not wrap it
    (~0.5 s saved on 600 rows); it must be the very text rich writes."""
    import random

    from ofsted_kg.cli.analysing import _plain_table

    rnd = random.Random(15)
    alphabet = "abcdefghijklmnopqrstuvwxyz ABC-'&,.()0123456789"
    drawn = 0
    for _ in range(300):
        cols = ["".join(rnd.choices(alphabet, k=rnd.randint(1, 12))).strip() or "x"
                for _ in range(rnd.randint(1, 9))]
        cells = [["".join(rnd.choices(alphabet, k=rnd.randint(0, rnd.choice([5, 20, 70]))))
                  for _ in cols] for _ in range(rnd.randint(0, 6))]
        title = "".join(rnd.choices(alphabet, k=rnd.randint(0, 70)))
        mine = _plain_table(title, cols, cells)
        if mine is not None:
            assert mine == _rich_table(title, cols, cells), (title, cols, cells)
            drawn += 1
    assert drawn > 50
    assert _plain_table("t", ["a"], [["x" * 61]]) is None  # rich would fold it
    assert _plain_table("t", ["a"], [["caf\u00e9"]]) is None
