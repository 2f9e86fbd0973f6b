"""Theme tagging of concerns and findings with the SKOS vocabulary (placeholder)."""

from __future__ import annotations

from .records import DocumentRecord


def tag_record(record: DocumentRecord) -> None:
    """Set ``themes`` and ``theme_matches`` on every concern and finding (placeholder)."""
