"""Cross-visit links within an authority: follow-ups, repeated concerns, statuses.

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

import hashlib
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import pyoxigraph as ox

from ..ontology.namespaces import GRAPH, ID, OKG, PROV, RDF, RDFS, STATUS, XSD
from ..store import Store, links_graph, theme_hierarchy

__all__ = [
    "relink", "relink_all", "stale_authorities", "authority_key", "status_of",
    "text_similarity", "LINKS_VERSION", "REPEAT_THRESHOLD", "SPEAKS_THRESHOLD",
]

#: bump when the algorithm changes: every links graph then reads as stale
LINKS_VERSION = "links-3"  # links-3: okg:showsStatus, recurrence counts, theme tallies
#: a later concern repeats an earlier one at or above this strength
REPEAT_THRESHOLD = 0.45
#: a finding speaks to an earlier concern at or above this strength
SPEAKS_THRESHOLD = 0.45
#: below this word similarity two items are never linked
MIN_TEXT = 0.10
#: at most this many findings of one report speak to one earlier concern
MAX_SPEAKING = 3
#: at most this many earlier concerns of one visit that one concern repeats
MAX_REPEATS_PER_VISIT = 2

_LINKS_PREFIX = str(GRAPH["links/"])
_GSS = re.compile(r"^[EWSN]\d{8}$")

_N = ox.NamedNode
_T = ox.Triple
_TYPE = _N(str(RDF.type))
_DEC = _N(str(XSD.decimal))
_INT = _N(str(XSD.integer))
_DATE = _N(str(XSD.date))

#: how much a shared theme of each facet counts (by the facet's top concept's id)
FACET_WEIGHTS = {"practice": 1.0, "cohort": 0.25, "issue": 0.15, "national": 0.3}
_UNKNOWN_FACET_WEIGHT = 0.5

_DOC_RANK = {"full_inspection": 0, "joint_targeted_area_inspection": 1, "monitoring_visit": 2,
             "focused_visit": 3, "commissioner_report": 4, "other": 5}
_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august",
     "september", "october", "november", "december"], 1)}


# -- reading ------------------------------------------------------------------------
@dataclass(slots=True)
class _Doc:
    report: str
    sha: str
    type: str
    visit: str
    date: str  # ISO date used for ordering (visit start, else end, else issued)
    evidence: str = ""
    n_concerns: int = 0
    n_items: int = 0
    file: str = ""


@dataclass(slots=True)
class _Item:
    iri: str
    report: str
    kind: str  # "Finding" or the concern class local name
    text: str
    page: int = 0
    position: int = 0
    polarity: str = ""  # Strength | Weakness | Mixed (findings)
    themes: frozenset[str] = frozenset()
    vec: dict[str, float] = field(default_factory=dict)

    @property
    def is_finding(self) -> bool:
        return self.kind == "Finding"


@dataclass(slots=True)
class _Vocab:
    weight: dict[str, float]  # theme IRI -> facet weight
    facet: dict[str, str]  # theme IRI -> facet key
    ancestors: dict[str, frozenset[str]]  # theme IRI -> broader* (facet roots excluded)
    label: dict[str, str]

    specificity: dict[str, float] = field(default_factory=dict)  # per authority, 0.5..1
    digest: str = ""  # the vocabulary graph's okg:sha256

    def w(self, t: str) -> float:
        return self.weight.get(t, _UNKNOWN_FACET_WEIGHT) * self.specificity.get(t, 1.0)

    def name(self, t: str) -> str:
        return self.label.get(t) or t.rsplit("/", 1)[-1]


def _read_vocab(store: Store) -> _Vocab:
    h = theme_hierarchy(store)
    facet = {t: next((k for k in FACET_WEIGHTS if k in top), "other") for t, top in h.top.items()}
    weight = {t: FACET_WEIGHTS.get(f, _UNKNOWN_FACET_WEIGHT) for t, f in facet.items()}
    return _Vocab(weight, facet, dict(h.ancestors), h.labels, digest=_vocabulary_digest(store))


def _vocabulary_digest(store: Store) -> str:
    g = str(GRAPH["vocabulary"])
    rows = store.select(f"SELECT ?d WHERE {{ GRAPH <{g}> {{ <{g}> okg:sha256 ?d }} }}",
                        union=False)
    return str(rows[0]["d"]) if rows else ""


def authority_key(gss: str | None, name: str | None) -> str:
    """The key of an authority's links graph: its GSS code, else ``name-<slug>``."""
    if gss:
        return gss
    slug = re.sub(r"[^a-z0-9]+", "-", (name or "").lower()).strip("-") or "unknown"
    return f"name-{slug}"


