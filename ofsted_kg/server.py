"""Share the graph: a read-only SPARQL server, a push to any triple store, remote queries.

ofsted-kg does not implement a server.  It uses an existing SPARQL engine and the W3C
protocols, so that the same graph can live in Oxigraph, Apache Jena Fuseki, GraphDB or a
cloud store:

* :func:`serve` runs Oxigraph's own server (the ``oxigraph`` PyPI package, extra
  ``ofsted-kg[server]``) read-only over a store directory: the SPARQL 1.1 Protocol at
  ``http://HOST:PORT/query``.  Loopback only unless ``allow_remote``.
* :func:`push` uploads the store through the SPARQL 1.1 Graph Store HTTP Protocol: one
  ``PUT`` per named graph (replace semantics, so pushing twice gives the same remote graph),
  large graphs in chunks (``PUT`` the first, ``POST`` the rest).  The manifest graph (local
  file paths) is never pushed.
* :class:`RemoteEndpoint` runs the named queries against any SPARQL 1.1 Protocol endpoint
  (``POST``, results in SPARQL JSON).  It has the same ``query``/``select`` interface as
  :class:`ofsted_kg.store.Store`, so :func:`ofsted_kg.queries.run_query` and
  :func:`ofsted_kg.queries.trace.trace` work on it unchanged.

Parameters of a remote query are bound by SEP-0007-style substitution done on *tokens*,
never on text: the query is tokenised (strings, IRIs and comments are skipped), every
occurrence of the parameter's variable is replaced by the RDF term as pyoxigraph serialises
it (correctly escaped N-Triples), and in a SELECT projection ``?v`` becomes
``(<term> AS ?v)``.  A value can therefore only ever be one literal or one IRI.

Endpoint URLs (query endpoint / graph store):

=========  =========================================  ==========================================
server     query endpoint (``--endpoint``)            graph store (``--graph-store``)
=========  =========================================  ==========================================
Oxigraph   ``http://host:7878/query``                 ``http://host:7878/store``
Fuseki     ``http://host:3030/ds/sparql``             ``http://host:3030/ds/data``
GraphDB    ``http://host:7200/repositories/X``        ``http://host:7200/repositories/X/rdf-graphs/service``
=========  =========================================  ==========================================
"""

from __future__ import annotations

import base64
import errno
import fcntl
import ipaddress
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .errors import OfstedKGError, QueryError, StoreError, StoreLockedError
from .ontology.namespaces import PREFIXES
from .store import MANIFEST_GRAPH, Row, Store, term_value

__all__ = [
    "ServerError", "NotLoopbackError", "PortInUseError", "RemoteError",
    "serve", "start_server", "ServerProcess", "find_oxigraph", "is_loopback",
    "push", "PushProgress", "PushSummary", "graph_store_url",
    "RemoteEndpoint", "substitute", "tokenize", "PASSWORD_ENV",
]

#: The environment variable holding the password for ``--user`` (never a flag).
PASSWORD_ENV = "OFSTED_KG_PASSWORD"

DEFAULT_PORT = 7878


class ServerError(OfstedKGError):
    """The SPARQL server could not be started or stopped."""


class NotLoopbackError(ServerError):
    """Binding a non-loopback address was asked for without ``allow_remote``."""


class PortInUseError(ServerError):
    """The port to listen on is already taken."""


class RemoteError(OfstedKGError):
    """A remote SPARQL endpoint or graph store could not be reached or refused a request."""


# =====================================================================================
# serve
# =====================================================================================
def find_oxigraph() -> str:
    """Path of the ``oxigraph`` server binary: next to the running Python, else on PATH.

    Raises:
        ServerError: the binary is not installed.
    """
    here = Path(sys.executable).parent / "oxigraph"
    if here.is_file() and os.access(here, os.X_OK):
        return str(here)
    found = shutil.which("oxigraph")
    if found:
        return found
    raise ServerError("the Oxigraph server is not installed: pip install 'ofsted-kg[server]' "
                      "(it provides the 'oxigraph' command)")


def is_loopback(host: str) -> bool:
    """Whether ``host`` (an address or a name) only ever means this machine."""
    h = host.strip().strip("[]")
    try:
        return ipaddress.ip_address(h).is_loopback
    except ValueError:
        pass
    if not h:
        return False
    try:
        infos = socket.getaddrinfo(h, None)
    except OSError:
        return False
    addrs = {i[4][0] for i in infos}
    return bool(addrs) and all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addrs)


