"""Theme tagging of concerns and findings with the SKOS theme vocabulary (``themes.ttl``).

Explainable, deterministic, fast:

* every ``skos:prefLabel``, ``skos:altLabel`` and ``skos:hiddenLabel`` of a theme concept is a
  pattern; a text carries the theme when one of its labels occurs in it **as whole words**;
* matching is tolerant of case, plurals (``plan``/``plans``, ``policy``/``policies``,
  ``child``/``children``), possessives (``children's``), hyphens and dashes
  (``well-being`` = ``well being`` = ``wellbeing``), curly quotes and ligatures;
* labels written in capitals (``PA``, ``IRO``, ``CAMHS``) match only in capitals, so the
  word "pa" or "cin" never matches;
* when one match lies strictly inside a longer one of the same facet (``health`` inside
  ``mental health``), only the longer counts; matches of equal extent, or of different
  facets, all count (``pathway plan`` is both *pathway planning* and *care leavers*;
  ``children at risk of exploitation`` is the cohort and ``exploitation`` the practice area);
* a National Framework cross-reference written in brackets -- ``(outcome 3, national
  framework)``, ``(Enabler two)`` -- gives the matching ``nf-*`` concept (rule
  ``national-framework-tag``), as do the record's ``nf_tags``.

Each theme of an item is explained by one :class:`ThemeMatch` (the first, longest label that
gave it, and the rule: ``prefLabel``, ``altLabel``, ``hiddenLabel`` or
``national-framework-tag``).  The facet roots (cohort, practice-area, issue,
national-framework) are never assigned.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress
from operator import itemgetter
from typing import Iterable, NamedTuple

from ..ontology import theme_index
from .records import Concern, DocumentRecord, Finding

__all__ = [
    "ThemeMatch", "tag_text", "tag_record", "tag_item", "theme_facets", "practice_area_themes",
    "parse_nf_tag",
]


class ThemeMatch(NamedTuple):
    """Why a text carries a theme."""

    theme: str  # theme id, e.g. "mental-health"
    label: str  # the vocabulary label that matched (or the National Framework tag)
    rule: str  # prefLabel | altLabel | hiddenLabel | national-framework-tag

    def as_dict(self) -> dict[str, str]:
        return {"theme": self.theme, "label": self.label, "rule": self.rule}


_RULE_ORDER = {"prefLabel": 0, "altLabel": 1, "hiddenLabel": 2}

# --- normalisation ------------------------------------------------------------------

# (chained str.replace of the characters present: faster than str.translate's lookup of
# every character, and the same, as no replacement is itself replaced)
_FOLD = (
    ("\u2018", "'"), ("\u2019", "'"), ("\u201b", "'"), ("\u2032", "'"), ("`", "'"),
    ("\u2010", "-"), ("\u2011", "-"), ("\u2012", "-"), ("\u2013", "-"), ("\u2014", "-"), ("\u2212", "-"),
    ("\ufffe", "-"), ("\x02", "-"), ("\u00ad", ""),
)
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:&[A-Za-z0-9]+)?")
# ("'s" or "'" after a letter: written to begin with its "'", which the engine skips to at C
# speed, where a leading lookbehind made it test every character)
_POSSESSIVE = re.compile(r"'(?<=[A-Za-z]')s?\b")
_IRREGULAR = {"children": "child", "people": "person", "women": "woman", "men": "man",
              "analyses": "analysis", "criteria": "criterion", "adviser": "advisor",
              "advisers": "advisor", "wellbeing": "wellbeing"}


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    """Lower-case light stem: plural endings only (deliberately conservative)."""
    w = word.lower()
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 4 and w.endswith(("sses", "shes", "ches", "xes")):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def _is_acronym(token: str) -> bool:
    core = token[:-1] if len(token) > 2 and token.endswith("s") and token[:-1].isupper() else token
    return len(core) >= 2 and core.isupper() and any(ch.isalpha() for ch in core)


def _acronym_key(token: str) -> str:
    core = token[:-1] if len(token) > 2 and token.endswith("s") and token[:-1].isupper() else token
    return "^" + core


_FOLD_ASCII = tuple((a, b) for a, b in _FOLD if a.isascii())


def _prepare(text: str) -> str:
    if text.isascii():  # (NFKC changes no ASCII text, and most of _FOLD is not ASCII)
        fold = _FOLD_ASCII
    else:
        text = unicodedata.normalize("NFKC", text)
        fold = _FOLD
    for a, b in fold:
        if a in text:
            text = text.replace(a, b)
    return _POSSESSIVE.sub("", text) if "'" in text else text


def _token_keys(tok: str) -> tuple[str, ...]:
    stem = _stem(tok)
    return (stem, _acronym_key(tok)) if _is_acronym(tok) else (stem,)


_Entry = tuple[tuple[str, ...], tuple[dict, ...]]


class _TokenEntries(dict[str, _Entry]):
    """word -> a word's match keys (stem, and acronym key for capitals) and the trie nodes
    of the labels those keys begin (none for most words), looked up once per word.  A
    dict, so that a text's words are looked up by ``map`` at C speed (an ``lru_cache``
    call per word cost a third more); emptied when it holds too many words."""

    _MAX = 65536

    def __missing__(self, tok: str) -> _Entry:
        if len(self) >= self._MAX:
            self.clear()
        keys = _token_keys(tok)
        trie = _index().trie
        entry = self[tok] = (keys, tuple(trie[k] for k in keys if k in trie))
        return entry


_ENTRIES = _TokenEntries()


def _text_entries(text: str) -> list[_Entry]:
    """The :class:`_TokenEntries` entry of every word of ``text``."""
    return list(map(_ENTRIES.__getitem__, _TOKEN.findall(_prepare(text))))


def _label_variants(label: str) -> list[tuple[str, ...]]:
    """Key sequences a label matches: as written, and with its hyphenated words joined."""
    prepared = _prepare(label)
    toks = _TOKEN.findall(prepared)
    if not toks:
        return []
    keys = tuple(_acronym_key(t) if _is_acronym(t) else _stem(t) for t in toks)
    variants = [keys]
    if "-" in prepared:
        joined = _TOKEN.findall(re.sub(r"(?<=[A-Za-z])-(?=[A-Za-z])", "", prepared))
        jkeys = tuple(_acronym_key(t) if _is_acronym(t) else _stem(t) for t in joined)
        if jkeys != keys:
            variants.append(jkeys)
    elif len(toks) == 2 and not any(_is_acronym(t) for t in toks):
        # "well being" also matches "wellbeing" / "well-being"
        variants.append((_stem(toks[0].lower() + toks[1].lower()),))
    return variants


@dataclass(frozen=True, slots=True)
class _Pattern:
    keys: tuple[str, ...]
    theme: str
    label: str
    rule: str
    facet: str  # the theme's facet
    match: ThemeMatch  # (theme, label, rule), the explanation this pattern gives
    order: int  # _RULE_ORDER of the rule: a longer match's tie-break


class _Index:
    """A word trie of every label: ``trie[key][key]...[_END]`` lists the patterns ending there."""

    def __init__(self) -> None:
        self.trie: dict[str, dict] = {}
        self.facet: dict[str, str] = {}
        self.nf_ids: set[str] = set()
        for entry in theme_index():
            if entry.is_facet_root:
                continue
            self.facet[entry.id] = entry.facet
            if entry.facet == "national-framework":
                self.nf_ids.add(entry.id)
            labelled = [(entry.pref_label, "prefLabel")]
            labelled += [(a, "altLabel") for a in entry.alt_labels]
            labelled += [(h, "hiddenLabel") for h in entry.hidden_labels]
            seen: set[tuple[str, ...]] = set()
            for label, rule in labelled:
                if entry.facet == "national-framework" and rule == "prefLabel":
                    label = label.split(":", 1)[-1]  # "Outcome 3: children ..." -> wording
                for keys in _label_variants(label):
                    if keys in seen:
                        continue
                    seen.add(keys)
                    node = self.trie
                    for k in keys:
                        node = node.setdefault(k, {})
                    node.setdefault(_END, []).append(
                        _Pattern(keys, entry.id, label.strip(), rule, entry.facet,
                                 ThemeMatch(entry.id, label.strip(), rule), _RULE_ORDER[rule]))


_END = "\x00end"


@lru_cache(maxsize=1)
def _index() -> _Index:
    return _Index()


# --- National Framework tags --------------------------------------------------------

_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
_NF_IN_BRACKETS = re.compile(r"\(([^()]{0,120})\)")
_NF_REF = re.compile(
    r"\b(outcome|enabler|principle)s?\s*(\d|one|two|three|four|five|six|seven)\b", re.I)


def parse_nf_tag(tag: str) -> list[str]:
    """Theme ids of the National Framework references in ``tag``.

    ``"outcome 3, national framework"`` -> ``["nf-outcome-3"]``; ``"Enabler two"`` ->
    ``["nf-enabler-2"]``; ``"enabler: the workforce is equipped and effective"`` ->
    ``["nf-enabler-3"]`` (by the enabler's wording).  Unknown numbers give nothing.
    """
    index = _index()
    out: list[str] = []
    for m in _NF_REF.finditer(tag):
        kind = m.group(1).lower()
        num = m.group(2).lower()
        n = int(num) if num.isdigit() else _NUMBER_WORDS[num]
        tid = f"nf-{kind}-{n}"
        if tid in index.nf_ids and tid not in out:
            out.append(tid)
    if not out:
        for match in _match_labels(tag):
            if match.theme in index.nf_ids and match.theme not in out:
                out.append(match.theme)
    return out


def _nf_from_text(text: str) -> list[ThemeMatch]:
    out: list[ThemeMatch] = []
    for m in _NF_IN_BRACKETS.finditer(text):
        inner = m.group(1)
        if not re.search(r"\b(outcome|enabler|principle|national framework)", inner, re.I):
            continue
        for tid in parse_nf_tag(inner):
            out.append(ThemeMatch(tid, " ".join(inner.split()), "national-framework-tag"))
    return out


# --- matching -----------------------------------------------------------------------


def _match_labels(text: str) -> list[ThemeMatch]:
    entries = _text_entries(text)
    found: list[tuple[int, int, _Pattern]] = []
    n = len(entries)
    # the words that begin a label (most begin none), found without a Python loop
    for i in compress(range(n), map(itemgetter(1), entries)):
        # the nodes of the labels word i begins; walk on from them word by word, every
        # pattern ending at a node being a match
        frontier = entries[i][1]
        j = i
        while frontier:
            j += 1
            for node in frontier:
                pats = node.get(_END)
                if pats is not None:
                    for pat in pats:
                        found.append((i, j, pat))
            if j >= n:
                break
            keys = entries[j][0]
            if len(frontier) == 1 and len(keys) == 1:  # the common case, without a list
                child = frontier[0].get(keys[0])
                frontier = (child,) if child is not None else ()
            else:
                frontier = tuple(child for node in frontier for k in keys
                                 if (child := node.get(k)) is not None)
    if not found:
        return []
    # drop a match lying strictly inside a longer one of the same facet (only a match of
    # two or more words can hold a shorter one)
    longer: dict[str, list[tuple[int, int]]] = {}
    for s, e, p in found:
        if e - s > 1:
            longer.setdefault(p.facet, []).append((s, e))
    kept = found
    if longer:
        kept = []
        for match in found:
            s, e, p = match
            for s2, e2 in longer.get(p.facet, ()):
                if s2 <= s and e <= e2 and (e2 - s2) > (e - s):
                    break  # inside a longer one
            else:
                kept.append(match)
    if len(kept) > 1:
        kept.sort(key=lambda x: (x[0], x[0] - x[1], x[2].order))
    out: list[ThemeMatch] = []
    seen: set[str] = set()
    for _, _, p in kept:
        if p.theme not in seen:
            seen.add(p.theme)
            out.append(p.match)  # (immutable: one per pattern, shared)
    return out


def tag_text(text: str, *, nf_tags: Iterable[str] = ()) -> list[ThemeMatch]:
    """Every theme ``text`` carries, one explanation each, in order of first mention.

    ``nf_tags`` are National Framework tags already split off the text (as written).
    Never raises on any string input.
    """
    if not text and not nf_tags:
        return []
    text = text or ""
    extra: list[ThemeMatch] = []
    prose = text
    if "(" in text:  # (as _NF_IN_BRACKETS needs)
        extra = _nf_from_text(text)
        # the bracketed National Framework reference is not prose: "(outcome 3, ...)" is
        # no "outcomes" issue, so it is blanked before the labels are matched
        prose = _NF_IN_BRACKETS.sub(
            lambda m: " " if re.search(r"\b(outcome|enabler|principle|national framework)",
                                       m.group(1), re.I) else m.group(0), text)
    matches = _match_labels(prose)
    seen = {m.theme for m in matches}
    for tag in nf_tags:
        extra += [ThemeMatch(t, " ".join(tag.split()), "national-framework-tag")
                  for t in parse_nf_tag(tag)]
    for m in extra:
        if m.theme not in seen:
            seen.add(m.theme)
            matches.append(m)
    return matches


def tag_item(item: Concern | Finding) -> None:
    """Set ``themes`` and ``theme_matches`` of one concern or finding (in place)."""
    nf = getattr(item, "nf_tags", ()) or ()
    matches = tag_text(item.text, nf_tags=nf)
    item.themes = [m.theme for m in matches]
    item.theme_matches = [m.as_dict() for m in matches]


def tag_record(record: DocumentRecord) -> None:
    """Set ``themes`` and ``theme_matches`` on every concern and finding of ``record``."""
    for item in record.concerns:
        tag_item(item)
    for finding in record.findings:
        tag_item(finding)


def theme_facets() -> dict[str, str]:
    """Theme id -> facet id (cohort, practice-area, issue, national-framework)."""
    return dict(_index().facet)


def practice_area_themes(themes: Iterable[str]) -> list[str]:
    """The specific practice-area themes among ``themes``."""
    facet = _index().facet
    return [t for t in themes if facet.get(t) == "practice-area"]