def _authority_rows(store: Store) -> list[dict[str, object]]:
    return store.select("""SELECT DISTINCT ?a ?gss ?name ?sha WHERE {
        ?r a okg:Report ; okg:authority ?a ; okg:sha256 ?sha .
        OPTIONAL { ?a okg:gssCode ?gss } OPTIONAL { ?a skos:prefLabel ?name } }""")


def _resolve(store: Store, key: str) -> tuple[str | None, str]:
    """(authority IRI or None, links-graph key) for a key given by the pipeline."""
    key = key.strip()
    if _GSS.match(key):
        return str(ID[f"authority/{key}"]), key
    if key.startswith(str(ID)):
        rows = store.select(f"SELECT ?g ?n WHERE {{ OPTIONAL {{ <{key}> okg:gssCode ?g }} "
                            f"OPTIONAL {{ <{key}> skos:prefLabel ?n }} }}")
        r = rows[0] if rows else {}
        return key, authority_key(r.get("g"), r.get("n") or key.rsplit("/", 1)[-1])  # type: ignore[arg-type]
    for r in _authority_rows(store):
        name = str(r.get("name") or "")
        if name.lower() == key.lower() or (key.startswith("name-") and
                                            authority_key(None, name) == key):
            return str(r["a"]), authority_key(r.get("gss"), name)  # type: ignore[arg-type]
    return None, authority_key(None, key[5:] if key.startswith("name-") else key)


def _read_docs(store: Store, auth: str) -> list[_Doc]:
    rows = store.select(f"""SELECT DISTINCT ?r ?sha ?type ?v ?start ?end ?issued ?ev ?file WHERE {{
        ?r a okg:Report ; okg:authority <{auth}> ; okg:sha256 ?sha ; okg:documentType ?type ;
           okg:describes ?v .
        OPTIONAL {{ ?v okg:startDate ?start }} OPTIONAL {{ ?v okg:endDate ?end }}
        OPTIONAL {{ ?r dcterms:issued ?issued }} OPTIONAL {{ ?r okg:sourceFile ?file }}
        OPTIONAL {{ GRAPH ?g {{ ?v okg:followUpEvidence ?ev }}
                   FILTER(!STRSTARTS(STR(?g), "{_LINKS_PREFIX}")) }} }}""")
    docs: dict[str, _Doc] = {}
    for r in rows:
        rep = str(r["r"])
        date = str(r.get("start") or r.get("end") or r.get("issued") or "")
        d = docs.get(rep)
        if d is None:
            docs[rep] = _Doc(rep, str(r["sha"]), str(r["type"]), str(r["v"]), date,
                             str(r.get("ev") or ""), file=str(r.get("file") or ""))
        elif r.get("ev") and len(str(r["ev"])) > len(d.evidence):
            d.evidence = str(r["ev"])
    return sorted(docs.values(), key=lambda d: (d.date or "9999", _DOC_RANK.get(d.type, 9), d.sha))


def _read_items(store: Store, auth: str, vocab: _Vocab) -> list[_Item]:
    rows = store.select(f"""SELECT DISTINCT ?i ?r ?cls ?text ?page ?pos ?pol WHERE {{
        ?r okg:authority <{auth}> ; a okg:Report .
        ?i okg:raisedIn ?r ; okg:text ?text ; a ?cls .
        FILTER(?cls IN (okg:Recommendation, okg:AreaForImprovement, okg:AreaOfConcern,
                        okg:AreaForPriorityAction, okg:Finding))
        OPTIONAL {{ ?i okg:page ?page }} OPTIONAL {{ ?i okg:position ?pos }}
        OPTIONAL {{ ?i okg:polarity ?pol }} }}""")
    items: dict[str, _Item] = {}
    for r in rows:
        iri = str(r["i"])
        if iri in items:
            continue
        items[iri] = _Item(iri, str(r["r"]), str(r["cls"]).rsplit("#", 1)[-1], str(r["text"]),
                           int(r.get("page") or 0), int(r.get("pos") or 0),
                           str(r.get("pol") or "").rsplit("#", 1)[-1])
    themes: dict[str, set[str]] = defaultdict(set)
    for r in store.select(f"""SELECT DISTINCT ?i ?t WHERE {{
            ?r okg:authority <{auth}> ; a okg:Report . ?i okg:raisedIn ?r ; okg:theme ?t }}"""):
        themes[str(r["i"])].add(str(r["t"]))
    for iri, it in items.items():
        it.themes = frozenset(themes.get(iri, ()))
    return sorted(items.values(), key=lambda i: (i.report, i.is_finding, i.position, i.iri))