def _bind_address(host: str, port: int) -> str:
    h = host.strip().strip("[]")
    return f"[{h}]:{port}" if ":" in h else f"{h}:{port}"


def _url_host(host: str) -> str:
    h = host.strip().strip("[]")
    return f"[{h}]" if ":" in h else h


def _reader_lock(store_path: Path) -> int:
    """Hold a shared lock on ``writer.lock`` while serving: a build cannot start meanwhile
    (Oxigraph's read-only mode must not see a concurrent writer), and a running build makes
    this fail with the builder's PID."""
    lock_path = store_path / "writer.lock"
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise StoreError(f"cannot open {lock_path}: {exc.strerror or exc}") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        try:
            pid = int(os.read(fd, 32).decode().strip() or 0) or None
        except ValueError:
            pid = None
        os.close(fd)
        raise StoreLockedError(str(store_path), pid) from None
    # name this process as the one in the way of a writer
    os.ftruncate(fd, 0)
    os.pwrite(fd, str(os.getpid()).encode(), 0)
    return fd


def _release_reader_lock(fd: int) -> None:
    try:
        try:  # the last reader clears its PID
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            os.ftruncate(fd, 0)
        except BlockingIOError:
            pass
        fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _die_with_parent() -> None:  # pragma: no cover (runs in the child)
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass


