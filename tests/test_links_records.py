"""The links a build computes from its workers' records are the links read back from the
store would give (ofsted_kg.graph_builder.links.records).

A build links each authority whose reports were all extracted in this run from what the
workers handed back, without reading the items out of the store; an authority with a report
from an earlier build is read from the store.  Both must write the same links graphs.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from ofsted_kg.graph_builder import links
from ofsted_kg.graph_builder.extract import extract_path
from ofsted_kg.graph_builder.links.records import from_known, links_input
from ofsted_kg.graph_builder.pipeline import build
from ofsted_kg.store import open_store

REPO = Path(__file__).resolve().parent.parent
# Sefton 2016 as a text and as the PDF (one visit, two files: the follow-up words and the
# canonical file are shared), Southwark 2022 and 2026 (a chain), the seeds' later letters
FILES = [REPO / "samples", REPO / "tests/data/reports/sefton-2016-sif-inspection.pdf",
         REPO / "tests/data/reports/southwark-2022-ilacs-short.pdf",
         REPO / "tests/data/reports/southwark-2026-ilacs-short.pdf"]


def _links_quads(path: Path) -> set[str]:
    st = open_store(path, read_only=True)
    try:
        return {str(q) for q in st.quads() if "/graph/links/" in q.graph_name.value}
    finally:
        st.close()


def _relinked_from_store(src: Path, dst: Path) -> set[str]:
    shutil.copytree(src, dst)
    st = open_store(dst)
    try:
        links.relink(st, sorted(links.authority_reports(st)))  # no records: every item read back
    finally:
        st.close()
    return _links_quads(dst)


def test_build_links_from_records_equal_links_read_from_the_store(tmp_path: Path) -> None:
    store = tmp_path / "store"
    summary = build(FILES, store=store, jobs=1)
    assert summary.built >= 7 and summary.relinked >= 4, summary.to_dict()
    built = _links_quads(store)
    assert any("#status>" in q for q in built) and any("#repeats>" in q for q in built)
    again = _relinked_from_store(store, tmp_path / "copy")
    assert built == again, (sorted(built - again)[:5], sorted(again - built)[:5])


def test_links_computed_in_worker_processes_are_the_links_computed_in_process(
        tmp_path: Path) -> None:
    # with two processes and four authorities or more, the links are computed in a pool
    # (the largest authorities first) and the graphs held back so far are written while
    # the last ones compute: every links graph is written, the same as in this process
    one = build(FILES, store=tmp_path / "one", jobs=1)
    two = build(FILES, store=tmp_path / "two", jobs=2)
    assert two.relinked == one.relinked >= links.write._PARALLEL_MIN, two.to_dict()
    assert two.store_quads == one.store_quads
    got, want = _links_quads(tmp_path / "two"), _links_quads(tmp_path / "one")
    assert got == want, (sorted(got - want)[:5], sorted(want - got)[:5])
    st = open_store(tmp_path / "two", read_only=True)
    try:
        assert not links.stale_authorities(st)
    finally:
        st.close()


def test_an_authority_with_reports_of_an_earlier_build_is_read_from_the_store(
        tmp_path: Path) -> None:
    store = tmp_path / "store"
    build(FILES[:3], store=store, jobs=1)  # Southwark 2022 first ...
    summary = build(FILES[3:], store=store, jobs=1)  # ... then 2026: Southwark mixes both
    assert summary.built == 1 and summary.relinked == 1
    built = _links_quads(store)
    assert built == _relinked_from_store(store, tmp_path / "copy")


def test_from_known_refuses_an_incomplete_or_foreign_set() -> None:
    k = links_input(extract_path(REPO / "tests/data/reports/southwark-2022-ilacs-short.pdf"))
    sha = k.doc.sha
    assert k.authority and k.items and k.doc.date.startswith("2022")
    assert from_known({sha: k}, {sha}, k.authority) is not None
    assert from_known({sha: k}, {sha, "0" * 64}, k.authority) is None  # one not built here
    assert from_known({sha: k}, {sha}, "https://example.org/other") is None
    docs, _ = from_known({sha: k}, {sha}, k.authority)  # type: ignore[misc]
    assert docs[0] is not k.doc and docs[0] == k.doc  # a copy: compute() writes counts


def test_a_focused_visit_brings_its_topics_to_the_links_step(tmp_path: Path) -> None:
    """The links step traces with the visit's topics, as trace does, from either source."""
    from ofsted_kg.graph_builder.links.read import _read_docs

    k = links_input(extract_path(REPO / "samples/knowsley-2024-focused-visit.txt"))
    assert k.doc.type == "focused_visit" and "care_leavers" in k.doc.topics
    build([REPO / "samples/knowsley-2024-focused-visit.txt"], store=tmp_path / "s", jobs=1)
    st = open_store(tmp_path / "s", read_only=True)
    try:
        (doc,) = _read_docs(st, k.authority)  # type: ignore[arg-type]
    finally:
        st.close()
    assert doc.topics == k.doc.topics
