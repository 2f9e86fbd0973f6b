"""A researcher's phrase: the words to rank by, the quoted words to match, the themes named.

``Quality of supervision and management oversight (critical challenge and case direction)``
-> words ``qualit supervision manag oversight critical challeng case direction`` (the
bracketed words weigh less: they detail, the head names), themes ``supervision`` and
``management-oversight`` (by the vocabulary's preferred, alternative and hidden labels).
``"return home interview"`` in double quotes must occur literally in an item's text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..ontology import theme_collection, theme_index
from .words import tokens

__all__ = ["Phrase", "area_themes", "legal_statuses", "narrower_themes", "parse_phrase", "phrase_themes", "theme_facet",
           "topic_themes"]

_QUOTED = re.compile(r"[\"\u201c\u201d]([^\"\u201c\u201d]+)[\"\u201c\u201d]")
_BRACKETED = re.compile(r"\(([^()]*)\)")
#: where a phrase's head ends and its details begin, as researchers (and reports' headings)
#: write them: "Strategy meetings: attendance of partner agencies", "Strategy discussions
#: including all relevant agencies"
_DETAIL_START = re.compile(r":\s|,?\s+\bincluding\b\s", re.IGNORECASE)
#: weight of the words in brackets (they detail what the head names)
DETAIL_WEIGHT = 0.6
#: weight of the words of the labels of a practice area the phrase names
EXPANSION_WEIGHT = 0.1


@dataclass(slots=True)
class Phrase:
    text: str
    stems: list[str] = field(default_factory=list)
    weights: dict[str, float] = field(default_factory=dict)
    expansion: dict[str, float] = field(default_factory=dict)  # from the themes' labels
    literal: list[str] = field(default_factory=list)  # quoted, lower-case
    themes: dict[str, float] = field(default_factory=dict)  # theme id -> weight
    #: the stems of the practice the head names, its scope left out ("assessments" of
    #: "Quality of assessments of children in need"); empty when that is the whole head
    core: list[str] = field(default_factory=list)
    core_themes: dict[str, float] = field(default_factory=dict)
    #: an acronym of the vocabulary the phrase writes out -> the stems it stands for
    #: ("Independent reviewing officers" -> "iro": independent, review, officer)
    acronyms: dict[str, list[str]] = field(default_factory=dict)
    #: a head word -> the themes it names by itself ("disabled" -> disabled children): an
    #: item carrying one holds the word in another form ("children with disabilities")
    word_themes: dict[str, frozenset[str]] = field(default_factory=dict)


def _fold(s: str) -> str:
    # (runs of white space split and joined: str.isspace reads the same characters as a
    # pattern's \s, checked over every code point)
    return " ".join(s.replace("\u2019", "'").lower().split())


def parse_phrase(text: str) -> Phrase:
    """The words, quoted words and themes of ``text``."""
    p = Phrase(text=text)
    p.literal = [_fold(m) for m in _QUOTED.findall(text) if m.strip()]
    plain = _QUOTED.sub(lambda m: " " + m.group(1) + " ", text)
    detail = " ".join(_BRACKETED.findall(plain))
    head = _BRACKETED.sub(" ", plain)
    m = _DETAIL_START.search(head)
    if m and tokens(head[:m.start()]):
        head, detail = head[:m.start()], head[m.end():] + " " + detail
    for t in tokens(head):
        p.weights[t] = 1.0
    for w in re.findall(r"[\w'\u2019-]+", head):
        named = named_themes(w)
        for t in tokens(w) if named else ():
            p.word_themes[t] = p.word_themes.get(t, frozenset()) | named
    for t in tokens(detail):
        p.weights.setdefault(t, DETAIL_WEIGHT)
    p.themes = phrase_themes(head)
    # a practice area only the opening formula names ("Stability of" -> permanence,
    # "Pace of" -> leadership) is not the practice: the formula names the quality asked
    # of it (an issue, such as "Timeliness of", is kept)
    opening = _opening(head)
    if opening:
        rest = phrase_themes(head[len(opening):])
        for t in phrase_themes(opening):
            if t not in rest and theme_facet().get(t) != "issue":
                p.themes.pop(t, None)  # (a longer match of the head may hold it)
    # the practice the head names, when it is narrower than the head and names a
    # practice area (not only which children: "Support for care leavers who ...")
    core = core_words(head)
    core_themes = phrase_themes(core) if core else {}
    if set(tokens(core)) < set(p.weights) and any(
            theme_facet().get(t) == "practice-area" for t in core_themes):
        p.core = list(dict.fromkeys(tokens(core)))
        p.core_themes = core_themes
    for t, w in phrase_themes(detail).items():
        p.themes.setdefault(t, w * DETAIL_WEIGHT)
    # the vocabulary's other names for the practice areas the phrase names ("independent
    # reviewing officer" -> "IRO") join the words, weakly
    for t, w in p.themes.items():
        if theme_facet().get(t) == "practice-area":
            for st in _label_tokens(t):
                if st not in p.weights:
                    p.expansion[st] = max(p.expansion.get(st, 0.0), EXPANSION_WEIGHT * w)
    p.stems = list(p.weights)
    p.acronyms = written_out(plain, set(p.themes))
    return p


_MINOR = frozenset(["of", "in", "and", "or", "the", "for", "to", "a", "an", "with", "on"])


def written_out(text: str, themes: set[str] | None = None) -> dict[str, list[str]]:
    """The vocabulary's acronyms whose letters are the initials of consecutive words of
    ``text`` (small words skipped or not) -> the stems of those words: "independent
    reviewing officers" -> IRO, "personal advisers" -> PA, "child and adolescent mental
    health services" -> CAMHS.  Reports write the acronym once the words are introduced.
    With ``themes``, only the acronyms of those themes (the ones the phrase names)."""
    asked = [label for label, tid, _ in _acronyms() if themes is None or tid in themes]
    if not asked:  # (most phrases: none of their themes has an acronym)
        return {}
    words = re.findall(r"[a-z]+", _fold(text).replace("'", ""))
    out: dict[str, list[str]] = {}
    seqs: list[tuple[list[str], str]] = []  # (the words, small ones skipped or not; initials)
    for skip in (True, False):
        seq = [w for w in words if not (skip and w in _MINOR)]
        seqs.append((seq, "".join(w[0] for w in seq)))
    for label in asked:
        letters = label.lower().rstrip("s") if len(label) > 2 else label.lower()
        n = len(letters)
        for seq, initials in seqs:
            i = initials.find(letters)  # each word at which the initials spell the letters
            while i >= 0:
                stems = tokens(" ".join(seq[i:i + n]))
                key = tokens(label)
                if stems and key and len(stems) > 1:
                    out.setdefault(key[0], stems)
                i = initials.find(letters, i + 1)
    return out


#: the abstract nouns a concern opens with before naming the practice ("the quality of",
#: "the response to", "support for") -- Ofsted's own formulas for recommendations
_LEAD_NOUNS = frozenset(["quality", "clarity", "consistency", "effectiveness", "timeliness",
                         "impact", "robustness", "rigour", "coordination", "response",
                         "support", "use", "range", "availability", "access", "provision",
                         "take", "up", "uptake", "extent", "level", "standard", "pace",
                         "stability", "sustainability"])
#: the qualities a concern asks of the practice it names ("Timely and effective permanence
#: planning"): not the practice itself
_LEAD_ADJECTIVES = frozenset(["timely", "effective", "consistent", "robust", "clear", "good",
                              "appropriate", "regular", "sufficient", "thorough", "purposeful",
                              "meaningful", "rigorous", "prompt", "proportionate", "better",
                              "stronger"])
#: taking part in a practice ("Attendance of partner agencies at strategy meetings"):
#: the practice is named after the agents
_TAKING_PART = frozenset(["involvement", "attendance", "participation", "engagement",
                          "contribution"])
#: the words that end the practice named and begin its scope (which children, where)
_SCOPE_START = frozenset(["of", "for", "at", "in", "on", "to", "with", "who", "which", "that",
                          "when", "where", "by", "from", "so", "across", "within", "through"])


def _opening(head: str) -> str:
    """The opening formula of ``head`` as written, up to and with its "of", "to" or "for"
    ("Stability of the ", "Quality and frequency of "); empty when there is none."""
    m = re.match(r"\s*(?:[\w'\u2019-]+\s+)+?(?:of|to|for)\s+(?:the\s+)?", head, re.IGNORECASE)
    if not m:
        return ""
    words = set(_label_stems(m.group(0))) - {"of", "to", "for", "the", "and"}
    return m.group(0) if words and words <= _LEAD_NOUNS | _LEAD_ADJECTIVES else ""


def core_words(head: str) -> str:
    """The practice a phrase's head names, its opening formula and its scope left out:
    "Quality of assessments of children in need of help and protection" -> "assessment";
    "Management oversight and quality of screening decisions at the front door" ->
    "management oversight and screening decision"; "Clarity of written child in need and
    child protection plans" -> "written child in need and child protection plan" (a
    preposition inside a vocabulary label such as "child in need" does not end it).  Words
    as :func:`_label_stems` gives them."""
    parts = re.split(r"[,;]\s*", head)
    k = 0
    while k < len(parts) - 1 and set(_label_stems(parts[k])) <= _LEAD_NOUNS | {"the", "and"}:
        k += 1
    words = _label_stems(" ".join(parts[:k + 1]))
    inside: set[int] = set()
    by_first = _labels_by_first()
    for n, w in enumerate(words):
        for st, _, _ in by_first.get(w, ()):
            if tuple(words[n:n + len(st)]) == st:
                inside.update(range(n + 1, n + len(st)))
    if len(words) > 3 and words[0] in _TAKING_PART and words[1] == "of":
        # "Involvement of all relevant partner agencies in child protection strategy
        # discussions": who takes part is the scope, the practice follows "in" / "at"
        for k in range(3, len(words) - 1):
            if words[k] in ("in", "at") and k not in inside:
                return core_words(" ".join(words[k + 1:]))
    out: list[str] = []
    i = 0
    while i < len(words) - 1 and (words[i] in _LEAD_ADJECTIVES or (i and words[i] == "and")):
        i += 1
    while i < len(words):
        j = i + (words[i] == "the")
        m = j
        while m < len(words) and (words[m] in _LEAD_NOUNS or (m > j and words[m] == "and")):
            m += 1
        if m > j and m < len(words) and words[m] in ("of", "to", "for") and words[m - 1] != "and":
            i = m + 1 + (words[m + 1:m + 2] == ["the"])  # an opening formula: skip it
            continue
        w = words[i]
        if w in _SCOPE_START and i not in inside and out:
            break
        out.append(w)
        i += 1
        if w == "and" and i < len(words):
            continue  # "... and quality of Y": the next conjunct may open with a formula
    return " ".join(out)


@lru_cache(maxsize=1)
def _labels() -> tuple[tuple[tuple[str, ...], str, str], ...]:
    """(label stems, theme id, facet) for every label of every theme."""
    out = []
    for e in theme_index():
        if not e.facet or e.facet == "national-framework":
            continue
        for label in (e.pref_label, *e.alt_labels, *e.hidden_labels):
            if label.isupper():  # acronyms ("PA", "IRO") match only as written
                continue
            st = tuple(_label_stems(label))
            if st:
                out.append((st, e.id, e.facet))
    return tuple(out)


_IRREGULAR = {"children": "child", "people": "person", "advisers": "advisor",
              "adviser": "advisor", "analyses": "analysis"}


@lru_cache(maxsize=1)
def _labels_by_first() -> dict[str, list[tuple[tuple[str, ...], str, str]]]:
    out: dict[str, list[tuple[tuple[str, ...], str, str]]] = {}
    for lab in _labels():
        out.setdefault(lab[0][0], []).append(lab)
    return out


@lru_cache(maxsize=16384)
def _plural(w: str) -> str:
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def _label_stems(text: str) -> list[str]:
    """Lower-case words with plural endings off (as the tagger matches labels)."""
    folded = _INNER_HYPHEN.sub(" ", _fold(text).replace("'s", "").replace("'", ""))
    return [_plural(w) for w in _LABEL_WORD.findall(folded)]


_INNER_HYPHEN = re.compile(r"(?<=[a-z])-(?=[a-z])")
_LABEL_WORD = re.compile(r"[a-z0-9+]+")


@lru_cache(maxsize=1)
def _theme_labels() -> dict[str, tuple[str, ...]]:
    return {e.id: (e.pref_label, *e.alt_labels, *e.hidden_labels) for e in theme_index()}


@lru_cache(maxsize=4096)
def _label_tokens(theme_id: str) -> tuple[str, ...]:
    """The :func:`~.words.tokens` of each label of a theme, one label after another, each
    stem once (where first given: its labels share many; cached: the phrases name the
    same few practice areas)."""
    return tuple(dict.fromkeys(
        st for label in _theme_labels().get(theme_id, ()) for st in tokens(label)))


@lru_cache(maxsize=1)
def legal_statuses() -> frozenset[str]:
    """The cohorts that are a child's legal status (the vocabulary's ``theme:legal-status``
    collection: in need or subject to a plan, in care, a care leaver)."""
    return theme_collection("legal-status")


@lru_cache(maxsize=1)
def theme_facet() -> dict[str, str]:
    return {e.id: e.facet for e in theme_index() if e.facet}


_FACET_WEIGHT = {"practice-area": 1.0, "cohort": 0.4, "issue": 0.2}


@lru_cache(maxsize=65536)
def named_themes(text: str) -> frozenset[str]:
    """The themes a word, or an untagged item's text, names by itself (as the tagger
    would; cached: concerns share their words, and the links step asks it of the same
    items for each of the authority's concerns)."""
    return frozenset(phrase_themes(text))


