"""What the build's fork server loads before it forks the workers (``pool.mp_context``).

Importing this module imports the code every worker runs and builds, once, the tables
the extraction otherwise builds lazily in each worker: the theme index (parsing
``themes.ttl`` with rdflib, ~0.15 s) and the authority lookup.  Each forked worker
inherits them.  Nothing here may raise: the fork server would die (it ignores only
``ImportError``), so a failure just leaves the tables to be built in the workers.
"""

from __future__ import annotations

from . import extract, pool, rdf, read  # noqa: F401 -- imported for the workers
from .links import records, write  # noqa: F401


def _warm() -> None:
    try:
        from .authorities import _pattern, all_authorities
        from .themes import _index

        _index()
        all_authorities()
        _pattern()
    except Exception:  # noqa: BLE001 -- built lazily in each worker instead
        pass


_warm()