def _wait_listening(host: str, port: int, proc: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    h = host.strip().strip("[]")
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ServerError(f"the Oxigraph server exited at start (status {proc.returncode})")
        try:
            with socket.create_connection((h, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise ServerError(f"the Oxigraph server did not start listening on {host}:{port} "
                      f"within {timeout:.0f} s")


def _free_loopback_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


_MAX_BODY = 4 * 1024 * 1024


class _GuardHandler(BaseHTTPRequestHandler):
    """Passes SPARQL queries (GET/POST /query) and graph downloads (GET /store) to the
    Oxigraph server behind it; refuses updates, SERVICE (network reach from a query: the
    server would fetch any URL a caller names) and everything else."""

    server: "_Guard"
    server_version = "ofsted-kg"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def _refuse(self, code: int, message: str) -> None:
        body = (message + "\n").encode("utf-8")
        self.send_response(code)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _body(self) -> bytes | None:
        try:
            n = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            n = -1
        if n < 0 or n > _MAX_BODY:
            self._refuse(413, "request body too large")
            return None
        return self.rfile.read(n) if n else b""

    def do_GET(self) -> None:
        self._handle(None)

    def do_POST(self) -> None:
        body = self._body()
        if body is not None:
            self._handle(body)

    def _deny_write(self) -> None:
        self._refuse(403, "The server is read-only")

    do_PUT = do_DELETE = do_PATCH = _deny_write

    def _handle(self, body: bytes | None) -> None:
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/store" and body is None:
            return self._forward(body)
        if url.path in ("/update", "/store"):
            return self._deny_write()
        if url.path != "/query":
            return self._refuse(404, "not found: SPARQL queries go to /query")
        queries = urllib.parse.parse_qs(url.query).get("query", [])
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if body is not None:
            if ctype == "application/x-www-form-urlencoded":
                queries += urllib.parse.parse_qs(body.decode("utf-8", "replace")).get(
                    "query", [])
            elif ctype == "application/sparql-query":
                queries.append(body.decode("utf-8", "replace"))
        if len(queries) != 1:
            return self._refuse(400, "give exactly one SPARQL query")
        refusal = _guard_refusal(queries[0])
        if refusal:
            return self._refuse(403 if refusal.startswith("SPARQL UPDATE") or
                                refusal.startswith("SERVICE") else 400, refusal)
        self._forward(body)

    def _forward(self, body: bytes | None) -> None:
        import http.client

        conn = http.client.HTTPConnection("127.0.0.1", self.server.backend,
                                          timeout=self.server.timeout_s)
        headers = {k: v for k, v in self.headers.items()
                   if k.lower() in ("accept", "content-type")}
        try:
            conn.request(self.command, self.path, body=body, headers=headers)
            resp = conn.getresponse()
            self.send_response(resp.status)
            for k in ("Content-Type", "Content-Disposition"):
                if resp.getheader(k):
                    self.send_header(k, resp.getheader(k) or "")
            self.send_header("Connection", "close")
            self.end_headers()
            while chunk := resp.read(65536):
                self.wfile.write(chunk)
        except (OSError, http.client.HTTPException):
            self.close_connection = True
        finally:
            conn.close()


def _guard_refusal(text: str) -> str | None:
    from .queries import query_form

    try:
        toks = tokenize(text)
    except QueryError as exc:
        return str(exc)
    if query_form(text) == "UPDATE":
        return "SPARQL UPDATE refused: the server is read-only"
    if any(t.kind == "word" and t.text.upper() == "SERVICE" for t in toks):
        return "SERVICE refused: a query may not make this server reach the network"
    return None


class _Guard(ThreadingHTTPServer):
    daemon_threads = True
    backend: int = 0
    timeout_s: float = 630.0
    started: bool = False

    @classmethod
    def bind(cls, host: str, port: int) -> "_Guard":
        h = host.strip().strip("[]")
        try:
            family = socket.getaddrinfo(h, port, type=socket.SOCK_STREAM)[0][0]
        except OSError as exc:
            raise ServerError(f"cannot resolve host {host!r}: {exc}") from None
        klass = type("_GuardV", (cls,), {"address_family": family})
        try:
            return klass((h, port), _GuardHandler)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise PortInUseError(f"port {port} is in use on {host} "
                                     "(another server?); choose another with --port") from None
            if exc.errno in (errno.EACCES, errno.EPERM):
                raise ServerError(f"not permitted to listen on port {port} "
                                  "(ports below 1024 need privileges)") from None
            raise ServerError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None

    def start(self, backend: int, *, timeout: float) -> None:
        self.backend = backend
        self.timeout_s = timeout
        self.started = True
        threading.Thread(target=self.serve_forever, name="ofsted-kg-guard", daemon=True).start()


@dataclass
class ServerProcess:
    """A running Oxigraph server started by :func:`start_server`."""

    process: subprocess.Popen[bytes]
    host: str
    port: int
    store_path: Path
    _lock_fd: int | None = field(default=None, repr=False)
    guard: "_Guard | None" = field(default=None, repr=False)

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def url(self) -> str:
        """Base URL of the server."""
        return f"http://{_url_host(self.host)}:{self.port}"

    @property
    def query_url(self) -> str:
        """The SPARQL 1.1 Protocol query endpoint."""
        return self.url + "/query"

    def wait(self, timeout: float | None = None) -> int:
        return self.process.wait(timeout)

    def stop(self, sig: int = signal.SIGTERM, *, timeout: float = 10.0) -> int:
        """Send ``sig`` to the server, wait for it (killing it after ``timeout`` seconds),
        release the store and return the exit status."""
        try:
            if self.process.poll() is None:
                try:
                    self.process.send_signal(sig)
                except ProcessLookupError:
                    pass
                try:
                    self.process.wait(timeout)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(5)
            return self.process.returncode
        finally:
            self.release()

    def release(self) -> None:
        """Stop the guard and release the store's reader lock (after the server exited)."""
        if self.guard is not None:
            if self.guard.started:
                self.guard.shutdown()
            self.guard.server_close()
            self.guard = None
        if self._lock_fd is not None:
            _release_reader_lock(self._lock_fd)
            self._lock_fd = None

    def __enter__(self) -> "ServerProcess":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_server(store_path: str | Path, *, host: str = "127.0.0.1", port: int = DEFAULT_PORT,
                 allow_remote: bool = False, timeout_s: int | None = None,
                 startup_timeout: float = 30.0) -> ServerProcess:
    """Start Oxigraph's read-only SPARQL server over the store and return once it listens.

    Oxigraph listens on a private loopback port; a small guard in this process listens on
    ``host:port`` and passes on only queries (refusing UPDATE and SERVICE) and graph reads.

    The default graph is the union of the named graphs (as in the embedded store).  Stop it
    with :meth:`ServerProcess.stop`.  ``timeout_s`` limits each query's time.

    Raises:
        NotLoopbackError: ``host`` is not a loopback address and ``allow_remote`` is false.
        PortInUseError: the port is taken.
        StoreLockedError: a build is writing to the store ("store is in use by process N").
        StoreError: there is no store at ``store_path``.
        ServerError: the Oxigraph binary is missing or the server failed to start.
    """
    path = Path(store_path)
    if not allow_remote and not is_loopback(host):
        raise NotLoopbackError(
            f"{host} is not a loopback address: anyone who can reach it could read the graph; "
            "pass --allow-remote to bind it anyway")
    if not 0 < port < 65536:
        raise ServerError(f"port {port} is not a valid port number")
    db = path / "oxigraph"
    if not db.is_dir():
        raise StoreError(f"no store at {path} (run 'ofsted-kg build' first)")
    binary = find_oxigraph()
    lock_fd = _reader_lock(path)
    guard: _Guard | None = None
    try:
        guard = _Guard.bind(host, port)  # PortInUseError before anything starts
        backend = _free_loopback_port()
        cmd = [binary, "serve-read-only", "--location", str(db),
               "--bind", f"127.0.0.1:{backend}", "--union-default-graph"]
        if timeout_s:
            cmd += ["--timeout-s", str(int(timeout_s))]
        # own session: a Ctrl-C reaches us, and we forward it exactly once; and the server
        # dies with us even if we are killed (Linux)
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, start_new_session=True,
                                preexec_fn=_die_with_parent)
    except BaseException:
        if guard is not None:
            guard.server_close()
        _release_reader_lock(lock_fd)
        raise
    server = ServerProcess(proc, host, port, path, lock_fd, guard)
    try:
        _wait_listening("127.0.0.1", backend, proc, startup_timeout)
    except BaseException:
        server.stop(signal.SIGKILL, timeout=5)
        raise
    guard.start(backend, timeout=float(timeout_s or 600) + 30.0)
    return server


def serve(store_path: str | Path, *, host: str = "127.0.0.1", port: int = DEFAULT_PORT,
          allow_remote: bool = False, timeout_s: int | None = None,
          on_ready: Callable[[ServerProcess], None] | None = None) -> int:
    """Serve the store read-only over the SPARQL 1.1 Protocol until stopped.

    Blocks until the server exits.  SIGINT (Ctrl-C), SIGTERM and SIGHUP are forwarded to the
    server, which is then waited for; the return value is 0 after such a stop, else the
    server's exit status.  ``on_ready`` is called once the server listens.

    Raises:
        NotLoopbackError, PortInUseError, StoreLockedError, StoreError, ServerError: see
        :func:`start_server`.
    """
    stopped: list[int] = []
    running: list[ServerProcess] = []

    def forward(signum: int, _frame: Any) -> None:
        stopped.append(signum)
        for srv in running:
            if srv.process.poll() is None:
                try:
                    srv.process.send_signal(signum)
                except ProcessLookupError:
                    pass

    # handlers first: a signal during start-up must not orphan the server
    handled = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    previous = {s: signal.signal(s, forward) for s in handled}
    try:
        server = start_server(store_path, host=host, port=port, allow_remote=allow_remote,
                              timeout_s=timeout_s)
    except BaseException:
        for s, h in previous.items():
            signal.signal(s, h)
        raise
    running.append(server)
    try:
        if stopped:  # a signal arrived while starting
            server.process.send_signal(stopped[0])
        elif on_ready is not None:
            on_ready(server)
        while True:
            try:
                server.process.wait(0.5 if not stopped else 10.0)
                break
            except subprocess.TimeoutExpired:
                if stopped:  # did not stop within 10 s of the signal
                    server.process.kill()
                    server.process.wait(5)
                    break
    finally:
        for s, h in previous.items():
            signal.signal(s, h)
        if server.process.poll() is None:
            server.stop()
        server.release()
    code = server.process.returncode
    if stopped:
        return 0
    return code if code >= 0 else 128 - code


# =====================================================================================
# HTTP helpers
# =====================================================================================
def _auth_header(user: str | None, password: str | None) -> dict[str, str]:
    if not user:
        return {}
    if password is None:
        raise RemoteError(f"--user {user} needs the password in the environment variable "
                          f"{PASSWORD_ENV}")
    token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    return {"Authorization": "Basic " + token}


def _redact(url: str) -> str:
    p = urllib.parse.urlsplit(url)
    if p.username or p.password:
        netloc = p.hostname or ""
        if p.port:
            netloc += f":{p.port}"
        return urllib.parse.urlunsplit((p.scheme, netloc, p.path, p.query, p.fragment))
    return url


def _check_url(url: str) -> str:
    p = urllib.parse.urlsplit(url)
    if p.scheme not in ("http", "https") or not p.netloc:
        raise RemoteError(f"{url!r} is not an http(s) URL")
    if p.username or p.password:
        raise RemoteError("do not put credentials in the URL; use --user and "
                          f"{PASSWORD_ENV}")
    return url


def _request(method: str, url: str, *, data: bytes | None = None,
             headers: Mapping[str, str] | None = None, timeout: float = 60.0) -> bytes:
    req = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 (http(s) only)
            return resp.read()
    except urllib.error.HTTPError as exc:
        try:
            detail = exc.read().decode("utf-8", "replace").strip().splitlines()
        except OSError:
            detail = []
        msg = f"{method} {_redact(url)}: HTTP {exc.code} {exc.reason}"
        if detail:
            msg += f": {detail[0][:300]}"
        raise RemoteError(msg) from None
    except urllib.error.URLError as exc:
        raise RemoteError(f"cannot reach {_redact(url)}: {exc.reason}") from None
    except (TimeoutError, socket.timeout):
        raise RemoteError(f"{method} {_redact(url)}: no answer within {timeout:.0f} s") from None
    except OSError as exc:
        raise RemoteError(f"{method} {_redact(url)}: {exc}") from None


def _with_param(url: str, key: str, value: str | None) -> str:
    p = urllib.parse.urlsplit(url)
    extra = urllib.parse.quote(key, safe="-") if value is None else urllib.parse.urlencode(
        {key: value})
    query = f"{p.query}&{extra}" if p.query else extra
    return urllib.parse.urlunsplit((p.scheme, p.netloc, p.path, query, p.fragment))


# =====================================================================================
# remote queries: tokens and substitution
# =====================================================================================
_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              | '''(?:[^'\\]|\\.|'(?!''))*'''
              | "(?:[^"\\\n\r]|\\.)*"
              | '(?:[^'\\\n\r]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00B7\u00C0-\U000EFFFF]+)
  | (?P<word>(?:[A-Za-z_\u00C0-\U000EFFFF][\w\-.\u00B7]*)?:(?:[\w\-.:%\u00B7]|\\.)*
             |[A-Za-z_\u00C0-\U000EFFFF][\w\-\u00B7]*
             |@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<number>[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?))
  | (?P<punct>\^\^|&&|\|\||!=|<=|>=|.)
