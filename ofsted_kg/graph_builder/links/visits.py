"""Which full inspection a visit follows up: the one its letter dates, else the latest."""

from __future__ import annotations

import re

from .read import _MONTHS, _Doc

_MONTH_YEAR = re.compile(r"\b(January|February|March|April|May|June|July|August|September|"
                         r"October|November|December)\s+(\d{4})\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(19|20)(\d{2})\b")


def _evidence_month(text: str) -> tuple[int, int] | None:
    m = _MONTH_YEAR.search(text)
    if m:
        return int(m.group(2)), _MONTHS[m.group(1).lower()]
    y = _YEAR.search(text)
    if y:
        return int(y.group(1) + y.group(2)), 0
    return None


def _months(iso: str) -> int | None:
    if len(iso) >= 7 and iso[:4].isdigit() and iso[5:7].isdigit():
        return int(iso[:4]) * 12 + int(iso[5:7])
    return None


def _follows_up(doc: _Doc, fulls: list[_Doc], dates: dict[str, list[str]]
                ) -> tuple[_Doc | None, tuple[int, int] | None, str]:
    """The full inspection a visit follows up, the referenced month if none, how decided."""
    before = [f for f in fulls if f.visit != doc.visit and f.date and doc.date
              and f.date < doc.date]
    ref = _evidence_month(doc.evidence) if doc.evidence else None
    if ref is not None:
        y, mo = ref
        best, best_gap = None, 10**6
        for f in before:
            for d in dates.get(f.visit, [f.date]):
                ms = _months(d)
                if ms is None:
                    continue
                gap = abs(ms - (y * 12 + mo)) if mo else (0 if int(d[:4]) == y else 12)
                if gap < best_gap:
                    best, best_gap = f, gap
        if best is not None and best_gap <= 4:
            return best, None, doc.evidence
        if ref is not None and (mo or best is None):
            return None, ref, doc.evidence
    if before:
        last = before[-1]
        return last, None, f"(inferred) the latest full inspection before this visit, {last.date}"
    return None, None, ""
