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

import bisect
import re
import unicodedata
from dataclasses import dataclass, field

from .read import RawDocument

__all__ = ["PreparedDocument", "prepare", "fold", "fold_case", "is_bullet_line", "BULLET_CHARS",
           "lines_holding"]

# Bullet glyphs seen in real reports: PDF private-use glyphs, black squares, bullets.
BULLET_CHARS = "\uf06e\uf0a7\uf02d\uf0b7\uf0d8\uf076\uf0fc\u25fc\u25aa\u25a0\u2022\u25cf\u25e6\u2023\u2043\u00b7\u2219\u27a2"


@dataclass(slots=True)
class PreparedDocument:
    """Page texts ready for extraction (page ``n`` is ``pages[n - 1]``).

    ``removed`` lists the running header/footer lines taken out (folded, digits as ``#``),
    for debugging.
    """

    raw: RawDocument
    pages: list[str]
    removed: list[str] = field(default_factory=list)
    _text: str | None = None
    _breaks: list[int] | None = None

    @property
    def text(self) -> str:
        """All pages joined with form feeds (``\\f``), so offsets map back to pages."""
        if self._text is None:
            self._text = "\f".join(self.pages)
        return self._text

    def page_of(self, offset: int) -> int:
        """1-based page number of a character offset into :attr:`text`."""
        if self._breaks is None:
            t = self.text
            self._breaks = [m.start() for m in re.finditer("\f", t)]
        return bisect.bisect_right(self._breaks, offset - 1) + 1 if offset > 0 else 1

    def lines(self) -> list[tuple[int, str]]:
        """Every line with its 1-based page number, in order."""
        return [(n, ln) for n, page in enumerate(self.pages, 1) for ln in page.split("\n")]


def prepare(raw: RawDocument) -> PreparedDocument:
    """Mend extraction artefacts page by page (wording kept).

    * ``\\x02`` / U+FFFE line-end hyphens are joined ("multi-disciplinary"), ``\\r\\n``
      and trailing spaces are dropped;
    * running headers and footers (lines repeated at the top or bottom of many pages,
      digits ignored, e.g. "Inspection of X local authority children's services" /
      "11 to 15 September 2023 2") and bare page numbers are removed;
    * footnote markers stuck to a line's last word are dropped ("What needs to
      improve?1", "Children Board1");
    * digits split inside dates are rejoined ("1 9 June 2019" -> "19 June 2019").

    Bullet glyphs are kept as written; see :func:`is_bullet_line`.
    """
    pages = [_clean_page(p) for p in raw.pages]
    pages, removed = _strip_running_lines(pages)
    pages = [_mend_lines(p) for p in pages]
    return PreparedDocument(raw, pages, removed)


_HYPHEN_BREAK = re.compile(r"[\x02\ufffe][ \t]*\r?\n[ \t]*")


def _clean_page(text: str) -> str:
    if "\x02" in text or "\ufffe" in text:
        text = _HYPHEN_BREAK.sub("-", text)  # pypdfium2 emits \x02 for a line-end hyphen
    text = text.replace("\x02", "-").replace("\ufffe", "-").replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\f", "\n")  # a form feed inside a page would shift page numbers
    return "\n".join([line.rstrip() for line in text.split("\n")])


_DIGITS = re.compile(r"\d+")
_EDGE = 3  # lines looked at, at each end of a page


def _key(line: str) -> str:
    return _DIGITS.sub("#", fold(line))


def _edge_lines(lines: list[str]) -> list[int]:
    """Indexes of the first and of the last ``_EDGE`` non-blank lines: ``idx[:_EDGE] +
    idx[-_EDGE:]`` of the indexes ``idx`` of all non-blank lines, found from each end
    (only these are ever looked at)."""
    head: list[int] = []
    for i, ln in enumerate(lines):
        if ln.strip():
            head.append(i)
            if len(head) == _EDGE:
                break
    tail: list[int] = []
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].strip():
            tail.append(i)
            if len(tail) == _EDGE:
                break
    return head + tail[::-1]


_PAGE_NUMBER = re.compile(r"\s*(?:page\s*)?\d{1,3}(?:\s*of\s*\d{1,3})?\s*", re.I)


def _strip_running_lines(pages: list[str]) -> tuple[list[str], list[str]]:
    """Drop lines repeated at page tops/bottoms and bare page numbers."""
    n = len(pages)
    split = [p.split("\n") for p in pages]
    edges = [_edge_lines(lines) for lines in split]
    counts: dict[str, int] = {}
    edge_keys: list[dict[int, str]] = []  # each page's edge lines' keys, used again below
    if n >= 3:
        for lines, edge in zip(split, edges):
            keys = {i: _key(lines[i]) for i in edge}
            edge_keys.append(keys)
            for k in set(keys.values()):
                counts[k] = counts.get(k, 0) + 1
    threshold = max(3, int(0.4 * (n - 1)) + 1)
    running = {k for k, c in counts.items() if c >= threshold and k not in ("", "#") and len(k) > 3}
    out: list[str] = []
    removed: set[str] = set()
    for p, (lines, edge) in enumerate(zip(split, edges)):
        drop: set[int] = set()
        for i in edge:
            # (no running lines without three pages: then no key is needed)
            k = edge_keys[p][i] if edge_keys else ""
            if running and k in running:
                removed.add(k)
                drop.add(i)
            elif (i == edge[0] or i == edge[-1]) and _PAGE_NUMBER.fullmatch(lines[i]):
                drop.add(i)
        # (a page that loses no line is the page as it was)
        out.append("\n".join([ln for i, ln in enumerate(lines) if i not in drop]) if drop else pages[p])
    return out, sorted(removed)


