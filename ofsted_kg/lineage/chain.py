"""One concern's lineage across an authority's documents (pure: no store access).

:func:`lineage` ranks every concern item and finding of the authority by relevance to the
researcher's phrase -- BM25 over stemmed words (:class:`~.words.BM25`, normalised by the
score of a text holding each word of the phrase once) plus the share of the phrase's
themes the item carries -- and walks the documents in date order:

* the **concern items** of the chain in a document are its concerns (recommendations,
  areas for improvement ...) at or above ``CONCERN_THRESHOLD`` (at most
  ``MAX_CONCERNS``), or at or above ``ROW_THRESHOLD`` when they carry the practice area
  the phrase's head names (a visit's areas for improvement are short noun phrases in
  words of their own: "The length and complexity of plan and review records"); a later
  one is ``persisting`` (a concern listed again);
* the **findings** that decide the status there are the document's findings at or above
  ``FINDING_THRESHOLD`` (at most ``MAX_FINDINGS``), each with the status its words give
  (:func:`~.status.status_of`) and the words that decided it;
* the first document with any of them **raised** the concern; a later document with none,
  that follows up an earlier one of the chain, is ``not reviewed``;
* an item without the practice the phrase's head names (its *core*: "assessments" of
  "Quality of assessments of children in need"; an acronym the phrase writes out, "IRO",
  counts as its words) counts half, unless it carries that practice's theme and most of
  the phrase's details; a theme counts by its rarity among the authority's items;
* a focused visit that looked at another area of the service (``Doc.topics``) than the
  one the phrase names is in the chain only when one of its items carries that area.

Each row carries its ``score`` (confidence, 0..1) and the evidence (matched words and
themes); rows under the thresholds but still mentioning the words are kept apart for
``--all``.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise

from .phrase import (
    Phrase,
    area_themes,
    parse_phrase,
    phrase_themes,
    theme_facet,
    topic_themes,
)
from .status import continues, status_of
from .words import BM25, cosine, surface, tfidf

__all__ = [
    "DOC_THRESHOLD",
    "MAX_CONCERNS",
    "MAX_FINDINGS",
    "MAX_ROWS",
    "RELATIVE",
    "ROW_THRESHOLD",
    "Doc",
    "Item",
    "Lineage",
    "Row",
    "Step",
    "lineage",
]

#: a document's best item must reach this relevance for the document to be in the chain
DOC_THRESHOLD = 0.35
#: an item joins the chain at or above this relevance ...
ROW_THRESHOLD = 0.25
#: ... and at or above this share of the document's best item
RELATIVE = 0.6
#: a concern item at or above this relevance joins the chain whatever the findings score
CONCERN_THRESHOLD = 0.45
#: the most concern items, findings and rows shown per document
MAX_CONCERNS = 1
MAX_FINDINGS = 3
MAX_ROWS = 4
#: a row outside the chain is shown with --all when its relevance is above this
MENTION_THRESHOLD = 0.0
#: a document's best item at or above this relevance is part of the chain's core ...
CORE_THRESHOLD = 0.5
#: ... and likeness to the core counts this much in the final relevance
FEEDBACK = 0.2
#: an item holding less than this share of the phrase's head words (outside brackets,
#: weighted by rarity) counts half
HEAD_SHARE = 0.1
#: ... unless it carries the practice area the head names and at least this share of the
#: phrase's detail words (weighted by rarity)
DETAIL_SHARE = 0.5
#: findings within this share of a document's best one are "about as strong"
CLOSE = 0.85
#: how much the themes count against the words
THEME_WEIGHT = 0.35


@dataclass(slots=True)
class Doc:
    report: str
    date: str
    type: str = ""
    file: str = ""
    visit: str = ""
    #: what a focused or monitoring visit looked at (topic: local names, ``care_leavers``)
    topics: frozenset[str] = frozenset()


@dataclass(slots=True)
class Item:
    iri: str
    report: str
    kind: str  # "Finding" or the concern class local name
    text: str
    page: int = 0
    position: int = 0
    polarity: str = ""
    themes: frozenset[str] = frozenset()

    @property
    def is_finding(self) -> bool:
        return self.kind == "Finding"


@dataclass(slots=True)
class Row:
    item: Item
    doc: Doc
    status: str
    cue: str
    score: float
    words: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    in_chain: bool = True


@dataclass(slots=True)
class Step:
    """One document of the lineage: its status and the rows deciding it."""

    doc: Doc
    status: str  # raised | persisting | improving | resolved | not_reviewed
    rows: list[Row] = field(default_factory=list)


@dataclass(slots=True)
class Lineage:
    phrase: Phrase
    steps: list[Step] = field(default_factory=list)
    mentions: list[Row] = field(default_factory=list)  # the rest, for --all

    @property
    def rows(self) -> list[Row]:
        return [r for s in self.steps for r in s.rows]


class Index:
    """The words of one authority's items, built once for many phrases: BM25 postings and
    (on first use) TF-IDF vectors."""

    def __init__(self, items: Sequence[Item], *,
                 vecs: list[dict[str, float]] | None = None) -> None:
        """``vecs``: the items' TF-IDF vectors when the caller already has them."""
        self.items = list(items)
        self.bm = BM25([i.text for i in self.items])
        #: each item's theme ids (local names), as the phrase's themes are keyed
        self.local_themes = [frozenset(t.rsplit("/", 1)[-1] for t in i.themes)
                             for i in self.items]
        self._vecs: list[dict[str, float]] | None = vecs
        self._next: dict[str, str] | None = None

    @property
    def next_sentences(self) -> dict[str, str]:
        if self._next is None:
            self._next = _next_sentences(self.items)
        return self._next

    @property
    def vecs(self) -> list[dict[str, float]]:
        if self._vecs is None:
            self._vecs = tfidf([i.text for i in self.items])
        return self._vecs


