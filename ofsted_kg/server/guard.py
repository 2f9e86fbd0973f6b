"""The guard in front of Oxigraph's server: only queries and graph reads pass.

Oxigraph's ``serve-read-only`` refuses writes but would still run ``SERVICE`` (reaching any
URL a caller names); the guard listens on the public address, refuses UPDATE, SERVICE and
every path but ``/query`` and ``GET /store``, and forwards the rest to the private port.
"""

from __future__ import annotations

import errno
import socket
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from ..errors import QueryError
from .errors import PortInUseError, ServerError
from .sparql import tokenize


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
    from ..queries import query_form

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
