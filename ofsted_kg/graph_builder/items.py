"""Concern items and findings (placeholder)."""

from __future__ import annotations

from .normalise import PreparedDocument
from .records import Concern, DocumentRecord, Finding


def extract_concerns(doc: PreparedDocument, record: DocumentRecord) -> list[Concern]:
    """Every concern item of the document, whole, in order (placeholder)."""
    return []


def extract_findings(doc: PreparedDocument, record: DocumentRecord) -> list[Finding]:
    """Findings with polarity (placeholder)."""
    return []
