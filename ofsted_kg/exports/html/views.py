"""The views' networks: ``timeline`` (an authority's documents, concerns and findings by theme) and ``national`` (authorities and their recurring themes), and capping them to a node budget."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from ..model import (
    ConcernGraph,
    Item,
)
from .blocks import (
    _KIND_NAMES,
    FACET_COLOURS,
    GRADE_COLOURS,
    KIND_COLOURS,
    NEUTRAL,
    POLARITY_COLOURS,
    STATUS_COLOURS,
    _add_documents,
    _item_info,
    _item_title,
    _lanes,
    _latest_status,
    _Net,
    _overall_grades,
    _short,
)

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
