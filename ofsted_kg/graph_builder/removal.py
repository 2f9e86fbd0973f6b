"""Remove documents from the store: by the paths they were built from, or those whose
source files are gone; the links of the authorities concerned are recomputed."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..store import Store, open_store, report_iri
from .pipeline import relink_stale

__all__ = ["RemoveSummary", "remove"]


@dataclass(slots=True)
class RemoveSummary:
    """What :func:`remove` did."""

    removed: list[str] = field(default_factory=list)  # documents dropped (their first path)
    unlinked: list[str] = field(default_factory=list)  # paths forgotten, document kept
    not_found: list[str] = field(default_factory=list)  # given paths the store never held
    store_quads: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"removed": self.removed, "unlinked": self.unlinked,
                "not_found": self.not_found, "store_quads": self.store_quads}


def remove(paths: Iterable[str | Path] = (), *, store: Store | str | Path | None = None,
           missing: bool = False, wait: bool = False) -> RemoveSummary:
    """Drop the documents built from ``paths`` (files, or folders: everything under
    them), and with ``missing=True`` those whose every source file no longer exists.

    A document built from several identical files is dropped when none of its paths is
    left; otherwise only the path is forgotten.  Each document is dropped in one
    transaction; links of the authorities concerned are recomputed.

    Raises:
        StoreLockedError: another process is writing to the store.
        StoreError: the store cannot be opened or written.
    """
    paths = [str(p) for p in paths]
    own = not isinstance(store, Store)
    st = open_store(store, wait=wait) if own else store  # type: ignore[arg-type]
    try:
        summary = RemoveSummary()
        docs = st.documents()
        targets = [os.path.abspath(p) for p in paths]
        hit: set[str] = set()

        def matches(p: str) -> bool:
            for t in targets:
                if p == t or p.startswith(t.rstrip(os.sep) + os.sep):
                    hit.add(t)
                    return True
            return missing and not os.path.lexists(p)

        for d in docs:
            gone = {p for p in d.paths if matches(p)}
            if not gone:
                continue
            left = set(d.paths) - gone
            if left:
                st.update_manifest({report_iri(d.sha256): left})
                summary.unlinked.extend(sorted(gone))
            else:
                st.drop_graphs([d.graph], reports=[report_iri(d.sha256)])
                summary.removed.append(d.path)
        summary.not_found = [str(p) for p, t in zip(paths, targets) if t not in hit]
        relink_stale(st)
        summary.store_quads = st.count()
        return summary
    finally:
        if own:
            st.close()