""", re.X | re.S)


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # ws comment string iri var word number punct
    text: str


def tokenize(text: str) -> list[Token]:
    """Split SPARQL text into tokens; joining their texts gives ``text`` back.

    Strings (all four quotings), IRIs and comments are single tokens, so nothing inside
    them is ever mistaken for a variable.

    Raises:
        QueryError: an unterminated string.
    """
    out: list[Token] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        assert m is not None  # the last alternative matches any character
        kind = m.lastgroup or "punct"
        tok = m.group(0)
        if kind == "punct" and tok in ("'", '"'):
            raise QueryError("invalid SPARQL: unterminated string")
        out.append(Token(kind, tok))
        pos = m.end()
    return out


def _term_text(name: str, term: Any) -> str:
    """The N-Triples form of a bound term, checked to be exactly one literal or IRI."""
    if isinstance(term, ox.NamedNode | ox.Literal):
        text = str(term)
    else:
        raise QueryError(f"parameter {name} must be an IRI or a literal, not {term!r}")
    toks = [t for t in tokenize(text) if t.kind != "ws"]
    ok = (len(toks) == 1 and toks[0].kind in ("iri", "string")) or (
        len(toks) == 2 and toks[0].kind == "string" and toks[1].kind == "word"
        and toks[1].text.startswith("@")) or (
        len(toks) == 3 and toks[0].kind == "string" and toks[1].text == "^^"
        and toks[2].kind == "iri")
    if not ok:  # cannot happen with pyoxigraph's serialiser; never send a doubtful query
        raise QueryError(f"parameter {name}: cannot serialise {term!r} safely")
    return text


_PROJECTION_END = {"WHERE", "FROM"}
_ORDER_END = {"LIMIT", "OFFSET", "VALUES", "HAVING", "ORDER", "GROUP"}


def substitute(sparql: str, bindings: Mapping[str, Any] | None) -> str:
    """Bind parameters into a query on the token level (SEP-0007 style).

    Every occurrence of ``?name``/``$name`` outside strings, IRIs and comments is replaced
    by the term's N-Triples form; in a SELECT projection ``?name`` becomes
    ``(<term> AS ?name)`` so the answer still has the column; in ORDER BY/GROUP BY it
    becomes ``(<term>)``.

    Raises:
        QueryError: a parameter is the target of ``AS`` or listed in ``VALUES``, the
            projection is ``SELECT *``, or a term is not an IRI or literal.
    """
    if not bindings:
        return sparql
    terms = {k: _term_text(k, v) for k, v in bindings.items()}
    toks = tokenize(sparql)
    out: list[str] = []
    depth = 0
    projection_depth: int | None = None  # paren depth of the SELECT being projected
    star = False  # some SELECT * in the query
    substituted = False
    order_depth: int | None = None  # inside ORDER BY / GROUP BY at this depth
    prev = ""  # previous significant token, upper-cased
    in_values = False
    for tok in toks:
        if tok.kind in ("ws", "comment"):
            out.append(tok.text)
            continue
        up = tok.text.upper() if tok.kind == "word" else tok.text
        if tok.kind == "word" and up == "SELECT":
            projection_depth = depth
            order_depth = None
        elif projection_depth is not None and depth == projection_depth and (
                up in _PROJECTION_END or up == "{"):
            projection_depth = None
        if tok.kind == "word" and up == "BY" and prev in ("ORDER", "GROUP"):
            order_depth = depth
        elif order_depth is not None and depth == order_depth and (
                up in _ORDER_END or up in ("}", "{")):
            order_depth = None
        if tok.kind == "word" and up == "VALUES":
            in_values = True
        elif in_values and up == "{":
            in_values = False
        if tok.text == "*" and projection_depth is not None and depth == projection_depth:
            star = True
        if tok.kind == "var" and tok.text[1:] in terms:
            name = tok.text[1:]
            if prev == "AS":
                raise QueryError(f"parameter {name} is assigned in the query (AS ?{name}); "
                                 "it cannot also be bound")
            if in_values:
                raise QueryError(f"parameter {name} is listed in VALUES; it cannot be bound")
            term = terms[name]
            if projection_depth is not None and depth == projection_depth:
                out.append(f"({term} AS ?{name})")
            elif order_depth is not None and depth == order_depth:
                out.append(f"({term})")
            else:
                out.append(term)
            substituted = True
        else:
            out.append(tok.text)
        if tok.text == "(":
            depth += 1
        elif tok.text == ")":
            depth -= 1
        prev = up
    if star and substituted:
        raise QueryError("cannot bind parameters of a SELECT * query on a remote endpoint; "
                         "name the variables")
    return "".join(out)


def _declared_prefixes(toks: list[Token]) -> set[str]:
    sig = [t for t in toks if t.kind not in ("ws", "comment")]
    out: set[str] = set()
    for i, t in enumerate(sig[:-1]):
        if t.kind == "word" and t.text.upper() == "PREFIX" and sig[i + 1].kind == "word":
            out.add(sig[i + 1].text.rstrip(":").split(":")[0])
    return out


def with_prefixes(sparql: str) -> str:
    """Prepend ofsted-kg's PREFIX declarations that the query does not declare itself
    (the embedded store adds them implicitly; a remote endpoint does not)."""
    declared = _declared_prefixes(tokenize(sparql))
    lines = [f"PREFIX {p}: <{iri}>" for p, iri in PREFIXES.items() if p not in declared]
    return "\n".join(lines) + ("\n" if lines else "") + sparql


class RemoteEndpoint:
    """A SPARQL 1.1 Protocol endpoint with the read interface of :class:`Store`.

    ``query`` returns pyoxigraph objects (``QuerySolutions``, ``QueryBoolean`` or a list of
    ``Triple``), so the named queries, parameter resolution and ``trace`` run on it
    unchanged.  The endpoint should use the union of the named graphs as its default graph
    (``ofsted-kg serve`` does; for Oxigraph's ``/query`` the ``union-default-graph``
    parameter is sent; Fuseki needs ``unionDefaultGraph``; GraphDB does it by default).

    Raises (from every method):
        RemoteError: the endpoint cannot be reached or answers with an HTTP error.
        QueryError: the endpoint rejected the query as malformed (HTTP 400).
    """

    read_only = True

    def __init__(self, url: str, *, user: str | None = None, password: str | None = None,
                 timeout: float = 60.0, union_default_graph: bool | None = None) -> None:
        self.url = _check_url(url)
        self.timeout = timeout
        self._headers = _auth_header(user, password)
        if union_default_graph is None:  # Oxigraph's query endpoint is exactly /query
            union_default_graph = urllib.parse.urlsplit(url).path.rstrip("/") == "/query"
        self.union_default_graph = union_default_graph
        self.path = None

    def __repr__(self) -> str:
        return f"RemoteEndpoint({_redact(self.url)!r})"

    def __enter__(self) -> "RemoteEndpoint":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Nothing to release (one HTTP request per query)."""

    @property
    def oxigraph(self) -> Any:
        raise QueryError("a remote endpoint is read-only: SPARQL UPDATE is not sent")

    def query_text(self, sparql: str, *, bindings: Mapping[str, Any] | None = None) -> str:
        """The exact text sent for ``sparql`` with ``bindings``."""
        return with_prefixes(substitute(sparql, bindings))

    def query(self, sparql: str, *, bindings: Mapping[str, Any] | None = None,
              union: bool = True) -> Any:
        """Run a query remotely with parameters bound on the token level."""
        from .queries import query_form

        form = query_form(sparql)
        if form == "UPDATE":
            raise QueryError("SPARQL UPDATE refused: a remote endpoint is queried read-only")
        text = self.query_text(sparql, bindings=bindings)
        graph = form in ("CONSTRUCT", "DESCRIBE")
        accept = ("application/n-triples" if graph
                  else "application/sparql-results+json")
        url = self.url
        if union and self.union_default_graph:
            url = _with_param(url, "union-default-graph", None)
        headers = {"Accept": accept,
                   "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
                   **self._headers}
        body = urllib.parse.urlencode({"query": text}).encode("utf-8")
        try:
            data = _request("POST", url, data=body, headers=headers, timeout=self.timeout)
        except RemoteError as exc:
            if ": HTTP 400 " in str(exc):
                raise QueryError(f"the endpoint rejected the query: {exc}") from None
            raise
        try:
            if graph:
                return [ox.Triple(q.subject, q.predicate, q.object)
                        for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]
            return ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
        except (SyntaxError, ValueError) as exc:
            raise RemoteError(f"{_redact(self.url)} did not answer in "
                              f"{'N-Triples' if graph else 'SPARQL JSON'}: {exc}") from None

    def select(self, sparql: str, **kwargs: Any) -> list[Row]:
        """A SELECT as a list of rows ``{variable: python value}`` (unbound left out)."""
        res = self.query(sparql, **kwargs)
        names = [v.value for v in res.variables]
        return [{n: term_value(sol[n]) for n in names if sol[n] is not None} for sol in res]


