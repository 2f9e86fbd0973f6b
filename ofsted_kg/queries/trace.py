"""The researcher's question: every mention of a concern, in date order, and a verdict.

:func:`trace` runs the named query ``concern-persistence`` (items of an authority on a theme
or words, with the status the links graph gives each) and turns it into a chain: one row
per mention -- date, document, kind, status, quote, page -- with a second copy of the same
report (``prov:alternateOf``) left out, and a one-line verdict such as
``raised 2016; still reported 2024; 3 documents``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import QueryError
from . import get_query, run_query

if TYPE_CHECKING:
    from ..store import Store

__all__ = ["TraceResult", "trace", "verdict", "OPEN_STATUSES"]

#: statuses that mean the concern was still there at that document
OPEN_STATUSES = ("persisting", "weakness", "repeated", "raised")

_DOC_LABELS = {
    "full_inspection": "full inspection",
    "monitoring_visit": "monitoring visit",
    "focused_visit": "focused visit",
    "joint_targeted_area_inspection": "JTAI",
    "commissioner_report": "commissioner's report",
}
_KIND_LABELS = {
    "Recommendation": "recommendation",
    "AreaForImprovement": "area for improvement",
    "AreaOfConcern": "area of concern",
    "AreaForPriorityAction": "area for priority action",
    "Finding": "finding",
}


@dataclass(slots=True)
class TraceResult:
    """The chain of mentions and a one-line verdict."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    verdict: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"verdict": self.verdict, "rows": self.rows}

    def to_text(self) -> str:
        """Plain-text rendering: the verdict, then one block per mention."""
        lines = [self.verdict, ""]
        for r in self.rows:
            lines.append(f"{str(r.get('date', ''))[:10]}  {r.get('authorityName', '')}  "
                         f"{r.get('document', '')}  {r.get('kindLabel', '')}  "
                         f"[{r.get('status', '')}]  p.{r.get('page', '')}")
            lines.append(f"    \"{r.get('quote', '')}\"")
        return "\n".join(lines) + "\n"


def trace(store: "Store", text: str | None = None, *, theme: str | None = None,
          authority: str | None = None, since: int | None = None) -> TraceResult:
    """Every concern and finding matching ``text`` or ``theme`` (for one authority, or all).

    Rows are in date order; each has ``date``, ``authorityName``, ``documentType``,
    ``document`` (kind of document and file), ``kind``, ``kindLabel``, ``status``,
    ``text``/``quote``, ``page``, ``file``, ``report`` and ``item``.  ``since`` keeps
    mentions from that year on.  Two files of the same report count once.

    Raises:
        QueryError: neither text nor theme given, or an unknown authority/theme.
    """
    if not text and not theme:
        raise QueryError("give words to trace or --theme ID")
    params: dict[str, str] = {}
    if text:
        params["words"] = text
    if theme:
        params["theme"] = theme
    if authority:
        params["authority"] = authority
    res = run_query(store, get_query("concern-persistence"), params, check_required=False)
    alternates = {str(r["r"]) for r in store.select(
        "SELECT DISTINCT ?r WHERE { ?r <http://www.w3.org/ns/prov#alternateOf> ?c }")}
    rows: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for r in res.rows:
        if str(r.get("report", "")) in alternates:
            continue
        if since and str(r.get("date", ""))[:4] < str(since):
            continue
        key = (str(r.get("item", "")), str(r.get("report", "")))
        if key in seen:
            continue
        seen.add(key)
        row = dict(r)
        row["quote"] = r.get("text", "")
        row["kindLabel"] = _KIND_LABELS.get(str(r.get("kind", "")), str(r.get("kind", "")))
        doc = _DOC_LABELS.get(str(r.get("documentType", "")), str(r.get("documentType", "")))
        row["document"] = f"{doc} ({r['file']})" if r.get("file") else doc
        rows.append(row)
    rows.sort(key=lambda r: (str(r.get("date", "")), str(r.get("report", "")),
                             r.get("kind") == "Finding", int(r.get("page") or 0)))
    return TraceResult(rows=rows, verdict=verdict(rows))


def verdict(rows: list[dict[str, Any]]) -> str:
    """One line: when first raised, whether still reported at the last document, how many.

    ``raised 2016; still reported 2024; 3 documents`` -- "still reported" when the last
    document's mentions include a persisting, repeated or newly raised concern or a
    weakness; "improving by" / "reported resolved" when they only say so.
    """
    if not rows:
        return "no mention found"
    docs = {r.get("report") for r in rows}
    dated = [r for r in rows if r.get("date")]
    years = sorted(str(r["date"])[:4] for r in dated)
    first, last = (years[0], years[-1]) if years else ("?", "?")
    last_rows = [r for r in dated if str(r["date"])[:4] == last] or rows
    statuses = {str(r.get("status", "")) for r in last_rows}
    n = len(docs)
    plural = f"{n} document{'s' if n != 1 else ''}"
    if first == last:
        return f"raised {first}; {plural}"
    if statuses & set(OPEN_STATUSES):
        tail = f"still reported {last}"
    elif "improving" in statuses or "mixed" in statuses:
        tail = f"improving by {last}"
    elif statuses & {"resolved", "strength"}:
        tail = f"reported resolved {last}"
    else:
        tail = f"last mentioned {last}"
    return f"raised {first}; {tail}; {plural}"
