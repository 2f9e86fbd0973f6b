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

A text the gate lets through is searched in its lower case with the pattern compiled
without ``re.IGNORECASE`` (when the pattern is ASCII, spells its letters in lower case
and sets no flag inline): with those four characters out, a character of the text
matches a letter, space or punctuation mark of the pattern under ``re.IGNORECASE``
exactly when its lower case matches it as written, and is a word, space or digit
character (``\\w``, ``\\s``, ``\\d``) exactly when its lower case is (checked over every
code point, as for the gate), so both find the same matches at the same places -- the
case-sensitive one some times faster (the regex engine skips an alternative whose
first letter differs only when it need not fold case).  A match found there is taken
again with the pattern itself at its place: the same match, of the text as written.
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

    __slots__ = ("_low", "_re", "also", "pattern", "words")

    def __init__(self, compiled: re.Pattern[str], *words: str, also: tuple[str, ...] = ()
                 ) -> None:
        if not compiled.flags & re.IGNORECASE or any(w != w.lower() for w in (*words, *also)):
            raise ValueError("a gate reads lower-case words off a case-insensitive pattern")
        self._re = compiled
        #: the pattern for a text's lower case (see the module's docstring), or None
        self._low = _case_sensitive(compiled)
        self.pattern = compiled.pattern
        self.words = words
        self.also = also

    def may_match(self, text: str) -> bool:
        """False when ``text`` cannot match (see the module's docstring)."""
        low = plain_lower(text)
        return low is None or self._holds(low)

    def _holds(self, low: str) -> bool:
        """Whether the lower case ``low`` of a text holds the gate's words.  (Loops, not
        ``any()`` over a generator: it is asked of every finding by every gated pattern,
        and most hold none of the words, so all of them are tried.)"""
        for w in self.words:
            if w in low:
                break
        else:
            return False
        if not self.also:
            return True
        for w in self.also:
            if w in low:
                return True
        return False

    def search(self, text: str, pos: int = 0) -> re.Match[str] | None:
        low = plain_lower(text)
        if low is not None and not self._holds(low):
            return None
        if low is None or self._low is None:
            return self._re.search(text, pos)
        m = self._low.search(low, pos)
        return None if m is None else self._re.match(text, m.start())

    def sub(self, repl: str, text: str) -> str:
        low = plain_lower(text)
        if low is not None and (not self._holds(low) or (
                self._low is not None and self._low.search(low) is None)):
            return text  # (no match: nothing to replace)
        return self._re.sub(repl, text)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self._re.finditer(text)


def _case_sensitive(compiled: re.Pattern[str]) -> re.Pattern[str] | None:
    """``compiled`` without ``re.IGNORECASE``, for a text's lower case; None when the
    pattern is not ASCII, spells a letter in upper case (outside an escape such as
    ``\\S``) or sets a flag inline: then it could miss what the pattern matches."""
    bare = re.sub(r"\\.", "", compiled.pattern)
    if not bare.isascii() or bare != bare.lower() or re.search(r"\(\?[a-z-]", bare):
        return None
    return re.compile(compiled.pattern, compiled.flags & ~re.IGNORECASE)
