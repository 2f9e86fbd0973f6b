"""The trace view readable at a glance: concerns as rows, visits as columns.

Each cell is one document's status for one concern (raised, repeated/persisting,
improving, resolved, not reviewed), coloured by status; clicking it shows the quotes that
decided it (kind, page, status, the deciding words, confidence).  The rows are the
lineages of :func:`ofsted_kg.queries.trace.trace`: for words, the one concern they name;
for a theme, each of the authority's concern items on that theme (the first of a chain
stands for it; an item already in an earlier row's chain adds no row).  Across
authorities (no authority given), one row per authority, the columns the years.  Both
``trace --format html`` and ``export html --view trace`` draw it.

One self-contained page: inline style and script, no request of any kind (a
Content-Security-Policy forbids them), report text only as JSON data put on the page with
``textContent``.
"""

from __future__ import annotations

import html as htmlmod
from typing import TYPE_CHECKING, Any

from ..errors import QueryError
from .html import STATUS_COLOURS, safe_json

if TYPE_CHECKING:
    from ..store import Store

__all__ = ["MAX_ROWS", "render_grid", "trace_grid", "trace_grid_page"]

#: at most this many concerns (rows) on one page
MAX_ROWS = 40
_COLOURS = {**STATUS_COLOURS, "repeated": STATUS_COLOURS["persisting"]}


def trace_grid(store: Store, text: str | None = None, *, theme: str | None = None,
               authority: str | None = None, since: int | None = None) -> str:
    """The grid page of ``text`` (one row) or of each concern on ``theme`` (one row each)
    for one authority; without ``authority``, one row per authority where the words or
    the theme have a chain, visits grouped by year in the columns.

    Raises:
        QueryError: neither text nor theme, or an unknown authority or theme.
    """
    return trace_grid_page(store, text, theme=theme, authority=authority, since=since)[0]


def trace_grid_page(store: Store, text: str | None = None, *, theme: str | None = None,
                    authority: str | None = None, since: int | None = None
                    ) -> tuple[str, int, int]:
    """:func:`trace_grid` with the number of rows (concerns) and filled cells drawn."""
    title, columns, rows = (_one_authority if authority else _across)(
        store, text, theme, authority, since)
    cells = sum(len(res.steps) for _, res in rows) if authority else sum(
        len({s["date"][:4] for s in res.steps}) for _, res in rows)
    return render_grid(title, columns, rows, by_year=not authority), len(rows), cells


def _one_authority(store: Store, text: str | None, theme: str | None, authority: str | None,
                   since: int | None) -> tuple[str, list[dict[str, Any]], list[tuple[str, Any]]]:
    from ..queries.trace import trace

    if text and text.strip():
        res = trace(store, text, theme=theme, authority=authority, since=since)
        rows = [(text, res)] if res.steps else []
        title = f"Trace: {text}"
    elif theme:
        first = trace(store, theme=theme, authority=authority, since=since, all_mentions=True)
        concerns = [r for r in first.rows if r["kind"] != "Finding"]
        seen: set[str] = set()
        rows = []
        for c in sorted(concerns, key=lambda r: (r["date"], r["page"])):
            if c["item"] in seen or len(rows) >= MAX_ROWS:
                continue
            res = trace(store, c["text"], authority=authority, since=since)
            if not res.steps:
                continue
            seen |= {r["item"] for r in res.rows}
            seen.add(c["item"])
            rows.append((c["text"], res))
        title = f"Trace: theme {_theme_label(store, theme)}"
    else:
        raise QueryError("give words to trace or --theme ID")
    docs: dict[str, dict[str, Any]] = {}
    for _, res in rows:
        for s in res.steps:
            docs.setdefault(s["report"], {"report": s["report"], "date": s["date"],
                                          "document": s["document"]})
    columns = sorted(docs.values(), key=lambda d: (d["date"], d["report"]))
    name = next((s["authorityName"] for _, r in rows for s in r.steps), authority)
    return f"{title} \u2014 {name}", columns, rows


def _across(store: Store, text: str | None, theme: str | None, authority: str | None,
            since: int | None) -> tuple[str, list[dict[str, Any]], list[tuple[str, Any]]]:
    """One row per authority: the lineage of the words (or of the theme) there."""
    from ..queries.trace import TraceResult, trace

    if not (text and text.strip()) and not theme:
        raise QueryError("give words to trace or --theme ID")
    res = trace(store, text, theme=theme, since=since)
    per: dict[str, TraceResult] = {}
    renumber: dict[int, tuple[str, int]] = {}
    for n, s in enumerate(res.steps):
        r = per.setdefault(s["authorityName"], TraceResult(verdict=res.by_authority.get(
            s["authorityName"], "")))
        renumber[n] = (s["authorityName"], len(r.steps))
        r.steps.append(s)
    for row in res.rows:
        if row["step"] in renumber:
            name, k = renumber[row["step"]]
            per[name].rows.append({**row, "step": k})
    rows = sorted(per.items(), key=lambda x: x[0].casefold())[:MAX_ROWS]
    years = sorted({s["date"][:4] for _, r in rows for s in r.steps})
    columns = [{"report": y, "date": y, "document": ""} for y in years]
    what = f"theme {_theme_label(store, theme)}" if not (text and text.strip()) else text
    return f"Trace: {what} \u2014 all authorities", columns, rows


