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
never on text (:mod:`.sparql`): a value can only ever be one literal or one IRI.

The package, by responsibility: :mod:`.process` (Oxigraph's server process, the store's
reader lock), :mod:`.guard` (the HTTP guard in front of it), :mod:`.http` (requests, URL and
credential checks), :mod:`.sparql` (tokens, substitution, prefixes), :mod:`.remote`
(:class:`RemoteEndpoint`), :mod:`.push` (Graph Store Protocol uploads), :mod:`.errors`.
Every public name is importable from ``ofsted_kg.server``.

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

from .errors import (NotLoopbackError, PortInUseError, RemoteError, RemoteTimeoutError,
                     ServerError)
from .http import PASSWORD_ENV, password_from_env
from .http import _request as _request  # noqa: F401 (tests call it directly)
from .process import DEFAULT_PORT, ServerProcess, find_oxigraph, is_loopback, serve, start_server
from .push import PushProgress, PushSummary, graph_store_url, push, pushable_graphs
from .remote import RemoteEndpoint
from .sparql import Token, substitute, tokenize, with_prefixes

__all__ = [
    "ServerError", "NotLoopbackError", "PortInUseError", "RemoteError",
    "RemoteTimeoutError",
    "serve", "start_server", "ServerProcess", "find_oxigraph", "is_loopback",
    "push", "PushProgress", "PushSummary", "graph_store_url", "pushable_graphs",
    "RemoteEndpoint", "substitute", "tokenize", "with_prefixes", "Token", "PASSWORD_ENV",
    "DEFAULT_PORT", "password_from_env",
]
