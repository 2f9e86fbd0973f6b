"""The page: legend, vis-network options, the pyvis rendering made into one self-contained offline file, and :func:`render_view`."""

from __future__ import annotations

import html as htmlmod
import re
import tempfile
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..concern_graph import load_concern_graph
from ..model import (
    KIND_LABELS,
    ConcernGraph,
    ExportError,
    Selection,
    describe_filter,
    theme_id,
)

if TYPE_CHECKING:
    from ...store import Store

from .blocks import (
    _KIND_NAMES,
    _META_MARK,
    _VIS_MARK,
    FACET_COLOURS,
    GRADE_COLOURS,
    KIND_COLOURS,
    MAX_EDGES_PER_NODE,
    NEUTRAL,
    POLARITY_COLOURS,
    STATUS_COLOURS,
    Page,
    _Net,
    safe_json,
)
from .views import _cap, _national, _timeline


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


def render_view(store: Store, selection: Selection, *, view: str = "timeline",
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


def _trace_grid(store: Store, selection: Selection) -> Page:
    """The trace view: the lineage ``trace`` answers, as a grid (concerns of the theme as
    rows -- one per authority when no authority is chosen --, visits as columns, cells
    coloured by status, the deciding quotes on click); ``nodes`` counts the rows and
    ``edges`` the filled cells."""
    from ..trace_grid import trace_grid_page

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