# -- text similarity ------------------------------------------------------------------
_STOP = frozenset("""a about above after again against all also an and any are as at be
because been before being below between both but by can could did do does doing down
during each few for from further had has have having he her here hers him his how i if in
into is it its itself just least less more most much must my no nor not now of off on once
only or other our out over own per same she should so some such than that the their them
then there these they this those through to too under until up upon very was we were what
when where which while who whom why will with would you your ensure ensuring improve
improving improved improvement improvements including include includes within across well
make made so-that whether local authority authorities council children child young people
person social work workers worker practice service services there's use used using
""".split())
_WORD = re.compile(r"[a-z][a-z'\-]+")


@lru_cache(maxsize=65536)  # pure; the same words recur in every item (H9: relink ~2x faster)
def _stem(w: str) -> str:
    w = w.strip("'-").replace("'s", "")
    for suf in ("nesses", "ness", "ments", "ment", "ings", "ing", "ities", "ity", "ations",
                "ation", "edly", "ied", "ies", "ed", "es", "s", "ly", "y", "e"):
        if suf == "y" and w[-2:-1] in ("a", "e", "o", "u"):
            continue
        if w.endswith(suf) and len(w) - len(suf) >= 4:
            w = w[: -len(suf)]
            break
    if w.endswith("i") and len(w) > 4:
        w = w[:-1]
    return w


def _surface(text: str, stems: list[str]) -> list[str]:
    """The words of ``text`` as written that have the given stems (for evidence)."""
    seen: dict[str, str] = {}
    for w in _WORD.findall(text.lower().replace("\u2019", "'")):
        for part in w.split("-"):
            if len(part) >= 3 and part not in _STOP:
                seen.setdefault(_stem(part), part)
    return [seen.get(s, s) for s in stems]


def _tokens(text: str) -> list[str]:
    out = []
    for w in _WORD.findall(text.lower().replace("\u2019", "'")):
        for part in w.split("-"):
            if len(part) >= 3 and part not in _STOP:
                s = _stem(part)
                if s not in _STOP:
                    out.append(s)
    return out


_HEAD_END = re.compile(r"(?:,|;|:|\.\s|\bso that\b|\bto ensure\b|\bin order\b|\bwhich\b|"
                       r"\bincluding\b|\band ensure\b|\bbecause\b|\bas a result\b)", re.I)


def head_clause(text: str) -> str:
    """The item's first clause: what a recommendation or finding is about.

    "Improve the quality of pathway plans so that they ..." -> "Improve the quality of
    pathway plans"; words there count double in the text similarity.
    """
    m = _HEAD_END.search(text, 12)
    return text[: m.start()] if m else text


