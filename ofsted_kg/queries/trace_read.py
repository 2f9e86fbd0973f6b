"""Reading one authority's documents and items for ``trace`` (bound parameters only).

The queries are ``queries/lineage/*.rq`` (internal: not among the named queries); the
authority is bound as an RDF term, never pasted into the text.  A second file of one
visit (``prov:alternateOf``) is left out, as is any document without a date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from ..lineage.chain import Doc, Item

if TYPE_CHECKING:
    from ..store import Store

__all__ = ["AuthorityData", "authorities", "read_authority"]

_KINDS = ("Recommendation", "AreaForImprovement", "AreaOfConcern", "AreaForPriorityAction",
          "Finding")


@cache
def _rq(name: str) -> str:
    return resources.files("ofsted_kg.queries").joinpath(f"lineage/{name}.rq").read_text("utf-8")


@dataclass(slots=True)
class AuthorityData:
    iri: str
    name: str = ""
    docs: list[Doc] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    follows: dict[str, str] = field(default_factory=dict)


def _select(store: Store, name: str, authority: str) -> list[dict[str, Any]]:
    return store.select(_rq(name), bindings={"authority": ox.NamedNode(authority)})


def authorities(store: Store) -> list[str]:
    """IRIs of every authority with a report."""
    return sorted(str(r["authority"]) for r in store.select(_rq("authorities")))


def read_authority(store: Store, authority: str) -> AuthorityData:
    """The canonical documents (date order), their items with themes, and follow-ups."""
    data = AuthorityData(authority)
    docs: dict[str, Doc] = {}
    alternates: set[str] = set()
    for r in _select(store, "docs", authority):
        rep = str(r["report"])
        data.name = data.name or str(r.get("name") or "")
        if r.get("alternate"):
            alternates.add(rep)
        date = str(r.get("start") or r.get("end") or r.get("issued") or "")
        if rep not in docs:
            docs[rep] = Doc(rep, date[:10], str(r.get("type") or ""), str(r.get("file") or ""),
                            str(r.get("visit") or ""))
        if r.get("topic"):
            d = docs[rep]
            d.topics = d.topics | {str(r["topic"]).rsplit("/", 1)[-1]}
    data.docs = sorted((d for d in docs.values() if d.report not in alternates and d.date),
                       key=lambda d: (d.date, d.report))
    keep = {d.report for d in data.docs}
    themes: dict[str, set[str]] = {}
    for r in _select(store, "themes", authority):
        themes.setdefault(str(r["item"]), set()).add(str(r["theme"]))
    items: dict[str, Item] = {}
    for r in _select(store, "items", authority):
        iri, rep = str(r["item"]), str(r["report"])
        kind = str(r["cls"]).rsplit("#", 1)[-1]
        if rep not in keep or kind not in _KINDS or iri in items:
            continue
        items[iri] = Item(iri, rep, kind, str(r["text"]), int(r.get("page") or 0),
                          int(r.get("pos") or 0), str(r.get("pol") or "").rsplit("#", 1)[-1].lower(),
                          frozenset(themes.get(iri, ())))
    data.items = sorted(items.values(), key=lambda i: (i.report, i.is_finding, i.position, i.iri))
    data.follows = {str(r["visit"]): str(r["earlier"]) for r in _select(store, "follows", authority)}
    return data