# =====================================================================================
# push
# =====================================================================================
def graph_store_url(endpoint: str) -> str:
    """The Graph Store Protocol URL that goes with a query endpoint (or is one).

    ``.../query`` (Oxigraph) -> ``.../store``; ``/ds/sparql`` or ``/ds/query`` (Fuseki) ->
    ``/ds/data``; ``/repositories/X`` (GraphDB) -> ``/repositories/X/rdf-graphs/service``;
    a URL already ending in ``/store``, ``/data`` or ``/rdf-graphs/service`` is kept.

    Raises:
        RemoteError: the URL's shape is unknown (give the graph store URL explicitly).
    """
    _check_url(endpoint)
    p = urllib.parse.urlsplit(endpoint)
    path = p.path.rstrip("/")

    def mk(new: str) -> str:
        return urllib.parse.urlunsplit((p.scheme, p.netloc, new, "", ""))

    if path in ("", "/query", "/store"):
        return mk("/store")
    if path.endswith("/rdf-graphs/service") or path.endswith("/data"):
        return mk(path)
    if re.search(r"/repositories/[^/]+$", path):
        return mk(path + "/rdf-graphs/service")
    m = re.fullmatch(r"(/.+)/(sparql|query)", path)
    if m:
        return mk(m.group(1) + "/data")
    raise RemoteError(f"cannot tell the graph store URL for {endpoint}; give --graph-store "
                      "(Oxigraph: /store, Fuseki: /DATASET/data, GraphDB: "
                      "/repositories/ID/rdf-graphs/service)")


