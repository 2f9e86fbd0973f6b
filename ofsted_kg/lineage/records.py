"""The records of a lineage: the documents and items it is traced over, and what it
answers (steps of rows)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .phrase import Phrase

__all__ = ["Doc", "Item", "Lineage", "Row", "Step"]


@dataclass(slots=True)
class Doc:
    report: str
    date: str
    type: str = ""
    file: str = ""
    visit: str = ""
    #: what a focused or monitoring visit looked at (topic: local names, ``care_leavers``)
    topics: frozenset[str] = frozenset()


@dataclass(slots=True)
class Item:
    iri: str
    report: str
    kind: str  # "Finding" or the concern class local name
    text: str
    page: int = 0
    position: int = 0
    polarity: str = ""
    themes: frozenset[str] = frozenset()

    @property
    def is_finding(self) -> bool:
        return self.kind == "Finding"


@dataclass(slots=True)
class Row:
    item: Item
    doc: Doc
    status: str
    cue: str
    score: float
    words: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    in_chain: bool = True


@dataclass(slots=True)
class Step:
    """One document of the lineage: its status and the rows deciding it."""

    doc: Doc
    status: str  # raised | persisting | improving | resolved | not_reviewed
    rows: list[Row] = field(default_factory=list)


@dataclass(slots=True)
class Lineage:
    phrase: "Phrase"
    steps: list[Step] = field(default_factory=list)
    mentions: list[Row] = field(default_factory=list)  # the rest, for --all

    @property
    def rows(self) -> list[Row]:
        return [r for s in self.steps for r in s.rows]