_RAW_LETTERS = re.compile(r"[A-Za-z]+")


def phrase_themes(text: str) -> dict[str, float]:
    """Theme id -> weight (practice areas 1, cohorts 0.4, issues 0.2) of the themes whose
    labels occur in ``text`` as whole words (stems, in order); acronyms match as written."""
    words = _label_stems(text)
    raw = set(_RAW_LETTERS.findall(text))
    found: list[tuple[int, int, str, str]] = []
    by_first = _labels_by_first()
    for i, w in enumerate(words):
        for st, tid, facet in by_first.get(w, ()):
            n = len(st)
            if tuple(words[i:i + n]) == st:
                found.append((i, i + n, tid, facet))
    out: dict[str, float] = {}
    longest = max((e - s for s, e, _, _ in found), default=0)
    for s, e, tid, facet in found:
        # as the tagger: a match strictly inside a longer one of the same facet does not
        # count ("return home" inside "return home interviews"; none is longer than the
        # longest, which most phrases' only match is)
        if e - s < longest and any(f == facet and s2 <= s and e <= e2 and e2 - s2 > e - s
                                   for s2, e2, _, f in found):
            continue
        out[tid] = max(out.get(tid, 0.0), _FACET_WEIGHT.get(facet, 0.3))
    if not raw.isdisjoint(_acronym_labels()):
        for label, tid, facet in _acronyms():
            if label in raw:
                out[tid] = max(out.get(tid, 0.0), _FACET_WEIGHT.get(facet, 0.3))
    return out


