"""The store: atomic writes, the writer lock, snapshots for readers, concurrent use."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from ofsted_kg.errors import StoreError, StoreLockedError
from ofsted_kg.store import (
    JOURNAL_GRAPH,
    MANIFEST_GRAPH,
    SNAPSHOTS,
    Store,
    _Background,
    latest_snapshot,
    open_store,
    report_graph,
    report_iri,
)

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
REPORTS = ROOT / "tests" / "data" / "reports"
CLI = [sys.executable, "-c", "from ofsted_kg.cli import main; main()"]

G = report_graph("a" * 64)
NT = '<https://example.org/s> <https://example.org/p> "one" .\n'


def test_replace_graph_is_all_or_nothing() -> None:
    st = Store(None)
    st.replace_graphs(G, NT, manifest={report_iri("a" * 64): "/x/a.txt"})
    bad = NT + '<https://example.org/s> <https://example.org/p> "unterminated .\n'
    with pytest.raises(StoreError):
        st.replace_graphs(G, bad, manifest={report_iri("a" * 64): "/x/other.txt"})
    # neither the drop of the old graph nor the new manifest happened
    assert st.count(G) == 1
    paths = st.select(f"SELECT ?p WHERE {{ GRAPH <{MANIFEST_GRAPH}> {{ ?r ?x ?p }} }}")
    assert [r["p"] for r in paths] == ["/x/a.txt"]


def test_new_graph_with_bad_data_leaves_nothing_behind(tmp_path: Path) -> None:
    # a new graph takes the bulk-load path: not transactional, so journalled and undone
    bad = NT * 50 + '<https://example.org/s> <https://example.org/p> "unterminated .\n'
    with Store(tmp_path / "s") as st:
        with pytest.raises(StoreError, match="writing graph"):
            st.replace_graphs(G, bad, manifest={report_iri("a" * 64): "/x/a.txt"})
        assert st.count() == 0  # no partial graph, no manifest entry, no journal entry
        st.replace_graphs(G, NT, manifest={report_iri("a" * 64): "/x/a.txt"})
        assert st.count(G) == 1 and st.count(JOURNAL_GRAPH) == 0


def test_batched_new_graphs_are_written_before_any_read_and_on_close(tmp_path: Path) -> None:
    gb = report_graph("b" * 64)
    with Store(tmp_path / "s") as st:
        st.replace_graphs(G, NT, manifest={report_iri("a" * 64): "/x/a"}, batch=True)
        st.replace_graphs(gb, NT, manifest={report_iri("b" * 64): "/x/b"}, batch=True)
        assert st._pending  # held back...
        assert st.count(G) == 1 and st.count(gb) == 1  # ...until read
        assert not st._pending and st.count(JOURNAL_GRAPH) == 0
        st.replace_graphs(report_graph("c" * 64), NT, batch=True)
    with Store(tmp_path / "s") as st:  # closing wrote the last one
        assert st.count(report_graph("c" * 64)) == 1


def test_a_bad_graph_in_a_batch_leaves_none_of_the_batch(tmp_path: Path) -> None:
    bad = NT + '<https://example.org/s> <https://example.org/p> "unterminated .\n'
    with Store(tmp_path / "s") as st:
        st.replace_graphs(report_graph("b" * 64), NT, manifest={report_iri("b" * 64): "/x/b"},
                          batch=True)
        st.replace_graphs(G, bad, manifest={report_iri("a" * 64): "/x/a"}, batch=True)
        with pytest.raises(StoreError, match="writing 2 graphs"):
            st.count()
        assert st.count() == 0


def test_interrupted_bulk_load_is_undone_when_next_opened(tmp_path: Path) -> None:
    import pyoxigraph as ox

    with Store(tmp_path / "s") as st:
        st.replace_graphs(report_graph("b" * 64), NT, manifest={report_iri("b" * 64): "/x/b"})
        # what a process killed mid-load leaves: the journal entry, part of the graph and
        # its manifest entry
        st.oxigraph.add(ox.Quad(ox.NamedNode(G), ox.NamedNode("https://w3id.org/ofsted-kg/store#loading"),
                                ox.NamedNode(G), ox.NamedNode(JOURNAL_GRAPH)))
        st.oxigraph.add(ox.Quad(ox.NamedNode("https://example.org/s"),
                                ox.NamedNode("https://example.org/p"), ox.Literal("half"),
                                ox.NamedNode(G)))
        st.oxigraph.add(ox.Quad(ox.NamedNode(report_iri("a" * 64)),
                                ox.NamedNode("https://w3id.org/ofsted-kg/ontology#localPath"),
                                ox.Literal("/x/a"), ox.NamedNode(MANIFEST_GRAPH)))
        # and part of one of its items, in the default graph, without its oa:hasSource
        st.oxigraph.add(ox.Quad(ox.NamedNode(f"{FINDING}{'a' * 64}/7/quote"),
                                ox.NamedNode("http://www.w3.org/ns/oa#exact"),
                                ox.Literal("half an item"), ox.DefaultGraph()))
        st.replace_graphs(report_graph("b" * 64), _doc("b"))  # another document's items
    with Store(tmp_path / "s") as st:
        assert st.count(G) == 0 and st.count(JOURNAL_GRAPH) == 0
        assert st.count(report_graph("b" * 64)) == len(_doc("b").splitlines())
        assert {q.subject.value for q in st.oxigraph.quads_for_pattern(
            None, None, None, ox.DefaultGraph())} == {f"{FINDING}{'b' * 64}/1",
                                                      f"{FINDING}{'b' * 64}/1/quote"}
        paths = st.select(f"SELECT ?p WHERE {{ GRAPH <{MANIFEST_GRAPH}> {{ ?r ?x ?p }} }}")
        assert [r["p"] for r in paths] == ["/x/b"]


FINDING = "https://w3id.org/ofsted-kg/id/finding/"


def _doc(c: str, text: str = "one") -> str:
    """N-Triples of a tiny document ``c * 64``: its report, one finding and its quote."""
    sha = c * 64
    rep, item = f"<{report_iri(sha)}>", f"<{FINDING}{sha}/1>"
    return (f"{rep} <https://w3id.org/ofsted-kg/ontology#sha256> \"{sha}\" .\n"
            f"{item} <http://www.w3.org/ns/oa#hasSource> {rep} .\n"
            f"{item} <http://www.w3.org/ns/oa#hasSelector> <{FINDING}{sha}/1/quote> .\n"
            f"<{FINDING}{sha}/1/quote> <http://www.w3.org/ns/oa#exact> \"{text}\" .\n")


@pytest.mark.parametrize("on_disk", [False, True])
def test_a_documents_items_are_kept_in_the_default_graph_and_replaced_with_it(
        tmp_path: Path, on_disk: bool) -> None:
    import pyoxigraph as ox

    ga, gb = report_graph("a" * 64), report_graph("b" * 64)
    with Store(tmp_path / "s" if on_disk else None) as st:
        st.replace_graphs(ga, _doc("a"), manifest={report_iri("a" * 64): "/x/a"})
        st.replace_graphs(gb, _doc("b"), manifest={report_iri("b" * 64): "/x/b"})

        def layout() -> dict[str, set[str]]:
            out: dict[str, set[str]] = {}
            for q in st.oxigraph:
                g = "" if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name.value
                out.setdefault(g, set()).add(q.subject.value)
            return out

        # the report in its graph, the finding and its quote in the default graph
        got = layout()
        assert got[ga] == {report_iri("a" * 64)}
        assert got[""] == {f"{FINDING}{c * 64}/1{q}" for c in "ab" for q in ("", "/quote")}
        # read back, each document is one graph with its items, as written
        assert {str(q.graph_name.value) for q in st.quads(ga)} == {ga}
        assert st.count(ga) == 4 and st.count() == 4 + 4 + 2
        assert sorted(f"{q.subject} {q.predicate} {q.object} .\n" for q in st.quads(ga)) == \
            sorted(_doc("a").splitlines(keepends=True))
        assert {q.graph_name.value for q in st.quads()} == {ga, gb, MANIFEST_GRAPH}
        # replaced: the old items go with the old graph; the other document's stay
        st.replace_graphs(ga, _doc("a", "two"))
        texts = {r["t"] for r in st.select("SELECT ?t WHERE { ?q oa:exact ?t }")}
        assert texts == {"one", "two"} and st.count(ga) == 4
        # a document dropped takes its items (and nothing else) with it
        st.drop_graphs([ga], reports=[report_iri("a" * 64)])
        assert layout()[""] == {f"{FINDING}{'b' * 64}/1{q}" for q in ("", "/quote")}
        assert st.count() == 4 + 1


def test_manifest_holds_every_path_of_identical_copies() -> None:
    st = Store(None)
    st.replace_graphs(G, NT.replace("<https://example.org/s>",
                                    f"<{report_iri('a' * 64)}>").replace(
        "<https://example.org/p> \"one\"",
        "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        "<https://w3id.org/ofsted-kg/ontology#Report>") +
        f'<{report_iri("a" * 64)}> <https://w3id.org/ofsted-kg/ontology#sha256> "{"a" * 64}" .\n',
        manifest={report_iri("a" * 64): ["/x/b.txt", "/x/a.txt"]})
    [doc] = st.documents()
    assert doc.paths == ("/x/a.txt", "/x/b.txt") and doc.path == "/x/a.txt"
    st.update_manifest({report_iri("a" * 64): ["/x/b.txt"]})
    assert st.documents()[0].paths == ("/x/b.txt",)
    st.drop_graphs([G])
    assert st.documents() == [] and st.count() == 0


def test_store_path_that_is_a_file_or_missing(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    with pytest.raises(StoreError, match="not a store directory"):
        Store(tmp_path / "f")
    with pytest.raises(StoreError, match="no store at"):
        Store(tmp_path / "none", read_only=True)
    st = Store(tmp_path / "s")
    st.close()
    ro = Store(tmp_path / "s", read_only=True)
    with pytest.raises(StoreError, match="read-only"):
        ro.replace_graphs(G, NT)
    ro.close()


def test_second_writer_fails_fast_with_the_pid(tmp_path: Path) -> None:
    import os

    store = tmp_path / "s"
    with open_store(store):
        with pytest.raises(StoreLockedError, match=f"is in use by process {os.getpid()}"):
            Store(store)
        t0 = time.perf_counter()
        res = subprocess.run([*CLI, "build", str(SAMPLES), "--store", str(store)],
                             capture_output=True, text=True, timeout=60, cwd=ROOT)
        assert time.perf_counter() - t0 < 20
        assert res.returncode == 1
        assert f"store {store} is in use by process {os.getpid()}" in res.stderr
        # the refused writer left nothing behind
        assert not (store / SNAPSHOTS).exists() or latest_snapshot(store) is not None


def test_wait_option_waits_for_the_writer(tmp_path: Path) -> None:
    store = tmp_path / "s"
    holder = open_store(store)
    proc = subprocess.Popen([*CLI, "build", str(SAMPLES / "wirral-2024-focused-visit.txt"),
                             "--store", str(store), "--wait", "-j", "1", "--format", "json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    time.sleep(1.5)
    assert proc.poll() is None  # still waiting
    holder.close()
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert json.loads(out)["built"] == 1


def test_snapshots_are_not_deleted_under_a_reader(tmp_path: Path) -> None:
    store = tmp_path / "s"
    with open_store(store) as st:
        st.replace_graphs(G, NT)
    reader = Store(store, read_only=True)
    held = reader.snapshot
    assert held is not None and reader.count(G) == 1
    with open_store(store) as st:
        st.replace_graphs(G, NT + NT.replace("one", "two"))
        st.publish()
        st.publish()
    assert held.is_dir() and latest_snapshot(store) != held  # kept while read
    assert reader.count(G) == 1  # the reader's view is stable
    with Store(store, read_only=True) as fresh:
        assert fresh.count(G) == 2
    reader.close()
    with open_store(store) as st:
        st.publish()
    assert not held.exists()  # collected once released
    assert [p for p in (store / SNAPSHOTS).iterdir() if p.is_dir()] == [latest_snapshot(store)]


def test_store_without_snapshot_is_published_on_first_read(tmp_path: Path) -> None:
    """A store written by an older version (no snapshots/) opens read-only."""
    import shutil

    store = tmp_path / "s"
    with open_store(store) as st:
        st.replace_graphs(G, NT)
    shutil.rmtree(store / SNAPSHOTS)
    with Store(store, read_only=True) as ro:
        assert ro.count(G) == 1


READER = textwrap.dedent("""
    import json, sys, time
    from ofsted_kg.store import Store
    store, until = sys.argv[1], float(sys.argv[2])
    held = Store(store, read_only=True)          # a long-lived reader: keeps its snapshot
    first = held.count()
    out = []
    while time.time() < until:
        with Store(store, read_only=True) as st:  # a fresh reader: latest snapshot
            docs = st.documents()
            # every document it sees is complete: its report node and its sha are there
            for d in docs:
                assert st.count(d.graph) > 100, d
            out.append(len(docs))
        assert held.count() == first
        time.sleep(0.05)
    held.close()
    print(json.dumps(out))
