"""The ofsted-kg ontology, theme vocabulary and SHACL shapes, shipped as Turtle package data.

Files (in this package, read with :mod:`importlib.resources`):

* ``ofsted-kg.ttl`` -- the OWL ontology (classes, properties) and the small SKOS schemes:
  grades (ordered by ``okg:rank``), judgement areas (mapped across frameworks),
  frameworks, concern statuses, finding polarities;
* ``themes.ttl`` -- the faceted SKOS theme vocabulary (cohort, practice area, issue,
  National Framework) with the labels the theme tagger matches;
* ``shapes.ttl`` -- SHACL shapes for instance data (``sh:Violation`` and ``sh:Warning``).

This package imports nothing else of ofsted-kg (``namespaces`` only needs rdflib).
Every loader is cached and returns a *fresh copy* for graphs (callers may mutate them) and
immutable plain data for :func:`theme_index`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import rdflib
from rdflib.namespace import RDF, SKOS

from .namespaces import PREFIXES, THEME

__all__ = [
    "ONTOLOGY_FILE", "THEMES_FILE", "SHAPES_FILE", "ttl_text", "ontology_graph",
    "themes_graph", "shapes_graph", "vocabulary_graph", "vocabulary_triples", "vocabulary_turtle",
    "theme_collection", "theme_index",
    "ThemeEntry", "FACETS", "THEME_FACET_ROOTS",
]

ONTOLOGY_FILE = "ofsted-kg.ttl"
THEMES_FILE = "themes.ttl"
SHAPES_FILE = "shapes.ttl"

#: The theme facets, in display order (each is a top concept of the theme scheme).
FACETS: tuple[str, ...] = ("cohort", "practice-area", "issue", "national-framework")
THEME_FACET_ROOTS = frozenset(FACETS)


def ttl_text(name: str) -> str:
    """The Turtle text of one packaged file (``ofsted-kg.ttl``, ``themes.ttl``, ``shapes.ttl``).

    Raises:
        FileNotFoundError: no such packaged file.
    """
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def _parsed(name: str) -> rdflib.Graph:
    g = rdflib.Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    g.parse(data=ttl_text(name), format="turtle")
    return g


def _copy(*names: str) -> rdflib.Graph:
    g = rdflib.Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    for name in names:
        for t in _parsed(name):
            g.add(t)
    return g


def ontology_graph() -> rdflib.Graph:
    """The ontology and its small schemes (grades, areas, frameworks, statuses, polarities)."""
    return _copy(ONTOLOGY_FILE)


def themes_graph() -> rdflib.Graph:
    """The SKOS theme vocabulary."""
    return _copy(THEMES_FILE)


def shapes_graph() -> rdflib.Graph:
    """The SHACL shapes graph."""
    return _copy(SHAPES_FILE)


def vocabulary_graph() -> rdflib.Graph:
    """Ontology + schemes + themes: what is loaded into the store's vocabulary graph."""
    return _copy(ONTOLOGY_FILE, THEMES_FILE)


@lru_cache(maxsize=1)
def vocabulary_triples() -> frozenset[tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node]]:
    """Ontology + themes as an immutable set of rdflib triples (cached; no copy per call)."""
    return frozenset(_parsed(ONTOLOGY_FILE)) | frozenset(_parsed(THEMES_FILE))


@lru_cache(maxsize=1)
def vocabulary_turtle() -> str:
    """Ontology and themes as one Turtle document (for loading into pyoxigraph)."""
    return ttl_text(ONTOLOGY_FILE) + "\n" + ttl_text(THEMES_FILE)


@dataclass(frozen=True, slots=True)
class ThemeEntry:
    """One theme concept as plain data (for the tagger and for reports)."""

    id: str  # local name, e.g. "mental-health"
    iri: str
    pref_label: str
    definition: str
    facet: str  # one of FACETS ("" for the facet roots themselves)
    broader: tuple[str, ...]  # ids of broader concepts
    alt_labels: tuple[str, ...]
    hidden_labels: tuple[str, ...]

    @property
    def is_facet_root(self) -> bool:
        """True for the four facet top concepts (never assigned by the tagger)."""
        return self.id in THEME_FACET_ROOTS


@lru_cache(maxsize=8)
def theme_collection(name: str) -> frozenset[str]:
    """The ids of the members of the theme vocabulary's ``skos:Collection`` ``theme:<name>``
    (``facet-cohort``, ``legal-status`` ...); empty when there is no such collection."""
    g = _parsed(THEMES_FILE)
    base = str(THEME)
    return frozenset(str(m)[len(base):] for m in g.objects(rdflib.URIRef(base + name), SKOS.member)
                     if str(m).startswith(base))


@lru_cache(maxsize=1)
def theme_index() -> tuple[ThemeEntry, ...]:
    """Every concept of the theme vocabulary, sorted by facet then id.

    The facet of a concept is the facet root reached by following ``skos:broader``.
    """
    g = _parsed(THEMES_FILE)
    base = str(THEME)

    def local(node: rdflib.term.Node) -> str:
        return str(node)[len(base):]

    def en(values: list[rdflib.term.Node]) -> tuple[str, ...]:
        return tuple(sorted(str(v) for v in values))

    broader: dict[str, tuple[str, ...]] = {}
    concepts = [c for c in g.subjects(RDF.type, SKOS.Concept) if str(c).startswith(base)]
    for c in concepts:
        broader[local(c)] = tuple(sorted(local(b) for b in g.objects(c, SKOS.broader)))

    def facet_of(cid: str, seen: frozenset[str] = frozenset()) -> str:
        if cid in THEME_FACET_ROOTS:
            return cid
        for b in broader.get(cid, ()):
            if b not in seen:
                f = facet_of(b, seen | {cid})
                if f:
                    return f
        return ""

    out = []
    for c in concepts:
        cid = local(c)
        out.append(ThemeEntry(
            id=cid,
            iri=str(c),
            pref_label=str(g.value(c, SKOS.prefLabel) or cid),
            definition=str(g.value(c, SKOS.definition) or ""),
            facet="" if cid in THEME_FACET_ROOTS else facet_of(cid),
            broader=broader[cid],
            alt_labels=en(list(g.objects(c, SKOS.altLabel))),
            hidden_labels=en(list(g.objects(c, SKOS.hiddenLabel))),
        ))
    order = {f: i for i, f in enumerate(("",) + FACETS)}
    out.sort(key=lambda e: (order.get(e.facet, 99), e.id))
    return tuple(out)

