"""The building blocks of the HTML views: colours, the network under construction, node titles and details, lanes and document nodes."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..model import (
    KIND_LABELS,
    ConcernGraph,
    Document,
    Item,
)

GRADE_COLOURS = {
    "outstanding": "#1a9850",
    "good": "#66bd63",
    "adequate": "#fee08b",
    "requires_improvement": "#fdae61",
    "inadequate": "#d73027",
}


STATUS_COLOURS = {
    "raised": "#4575b4",
    "persisting": "#d73027",
    "improving": "#fdae61",
    "resolved": "#1a9850",
    "not_reviewed": "#969696",
}


KIND_COLOURS = {
    "Recommendation": "#4575b4",
    "AreaForImprovement": "#74add1",
    "AreaOfConcern": "#f46d43",
    "AreaForPriorityAction": "#a50026",
    "Concern": "#6a51a3",
}


POLARITY_COLOURS = {"weakness": "#fc9272", "strength": "#a1d99b", "mixed": "#dadaeb", "": "#dadaeb"}


FACET_COLOURS = {
    "cohort": "#8e44ad",
    "practice-area": "#2c7fb8",
    "issue": "#e6550d",
    "national-framework": "#636363",
    "": "#7f7f7f",
}


NEUTRAL = "#bdbdbd"


DOC_X = 420  # horizontal distance between documents on a timeline


LANE_Y = 650  # vertical distance between authorities' timelines


MAX_EDGES_PER_NODE = 4


_VIS_MARK = "/*@OKG_VIS_NETWORK@*/"


_META_MARK = "/*@OKG_META@*/null"


@dataclass(slots=True)
class Page:
    """A rendered view."""

    html: str
    nodes: int
    edges: int
    omitted: dict[str, int] = field(default_factory=dict)


def safe_json(value: Any) -> str:
    """JSON safe to embed in a ``<script>`` element (no ``</script>``, no ``<!--``)."""
    return (json.dumps(value, ensure_ascii=True, separators=(",", ":"))
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("'", "\\u0027").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


# -- building blocks --------------------------------------------------------------------
@dataclass(slots=True)
class _Net:
    """Nodes and edges before they go to pyvis (so that a cap can drop some)."""

    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    edges: list[dict[str, Any]] = field(default_factory=list)
    omitted: Counter[str] = field(default_factory=Counter)
    capped: int = 0  # the cap applied (0: none)
    cap_rule: str = "the least connected left out first"

    def node(self, nid: str, **attrs: Any) -> None:
        if nid not in self.nodes:
            self.nodes[nid] = attrs

    def edge(self, a: str, b: str, **attrs: Any) -> None:
        if a in self.nodes and b in self.nodes:
            self.edges.append({"from": a, "to": b, **attrs})


def _doc_title(d: Document, grade: str | None) -> str:
    lines = [f"{d.authority_name or 'unknown authority'}: {d.document_type.replace('_', ' ')}"]
    if d.date:
        lines.append(f"visit {d.date}" + (f", published {d.published}" if d.published and
                                          d.published != d.date else ""))
    if grade:
        lines.append(f"overall effectiveness: {grade.replace('_', ' ')}")
    if d.file:
        lines.append(f"document: {d.file}")
    return "\n".join(lines)


def _doc_info(d: Document) -> list[list[str]]:
    info = [["Document", d.file or d.iri], ["Type", d.document_type.replace("_", " ")],
            ["Authority", d.authority_name], ["Date", d.date]]
    if d.published:
        info.append(["Published", d.published])
    if d.title:
        info.append(["Title", d.title])
    return info


def _item_kind(it: Item) -> str:
    return "finding" if it.is_finding else KIND_LABELS.get(it.kind, "concern")


def _item_title(it: Item, d: Document | None, labels: dict[str, str],
                status: str | None = None) -> str:
    head = _item_kind(it) + (f" ({it.polarity})" if it.is_finding and it.polarity else "")
    if status:
        head += f", status: {status.replace('_', ' ')}"
    quote = it.text if len(it.text) <= 600 else it.text[:597] + "..."
    where = []
    if d is not None:
        where.append(d.file or d.document_type)
        if d.date:
            where.append(d.date)
    if it.page:
        where.append(f"page {it.page}")
    themes = ", ".join(labels.get(t, t) for t in it.themes)
    return "\n".join(x for x in (head, f"\u201c{quote}\u201d", ", ".join(where),
                                 f"themes: {themes}" if themes else "") if x)


def _item_info(it: Item, d: Document | None, labels: dict[str, str],
               status: str | None = None) -> list[list[str]]:
    info = [["Kind", _item_kind(it)], ["Quote", it.text]]
    if status:
        info.append(["Status", status.replace("_", " ")])
    if it.page:
        info.append(["Page", str(it.page)])
    if d is not None:
        info += [["Document", d.file or d.iri], ["Date", d.date], ["Authority", d.authority_name]]
    if it.themes:
        info.append(["Themes", ", ".join(labels.get(t, t) for t in it.themes)])
    return info


def _short(text: str, n: int = 28) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "\u2026"


def _overall_grades(cg: ConcernGraph) -> dict[str, str]:
    """Report -> its overall effectiveness grade (documents without one are left out)."""
    return {j.report: j.grade for j in cg.judgements if j.area == "overall_effectiveness"}


def _latest_status(cg: ConcernGraph) -> tuple[dict[str, str], dict[str, str]]:
    """(concern -> its status at the latest assessing document, finding -> status it gave)."""
    date = {d.iri: d.date for d in cg.documents}
    latest: dict[str, tuple[str, str]] = {}
    by_finding: dict[str, str] = {}
    for s in cg.statuses:
        when = date.get(s.report, "")
        if s.concern not in latest or when >= latest[s.concern][0]:
            latest[s.concern] = (when, s.status)
        if s.finding:
            by_finding[s.finding] = s.status
    return {k: v[1] for k, v in latest.items()}, by_finding


def _lanes(cg: ConcernGraph, *, columns: dict[str, int] | None = None, lane_y: int = LANE_Y,
           col_w: int = 0) -> tuple[dict[str, tuple[float, float]], dict[str, int]]:
    """Fixed positions of the documents: date order along x, one lane per authority.

    With ``columns`` (document -> columns of items drawn under it, ``col_w`` wide each) a
    document sits over its block and blocks do not overlap.
    """
    lanes: dict[str, int] = {}
    for d in cg.documents:
        lanes.setdefault(d.authority or d.iri, len(lanes))
    pos: dict[str, tuple[float, float]] = {}
    nxt: dict[str, float] = {}
    for d in cg.documents:
        lane = d.authority or d.iri
        x0 = nxt.get(lane, 0.0)
        cols = max(1, (columns or {}).get(d.iri, 1))
        width = (cols - 1) * col_w
        pos[d.iri] = (x0 + width / 2, lanes[lane] * lane_y)
        nxt[lane] = x0 + max(DOC_X, width + col_w + 140 if columns else DOC_X)
    return pos, lanes


_KIND_NAMES = {"document": "documents", "judgement": "judgements", "concern": "concerns",
               "finding": "findings", "theme": "themes", "authority": "authorities"}


def _add_documents(net: _Net, cg: ConcernGraph, grades: dict[str, str],
                   pos: dict[str, tuple[float, float]] | None = None) -> None:
    if pos is None:
        pos, lanes = _lanes(cg)
    else:
        lanes = {d.authority or d.iri: 0 for d in cg.documents}
    prev: dict[str, str] = {}
    for d in cg.documents:
        g = grades.get(d.iri)
        x, y = pos[d.iri]
        who = f"{d.authority_name}\n" if len(lanes) > 1 and d.authority_name else ""
        net.node(d.iri, label=f"{who}{d.date[:10] or '?'}\n{d.document_type.replace('_', ' ')}",
                 shape="box", color={"background": GRADE_COLOURS.get(g or "", "#e0ecf4"),
                                     "border": "#333"},
                 title=_doc_title(d, g), x=x, y=y, fixed=True, physics=False,
                 kind="document", year=d.year, info=_doc_info(d), font={"size": 16},
                 borderWidth=2, mass=3)
        lane = d.authority or d.iri
        if lane in prev:
            net.edge(prev[lane], d.iri, color="#999999", width=3, arrows="to", kind="sequence",
                     title="next document", physics=False)
        prev[lane] = d.iri
