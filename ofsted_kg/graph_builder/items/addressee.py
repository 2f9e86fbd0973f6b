"""To whom a concern is addressed: the council, the LSCB (or safeguarding partnership), or
the council together with its partners.

Read from the report's structure first: recommendations listed in the part of a SIF report
that reviews the Local Safeguarding Children Board (from its section heading on, e.g.
"The Local Safeguarding Children Board (LSCB)", "Section 2: The effectiveness of the Local
Safeguarding Children Board"), in a stand-alone review of the board, or under a heading that
names the board ("What does the LSCB need to improve?") are the board's.  Otherwise the item
is the council's, unless its own words make partner agencies its subject ("The attendance of
partners at child protection conferences", "health and police partners' contribution ...",
"the multi-agency response to ..."): then it is ``partners``.
"""

from __future__ import annotations

import re

from ..normalise import fold_case
from .lines import _ENDS_WITH_PAGE, _TERMINAL, _Line
from .lists import ADVICE_VERBS

ADDRESSEES = ("council", "lscb", "partners")

_BOARD = r"(?:local safeguarding children(?:'s)? board|lscb|safeguarding children(?:'s)? (?:board|partnership)|" \
         r"(?:local |multi-agency )?safeguarding (?:partnership|partners|arrangements))"
_BOARD_HEAD = re.compile(
    rf"^(?:section \d+\s*[:.-]?\s*)?(?:inspection findings\s*[-:]\s*)?(?:review of )?(?:the )?"
    rf"(?:effectiveness of (?:the )?)?(?:[a-z' ]{{0,30}})?{_BOARD}(?: \([a-z]+\))?"
    rf"(?: (?:is|requires improvement|requires|is good|is inadequate|is outstanding)\b.*)?$",
    re.I,
)
_NAMES_BOARD = re.compile(rf"\b{_BOARD}\b", re.I)
_PARTNERS = re.compile(
    r"^(?:the )?(?:(?:[a-z]+ )?(?:of|and|in) (?:the )?)?(?:multi|inter)-agency\b|"
    r"\b(?:partners?|partner agenc(?:y|ies)|partnership(?:s)?|police|"
    r"health (?:partners|services|colleagues|professionals|visitors)|schools)\b",
    re.I,
)
# the council's own practice, even when partners are mentioned in passing
_COUNCIL_SUBJECT = re.compile(r"^(?:the )?(?:local authority|council|social workers?|managers|leaders)\b", re.I)
# an imperative recommendation ("Ensure that ...") is the inspectorate's advice to the
# council; it is the partners' only when it is about arrangements between agencies
_IMPERATIVE = re.compile(rf"^(?:{ADVICE_VERBS})\b", re.I)
_BETWEEN_AGENCIES = re.compile(
    r"\bbetween\b[^.]{0,160}\b(?:boards?|partnerships?|agencies|partners|services)\b|"
    r"\b(?:together with|jointly with|with) (?:its |their |all )?(?:partners|partner agencies)\b|\bjointly\b",
    re.I,
)


def _names_board(text: str) -> bool:
    """``_NAMES_BOARD.search(text)`` finds the board's name.  Every name of ``_BOARD`` holds
    "safeguarding" or "lscb", so the regex (which begins with ``\\b``, no literal: it is
    tried at every character) runs only when ``fold_case(text)`` holds one of them (which
    it does wherever the case-insensitive regex finds either): most lines hold neither."""
    folded = fold_case(text)
    return ("safeguarding" in folded or "lscb" in folded) and _NAMES_BOARD.search(text) is not None


def _fold(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").replace("\u2013", "-").split())


def board_start(lines: list[_Line], *, title: str | None = None) -> int | None:
    """Index of the first line of the board's part of the report (None: no such part).

    A stand-alone review of the board (its title names the board and nothing else) is the
    board's from its first line.  Page 1 is skipped otherwise: it holds the combined
    report's title ("... and Review of the effectiveness of the Local Safeguarding Children
    Board") and contents lines end with a page number.
    """
    if title is None:  # the title lines of page 1
        first = [_fold(ln.text) for ln in lines[:12] if ln.page == 1 and not ln.blank]
        if not any(re.search(r"(?i)\binspection of\b|children'?s services|children in need|looked after", t)
                   for t in first):
            joined = " ".join(first)
            m = re.search(rf"(?i)\breview of the effectiveness of the {_BOARD}", joined)
            title = m.group(0) if m else None
    if title and re.match(rf"(?i)^review of the effectiveness of the {_BOARD}", _fold(title)):
        return 0
    n = len(lines)
    for i, ln in enumerate(lines):
        # (folding keeps the first character: most lines, not capitalised, are not folded)
        if ln.page == 1 or ln.blank or not ln.text.lstrip()[:1].isupper():
            continue
        t = _fold(ln.text)
        if len(t) > 110 or _TERMINAL.search(t) or _ENDS_WITH_PAGE.search(t):
            continue
        if i > 0 and not lines[i - 1].blank and lines[i - 1].page == ln.page:
            prev = lines[i - 1].text.strip()
            if prev and not _TERMINAL.search(prev) and len(prev) > 60:
                continue  # inside running text
        cand = [t]
        if i + 1 < n and not lines[i + 1].blank and len(t) < 80:
            nxt = _fold(lines[i + 1].text)
            if not _ENDS_WITH_PAGE.search(nxt):
                cand.append(t + " " + nxt)
        # (the board's name first: it is cheaper to look for, and most lines lack it)
        if any(_names_board(c) and _BOARD_HEAD.match(c) for c in cand):
            return i
    return None


def addressee_of(text: str, *, section: str, in_board: bool) -> str:
    """``council``, ``lscb`` or ``partners`` for one item (see the module docstring)."""
    if in_board or _names_board(section or ""):
        return "lscb"
    t = _fold(text)
    if _IMPERATIVE.match(t):
        return "partners" if _BETWEEN_AGENCIES.search(t) else "council"
    head = re.split(r"[,;:]|\bso that\b|\bto ensure\b|\bin order to\b", t, maxsplit=1)[0]
    if _PARTNERS.search(head) and not _COUNCIL_SUBJECT.match(head):
        return "partners"
    return "council"
