"""ofsted-kg's exceptions.  The CLI maps each to one clear line and an exit status."""

from __future__ import annotations


class OfstedKGError(Exception):
    """Base class of every error ofsted-kg raises on purpose."""


class DocumentError(OfstedKGError):
    """A file could not be read as an inspection report.

    ``str(err)`` is the one-line message ``<file>: <reason>``.
    """

    def __init__(self, path: str, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class StoreError(OfstedKGError):
    """The store could not be opened, read or written."""


class StoreLockedError(StoreError):
    """Another process is writing to the store."""

    def __init__(self, path: str, pid: int | None) -> None:
        self.path = str(path)
        self.pid = pid
        who = f"process {pid}" if pid else "another process"
        super().__init__(f"store {self.path} is in use by {who}")


class QueryError(OfstedKGError):
    """A SPARQL query is unknown, malformed, refused, or missing a parameter."""


class ValidationError(OfstedKGError):
    """The ontology or shapes could not be loaded for validation."""
