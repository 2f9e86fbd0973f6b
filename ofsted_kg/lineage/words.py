"""Words of reports: tokens, light stems, TF-IDF vectors, a BM25 index (pure Python).

The stemmer strips common English suffixes ("assessments" -> "assess", "planning" ->
"plann", "timeliness" -> "timel") so that the words of a researcher's phrase meet the
words as the reports wrote them; the stop list drops function words and the words every
children's-services sentence has ("children", "social", "work", "service").
"""

from __future__ import annotations

import math
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from itertools import chain

from .gates import plain_lower

__all__ = ["BM25", "STOP", "cosine", "head_clause", "stem", "surface", "tfidf", "tokens",
           "word_counts"]

STOP = frozenset(["a", "about", "above", "after", "again", "against", "all", "also", "an", "and", "any", "are", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "least", "less", "more", "most", "much", "must", "my", "no", "nor", "not", "now", "of", "off", "on", "once", "only", "or", "other", "our", "out", "over", "own", "per", "same", "she", "should", "so", "some", "such", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "upon", "very", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your", "ensure", "ensuring", "improve", "improving", "improved", "improvement", "improvements", "including", "include", "includes", "within", "across", "well", "make", "made", "so-that", "whether", "local", "authority", "authorities", "council", "children", "child", "young", "people", "person", "social", "work", "workers", "worker", "practice", "service", "services", "there's", "use", "used", "using"])
_WORD = re.compile(r"[a-z][a-z'\-]+")
_FOLD = str.maketrans({"\u2019": "'", "\u2018": "'", "\u2010": "-", "\u2011": "-",
                       "\u2013": "-", "\u2014": "-", "\ufffe": "-", "\x02": "-"})
#: _WORD on the text as written (lower-cased): the characters _FOLD turns into ' or -
#: join the class, so its matches are _WORD's matches of the folded text before folding
#: (folded per distinct word instead of per text) -- but for the two-character ones,
#: which give no stem (each part of such a word is under three letters): a match is a
#: whole run of the class's characters from a letter on, so no other match changes
_RAW_WORD = re.compile("[a-z][a-z'\\-" + "".join(map(chr, _FOLD)) + "]{2,}")
#: the characters a word of _RAW_WORD holds
_IN_WORD = frozenset("abcdefghijklmnopqrstuvwxyz'-" + "".join(map(chr, _FOLD)))


_SUFFIXES = (("iness", "y"), ("ational", "ate"), ("ation", "ate"), ("ness", ""),
             ("ment", ""), ("ingly", ""), ("edly", ""), ("ing", ""), ("ed", ""), ("ity", ""),
             ("ly", ""), ("ful", ""))
_VOWEL = re.compile(r"[aeiouy]")


@lru_cache(maxsize=65536)
def stem(w: str) -> str:
    """A light, deterministic stem of one lower-case word: plural, then one derivational
    or inflectional suffix, then a doubled final consonant, "-ate" and a final "e" off, so
    that "plans", "planning" and "planned" are "plan"; "coordination", "coordinated" and
    "coordinate" are "coordin"; "timely" and "timeliness" are "time"."""
    w = w.strip("'-").replace("'s", "").rstrip("'")
    if len(w) <= 3:
        return w
    if w.endswith("sses"):
        w = w[:-2]
    elif w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    for suf, rep in _SUFFIXES:
        if w.endswith(suf):
            root = w[: -len(suf)] + rep
            if len(root) >= 3 and _VOWEL.search(root):
                w = root
                if suf in ("ing", "ed", "ingly", "edly") and len(w) > 3 and w[-1] == w[-2] \
                        and w[-1] not in "aeiouylsz":
                    w = w[:-1]
                if suf in ("ing", "ed") and w.endswith("at") and len(w) > 6:
                    w = w[:-2]  # "coordinated" -> "coordin", as "coordination"
                if suf == "iness" and w.endswith("ly") and len(w) > 5:
                    w = w[:-2]  # "timeliness" -> "time", as "timely"
            break
    if w.endswith("ate") and len(w) > 5:
        w = w[:-3]
    if w.endswith("e") and len(w) > 4:
        w = w[:-1]
    return w


def _words(text: str) -> Iterable[str]:
    for w in _WORD.findall(text.lower().translate(_FOLD)):
        for part in w.split("-"):
            if len(part) >= 3 and part not in STOP:
                yield part


def tokens(text: str) -> list[str]:
    """The stems of ``text``'s content words, in order (repeats kept)."""
    return list(_tokens(text))


def _tokens(text: str) -> tuple[str, ...]:
    return _tokenised(text)[0]


@lru_cache(maxsize=32768)
def _tokenised(text: str) -> tuple[tuple[str, ...], int]:
    """:func:`_tokens` of ``text``, and how many of them (the first) its
    :func:`head_clause` gives, which :func:`tfidf` doubles (-1 when that is not known
    from the text's words: :func:`_head_stems` reads the clause then).

    Cached: one authority's items are tokenised for BM25, for TF-IDF and for the concern
    links; an authority has well under this many distinct texts.  The words of the
    clause and of the rest are found apart, in one pass over the text: the clause ends
    at a punctuation mark, which no word holds (whatever comes before it: most clauses
    end on a word and a comma), or where a word ("which") begins after a character that
    is not a word character -- a word holds it only when it is one of _RAW_WORD's
    apostrophes or dashes (then the clause is read apart).  (Each word's stems joined in
    C: the same tuple as a comprehension over the words.)"""
    low = plain_lower(text)
    if low is not None:
        m = _HEAD_END_LOW.search(low, 12)
        if m is None:
            toks = _stems_in(low)
            return toks, len(toks)
        cut = m.start()
        if low[cut] not in _IN_WORD or low[cut - 1] not in _IN_WORD:
            head = _stems_in(low, 0, cut)
            return head + _stems_in(low, cut), len(head)
    return _stems_in(text.lower()), -1


def _stems_in(low: str, pos: int = 0, endpos: int = sys.maxsize) -> tuple[str, ...]:
    """The stems of the words of lower-cased ``low`` (between ``pos`` and ``endpos``)."""
    return tuple(chain.from_iterable(map(_word_stems, _RAW_WORD.findall(low, pos, endpos))))


@lru_cache(maxsize=65536)
def _word_stems(raw: str) -> tuple[str, ...]:
    """The stems one matched word (of _RAW_WORD) gives, as :func:`_words` then
    :func:`stem` and the stop list: the same per occurrence, so worked out once per
    distinct word."""
    w = raw.translate(_FOLD)
    return tuple(s for s in (stem(p) for p in w.split("-") if len(p) >= 3 and p not in STOP)
                 if s not in STOP)


def surface(text: str, stems: Iterable[str]) -> list[str]:
    """The words of ``text`` as written that have the given stems (for evidence)."""
    seen = _surface_of(text)
    return [seen.get(s, s) for s in stems]


@lru_cache(maxsize=16384)
def _surface_of(text: str) -> Mapping[str, str]:
    """Stem -> the first word of ``text`` with it (cached: the links step shows the same
    items for many concerns)."""
    seen: dict[str, str] = {}
    for part in _words(text):
        seen.setdefault(stem(part), part)
    return seen


# (the words' alternatives share one \b ... \b: the same places match, found faster)
_HEAD_END = re.compile(r"[,;:]|\.\s|\b(?:so that|to ensure|in order|which|including|"
                       r"and ensure|because|as a result)\b", re.IGNORECASE)
#: _HEAD_END without folding case, for a text's :func:`~.gates.plain_lower`: the same
#: places (every code point checked: but for the four characters plain_lower turns away,
#: a character matches a letter, a space or a punctuation mark of the pattern under
#: IGNORECASE exactly when its lower case is that character, and is a word or space
#: character exactly when its lower case is), found some times faster
_HEAD_END_LOW = re.compile(_HEAD_END.pattern)


def head_clause(text: str) -> str:
    """The item's first clause: what a recommendation or finding is about.

    "Improve the quality of pathway plans so that they ..." -> "Improve the quality of
    pathway plans".
    """
    low = plain_lower(text)
    m = _HEAD_END.search(text, 12) if low is None else _HEAD_END_LOW.search(low, 12)
    return text[: m.start()] if m else text


def word_counts(texts: Sequence[str]) -> list[Counter[str]]:
    """Each text's stems and how often it holds each (what :func:`tfidf` and :class:`BM25`
    count, worked out once when both are built over the same texts)."""
    return [Counter(_tokens(t)) for t in texts]


def tfidf(texts: Sequence[str], *,
          counts: Sequence[Counter[str]] | None = None) -> list[dict[str, float]]:
    """TF-IDF vectors (sublinear tf, smoothed idf, head-clause words doubled), L2-normed.
    ``counts``: :func:`word_counts` of ``texts`` when the caller has them."""
    tfs = word_counts(texts) if counts is None else counts
    df = Counter(chain.from_iterable(tfs))  # (each text's stems once: counted in one pass)
    n = len(texts)
    idf = {t: math.log((1 + n) / (1 + c)) + 1 for t, c in df.items()}  # once per term
    out = []
    for tf, text in zip(tfs, texts):
        hd = _head_stems(text)
        vec = {t: (_SUBLINEAR[c] if c < 64 else 1 + math.log(c)) * idf[t]
               * (2.0 if t in hd else 1.0) for t, c in tf.items()}
        norm = math.sqrt(sum([v * v for v in vec.values()])) or 1.0
        out.append({t: v / norm for t, v in vec.items()})
    return out


#: 1 + log(c) for the small counts (the same floats, looked up)
_SUBLINEAR = [0.0] + [1 + math.log(c) for c in range(1, 64)]


def _head_stems(text: str) -> frozenset[str]:
    """The stems of :func:`head_clause` of ``text``, as :func:`tokens` gives them: the
    first of the text's (:func:`_tokenised`), or those of the clause read apart (not kept
    in the cache: no other text is the clause)."""
    toks, k = _tokenised(text)
    if k >= 0:
        return frozenset(toks[:k])
    return frozenset(_stems_in(head_clause(text).lower()))


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """Cosine similarity of two L2-normalised sparse vectors."""
    if len(a) > len(b):
        a, b = b, a
    return sum([v * b[t] for t, v in a.items() if t in b])  # (a list: faster, same order)


class BM25:
    """Okapi BM25 over a list of texts (k1 = 1.2, b = 0.75), stems as terms.

    :meth:`score` of a query gives one score per text; :meth:`matched` the query stems a
    text contains (the words that decided).
    """

    def __init__(self, texts: Sequence[str], *, k1: float = 1.2, b: float = 0.75,
                 counts: Sequence[Counter[str]] | None = None) -> None:
        """``counts``: :func:`word_counts` of ``texts`` when the caller has them."""
        self.k1, self.b = k1, b
        self.docs = word_counts(texts) if counts is None else list(counts)
        self.lens = [sum(d.values()) for d in self.docs]
        self.avg = (sum(self.lens) / len(self.lens)) if self.lens else 1.0
        self.postings: dict[str, list[int]] = defaultdict(list)
        for i, d in enumerate(self.docs):
            for t in d:
                self.postings[t].append(i)
        #: how many texts hold each stem (its postings' length; in first-seen order)
        self.df: Counter[str] = Counter({t: len(p) for t, p in self.postings.items()})
        self.n = len(self.docs)
        self._idf: dict[str, float] = {}
        self._terms: dict[tuple[str, float], list[float]] = {}
        # each text's length normalisation, computed once (the same expression per text)
        self._norm = [self.k1 * (1 - self.b + self.b * n / (self.avg or 1.0)) for n in self.lens]

    def idf(self, term: str) -> float:
        v = self._idf.get(term)
        if v is None:
            df = self.df.get(term, 0)
            v = self._idf[term] = math.log(1 + (self.n - df + 0.5) / (df + 0.5))
        return v

    def score(self, query: Iterable[str], weights: dict[str, float] | None = None) -> list[float]:
        """One score per text for the query stems (each counted once, times its weight)."""
        out = [0.0] * self.n
        k1, docs, norms = self.k1, self.docs, self._norm
        for t in dict.fromkeys(query):
            idf = self.idf(t) * (weights or {}).get(t, 1.0)
            for i in self.postings.get(t, ()):
                tf = docs[i][t]
                out[i] += idf * tf * (k1 + 1) / (tf + norms[i])
        return out

    def score_sparse(self, query: Iterable[str], weights: dict[str, float] | None = None,
                     *, only: frozenset[int] | None = None) -> dict[int, float]:
        """:meth:`score` of the texts holding some query stem only (text index -> score),
        of the texts ``only`` holds when given."""
        out: dict[int, float] = {}
        get, w = out.get, weights or {}
        for t in dict.fromkeys(query):
            if not self.postings.get(t):
                continue
            held = self.postings[t]
            scores = self._term_scores(t, self.idf(t) * w.get(t, 1.0))
            if only is None:
                for i, v in zip(held, scores):
                    out[i] = get(i, 0.0) + v
            else:
                for i, v in zip(held, scores):
                    if i in only:
                        out[i] = get(i, 0.0) + v
        return out

    def _term_scores(self, t: str, idf: float) -> list[float]:
        """The scores of the texts holding ``t`` (in its postings' order), its idf (times
        its weight) ``idf`` -- the same floats as :meth:`score` (the same expression, k1 +
        1 worked out once); cached, as the phrases of one authority share their words (a
        list of floats, no pair per text: fewer objects for the garbage collector)."""
        key = (t, idf)
        got = self._terms.get(key)
        if got is None:
            k1p, docs, norms = self.k1 + 1, self.docs, self._norm
            got = self._terms[key] = [idf * (tf := docs[i][t]) * k1p / (tf + norms[i])
                                      for i in self.postings[t]]
        return got

    def ceiling(self, query: Iterable[str], weights: dict[str, float] | None = None) -> float:
        """The score of a text of average length holding every query stem once (stems no
        text holds count nothing: they cannot tell texts apart)."""
        return sum(self.idf(t) * (weights or {}).get(t, 1.0) for t in dict.fromkeys(query)
                   if self.df.get(t))

    def matched(self, i: int, query: Iterable[str]) -> list[str]:
        """The query stems (each once, in order) that text ``i`` holds."""
        return [t for t in dict.fromkeys(query) if t in self.docs[i]]
