"""Sharing the graph: a real Oxigraph server process on 127.0.0.1, push, remote queries.

Every server here listens on 127.0.0.1 on a free port, every wait is bounded, and every
server is stopped by its PID.
"""

from __future__ import annotations

import base64
import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import ofsted_kg
from ofsted_kg.cli import main
from ofsted_kg.errors import QueryError, StoreLockedError
from ofsted_kg.queries import NamedQuery, QueryResult, list_queries, run_query
from ofsted_kg.queries.trace import trace
from ofsted_kg.server import (
    PASSWORD_ENV, NotLoopbackError, PortInUseError, RemoteEndpoint, RemoteError,
    find_oxigraph, graph_store_url, is_loopback, push, start_server, substitute, tokenize,
    with_prefixes,
)
from ofsted_kg.store import MANIFEST_GRAPH, Store

from fixturegraph import write_fixture

pytestmark = pytest.mark.server

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
HOSTILE = '"} ; DROP ALL\nGRAPH <http://x> { ?s ?p ?o } # \\u0022 \'\'\' """ $words ?words'
AUTHORITIES = ("Sefton", "Knowsley", "Wirral")
COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


# -- helpers --------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_listening(port: int, proc: subprocess.Popen[Any] | None = None,
                   timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"server exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"nothing listening on 127.0.0.1:{port} after {timeout} s")


def read_until(proc: subprocess.Popen[bytes], marker: bytes, timeout: float = 30.0) -> bytes:
    """Read the process's stderr until ``marker`` appears (bounded)."""
    import select

    assert proc.stderr is not None
    seen = b""
    deadline = time.monotonic() + timeout
    while marker not in seen:
        left = deadline - time.monotonic()
        if left <= 0 or proc.poll() is not None:
            raise AssertionError(f"no {marker!r} from {proc.args}: {seen!r}")
        ready, _, _ = select.select([proc.stderr], [], [], min(left, 0.5))
        if ready:
            seen += os.read(proc.stderr.fileno(), 4096)
    return seen