def _vectorise(items: list[_Item]) -> None:
    """TF-IDF (sublinear tf, smoothed idf, head-clause words doubled), L2-normalised."""
    toks = [_tokens(i.text) for i in items]
    heads = [set(_tokens(head_clause(i.text))) for i in items]
    df: dict[str, int] = defaultdict(int)
    for ts in toks:
        for t in set(ts):
            df[t] += 1
    n = len(items)
    for it, ts, hd in zip(items, toks, heads):
        tf: dict[str, int] = defaultdict(int)
        for t in ts:
            tf[t] += 1
        vec = {t: (1 + math.log(c)) * (math.log((1 + n) / (1 + df[t])) + 1) * (2.0 if t in hd else 1.0)
               for t, c in tf.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        it.vec = {t: v / norm for t, v in vec.items()}


def text_similarity(a: dict[str, float], b: dict[str, float]) -> float:
    """Cosine similarity of two normalised sparse vectors."""
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


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


# -- statuses from words ---------------------------------------------------------------
_NEG_IMPROVE = re.compile(
    r"\b(?:(?:has|have|had) not (?:yet )?(?:been )?(?:sufficiently |fully |significantly )?"
    r"(?:improved|addressed|progressed|changed|resolved)|(?:little|no|limited|insufficient|"
    r"slow) (?:evidence of )?(?:improvement|progress)|not (?:yet )?(?:sufficiently |fully )?"
    r"(?:improved|addressed|embedded)|(?:hinder|limit|slow|delay|undermin|imped)\w* (?:the )?"
    r"(?:pace of )?(?:progress|improvement))\w*", re.I)
_PERSIST = re.compile(
    r"\b(?:still(?: \w+)?|remains?(?: \w+)?|remained(?: \w+)?|continues? to \w+|"
    r"too (?:slow|long|late|many|few|variable|often|high|low|much|little)\w*|"
    r"not (?:yet )?(?:consistently|always|sufficiently|routinely|regularly|robust|effective|"
    r"timely|clear|specific|good enough|strong enough|up to date|in place|undertaken|"
    r"completed|reviewed|updated|recorded)\w*|inconsistent\w*|variab\w+|"
    r"lack(?:s|ed|ing)?(?: of)?(?: \w+)?|delay\w*|drift\w*|poor\w*|weak\w*|insufficient\w*|"
    r"inadequate\w*|limited(?: \w+)?|gaps?(?: in)?(?: \w+)?|absence of(?: \w+)?|"
    r"(?:do|does|did|have|has|had|are|is|were|was) not \w+|out of date|infrequent\w*|"
    r"significant(?:ly)? (?:gaps|delays|shortfalls|weaknesses)|shortfall\w*)", re.I)
_IMPROVE = re.compile(
    r"\b(?:(?:has|have|had) (?:now |recently |significantly |considerably )?(?:improved|"
    r"strengthened|increased|progressed)|improv(?:ed|ing|ement|ements)(?: in \w+)?|"
    r"progress(?:ed)?(?: \w+)?|better|strengthen(?:ed|ing)|increasingly \w+|"
    r"more (?:timely|consistent|effective|robust|regular|frequent|focused)|"
    r"(?:beginning|starting|begun) to \w+|recently (?:introduced|implemented|developed|"
    r"established|improved)|developing|not yet (?:embedded|fully embedded|consistently good))",
    re.I)
_RESOLVE = re.compile(
    r"\b(?:now (?:timely|effective|good|regular|consistent|robust|in place|well|routinely|"
    r"consistently)\w*|(?:is|are|was|were) (?:highly |very )?(?:effective|good|strong|"
    r"timely|robust|thorough|comprehensive|clear|regular|appropriate)|consistently (?:good|"
    r"strong|effective|timely|well)|effective\w*|timely|well[- ]\w+|high[- ]quality|"
    r"good quality|strong\w*|robust\w*|thorough\w*|routinely \w+|regular\w*|well\b)", re.I)


def status_of(text: str, polarity: str = "", following: str = "") -> tuple[str, str]:
    """(status, cue) that a finding's words give an earlier concern.

    ``persisting`` for "still", "remains", "too slow", "not consistently", "delays" ...;
    ``improving`` for "has improved", "progress", "increasingly" ... (a negated improvement,
    "has not improved", "hindered the pace of progress", is persisting); ``resolved`` for
    "now timely", "is effective", "good" ... with nothing negative.  ``following`` is the
    next sentence when it continues this one ("However, ..."): a positive sentence qualified
    by a negative one is improving.  Without any cue the finding's polarity decides
    (weakness: persisting, strength: resolved, mixed: improving).  The cue is the words
    that decided, as written.
    """
    m = _NEG_IMPROVE.search(text)
    if m:
        return "persisting", m.group(0)
    imp = _IMPROVE.search(text)
    per = _PERSIST.search(text)
    if imp and per:
        first, second = sorted((imp, per), key=lambda x: x.start())
        return "improving", f"{first.group(0)} … {second.group(0)}"
    if per:
        return "persisting", per.group(0)
    if imp:
        return "improving", imp.group(0)
    res = _RESOLVE.search(text)
    pol = polarity.lower()
    if following and (res or pol == "strength"):
        fper = _PERSIST.search(following) or _NEG_IMPROVE.search(following)
        if fper:
            return "improving", f"{res.group(0) if res else 'strength'} … {fper.group(0)}"
    if res and pol != "weakness":
        return "resolved", res.group(0)
    if pol == "weakness":
        return "persisting", "reported as a weakness"
    if pol == "strength":
        return "resolved", res.group(0) if res else "reported as a strength"
    if res:
        return "resolved", res.group(0)
    return "improving", "reported as mixed"


_CONTINUES = re.compile(r"^\s*(?:However|But|Although|Though|Nevertheless|Despite this|That said)\b")


_CARRY_OVER = re.compile(
    r"(?:(?:identified|raised|highlighted|found|made|seen|noted|set out|reported)\s+(?:then|at|"
    r"in|during|by)\s+(?:the\s+|its\s+)?(?:last|previous|most recent|earlier|\d{4})\s+"
    r"(?:full\s+|single\s+|standard\s+|ILACS\s+)?(?:inspection|visit)|since the (?:last|"
    r"previous) inspection|(?:recommendations?|areas? (?:for|of) (?:improvement|"
    r"priority action)|weaknesses|shortfalls) (?:from|of|at) the (?:last|previous) "
    r"inspection|at the (?:last|previous) inspection)", re.I)
_CARRY_NEG = re.compile(
    r"(?:not (?:been )?(?:sufficiently|fully|yet|adequately)?\s*(?:addressed|improved|"
    r"resolved|progressed|tackled)|remain|persist|continue|still|slow|limited progress|"
    r"little progress|insufficient progress)", re.I)


def _carry_over(items: list[_Item]) -> str:
    """A report's own words that earlier shortfalls were not addressed, if any."""
    for it in items:
        if _CARRY_OVER.search(it.text) and _CARRY_NEG.search(it.text):
            return it.text if len(it.text) <= 400 else it.text[:397] + "…"
    return ""


# -- visit links ------------------------------------------------------------------------
_MONTH_YEAR = re.compile(r"\b(January|February|March|April|May|June|July|August|September|"
                         r"October|November|December)\s+(\d{4})\b", re.I)
_YEAR = re.compile(r"\b(19|20)(\d{2})\b")


def _evidence_month(text: str) -> tuple[int, int] | None:
    m = _MONTH_YEAR.search(text)
    if m:
        return int(m.group(2)), _MONTHS[m.group(1).lower()]
    y = _YEAR.search(text)
    if y:
        return int(y.group(1) + y.group(2)), 0
    return None


def _months(iso: str) -> int | None:
    if len(iso) >= 7 and iso[:4].isdigit() and iso[5:7].isdigit():
        return int(iso[:4]) * 12 + int(iso[5:7])
    return None


def _follows_up(doc: _Doc, fulls: list[_Doc], dates: dict[str, list[str]]
                ) -> tuple[_Doc | None, tuple[int, int] | None, str]:
    """The full inspection a visit follows up, the referenced month if none, how decided."""
    before = [f for f in fulls if f.visit != doc.visit and f.date and doc.date
              and f.date < doc.date]
    ref = _evidence_month(doc.evidence) if doc.evidence else None
    if ref is not None:
        y, mo = ref
        best, best_gap = None, 10**6
        for f in before:
            for d in dates.get(f.visit, [f.date]):
                ms = _months(d)
                if ms is None:
                    continue
                gap = abs(ms - (y * 12 + mo)) if mo else (0 if int(d[:4]) == y else 12)
                if gap < best_gap:
                    best, best_gap = f, gap
        if best is not None and best_gap <= 4:
            return best, None, doc.evidence
        if ref is not None and (mo or best is None):
            return None, ref, doc.evidence
    if before:
        last = before[-1]
        return last, None, f"(inferred) the latest full inspection before this visit, {last.date}"
    return None, None, ""


# -- the computation --------------------------------------------------------------------
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


def _pair_score(a: _Item, b: _Item, vocab: _Vocab) -> tuple[float, float, float, list[str]]:
    """(strength, theme score, text score, shared specific themes) of two items.

    Half themes, half words; without some words in common (cosine below
    ``MIN_TEXT``) there is no link however many themes are shared.
    """
    ts, shared = _theme_sim(a.themes, b.themes, vocab)
    xs = text_similarity(a.vec, b.vec)
    if xs < MIN_TEXT:
        return 0.0, ts, xs, shared
    if a.themes and b.themes:
        strength = 0.5 * ts + 0.5 * min(1.0, xs * 1.8)
    else:  # untagged items: words alone
        strength = min(1.0, xs * 1.5)
    return strength, ts, xs, shared


def _shared_words(a: _Item, b: _Item, n: int = 5) -> list[str]:
    common = sorted(set(a.vec) & set(b.vec), key=lambda t: (-(a.vec[t] * b.vec[t]), t))
    return _surface(a.text, common[:n])


def compute(docs: list[_Doc], items: list[_Item], vocab: _Vocab, *, key: str, auth: str,
            graph: str) -> list[ox.Triple]:
    """Every triple of one authority's links graph (pure: no store access)."""
    out: list[ox.Triple] = []
    g = _N(graph)
    out.append(_T(g, _N(str(OKG.sha256)), _lit(fingerprint((d.sha for d in docs), vocab.digest))))
    out.append(_T(g, _N(str(OKG.authority)), _N(auth)))
    for d in docs:
        out.append(_T(g, _N(str(PROV.wasDerivedFrom)), _N(d.report)))
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
                out.append(_T(_N(d.report), _N(str(PROV.alternateOf)), _N(best.report)))
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
            out.append(_T(v, _N(str(OKG.followsUp)), _N(target.visit)))
            follows[d.visit] = target.visit
            if how and how != d.evidence:
                out.append(_T(v, _N(str(OKG.followUpEvidence)), _lit(how)))
        elif ref is not None:
            y, mo = ref
            stamp = f"{y:04d}-{mo:02d}" if mo else f"{y:04d}"
            ph = _N(str(ID[f"visit/{key}/full_inspection/referenced/{stamp}"]))
            out += [
                _T(ph, _TYPE, _N(str(OKG.FullInspection))),
                _T(ph, _TYPE, _N(str(OKG.Visit))),
                _T(ph, _TYPE, _N(str(PROV.Activity))),
                _T(ph, _N(str(OKG.authority)), _N(auth)),
                _T(ph, _N(str(RDFS.label)), _lit(
                    f"Full inspection of {stamp} named by a later letter (report not in the store)")),
                _T(v, _N(str(OKG.followsUp)), ph),
            ]
            follows[d.visit] = ph.value

    # items of canonical reports only, vectorised together
    canon_reports = {d.report: d for d in cdocs}
    live = [i for i in items if i.report in canon_reports]
    _vectorise(live)
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
    carry = {d.report: _carry_over(by_report.get(d.report, [])) for d in cdocs}

    # token -> findings inverted index per report, for candidate generation
    def candidates(e: _Item, pool: list[_Item], index: dict[str, list[int]],
                   tindex: dict[str, list[int]]) -> set[int]:
        c: set[int] = set()
        for t in e.vec:
            c.update(index.get(t, ()))
        for th in e.themes:
            if vocab.w(th) >= 0.5:
                c.update(tindex.get(th, ()))
        return c

    def build_index(pool: list[_Item]) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
        idx: dict[str, list[int]] = defaultdict(list)
        tidx: dict[str, list[int]] = defaultdict(list)
        for n, it in enumerate(pool):
            for t in it.vec:
                idx[t].append(n)
            for th in it.themes:
                tidx[th].append(n)
        return idx, tidx

    # (b) concern links: later concern -> earlier concerns it repeats
    repeat_of: dict[tuple[str, str], tuple[float, _Item]] = {}  # (earlier, later report)
    repeat_edges: list[tuple[_Item, _Item]] = []  # (later concern, earlier concern)
    for d_i, d in enumerate(cdocs):
        earlier_docs = [x for x in cdocs[:d_i] if x.date and d.date and x.date < d.date]
        if not earlier_docs:
            continue
        cover = carry.get(d.report, "")
        followed = follows.get(d.visit)
        for c in concerns_by_report.get(d.report, []):
            for ed in earlier_docs:
                pool = concerns_by_report.get(ed.report, [])
                scored = []
                for e in pool:
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
                        _T(_N(c.iri), _N(str(OKG.repeats)), _N(e.iri)),
                        _T(link, _TYPE, _N(str(OKG.ConcernLink))),
                        _T(link, _N(str(OKG.fromConcern)), _N(c.iri)),
                        _T(link, _N(str(OKG.toConcern)), _N(e.iri)),
                        _T(link, _N(str(OKG.linkStrength)), _dec(s)),
                        _T(link, _N(str(OKG.linkEvidence)), _lit("; ".join(ev))),
                    ]
                    out += [_T(link, _N(str(OKG.sharedTheme)), _N(t)) for t in shared]
                    k = (e.iri, d.report)
                    if k not in repeat_of or repeat_of[k][0] < s:
                        repeat_of[k] = (s, c)

    # (c) findings speaking to earlier concerns, and statuses
    indexes = {r: build_index(f) for r, f in findings_by_report.items()}
    next_of: dict[str, _Item] = {}
    for fs in findings_by_report.values():
        ordered = sorted(fs, key=lambda i: i.position)
        for a, b in zip(ordered, ordered[1:]):
            if b.position == a.position + 1:
                next_of[a.iri] = b
    first_full_after: dict[str, str] = {}
    for d_i, d in enumerate(cdocs):
        for x in cdocs[d_i + 1:]:
            if x.type == "full_inspection" and x.date and d.date and x.date > d.date:
                first_full_after[d.visit] = x.report
                break
    sa_status: dict[tuple[str, str], str] = {}  # (concern, report) -> status chosen there
    speaks_pairs: list[tuple[_Item, _Item]] = []  # (later finding, earlier concern)
    for e in concerns:
        ed = doc_of[e.iri]
        for d in cdocs:
            if not (d.date and ed.date and d.date > ed.date):
                continue
            pool = findings_by_report.get(d.report, [])
            idx, tidx = indexes.get(d.report, ({}, {}))
            speaking = []
            for n in candidates(e, pool, idx, tidx):
                f = pool[n]
                s, ts, xs, shared = _pair_score(f, e, vocab)
                if s >= SPEAKS_THRESHOLD:
                    speaking.append((s, f))
            speaking.sort(key=lambda x: (-x[0], x[1].position, x[1].iri))
            speaking = speaking[:MAX_SPEAKING]
            rep = repeat_of.get((e.iri, d.report))
            reviews = follows.get(d.visit) == ed.visit or first_full_after.get(ed.visit) == d.report
            if not speaking and rep is None and not reviews:
                continue
            sa = _N(f"{e.iri}/status/{d.sha}")
            out += [
                _T(sa, _TYPE, _N(str(OKG.StatusAssessment))),
                _T(sa, _N(str(OKG.ofConcern)), _N(e.iri)),
                _T(sa, _N(str(OKG.assessedIn)), _N(d.report)),
            ]
            if not speaking and rep is None:
                sa_status[(e.iri, d.report)] = "not_reviewed"
                out.append(_T(sa, _N(str(OKG.status)), _N(str(STATUS.not_reviewed))))
                out.append(_T(sa, _N(str(OKG.cue)), _lit(
                    "nothing in this report speaks to the concern")))
                continue
            votes: dict[str, tuple[float, _Item, str]] = {}
            for s, f in speaking:
                out.append(_T(_N(f.iri), _N(str(OKG.speaksTo)), _N(e.iri)))
                speaks_pairs.append((f, e))
                nxt = next_of.get(f.iri)
                st, cue = status_of(f.text, f.polarity,
                                    nxt.text if nxt is not None and _CONTINUES.match(nxt.text) else "")
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
                _T(sa, _N(str(OKG.status)), _N(str(STATUS[chosen]))),
                _T(sa, _N(str(OKG.basedOn)), _N(basis.iri)),
                _T(sa, _N(str(OKG.cue)), _lit(cue)),
                _T(sa, _N(str(OKG.linkStrength)), _dec(s)),
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
        out.append(_T(_N(iri), _N(str(OKG.showsStatus)), _N(str(STATUS[st]))))

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
            _T(_N(iri), _N(str(OKG.recurrenceCount)), _int(len(dated))),
            _T(_N(iri), _N(str(OKG.firstRaised)), _date(min(dated.values()))),
            _T(_N(iri), _N(str(OKG.lastRaised)), _date(max(dated.values()))),
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
            _T(node, _TYPE, _N(str(OKG.ThemeTally))),
            _T(node, _N(str(OKG.authority)), _N(auth)),
            _T(node, _N(str(OKG.theme)), _N(t)),
            _T(node, _N(str(OKG.documentCount)), _int(len(visits))),
        ]
    return out


