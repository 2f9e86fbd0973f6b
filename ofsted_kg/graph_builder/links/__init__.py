"""Cross-visit links within an authority: follow-ups, repeated concerns, statuses.

A package by responsibility: :mod:`.read` (the authority's reports, items and the
vocabulary, out of the store), :mod:`.similarity` and :mod:`.visits` and :mod:`.compute`
(the links in plain Python, no store access), :mod:`.write` (replacing the links graph,
staleness).  Every public name is importable from here.

For each authority the pipeline touched, :func:`relink` reads that authority's reports,
concerns, findings, dates and themes back out of the store (SPARQL), computes the links in
plain Python, and replaces the authority's links graph ``graph/links/<key>`` in one atomic
write.  Nothing here depends on particular theme ids: the facet of a theme (cohort,
practice area, issue, National Framework) and its broader concepts are read from the
vocabulary graph, so the rules hold for whatever vocabulary the store carries.

What is written (every node has a deterministic IRI, no blank nodes):

(a) **Visit links.**  Each monitoring visit, focused visit, JTAI, commissioner's report --
    and each full inspection -- ``okg:followsUp`` the full inspection it follows up: the one
    the letter's own words date ("fifth monitoring visit since the local authority was
    judged inadequate in February 2022"), else the latest full inspection before it.  When
    the letter names an inspection that is not in the store, a placeholder visit stands in
    for it (``id:visit/<key>/full_inspection/referenced/<YYYY-MM>``).
(b) **Concern links.**  Each concern ``okg:repeats`` the earlier concerns of the same
    authority it repeats, with an ``okg:ConcernLink`` (strength 0..1, shared specific
    themes, and the evidence in words): shared practice-area themes count fully, cohort and
    issue themes weakly (two concerns that are both "about care leavers" are not the same
    concern), plus TF-IDF text similarity, plus the report's own carry-over words ("areas
    for improvement identified at the last inspection have not been sufficiently
    addressed").
(c) **Statuses.**  A later report's findings that speak to an earlier concern are attached
    to it (``okg:speaksTo``) and give the concern an ``okg:StatusAssessment`` at that report
    -- persisting, improving, resolved -- from the finding's words (``okg:cue``: "still
    delays", "remains", "not consistently" / "has improved" / "now timely", "is effective").
    A concern named again as a concern is persisting.  A report that follows up the
    concern's visit but says nothing about it gives ``not_reviewed``.

(d) **Shortcuts for the queries** (:func:`_shortcuts`), derived from (b) and (c) so they
    cannot disagree: ``okg:showsStatus`` per later item, ``okg:recurrenceCount``,
    ``okg:firstRaised`` and ``okg:lastRaised`` per head of a chain of repeats, and an
    ``okg:ThemeTally`` per theme of the authority's concerns.

Two files of one visit (a seed text and the PDF of the same report) share a visit: the
fuller one is canonical, the other is marked ``prov:alternateOf`` it and is not linked.

The links graph records what it was computed from: ``<graph> okg:sha256 <fingerprint>``
(a digest of the algorithm version and the sorted SHA-256s of the authority's reports) and
``<graph> prov:wasDerivedFrom <report>`` for each; :func:`stale_authorities` compares that
with the store.
"""

from __future__ import annotations

from ...lineage.status import status_of
from ...lineage.words import head_clause
from .compute import (
    LINKS_VERSION,
    MAX_REPEATS_PER_VISIT,
    MAX_SPEAKING,
    MIN_TEXT,
    REPEAT_THRESHOLD,
    SPEAKS_THRESHOLD,
    compute,
    fingerprint,
)

# the internals the tests exercise directly
from .read import (  # noqa: F401
    _Doc,
    _Item,
    _read_docs,
    _read_items,
    _read_vocab,
    _resolve,
    _Vocab,
    authority_key,
)
from .similarity import _pair_score, _theme_sim, text_similarity  # noqa: F401
from .write import LinkState, authority_reports, relink, relink_all, stale_authorities

__all__ = [
    "LINKS_VERSION",
    "LinkState",
    "MAX_REPEATS_PER_VISIT",
    "MAX_SPEAKING",
    "MIN_TEXT",
    "REPEAT_THRESHOLD",
    "SPEAKS_THRESHOLD",
    "authority_key",
    "authority_reports",
    "compute",
    "fingerprint",
    "head_clause",
    "relink",
    "relink_all",
    "stale_authorities",
    "status_of",
    "text_similarity",
]