Scored = dict[int, tuple[float, list[str]]]


def relevance(phrase: Phrase, items: Sequence[Item], *, theme_ids: Iterable[str] = (),
              index: Index | None = None, reports: set[str] | None = None) -> Scored:
    """Item index -> (score 0..1, matched themes), for the items with any of the phrase's
    words (or, for themes alone, any of the themes), of ``reports`` only when given.
    :func:`matched_words` gives the stems that matched (only the rows shown need them)."""
    index = index or Index(items)
    bm = index.bm
    terms = [*phrase.stems, *phrase.expansion]
    weights = {**phrase.expansion, **phrase.weights}
    _add_acronyms(phrase, bm, terms, weights)
    sparse = bm.score_sparse(terms, weights)
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
    local_themes, docs, literal = index.local_themes, bm.docs, phrase.literal
    head_floor = HEAD_SHARE * head_mass
    spelt: dict[str, list[str]] = {}  # a stem -> the acronyms that stand for it
    for a, ws in phrase.acronyms.items():
        for t in ws:
            spelt.setdefault(t, []).append(a)
    for n in (sorted(sparse) if phrase.stems else range(len(items))):
        if reports is not None and items[n].report not in reports:
            continue
        if literal and not all(q in _fold(items[n].text) for q in literal):
            continue
        local = local_themes[n]
        shared = sorted(local.intersection(themes)) if local and themes else []
        th = (0.5 * max(scaled[t] for t in shared) + 0.5 * sum(rare[t] for t in shared) / rmass
              ) if shared else 0.0
        if phrase.stems:
            w = min(1.0, sparse[n] / ceiling)
            s = (1 - THEME_WEIGHT) * w + THEME_WEIGHT * th
            doc = docs[n]
            if head_mass and sum(v for t, v in head.items() if t in doc
                                 or any(a in doc for a in spelt.get(t, ()))
                                 or _other_form(t, doc, local, phrase)) < head_floor \
                    and not _names_head_area(phrase, bm, n, local or _tagged(items[n].text)):
                s *= 0.5  # the phrase's own head words barely there: a mention, not the chain
        elif shared:  # a theme alone (--theme): the themes decide
            s = th
        else:
            continue
        out[n] = (s, shared)
    return out


def _other_form(stem: str, doc, local: frozenset[str], phrase: Phrase) -> bool:
    """Whether an item holds the head word ``stem`` in another form the stemmer keeps
    apart ("disabled" / "disabilities", "stable" / "stability"): it carries the theme the
    word names by itself and holds a word of the same first five letters."""
    named = phrase.word_themes.get(stem)
    return bool(named and len(stem) >= 5 and not local.isdisjoint(named)
                and any(w[:5] == stem[:5] for w in doc))


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
    df = _theme_df(index)
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


def _theme_df(index: Index) -> Counter[str]:
    df = getattr(index, "_theme_df", None)
    if df is None:
        df = Counter(t for ts in index.local_themes for t in ts)
        index._theme_df = df  # type: ignore[attr-defined]
    return df