_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_SPLIT_DAY = re.compile(rf"\b([0-3]) ([0-9]) (?=(?:{_MONTHS})\b)")
_SPLIT_YEAR = re.compile(rf"\b((?:{_MONTHS}) (?:20|19)) ?([0-9]) ?([0-9])\b")
# A footnote number glued to a line's last word ("improve?1", "Board1", "area2").
_FOOTNOTE = re.compile(r"(?<=[A-Za-z?)\u2019\u201d])(\d{1,2})$", re.M)


# (a digit, a space, a digit: written to begin with its space, which the engine skips to at
# C speed, where a leading \d made it test every character)
_MAYBE_SPLIT = re.compile(r" (?<=\d )\d")


def _mend_lines(text: str) -> str:
    if _MAYBE_SPLIT.search(text):  # cheap pre-check: the month alternations are slow
        text = _SPLIT_DAY.sub(r"\1\2 ", text)
        text = _SPLIT_YEAR.sub(r"\1\2\3", text)
    lines = text.split("\n")
    for i, ln in enumerate(lines):
        if ln and ln[-1].isdigit():
            lines[i] = _FOOTNOTE.sub("", ln)
    return "\n".join(lines)


# Bullet glyphs seen in real reports, plus text bullets ("-", "*") at a line start.
_BULLET_LINE = re.compile(
    "^[ \t]*([" + re.escape(BULLET_CHARS) + r"]|[-\u2013*o](?=[ \t]))[ \t]*(.*)$"
)


def is_bullet_line(line: str) -> tuple[bool, str]:
    """Whether ``line`` starts a bulleted item, and its text without the bullet.

    Recognises the PDF glyphs (U+F06E, U+F0A7, U+F02D, U+F0B7, U+25FC "◼", "•", ...) and
    text bullets "-", "–", "*" or "o" followed by a space.  A line that only holds a
    glyph (the item's text is on the next line) returns ``(True, "")``.

    >>> is_bullet_line("\u25fc The quality of plans.")
    (True, 'The quality of plans.')
    >>> is_bullet_line("- support into adulthood")
    (True, 'support into adulthood')
    >>> is_bullet_line("The quality of plans.")
    (False, 'The quality of plans.')
    """
    m = _BULLET_LINE.match(line)
    if m is None:
        return False, line.strip()
    return True, m.group(2).strip()


_FOLD_TABLE = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201f": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
        "\u00a0": " ", "\u2009": " ", "\u202f": " ",
        **{c: " " for c in BULLET_CHARS},
    }
)


def fold(text: str) -> str:
    """Fold ``text`` for matching: NFKC (ligatures), quotes, dashes, bullets, case, spaces."""
    if not text.isascii():  # (NFKC changes no ASCII text, and _FOLD_TABLE maps none)
        text = unicodedata.normalize("NFKC", text).translate(_FOLD_TABLE)
    # white space runs made one space, none left at either end (str.split's is re's \s)
    return " ".join(text.split()).lower()


# Python's re.IGNORECASE makes an ASCII letter of a pattern match exactly the characters
# that str.lower() maps to it, and also U+0130/U+0131 (i) and U+017F (s).  With those three
# mapped first, lower-casing changes no length and no \w, \d or \s, and maps a character
# to an ASCII one only where IGNORECASE equates them (tests/test_fast_paths.py checks this
# over every cased character).  So an ASCII lower-case pattern without IGNORECASE finds in
# fold_case(text) what it finds with IGNORECASE in text, at the same offsets -- faster.
_CASE_ODD_MAP = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})


def fold_case(text: str) -> str:
    """``text`` lower-cased for case-sensitive ASCII patterns and substring tests that
    stand for case-insensitive ones (see ``_CASE_ODD_MAP``)."""
    if "\u0130" in text or "\u0131" in text or "\u017f" in text:
        text = text.translate(_CASE_ODD_MAP)
    return text.lower()


def lines_holding(text: str, *words: str) -> list[int]:
    """Indexes, in order and each once, of the lines of ``text`` (split at ``"\\n"``) that
    hold one of ``words``: found by ``str.find``, where a test of each line takes a Python
    loop over them all (a few of a document's thousands hold a rare word)."""
    found: set[int] = set()
    for word in words:
        line = start = 0
        i = text.find(word)
        while i >= 0:
            line += text.count("\n", start, i)
            found.add(line)
            start = i
            i = text.find(word, i + 1)
    return sorted(found)
