"""The words of one authority's items, built once for the many phrases traced over them
(pure): BM25 postings, TF-IDF vectors, the items' themes, and what each question of
:mod:`.relevance` asks of them again and again (cached here)."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from itertools import pairwise

from .records import Item
from .status import continues
from .words import BM25, tfidf

__all__ = ["Index"]

#: an item about the local safeguarding children board's own work: the review of the
#: board that closed the older inspections ("The Board should ...", "Review the LSCB
#: business plan ...") speaks of its plans and reports, not of the council's practice
_BOARD = re.compile(r"\b(?:[Tt]he Board|LSCB|[Ss]afeguarding [Cc]hildren [Bb]oard)\b")


class Index:
    """The words of one authority's items, built once for many phrases: BM25 postings and
    (on first use) TF-IDF vectors."""

    def __init__(self, items: Sequence[Item], *,
                 vecs: list[dict[str, float]] | None = None,
                 counts: Sequence[Counter[str]] | None = None) -> None:
        """``vecs``: the items' TF-IDF vectors when the caller already has them;
        ``counts``: their :func:`~.words.word_counts`."""
        self.items = list(items)
        self.bm = BM25([i.text for i in self.items], counts=counts)
        #: each item's theme ids (local names), as the phrase's themes are keyed
        self.local_themes = [frozenset(map(_local_name, i.themes)) for i in self.items]
        #: a bit per theme the items carry, and each item's themes as those bits (the
        #: themes an item shares with a phrase, told apart by an int's ``&``)
        self.theme_bit: dict[str, int] = {}
        self.theme_bits = [self._bits(ts) for ts in self.local_themes]
        #: each item's report, and whether it is a finding (read per item per phrase)
        self.reports = [i.report for i in self.items]
        self.finding = [i.is_finding for i in self.items]
        self._vecs: list[dict[str, float]] | None = vecs
        self._stems: list[str] | None = None  # the postings' stems, sorted
        self._with_prefix: dict[str, frozenset[int]] = {}
        self._of_reports: dict[frozenset[str], frozenset[int]] = {}
        #: finding IRI -> the texts of the findings right after it in its report (most
        #: are never asked about: :meth:`following` reads them when they are)
        self._after: dict[str, list[str]] | None = None
        self._following: dict[str, str] = {}
        self._theme_df: Counter[str] | None = None
        self._board: list[bool] | None = None
        self._carriers: dict[str, list[int]] | None = None
        self._carrying: dict[frozenset[str], frozenset[int]] = {}

    def _bits(self, themes: frozenset[str]) -> int:
        m = 0
        for t in themes:
            m |= self.theme_bit.setdefault(t, 1 << len(self.theme_bit))
        return m

    def bits_of(self, themes: Iterable[str]) -> int:
        """The bits of those of ``themes`` some item carries."""
        m = 0
        for t in themes:
            m |= self.theme_bit.get(t, 0)
        return m

    @property
    def board(self) -> list[bool]:
        """Whether each item is about the local safeguarding children board's own work
        (``_BOARD``: the same for every phrase, so tested once per item)."""
        if self._board is None:
            # (each of _BOARD's branches holds "oard" or "LSCB", as written: a text
            # without either is passed over without trying the pattern)
            self._board = [("oard" in i.text or "LSCB" in i.text)
                           and _BOARD.search(i.text) is not None for i in self.items]
        return self._board

    def carrying(self, themes: frozenset[str]) -> frozenset[int]:
        """The indices of the items carrying any of ``themes`` (local names; cached, as
        the phrases share the themes their words name)."""
        if self._carriers is None:
            self._carriers = {}
            for n, ts in enumerate(self.local_themes):
                for t in ts:
                    self._carriers.setdefault(t, []).append(n)
        got = self._carrying.get(themes)
        if got is None:
            got = self._carrying[themes] = frozenset().union(
                *(self._carriers.get(t, ()) for t in themes))
        return got

    @property
    def theme_df(self) -> Counter[str]:
        """How many of the items carry each theme (local names)."""
        if self._theme_df is None:
            self._theme_df = Counter(t for ts in self.local_themes for t in ts)
        return self._theme_df

    def following(self, iri: str) -> str:
        """The next finding of finding ``iri``'s report when that one qualifies it
        ("However, ..."), else "": worked out for the findings asked about only (a
        chain's rows, some tenth of an authority's findings; cached)."""
        got = self._following.get(iri)
        if got is None:
            if self._after is None:
                self._after = {}
                for a, b in _consecutive(self.items):
                    self._after.setdefault(a.iri, []).append(b.text)
            got = ""
            for text in self._after.get(iri, ()):
                if continues(text):  # (the last that does, should an IRI recur)
                    got = text
            self._following[iri] = got
        return got

    def of_reports(self, reports: set[str]) -> frozenset[int]:
        """The indices of the items of ``reports`` (cached: the links step asks for the
        same spans of documents for many concerns)."""
        key = frozenset(reports)
        got = self._of_reports.get(key)
        if got is None:
            got = self._of_reports[key] = frozenset(
                n for n, it in enumerate(self.items) if it.report in key)
        return got

    def with_prefix(self, prefix: str) -> frozenset[int]:
        """The indices of the items holding a stem that begins with the five letters
        ``prefix`` (for another form of a word; cached).  The stems are sorted once:
        those beginning with it follow one another from where it would sort."""
        got = self._with_prefix.get(prefix)
        if got is None:
            if self._stems is None:
                self._stems = sorted(self.bm.postings)
            stems, post = self._stems, self.bm.postings
            holding = []
            for k in range(bisect_left(stems, prefix), len(stems)):
                if not stems[k].startswith(prefix):
                    break
                if stems[k][:5] == prefix:
                    holding.append(post[stems[k]])
            got = self._with_prefix[prefix] = frozenset().union(*holding)
        return got

    @property
    def vecs(self) -> list[dict[str, float]]:
        if self._vecs is None:
            self._vecs = tfidf([i.text for i in self.items], counts=self.bm.docs)
        return self._vecs


@lru_cache(maxsize=4096)
def _local_name(theme: str) -> str:
    """A theme IRI's local name (cached: the vocabulary's few themes recur on every item)."""
    return theme.rsplit("/", 1)[-1]


def _consecutive(items: Sequence[Item]) -> Iterator[tuple[Item, Item]]:
    """Each finding and the finding right after it in its report (by position)."""
    by_rep: dict[str, list[Item]] = {}
    for it in items:
        if it.is_finding:
            by_rep.setdefault(it.report, []).append(it)
    for fs in by_rep.values():
        fs.sort(key=lambda i: i.position)
        for a, b in pairwise(fs):
            if b.position == a.position + 1:
                yield a, b
