"""Read a report's text, page by page, from a PDF (pypdfium2) or a text file.

Only reading happens here: the bytes are hashed, the text layer taken out page by page,
and nothing is interpreted.  Every failure is a :class:`~ofsted_kg.errors.DocumentError`
whose message names the file and the reason in one line.
"""

from __future__ import annotations

import hashlib
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DocumentError

__all__ = ["RawDocument", "read_document", "READABLE_SUFFIXES"]

READABLE_SUFFIXES = (".pdf", ".txt")
#: Bounds that keep time and memory finite on hostile input.  A long report's text is
#: ~0.5 MB and its PDF a few MB; anything far beyond is not a report.
MAX_TEXT_BYTES = 4_000_000  # also the bound on a PDF's extracted text (characters)
MAX_PDF_BYTES = 200_000_000
MAX_PDF_PAGES = 2_000


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
        st = p.stat()
    except FileNotFoundError:
        reason = "broken symbolic link" if p.is_symlink() else "no such file"
        raise DocumentError(str(path), reason) from None
    except OSError as exc:
        raise DocumentError(str(path), f"cannot read ({exc.strerror or exc})") from None
    if stat.S_ISDIR(st.st_mode):
        raise DocumentError(str(path), "is a directory")
    if not stat.S_ISREG(st.st_mode):  # a FIFO or device would block or never end
        raise DocumentError(str(path), "not a regular file")
    limit = MAX_PDF_BYTES if p.suffix.lower() == ".pdf" else MAX_TEXT_BYTES
    if st.st_size > limit:
        raise DocumentError(str(path), f"too large for a report ({st.st_size / 1e6:.1f} MB; "
                                       f"limit {limit / 1e6:.0f} MB)")
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
        if sum(len(t) for t in pages) > MAX_TEXT_BYTES:
            raise DocumentError(str(path), "too much text for a report "
                                           f"(over {MAX_TEXT_BYTES / 1e6:.0f} million characters)")
        return RawDocument(str(path), digest, pages, "pdf", meta)
    return RawDocument(str(path), digest, _text_pages(str(path), data), "text")


def _text_pages(path: str, data: bytes) -> list[str]:
    head = data[:4096]
    if b"\x00" in head:
        raise DocumentError(path, "binary data, not text")
    if head[:5] == b"%PDF-":
        raise DocumentError(path, "a PDF file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    if not text.strip():
        raise DocumentError(path, "empty file")
    if _looks_like_html(text):
        raise DocumentError(path, "an HTML page, not a report")
    controls = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\t\n\r\f\x02")
    if controls > 0.05 * min(len(text), 4096):
        raise DocumentError(path, "binary data, not text")
    if "\f" in text:
        pages = text.split("\f")
        if len(pages) > 1 and not pages[-1].strip():
            pages.pop()
        return pages
    return infer_text_pages(text)


# A run of three or more empty lines: where text extracted without form feeds lost a page
# break (the seeds show this: "case file audits\n\n\n\nand other information").
_PAGE_GAP = re.compile(r"\n[ \t]*\n[ \t]*\n[ \t]*\n+")
_MIN_PAGE_CHARS = 1200  # a chunk shorter than this is layout spacing, not a page
_MAX_PAGE_CHARS = 6500  # an A4 report page holds ~3,000-4,500 characters


def infer_text_pages(text: str) -> list[str]:
    """Split text without form feeds into pages where it shows page breaks.

    Runs of three or more empty lines mark page breaks when they are regular: after
    merging chunks too short to be a page (letterhead spacing), every page must fit
    on an A4 page.  Otherwise the text is one page (page numbers are then unknown, not
    guessed).
    """
    parts: list[str] = []
    last = 0
    for m in _PAGE_GAP.finditer(text):
        parts.append(text[last:m.start()] + "\n")
        last = m.end()
    parts.append(text[last:])
    if len(parts) < 2:
        return [text]
    pages: list[str] = []
    buf = ""
    for part in parts:
        buf = buf + ("\n\n" if buf else "") + part if buf else part
        if len(buf.strip()) >= _MIN_PAGE_CHARS:
            pages.append(buf)
            buf = ""
    if buf.strip():
        if pages:
            pages[-1] = pages[-1] + "\n\n" + buf if len(buf.strip()) < 200 else pages[-1]
            if len(buf.strip()) >= 200:
                pages.append(buf)
        else:
            pages.append(buf)
    if len(pages) < 2 or max(len(p) for p in pages) > _MAX_PAGE_CHARS:
        return [text]
    return pages


def _looks_like_html(text: str) -> bool:
    head = text[:400].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or ("<head" in head and "<body" in text[:4000].lower())


def _pdf_pages(path: str, data: bytes) -> tuple[list[str], dict[str, str]]:
    if data[:5] != b"%PDF-":
        head = data[:200].lstrip().lower()
        if head.startswith((b"<!doctype html", b"<html")) or b"<html" in data[:2000].lower():
            raise DocumentError(path, "an HTML page, not a PDF")
        raise DocumentError(path, "not a PDF (no %PDF- header)")
    import pypdfium2 as pdfium  # lazy: text-only use never loads PDFium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        msg = str(exc).lower()
        if "password" in msg:
            raise DocumentError(path, "encrypted PDF (password required)") from None
        raise DocumentError(path, f"corrupt or truncated PDF ({exc})") from None
    except Exception as exc:  # PDFium can fail in other ways on damaged files
        raise DocumentError(path, f"corrupt or truncated PDF ({exc})") from None
    try:
        if len(pdf) > MAX_PDF_PAGES:
            raise DocumentError(path, f"too many pages for a report ({len(pdf)})")
        meta = {k: v for k, v in pdf.get_metadata_dict(skip_empty=True).items()}
        pages: list[str] = []
        for i in range(len(pdf)):
            page = pdf[i]
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range())
            textpage.close()
            page.close()
    except pdfium.PdfiumError as exc:
        raise DocumentError(path, f"corrupt or truncated PDF ({exc})") from None
    finally:
        pdf.close()
    if not pages:
        raise DocumentError(path, "PDF has no pages")
    if sum(len(t.strip()) for t in pages) < 20 * len(pages):
        raise DocumentError(path, "no text layer (scanned?)")
    return pages, meta