@dataclass(frozen=True, slots=True)
class PushProgress:
    """Progress of a push, after each uploaded chunk."""

    graphs_done: int
    graphs_total: int
    graph: str
    triples_sent: int
    triples_total: int


@dataclass(slots=True)
class PushSummary:
    """What a push sent."""

    graph_store: str
    graphs: int = 0
    triples: int = 0
    bytes: int = 0
    requests: int = 0
    seconds: float = 0.0
    pruned: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"graph_store": _redact(self.graph_store), "graphs": self.graphs,
                "triples": self.triples, "bytes": self.bytes, "requests": self.requests,
                "seconds": round(self.seconds, 3), "pruned": self.pruned}


def _graph_chunks(store: Store, graph: str, size: int) -> Iterator[list[str]]:
    """N-Triples lines of one graph, ``size`` at a time; a graph with blank nodes comes in
    one chunk (a blank node's label only holds within one request)."""
    g = ox.NamedNode(graph)
    quads = store.oxigraph.quads_for_pattern(None, None, None, g)
    chunk: list[str] = []
    has_bnode = False
    for q in quads:
        if not has_bnode and (isinstance(q.subject, ox.BlankNode)
                              or isinstance(q.object, ox.BlankNode)):
            has_bnode = True
        chunk.append(f"{q.subject} {q.predicate} {q.object} .\n")
        if len(chunk) >= size and not has_bnode:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def pushable_graphs(store: Store) -> list[str]:
    """The named graphs a push sends: everything but the manifest (local file paths);
    the vocabulary first, then links, then reports."""
    names = sorted(g.value for g in store.oxigraph.named_graphs()
                   if isinstance(g, ox.NamedNode) and g.value != MANIFEST_GRAPH)

    def rank(g: str) -> tuple[int, str]:
        return (0 if g.endswith("/vocabulary") else 1 if "/graph/links/" in g
                else 3 if "/graph/report/" in g else 2, g)

    return sorted(names, key=rank)


