"""How alike two items are: TF-IDF words (the stems of :mod:`ofsted_kg.lineage.words`)
and weighted theme overlap; a report's own carry-over words."""

from __future__ import annotations

import re
from collections import Counter

from ...lineage.gates import Gated
from ...lineage.words import cosine, surface, tfidf, word_counts
from .read import _UNKNOWN_FACET_WEIGHT, _Item, _Vocab

#: below this word similarity two items are never linked
MIN_TEXT = 0.10


def _vectorise(items: list[_Item]) -> list[Counter[str]]:
    """TF-IDF (sublinear tf, smoothed idf, head-clause words doubled), L2-normalised; the
    items' word counts (for the lineage's BM25 over the same texts)."""
    texts = [i.text for i in items]
    counts = word_counts(texts)
    for it, vec in zip(items, tfidf(texts, counts=counts)):
        it.vec = vec
    return counts


def text_similarity(a: dict[str, float], b: dict[str, float]) -> float:
    """Cosine similarity of two normalised sparse vectors."""
    return cosine(a, b)


def _theme_sim(a: frozenset[str], b: frozenset[str], vocab: _Vocab) -> tuple[float, list[str]]:
    """Weighted Dice overlap of two theme sets, and the shared specific themes.

    Each theme counts its facet weight (practice areas fully, cohorts and issues weakly)
    times its specificity within the authority; a theme of one side narrower or broader than
    (or a sibling under a non-root broader of) a theme of the other counts half.  Two items
    sharing only a cohort ("care leavers") stay weak, and a compound concern is only partly
    matched by a finding on one of its parts.
    """
    if not a or not b:
        return 0.0, []
    shared = a & b
    score = 2 * sum(vocab.w(t) for t in shared)
    specific = sorted((t for t in shared if vocab.weight.get(t, _UNKNOWN_FACET_WEIGHT) >= 0.5),
                      key=vocab.name)
    for x, y in ((a, b), (b, a)):
        for t in x - shared:
            at = vocab.ancestors.get(t, frozenset())
            best = 0.0
            for u in y - shared:
                au = vocab.ancestors.get(u, frozenset())
                if u in at or t in au or (at & au):
                    best = max(best, 0.5 * min(vocab.w(t), vocab.w(u)))
            score += best
    denom = max(sum(vocab.w(t) for t in a) + sum(vocab.w(t) for t in b), 2.0)
    return min(score / denom, 1.0), specific



def _pair_score(a: _Item, b: _Item, vocab: _Vocab) -> tuple[float, float, float, list[str]]:
    """(strength, theme score, text score, shared specific themes) of two items.

    Half themes, half words; without some words in common (cosine below
    ``MIN_TEXT``) there is no link however many themes are shared.
    """
    xs = text_similarity(a.vec, b.vec)
    if xs < MIN_TEXT:  # no link: the themes are not worth working out
        return 0.0, 0.0, xs, []
    ts, shared = _theme_sim(a.themes, b.themes, vocab)
    if a.themes and b.themes:
        strength = 0.5 * ts + 0.5 * min(1.0, xs * 1.8)
    else:  # untagged items: words alone
        strength = min(1.0, xs * 1.5)
    return strength, ts, xs, shared


def _shared_words(a: _Item, b: _Item, n: int = 5) -> list[str]:
    common = sorted(set(a.vec) & set(b.vec), key=lambda t: (-(a.vec[t] * b.vec[t]), t))
    return surface(a.text, common[:n])



_CARRY_OVER = Gated(re.compile(
    r"(?:(?:identified|raised|highlighted|found|made|seen|noted|set out|reported)\s+(?:then|at|"
    r"in|during|by)\s+(?:the\s+|its\s+)?(?:last|previous|most recent|earlier|\d{4})\s+"
    r"(?:full\s+|single\s+|standard\s+|ilacs\s+)?(?:inspection|visit)|since the (?:last|"
    r"previous) inspection|(?:recommendations?|areas? (?:for|of) (?:improvement|"
    r"priority action)|weaknesses|shortfalls) (?:from|of|at) the (?:last|previous) "
    r"inspection|at the (?:last|previous) inspection)", re.IGNORECASE),
    # (each branch ends with one of these: a text without them is passed over, .gates)
    "inspection", "visit")
_CARRY_NEG = re.compile(
    r"(?:not (?:been )?(?:sufficiently|fully|yet|adequately)?\s*(?:addressed|improved|"
    r"resolved|progressed|tackled)|remain|persist|continue|still|slow|limited progress|"
    r"little progress|insufficient progress)", re.IGNORECASE)


def _carry_over(items: list[_Item]) -> str:
    """A report's own words that earlier shortfalls were not addressed, if any."""
    for it in items:
        if _CARRY_OVER.search(it.text) and _CARRY_NEG.search(it.text):
            return it.text if len(it.text) <= 400 else it.text[:397] + "…"
    return ""
