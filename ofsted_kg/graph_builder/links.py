"""Cross-visit links within an authority (placeholder; see issue 5)."""

from __future__ import annotations

from collections.abc import Iterable

from ..store import Store


def relink(store: Store, authorities: Iterable[str]) -> None:
    """Recompute the links graph of each authority key (GSS code) given (placeholder)."""