def push(store: Store | str | Path, *, endpoint: str, graph_store: str | None = None,
         user: str | None = None, password: str | None = None,
         progress: Callable[[PushProgress], None] | None = None,
         chunk_triples: int = 50_000, timeout: float = 120.0,
         prune: bool = False) -> PushSummary:
    """Upload the store's named graphs through the SPARQL 1.1 Graph Store HTTP Protocol.

    Each graph is sent with ``PUT ?graph=IRI`` (replace semantics: pushing twice gives the
    same remote graph); a graph larger than ``chunk_triples`` sends its first chunk with
    ``PUT`` and the rest with ``POST`` (append).  The manifest graph is never sent.
    ``password`` should come from :data:`PASSWORD_ENV`, never from a command-line flag.
    With ``prune``, report and links graphs on the remote store that the local store no
    longer has (removed or rebuilt documents) are deleted afterwards (``DELETE ?graph=``);
    this asks ``endpoint`` (a query endpoint) which graphs it holds.

    Raises:
        RemoteError: the graph store cannot be reached, or refused a request (nothing after
            the failing graph is sent; graphs sent before it are complete).
        StoreError: the local store cannot be opened.
    """
    if chunk_triples < 1:
        raise ValueError("chunk_triples must be positive")
    gsp = _check_url(graph_store) if graph_store else graph_store_url(endpoint)
    headers = {"Content-Type": "application/n-triples; charset=utf-8",
               **_auth_header(user, password)}
    own = not isinstance(store, Store)
    st = Store(Path(store), read_only=True) if own else store
    assert isinstance(st, Store)
    started = time.monotonic()
    summary = PushSummary(graph_store=gsp)
    try:
        graphs = pushable_graphs(st)
        total = sum(st.count(g) for g in graphs)
        sent = 0
        for i, graph in enumerate(graphs, 1):
            url = _with_param(gsp, "graph", graph)
            first = True
            for chunk in _graph_chunks(st, graph, chunk_triples):
                body = "".join(chunk).encode("utf-8")
                _request("PUT" if first else "POST", url, data=body, headers=headers,
                         timeout=timeout)
                first = False
                sent += len(chunk)
                summary.requests += 1
                summary.bytes += len(body)
                if progress is not None:
                    progress(PushProgress(i - 1, len(graphs), graph, sent, total))
            if first:  # an empty graph: replace the remote one with nothing
                _request("PUT", url, data=b"", headers=headers, timeout=timeout)
                summary.requests += 1
            summary.graphs += 1
            if progress is not None:
                progress(PushProgress(i, len(graphs), graph, sent, total))
        summary.triples = sent
        if prune:
            summary.pruned = _prune(endpoint, gsp, set(graphs), user=user, password=password,
                                    timeout=timeout)
            summary.requests += len(summary.pruned)
    finally:
        summary.seconds = time.monotonic() - started
        if own:
            st.close()
    return summary


def _prune(endpoint: str, gsp: str, keep: set[str], *, user: str | None,
           password: str | None, timeout: float) -> list[str]:
    from .ontology.namespaces import GRAPH

    ours = (str(GRAPH["report/"]), str(GRAPH["links/"]))
    ep = RemoteEndpoint(endpoint, user=user, password=password, timeout=timeout)
    try:
        rows = ep.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", union=False)
    except (RemoteError, QueryError) as exc:
        raise RemoteError(f"cannot list the remote graphs to prune (is --endpoint the query "
                          f"endpoint?): {exc}") from None
    stale = sorted(str(r["g"]) for r in rows
                   if str(r.get("g", "")).startswith(ours) and str(r["g"]) not in keep)
    for g in stale:
        _request("DELETE", _with_param(gsp, "graph", g), timeout=timeout,
                 headers=_auth_header(user, password))
    return stale


def password_from_env() -> str | None:
    """The password in :data:`PASSWORD_ENV`, if set."""
    return os.environ.get(PASSWORD_ENV)

