"""Named queries and ``trace`` against any SPARQL 1.1 Protocol endpoint."""

from __future__ import annotations

import urllib.parse
from collections.abc import Mapping
from typing import Any

import pyoxigraph as ox

from ..errors import QueryError
from ..store import Row, term_value
from .errors import RemoteError, RemoteTimeoutError
from .http import _auth_header, _check_url, _redact, _request, _with_param
from .sparql import substitute, with_prefixes

__all__ = ["RemoteEndpoint"]


class RemoteEndpoint:
    """A SPARQL 1.1 Protocol endpoint with the read interface of :class:`Store`.

    ``query`` returns pyoxigraph objects (``QuerySolutions``, ``QueryBoolean`` or a list of
    ``Triple``), so the named queries, parameter resolution and ``trace`` run on it
    unchanged.  The endpoint should use the union of the named graphs as its default graph
    (``ofsted-kg serve`` does; for Oxigraph's ``/query`` the ``union-default-graph``
    parameter is sent; Fuseki needs ``unionDefaultGraph``; GraphDB does it by default).

    ``timeout`` is the HTTP timeout of each request in seconds (``None``: none); a query
    that gets no answer within it raises :class:`QueryError` with the time-limit message.

    Raises (from every method):
        RemoteError: the endpoint cannot be reached or answers with an HTTP error.
        QueryError: the endpoint rejected the query as malformed (HTTP 400), or sent
            nothing within ``timeout``.
    """

    read_only = True

    def __init__(self, url: str, *, user: str | None = None, password: str | None = None,
                 timeout: float | None = 60.0, union_default_graph: bool | None = None
                 ) -> None:
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
        from ..queries import query_form

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
        except RemoteTimeoutError:
            from ..queries.limit import stopped_message

            raise QueryError(stopped_message(self.timeout or 0, where=" waiting for "
                                             + _redact(self.url))) from None
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
