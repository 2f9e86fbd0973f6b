"""The researcher's question: was this failure raised before, and is it still there?

:func:`trace` resolves the phrase to words and themes, ranks the authority's concern items
and findings by relevance (:mod:`ofsted_kg.lineage.chain`: BM25 over stemmed words, the
phrase's themes, likeness to the chain's other documents) and answers with the
**lineage**: per document in date order, the chain's concern item(s) and the one to three
findings that decide its status there -- each with quote, page, status, the words that
decided it and a confidence -- then a verdict such as
``raised 2014; repeated 2018, 2023; resolved 2026``.  A document that follows up the chain
but says nothing about it is ``not reviewed`` (a step without rows).  Every other item
that mentions the words comes only with ``all_mentions=True``.

The documents and items are read with the internal queries ``queries/lineage/*.rq``, the
authority bound as an RDF term; a second file of one report (``prov:alternateOf``) is
left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import QueryError
from ..lineage.chain import Lineage, Row, Step, lineage
from ..lineage.phrase import narrower_themes
from . import resolve_authority, resolve_theme
from .trace_read import authorities, read_authority

if TYPE_CHECKING:
    from ..store import Store

__all__ = ["DOC_LABELS", "KIND_LABELS", "OPEN_STATUSES", "TraceResult", "trace", "verdict"]

#: statuses that mean the concern was still there at that document
OPEN_STATUSES = ("persisting", "raised", "improving")

DOC_LABELS = {
    "full_inspection": "full inspection",
    "monitoring_visit": "monitoring visit",
    "focused_visit": "focused visit",
    "joint_targeted_area_inspection": "JTAI",
    "commissioner_report": "commissioner's report",
}
KIND_LABELS = {
    "Recommendation": "recommendation",
    "AreaForImprovement": "area for improvement",
    "AreaOfConcern": "area of concern",
    "AreaForPriorityAction": "area for priority action",
    "Finding": "finding",
}


@dataclass(slots=True)
class TraceResult:
    """The lineage: ``steps`` (one per document), ``rows`` (their quoted items, and with
    ``all_mentions`` the other mentions, ``inChain`` false) and the verdict (across
    authorities, each one's: ``by_authority``, name -> verdict)."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    steps: list[dict[str, Any]] = field(default_factory=list)
    verdict: str = ""
    themes: list[str] = field(default_factory=list)
    by_authority: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"verdict": self.verdict, "themes": self.themes, "steps": self.steps,
                "rows": self.rows}

    def to_text(self) -> str:
        """Plain text: the verdict, then per document its status and quoted rows."""
        lines = [self.verdict, ""]
        by_step: dict[int, list[dict[str, Any]]] = {}
        for r in self.rows:
            by_step.setdefault(int(r.get("step", -1)), []).append(r)
        for n, s in enumerate(self.steps):
            lines.append(f"{s['date']}  {s['authorityName']}  {s['document']}  "
                         f"[{s['status'].replace('_', ' ')}]")
            if s["status"] == "not_reviewed":
                lines.append("    (follows up the chain; says nothing about it)")
            for r in by_step.get(n, []):
                lines.append(f"    {r['kindLabel']}  [{r['status']}]  p.{r['page']}  "
                             f"(\"{r['cue']}\"; score {r['score']:.2f})")
                lines.append(f"      \"{r['quote']}\"")
        rest = by_step.get(-1, [])
        if rest:
            lines += ["", f"other mentions ({len(rest)}):"]
            for r in rest:
                lines.append(f"{r['date']}  {r['document']}  {r['kindLabel']}  p.{r['page']}  "
                             f"(score {r['score']:.2f})")
                lines.append(f"      \"{r['quote']}\"")
        return "\n".join(lines) + "\n"


