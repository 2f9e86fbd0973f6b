"""The exceptions of sharing the graph: serving, remote queries, pushing."""

from __future__ import annotations

from ..errors import OfstedKGError

__all__ = ["ServerError", "NotLoopbackError", "PortInUseError", "RemoteError",
           "RemoteTimeoutError"]


class ServerError(OfstedKGError):
    """The SPARQL server could not be started or stopped."""


class NotLoopbackError(ServerError):
    """Binding a non-loopback address was asked for without ``allow_remote``."""


class PortInUseError(ServerError):
    """The port to listen on is already taken."""


class RemoteError(OfstedKGError):
    """A remote SPARQL endpoint or graph store could not be reached or refused a request."""


class RemoteTimeoutError(RemoteError):
    """A remote endpoint or graph store sent nothing within the request's timeout."""
