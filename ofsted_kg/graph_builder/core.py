"""Document type, framework, authority, dates, inspectors and judgements (placeholder)."""

from __future__ import annotations

from .normalise import PreparedDocument
from .records import DocumentRecord


def extract_core(doc: PreparedDocument, record: DocumentRecord) -> None:
    """Fill the record's identity fields in place (placeholder until extraction lands)."""