@lru_cache(maxsize=1)
def _acronym_labels() -> frozenset[str]:
    return frozenset(label for label, _, _ in _acronyms())


@lru_cache(maxsize=1)
def _acronyms() -> tuple[tuple[str, str, str], ...]:
    """(label, theme id, facet) of the labels that are acronyms ("PA", "IRO")."""
    return tuple((label, e.id, e.facet) for e in theme_index()
                 if e.facet and e.facet != "national-framework"
                 for label in (e.pref_label, *e.alt_labels, *e.hidden_labels) if label.isupper())


def narrower_themes(theme_id: str) -> list[str]:
    """``theme_id`` and every theme under it (skos:broader*), sorted."""
    children: dict[str, set[str]] = {}
    for e in theme_index():
        for b in e.broader:
            children.setdefault(b, set()).add(e.id)
    out, stack = {theme_id}, [theme_id]
    while stack:
        for c in children.get(stack.pop(), ()):
            if c not in out:
                out.add(c)
                stack.append(c)
    return sorted(out)


@lru_cache(maxsize=1)
def topic_themes() -> dict[str, frozenset[str]]:
    """Visit topic (local name, ``care_leavers``) -> the cohorts its name or definition
    names and the practice areas both name, with their narrower themes: what a
    focused visit on that topic is about ("Care planning and permanence", "Planning for
    permanence for children in care" -> permanence, not planning in general)."""
    from rdflib import RDF
    from rdflib.namespace import SKOS

    from ..ontology import ontology_graph
    from ..ontology.namespaces import OKG
    g = ontology_graph()
    out: dict[str, frozenset[str]] = {}
    for t in g.subjects(RDF.type, OKG.VisitTopic):
        named = set().union(*(phrase_themes(str(x)) for x in g.objects(t, SKOS.prefLabel)))
        defined = set().union(*(phrase_themes(str(x)) for x in g.objects(t, SKOS.definition)))
        found: set[str] = set()
        for tid in named | defined:
            facet = theme_facet().get(tid)
            if facet == "cohort" or (facet == "practice-area" and tid in named & defined):
                found.update(narrower_themes(tid))
        out[str(t).rsplit("/", 1)[-1]] = frozenset(found)
    return out


@lru_cache(maxsize=1)
def area_themes() -> frozenset[str]:
    """The themes that name an area of the service a focused visit can look at (the
    visit topics' themes): the front door, care leavers, private fostering ..."""
    return frozenset().union(*topic_themes().values())