@lru_cache(maxsize=65536)
def _tagged(text: str) -> frozenset[str]:
    """The themes an untagged item's words name (as the tagger would); cached: the links
    step asks it of the same items for each of the authority's concerns."""
    return frozenset(phrase_themes(text))


def _names_head_area(phrase: Phrase, bm: BM25, n: int, local: set[str]) -> bool:
    """Whether item ``n`` is about the practice area the phrase's head names in the
    reports' own words: it carries that theme and holds most of the phrase's details (by
    rarity).  "Response to children who go missing: take-up of return home interviews"
    is written in reports as "The offer and take-up of return home interviews ..."."""
    named = phrase.core_themes if phrase.core else phrase.themes
    if not any(named.get(t) == 1.0 and theme_facet().get(t) == "practice-area" for t in local):
        return False
    head = phrase.core or [t for t in phrase.stems if phrase.weights.get(t) == 1.0]
    detail = [t for t in phrase.stems if t not in head and bm.df.get(t)]
    mass = sum(bm.idf(t) for t in detail)
    return bool(mass) and sum(bm.idf(t) for t in detail if t in bm.docs[n]) >= DETAIL_SHARE * mass


def matched_words(phrase: Phrase, index: Index, n: int) -> list[str]:
    """The phrase's stems (and expansion stems) that item ``n`` of ``index`` holds."""
    return index.bm.matched(n, [*phrase.stems, *phrase.expansion])


def _fold(s: str) -> str:
    return " ".join(s.replace("\u2019", "'").lower().split())


def lineage(text: str, docs: Sequence[Doc], items: Sequence[Item], *,
            follows: dict[str, str] | None = None, theme_ids: Iterable[str] = (),
            index: Index | None = None, mentions: bool = True) -> Lineage:
    """The lineage of the concern ``text`` names (or of ``theme_ids``) over ``docs``.

    ``docs`` are the authority's canonical documents; ``items`` their concern items and
    findings; ``follows`` maps a visit to the visit it follows up; ``index`` the words of
    ``items`` when many phrases are traced over the same items; ``mentions`` false leaves
    the other mentions (``--all``) out.
    """
    phrase = parse_phrase(text or "")
    result = Lineage(phrase)
    if not items:
        return result
    index = index or Index(items)
    scored = relevance(phrase, items, theme_ids=theme_ids, index=index,
                       reports={d.report for d in docs})
    scored = _feedback(scored, items, index)
    by_doc: dict[str, list[tuple[float, int, list[str], Item]]] = {}
    for n, (s, th) in scored.items():
        by_doc.setdefault(items[n].report, []).append((s, n, th, items[n]))

    def words(n: int) -> list[str]:
        return matched_words(phrase, index, n)
    nxt = index.next_sentences
    order = sorted(docs, key=lambda d: (d.date or "9999", d.report))
    chain_visits: set[str] = set()
    started = False
    for d in order:
        cands = sorted(by_doc.get(d.report, []), key=lambda x: (-x[0], x[3].position))
        top = cands[0][0] if cands else 0.0
        floor = max(ROW_THRESHOLD, RELATIVE * top)
        # a concern item answers to its own kind: the document's best concern, if it is
        # relevant enough on its own (a later one repeats the concern even when a finding
        # speaks to it more)
        concerns = [c for c in cands if not c[3].is_finding
                    and (c[0] >= min(floor, max(ROW_THRESHOLD, CONCERN_THRESHOLD))
                         or (c[0] >= ROW_THRESHOLD and any(
                             phrase.themes.get(t) == 1.0 for t in c[2])))][:MAX_CONCERNS]
        findings = [c for c in cands if c[3].is_finding and c[0] >= floor]
        if not started:  # a concern is raised by a concern item or a shortfall, not a strength
            findings = [c for c in findings
                        if status_of(c[3].text, c[3].polarity, nxt.get(c[3].iri, ""))[0]
                        != "resolved"]
        findings = findings[:min(MAX_FINDINGS, MAX_ROWS - len(concerns))]
        picked = {id(c[3]) for c in concerns + findings}
        if top < DOC_THRESHOLD or _off_topic(phrase, d, cands, index):
            concerns, findings, picked = [], [], set()
        for s, n, th, it in cands if mentions else ():
            if id(it) not in picked and s > MENTION_THRESHOLD:
                result.mentions.append(_row(it, d, "mentioned", "", s, words(n), th, chain=False))
        if not concerns and not findings:
            if started and follows and (follows.get(d.visit) in chain_visits):
                result.steps.append(Step(d, "not_reviewed"))
            continue
        rows: list[Row] = []
        for s, n, th, it in concerns:
            st, cue = ("persisting", f"named again as {_kind_words(it.kind)}") if started else (
                "raised", f"raised as {_kind_words(it.kind)}")
            rows.append(_row(it, d, st, cue, s, words(n), th))
        for s, n, th, it in findings:
            if started:
                st, cue = status_of(it.text, it.polarity, nxt.get(it.iri, ""))
            else:
                st, cue = "raised", "a shortfall first reported here: " + status_of(
                    it.text, it.polarity, nxt.get(it.iri, ""))[1]
            rows.append(_row(it, d, st, cue, s, words(n), th))
        result.steps.append(Step(d, _step_status(rows, started), rows))
        started = True
        chain_visits.add(d.visit)
    return result


