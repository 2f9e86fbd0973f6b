"""trace on the corpus gold (../shared/corpus/gold/recurrence-dev.json): each concern's
label exactly as written is the input, measured as ../shared/tools/measure_lineage.py
measures it (and as the tool is measured on other authorities' held-out chains).

The issue's targets are recall >= 0.9, rows <= 3x the appearances, status right for >= 85%
of the later appearances found, and no row from a document the gold lists as silent.  The
floors asserted here are those targets; the tool reaches recall 102/113 = 0.90, rows 2.65x,
status 74/83 = 0.89 and no row from a silent document on the dev gold (docs/accuracy.md),
so no exception is needed.  Of the 11 appearances it misses, 5 are sentences without a
polarity cue, which extraction does not make findings at all (out of reach of trace).
"""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
from pathlib import Path

import pytest

from ofsted_kg.graph_builder.pipeline import build
from ofsted_kg.queries.trace import trace
from ofsted_kg.store import Store, open_store

pytestmark = pytest.mark.corpus

RECALL_FLOOR = 0.9
ROWS_CEILING = 3.0
STATUS_FLOOR = 0.85
SILENT_ALLOWANCE = 0  # no justified exception needed today; name each one here if any
EXPECT = {"repeated": "persisting", "persisting": "persisting", "improving": "improving",
          "resolved": "resolved"}


def _norm(s: str) -> str:
    s = unicodedata.normalize("NFKC", s or "").replace("\u2019", "'").replace("\u2018", "'")
    s = re.sub(r"[\u2010-\u2015]", "-", s)
    s = re.sub(r"^[\s\-\u2022\u25aa\u25fc\uf06e\uf0b7\*\d\.\)]+", "", s)
    return re.sub(r"\s+", " ", s).strip().lower().rstrip(" .;:")


def _words(s: str) -> set[str]:
    return set(re.findall(r"[a-z]{3,}", _norm(s)))


def quotes_it(quote: str, text: str) -> bool:
    """The measure's rule: containment either way, or >= 60% of the words shared."""
    g, n = _norm(quote), _norm(text)
    if len(n) > 25 and (n in g or g[:80] in n):
        return True
    gw, tw = _words(quote), _words(text)
    return bool(gw and tw and len(gw & tw) / len(gw | tw) >= 0.6)


@pytest.fixture(scope="module")
def gold(corpus_dir: Path) -> dict:
    path = corpus_dir / "gold" / "recurrence-dev.json"
    if not path.exists():
        pytest.skip("no gold chains in this corpus")
    return json.loads(path.read_text(encoding="utf-8"))["authorities"]


@pytest.fixture(scope="module")
def gold_store(gold: dict, corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Store:
    inp = tmp_path_factory.mktemp("gold-in")
    for la in gold:
        for part in ("ofsted-ilacs", "focused-visits"):
            for folder in (corpus_dir / part / "reports").glob("*"):
                if folder.name.split("_", 1)[-1].lower() == la.lower():
                    shutil.copytree(folder, inp / folder.name, dirs_exist_ok=True)
    path = tmp_path_factory.mktemp("gold-store") / "store"
    build([inp], store=path, jobs=2)
    st = open_store(path, read_only=True)
    yield st
    st.close()


def test_trace_on_the_gold_chains(gold: dict, gold_store: Store) -> None:
    found = total = rows = st_ok = st_all = silent_rows = 0
    for la, a in gold.items():
        for c in a["concerns"]:
            res = trace(gold_store, c["label"], authority=la)
            rows += len(res.rows)
            for i, app in enumerate(c["appearances"]):
                total += 1
                hit = [r for r in res.rows if any(quotes_it(q, r["text"]) for q in app["quotes"])]
                if not hit:
                    continue
                found += 1
                if i and app["role"] in EXPECT:
                    st_all += 1
                    st_ok += any(r["status"] == EXPECT[app["role"]] for r in hit)
            silent = set(c.get("silent_in") or [])
            silent_rows += sum(1 for r in res.rows if Path(r["file"]).name in silent)
            # the lineage is in date order and its first document raised the concern
            assert [s["date"] for s in res.steps] == sorted(s["date"] for s in res.steps)
            assert res.steps and res.steps[0]["status"] == "raised"
    recall, per, status = found / total, rows / total, st_ok / max(st_all, 1)
    assert recall >= RECALL_FLOOR, (recall, per, status, silent_rows)
    assert per <= ROWS_CEILING, (recall, per, status, silent_rows)
    assert status >= STATUS_FLOOR, (recall, per, status, silent_rows)
    assert silent_rows <= SILENT_ALLOWANCE, (recall, per, status, silent_rows)


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
