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
  (:func:`~.status.status_of`) and the words that decided it -- a strength beside a
  shortfall about as strong is improving (some improvement, a shortfall left);
* the first document with any of them **raised** the concern; a later document with none,
  that follows up an earlier one of the chain, is ``not reviewed``;
* an item without the practice the phrase's head names (its *core*: "assessments" of
  "Quality of assessments of children in need"; an acronym the phrase writes out, "IRO",
  counts as its words) counts half, unless it carries that practice's theme and most of
  the phrase's details -- in deciding whether its document is in the chain; within a
  document in it, the items are ranked at their full score; a theme counts by its rarity
  among the authority's items;
* a focused visit that looked at another area of the service (``Doc.topics``) than the
  one the phrase names is in the chain only when one of its items carries that area.

Each row carries its ``score`` (confidence, 0..1) and the evidence (matched words and
themes); rows under the thresholds but still mentioning the words are kept apart for
``--all``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .phrase import Phrase, area_themes, parse_phrase, topic_themes
from .records import Doc, Item, Lineage, Row, Step
from .relevance import (
    CORE_THRESHOLD,
    FEEDBACK,
    ROW_FLOOR,
    ROW_THRESHOLD,
    Index,
    Scored,
    feedback,
    matched_words,
    relevance,
)
from .status import status_of
from .words import surface

__all__ = [
    "DOC_THRESHOLD",
    "FULL_DOC_THRESHOLD",
    "MAX_CONCERNS",
    "MAX_FINDINGS",
    "MAX_ROWS",
    "RELATIVE",
    "ROW_THRESHOLD",
    "Doc",
    "Index",
    "Item",
    "Lineage",
    "Row",
    "Step",
    "lineage",
]

#: a document's best item must reach this relevance for the document to be in the chain
DOC_THRESHOLD = 0.35
#: ... and this, for a full inspection after the concern was raised: it reviews the whole
#: service, so it is never about another practice area, and what it says of the concern
#: is often in few of the phrase's words ("Children live in stable homes.")
FULL_DOC_THRESHOLD = 0.32
#: an item joins the chain at or above ROW_THRESHOLD (.relevance) and at or above this
#: share of the document's best item
RELATIVE = 0.6
#: a concern item at or above this relevance joins the chain whatever the findings score
CONCERN_THRESHOLD = 0.45
#: the most concern items, findings and rows shown per document
MAX_CONCERNS = 1
MAX_FINDINGS = 3
MAX_ROWS = 4
#: the most findings beside a concern item that names the concern again as strongly as
#: the chain's core items do (at CORE_THRESHOLD): the listing says it is still there, and
#: two findings show what the document says of it (one beside the listing that raises it)
MAX_FINDINGS_NAMED = 2
#: a row outside the chain is shown with --all when its relevance is above this
MENTION_THRESHOLD = 0.0
#: findings within this share of a document's best one are "about as strong"
CLOSE = 0.85


