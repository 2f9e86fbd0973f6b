"""How relevant each of an authority's items is to a researcher's phrase (pure).

BM25 over stemmed words (:class:`~.words.BM25`, normalised by the score of a text holding
each word of the phrase once) plus the share of the phrase's themes the item carries (by
their rarity among the authority's items); an item without the practice the phrase's head
names counts half, unless it carries that practice's theme and most of the details; then
blended with likeness to the chain's core (:func:`feedback`).  :mod:`.chain` walks the
documents with these scores.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from .index import Index
from .phrase import Phrase, legal_statuses, named_themes, theme_facet
from .records import Item
from .words import BM25, cosine

__all__ = ["CORE_THRESHOLD", "FEEDBACK", "ROW_FLOOR", "ROW_THRESHOLD", "THEME_WEIGHT", "Index", "Scored",
           "feedback", "matched_words", "relevance"]

#: an item joins the chain at or above this relevance (ofsted_kg.lineage.chain)
ROW_THRESHOLD = 0.25
#: a document's best item at or above this relevance is part of the chain's core ...
CORE_THRESHOLD = 0.5
#: ... and likeness to the core counts this much in the final relevance
FEEDBACK = 0.2
#: an item holding less than this share of the phrase's head words (outside brackets,
#: weighted by rarity) counts half (HEAD_FACTOR)
HEAD_SHARE = 0.1
#: ... unless it carries the practice area the head names and at least this share of the
#: phrase's detail words (weighted by rarity)
DETAIL_SHARE = 0.5
#: ... by this factor
HEAD_FACTOR = 0.5
#: how much the themes count against the words
THEME_WEIGHT = 0.35
#: a relevance under this cannot reach ROW_THRESHOLD after :func:`feedback` (which leaves
#: such an item as it is); a hair under the exact bound, so that rounding cannot matter
ROW_FLOOR = (ROW_THRESHOLD - FEEDBACK) / (1 - FEEDBACK) - 1e-9


Scored = dict[int, tuple[float, list[str]]]


def relevance(phrase: Phrase, items: Sequence[Item], *, theme_ids: Iterable[str] = (),
              index: Index | None = None, reports: set[str] | None = None,
              floor: float = 0.0, below: set[int] | None = None,
              lifted: dict[int, float] | None = None) -> Scored:
    """Item index -> (score 0..1, matched themes), for the items with any of the phrase's
    words (or, for themes alone, any of the themes), of ``reports`` only when given (the
    items matching the same themes share one list of them: read it, do not change it).
    :func:`matched_words` gives the stems that matched (only the rows shown need them).

    ``floor``: the items whose score is under it are left out before the head-word test
    (it can only halve the score); those of them carrying some of the themes go into
    ``below`` when given.  ``lifted``, when given, gets the score each item the head-word
    test halved would have without that test (:func:`~.chain.lineage` ranks the items of
    a document in the chain by it)."""
    index = index or Index(items)
    bm = index.bm
    terms = [*phrase.stems, *phrase.expansion]
    weights = {**phrase.expansion, **phrase.weights}
    _add_acronyms(phrase, bm, terms, weights)
    allowed = index.of_reports(reports) if reports is not None else None
    sparse = bm.score_sparse(terms, weights, only=allowed)
    ceiling = bm.ceiling(phrase.stems, phrase.weights) or 1.0
    themes = dict(phrase.themes)
    for t in theme_ids:
        themes[t] = 1.0
    rare = _by_rarity(themes, index) if phrase.stems else themes
    rmass = sum(rare.values()) or 1.0
    scaled = _scaled(themes, rare)
    head = {t: bm.idf(t) for t in (phrase.core or phrase.stems)
            if phrase.weights.get(t) == 1.0 and bm.df.get(t)}
    head_mass = sum(head.values())
    out: Scored = {}
    local_themes, literal = index.local_themes, phrase.literal
    head_floor = HEAD_SHARE * head_mass
    spelt: dict[str, list[str]] = {}  # a stem -> the acronyms that stand for it
    for a, ws in phrase.acronyms.items():
        for t in ws:
            spelt.setdefault(t, []).append(a)
    # per head word, what else counts as the item holding it: an acronym of it, or
    # another form of it (_other_form_key), worked out once for the phrase
    checks = [(t, v, tuple(spelt.get(t, ())), *_other_form_key(t, phrase))
              for t, v in head.items()]
    held = _head_held(checks, index) if head_mass else {}
    head_area = _HeadArea(phrase, bm)
    # (the board's own work halves the score unless the phrase names the board)
    board = index.board if not {"board", "lscb"} & set(phrase.stems) else None
    statuses = legal_statuses()
    cohorts = frozenset(t for t in phrase.themes if t in statuses)
    # the items of ``reports`` only: ``sparse`` holds no other
    theme_keys = frozenset(themes)
    # the phrase's themes an item carries -> (them sorted, their share, it times
    # THEME_WEIGHT): worked out once per set (many items carry the same of the phrase's
    # few themes); keyed by their bits (Index.theme_bits: the same sets, told apart
    # without making one per item)
    by_common: dict[int, tuple[list[str], float, float]] = {}
    stems, word_share = bool(phrase.stems), 1 - THEME_WEIGHT
    bits, keys_bits = index.theme_bits, index.bits_of(theme_keys)
    for n in (_over(sparse, floor, ceiling, keys_bits, bits) if stems
              else sorted(allowed) if allowed is not None else range(len(items))):
        if literal and not all(q in _fold(items[n].text) for q in literal):
            continue
        local = local_themes[n]
        common = bits[n] & keys_bits
        got = by_common.get(common)
        if got is None:
            got = by_common[common] = _share(local & theme_keys, scaled, rare, rmass)
        shared, th, weighted = got
        if stems:
            w = sparse[n] / ceiling
            s = word_share * min(1.0, w) + weighted
            if s < floor:
                if below is not None:
                    below.add(n)
                continue
            # the phrase's own head words barely there: a mention, not the chain
            cut = head_mass and held.get(n, 0) < head_floor and not (
                head_area.possible and head_area(n, local or named_themes(items[n].text)))
            if cut:
                s *= HEAD_FACTOR
            if board is not None and board[n]:
                s *= 0.5  # the board's work, not the practice the phrase names: a mention
            if cohorts and local and cohorts.isdisjoint(local) and not statuses.isdisjoint(local):
                s *= 0.5  # children of another legal status (care leavers, not children in
                # care): the same practice for other children, a mention
            if cut and lifted is not None:
                lifted[n] = s / HEAD_FACTOR
        elif shared:  # a theme alone (--theme): the themes decide
            s = th
            if s < floor:
                if below is not None:
                    below.add(n)
                continue
        else:
            continue
        out[n] = (s, shared)
    return out


def _share(common: frozenset[str], scaled: dict[str, float], rare: dict[str, float],
           rmass: float) -> tuple[list[str], float, float]:
    """The phrase's themes an item carries (``common``), sorted; their share (the best
    one's scaled weight and their rarity-weighted mass, half each); and that share times
    THEME_WEIGHT."""
    if not common:
        return [], 0.0, 0.0
    common_sorted = sorted(common)
    th = 0.5 * max(scaled[t] for t in common_sorted) + 0.5 * sum(
        rare[t] for t in common_sorted) / rmass
    return common_sorted, th, THEME_WEIGHT * th


def _over(sparse: dict[int, float], floor: float, ceiling: float, themes: int,
          theme_bits: list[int]) -> list[int]:
    """The items of ``sparse`` (sorted) but those sharing no theme (``themes``: the bits
    of :attr:`~.index.Index.theme_bits`) whose words alone keep them under ``floor``:
    such an item scores ``(1 - THEME_WEIGHT) * w`` at most, ``w`` its words' score over
    ``ceiling`` (the cut a hair low, so that rounding cannot matter)."""
    if not floor:
        return sorted(sparse)
    cut = floor * ceiling / (1 - THEME_WEIGHT) * (1 - 1e-9)
    return sorted([n for n, v in sparse.items() if v >= cut or theme_bits[n] & themes])


def _head_held(checks: list[tuple[str, float, tuple[str, ...], frozenset[str] | None, str]],
               index: Index) -> dict[int, float]:
    """Item -> the rarity-weighted sum of the head words it holds (as written, as an
    acronym, or in another form), for the items holding any: read off the words'
    postings, each word's weight added in the words' order (most of the items asked hold
    none, so looking each item up would try every word)."""
    held: dict[int, float] = {}
    post = index.bm.postings
    for t, v, acronyms, named, prefix in checks:
        holders = set(post.get(t, ()))
        for a in acronyms:
            holders.update(post.get(a, ()))
        if named is not None:  # (its theme, and a word of its first five letters)
            holders |= index.carrying(named) & index.with_prefix(prefix)
        for n in holders:
            held[n] = held.get(n, 0) + v
    return held


def _other_form_key(stem: str, phrase: Phrase) -> tuple[frozenset[str] | None, str]:
    """How an item holds the head word ``stem`` in another form the stemmer keeps apart
    ("disabled" / "disabilities", "stable" / "stability"): it carries the theme the word
    names by itself and holds a word of the same first five letters -- (those themes, the
    five letters), or (None, "") when the word names no theme or is shorter."""
    named = phrase.word_themes.get(stem)
    return (named, stem[:5]) if named and len(stem) >= 5 else (None, "")


def _add_acronyms(phrase: Phrase, bm: BM25, terms: list[str], weights: dict[str, float]) -> None:
    """The acronyms the phrase writes out join the terms, weighted so that an item with
    "IRO" scores as one with "independent reviewing officer" (their rarity-weighted sum)."""
    for a, ws in phrase.acronyms.items():
        if a in weights or not bm.df.get(a):
            continue
        mass = sum(bm.idf(t) * weights.get(t, 0.0) for t in ws if bm.df.get(t))
        if mass:
            terms.append(a)
            weights[a] = mass / bm.idf(a)


def _by_rarity(themes: dict[str, float], index: Index) -> dict[str, float]:
    """The phrase's theme weights times each theme's rarity among the authority's items
    (its inverse document frequency): for the share of the phrase's themes an item
    carries, a theme on every other item ("partnership" for "multi-agency") tells the
    chain apart less than one on a few ("early help")."""
    df = index.theme_df
    n = len(index.items)
    return {t: w * math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5)) if df.get(t) else 0.0
            for t, w in themes.items()}  # a theme no item carries tells none apart


def _scaled(themes: dict[str, float], rare: dict[str, float]) -> dict[str, float]:
    """Each theme's weight times its rarity relative to the rarest of the phrase's head
    themes (weight 1), at most its weight: the best theme an item carries counts fully
    only when it is as telling as the head's most telling one."""
    top = max((rare[t] for t in themes if themes[t] == 1.0), default=0.0)
    if not top:
        return themes
    return {t: w * min(1.0, rare[t] / w / top) if w else w for t, w in themes.items()}