def _off_topic(phrase: Phrase, d: Doc, cands: list, index: Index) -> bool:
    """Whether ``d`` is a visit that looked at another area of the service than the one
    the phrase names, and none of its items names that area: a focused visit on care
    leavers that asks for "management oversight and quality of supervision" says nothing
    about screening at the front door.  The phrase's area is its rarest theme among the
    areas visits look at (the visit topics' themes)."""
    if not d.topics:
        return False
    areas = [t for t in phrase.themes if t in area_themes()]
    if not areas:
        return False
    visited = set().union(*(topic_themes().get(t, frozenset()) for t in d.topics))
    if not visited or visited.intersection(areas):
        return False
    df = _theme_df(index)
    area = min(areas, key=lambda t: (df.get(t, 0), t))
    return not any(area in index.local_themes[n] for _, n, _, _ in cands)


def _feedback(scored: Scored, items: Sequence[Item], index: Index | None = None) -> Scored:
    """Relevance blended with likeness to the chain's core (pseudo-relevance feedback).

    The core is each document's best item when it reaches ``CORE_THRESHOLD``; an item's
    likeness is its best TF-IDF cosine with a core item of *another* document, so a
    document whose words merely brush the phrase stays out unless it also reads like the
    chain's other documents.
    """
    best: dict[str, int] = {}
    for n, (s, _) in scored.items():
        rep = items[n].report
        if s >= CORE_THRESHOLD and (rep not in best or s > scored[best[rep]][0]):
            best[rep] = n
    if not best:
        return scored
    vecs = (index or Index(items)).vecs
    core = list(best.values())
    out: Scored = {}
    for n, (s, th) in scored.items():
        if (1 - FEEDBACK) * s + FEEDBACK < ROW_THRESHOLD:  # cannot join the chain anyway
            out[n] = (s, th)
            continue
        rep = items[n].report
        like = max((cosine(vecs[n], vecs[c]) for c in core if items[c].report != rep),
                   default=0.0)
        out[n] = ((1 - FEEDBACK) * s + FEEDBACK * min(1.0, 2 * like), th)
    return out


_RANK = {"persisting": 0, "improving": 1, "resolved": 2}


def _step_status(rows: list[Row], started: bool) -> str:
    if not started:
        return "raised"
    if any(not r.item.is_finding for r in rows):
        return "persisting"
    # the finding that speaks most to the concern decides; one about as strong (within
    # CLOSE of it) that reports a worse state wins: a shortfall left is not resolved
    top = max(r.score for r in rows)
    close = [r for r in rows if r.score >= CLOSE * top]
    return min(close, key=lambda r: (_RANK.get(r.status, 3), -r.score)).status


def _row(it: Item, d: Doc, status: str, cue: str, score: float, words: list[str],
         themes: list[str], *, chain: bool = True) -> Row:
    return Row(it, d, status, cue, round(score, 3), surface(it.text, words), themes,
               in_chain=chain)


def _next_sentences(items: Sequence[Item]) -> dict[str, str]:
    """Finding -> the next finding of its report when that one qualifies it ("However")."""
    by_rep: dict[str, list[Item]] = {}
    for it in items:
        if it.is_finding:
            by_rep.setdefault(it.report, []).append(it)
    out: dict[str, str] = {}
    for fs in by_rep.values():
        fs.sort(key=lambda i: i.position)
        for a, b in pairwise(fs):
            if b.position == a.position + 1 and continues(b.text):
                out[a.iri] = b.text
    return out


def _kind_words(kind: str) -> str:
    return {"Recommendation": "a recommendation", "AreaForImprovement": "an area for improvement",
            "AreaOfConcern": "an area of concern",
            "AreaForPriorityAction": "an area for priority action"}.get(kind, "a concern")
