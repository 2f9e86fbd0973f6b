"""Interactive HTML views, built with pyvis and made into one self-contained, offline file.

Three views of a :class:`~ofsted_kg.exports.model.Selection`:

* ``timeline`` -- an authority's documents in date order (judgements coloured by grade),
  its concerns and findings grouped by theme, recurrence and status edges across visits;
* ``trace`` -- the lineage ``trace`` answers for one theme, as a grid: the theme's concerns
  as rows (one per authority without ``--authority``), visits as columns, cells coloured
  by status, the deciding quotes on click (:mod:`ofsted_kg.exports.trace_grid`);
* ``national`` -- authorities and the themes that recur in them (raised as a concern in two
  or more of their documents), sized by persistence.

pyvis builds the network (:class:`pyvis.network.Network`) and renders it with our own
template (``static/view.html``; pyvis' templates load vis-network and Bootstrap from CDNs)
through ``write_html(..., notebook=False)``; the page is then post-processed: the vendored
vis-network (``static/vis-network.min.js``) and the page's metadata are inlined, and the
result is checked to reference nothing outside itself.  A Content-Security-Policy forbids
any request as a second line of defence.

Report text reaches the page only as data: node titles are plain strings (vis-network shows
them with ``innerText``), the legend, filters and details panel are built from text nodes,
and every JSON blob has ``<``, ``>``, ``&`` and ``'`` escaped as ``\\u003c`` etc.
"""

from __future__ import annotations

import html as htmlmod
import json
import re
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .model import (
    KIND_LABELS, ConcernGraph, Document, ExportError, Item, Selection, describe_filter,
    load_concern_graph, theme_id,
)

if TYPE_CHECKING:
    from ..store import Store

__all__ = ["render_view", "Page", "GRADE_COLOURS", "STATUS_COLOURS", "safe_json"]

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


# -- the views --------------------------------------------------------------------------
TL_ROWS = 16  # rows per column under a document on the timeline
TL_COL_W = 250
TL_ROW_H = 56


def _primary_theme(it: Item, counts: Counter[str], facets: dict[str, str],
                   labels: dict[str, str]) -> str:
    """The theme an item is grouped under: a cohort or practice area before an issue, then
    the theme the authority's items share most."""
    if not it.themes:
        return ""
    return min(it.themes, key=lambda t: (facets.get(t, "") in ("issue", "national-framework"),
                                         -counts[t], labels.get(t, t).lower()))