def port_closed(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return False
    except OSError:
        return True


def stop_pid(proc: subprocess.Popen[Any], sig: int = signal.SIGTERM) -> int:
    """Stop a server by its PID; bounded."""
    if proc.poll() is None:
        os.kill(proc.pid, sig)
        try:
            return proc.wait(15)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(5)
            raise AssertionError(f"server {proc.pid} ignored signal {sig}")
    return proc.returncode


class WritableOxigraph:
    """``oxigraph serve`` (read-write) on a fresh directory: the push target."""

    def __init__(self, location: Path) -> None:
        self.port = free_port()
        self.proc = subprocess.Popen(
            [find_oxigraph(), "serve", "--location", str(location), "--bind",
             f"127.0.0.1:{self.port}"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_listening(self.port, self.proc)
        self.base = f"http://127.0.0.1:{self.port}"
        self.query_url = self.base + "/query"

    def count(self, graph: str | None = None) -> int:
        ep = RemoteEndpoint(self.query_url, timeout=30)
        q = (f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
             if graph else COUNT_ALL)
        return int(ep.select(q, union=False)[0]["n"])

    def quads(self) -> set[tuple[str, str, str, str]]:
        ep = RemoteEndpoint(self.query_url, timeout=60)
        res = ep.query("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }", union=False)
        return {(str(r["g"]), str(r["s"]), str(r["p"]), str(r["o"])) for r in res}

    def stop(self) -> None:
        stop_pid(self.proc)


def local_quads(store: Store) -> set[tuple[str, str, str, str]]:
    return {(str(q.graph_name), str(q.subject), str(q.predicate), str(q.object))
            for q in store.quads() if str(q.graph_name) != f"<{MANIFEST_GRAPH}>"}


class Recorder:
    """A fake SPARQL endpoint/graph store on 127.0.0.1 that records every request."""

    def __init__(self, answer: dict[str, Any] | None = None) -> None:
        self.requests: list[dict[str, Any]] = []
        answer_bytes = json.dumps(answer or {"head": {"vars": []},
                                             "results": {"bindings": []}}).encode()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _record(self) -> None:
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n) if n else b""
                outer.requests.append({"method": self.command, "path": self.path,
                                       "headers": dict(self.headers), "body": body})
                if self.command == "POST" and b"query=" in body[:6]:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/sparql-results+json")
                    self.send_header("Content-Length", str(len(answer_bytes)))
                    self.end_headers()
                    self.wfile.write(answer_bytes)
                else:
                    self.send_response(204)
                    self.end_headers()

            do_POST = do_PUT = _record

            def log_message(self, *a: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def param_sets(q: NamedQuery) -> list[dict[str, str]]:
    """The query's own example, and the same with each authority of the samples."""
    base: dict[str, str] = {}
    if q.example:
        words = shlex.split(q.example)
        for i, w in enumerate(words[:-1]):
            if w in ("--param", "-p") and "=" in words[i + 1]:
                k, _, v = words[i + 1].partition("=")
                base[k] = v
    sets = [base]
    for p in q.parameters:
        if p.kind == "authority":
            sets += [{**base, p.name: a} for a in AUTHORITIES if base.get(p.name) != a]
    return sets


def order_keys(text: str) -> list[str]:
    """Variables of the outermost ORDER BY (empty when the query has none)."""
    sig = [t for t in tokenize(text) if t.kind not in ("ws", "comment")]
    keys: list[str] = []
    for i in range(len(sig) - 1):
        if sig[i].text.upper() == "ORDER" and sig[i + 1].text.upper() == "BY":
            keys = []
            for t in sig[i + 2:]:
                if t.kind == "word" and t.text.upper() in ("LIMIT", "OFFSET", "VALUES"):
                    break
                if t.kind == "var":
                    keys.append(t.text[1:])
    return keys


def assert_same_answer(q: NamedQuery, local: QueryResult, remote: QueryResult) -> None:
    assert remote.form == local.form
    if local.form == "ASK":
        assert remote.boolean == local.boolean
        return
    if local.form in ("CONSTRUCT", "DESCRIBE"):
        assert sorted(remote.triples) == sorted(local.triples)
        return
    assert remote.columns == local.columns

    def canon(r: dict[str, Any]) -> tuple[tuple[str, str], ...]:
        return tuple(sorted((k, repr(v)) for k, v in r.items()))

    assert sorted(map(canon, remote.rows)) == sorted(map(canon, local.rows))
    keys = order_keys(q.text)
    if keys:  # ORDER BY: the same sequence of sort keys (ties may come in any order)
        assert ([tuple(repr(r.get(k)) for k in keys) for r in remote.rows]
                == [tuple(repr(r.get(k)) for k in keys) for r in local.rows])


def assert_same_trace(local: dict[str, Any], remote: dict[str, Any]) -> None:
    """Same verdict, same rows, same date order (rows of one date may come in any order)."""
    assert remote["verdict"] == local["verdict"]

    def canon(r: dict[str, Any]) -> str:
        return json.dumps(r, sort_keys=True, default=str)

    assert sorted(map(canon, remote["rows"])) == sorted(map(canon, local["rows"]))
    assert [r.get("date") for r in remote["rows"]] == [r.get("date") for r in local["rows"]]


def compare_every_named_query(store: Store, endpoint: RemoteEndpoint, *,
                              every_authority: bool = True) -> int:
    """Run every named query with its example's parameters (and with each authority's)
    on both; return the number of rows compared."""
    compared = 0
    for q in list_queries():
        for params in param_sets(q)[: None if every_authority else 1]:
            try:
                local = run_query(store, q, params)
            except QueryError:
                with pytest.raises(QueryError):
                    run_query(endpoint, q, params)
                continue
            remote = run_query(endpoint, q, params)
            assert_same_answer(q, local, remote)
            compared += len(local.rows)
    return compared


# -- fixtures -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def samples_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds' graph, built by the real pipeline."""
    path = tmp_path_factory.mktemp("srv") / "store"
    summary = ofsted_kg.build([SAMPLES], store=path, jobs=1)
    assert not summary.failures, summary.failures
    return path


@pytest.fixture()
def fixture_store_path(tmp_path: Path) -> Path:
    path = tmp_path / "st"
    s = Store(path)
    try:
        write_fixture(s)
    finally:
        s.close()
    return path


@pytest.fixture()
def writable(tmp_path: Path) -> Iterator[WritableOxigraph]:
    srv = WritableOxigraph(tmp_path / "remote-db")
    try:
        yield srv
    finally:
        srv.stop()


# -- push, round trip -----------------------------------------------------------------
def test_push_seeds_graph_round_trip_and_push_twice(samples_store: Path,
                                                         writable: WritableOxigraph) -> None:
    with Store(samples_store, read_only=True) as store:
        expected = local_quads(store)
        graphs = {q[0] for q in expected}
        seen: list[Any] = []
        summary = push(store, endpoint=writable.query_url, progress=seen.append,
                       chunk_triples=5000)
        # every named graph but the manifest, every triple, with progress to the end
        assert summary.graph_store == writable.base + "/store"
        assert summary.graphs == len(graphs) >= 6
        assert summary.triples == len(expected)
        assert summary.requests > summary.graphs  # big graphs went in several chunks
        assert seen[-1].graphs_done == seen[-1].graphs_total == len(graphs)
        assert seen[-1].triples_sent == seen[-1].triples_total == len(expected)
        assert [p.triples_sent for p in seen] == sorted(p.triples_sent for p in seen)

        remote = writable.quads()
        assert remote == expected  # the very same dataset, so every query answers the same
        assert not any("localPath" in q[2] for q in remote)

        # pushing again replaces: nothing doubled
        before = writable.count()
        again = push(store, endpoint=writable.query_url)
        assert again.triples == summary.triples
        assert writable.count() == before == len(expected)
        assert writable.quads() == expected


def test_every_named_query_answers_the_same_after_push(fixture_store_path: Path,
                                                       writable: WritableOxigraph) -> None:
    push(fixture_store_path, endpoint=writable.query_url)
    ep = RemoteEndpoint(writable.query_url, timeout=120)
    with Store(fixture_store_path, read_only=True) as store:
        assert compare_every_named_query(store, ep) > 0
        local_trace = trace(store, "mental health", authority="Sefton")
        assert local_trace.rows
        assert_same_trace(local_trace.to_dict(), trace(ep, "mental health",
                                                       authority="Sefton").to_dict())


def test_push_replaces_a_changed_graph(fixture_store_path: Path,
                                       writable: WritableOxigraph) -> None:
    push(fixture_store_path, endpoint=writable.query_url)
    with Store(fixture_store_path) as store:
        report = next(d.graph for d in store.documents())
        n = store.count(report)
        assert writable.count(report) == n
        keep = [q for q in store.quads(report)][: n // 2]
        store.replace_graphs(report, "".join(f"{q.subject} {q.predicate} {q.object} .\n"
                                             for q in keep))
        total = store.count() - store.count(MANIFEST_GRAPH)
    push(fixture_store_path, endpoint=writable.query_url)
    assert writable.count(report) == len(keep) < n
    assert writable.count() == total
    # a document removed locally stays remotely unless the push prunes
    with Store(fixture_store_path) as store:
        gone = next(d for d in store.documents() if d.graph != report)
        store.drop_graphs([gone.graph])
        total = store.count() - store.count(MANIFEST_GRAPH)
    assert push(fixture_store_path, endpoint=writable.query_url).pruned == []
    assert writable.count(gone.graph) > 0
    res = CliRunner().invoke(main, ["push", "--store", str(fixture_store_path), "--endpoint",
                                    writable.query_url, "--prune"])
    assert res.exit_code == 0, res.output
    assert "deleted 1 stale graphs" in res.output
    assert writable.count(gone.graph) == 0 and writable.count() == total
    assert writable.count(report) == len(keep)


def test_push_sends_basic_auth_from_the_environment_only(fixture_store_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    rec = Recorder()
    try:
        monkeypatch.setenv(PASSWORD_ENV, "s3cret:with colon")
        res = CliRunner().invoke(main, ["push", "--store", str(fixture_store_path),
                                        "--endpoint", f"http://127.0.0.1:{rec.port}/ds/sparql",
                                        "--user", "analyst", "--format", "json"])
        assert res.exit_code == 0, res.output
        out = json.loads(res.output)
        puts = [r for r in rec.requests if r["method"] == "PUT"]
        with Store(fixture_store_path, read_only=True) as store:
            n_graphs = len({q[0] for q in local_quads(store)})
        assert len(puts) == out["graphs"] == n_graphs >= 6
        want = "Basic " + base64.b64encode(b"analyst:s3cret:with colon").decode()
        assert all(r["headers"]["Authorization"] == want for r in puts)
        assert all(urlsplit(r["path"]).path == "/ds/data" for r in puts)
        graphs = {unquote(parse_qs(urlsplit(r["path"]).query)["graph"][0]) for r in puts}
        assert MANIFEST_GRAPH not in graphs
        assert all(r["headers"]["Content-Type"].startswith("application/n-triples")
                   for r in puts)
        assert not any(b"/fixture/" in r["body"] for r in puts)  # no local paths
    finally:
        rec.close()
    # no password flag exists; --user without the variable is a clear error
    help_text = CliRunner().invoke(main, ["push", "--help"]).output
    assert "--password" not in help_text and PASSWORD_ENV in help_text
    monkeypatch.delenv(PASSWORD_ENV)
    res = CliRunner().invoke(main, ["push", "--store", str(fixture_store_path), "--endpoint",
                                    "http://127.0.0.1:9/query", "--user", "analyst"])
    assert res.exit_code == 1 and PASSWORD_ENV in res.output


def test_push_to_unreachable_endpoint_is_one_clear_error(fixture_store_path: Path) -> None:
    port = free_port()
    res = CliRunner().invoke(main, ["push", "--store", str(fixture_store_path),
                                    "--endpoint", f"http://127.0.0.1:{port}/query"])
    assert res.exit_code == 1
    assert f"cannot reach http://127.0.0.1:{port}/store" in res.output


def test_graph_store_urls() -> None:
    assert graph_store_url("http://h:7878/query") == "http://h:7878/store"
    assert graph_store_url("http://h:7878") == "http://h:7878/store"
    assert graph_store_url("http://h:3030/ds/sparql") == "http://h:3030/ds/data"
    assert graph_store_url("http://h:3030/ds/query") == "http://h:3030/ds/data"
    assert graph_store_url("http://h:3030/ds/data") == "http://h:3030/ds/data"
    assert (graph_store_url("http://h:7200/repositories/okg")
            == "http://h:7200/repositories/okg/rdf-graphs/service")
    with pytest.raises(RemoteError, match="--graph-store"):
        graph_store_url("http://h/some/thing")
    with pytest.raises(RemoteError, match="credentials"):
        graph_store_url("http://u:p@h:7878/query")
    with pytest.raises(RemoteError):
        graph_store_url("file:///etc/passwd")


# -- serve ----------------------------------------------------------------------------
def test_serve_gives_the_same_rows_and_refuses_update(fixture_store_path: Path) -> None:
    samples_store = fixture_store_path
    port = free_port()
    server = start_server(samples_store, port=port)
    try:
        assert server.query_url == f"http://127.0.0.1:{port}/query"
        ep = RemoteEndpoint(server.query_url, timeout=120)
        with Store(samples_store, read_only=True) as store:
            before = int(ep.select(COUNT_ALL)[0]["n"])
            assert before > 0
            assert compare_every_named_query(store, ep) > 0
            # the CLI with --endpoint prints what it prints locally
            for args in (["query", "concern-persistence", "-p", "authority=Sefton",
                          "-p", "words=mental health", "--format", "json"],
                         ["trace", "mental health", "--authority", "Sefton", "--format",
                          "json"]):
                local = CliRunner().invoke(main, [*args, "--store", str(samples_store)])
                remote = CliRunner().invoke(main, [*args, "--endpoint", server.query_url])
                assert local.exit_code == remote.exit_code == 0, remote.output
                want, got = json.loads(local.output), json.loads(remote.output)
                assert want
                if args[0] == "trace":
                    assert_same_trace(want, got)
                else:
                    assert sorted(map(json.dumps, got)) == sorted(map(json.dumps, want))
                    assert [r["date"] for r in got] == [r["date"] for r in want]
            # a SPARQL UPDATE is refused by the server, through both protocols
            for body, ctype in ((b"DROP ALL", "application/sparql-update"),
                                (b"update=DROP%20ALL", "application/x-www-form-urlencoded")):
                with pytest.raises(RemoteError, match="HTTP 403"):
                    from ofsted_kg.server import _request
                    _request("POST", server.url + "/update", data=body,
                             headers={"Content-Type": ctype}, timeout=10)
            with pytest.raises(RemoteError, match="HTTP 4"):
                from ofsted_kg.server import _request
                _request("PUT", server.url + "/store?graph=http://x", timeout=10,
                         data=b"<http://a> <http://b> <http://c> .",
                         headers={"Content-Type": "application/n-triples"})
            # and our own client never sends one
            with pytest.raises(QueryError, match="UPDATE"):
                run_query(ep, NamedQuery("u", "u", "", (), "DROP ALL"), allow_update=True)
            res = CliRunner().invoke(main, ["query", "x.rq", "--endpoint", server.query_url,
                                            "--allow-update"])
            assert res.exit_code == 2
            assert int(ep.select(COUNT_ALL)[0]["n"]) == before
            # the researcher's question gives the same chain remotely
            for words, authority in (("mental health", "Sefton"), ("pathway", None)):
                local_trace = trace(store, words, authority=authority)
                assert local_trace.rows
                assert_same_trace(local_trace.to_dict(),
                                  trace(ep, words, authority=authority).to_dict())
        # while served, a build cannot write: it names the serving process
        with pytest.raises(StoreLockedError, match=f"in use by process {os.getpid()}"):
            Store(samples_store)
    finally:
        assert server.stop() in (0, -signal.SIGTERM)
    assert port_closed(port)
    Store(samples_store).close()  # the lock is released after the server stopped


def test_serve_refuses_service_and_speaks_the_protocol(fixture_store_path: Path) -> None:
    from urllib.parse import quote

    from ofsted_kg.server import _request

    rec = Recorder()
    server = start_server(fixture_store_path, port=free_port())
    try:
        # SERVICE would make the server fetch any URL a caller names: refused, never sent
        q = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{rec.port}/query> {{ ?s ?p ?o }} }}"
        for method, url, body, ctype in (
                ("GET", f"{server.query_url}?query={quote(q)}", None, None),
                ("POST", server.query_url, q.encode(), "application/sparql-query"),
                ("POST", server.query_url, f"query={quote(q.lower())}".encode(),
                 "application/x-www-form-urlencoded")):
            with pytest.raises(RemoteError, match="HTTP 403.*SERVICE refused"):
                _request(method, url, data=body, timeout=10,
                         headers={"Content-Type": ctype} if ctype else {})
        assert rec.requests == []
        # a plain query by GET, as the protocol allows, with the format asked for
        count = quote("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        csv = _request("GET", f"{server.query_url}?query={count}",
                       headers={"Accept": "text/csv"}, timeout=30).decode()
        assert csv.splitlines()[0] == "n" and int(csv.splitlines()[1]) > 0
        # graphs can be read through the graph store, not written
        graph = quote("https://w3id.org/ofsted-kg/graph/vocabulary", safe="")
        nt = _request("GET", f"{server.url}/store?graph={graph}",
                      headers={"Accept": "application/n-triples"}, timeout=30)
        assert len(list(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES))) > 100
        with pytest.raises(RemoteError, match="HTTP 404"):
            _request("GET", server.url + "/elsewhere", timeout=10)
    finally:
        server.stop()
        rec.close()


def test_serve_refuses_non_loopback_without_flag(fixture_store_path: Path) -> None:
    for host in ("0.0.0.0", "::", "192.0.2.10"):
        with pytest.raises(NotLoopbackError, match="--allow-remote"):
            start_server(fixture_store_path, host=host, port=free_port())
    res = CliRunner().invoke(main, ["serve", "--store", str(fixture_store_path), "--host",
                                    "0.0.0.0", "--port", str(free_port())])
    assert res.exit_code == 2
    assert "not a loopback address" in res.output and "--allow-remote" in res.output
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert is_loopback("127.1.2.3")
    assert not is_loopback("0.0.0.0") and not is_loopback("") and not is_loopback("10.1.1.1")


def test_serve_port_in_use_is_a_clear_error(fixture_store_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        port = s.getsockname()[1]
        with pytest.raises(PortInUseError, match=f"port {port} is in use"):
            start_server(fixture_store_path, port=port)
        res = CliRunner().invoke(main, ["serve", "--store", str(fixture_store_path),
                                        "--port", str(port)])
        assert res.exit_code == 1 and f"port {port} is in use" in res.output
    # the failed attempts left the store unlocked
    Store(fixture_store_path).close()


def test_serve_refuses_a_store_being_built(fixture_store_path: Path, tmp_path: Path) -> None:
    writer = Store(fixture_store_path)  # holds the writer lock, as a build does
    try:
        with pytest.raises(StoreLockedError, match=f"in use by process {os.getpid()}"):
            start_server(fixture_store_path, port=free_port())
    finally:
        writer.close()
    res = CliRunner().invoke(main, ["serve", "--store", str(tmp_path / "nothing"),
                                    "--port", str(free_port())])
    assert res.exit_code == 1 and "no store at" in res.output


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_serve_command_stops_cleanly_on_signal(fixture_store_path: Path, sig: int) -> None:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-c", "from ofsted_kg.cli import main; main()", "serve", "--store",
         str(fixture_store_path), "--port", str(port)],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        ready = read_until(proc, b"Ctrl-C to stop")  # printed once the signals are handled
        assert f"http://127.0.0.1:{port}/query".encode() in ready
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
        assert len(children) == 1
        child = int(children[0])
        ep = RemoteEndpoint(f"http://127.0.0.1:{port}/query", timeout=30)
        assert int(ep.select(COUNT_ALL)[0]["n"]) > 0
    finally:
        code = stop_pid(proc, sig)
    _, err = proc.communicate(timeout=10)
    assert code == 0, err
    assert b"server stopped" in err
    assert port_closed(port)
    assert not Path(f"/proc/{child}").exists()  # the Oxigraph process is gone, reaped
    Store(fixture_store_path).close()


# -- parameters: bound on tokens, never pasted ----------------------------------------
def test_hostile_parameter_reaches_the_server_as_one_literal(fixture_store_path: Path) -> None:
    from rdflib import Literal as RLiteral
    from rdflib.plugins.sparql import prepareQuery

    cp = next(q for q in list_queries() if q.name == "concern-persistence")
    rec = Recorder()
    try:
        ep = RemoteEndpoint(f"http://127.0.0.1:{rec.port}/query", timeout=10)
        sefton = ox.NamedNode("https://w3id.org/ofsted-kg/id/authority/E08000014")
        ep.query(cp.text, bindings={"authority": sefton, "words": ox.Literal(HOSTILE)})
        (req,) = rec.requests
        assert "union-default-graph" in req["path"]
        received = parse_qs(req["body"].decode())["query"][0]
    finally:
        rec.close()
    prepared = prepareQuery(received)  # a query (not an update) that parses
    assert prepared.algebra.name == "SelectQuery"
    literals: list[Any] = []
    stack: list[Any] = [prepared.algebra]
    while stack:
        node = stack.pop()
        if isinstance(node, RLiteral):
            literals.append(node)
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, (list, tuple)):
            stack.extend(node)
    hostile_lits = [lit for lit in literals if "DROP ALL" in str(lit)]
    assert hostile_lits and all(str(lit) == HOSTILE.replace("\\u0022", '"')
                                or str(lit) == HOSTILE for lit in hostile_lits)
    # the hostile value is projected as itself
    assert f"({ox.Literal(HOSTILE)} AS ?words)" in received

    # against a real server: the value comes back intact, nothing was dropped
    port = free_port()
    server = start_server(fixture_store_path, port=port)
    try:
        ep = RemoteEndpoint(server.query_url, timeout=120)
        n = int(ep.select(COUNT_ALL)[0]["n"])
        rows = ep.select("SELECT ?p ?i WHERE { }",
                         bindings={"p": ox.Literal(HOSTILE), "i": ox.NamedNode("http://e/x")})
        assert rows == [{"p": HOSTILE, "i": "http://e/x"}]
        res = run_query(ep, cp, {"authority": "Sefton", "words": HOSTILE})
        assert res.rows == []
        with Store(fixture_store_path, read_only=True) as store:
            assert run_query(store, cp, {"authority": "Sefton", "words": HOSTILE}).rows == []
        with pytest.raises(QueryError, match="no authority"):
            run_query(ep, cp, {"authority": HOSTILE, "words": "x"})
        assert int(ep.select(COUNT_ALL)[0]["n"]) == n
    finally:
        server.stop()


@settings(max_examples=150, deadline=None)
@given(value=st.text(max_size=40), lang=st.sampled_from([None, "en", "en-GB"]))
def test_substituted_literal_round_trips(value: str, lang: str | None) -> None:
    term = ox.Literal(value, language=lang) if lang else ox.Literal(value)
    text = substitute("SELECT ?v WHERE { BIND(STR(?v) AS ?s) FILTER(?s = STR(?v)) } "
                      "ORDER BY ?v", {"v": term})
    rows = list(ox.Store().query(text))
    assert len(rows) == 1 and rows[0]["v"] == term


def test_substitution_is_token_level() -> None:
    q = ('SELECT ?w (STR(?w) AS ?s) WHERE {\n  ?x <http://e/p?w=1> "?w" .  # ?w in a comment\n'
         '  FILTER(?x != $w && CONTAINS(\'\'\'it\'s ?w\'\'\', ?w))\n} GROUP BY ?w ORDER BY ?w')
    out = substitute(q, {"w": ox.Literal("a")})
    assert out == ('SELECT ("a" AS ?w) (STR("a") AS ?s) WHERE {\n  ?x <http://e/p?w=1> "?w" .'
                   '  # ?w in a comment\n  FILTER(?x != "a" && CONTAINS(\'\'\'it\'s ?w\'\'\', '
                   '"a"))\n} GROUP BY ("a") ORDER BY ("a")')
    assert "".join(t.text for t in tokenize(q)) == q
    assert substitute(q, {}) == q
    for bad, msg in (("SELECT * WHERE { ?s ?p ?w }", "SELECT \\*"),
                     ("SELECT ?x WHERE { BIND(1 AS ?w) }", "assigned"),
                     ("SELECT ?w WHERE { VALUES ?w { 1 } }", "VALUES")):
        with pytest.raises(QueryError, match=msg):
            substitute(bad, {"w": ox.Literal("a")})
    with pytest.raises(QueryError):
        substitute("SELECT ?w {}", {"w": ox.BlankNode()})
    # prefixes the embedded store adds implicitly are declared for a remote endpoint
    text = with_prefixes("PREFIX okg: <http://other/>\nSELECT * { ?s okg:p ?o }")
    assert text.count("PREFIX okg:") == 1 and "PREFIX skos:" in text
