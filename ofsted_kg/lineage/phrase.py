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

from ..ontology import theme_index
from .words import tokens

__all__ = ["Phrase", "narrower_themes", "parse_phrase", "phrase_themes", "theme_facet"]

_QUOTED = re.compile(r"[\"\u201c\u201d]([^\"\u201c\u201d]+)[\"\u201c\u201d]")
_BRACKETED = re.compile(r"\(([^()]*)\)")
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


def _fold(s: str) -> str:
    return re.sub(r"\s+", " ", s.replace("\u2019", "'").lower()).strip()


def parse_phrase(text: str) -> Phrase:
    """The words, quoted words and themes of ``text``."""
    p = Phrase(text=text)
    p.literal = [_fold(m) for m in _QUOTED.findall(text) if m.strip()]
    plain = _QUOTED.sub(lambda m: " " + m.group(1) + " ", text)
    detail = " ".join(_BRACKETED.findall(plain))
    head = _BRACKETED.sub(" ", plain)
    for t in tokens(head):
        p.weights[t] = 1.0
    for t in tokens(detail):
        p.weights.setdefault(t, DETAIL_WEIGHT)
    p.themes = phrase_themes(head)
    for t, w in phrase_themes(detail).items():
        p.themes.setdefault(t, w * DETAIL_WEIGHT)
    # the vocabulary's other names for the practice areas the phrase names ("independent
    # reviewing officer" -> "IRO") join the words, weakly
    for t, w in p.themes.items():
        if theme_facet().get(t) == "practice-area":
            for label in _theme_labels().get(t, ()):
                for st in tokens(label):
                    if st not in p.weights:
                        p.expansion[st] = max(p.expansion.get(st, 0.0), EXPANSION_WEIGHT * w)
    p.stems = list(p.weights)
    return p


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
    folded = re.sub(r"(?<=[a-z])-(?=[a-z])", " ", _fold(text).replace("'s", "").replace("'", ""))
    return [_plural(w) for w in re.findall(r"[a-z0-9+]+", folded)]


@lru_cache(maxsize=1)
def _theme_labels() -> dict[str, tuple[str, ...]]:
    return {e.id: (e.pref_label, *e.alt_labels, *e.hidden_labels) for e in theme_index()}


@lru_cache(maxsize=1)
def theme_facet() -> dict[str, str]:
    return {e.id: e.facet for e in theme_index() if e.facet}


_FACET_WEIGHT = {"practice-area": 1.0, "cohort": 0.4, "issue": 0.2}


def phrase_themes(text: str) -> dict[str, float]:
    """Theme id -> weight (practice areas 1, cohorts 0.4, issues 0.2) of the themes whose
    labels occur in ``text`` as whole words (stems, in order); acronyms match as written."""
    words = _label_stems(text)
    raw = set(re.findall(r"[A-Za-z]+", text))
    found: list[tuple[int, int, str, str]] = []
    by_first = _labels_by_first()
    for i, w in enumerate(words):
        for st, tid, facet in by_first.get(w, ()):
            n = len(st)
            if tuple(words[i:i + n]) == st:
                found.append((i, i + n, tid, facet))
    out: dict[str, float] = {}
    for s, e, tid, facet in found:
        # as the tagger: a match strictly inside a longer one of the same facet does not
        # count ("return home" inside "return home interviews")
        if any(f == facet and s2 <= s and e <= e2 and e2 - s2 > e - s
               for s2, e2, _, f in found):
            continue
        out[tid] = max(out.get(tid, 0.0), _FACET_WEIGHT.get(facet, 0.3))
    for label, tid, facet in _acronyms():
        if label in raw:
            out[tid] = max(out.get(tid, 0.0), _FACET_WEIGHT.get(facet, 0.3))
    return out


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