def _kind_words(kind: str) -> str:
    return {"Recommendation": "a recommendation", "AreaForImprovement": "an area for improvement",
            "AreaOfConcern": "an area of concern",
            "AreaForPriorityAction": "an area for priority action"}.get(kind, "a concern")


# -- public API -----------------------------------------------------------------------------
def relink(store: Store, authorities: Iterable[str], *, jobs: int = 1) -> None:
    """Recompute the links graph of each authority given (GSS code, name or IRI).

    Each authority's graph ``graph/links/<key>`` is replaced in one atomic write; an
    authority with no report left in the store has its links graph dropped.  With
    ``jobs`` > 1 and several authorities, the (pure) computation runs in that many worker
    processes while this process reads the next authorities and writes the results.

    Raises:
        StoreError: the store cannot be read or written.
    """
    keys = sorted({k for k in authorities if k and str(k).strip()})
    if not keys:
        return
    vocab = _read_vocab(store)

    def inputs() -> Iterator[tuple[str, str, str, list[_Doc], list[_Item]]]:
        for k in keys:
            auth, key = _resolve(store, str(k))
            graph = links_graph(key)
            docs = _read_docs(store, auth) if auth is not None else []
            if auth is None or not docs:
                store.drop_graphs([graph])
                continue
            yield key, auth, graph, docs, _read_items(store, auth, vocab)

    if jobs <= 1 or len(keys) < _PARALLEL_MIN:
        for key, auth, graph, docs, items in inputs():
            store.replace_graphs(graph, _compute_nt(docs, items, vocab, key, auth, graph))
        return
    import multiprocessing as mp
    from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait

    with ProcessPoolExecutor(max_workers=jobs, mp_context=mp.get_context("spawn")) as pool:
        pending: dict[Future[str], str] = {}

        def drain(until: int) -> None:
            while len(pending) > until:
                done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
                for fut in sorted(done, key=lambda f: pending[f]):
                    store.replace_graphs(pending.pop(fut), fut.result())

        for key, auth, graph, docs, items in inputs():
            pending[pool.submit(_compute_nt, docs, items, vocab, key, auth, graph)] = graph
            drain(2 * jobs)  # bounded: memory stays flat on a national store
        drain(0)


