"""What the build's fork server loads before it forks the workers (``pool.mp_context``).

Importing this module imports the code every worker runs and builds, once, the tables
the extraction otherwise builds lazily in each worker: the theme index (parsing
``themes.ttl`` with rdflib, ~0.15 s) and the authority lookup, and those the links step
builds: the visit topics' themes (parsing the ontology, ~0.04 s).  Each forked worker
inherits them.  Nothing here may raise: the fork server would die (it ignores only
``ImportError``), so a failure just leaves the tables to be built in the workers.
"""

from __future__ import annotations

import gc

from . import extract, pool, rdf, read  # noqa: F401 -- imported for the workers
from .links import records, write  # noqa: F401


def _warm() -> None:
    try:
        from ..lineage.phrase import area_themes
        from .authorities import _pattern, all_authorities
        from .themes import _index

        _index()
        all_authorities()
        _pattern()
        area_themes()  # (and topic_themes: a visit off the phrase's topic, lineage.chain)
    except Exception:  # noqa: BLE001 -- built lazily in each worker instead
        pass


_warm()
# what is loaded so far lives as long as the fork server and every worker: moved out of the
# cyclic collector's generations, a worker's collections no longer walk it again and again
# (its pages also stay shared with the fork server; ~3 % of the workers' CPU on the corpus)
gc.freeze()
