"""Re-runs: same inputs -> same graph; changed files replace; removed files can be dropped;
a crashing worker costs only its file."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Self

import pytest
import rdflib
from rdflib.compare import isomorphic

from ofsted_kg.graph_builder.pipeline import build
from ofsted_kg.graph_builder.pool import _Outcome, _outcomes, _work
from ofsted_kg.graph_builder.removal import remove
from ofsted_kg.store import Store, report_graph

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
REPORTS = ROOT / "tests" / "data" / "reports"
CLI = [sys.executable, "-c", "from ofsted_kg.cli import main; main()"]


def as_graph(st: Store) -> rdflib.Graph:
    """All quads as triples of one graph (graph name folded in) for isomorphism."""
    g = rdflib.Graph()
    nt = "".join(f"{q.subject} {q.predicate} {q.object} .\n" for q in st.quads()
                 if "/graph/manifest" not in str(q.graph_name))
    g.parse(data=nt, format="nt")
    return g


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("in")
    for f in ("sefton-2024-monitoring-visit.txt", "wirral-2024-focused-visit.txt",
              "knowsley-2024-focused-visit.txt"):
        shutil.copy(SAMPLES / f, d / f)
    shutil.copy(REPORTS / "southwark-2022-ilacs-short.pdf", d / "southwark.pdf")
    return d



def test_documents_of_another_graph_model_are_rebuilt(inputs: Path, tmp_path: Path) -> None:
    """A store written by an earlier version of the graph model (or before the version was
    written) is brought up to date by the next plain build: those documents are rebuilt,
    the others skipped, and the store is then the one a fresh build makes."""
    from ofsted_kg.graph_builder.rdf import GRAPH_MODEL
    from ofsted_kg.ontology.namespaces import OKG

    fresh = build([inputs], store=tmp_path / "fresh", jobs=1)
    old = build([inputs], store=tmp_path / "old", jobs=1)
    assert fresh.ok and old.ok
    with Store(tmp_path / "old") as st:
        docs = st.documents()
        assert {d.graph_model for d in docs} == {GRAPH_MODEL}
        older, unversioned = docs[0], docs[1]
        m, g1, g2 = f"<{OKG.graphModel}>", f"<{older.graph}>", f"<{unversioned.graph}>"
        st._raw().update(  # what an earlier version left: another model, and none
            f"DELETE {{ GRAPH {g1} {{ ?r {m} ?v }} }} INSERT {{ GRAPH {g1} {{ ?r {m} "
            f"{GRAPH_MODEL - 1} }} }} WHERE {{ GRAPH {g1} {{ ?r {m} ?v }} }} ; "
            f"DELETE WHERE {{ GRAPH {g2} {{ ?r {m} ?v }} }}")
        assert sorted(d.graph_model or 0 for d in st.documents()) == [0, GRAPH_MODEL - 1, GRAPH_MODEL,
                                                                      GRAPH_MODEL]
    again = build([inputs], store=tmp_path / "old", jobs=1)
    assert again.ok and again.built == 2 and again.outdated == 2 and again.skipped == 2
    with Store(tmp_path / "old", read_only=True) as so, \
            Store(tmp_path / "fresh", read_only=True) as sf:
        assert {d.graph_model for d in so.documents()} == {GRAPH_MODEL}
        assert isomorphic(as_graph(so), as_graph(sf))
    assert build([inputs], store=tmp_path / "old", jobs=1).built == 0

def test_same_inputs_twice_give_an_isomorphic_graph(inputs: Path, tmp_path: Path) -> None:
    a = build([inputs], store=tmp_path / "a", jobs=2)
    b = build([inputs], store=tmp_path / "b", jobs=1)
    assert a.ok and b.ok and a.built == b.built == 4
    again = build([inputs], store=tmp_path / "a", jobs=2)
    assert again.built == 0 and again.skipped == 4 and again.store_quads == a.store_quads
    one = inputs / "sefton-2024-monitoring-visit.txt"
    forced = build([one], store=tmp_path / "a", jobs=1, force=True)
    assert forced.built == 1 and forced.store_quads == a.store_quads
    with Store(tmp_path / "a", read_only=True) as sa, Store(tmp_path / "b", read_only=True) as sb:
        assert sa.count() == sb.count() == a.store_quads == b.store_quads
        for g in {str(q.graph_name.value) for q in sa.quads()}:
            ga = {str(q) for q in sa.quads(g)}
            assert ga == {str(q) for q in sb.quads(g)}, g
        assert isomorphic(as_graph(sa), as_graph(sb))


def test_changed_file_replaces_its_document(inputs: Path, tmp_path: Path) -> None:
    d = tmp_path / "in"
    shutil.copytree(inputs, d)
    store = tmp_path / "s"
    build([d], store=store, jobs=1)
    f = d / "wirral-2024-focused-visit.txt"
    with Store(store, read_only=True) as st:
        before = {x.sha256: x for x in st.documents()}
        old = next(x for x in before.values() if x.path == str(f))
        n_before = st.count()
    f.write_text(f.read_text() + "\nA late correction to the letter.\n")
    s = build([d], store=store, jobs=1)
    assert s.built == 1 and s.skipped == 3
    with Store(store, read_only=True) as st:
        after = {x.sha256: x for x in st.documents()}
        assert len(after) == len(before)
        assert old.sha256 not in after and st.count(old.graph) == 0
        new = next(x for x in after.values() if x.path == str(f))
        assert st.count(new.graph) > 100
        # only the letter's own graph changed: the rest of the store is as it was, +-1
        # triple (the changed character count / sha) -- the counts stay close
        assert abs(st.count() - n_before) < 50


def test_identical_copies_share_a_document_and_remove(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "sub" / "b.txt"
    b.parent.mkdir()
    shutil.copy(SAMPLES / "knowsley-2024-focused-visit.txt", a)
    shutil.copy(a, b)
    store = tmp_path / "s"
    s = build([a, b], store=store, jobs=1)
    assert s.built == 1 and s.skipped == 1
    with Store(store, read_only=True) as st:
        [doc] = st.documents()
        assert doc.paths == (str(a), str(b))
    r = remove([a], store=store)
    assert r.removed == [] and r.unlinked == [str(a)]
    with Store(store, read_only=True) as st:
        assert [x.paths for x in st.documents()] == [(str(b),)]
    r = remove([tmp_path / "sub"], store=store)  # a folder: everything under it
    assert r.removed == [str(b)]
    with Store(store, read_only=True) as st:
        assert st.documents() == []
        # nothing of the report is left; its authority's links graph is gone too
        rows = st.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", union=False)
        assert not [r for r in rows if "/report/" in r["g"] or "/links/" in r["g"]]


def test_file_changed_back_to_a_stored_version(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    shutil.copy(SAMPLES / "knowsley-2024-focused-visit.txt", a)
    shutil.copy(SAMPLES / "wirral-2024-focused-visit.txt", b)
    store = tmp_path / "s"
    build([a, b], store=store, jobs=1)
    shutil.copy(a, b)  # b now holds a's text: b's old document goes, a's gains a path
    s = build([a, b], store=store, jobs=1)
    assert s.built == 0 and s.skipped == 2
    with Store(store, read_only=True) as st:
        assert [x.paths for x in st.documents()] == [(str(a), str(b))]


def test_remove_missing_through_the_cli(tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    for f in ("wirral-2024-focused-visit.txt", "knowsley-2024-focused-visit.txt"):
        shutil.copy(SAMPLES / f, d / f)
    store = tmp_path / "s"
    build([d], store=store, jobs=1)
    (d / "wirral-2024-focused-visit.txt").unlink()
    res = subprocess.run([*CLI, "remove", "--missing", "--store", str(store), "--format",
                          "json"], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["removed"] == [str(d / "wirral-2024-facused-visit.txt"
                                                     .replace("facused", "focused"))]
    with Store(store, read_only=True) as st:
        assert [x.path for x in st.documents()] == [str(d / "knowsley-2024-focused-visit.txt")]
    res = subprocess.run([*CLI, "remove", str(d / "never-built.pdf"), "--store", str(store)],
                         capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert res.returncode == 1 and f"{d / 'never-built.pdf'}: not in the store" in res.stderr
    res = subprocess.run([*CLI, "remove", "--store", str(store)], capture_output=True,
                         text=True, timeout=60, cwd=ROOT)
    assert res.returncode == 2  # usage: nothing to remove


def crashing_work(path: str) -> _Outcome:
    """A worker that dies like PDFium on a damaged file (module level: sent to workers)."""
    if path.endswith("crash.pdf"):
        os._exit(139)
    if Path(path).name.startswith("ok-"):
        return _Outcome(path, sha256="0" * 64, record={"path": path})
    return _work(path)


def test_a_crashing_worker_costs_only_its_file(tmp_path: Path) -> None:
    files = [str(tmp_path / f"ok-{i:02d}.txt") for i in range(14)]
    files.insert(1, str(tmp_path / "crash.pdf"))  # in flight when it dies; others not started
    files.append(str(SAMPLES / "wirral-2024-focused-visit.txt"))  # a real one, after it
    outs = list(_outcomes(files, 2, work=crashing_work))
    assert sorted(o.path for o in outs) == sorted(files)  # each exactly once
    bad = [o for o in outs if o.error]
    assert [(o.path, o.error) for o in bad] == [
        (str(tmp_path / "crash.pdf"), "the reader crashed on this file (damaged PDF?)")]
    assert all(o.record for o in outs if not o.error)


class _PoolThatBreaksOnce:
    """An executor that runs each file at once, except that its ``breaks_at``-th submit
    raises BrokenProcessPool (once per test): a worker that died while this process was
    handing out the next file, the race a real pool meets now and then."""

    calls = 0

    def __init__(self, breaks_at: int) -> None:
        self.breaks_at = breaks_at

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def submit(self, fn, path):  # type: ignore[no-untyped-def]
        from concurrent.futures import Future
        from concurrent.futures.process import BrokenProcessPool

        type(self).calls += 1
        if type(self).calls == self.breaks_at:
            raise BrokenProcessPool("a child process terminated abruptly")
        fut: Future[_Outcome] = Future()
        fut.set_result(fn(path))
        return fut


@pytest.mark.parametrize("breaks_at", [1, 3, 9, 10, 15])
def test_a_pool_broken_between_two_submits_loses_no_file(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, breaks_at: int) -> None:
    from ofsted_kg.graph_builder import pool

    _PoolThatBreaksOnce.calls = 0
    monkeypatch.setattr(pool, "worker_pool", lambda n: _PoolThatBreaksOnce(breaks_at))
    files = [str(tmp_path / f"ok-{i:02d}.txt") for i in range(14)]
    outs = list(_outcomes(files, 2, work=crashing_work))
    assert sorted(o.path for o in outs) == files  # each exactly once, none an error
    assert not [o for o in outs if o.error]


def hanging_work(path: str) -> _Outcome:
    """A worker that never returns on one file (module level: sent to workers)."""
    import time

    if path.endswith("hang.pdf"):
        time.sleep(600)
    return _Outcome(path, sha256="0" * 64, record={"path": path})


def test_a_hanging_read_is_given_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ofsted_kg.graph_builder import pool

    monkeypatch.setattr(pool, "FILE_TIMEOUT", 3.0)
    files = [str(tmp_path / "hang.pdf")] + [str(tmp_path / f"ok-{i}.txt") for i in range(6)]
    outs = list(_outcomes(files, 2, work=hanging_work))
    assert sorted(o.path for o in outs) == sorted(files)
    assert [(o.path, o.error) for o in outs if o.error] == [
        (str(tmp_path / "hang.pdf"), "reading took longer than 3 s (given up)")]


def test_build_into_given_store_object_and_summary(tmp_path: Path) -> None:
    st = Store(None)
    s = build([SAMPLES / "sefton-2024-monitoring-visit.txt"], store=st, jobs=1)
    assert s.built == 1 and s.relinked == 1 and s.to_dict()["failures"] == []
    [doc] = st.documents()
    assert st.count(report_graph(doc.sha256)) > 100


def test_the_fork_server_preload_builds_the_workers_tables() -> None:
    """Workers are forked from a server that imported the code and built the lazy tables
    once (pool.mp_context, graph_builder.preload); a worker then finds them built."""
    probe = ("'%d%d' % (__import__('ofsted_kg.graph_builder.themes', fromlist=['_index'])"
             "._index.cache_info().currsize, __import__('ofsted_kg.lineage.phrase', "
             "fromlist=['topic_themes']).topic_themes.cache_info().currsize)")
    code = ("from concurrent.futures import ProcessPoolExecutor\n"
            "from ofsted_kg.graph_builder.pool import mp_context\n"
            "ctx = mp_context()\n"
            "with ProcessPoolExecutor(1, mp_context=ctx) as pool:\n"
            f"    print(ctx.get_start_method(), pool.submit(eval, {probe!r}).result())\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    method, built = out.stdout.split()
    assert method == "forkserver" and built == "11", out.stdout  # (themes, visit topics)


def test_a_build_run_from_a_script_on_standard_input_starts_its_workers(tmp_path: Path) -> None:
    """Workers re-run the caller's main module from its file; a script read from standard
    input has none ("<stdin>"), and every file used to fail as a crashed read."""
    script = ("import json, sys, ofsted_kg\n"
              f"s = ofsted_kg.build([{str(SAMPLES)!r}], store={str(tmp_path / 's')!r}, jobs=2)\n"
              "print(json.dumps({'built': s.built, 'failures': [str(f) for f in s.failures],"
              " 'file': sys.modules['__main__'].__file__}))\n")
    out = subprocess.run([sys.executable, "-"], input=script, capture_output=True, text=True,
                         timeout=120, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got == {"built": 5, "failures": [], "file": "<stdin>"}, got


def test_the_links_state_a_build_keeps_is_the_stores(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A build reads what relinking needs before it writes and keeps it up to date with
    its writes (links.LinkState), so that the links are computed beside the last write:
    after each build -- new files, a changed file, a copy, a file changed back, a forced
    rebuild -- that state is what the store then says (reports per authority, stale
    authorities), and the links it wrote leave nothing stale."""
    from ofsted_kg.graph_builder import links, pipeline

    seen: list[tuple[bool, dict[str, set[str]], set[str]]] = []
    real = pipeline.relink_stale

    def check(st: Store, **kw: object) -> list[str]:
        state = kw["state"]
        assert isinstance(state, links.LinkState)
        seen.append((state.exact, {k: set(v) for k, v in state.current.items()},
                     state.stale()))
        read = links.authority_reports(st)
        assert state.current == dict(read)
        assert state.stale() == links.stale_authorities(st, current=read)
        return real(st, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "relink_stale", check)
    d = tmp_path / "in"
    d.mkdir()
    for f in ("wirral-2024-focused-visit.txt", "knowsley-2024-focused-visit.txt",
              "sefton-2024-monitoring-visit.txt"):
        shutil.copy(SAMPLES / f, d / f)
    store = tmp_path / "s"
    assert build([d], store=store, jobs=2).built == 3
    wirral = d / "wirral-2024-focused-visit.txt"
    wirral.write_text(wirral.read_text() + "\nA late correction to the letter.\n")
    shutil.copy(d / "knowsley-2024-focused-visit.txt", d / "copy.txt")
    assert build([d], store=store, jobs=2).built == 1
    shutil.copy(d / "knowsley-2024-focused-visit.txt", wirral)  # changed back to a stored text
    assert build([d], store=store, jobs=2).built == 0
    assert build([d / "copy.txt"], store=store, jobs=1, force=True).built == 1
    assert len(seen) == 4 and all(exact for exact, _, _ in seen)
    assert seen[0][2] == set(seen[0][1]) and len(seen[0][1]) == 3  # all three new
    assert seen[2][1] != seen[1][1]  # wirral's changed document left the store
    with Store(store, read_only=True) as st:
        assert links.stale_authorities(st) == set()


def test_links_state_keys_by_gss_code_and_gives_up_without_one() -> None:
    """LinkState keys a report by its authority's GSS code, as the store's reading does;
    of an authority without one, the store may spell the name otherwise in another
    report, so the state says it is no longer exact (the build then reads the store)."""
    from ofsted_kg.graph_builder.links import LinkState
    from ofsted_kg.ontology.namespaces import ID

    st = LinkState({"E08000014": {"a"}}, {"E08000014": "f"}, "d", vocab=None)  # type: ignore[arg-type]
    st.wrote("b", str(ID["authority/E08000014"]))
    st.wrote("a", str(ID["authority/E08000015"]))  # rebuilt, now read as another authority
    assert st.current == {"E08000014": {"b"}, "E08000015": {"a"}} and st.exact
    st.dropped(["b"])
    assert st.current == {"E08000015": {"a"}}
    assert st.stale() == {"E08000014", "E08000015"}  # a graph with no report left; a new one
    st.wrote("c", None)  # of no authority: not in any set
    assert st.exact
    st.wrote("d", str(ID["authority/name/somewhere"]))
    assert not st.exact
