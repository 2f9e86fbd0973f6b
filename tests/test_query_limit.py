"""The query time limit: a query that would run for minutes is stopped, its process killed.

On a read-only on-disk store the query runs in a child process that is killed at the limit
(ofsted_kg.queries.limit); the answers that come back from it equal the in-process ones.
"""

from __future__ import annotations

import os
import shlex
import socket
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from ofsted_kg.cli import main
from ofsted_kg.errors import QueryError
from ofsted_kg.queries import list_queries, parse_query_file, run_query
from ofsted_kg.queries.limit import TIMEOUT_ENV, default_timeout
from ofsted_kg.server import RemoteEndpoint
from ofsted_kg.store import Store, open_store

from fixturegraph import write_fixture

# every quad with every quad with every quad: ~3 10^10 combinations on the fixture store
CROSS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
PAIRS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"
# answers streamed one by one (no aggregate): what the in-process limit can stop
STREAM = "SELECT ?a ?d WHERE { ?a ?b ?c . ?d ?e ?f }"


def example_params(example: str) -> dict[str, str]:
    words = shlex.split(example)
    return dict(w.split("=", 1) for a, w in zip(words, words[1:]) if a in ("-p", "--param"))


def _children() -> set[int]:
    """PIDs of this process's live children (Linux)."""
    out: set[int] = set()
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        try:
            out |= {int(p) for p in (task / "children").read_text().split()}
        except OSError:
            pass
    return {p for p in out if Path(f"/proc/{p}").exists()
            and "Z" not in Path(f"/proc/{p}/stat").read_text().split(")")[-1].split()[:1]}


def test_a_query_of_minutes_is_stopped_and_its_process_killed(disk_store: Path) -> None:
    with open_store(disk_store, read_only=True) as st:
        # what it would take: one more pattern multiplies the time by the store's size
        n = st.count()
        t0 = time.monotonic()
        pairs = run_query(st, parse_query_file(PAIRS, name="pairs"), timeout=0)
        assert pairs.rows[0]["n"] == n * n
        assert (time.monotonic() - t0) * n > 300  # minutes (~45 on this machine)
        before = _children()
        t0 = time.monotonic()
        with pytest.raises(QueryError) as exc:
            run_query(st, parse_query_file(CROSS, name="cross"), timeout=1.5)
        took = time.monotonic() - t0
    msg = str(exc.value)
    assert msg.startswith("query stopped after 1.5 s") and "\n" not in msg
    assert "LIMIT" in msg and "authority" in msg and "docs/queries.md" in msg
    assert 1.5 <= took < 5.0
    assert _children() <= before  # the worker is gone: no core left busy


def test_cli_query_timeout_option_and_env(disk_store: Path, tmp_path: Path) -> None:
    rq = tmp_path / "cross.rq"
    rq.write_text(CROSS, encoding="utf-8")
    t0 = time.monotonic()
    r = CliRunner().invoke(main, ["query", str(rq), "--store", str(disk_store),
                                  "--timeout", "1"])
    assert r.exit_code == 1 and time.monotonic() - t0 < 5.0
    assert "query stopped after 1 s" in r.output and "docs/queries.md" in r.output
    r = CliRunner().invoke(main, ["query", str(rq), "--store", str(disk_store)],
                           env={TIMEOUT_ENV: "1"})
    assert r.exit_code == 1 and "query stopped after 1 s" in r.output
    r = CliRunner().invoke(main, ["query", str(rq), "--store", str(disk_store),
                                  "--timeout", "-1"])
    assert r.exit_code == 2


def test_limited_answers_equal_unlimited_ones(disk_store: Path) -> None:
    """Every named query, and ASK/CONSTRUCT, through the child process gives the answer
    of the in-process run (terms survive the SPARQL JSON / N-Triples round trip)."""
    with open_store(disk_store, read_only=True) as st:
        for q in list_queries():
            params = example_params(q.example)
            limited = run_query(st, q, params, timeout=30)
            assert limited == run_query(st, q, params, timeout=0), q.name
        for text in ("ASK { ?s a okg:Concern }",
                     "CONSTRUCT { ?c oa:exact ?t } WHERE { ?c a okg:Concern ; oa:hasSelector/oa:exact ?t }",
                     'SELECT ?x WHERE { BIND(STRLANG("x", "en") AS ?x) }'):
            q = parse_query_file(text, name="x")
            assert run_query(st, q, timeout=30) == run_query(st, q, timeout=0), text


