"""From a report's text to a plain :class:`DocumentRecord` (no rdflib here).

The pipeline is: :func:`read_document` -> :func:`prepare` -> :func:`extract_core`
(what, who, when, grades) -> :func:`extract_concerns` / :func:`extract_findings` ->
theme tagging.  Everything is driven by the documents' own structure (headings, tables,
sentences), never by file names.
"""

from __future__ import annotations

from pathlib import Path

from .core import extract_core
from .items import extract_concerns, extract_findings
from .normalise import PreparedDocument, prepare
from .read import RawDocument, read_document
from .records import DocumentRecord, Source
from ..errors import DocumentError
from .audit import audit
from .themes import tag_record

__all__ = ["extract", "extract_path"]


def extract(raw: RawDocument) -> DocumentRecord:
    """Extract one document's record from its raw text.

    Raises:
        DocumentError: the text is not an inspection report at all, or the document cannot
            be identified (no authority named, or no date at all): such a record would
            fail the SHACL shapes, so it is refused rather than written.
    """
    doc: PreparedDocument = prepare(raw)
    record = DocumentRecord(
        source=Source(file=raw.path, sha256=raw.sha256, pages=len(raw.pages)),
        authority=None,
        document_type="other",
    )
    extract_core(doc, record)
    record.concerns = extract_concerns(doc, record)
    record.findings = extract_findings(doc, record)
    for i, c in enumerate(record.concerns, 1):
        c.position = i
    for i, f in enumerate(record.findings, 1):
        f.position = i
    tag_record(record)
    record.audit = audit(record)
    if record.authority is None or (record.visit_start is None and record.published is None):
        what = "no authority named" if record.authority is None else "no date"
        raise DocumentError(raw.path, f"cannot identify the document ({what}): not written to the store")
    return record


def extract_path(path: str | Path) -> DocumentRecord:
    """Read and extract one file.

    Raises:
        DocumentError: unreadable file or not an inspection report.
    """
    return extract(read_document(path))
