"""A case-insensitive pattern passed over when the text holds none of the plain words
every match of the pattern holds (pure).

A long pattern of many branches tries each of them at every position of a text that
does not match; most findings hold none of the words the branches need, and ``in`` finds
that out at once.  The gate is exact: the words are read off the pattern (each branch
holds one of them, as written, in lower case), and under ``re.IGNORECASE`` an ASCII
letter or a space is matched by itself in either case and, of all other characters,
only by "\u0130", "\u0131", "\u017f" and "\u212a" (i, i, s, k: checked over every code
point), so a text without those four whose lower case holds none of the words cannot
match.  A text with any of them is always given to the pattern.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

__all__ = ["Gated", "plain_lower"]

#: the characters other than ASCII letters that ``re.IGNORECASE`` matches to one
_FOLDS_TO_ASCII = re.compile("[\u0130\u0131\u017f\u212a]")
#: (the text last asked about, its lower case or None when the gate cannot tell): the
#: status patterns are asked of the same text in turn
_last: tuple[str | None, str | None] = (None, None)


def plain_lower(text: str) -> str | None:
    """``text.lower()`` when matching ASCII letters case-insensitively in ``text`` is
    finding them in it, position by position (the text has none of the four characters
    above, and so the same length lowered: only "\u0130" changes it); else None."""
    global _last
    seen, low = _last
    if seen is not text:
        low = text.lower() if text.isascii() or not _FOLDS_TO_ASCII.search(text) else None
        _last = (text, low)
    return low


class Gated:
    """``compiled`` (with ``re.IGNORECASE``) behind the gate of ``words`` (and, when given,
    of ``also``: every match holds one of each): its :meth:`search`, :meth:`sub` and
    :meth:`finditer` answer as the pattern's own."""

    __slots__ = ("_re", "also", "pattern", "words")

    def __init__(self, compiled: re.Pattern[str], *words: str, also: tuple[str, ...] = ()
                 ) -> None:
        if not compiled.flags & re.IGNORECASE or any(w != w.lower() for w in (*words, *also)):
            raise ValueError("a gate reads lower-case words off a case-insensitive pattern")
        self._re = compiled
        self.pattern = compiled.pattern
        self.words = words
        self.also = also

    def may_match(self, text: str) -> bool:
        """False when ``text`` cannot match (see the module's docstring)."""
        low = plain_lower(text)
        if low is None:
            return True
        return any(w in low for w in self.words) and (
            not self.also or any(w in low for w in self.also))

    def search(self, text: str, pos: int = 0) -> re.Match[str] | None:
        return self._re.search(text, pos) if self.may_match(text) else None

    def sub(self, repl: str, text: str) -> str:
        return self._re.sub(repl, text) if self.may_match(text) else text

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self._re.finditer(text)
