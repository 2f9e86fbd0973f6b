"""Clean extracted page text, and normalise strings for matching.

Two levels, kept apart on purpose:

* :func:`prepare` turns a :class:`RawDocument` into a :class:`PreparedDocument`: page text
  with the extractor's artefacts mended (``\\x02`` line-end hyphens, ``\\r\\n``, trailing
  spaces, running headers/footers and page numbers) but the wording, punctuation and
  glyphs of the report kept, so quotes stay faithful.
* :func:`fold` is for *matching only*: ligatures, curly quotes, dashes, bullet glyphs,
  case and white space folded.  Never quote folded text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .read import RawDocument

__all__ = ["PreparedDocument", "prepare", "fold", "BULLET_CHARS"]

# Bullet glyphs seen in real reports: PDF private-use glyphs, black squares, bullets.
BULLET_CHARS = "\uf06e\uf0a7\uf02d\uf0b7\uf0d8\uf076\uf0fc\u25fc\u25aa\u25a0\u2022\u25cf\u25e6\u2023\u2043\u00b7\u2219\u27a2"


@dataclass(slots=True)
class PreparedDocument:
    """Page texts ready for extraction (page ``n`` is ``pages[n - 1]``)."""

    raw: RawDocument
    pages: list[str]

    @property
    def text(self) -> str:
        """All pages joined with form feeds (``\\f``), so offsets map back to pages."""
        return "\f".join(self.pages)

    def page_of(self, offset: int) -> int:
        """1-based page number of a character offset into :attr:`text`."""
        return self.text.count("\f", 0, offset) + 1


def prepare(raw: RawDocument) -> PreparedDocument:
    """Mend extraction artefacts page by page (wording kept)."""
    return PreparedDocument(raw, [_clean_page(p) for p in raw.pages])


_HYPHEN_BREAK = re.compile(r"\x02[ \t]*\r?\n[ \t]*")


def _clean_page(text: str) -> str:
    text = _HYPHEN_BREAK.sub("-", text)  # pypdfium2 emits \x02 for a line-end hyphen
    text = text.replace("\x02", "-").replace("\r\n", "\n").replace("\r", "\n")
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return text


_FOLD_TABLE = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201f": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
        "\u00a0": " ", "\u2009": " ", "\u202f": " ",
        **{c: " " for c in BULLET_CHARS},
    }
)
_WS = re.compile(r"\s+")


def fold(text: str) -> str:
    """Fold ``text`` for matching: NFKC (ligatures), quotes, dashes, bullets, case, spaces."""
    text = unicodedata.normalize("NFKC", text).translate(_FOLD_TABLE)
    return _WS.sub(" ", text).strip().lower()
