"""The graph's deterministic IRIs: the authority by ONS GSS code (its name's slug when it
has none), the report by the SHA-256 of its bytes, the visit by authority, kind and start
date (shared by two files of one visit), an inspector by name."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from ..ontology.namespaces import ID
from .records import DocumentRecord

__all__ = ["authority_iri", "inspector_iri", "report_iri", "slug", "visit_iri"]


def slug(text: str) -> str:
    """Lower-case ASCII slug for IRIs (``"Shirley Bailey"`` -> ``"shirley-bailey"``)."""
    t = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    t = re.sub(r"[^a-zA-Z0-9]+", "-", t).strip("-").lower()
    return t or hashlib.sha1(text.encode()).hexdigest()[:12]


def authority_iri(record: DocumentRecord) -> str | None:
    a = record.authority
    if a is None:
        return None
    if a.gss_code:
        return str(ID[f"authority/{a.gss_code}"])
    return str(ID[f"authority/name/{slug(a.name)}"])


def report_iri(sha256: str) -> str:
    return str(ID[f"report/{sha256}"])


def visit_iri(record: DocumentRecord) -> str:
    """The visit a report describes: shared by two files of the same visit (PDF and text)."""
    auth = record.authority
    key = auth.gss_code if auth and auth.gss_code else (slug(auth.name) if auth else None)
    if key and record.visit_start:
        return str(ID[f"visit/{key}/{record.document_type}/{record.visit_start}"])
    return str(ID[f"visit/report/{record.source.sha256}"])


def inspector_iri(name: str) -> str:
    return str(ID[f"inspector/{slug(name)}"])