def trace(store: Store, text: str | None = None, *, theme: str | None = None,
          authority: str | None = None, since: int | None = None,
          all_mentions: bool = False) -> TraceResult:
    """The lineage of the concern ``text`` names (or of ``theme``), for one authority or
    for each authority where it has a chain.

    Rows have ``date``, ``authorityName``, ``documentType``, ``document``, ``file``,
    ``report``, ``item``, ``kind``, ``kindLabel``, ``status``, ``cue`` (the words that
    decided the status), ``text``/``quote``, ``page``, ``score`` (confidence 0..1),
    ``words`` and ``themes`` (the evidence of relevance), ``step`` (index into ``steps``,
    -1 for a mention outside the chain) and ``inChain``.  ``since`` keeps documents from
    that year on.  Words in double quotes must occur literally.

    Raises:
        QueryError: neither text nor theme given, or an unknown authority/theme.
    """
    if not (text and text.strip()) and not theme:
        raise QueryError("give words to trace or --theme ID")
    theme_ids: list[str] = []
    if theme:
        tid = resolve_theme(store, theme).value.rsplit("/", 1)[-1]
        theme_ids = narrower_themes(tid)
    auths = [resolve_authority(store, authority).value] if authority else authorities(store)
    result = TraceResult(themes=theme_ids)
    verdicts: list[str] = []
    for a in auths:
        data = read_authority(store, a)
        docs = [d for d in data.docs if not since or d.date[:4] >= str(since)]
        keep = {d.report for d in docs}
        items = [i for i in data.items if i.report in keep]
        lin = lineage(text or "", docs, items, follows=data.follows, theme_ids=theme_ids,
                      mentions=all_mentions)
        if not lin.steps:
            continue
        _add(result, lin, data.name, all_mentions)
        v = result.by_authority[data.name] = verdict(lin.steps)
        verdicts.append(v if authority else f"{data.name}: {v}")
    result.verdict = " | ".join(verdicts) if verdicts else "no mention found"
    return result


def _add(result: TraceResult, lin: Lineage, name: str, all_mentions: bool) -> None:
    for s in lin.steps:
        n = len(result.steps)
        result.steps.append({
            "date": s.doc.date, "authorityName": name, "documentType": s.doc.type,
            "document": _doc_label(s.doc.type, s.doc.file), "file": s.doc.file,
            "report": s.doc.report, "status": s.status, "label": step_label(s)})
        result.rows += [_row_dict(r, name, n) for r in s.rows]
    if all_mentions:
        result.rows += [_row_dict(r, name, -1) for r in lin.mentions]


def _doc_label(dtype: str, file: str) -> str:
    doc = DOC_LABELS.get(dtype, dtype)
    return f"{doc} ({file.rsplit('/', 1)[-1]})" if file else doc


def _row_dict(r: Row, name: str, step: int) -> dict[str, Any]:
    return {
        "date": r.doc.date, "authorityName": name, "documentType": r.doc.type,
        "document": _doc_label(r.doc.type, r.doc.file), "file": r.doc.file,
        "report": r.doc.report, "item": r.item.iri, "kind": r.item.kind,
        "kindLabel": KIND_LABELS.get(r.item.kind, r.item.kind), "status": r.status,
        "cue": r.cue, "text": r.item.text, "quote": r.item.text, "page": r.item.page,
        "score": r.score, "words": r.words, "themes": r.themes, "step": step,
        "inChain": r.in_chain}


def step_label(s: Step) -> str:
    """The verdict's word for one document: raised, repeated (named again as a concern),
    persisting, improving, resolved, not reviewed."""
    if s.status == "persisting" and any(not r.item.is_finding for r in s.rows):
        return "repeated"
    return s.status.replace("_", " ")


def verdict(steps: list[Step]) -> str:
    """``raised 2014; repeated 2018, 2023; resolved 2026``: each document's word, runs of
    the same word joined, years as written; "not reviewed" documents are left out when a
    later document speaks to the concern again."""
    if not steps:
        return "no mention found"
    last_spoken = max((n for n, s in enumerate(steps) if s.status != "not_reviewed"), default=-1)
    parts: list[tuple[str, list[str]]] = []
    for n, s in enumerate(steps):
        label = step_label(s)
        if label == "not reviewed" and n < last_spoken:
            continue
        year = s.doc.date[:4] or "?"
        if parts and parts[-1][0] == label:
            if year not in parts[-1][1]:
                parts[-1][1].append(year)
        else:
            parts.append((label, [year]))
    return "; ".join(f"{label} {', '.join(years)}" for label, years in parts)
