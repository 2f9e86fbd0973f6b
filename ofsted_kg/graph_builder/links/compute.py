"""Every triple of one authority's links graph, in plain Python (no store access)."""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from collections.abc import Iterable
from types import SimpleNamespace

import pyoxigraph as ox

from ...lineage.chain import DOC_THRESHOLD, Doc, Index, Item, lineage
from ...lineage.status import STATUSES, status_of
from ...ontology.namespaces import ID, OKG, PROV, RDF, RDFS, STATUS, XSD
from .read import _DOC_RANK, _Doc, _Item, _Vocab
from .similarity import (
    MIN_TEXT,
    _carry_over,
    _pair_score,
    _shared_words,
    _vectorise,
)
from .visits import _follows_up

__all__ = [
    "LINKS_VERSION",
    "MAX_REPEATS_PER_VISIT",
    "MAX_SPEAKING",
    "MIN_TEXT",
    "REPEAT_THRESHOLD",
    "SPEAKS_THRESHOLD",
    "compute",
    "fingerprint",
]

#: bump when the algorithm changes: every links graph then reads as stale
LINKS_VERSION = "links-39"  # 5: statuses from the lineage; 6, 7: wording; 8: span; 9: phrase core; 10: topics; 11: opening, word forms; 12: concern by head area; 13: "not all" a shortfall; 14: regularity granted; 15: purpose clause; 16: improvement made; 17: polarity cues; 18: board items; 19: area named in passing; 20: raising document one row fewer; 21: concern under the threshold needs the head area; 22: work that remains qualifies; 23: an exception carved out; 24: concessions, averted delay, taking part, legal status, effort, hedges inside a sentence, recent investment; 25: work still asked for ("require further attention"); 26: a concern listed again shows two findings; 27: more to do in the same sentence; 28: a weakness read off scrubbed words; 29: one finding beside a strong listing that raises the concern; 30: a strength beside a close shortfall is improving; 31: rigorous/manageable/stable, variance, challenged shortfalls, even greater; 32: a strength negated through an adverb; 33: the need leaders recognise qualifies; 34: inverted conditions, caseloads higher, gaining traction; 35: an adverb after a negated verb, needs to be met; 36: a later full inspection joins on less; 37: a chain document's items ranked at full score; 38: a concession with the shortfall of a few
#: a later concern repeats an earlier one at or above this strength
REPEAT_THRESHOLD = 0.45
#: a finding speaks to an earlier concern when the concern's lineage (traced from its own
#: words) holds it: its document's best item at or above this relevance, and the finding
#: within the lineage's share of it (ofsted_kg.lineage.chain)
SPEAKS_THRESHOLD = DOC_THRESHOLD
#: at most this many findings of one report speak to one earlier concern
MAX_SPEAKING = 3
#: at most this many earlier concerns of one visit that one concern repeats
MAX_REPEATS_PER_VISIT = 2

_N = ox.NamedNode
_T = ox.Triple
_TYPE = _N(str(RDF.type))
_DEC = _N(str(XSD.decimal))
_INT = _N(str(XSD.integer))
_DATE = _N(str(XSD.date))
#: the vocabulary's terms as nodes, made once: an rdflib DefinedNamespace looks each term
#: up in Python, and a node was made for every triple (some 2 % of the step's CPU)
_O = SimpleNamespace(**{n: _N(str(getattr(OKG, n))) for n in """
    ConcernLink FullInspection StatusAssessment ThemeTally Visit assessedIn authority
    basedOn cue documentCount firstRaised followUpEvidence followsUp fromConcern
    lastRaised linkEvidence linkStrength ofConcern recurrenceCount repeats sha256
    sharedTheme showsStatus speaksTo status theme toConcern
    """.split()})
_DERIVED_FROM = _N(str(PROV.wasDerivedFrom))
_ALTERNATE_OF = _N(str(PROV.alternateOf))
_ACTIVITY = _N(str(PROV.Activity))
_LABEL = _N(str(RDFS.label))
_STATUS_NODE = {s: _N(str(STATUS[s])) for s in (*STATUSES, "not_reviewed")}