class _HeadArea:
    """Whether item ``n`` is about the practice area the phrase's head names in the
    reports' own words: it carries that theme and holds most of the phrase's details (by
    rarity).  "Response to children who go missing: take-up of return home interviews"
    is written in reports as "The offer and take-up of return home interviews ..."
    (what depends on the phrase alone is worked out once)."""

    def __init__(self, phrase: Phrase, bm: BM25) -> None:
        named = phrase.core_themes if phrase.core else phrase.themes
        facet = theme_facet()
        self.areas = frozenset(t for t, w in named.items()
                               if w == 1.0 and facet.get(t) == "practice-area")
        head = phrase.core or [t for t in phrase.stems if phrase.weights.get(t) == 1.0]
        self.detail = {t: bm.idf(t) for t in phrase.stems if t not in head and bm.df.get(t)}
        self.mass = sum(self.detail.values())
        self.docs = bm.docs
        #: false when no item can be about it (no practice area named, or no details)
        self.possible = bool(self.areas) and bool(self.mass)

    def __call__(self, n: int, local: frozenset[str]) -> bool:
        if self.areas.isdisjoint(local):
            return False
        doc = self.docs[n]
        return bool(self.mass) and sum(v for t, v in self.detail.items() if t in doc) \
            >= DETAIL_SHARE * self.mass


