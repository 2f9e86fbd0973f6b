"""The researcher's question: every mention of a concern, in date order, and a verdict."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import QueryError
from . import get_query, run_query

if TYPE_CHECKING:
    from ..store import Store

__all__ = ["TraceResult", "trace"]


@dataclass(slots=True)
class TraceResult:
    """The chain of mentions and a one-line verdict."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    verdict: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"verdict": self.verdict, "rows": self.rows}


def trace(store: "Store", text: str | None = None, *, theme: str | None = None,
          authority: str | None = None, since: int | None = None) -> TraceResult:
    """Every concern and finding matching ``text`` or ``theme`` (for one authority, or all).

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
    rows = [r for r in res.rows if not since or str(r.get("date", ""))[:4] >= str(since)]
    return TraceResult(rows=rows, verdict=verdict(rows))


def verdict(rows: list[dict[str, Any]]) -> str:
    """One line: when first raised, whether still reported at the last document, how many."""
    if not rows:
        return "no mention found"
    docs = {r.get("report") for r in rows}
    years = sorted(str(r.get("date", ""))[:4] for r in rows if r.get("date"))
    first, last = (years[0], years[-1]) if years else ("?", "?")
    last_rows = [r for r in rows if str(r.get("date", ""))[:4] == last]
    still = any(r.get("status") in ("persisting", "weakness", "mixed", "repeated", "raised")
                for r in last_rows)
    improving = any(r.get("status") in ("improving",) for r in last_rows)
    resolved = any(r.get("status") in ("resolved", "strength") for r in last_rows)
    if first == last:
        tail = "raised once"
    elif still:
        tail = f"still reported {last}"
    elif improving:
        tail = f"improving by {last}"
    elif resolved:
        tail = f"reported resolved {last}"
    else:
        tail = f"last mentioned {last}"
    n = len(docs)
    return f"raised {first}; {tail}; {n} document{'s' if n != 1 else ''}"
