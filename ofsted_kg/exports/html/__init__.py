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
and every JSON blob has ``<``, ``>``, ``&`` and ``'`` escaped as ``\u003c`` etc.

The package: :mod:`.blocks` (colours, node titles, the network under construction),
:mod:`.views` (the timeline and national networks, capping), :mod:`.page` (rendering,
self-containment, :func:`render_view`).
"""

from __future__ import annotations

from .blocks import GRADE_COLOURS, STATUS_COLOURS, Page, safe_json
from .page import render_view

__all__ = ["GRADE_COLOURS", "STATUS_COLOURS", "Page", "render_view", "safe_json"]