def _timeline(cg: ConcernGraph) -> _Net:
    """Documents in date order; under each, its concerns (and the findings that assess an
    earlier concern) grouped by theme; judgements above; recurrence and status edges across
    visits.  Laid out, not simulated: stable from the first frame."""
    net = _Net()
    grades = _overall_grades(cg)
    docs = {d.iri: d for d in cg.documents}
    latest, by_finding = _latest_status(cg)
    # a timeline draws the findings that speak to a concern; the rest are many (hundreds
    # in a full inspection) and belong to the trace view of a theme
    items = [it for it in cg.items if not it.is_finding or it.iri in by_finding]
    drawn = sum(1 for it in items if it.is_finding)
    if cg.finding_count > drawn:
        net.omitted["findings that assess no concern"] = cg.finding_count - drawn
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for it in items:
        counts[docs[it.report].authority if it.report in docs else ""].update(it.themes)
    groups: dict[str, dict[str, list[Item]]] = defaultdict(lambda: defaultdict(list))
    for it in items:
        lane = docs[it.report].authority if it.report in docs else ""
        groups[it.report][_primary_theme(it, counts[lane], cg.theme_facets,
                                         cg.theme_labels)].append(it)
    # rows per document: a header row per theme group, then its items
    slots: dict[str, list[tuple[str, Any]]] = {}
    for rep, by_theme in groups.items():
        rows: list[tuple[str, Any]] = []
        for t in sorted(by_theme, key=lambda t: (t == "", cg.theme_labels.get(t, t).lower())):
            members = sorted(by_theme[t], key=lambda i: (i.is_finding, i.position or 0))
            if len(rows) % TL_ROWS == TL_ROWS - 1:
                rows.append(("pad", None))  # a header never ends a column
            rows.append(("theme", (t, [m.iri for m in members])))
            rows.extend(("item", m) for m in members)
        slots[rep] = rows
    columns = {rep: -(-len(rows) // TL_ROWS) for rep, rows in slots.items()}
    pos, _ = _lanes(cg, columns=columns, col_w=TL_COL_W,
                    lane_y=260 + TL_ROWS * TL_ROW_H + 140)
    _add_documents(net, cg, grades, pos)
    for rep in pos:
        js = [j for j in cg.judgements if j.report == rep]
        x, y = pos[rep]
        d = docs[rep]
        for k, j in enumerate(js):
            jid = f"{j.report}#judgement/{j.area}"
            net.node(jid, label=_short(j.area.replace("_", " "), 20), shape="square", size=9,
                     color=GRADE_COLOURS.get(j.grade, NEUTRAL), kind="judgement", year=d.year,
                     _doc=rep,
                     title=f"{j.label or j.area.replace('_', ' ')}: {j.grade.replace('_', ' ')}"
                           f"\n{d.file or d.document_type}, {d.date}",
                     info=[["Judgement", j.label or j.area],
                           ["Grade", j.grade.replace("_", " ")],
                           ["Document", d.file or d.iri], ["Date", d.date]],
                     x=x + (k - (len(js) - 1) / 2) * 95, y=y - 110 - 40 * (k % 2),
                     fixed=True, physics=False, font={"size": 11})
            net.edge(jid, j.report, color="#cccccc", kind="judgement", title="judgement of")
    for rep, rows in slots.items():
        d = docs[rep]
        x, y = pos[rep]
        x0 = x - (columns[rep] - 1) * TL_COL_W / 2
        for k, (what, obj) in enumerate(rows):
            px, py = x0 + (k // TL_ROWS) * TL_COL_W, y + 110 + (k % TL_ROWS) * TL_ROW_H
            if what == "theme":
                t, member_ids = obj
                facet = cg.theme_facets.get(t, "")
                label = cg.theme_labels.get(t, t) if t else "no theme"
                net.node(f"theme:{t}@{rep}", label=_short(label, 30), shape="box",
                         color={"background": FACET_COLOURS.get(facet, FACET_COLOURS[""]),
                                "border": "#444"}, font={"size": 13, "color": "#ffffff"},
                         kind="theme", theme=t, year=d.year, title=f"theme: {label}"
                         + (f" ({facet})" if facet else "") + f"\n{d.file}, {d.date}",
                         info=[["Theme", label], ["Id", t], ["Facet", facet],
                               ["Document", d.file or d.iri]],
                         x=px, y=py, fixed=True, physics=False, _members=member_ids, _doc=rep)
            elif what == "item":
                it = obj
                status = by_finding.get(it.iri) if it.is_finding else latest.get(it.iri)
                if it.is_finding:
                    colour = STATUS_COLOURS.get(status or "",
                                                POLARITY_COLOURS.get(it.polarity, NEUTRAL))
                    shape = "triangle"
                else:
                    colour = KIND_COLOURS.get(it.kind, KIND_COLOURS["Concern"])
                    shape = "dot"
                net.node(it.iri, label=_short(it.text, 30), shape=shape, size=10,
                         color=colour, kind="finding" if it.is_finding else "concern", _doc=rep,
                         year=d.year, themes=it.themes,
                         title=_item_title(it, d, cg.theme_labels, status),
                         info=_item_info(it, d, cg.theme_labels, status),
                         x=px, y=py, fixed=True, physics=False, font={"size": 12})
    _recurrence_edges(net, cg)
    for a, b in cg.follows_up:
        net.edge(a, b, color="#6a51a3", dashes=True, arrows="to", kind="followsUp",
                 title="follows up", width=2, smooth={"type": "curvedCW", "roundness": 0.3})
    return net


def _recurrence_edges(net: _Net, cg: ConcernGraph) -> None:
    for a, b in cg.repeats:
        net.edge(a, b, color="#b2182b", width=3, arrows="to", kind="repeats",
                 title="repeats an earlier concern", smooth={"type": "curvedCW", "roundness": 0.2})
    for s in cg.statuses:
        src = s.finding if s.finding in net.nodes else s.report
        colour = STATUS_COLOURS.get(s.status, NEUTRAL)
        title = f"status at this visit: {s.status.replace('_', ' ')}"
        if s.cue:
            title += f"\ncue: \u201c{s.cue}\u201d"
        net.edge(src, s.concern, color=colour, width=3, arrows="to", dashes=[6, 4],
                 kind="status", title=title, smooth={"type": "curvedCCW", "roundness": 0.2})


def _national(cg: ConcernGraph, *, min_documents: int = 2) -> _Net:
    """Authorities and the themes that recur in them: raised as a concern (recommendation,
    area for improvement ...) in two or more of the authority's documents."""
    net = _Net()
    docs = {d.iri: d for d in cg.documents}
    per: dict[tuple[str, str], set[str]] = defaultdict(set)
    for rep, t in cg.presence:
        d = docs.get(rep)
        if d is not None and d.authority:
            per[(d.authority, t)].add(d.iri)
    names = {d.authority: d.authority_name for d in cg.documents if d.authority}
    ndocs = Counter(d.authority for d in cg.documents if d.authority)
    recurring = {k: v for k, v in per.items() if len(v) >= min_documents}
    theme_auth: Counter[str] = Counter(t for (_, t) in recurring)
    auth_themes: Counter[str] = Counter(a for (a, _) in recurring)
    for a in sorted(names, key=lambda a: names[a]):
        years = sorted(d.year for d in cg.documents if d.authority == a and d.year)
        net.node(a, label=names[a], shape="dot", value=1 + auth_themes[a],
                 color={"background": "#9ecae1", "border": "#08519c"}, kind="authority",
                 years=[years[0], years[-1]] if years else None,
                 title=f"{names[a]}\n{ndocs[a]} documents"
                       + (f", {years[0]}\u2013{years[-1]}" if years else "")
                       + f"\n{auth_themes[a]} recurring themes",
                 info=[["Authority", names[a]], ["Documents", str(ndocs[a])],
                       ["Recurring themes", str(auth_themes[a])]],
                 font={"size": 14})
    for t in sorted(theme_auth):
        facet = cg.theme_facets.get(t, "")
        label = cg.theme_labels.get(t, t)
        net.node(f"theme:{t}", label=label, shape="diamond", value=1 + theme_auth[t],
                 color=FACET_COLOURS.get(facet, FACET_COLOURS[""]), kind="theme", theme=t,
                 title=f"theme: {label}\nrecurs in {theme_auth[t]} authorities",
                 info=[["Theme", label], ["Id", t], ["Facet", facet],
                       ["Recurs in", f"{theme_auth[t]} authorities"]],
                 font={"size": 13})
    for (a, t), reps in sorted(recurring.items(), key=lambda kv: (names.get(kv[0][0], ""), kv[0][1])):
        years = sorted(docs[r].year for r in reps if docs[r].year)
        span = f"{years[0]}\u2013{years[-1]}" if years else ""
        net.edge(a, f"theme:{t}", value=len(reps), kind="recurs", theme=t,
                 years=[years[0], years[-1]] if years else None,
                 color={"color": "#fb6a4a", "opacity": 0.6}, arrows={"to": {"enabled": False}},
                 title=f"{names.get(a, a)} \u00b7 {cg.theme_labels.get(t, t)}: "
                       f"raised in {len(reps)} documents {span}".strip())
    return net


# -- capping -------------------------------------------------------------------------------
def _cap(net: _Net, max_nodes: int) -> None:
    """Drop the least important nodes until at most ``max_nodes`` remain.

    A laid-out timeline (nodes carry ``_doc``) keeps whole documents, the latest first;
    other views drop the least connected findings, then concerns, then the rest.
    """
    if len(net.nodes) <= max_nodes:
        return
    if any("_doc" in a for a in net.nodes.values()):
        _cap_documents(net, max_nodes)
        return
    linked = {e["from"] for e in net.edges if e.get("kind") in ("repeats", "status")} | {
        e["to"] for e in net.edges if e.get("kind") in ("repeats", "status")}
    degree: Counter[str] = Counter()
    for e in net.edges:
        degree[e["from"]] += 1
        degree[e["to"]] += 1
    rank = {"finding": 0, "concern": 1, "judgement": 2, "theme": 3, "authority": 4, "document": 5}

    def importance(item: tuple[str, dict[str, Any]]) -> tuple[int, int, int, int]:
        nid, attrs = item
        return (rank.get(attrs.get("kind", ""), 1), int(nid in linked), attrs.get("year") or 0,
                degree[nid])

    net.capped = max_nodes
    order = sorted(net.nodes.items(), key=importance)
    drop = order[: len(net.nodes) - max_nodes]
    for nid, attrs in drop:
        net.omitted[attrs.get("kind", "node") + "s"] += 1
        del net.nodes[nid]
    before = len(net.edges)
    net.edges = [e for e in net.edges if e["from"] in net.nodes and e["to"] in net.nodes]
    if before - len(net.edges):
        net.omitted["edges"] += before - len(net.edges)
    # a theme that stood for nodes now left out says nothing: drop it too (national:
    # its edges; timeline: the items under its header)
    connected = {e["from"] for e in net.edges} | {e["to"] for e in net.edges}
    for nid in [n for n, a in net.nodes.items() if a.get("kind") == "theme" and (
            not any(m in net.nodes for m in a["_members"]) if "_members" in a
            else n not in connected)]:
        net.omitted["themes"] += 1
        del net.nodes[nid]


def _cap_documents(net: _Net, max_nodes: int) -> None:
    """Keep the latest documents whole (with all they hold) while they fit."""
    net.capped = max_nodes
    net.cap_rule = "the latest documents kept whole, earlier ones left out"
    size: Counter[str] = Counter()
    for nid, a in net.nodes.items():
        size[a.get("_doc", nid) if a.get("kind") != "document" else nid] += 1
    docs = sorted((nid for nid, a in net.nodes.items() if a.get("kind") == "document"),
                  key=lambda n: (net.nodes[n].get("year") or 0, net.nodes[n].get("x") or 0),
                  reverse=True)
    keep: set[str] = set()
    used = 0
    for d in docs:
        if used + size[d] > max_nodes:
            continue
        keep.add(d)
        used += size[d]
    for nid in list(net.nodes):
        a = net.nodes[nid]
        owner = nid if a.get("kind") == "document" else a.get("_doc")
        if owner is not None and owner not in keep:
            net.omitted[_KIND_NAMES.get(a.get("kind", ""), "nodes")] += 1
            del net.nodes[nid]
    before = len(net.edges)
    net.edges = [e for e in net.edges if e["from"] in net.nodes and e["to"] in net.nodes]
    if before - len(net.edges):
        net.omitted["edges"] += before - len(net.edges)


# -- page ------------------------------------------------------------------------------------
def _legend(view: str, net: _Net, cg: ConcernGraph) -> list[dict[str, Any]]:
    kinds = {a.get("kind") for a in net.nodes.values()}
    secs: list[dict[str, Any]] = []
    if view != "national":
        secs.append({"title": "Document (fill: overall grade)", "items": [
            {"label": g.replace("_", " "), "color": c, "shape": "box"}
            for g, c in GRADE_COLOURS.items()] + [
            {"label": "no overall grade", "color": "#e0ecf4", "shape": "box"}]})
    if view == "timeline":
        secs.append({"title": "Concern (colour: kind)", "items": [
            {"label": KIND_LABELS[k], "color": c, "shape": "dot"} for k, c in KIND_COLOURS.items()
            if k != "Concern"]})
    if view in ("trace", "timeline"):
        title = ("Status (concern: latest; finding: the status it gives)" if view == "trace"
                 else "Status (finding that assesses a concern; status edge)")
        secs.append({"title": title, "items": [
            {"label": s.replace("_", " "), "color": c,
             "shape": "dot" if view == "trace" else "triangle"}
            for s, c in STATUS_COLOURS.items()]})
        if "finding" in kinds and view == "trace":
            secs.append({"title": "Finding that assesses no concern (colour: polarity)",
                         "items": [{"label": p, "color": c, "shape": "triangle"}
                                   for p, c in POLARITY_COLOURS.items() if p]})
    if "theme" in kinds:
        secs.append({"title": "Theme (colour: facet)", "items": [
            {"label": f or "other", "color": c, "shape": "box" if view == "timeline" else "diamond"}
            for f, c in FACET_COLOURS.items()
            if f in set(cg.theme_facets.values()) or (not f and "" in cg.theme_facets.values())]})
    edges = {e.get("kind") for e in net.edges}
    items = []
    if "repeats" in edges or view != "national":
        items.append({"label": "repeats an earlier concern", "color": "#b2182b", "shape": "line"})
    if "status" in edges or view != "national":
        items.append({"label": "status given by a later visit (colour: status)",
                      "color": "#555555", "shape": "dashes"})
    if "followsUp" in edges:
        items.append({"label": "visit follows up", "color": "#6a51a3", "shape": "dashes"})
    if view == "national":
        secs.insert(0, {"title": "Authority (size: recurring themes)", "items": [
            {"label": "authority", "color": "#9ecae1", "shape": "dot"}]})
        items.append({"label": "theme raised as a concern in 2+ documents (width: documents)",
                      "color": "#fb6a4a", "shape": "line"})
    secs.append({"title": "Edges", "items": items})
    return secs


_KIND_NAMES = {"document": "documents", "judgement": "judgements", "concern": "concerns",
               "finding": "findings", "theme": "themes", "authority": "authorities"}


def _options(view: str, n: int) -> dict[str, Any]:
    physics = view == "national"
    return {
        "autoResize": True,
        "layout": {"randomSeed": 7, "improvedLayout": n <= 150},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": n > 600,
                        "navigationButtons": False, "keyboard": False},
        "nodes": {"font": {"face": "Arial"}, "borderWidth": 1,
                  "scaling": {"min": 8, "max": 40, "label": {"enabled": view == "national",
                                                             "min": 12, "max": 26}}},
        "edges": {"smooth": {"type": "continuous"} if n <= 600 else False,
                  "scaling": {"min": 1, "max": 10}, "selectionWidth": 2},
        "physics": {
            "enabled": physics,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 90,
                                 "springConstant": 0.06, "avoidOverlap": 0.4},
            "stabilization": {"enabled": physics, "iterations": 400 if n <= 600 else 200,
                              "updateInterval": 50, "fit": True},
        },
    }


def render_view(store: "Store", selection: Selection, *, view: str = "timeline",
                max_nodes: int = 1500) -> Page:
    """Render one view of ``selection`` as a self-contained HTML page.

    Raises:
        ExportError: unknown view, the trace view without a theme, or a rendered page that
            would reference something outside itself (a bug; never written).
        StoreError: the store cannot be read.
    """
    if view not in ("timeline", "trace", "national"):
        raise ExportError(f"unknown view {view!r}")
    if view == "trace" and not selection.theme:
        raise ExportError("the trace view follows one theme: give --theme ID")
    if view == "trace":
        return _trace_grid(store, selection)
    findings = {"timeline": "assessing", "trace": "all", "national": "none"}[view]
    cg = load_concern_graph(store, selection, findings=findings, presence=view == "national")
    net = {"timeline": _timeline, "national": _national}[view](cg)
    _cap(net, max(10, max_nodes))
    max_edges = max(50, max_nodes * MAX_EDGES_PER_NODE)
    if len(net.edges) > max_edges:
        order = {"repeats": 0, "status": 0, "followsUp": 1, "sequence": 1, "raisedIn": 2,
                 "recurs": 2, "judgement": 3, "theme": 4}
        net.edges.sort(key=lambda e: order.get(e.get("kind", ""), 5))
        net.omitted["edges"] += len(net.edges) - max_edges
        net.capped = net.capped or max_nodes
        net.edges = net.edges[:max_edges]
    return _page(net, cg, view)


def _trace_grid(store: "Store", selection: Selection) -> Page:
    """The trace view: the lineage ``trace`` answers, as a grid (concerns of the theme as
    rows -- one per authority when no authority is chosen --, visits as columns, cells
    coloured by status, the deciding quotes on click); ``nodes`` counts the rows and
    ``edges`` the filled cells."""
    from .trace_grid import trace_grid_page

    page, rows, cells = trace_grid_page(store, theme=selection.theme,
                                        authority=selection.authority_name,
                                        since=selection.since)
    _check_self_contained(page)
    return Page(page, rows, cells)


def _title(view: str, cg: ConcernGraph) -> tuple[str, str]:
    sel = cg.selection
    what = {"timeline": "Timeline", "trace": "Concern trace", "national": "National map"}[view]
    if view == "trace" and sel.theme:
        t = theme_id(sel.theme)
        what += f": {cg.theme_labels.get(t, t)}"
    scope = sel.authority_name or ("all authorities" if view != "national" else "England")
    years = sorted(d.year for d in cg.documents if d.year)
    n = len(cg.documents)
    sub = f"{n} document{'' if n == 1 else 's'}"
    if years:
        sub += f", {years[0]}" + (f"\u2013{years[-1]}" if years[-1] != years[0] else "")
    if sel.filtered:
        sub += f" (filter: {describe_filter(sel)})"
    return f"{what} \u2014 {scope}", sub + " \u00b7 ofsted-kg"


def _page(net: _Net, cg: ConcernGraph, view: str) -> Page:
    from pyvis.network import Network

    title, subtitle = _title(view, cg)
    # pyvis writes with the locale's encoding: give it ASCII only (JSON is \u-escaped)
    heading = htmlmod.escape(title).encode("ascii", "xmlcharrefreplace").decode("ascii")
    nt = Network(height="100%", width="100%", directed=True, heading=heading,
                 cdn_resources="remote", bgcolor="#ffffff")
    static = resources.files("ofsted_kg.exports").joinpath("static")
    for i, (nid, attrs) in enumerate(net.nodes.items()):
        attrs = {k: v for k, v in attrs.items() if v is not None and not k.startswith("_")}
        label = attrs.pop("label", nid)
        shape = attrs.pop("shape", "dot")
        color = attrs.pop("color", NEUTRAL)
        nt.add_node(nid, label=label, shape=shape, color=color, **attrs)
    for i, e in enumerate(net.edges):
        attrs = {k: v for k, v in e.items() if k not in ("from", "to") and v is not None}
        nt.add_edge(e["from"], e["to"], id=f"e{i}", **attrs)
    nt.options = _options(view, len(net.nodes))
    kinds = [k for k in _KIND_NAMES if any(a.get("kind") == k for a in net.nodes.values())]
    years = sorted({y for a in net.nodes.values() for y in ([a.get("year")] if a.get("year")
                    else (a.get("years") or [])) if y})
    if years:
        years = list(range(years[0], years[-1] + 1))
    present = {a["theme"] for a in net.nodes.values() if a.get("theme")}
    present |= {t for a in net.nodes.values() for t in a.get("themes") or ()}
    themes = sorted(({"id": t, "label": cg.theme_labels.get(t, t)} for t in present),
                    key=lambda x: x["label"].lower())
    omitted = dict(net.omitted)
    msg = ""
    if omitted:
        parts = ", ".join(f"{v} {k}" for k, v in sorted(omitted.items()))
        msg = f"Not drawn: {parts}."
        if net.capped:
            msg += (f" The graph was capped at {net.capped} nodes to keep the page responsive "
                    f"({net.cap_rule}); narrow it with --authority, --theme or --since to "
                    f"see everything.")
        if "findings that assess no concern" in omitted:
            msg += " A theme's findings are all drawn in the trace view (--view trace --theme ID)."
    meta = {
        "title": title, "subtitle": subtitle, "view": view, "legend": _legend(view, net, cg),
        "themes": themes, "years": years,
        "kinds": [{"id": k, "label": _KIND_NAMES[k]} for k in kinds],
        "omitted": omitted, "omitted_message": msg,
        "counts": {"nodes": len(net.nodes), "edges": len(net.edges),
                   "documents": len(cg.documents)},
        "empty_message": ("No theme is raised in two or more documents of one authority "
                          "in this selection." if view == "national" else
                          "Nothing to show for this selection."),
    }
    with tempfile.TemporaryDirectory(prefix="okg-html-") as tmp:
        with resources.as_file(static) as static_dir:
            nt.set_template_dir(str(static_dir) + "/", "view.html")
            path = Path(tmp) / "view.html"
            nt.write_html(str(path), notebook=False)
        raw = path.read_text(encoding="utf-8")
    vis_js = static.joinpath("vis-network.min.js").read_text(encoding="utf-8")
    page = raw.replace(_META_MARK, safe_json(meta), 1)
    _check_self_contained(page)  # vis-network itself is vetted when vendored
    page = page.replace(_VIS_MARK, vis_js, 1)
    return Page(page, len(net.nodes), len(net.edges), omitted)


_EXTERNAL = re.compile(
    r"""<(?:script|img|iframe|link|source|video|audio|embed|object)\b[^>]*\b(?:src|href|data)\s*=|"""
    r"""@import|url\(\s*(?!['"]?data:)""", re.IGNORECASE)


def _check_self_contained(page: str) -> None:
    """Refuse a page that would load anything from outside itself."""
    m = _EXTERNAL.search(page)
    if m:
        raise ExportError(f"rendered page references an external resource near "
                          f"{page[max(0, m.start() - 40):m.end() + 40]!r}")
    if page.lower().count("</script") != page.lower().count("<script"):
        raise ExportError("rendered page has unbalanced script elements")