_PARALLEL_MIN = 4  # fewer authorities than this: worker start-up would cost more


def _compute_nt(docs: list[_Doc], items: list[_Item], vocab: _Vocab, key: str, auth: str,
                graph: str) -> str:
    """:func:`compute` as N-Triples text (module-level: it runs in worker processes)."""
    nt = ox.serialize(compute(docs, items, vocab, key=key, auth=auth, graph=graph),
                      format=ox.RdfFormat.N_TRIPLES)
    return nt.decode() if isinstance(nt, bytes) else str(nt)


def _current(store: Store) -> dict[str, set[str]]:
    cur: dict[str, set[str]] = defaultdict(set)
    for r in _authority_rows(store):
        cur[authority_key(r.get("gss"), r.get("name"))].add(str(r["sha"]))  # type: ignore[arg-type]
    return cur


def stale_authorities(store: Store) -> set[str]:
    """Keys of the authorities whose links graph is missing or out of date.

    Out of date: computed from another set of reports (or by another algorithm version)
    than the store now holds; a links graph whose authority has no report left is stale
    too (relinking drops it).

    Raises:
        StoreError: the store cannot be read.
    """
    recorded = {str(r["g"])[len(_LINKS_PREFIX):]: str(r["d"]) for r in store.select(
        f"""SELECT ?g ?d WHERE {{ GRAPH ?g {{ ?g okg:sha256 ?d }}
            FILTER(STRSTARTS(STR(?g), "{_LINKS_PREFIX}")) }}""", union=False)}
    cur = _current(store)
    digest = _vocabulary_digest(store)
    stale = {k for k, shas in cur.items() if recorded.get(k) != fingerprint(shas, digest)}
    stale |= {k for k in recorded if k not in cur}
    return stale


def relink_all(store: Store, *, only_stale: bool = True, jobs: int = 1) -> set[str]:
    """Relink every stale authority (or every authority); returns the keys relinked.

    Raises:
        StoreError: the store cannot be read or written.
    """
    keys = stale_authorities(store) if only_stale else set(_current(store))
    relink(store, keys, jobs=jobs)
    return keys