def _lit(v: str) -> ox.Literal:
    return ox.Literal(v)


def _int(v: int) -> ox.Literal:
    return ox.Literal(str(v), datatype=_INT)


def _date(v: str) -> ox.Literal:
    return ox.Literal(v, datatype=_DATE)


def _dec(v: float) -> ox.Literal:
    return ox.Literal(f"{v:.3f}", datatype=_DEC)


def fingerprint(shas: Iterable[str], vocabulary: str = "") -> str:
    """Digest of the algorithm version, the vocabulary's digest and the sorted report
    SHA-256s: a change in any of them makes the links stale."""
    h = hashlib.sha256(f"{LINKS_VERSION}\n{vocabulary}".encode())
    for s in sorted(set(shas)):
        h.update(b"\n" + s.encode())
    return h.hexdigest()



def compute(docs: list[_Doc], items: list[_Item], vocab: _Vocab, *, key: str, auth: str,
            graph: str) -> list[ox.Triple]:
    """Every triple of one authority's links graph (pure: no store access)."""
    out: list[ox.Triple] = []
    g = _N(graph)
    out.append(_T(g, _O.sha256, _lit(fingerprint((d.sha for d in docs), vocab.digest))))
    out.append(_T(g, _O.authority, _N(auth)))
    for d in docs:
        out.append(_T(g, _DERIVED_FROM, _N(d.report)))
    if not docs:
        return out

    by_report: dict[str, list[_Item]] = defaultdict(list)
    for it in items:
        by_report[it.report].append(it)
    for d in docs:
        its = by_report.get(d.report, [])
        d.n_concerns = sum(1 for i in its if not i.is_finding)
        d.n_items = len(its)

    # canonical report per visit (the fuller file); the others are alternates
    visits: dict[str, list[_Doc]] = defaultdict(list)
    for d in docs:
        visits[d.visit].append(d)
    canon: dict[str, _Doc] = {}
    for v, ds in visits.items():
        best = max(ds, key=lambda d: (d.n_concerns, d.n_items, d.file.lower().endswith(".pdf"),
                                      d.sha))
        canon[v] = best
        for d in ds:
            if d is not best:
                out.append(_T(_N(d.report), _ALTERNATE_OF, _N(best.report)))
    cdocs = sorted(canon.values(), key=lambda d: (d.date or "9999", _DOC_RANK.get(d.type, 9),
                                                   d.sha))
    dates: dict[str, list[str]] = defaultdict(list)
    for d in docs:
        if d.date:
            dates[d.visit].append(d.date)

    # (a) visit links
    fulls = [d for d in cdocs if d.type == "full_inspection"]
    follows: dict[str, str] = {}  # visit -> visit it follows up
    for d in cdocs:
        target, ref, how = _follows_up(d, fulls, dates)
        v = _N(d.visit)
        if target is not None:
            out.append(_T(v, _O.followsUp, _N(target.visit)))
            follows[d.visit] = target.visit
            if how and how != d.evidence:
                out.append(_T(v, _O.followUpEvidence, _lit(how)))
        elif ref is not None:
            y, mo = ref
            stamp = f"{y:04d}-{mo:02d}" if mo else f"{y:04d}"
            ph = _N(str(ID[f"visit/{key}/full_inspection/referenced/{stamp}"]))
            out += [
                _T(ph, _TYPE, _O.FullInspection),
                _T(ph, _TYPE, _O.Visit),
                _T(ph, _TYPE, _ACTIVITY),
                _T(ph, _O.authority, _N(auth)),
                _T(ph, _LABEL, _lit(
                    f"Full inspection of {stamp} named by a later letter (report not in the store)")),
                _T(v, _O.followsUp, ph),
            ]
            follows[d.visit] = ph.value

    # items of canonical reports only, vectorised together
    canon_reports = {d.report: d for d in cdocs}
    live = [i for i in items if i.report in canon_reports]
    counts = _vectorise(live)
    tdf: dict[str, int] = defaultdict(int)
    for i in live:
        for t in i.themes:
            tdf[t] += 1
    n_live = max(len(live), 1)
    vocab.specificity = {t: 0.5 + 0.5 * math.log((1 + n_live) / (1 + c)) / math.log(1 + n_live)
                         for t, c in tdf.items()}
    doc_of = {i.iri: canon_reports[i.report] for i in live}
    concerns = [i for i in live if not i.is_finding]
    findings_by_report: dict[str, list[_Item]] = defaultdict(list)
    concerns_by_report: dict[str, list[_Item]] = defaultdict(list)
    for i in live:
        (findings_by_report if i.is_finding else concerns_by_report)[i.report].append(i)

    # (b) concern links: later concern -> earlier concerns it repeats
    repeat_of: dict[tuple[str, str], tuple[float, _Item]] = {}  # (earlier, later report)
    repeat_edges: list[tuple[_Item, _Item]] = []  # (later concern, earlier concern)
    # a pair under MIN_TEXT (sharing no word, so at 0) has no strength (_pair_score), the
    # carry-over boost none either: only the concerns sharing a word are scored
    with_word: dict[str, list[_Item]] = defaultdict(list)
    for e in concerns:
        for t in e.vec:
            with_word[t].append(e)
    for d_i, d in enumerate(cdocs):
        earlier_docs = [x for x in cdocs[:d_i] if x.date and d.date and x.date < d.date]
        if not earlier_docs:
            continue
        followed = follows.get(d.visit)
        # the report's own words that earlier shortfalls remain boost only a link to the
        # visit it follows up: read only for a report that follows one up and has concerns
        cover = _carry_over(by_report.get(d.report, [])) if (
            followed and concerns_by_report.get(d.report)) else ""
        for c in concerns_by_report.get(d.report, []):
            near = {id(e) for t in c.vec for e in with_word[t]}
            for ed in earlier_docs:
                pool = concerns_by_report.get(ed.report, [])
                scored = []
                for e in pool:
                    if id(e) not in near:  # no word in common: no link (_pair_score)
                        continue
                    s, ts, xs, shared = _pair_score(c, e, vocab)
                    boost = 0.1 if cover and followed == ed.visit and s >= 0.25 else 0.0
                    s = min(1.0, s + boost)
                    if s >= REPEAT_THRESHOLD:
                        scored.append((s, ts, xs, shared, boost, e))
                scored.sort(key=lambda x: (-x[0], x[5].position, x[5].iri))
                for s, ts, xs, shared, boost, e in scored[:MAX_REPEATS_PER_VISIT]:
                    link = _N(f"{c.iri}/repeats/{ed.sha}/{e.position or e.iri.rsplit('/', 1)[-1]}")
                    ev = [f"{c.kind} of {d.date[:4]} and {e.kind} of {ed.date[:4]}"]
                    if shared:
                        ev.append("shared themes: " + ", ".join(vocab.name(t) for t in shared))
                    elif ts > 0:
                        ev.append(f"related themes (score {ts:.2f})")
                    words = _shared_words(c, e)
                    if words:
                        ev.append(f"text similarity {xs:.2f} ({', '.join(words)})")
                    if boost:
                        ev.append(f"the report's carry-over words: \"{cover}\"")
                    repeat_edges.append((c, e))
                    out += [
                        _T(_N(c.iri), _O.repeats, _N(e.iri)),
                        _T(link, _TYPE, _O.ConcernLink),
                        _T(link, _O.fromConcern, _N(c.iri)),
                        _T(link, _O.toConcern, _N(e.iri)),
                        _T(link, _O.linkStrength, _dec(s)),
                        _T(link, _O.linkEvidence, _lit("; ".join(ev))),
                    ]
                    out += [_T(link, _O.sharedTheme, _N(t)) for t in shared]
                    k = (e.iri, d.report)
                    if k not in repeat_of or repeat_of[k][0] < s:
                        repeat_of[k] = (s, c)

    # (c) findings speaking to earlier concerns, and statuses: the concern's lineage
    # (ofsted_kg.lineage.chain, what trace answers) traced from its own words
    first_full_after: dict[str, str] = {}
    for d_i, d in enumerate(cdocs):
        for x in cdocs[d_i + 1:]:
            if x.type == "full_inspection" and x.date and d.date and x.date > d.date:
                first_full_after[d.visit] = x.report
                break
    # with the visit's topics: a focused visit on another area speaks to the concern only
    # through an item about its area, as trace says (ofsted_kg.lineage.chain)
    ldocs = {d.report: Doc(d.report, d.date[:10], d.type, d.file, d.visit, topics=d.topics)
             for d in cdocs}
    litems = [Item(i.iri, i.report, i.kind, i.text, i.page, i.position, i.polarity.lower(),
                   i.themes) for i in live]
    index = Index(litems, vecs=[i.vec for i in live], counts=counts)  # the same texts, as above
    by_iri = {i.iri: i for i in live}
    sa_status: dict[tuple[str, str], str] = {}  # (concern, report) -> status chosen there
    speaks_pairs: list[tuple[_Item, _Item]] = []  # (later finding, earlier concern)
    for e in concerns:
        ed = doc_of[e.iri]
        span = [ldocs[d.report] for d in cdocs if d.date and ed.date and d.date >= ed.date]
        if not any(x.date > ed.date[:10] for x in span):
            continue  # no later document: nothing to assess
        lin = lineage(e.text, span, litems, follows=follows, index=index, mentions=False,
                      evidence=False)  # (the rows' scores and statuses are read, not their words)
        rows_at = {st.doc.report: st.rows for st in lin.steps if st.rows}
        for d in cdocs:
            if not (d.date and ed.date and d.date > ed.date):
                continue
            speaking = [(r.score, by_iri[r.item.iri], r) for r in rows_at.get(d.report, ())
                        if r.item.is_finding and r.item.iri in by_iri]
            rep = repeat_of.get((e.iri, d.report))
            reviews = follows.get(d.visit) == ed.visit or first_full_after.get(ed.visit) == d.report
            if not speaking and rep is None and not reviews:
                continue
            sa = _N(f"{e.iri}/status/{d.sha}")
            out += [
                _T(sa, _TYPE, _O.StatusAssessment),
                _T(sa, _O.ofConcern, _N(e.iri)),
                _T(sa, _O.assessedIn, _N(d.report)),
            ]
            if not speaking and rep is None:
                sa_status[(e.iri, d.report)] = "not_reviewed"
                out.append(_T(sa, _O.status, _STATUS_NODE["not_reviewed"]))
                out.append(_T(sa, _O.cue, _lit(
                    "nothing in this report speaks to the concern")))
                continue
            votes: dict[str, tuple[float, _Item, str]] = {}
            for s, f, row in speaking:
                out.append(_T(_N(f.iri), _O.speaksTo, _N(e.iri)))
                speaks_pairs.append((f, e))
                st, cue = row.status, row.cue
                if st not in STATUSES:  # the lineage's first document: the words decide
                    st, cue = status_of(row.item.text, row.item.polarity)  # as chain asks
                if st not in votes or votes[st][0] < s:
                    votes[st] = (s, f, cue)
            if rep is not None:
                s, c = rep
                if "persisting" not in votes or votes["persisting"][0] < s:
                    votes["persisting"] = (s, c, f"named again as {_kind_words(c.kind)}")
            top = max(v[0] for v in votes.values())
            chosen = max(votes, key=lambda k: votes[k][0])
            for st in ("persisting", "improving", "resolved"):
                if st in votes and votes[st][0] >= 0.85 * top:
                    chosen = st
                    break
            s, basis, cue = votes[chosen]
            sa_status[(e.iri, d.report)] = chosen
            out += [
                _T(sa, _O.status, _STATUS_NODE[chosen]),
                _T(sa, _O.basedOn, _N(basis.iri)),
                _T(sa, _O.cue, _lit(cue)),
                _T(sa, _O.linkStrength, _dec(s)),
            ]
    out += _shortcuts(docs, items, doc_of, repeat_edges, speaks_pairs, sa_status,
                      graph=graph, auth=auth)
    return out