""")


def test_readers_keep_working_during_a_build(tmp_path: Path) -> None:
    store = tmp_path / "s"
    with open_store(store):
        pass  # an empty, published store
    # publish after every document (default: every 2 s) so that even a fast machine
    # shows the reader intermediate states
    every_doc = [sys.executable, "-c", "import ofsted_kg.graph_builder.pipeline as p; "
                 "p.PUBLISH_EVERY = 0; from ofsted_kg.cli import main; main()"]
    build = subprocess.Popen([*every_doc, "build", str(SAMPLES), str(REPORTS / "bcp-2022-ilacs-standard.pdf"),
                              str(REPORTS / "southwark-2022-ilacs-short.pdf"),
                              "--store", str(store), "-j", "2", "--format", "json"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    reader = subprocess.run([sys.executable, "-c", READER, str(store), str(time.time() + 6)],
                            capture_output=True, text=True, timeout=120, cwd=ROOT)
    out, err = build.communicate(timeout=120)
    assert build.returncode == 0, err
    assert reader.returncode == 0, reader.stderr
    counts = json.loads(reader.stdout)
    assert len(counts) >= 5 and counts == sorted(counts)  # every read worked, never went back
    assert any(0 < c < 7 for c in counts), counts  # it saw the build part-way
    with Store(store, read_only=True) as st:
        assert len(st.documents()) == 7
    # and a query through the command line works after the build
    rq = tmp_path / "reports.rq"
    rq.write_text("SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r a okg:Report }\n")
    q = subprocess.run([*CLI, "query", str(rq), "--store", str(store), "--format", "json"],
                       capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert q.returncode == 0, q.stderr
    assert json.loads(q.stdout) == [{"n": 7}]


def test_background_compaction_lets_writes_go_on_and_publish_waits_for_it(tmp_path: Path) -> None:
    gb, gc = report_graph("b" * 64), report_graph("c" * 64)
    with Store(tmp_path / "s") as st:
        st.replace_graphs(G, NT * 3, batch=True)  # held back: written before compacting
        st.optimize(background=True)
        assert not st._pending and st._compactor is not None
        st.replace_graphs(gb, NT)  # writes and reads meanwhile
        assert st.count(G) == 1 and st.count(gb) == 1
        snap = st.publish()  # waits: readers get the compacted database
        assert st._compactor is None and snap is not None
        st.optimize(background=True)
        st.replace_graphs(gc, NT)
    with Store(tmp_path / "s", read_only=True) as ro:  # close waited, then published
        assert ro.count(gc) == 1


def test_a_failed_background_compaction_is_raised_by_the_next_publish(tmp_path: Path) -> None:
    with Store(tmp_path / "s") as st:
        st.replace_graphs(G, NT)

        class Broken:
            def optimize(self) -> None:
                raise OSError("disk full")

        st._compactor = _Background("test", lambda: st._compact(Broken()), "optimizing")
        with pytest.raises(StoreError, match="optimizing .* failed: disk full"):
            st.publish()
        assert st.publish() is not None  # the store goes on: the data is as it was