def lineage(text: str, docs: Sequence[Doc], items: Sequence[Item], *,
            follows: dict[str, str] | None = None, theme_ids: Iterable[str] = (),
            index: Index | None = None, mentions: bool = True,
            evidence: bool = True) -> Lineage:
    """The lineage of the concern ``text`` names (or of ``theme_ids``) over ``docs``.

    ``docs`` are the authority's canonical documents; ``items`` their concern items and
    findings; ``follows`` maps a visit to the visit it follows up; ``index`` the words of
    ``items`` when many phrases are traced over the same items; ``mentions`` false leaves
    the other mentions (``--all``) out, and with them the items that cannot reach
    ``ROW_THRESHOLD`` (none of them is a row; whether a visit is off topic still asks
    them); ``evidence`` false leaves the rows' matched words out (the links step reads
    only their scores and statuses).
    """
    phrase = parse_phrase(text or "")
    result = Lineage(phrase)
    if not items:
        return result
    index = index or Index(items)
    below: set[int] = set()  # the items left out under ROW_FLOOR
    lifted: dict[int, float] = {}  # the items the head-word test halved: their full score
    scored = relevance(phrase, items, theme_ids=theme_ids, index=index,
                       reports={d.report for d in docs}, floor=0.0 if mentions else ROW_FLOOR,
                       below=below, lifted=lifted)
    if not mentions:
        scored = _weak_findings_out(scored, index, below, lifted)
    scored = feedback(scored, items, index, lifted)
    by_doc: dict[str, list[tuple[float, int, list[str], Item]]] = {}
    reports, finding = index.reports, index.finding
    for n, (s, th) in scored.items():
        got = by_doc.get(reports[n])
        if got is None:
            got = by_doc[reports[n]] = []
        got.append((s, n, th, items[n]))

    def words(n: int) -> list[str]:
        return matched_words(phrase, index, n) if evidence else []
    nxt = index.following
    order = sorted(docs, key=lambda d: (d.date or "9999", d.report))
    chain_visits: set[str] = set()
    started = False
    for d in order:
        cands = sorted(by_doc.get(d.report, []), key=lambda x: (-x[0], x[3].position))
        top = cands[0][0] if cands else 0.0
        floor = max(ROW_THRESHOLD, RELATIVE * top)
        # whether the document is in the chain is decided on these scores, where an item
        # without the practice the phrase's head names counts half; within a document in
        # it, each item is ranked at its full score: once a report speaks of the concern,
        # its sentences about it need not repeat the head's words ("Reliance on agency
        # social workers has reduced", of the stability of the workforce)
        ranked = cands
        if lifted and any(c[1] in lifted for c in cands):
            ranked = sorted([(lifted[c[1]], *c[1:]) if c[1] in lifted else c for c in cands],
                            key=lambda x: (-x[0], x[3].position))
        # a concern item answers to its own kind: the document's best concern, if it is
        # relevant enough on its own (a later one repeats the concern even when a finding
        # speaks to it more); under CONCERN_THRESHOLD only with the head's practice area,
        # even as the best of a document that barely speaks of the concern
        concerns = [c for c in ranked if not finding[c[1]]
                    and (c[0] >= max(ROW_THRESHOLD, CONCERN_THRESHOLD)
                         or (c[0] >= ROW_THRESHOLD and any(
                             phrase.themes.get(t) == 1.0 for t in c[2])))][:MAX_CONCERNS]
        findings = [c for c in ranked if finding[c[1]] and c[0] >= floor]
        if not started:  # a concern is raised by a concern item or a shortfall, not a strength
            findings = [c for c in findings
                        if status_of(c[3].text, c[3].polarity, nxt(c[3].iri))[0]
                        != "resolved"]
        # the document raising the concern decides no status: its concern item and its
        # best shortfalls show it raised, one row fewer than a later document; a concern
        # item as strong as the chain's core is the listing that raises the concern (its
        # best shortfall beside it) or, later, decides it (with two findings)
        named = concerns and concerns[0][0] >= CORE_THRESHOLD
        cap = MAX_FINDINGS
        if named:
            cap = MAX_FINDINGS_NAMED if started else MAX_FINDINGS_NAMED - 1
        findings = findings[:min(cap, MAX_ROWS - len(concerns) - (not started))]
        picked = {id(c[3]) for c in concerns + findings}
        need = FULL_DOC_THRESHOLD if started and d.type == "full_inspection" else DOC_THRESHOLD
        if top < need or _off_topic(phrase, d, cands, index, below):
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
                st, cue = status_of(it.text, it.polarity, nxt(it.iri))
            else:
                st, cue = "raised", "a shortfall first reported here: " + status_of(
                    it.text, it.polarity, nxt(it.iri))[1]
            rows.append(_row(it, d, st, cue, s, words(n), th))
        if started:
            _qualify(rows)
        result.steps.append(Step(d, _step_status(rows, started), rows))
        started = True
        chain_visits.add(d.visit)
    return result


def _weak_findings_out(scored: Scored, index: Index, below: set[int],
                       lifted: dict[int, float] | None = None) -> Scored:
    """``scored`` without the findings that cannot be rows: even wholly like the chain's
    core, :func:`~.relevance.feedback` would leave them under RELATIVE times their
    document's best (which it cannot lower under the bound taken here), at their full
    score (``lifted``) too, so they are not compared with the core.  Each goes into
    ``below`` (whether a visit is off topic asks it).  None of them is part of the core:
    that needs CORE_THRESHOLD, which feedback keeps over RELATIVE times any score.
    (``index``: the items' reports and kinds.)"""
    reports, finding, keep = index.reports, index.finding, 1 - FEEDBACK
    least: dict[str, float] = {}  # report -> its best item after feedback, at least
    for n, (s, _) in scored.items():
        low = s if keep * s + FEEDBACK < ROW_THRESHOLD else keep * s
        rep = reports[n]
        if low > least.get(rep, 0.0):
            least[rep] = low
    out: Scored = {}
    for n, v in scored.items():
        hi = lifted.get(n, v[0]) if lifted else v[0]
        if finding[n] and keep * hi + FEEDBACK < RELATIVE * least[reports[n]]:
            below.add(n)
        else:
            out[n] = v
    return out


