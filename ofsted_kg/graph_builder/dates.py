"""Text helpers and dates as reports print them ("11 April to 5 May 2016",
"29 and 30 September, and 1 October 2020", a day list without a year)."""

from __future__ import annotations

import re
from datetime import date

from .normalise import fold

# ---------------------------------------------------------------------------- text helpers

# One-to-one character replacements (offsets unchanged) so regexes see plain ASCII
# punctuation.  Chained str.replace is much faster than str.translate on long texts.
_FLAT_PAIRS = (
    ("\u2018", "'"), ("\u2019", "'"), ("\u201b", "'"), ("\u2032", "'"), ("\u201c", '"'), ("\u201d", '"'),
    ("\u2010", "-"), ("\u2011", "-"), ("\u2012", "-"), ("\u2013", "-"), ("\u2014", "-"), ("\u2212", "-"),
    ("\u2500", "-"), ("\u00a0", " "), ("\u2009", " "), ("\u202f", " "), ("\t", " "),
)


def _flat(text: str) -> str:
    if text.isascii():
        return text.replace("\t", " ")
    for a, b in _FLAT_PAIRS:
        if a in text:
            text = text.replace(a, b)
    return text


def _ws(text: str) -> str:
    return " ".join(text.split())


_MONTH_NUM = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_M = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
      r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_D = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
_DATE = re.compile(rf"\b({_D})\s+({_M})\s+((?:19|20)\d\d)\b", re.I)
# "11 April to 5 May 2016", "11 to 15 September 2023", "31 January and 1 February 2024",
# "18 Feb 2014 - 12 March 2014", "6 March 2017-30 March 2017"
_RANGE = re.compile(
    rf"\b({_D})(?:\s+({_M}))?(?:\s+((?:19|20)\d\d))?(?:\s*,\s*{_D}(?:\s+{_M})?)*\s*(?:to|and|until|till|-|[^\w\s,.;:])\s*"
    rf"({_D})\s+({_M})\s+((?:19|20)\d\d)\b",
    re.I,
)
_MONTH_YEAR = re.compile(rf"\b({_M})\s+((?:19|20)\d\d)\b", re.I)


def _month(word: str) -> int:
    return _MONTH_NUM[word.lower()[:3]]


def _iso(d: str, m: str, y: str) -> str | None:
    try:
        return date(int(y), _month(m), int(re.sub(r"\D", "", d))).isoformat()
    except (ValueError, KeyError):
        return None


def parse_date(text: str) -> str | None:
    """The first full date ("5 May 2016", "18 Feb 2014") in ``text`` as ISO, or None."""
    m = _DATE.search(_flat(text))
    return _iso(*m.groups()) if m else None


def parse_date_range(text: str) -> tuple[str | None, str | None]:
    """``(start, end)`` ISO dates of the first date range in ``text``.

    A single date gives ``(d, d)``; nothing gives ``(None, None)``.
    """
    flat = _flat(text)
    m = _RANGE.search(flat)
    single = _DATE.search(flat)
    if m and (single is None or m.start() <= single.start()):
        d1, m1, y1, d2, m2, y2 = m.groups()
        end = _iso(d2, m2, y2)
        start = _iso(d1, m1 or m2, y1 or y2)
        if start and end and start > end and not y1:  # "29 December to 9 January 2015"
            start = _iso(d1, m1 or m2, str(int(y2) - 1))
        return start, end
    if single:
        d = _iso(*single.groups())
        return d, d
    return None, None



# ---------------------------------------------------------------------------- grades, areas

_GRADE_RE = (r"requires\s+improvement(?:\s+to\s+be\s+good)?|require\s+improvement(?:\s+to\s+be\s+good)?|"
             r"outstanding|good|inadequate|adequate")


# every grade grade_of reads holds one of these words (lower-cased)
GRADE_WORDS = ("improvement", "outstanding", "good", "adequate")