def _theme_label(store: Store, theme: str | None) -> str:
    from ..queries import resolve_theme

    t = resolve_theme(store, theme or "")
    rows = store.select("SELECT ?t ?l WHERE { ?t skos:prefLabel ?l }", bindings={"t": t})
    return str(rows[0]["l"]) if rows else t.value.rsplit("/", 1)[-1]


def render_grid(title: str, columns: list[dict[str, Any]],
                rows: list[tuple[str, Any]], *, by_year: bool = False) -> str:
    """The page for given columns (documents, or years with ``by_year``: a year's
    documents share a cell, the last one's status shown) and rows (label, TraceResult)."""
    data = {"title": title, "columns": columns, "colours": _COLOURS, "rows": [],
            "byYear": by_year}
    for label, res in rows:
        cells: dict[str, Any] = {}
        for n, s in enumerate(res.steps):
            quotes = [{k: r[k] for k in ("kindLabel", "page", "status", "cue", "score",
                                         "quote")} | {"document": s["document"]}
                      for r in res.rows if r["step"] == n]
            key = s["date"][:4] if by_year else s["report"]
            if key in cells:  # a later document of the same year
                quotes = cells[key]["quotes"] + quotes
                document = cells[key]["document"] + "; " + s["document"]
            else:
                document = s["document"]
            cells[key] = {"status": s["label"], "date": s["date"], "document": document,
                          "quotes": quotes}
        data["rows"].append({"label": label, "verdict": res.verdict, "cells": cells})
    return _PAGE.replace("@TITLE@", htmlmod.escape(title)).replace("@DATA@", safe_json(data))


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>@TITLE@</title>
<style>
body{font-family:Arial,sans-serif;margin:16px;color:#222}
table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:4px 6px;font-size:13px}
th{background:#f4f4f4;font-weight:normal;max-width:130px}
td.label{max-width:360px}td.cell{width:96px;text-align:center;cursor:pointer;color:#fff}
td.empty{background:#fafafa}#detail{margin-top:14px;max-width:900px}
.verdict{color:#555;font-size:12px}.quote{margin:6px 0 10px 12px}
.legend span{display:inline-block;padding:2px 8px;margin-right:6px;color:#fff;font-size:12px}
</style></head><body>
<h2 id="title"></h2><div class="legend" id="legend"></div><p></p>
<table id="grid"></table><div id="detail"></div>
<script>
const D = @DATA@;
function el(tag, text, cls) { const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; }
document.getElementById('title').textContent = D.title;
const legend = document.getElementById('legend');
for (const [k, c] of Object.entries(D.colours)) { const s = el('span', k.replace('_', ' '));
  s.style.background = c; legend.appendChild(s); }
const grid = document.getElementById('grid'), detail = document.getElementById('detail');
const head = el('tr'); head.appendChild(el('th', 'concern'));
for (const c of D.columns) head.appendChild(el('th', c.date + ' ' + c.document));
grid.appendChild(head);
function show(row, cell) {
  detail.replaceChildren(el('h3', row.label), el('p', cell.date + ' ' + cell.document + ': ' + cell.status));
  if (!cell.quotes.length) detail.appendChild(el('p', 'Follows up the chain; says nothing about it.'));
  for (const q of cell.quotes) {
    detail.appendChild(el('div', (D.byYear ? q.document + ', ' : '') + q.kindLabel + ', p.' + q.page + ' [' + q.status + '] decided by \\u201c'
      + q.cue + '\\u201d (confidence ' + q.score.toFixed(2) + ')'));
    detail.appendChild(el('div', '\\u201c' + q.quote + '\\u201d', 'quote'));
  }
}
for (const row of D.rows) {
  const tr = el('tr'), lab = el('td', undefined, 'label');
  lab.appendChild(el('div', row.label)); lab.appendChild(el('div', row.verdict, 'verdict'));
  tr.appendChild(lab);
  for (const c of D.columns) {
    const cell = row.cells[c.report];
    if (!cell) { tr.appendChild(el('td', '', 'empty')); continue; }
    const td = el('td', cell.status, 'cell');
    td.style.background = D.colours[cell.status.replace(' ', '_')] || '#969696';
    td.title = 'click for the quotes';
    td.addEventListener('click', () => show(row, cell));
    tr.appendChild(td);
  }
  grid.appendChild(tr);
}
if (!D.rows.length) detail.textContent = 'No mention found.';
</script></body></html>
"""