def _off_topic(phrase: Phrase, d: Doc, cands: list, index: Index, below: set[int]) -> bool:
    """Whether ``d`` is a visit that looked at another area of the service than the one
    the phrase names, and none of its items names that area (and speaks of the practice
    the phrase names there): a focused visit on care
    leavers that asks for "management oversight and quality of supervision" says nothing
    about screening at the front door.  The phrase's area is its rarest theme among the
    areas visits look at (the visit topics' themes).  ``below``: the items relevance
    left out under its floor (of any document): they name the phrase's words too."""
    if not d.topics:
        return False
    areas = [t for t in phrase.themes if t in area_themes()]
    if not areas:
        return False
    visited = set().union(*(topic_themes().get(t, frozenset()) for t in d.topics))
    if not visited or visited.intersection(areas):
        return False
    df = index.theme_df
    area = min(areas, key=lambda t: (df.get(t, 0), t))
    local, docs, themes = index.local_themes, index.bm.docs, set(phrase.themes)
    # an item naming the area in passing ("from the children in care service to the care
    # leaver teams") does not: it must also speak of the practice the phrase names -- a
    # word of its core (or head) or of its details, or another of its themes
    said = [t for t in (phrase.core or phrase.stems) if phrase.weights.get(t) == 1.0] + [
        t for t in phrase.stems if phrase.weights.get(t, 1.0) < 1.0]

    def names(n: int) -> bool:
        return area in local[n] and (len(local[n] & themes) >= 2
                                     or any(t in docs[n] for t in said))
    return not (any(names(n) for _, n, _, _ in cands)
                or any(names(n) and index.items[n].report == d.report for n in below))


_RANK = {"persisting": 0, "improving": 1, "resolved": 2}


def _close(rows: list[Row]) -> list[Row]:
    """The rows about as strong as the strongest of ``rows`` (within CLOSE of it)."""
    top = max(r.score for r in rows)
    return [r for r in rows if r.score >= CLOSE * top]


def _qualify(rows: list[Row]) -> None:
    """A strength beside a shortfall the same document states about as strongly (within
    CLOSE of its best finding) is not the whole answer: some improvement, a shortfall
    left -- the strength's row is improving, and its cue names the shortfall's words too
    ("Strategy meetings have considerably improved since the last inspection." and,
    elsewhere in the report, "Health professionals do not consistently attend them.")."""
    found = [r for r in rows if r.item.is_finding]
    if len(found) < 2:
        return
    left = [r for r in _close(found) if r.status == "persisting"]
    if not left:
        return
    for r in found:
        if r.status == "resolved":
            r.status, r.cue = "improving", f"{r.cue}; a shortfall left beside it: {left[0].cue}"


def _step_status(rows: list[Row], started: bool) -> str:
    if not started:
        return "raised"
    if any(not r.item.is_finding for r in rows):
        return "persisting"
    # the finding that speaks most to the concern decides; one about as strong (within
    # CLOSE of it) that reports a worse state wins: a shortfall left is not resolved
    return min(_close(rows), key=lambda r: (_RANK.get(r.status, 3), -r.score)).status


def _row(it: Item, d: Doc, status: str, cue: str, score: float, words: list[str],
         themes: list[str], *, chain: bool = True) -> Row:
    return Row(it, d, status, cue, round(score, 3), surface(it.text, words) if words else [],
               list(themes), in_chain=chain)  # (a list of its own: relevance shares them)


def _kind_words(kind: str) -> str:
    return {"Recommendation": "a recommendation", "AreaForImprovement": "an area for improvement",
            "AreaOfConcern": "an area of concern",
            "AreaForPriorityAction": "an area for priority action"}.get(kind, "a concern")
