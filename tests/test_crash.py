"""Transactions: ``ofsted-kg build`` SIGKILLed at several points loses nothing and leaves
no half-written document; a re-run completes the rest (links included)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ofsted_kg.graph_builder import links as links_mod
from ofsted_kg.graph_builder.pipeline import build
from ofsted_kg.store import Store, item_sha, latest_snapshot, links_graph, report_graph

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT / "tests" / "data" / "reports"
INPUTS = [ROOT / "samples", REPORTS / "southwark-2022-ilacs-short.pdf",
          REPORTS / "bcp-2022-ilacs-standard.pdf", REPORTS / "bradford-2018-ilacs-standard.pdf"]
CLI = [sys.executable, "-c", "from ofsted_kg.cli import main; main()"]


def graph_set(st: Store, graph: str) -> set[str]:
    return {f"{q.subject} {q.predicate} {q.object}" for q in st.quads(graph)}


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[str]]:
    """Each document's triples from one clean, uninterrupted build (and its duration)."""
    path = tmp_path_factory.mktemp("ref") / "store"
    t0 = time.perf_counter()
    proc = start_build(path)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    summary = json.loads(out)
    assert summary["built"] == 8
    with Store(path, read_only=True) as st:
        ref = {d.sha256: graph_set(st, d.graph) for d in st.documents()}
        ref["__links__"] = {g: graph_set(st, g) for g in _links_graphs(st)}  # type: ignore[assignment]
        ref["__count__"] = st.count()  # type: ignore[assignment]
    ref["__seconds__"] = time.perf_counter() - t0  # type: ignore[assignment]
    return ref


def _links_graphs(st: Store) -> list[str]:
    rows = st.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", union=False)
    return sorted(str(r["g"]) for r in rows if str(r["g"]).startswith(links_graph("")))


def check_complete(st: Store, ref: dict[str, set[str]]) -> int:
    """Every document in ``st`` is exactly its reference; no stray report graph."""
    docs = st.documents()
    for d in docs:
        assert d.sha256 in ref, d
        assert graph_set(st, d.graph) == ref[d.sha256], f"document {d.path} is incomplete"
        assert d.paths, f"document {d.sha256} has no source path in the manifest"
    rows = st.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", union=False)
    report_graphs = {str(r["g"]) for r in rows if str(r["g"]).startswith(report_graph(""))}
    assert report_graphs == {d.graph for d in docs}
    # no stray item (the store keeps the items in the default graph) of a document the
    # store does not hold: the kill may have split one anywhere
    import pyoxigraph as ox
    shas = {item_sha(q.subject.value) for q in st.oxigraph.quads_for_pattern(
        None, None, None, ox.DefaultGraph())}
    assert shas <= {d.sha256 for d in docs}, "items of a document not in the store"
    return len(docs)


def start_build(store: Path) -> subprocess.Popen[str]:
    # each document written on its own (not batched) so that kills land between them
    env = {**os.environ, "OFSTED_KG_BATCH_QUADS": "1"}
    return subprocess.Popen([*CLI, "build", *map(str, INPUTS), "--store", str(store),
                             "-j", "2", "--format", "json"], cwd=ROOT, text=True, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)


def kill_group(proc: subprocess.Popen[str]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # the build and its worker processes
    except ProcessLookupError:
        pass
    proc.communicate(timeout=30)


def kill_after(store: Path, delay: float, ref: dict[str, set[str]]) -> tuple[int, bool]:
    """Start a build into ``store``, SIGKILL it after ``delay`` seconds; the store opens
    (not corrupt, not left locked) and holds only whole documents, for the writer and
    for readers.  Returns the documents it holds and whether the build had finished."""
    proc = start_build(store)
    time.sleep(delay)
    finished = proc.poll() is not None
    kill_group(proc)
    with Store(store) as st:
        n = check_complete(st, ref)
    with Store(store, read_only=True) as ro:  # readers' snapshot is consistent too
        check_complete(ro, ref)
    return n, finished


def test_sigkill_at_several_points_then_rerun_completes(
        reference: dict[str, set[str]], tmp_path: Path) -> None:
    total = len([k for k in reference if not k.startswith("__")])
    assert total == 8
    whole: float = reference["__seconds__"]  # type: ignore[assignment]
    # killed early (opening the store, loading the vocabulary)
    assert kill_after(tmp_path / "early", 0.1 * whole, reference)[0] < total
    # then while documents are being written: the moment is searched for (halving the
    # interval), each try on a fresh store, as the documents land in a window of the
    # build whose place depends on the machine's speed and load
    lo, hi, store, n = 0.0, 1.5 * whole, None, 0
    for k in range(10):
        delay = (lo + hi) / 2
        n, finished = kill_after(tmp_path / f"try{k}", delay, reference)
        if 0 < n < total:
            store = tmp_path / f"try{k}"
            break
        lo, hi = (delay, hi) if n == 0 and not finished else (lo, delay)
    assert store is not None, f"no kill landed mid-build (last: {n} of {total} at {delay:.2f} s)"
    # killed again, on the store it left: never loses a document
    again, _ = kill_after(store, delay, reference)
    assert again >= n
    res = subprocess.run([*CLI, "build", *map(str, INPUTS), "--store", str(store),
                          "--format", "json"], cwd=ROOT, text=True, capture_output=True,
                         timeout=120)
    assert res.returncode == 0, res.stderr
    summary = json.loads(res.stdout)
    assert summary["built"] + summary["skipped"] == total
    with Store(store, read_only=True) as st:
        assert check_complete(st, reference) == total
        assert {g: graph_set(st, g) for g in _links_graphs(st)} == reference["__links__"]
        assert st.count() == reference["__count__"]
    snaps = [p for p in (store / "snapshots").iterdir() if p.is_dir()]
    assert snaps == [latest_snapshot(store)]  # interrupted snapshots were cleaned up


def test_links_recomputed_after_a_kill_before_relinking(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build that dies after writing documents but before relinking is repaired by the
    next run, even though every file is then unchanged (skipped)."""
    calls: list[list[str]] = []
    real = links_mod.relink

    def dying(store: Store, keys: object, **kw: object) -> None:
        raise KeyboardInterrupt("killed before relinking")

    monkeypatch.setattr(links_mod, "relink", dying)
    with pytest.raises(KeyboardInterrupt):
        build([ROOT / "samples"], store=tmp_path / "s", jobs=1)

    def recording(store: Store, keys: object, **kw: object) -> None:
        calls.append(sorted(keys))  # type: ignore[arg-type]
        real(store, keys, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(links_mod, "relink", recording)
    s = build([ROOT / "samples"], store=tmp_path / "s", jobs=1)
    assert s.built == 0 and s.skipped == 5
    assert calls == [["E08000011", "E08000014", "E08000015"]]  # Knowsley, Sefton, Wirral
    assert s.relinked == 3
    # and now it is up to date: a third run relinks nothing
    s3 = build([ROOT / "samples"], store=tmp_path / "s", jobs=1)
    assert s3.relinked == 0 and calls == [["E08000011", "E08000014", "E08000015"]]
    with Store(tmp_path / "s", read_only=True) as st:
        assert links_mod.stale_authorities(st) == set()
        assert _links_graphs(st) == [links_graph(k) for k in
                                     ("E08000011", "E08000014", "E08000015")]