def grade_of(text: str) -> str | None:
    """Normalise a grade as written ("Requires improvement to be good") or None."""
    if len(text) > 60:
        return None
    t = " ".join(text.lower().split()).strip(" .:")
    if not t or t[0] not in "rogia":
        return None
    if re.fullmatch(r"requires? improvement(?: to be good)?", t):
        return "requires_improvement"
    if t in ("outstanding", "good", "inadequate", "adequate"):
        return t
    return None


def area_of(label: str) -> str:
    """Map a judgement label as written to its area id (snake_case fallback)."""
    t = fold(label)
    if "overall" in t:
        return "overall_effectiveness"
    if "safeguarding children board" in t or "lscb" in t:
        return "lscb"
    if ("impact of leaders" in t or "leaders'" in t or "leadership and management" in t
            or re.search(r"\bleader(?:s|ship)?\b", t)) and "governance" not in t:
        return "impact_of_leaders"
    if "leadership, management and governance" in t or ("leadership" in t and "governance" in t):
        return "leadership_management_governance"
    if "adoption" in t:
        return "adoption"
    if re.search(r"children (?:in care|looked after)[a-z ,]* and care leavers", t):
        return "children_in_care"  # ILACS to 2023 judged both together
    if "care leavers" in t:
        return "care_leavers"
    if "help and protection" in t:
        return "help_and_protection"
    if "in care" in t or "looked after" in t or "permanence" in t:
        return "children_in_care"
    snake = re.sub(r"[^a-z0-9]+", "_", t).strip("_")
    return snake[:60] or "other"




_DAY_TOKEN = re.compile(rf"(?i)\b([0-3]?\d)(?:st|nd|rd|th)?\b(?:\s+({_M}))?(?:,?\s+((?:19|20)\d\d))?")
_DAY_LIST = re.compile(rf"(?i)^(?:\s|,|and\b|to\b|until\b|till\b|-|[0-3]?\d(?:st|nd|rd|th)?\b|{_M}\b|(?:19|20)\d\d\b)+")


def parse_day_list(text: str, *, letter_date: str | None = None) -> tuple[str | None, str | None]:
    """First and last day of a list of days at the start of ``text``, as letters print
    them: "13 and 14 February 2024", "29 and 30 September, and 1 October 2020",
    "25 to 26 October 2023", "20 and 22 October" (no year: the year of ``letter_date``, or
    the year before when that would put the visit after the letter), "29 December to 9
    January 2015" (the year turns).  ``(None, None)`` when no day has a month."""
    m = _DAY_LIST.match(_flat(text))
    if not m:
        return None, None
    toks = [(int(t.group(1)), t.group(2), t.group(3)) for t in _DAY_TOKEN.finditer(m.group(0))]
    toks = [t for t in toks if 1 <= t[0] <= 31]
    if not toks or not any(t[1] for t in toks):
        return None, None
    # a day without a month takes the next month printed; without a year, the next year
    months: list[str | None] = []
    nxt: str | None = None
    for _, mo, _ in reversed(toks):
        nxt = mo or nxt
        months.insert(0, nxt)
    years: list[str | None] = []
    nyr: str | None = None
    for _, _, yr in reversed(toks):
        nyr = yr or nyr
        years.insert(0, nyr)
    if months[-1] is None:
        return None, None
    guessed = years[-1] is None
    if guessed:
        if not letter_date:
            return None, None
        years = [letter_date[:4]] * len(toks)
    days = []
    for (d, _, _), mo, yr in zip(toks, months, years):
        iso = _iso(str(d), mo or "", yr or "")
        if iso is None:
            return None, None
        days.append(iso)
    start, end = days[0], days[-1]
    if start > end:  # "29 December to 9 January 2015"
        start = _iso(str(toks[0][0]), months[0] or "", str(int(start[:4]) - 1)) or start
    if guessed and letter_date and end > letter_date:
        start = f"{int(start[:4]) - 1}{start[4:]}"
        end = f"{int(end[:4]) - 1}{end[4:]}"
    return start, end