def test_errors_from_the_child_are_ours(disk_store: Path) -> None:
    with open_store(disk_store, read_only=True) as st:
        q = parse_query_file("SELECT ?c WHERE { ?c oa:hasSelector/oa:exact ?words }", name="x")
        with pytest.raises(QueryError, match="cannot bind parameters"):
            run_query(st, q, {"words": "x"}, timeout=30)


def test_in_process_limit_stops_a_streaming_query() -> None:
    st = write_fixture(Store(None))
    t0 = time.monotonic()
    with pytest.raises(QueryError, match="query stopped after 0.5 s"):
        run_query(st, parse_query_file(STREAM, name="stream"), timeout=0.5)
    assert time.monotonic() - t0 < 3.0


def test_default_timeout_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(TIMEOUT_ENV, raising=False)
    assert default_timeout() == 60.0
    monkeypatch.setenv(TIMEOUT_ENV, "0")
    assert default_timeout() == 0.0
    monkeypatch.setenv(TIMEOUT_ENV, "soon")
    with pytest.raises(QueryError, match=TIMEOUT_ENV):
        default_timeout()


def test_remote_query_times_out() -> None:
    """An endpoint that accepts the request and never answers: the HTTP timeout stops it."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(4)
    held: list[socket.socket] = []
    threading.Thread(target=lambda: held.append(srv.accept()[0]), daemon=True).start()
    url = f"http://127.0.0.1:{srv.getsockname()[1]}/query"
    try:
        t0 = time.monotonic()
        with pytest.raises(QueryError, match="query stopped after 1 s waiting for"):
            RemoteEndpoint(url, timeout=1).query("SELECT * WHERE { ?s ?p ?o }")
        assert time.monotonic() - t0 < 4.0
    finally:
        for s in held:
            s.close()
        srv.close()


def test_the_message_points_at_the_guide_and_its_examples_parse() -> None:
    import re

    from ofsted_kg.queries import prepare
    from ofsted_kg.queries.guide import ANCHOR, GUIDE
    from ofsted_kg.queries.limit import stopped_message

    heading = next(line[3:] for line in GUIDE.splitlines() if line.startswith("## "))
    assert re.sub(r"[^a-z0-9 -]", "", heading.lower()).replace(" ", "-") == ANCHOR
    assert heading in stopped_message(60)
    blocks = re.findall(r"```sparql\n(.*?)```", GUIDE, re.S)
    assert len(blocks) >= 4
    for b in blocks:
        prepare(b)  # raises QueryError if an example is not valid SPARQL


def test_one_worker_serves_a_store_and_ends_with_it(disk_store: Path) -> None:
    import gc

    from ofsted_kg.queries import limit

    q = parse_query_file("SELECT ?c WHERE { ?c a okg:Concern }", name="x")
    st = open_store(disk_store, read_only=True)
    run_query(st, q, timeout=30)
    pid = limit._WORKERS[id(st)][1].proc.pid
    run_query(st, q, timeout=30)
    assert limit._WORKERS[id(st)][1].proc.pid == pid and pid in _children()
    st.close()
    with open_store(disk_store, read_only=True) as other:  # reaps the closed store's worker
        run_query(other, q, timeout=30)
        assert pid not in _children()
        pid2 = limit._WORKERS[id(other)][1].proc.pid
        with pytest.raises(QueryError, match="query stopped"):
            run_query(other, parse_query_file(CROSS, name="cross"), timeout=1)
        assert pid2 not in _children()
        assert len(run_query(other, q, timeout=30).rows) > 0  # a new worker after the kill
        pid3 = limit._WORKERS[id(other)][1].proc.pid
    del other
    gc.collect()
    assert pid3 not in _children()  # ended when the store was collected
