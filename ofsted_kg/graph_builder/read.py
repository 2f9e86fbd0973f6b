"""Read a report's text, page by page, from a PDF (pypdfium2) or a text file.

Only reading happens here: the bytes are hashed, the text layer taken out page by page,
and nothing is interpreted.  Every failure is a :class:`~ofsted_kg.errors.DocumentError`
whose message names the file and the reason in one line.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DocumentError

__all__ = ["RawDocument", "read_document", "READABLE_SUFFIXES"]

READABLE_SUFFIXES = (".pdf", ".txt")


@dataclass(slots=True)
class RawDocument:
    """The text of one file, as extracted, one string per page (1-based page = index + 1)."""

    path: str
    sha256: str
    pages: list[str]
    kind: str  # "pdf" | "text"
    metadata: dict[str, str] = field(default_factory=dict)  # PDF info dictionary


def read_document(path: str | Path) -> RawDocument:
    """Read ``path`` (``.pdf`` or ``.txt``) into a :class:`RawDocument`.

    Raises:
        DocumentError: the file is missing, unreadable, empty, not a PDF, encrypted,
            has no text layer, or is not decodable text.
    """
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise DocumentError(str(path), "no such file") from None
    except IsADirectoryError:
        raise DocumentError(str(path), "is a directory") from None
    except PermissionError:
        raise DocumentError(str(path), "permission denied") from None
    except OSError as exc:
        raise DocumentError(str(path), f"cannot read ({exc.strerror or exc})") from None
    if not data:
        raise DocumentError(str(path), "empty file")
    digest = hashlib.sha256(data).hexdigest()
    if data[:5] == b"%PDF-" or p.suffix.lower() == ".pdf":
        pages, meta = _pdf_pages(str(path), data)
        return RawDocument(str(path), digest, pages, "pdf", meta)
    return RawDocument(str(path), digest, _text_pages(str(path), data), "text")


def _text_pages(path: str, data: bytes) -> list[str]:
    if b"\x00" in data[:4096]:
        raise DocumentError(path, "binary data, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    if not text.strip():
        raise DocumentError(path, "empty file (no text)")
    return text.split("\f")


def _pdf_pages(path: str, data: bytes) -> tuple[list[str], dict[str, str]]:
    if data[:5] != b"%PDF-":
        head = data[:200].lstrip().lower()
        what = "an HTML page" if head.startswith((b"<!doctype html", b"<html")) else "not a PDF"
        raise DocumentError(path, f"{what}, not a PDF file")
    import pypdfium2 as pdfium  # lazy: text-only use never loads PDFium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        msg = str(exc).lower()
        if "password" in msg:
            raise DocumentError(path, "encrypted PDF (password required)") from None
        raise DocumentError(path, f"corrupt or truncated PDF ({exc})") from None
    try:
        meta = {k: v for k, v in pdf.get_metadata_dict(skip_empty=True).items()}
        pages: list[str] = []
        for i in range(len(pdf)):
            page = pdf[i]
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range())
            textpage.close()
            page.close()
    finally:
        pdf.close()
    if not pages:
        raise DocumentError(path, "PDF has no pages")
    if sum(len(t.strip()) for t in pages) < 20 * len(pages):
        raise DocumentError(path, "no text layer (scanned?)")
    return pages, meta