def matched_words(phrase: Phrase, index: Index, n: int) -> list[str]:
    """The phrase's stems (and expansion stems) that item ``n`` of ``index`` holds."""
    return index.bm.matched(n, [*phrase.stems, *phrase.expansion])


def _fold(s: str) -> str:
    return " ".join(s.replace("\u2019", "'").lower().split())


def feedback(scored: Scored, items: Sequence[Item], index: Index | None = None,
             lifted: dict[int, float] | None = None) -> Scored:
    """Relevance blended with likeness to the chain's core (pseudo-relevance feedback);
    the scores of ``lifted`` (:func:`relevance`) are blended alike, in place.

    The core is each document's best item when it reaches ``CORE_THRESHOLD``; an item's
    likeness is its best TF-IDF cosine with a core item of *another* document, so a
    document whose words merely brush the phrase stays out unless it also reads like the
    chain's other documents.
    """
    best: dict[str, int] = {}
    for n, (s, _) in scored.items():
        if s >= CORE_THRESHOLD:
            rep = items[n].report
            if rep not in best or s > scored[best[rep]][0]:
                best[rep] = n
    if not best:
        return scored
    index = index or Index(items)
    lifted = {} if lifted is None else lifted
    vecs, reports, keep = index.vecs, index.reports, 1 - FEEDBACK
    core = [(vecs[c], items[c].report) for c in best.values()]
    others: dict[str, list[dict[str, float]]] = {}  # report -> the core of the others
    out: Scored = {}
    for n, v in scored.items():
        s = v[0]
        hi = lifted.get(n, s)
        if keep * hi + FEEDBACK < ROW_THRESHOLD:  # cannot join the chain anyway
            out[n] = v
            continue
        rep, vec = reports[n], vecs[n]
        cvs = others.get(rep)
        if cvs is None:
            cvs = others[rep] = [cv for cv, crep in core if crep != rep]
        like = (cosine(vec, cvs[0]) if len(cvs) == 1  # (most phrases: one other document)
                else max([cosine(vec, cv) for cv in cvs], default=0.0))
        bonus = FEEDBACK * min(1.0, 2 * like)
        out[n] = (keep * s + bonus, v[1])
        if n in lifted:
            lifted[n] = keep * hi + bonus
    return out
