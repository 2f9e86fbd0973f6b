"""The links step's inputs taken from the workers' records instead of the store.

A build extracts every document in a worker process; the same worker can hand back the
little the links step needs of it (the report's dates and type, its concern items and
findings with their themes) as :class:`Known`, so that relinking an authority whose reports
were all built in this run reads nothing back out of the store.  What :func:`links_input`
gives is what :func:`.read._read_docs` and :func:`.read._read_items` read from the
document's graph (the same IRIs, kinds, texts and themes, as :mod:`..rdf` writes them);
``tests/test_links_records.py`` checks that both give the same links graphs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from ...ontology.namespaces import ID, THEME
from ..rdf import CONCERN_CLASSES, POLARITIES, authority_iri, report_iri, visit_iri
from ..records import DocumentRecord
from .read import _DOC_RANK, _Doc, _Item

__all__ = ["Known", "from_known", "links_input"]

# The IRI strings an item needs, worked out once: a theme's IRI is the theme namespace
# followed by its id (what ``str(THEME[t])`` gives, without rdflib's term lookup and URI
# check per theme of every item), a concern kind's and a polarity's the ontology's local
# name of its class.
_THEME = str(THEME)
_KIND_NAMES = {k: str(cls).rsplit("#", 1)[-1] for k, cls in CONCERN_CLASSES.items()}
_POLARITY_NAMES = {k: str(cls).rsplit("#", 1)[-1] for k, cls in POLARITIES.items()}


@dataclass(slots=True, frozen=True)
class Known:
    """One built document as the links step reads it."""

    authority: str | None  # the authority's IRI
    doc: _Doc
    items: tuple[_Item, ...]


def links_input(record: DocumentRecord) -> Known:
    """The links step's view of one extracted document (pure: no store access)."""
    sha = record.source.sha256
    rep = report_iri(sha)
    date = record.visit_start or record.visit_end or record.published or ""
    evidence = str((record.follows_up or {}).get("text") or "")
    doc = _Doc(rep, sha, record.document_type, visit_iri(record), date, evidence,
               file=record.source.file.replace("\\", "/").rsplit("/", 1)[-1],
               topics=frozenset(record.topics))
    items: list[_Item] = []
    for c in record.concerns:
        kind = _KIND_NAMES.get(c.kind)
        if kind is None:  # a plain okg:Concern: not one of the kinds the links step reads
            continue
        items.append(_Item(f"{ID}concern/{sha}/{c.position}", rep, kind,
                           c.text, c.page, c.position, "", _themes(c.themes)))
    mixed = _POLARITY_NAMES["mixed"]
    for f in record.findings:
        pol = _POLARITY_NAMES.get(f.polarity, mixed)
        items.append(_Item(f"{ID}finding/{sha}/{f.position}", rep, "Finding", f.text, f.page,
                           f.position, pol, _themes(f.themes)))
    return Known(authority_iri(record), doc, tuple(items))


def _themes(ids: Sequence[str]) -> frozenset[str]:
    return frozenset(map(_THEME.__add__, ids))


def from_known(known: Mapping[str, Known], shas: Sequence[str] | set[str], auth: str
               ) -> tuple[list[_Doc], list[_Item]] | None:
    """The authority's documents and items from ``known`` (SHA-256 -> :class:`Known`), in
    the order :mod:`.read` gives them; None when some report of ``shas`` (the reports the
    store holds for the authority) was not built in this run, or is another authority's."""
    ks = [known.get(s) for s in shas]
    if not ks or any(k is None or k.authority != auth for k in ks):
        return None
    docs = [replace(k.doc) for k in ks if k is not None]  # compute() writes counts on them
    # the store reads a visit's follow-up words from every graph that describes the visit
    # (a PDF and a text of one visit): each of its reports gets the longest
    longest: dict[str, str] = {}
    for d in docs:
        if len(d.evidence) > len(longest.get(d.visit, "")):
            longest[d.visit] = d.evidence
    # and the topics of every graph that describes it
    topics: dict[str, frozenset[str]] = {}
    for d in docs:
        topics[d.visit] = topics.get(d.visit, frozenset()) | d.topics
    for d in docs:
        d.evidence = longest.get(d.visit, d.evidence)
        d.topics = topics[d.visit]
    # the items themselves (compute() gives them their vectors): a build links once
    items = [i for k in ks if k is not None for i in k.items]
    docs.sort(key=lambda d: (d.date or "9999", _DOC_RANK.get(d.type, 9), d.sha))
    items.sort(key=lambda i: (i.report, i.is_finding, i.position, i.iri))
    return docs, items
