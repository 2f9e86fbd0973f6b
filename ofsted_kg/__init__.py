"""ofsted-kg: Ofsted's inspections of English children's services as a knowledge graph.

The Python API the command line wraps::

    import ofsted_kg
    summary = ofsted_kg.build(["samples"], store="ofsted-kg-store")
    with ofsted_kg.open_store("ofsted-kg-store") as store:
        result = ofsted_kg.query(store, "concern-persistence",
                                 authority="Sefton", words="mental health")
        chain = ofsted_kg.trace(store, "mental health", authority="Sefton")
    records = ofsted_kg.extract(["samples/sefton-2016-inspection.txt"])
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .errors import (
    DocumentError, OfstedKGError, QueryError, StoreError, StoreLockedError, ValidationError,
)
from .store import Store, open_store

__version__ = "0.1.0"

__all__ = [
    "build", "extract", "query", "trace", "remove", "export", "validate_store", "open_store", "Store",
    "__version__",
    "OfstedKGError", "DocumentError", "QueryError", "StoreError", "StoreLockedError",
    "ValidationError",
]


def build(paths: Iterable[str | Path], *, store: Store | str | Path | None = None,
          jobs: int | None = None, strict: bool = False, force: bool = False) -> Any:
    """Build the graph from report files/folders into ``store``; see
    :func:`ofsted_kg.graph_builder.pipeline.build`.

    Raises:
        StoreLockedError, StoreError: the store cannot be opened or written.
    """
    from .graph_builder.pipeline import build as _build

    return _build(paths, store=store, jobs=jobs, strict=strict, force=force)


def extract(paths: Iterable[str | Path]) -> list[Any]:
    """Extract one :class:`DocumentRecord` per file (no store involved).

    Raises:
        DocumentError: a file cannot be read as an inspection report.
    """
    from .graph_builder.extract import extract_path

    return [extract_path(p) for p in paths]


def query(store: Store, name: str, *, timeout: float | None = None, **params: str) -> Any:
    """Run a named query (or a ``.rq`` file) with keyword parameters.

    The query is stopped after ``timeout`` seconds (default 60 or
    ``$OFSTED_KG_QUERY_TIMEOUT``; 0 = no limit; see :mod:`ofsted_kg.queries.limit`).

    Raises:
        QueryError: unknown query, bad or missing parameter, refused query, or stopped at
            the time limit.
    """
    from .queries import run_query

    return run_query(store, name, {k: str(v) for k, v in params.items()}, timeout=timeout)


def trace(store: Store, text: str | None = None, *, theme: str | None = None,
          authority: str | None = None, since: int | None = None,
          all_mentions: bool = False) -> Any:
    """The lineage of a concern: per document in date order, its concern items and the
    findings deciding its status there, and a verdict ("raised 2014; repeated 2018, 2023;
    resolved 2026").  See :func:`ofsted_kg.queries.trace.trace`.

    Raises:
        QueryError: nothing to trace, or unknown authority/theme.
    """
    from .queries.trace import trace as _trace

    return _trace(store, text, theme=theme, authority=authority, since=since,
                  all_mentions=all_mentions)


def remove(paths: Iterable[str | Path] = (), *, store: Store | str | Path | None = None,
           missing: bool = False) -> Any:
    """Drop the documents built from ``paths`` (and, with ``missing=True``, those whose
    source files are gone); see :func:`ofsted_kg.graph_builder.removal.remove`.

    Raises:
        StoreLockedError, StoreError: the store cannot be opened or written.
    """
    from .graph_builder.removal import remove as _remove

    return _remove(paths, store=store, missing=missing)


def export(store: Store, fmt: str, output: str | Path, *, view: str = "timeline",
           authority: str | None = None, theme: str | None = None,
           since: int | None = None) -> Any:
    """Export the graph as HTML (``view``: timeline, trace, national), ``ttl``, ``nt``,
    ``nq``, ``trig``, ``jsonld`` or ``graphml``; see :func:`ofsted_kg.exports.export`.

    Raises:
        OfstedKGError: unknown format or view, unknown authority/theme, unwritable output.
    """
    from .exports import export as _export

    return _export(store, fmt, output, view=view, authority=authority, theme=theme, since=since)


def validate_store(store: Store, *, inference: str = "none") -> Any:
    """Check the store's graph against the SHACL shapes; ``.conforms`` says whether it
    passes.  See :func:`ofsted_kg.validate.validate_graph`.  (Not named ``validate``: that
    is the submodule :mod:`ofsted_kg.validate`, which importing would shadow.)

    Raises:
        ValidationError: the shapes cannot be loaded.
    """
    from .validate import validate_graph

    return validate_graph(store, inference=inference)