_STATUS_RANK = {"persisting": 0, "improving": 1, "resolved": 2}


def _shortcuts(docs: list[_Doc], items: list[_Item], doc_of: dict[str, _Doc],
               repeat_edges: list[tuple[_Item, _Item]], speaks_pairs: list[tuple[_Item, _Item]],
               sa_status: dict[tuple[str, str], str], *, graph: str,
               auth: str) -> list[ox.Triple]:
    """Answers the persistence and recurrence queries would otherwise compute at query
    time over every item of the store (each derived from the links above, so they can
    never disagree with them):

    * ``okg:showsStatus`` -- per later item, the strongest status (persisting, improving,
      resolved) its report's assessments give the earlier concerns it repeats or speaks to;
    * ``okg:recurrenceCount``/``okg:firstRaised``/``okg:lastRaised`` -- per concern that
      heads a chain of ``okg:repeats`` over at least two visits: how many visits, first and
      last date;
    * an ``okg:ThemeTally`` per theme of the authority's concerns: in how many visits'
      documents a concern carried it.
    """
    out: list[ox.Triple] = []
    shown: dict[str, tuple[int, str]] = {}
    for later, earlier in [*repeat_edges, *speaks_pairs]:
        st = sa_status.get((earlier.iri, later.report), "")
        if st in _STATUS_RANK and (later.iri not in shown
                                   or _STATUS_RANK[st] < shown[later.iri][0]):
            shown[later.iri] = (_STATUS_RANK[st], st)
    for iri, (_, st) in sorted(shown.items()):
        out.append(_T(_N(iri), _O.showsStatus, _STATUS_NODE[st]))

    earlier_of: dict[str, list[_Item]] = defaultdict(list)
    repeated: set[str] = set()
    heads: dict[str, _Item] = {}
    for later, earlier in repeat_edges:
        earlier_of[later.iri].append(earlier)
        repeated.add(earlier.iri)
        heads[later.iri] = later
    for iri, head in sorted(heads.items()):
        if iri in repeated:
            continue
        seen = {iri}
        stack = [head]
        dated: dict[str, str] = {}
        while stack:
            x = stack.pop()
            d = doc_of.get(x.iri)
            if d is not None and d.date:
                dated[d.visit] = d.date[:10]
            for y in earlier_of.get(x.iri, ()):
                if y.iri not in seen:
                    seen.add(y.iri)
                    stack.append(y)
        if len(dated) < 2:
            continue
        out += [
            _T(_N(iri), _O.recurrenceCount, _int(len(dated))),
            _T(_N(iri), _O.firstRaised, _date(min(dated.values()))),
            _T(_N(iri), _O.lastRaised, _date(max(dated.values()))),
        ]

    visit_of = {d.report: d.visit for d in docs}
    per_theme: dict[str, set[str]] = defaultdict(set)
    for it in items:
        if not it.is_finding and it.report in visit_of:
            for t in it.themes:
                per_theme[t].add(visit_of[it.report])
    for t, visits in sorted(per_theme.items()):
        node = _N(f"{graph}/theme/{t.rsplit('/', 1)[-1]}")
        out += [
            _T(node, _TYPE, _O.ThemeTally),
            _T(node, _O.authority, _N(auth)),
            _T(node, _O.theme, _N(t)),
            _T(node, _O.documentCount, _int(len(visits))),
        ]
    return out


def _kind_words(kind: str) -> str:
    return {"Recommendation": "a recommendation", "AreaForImprovement": "an area for improvement",
            "AreaOfConcern": "an area of concern",
            "AreaForPriorityAction": "an area for priority action"}.get(kind, "a concern")
