"""Concern-list headings and the parsing of one list (bullets, numbers, plain blocks)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lines import (_BULLET_RE, _ENDS_WITH_PAGE, _NUM_RE, _SUBNUM_RE, _TERMINAL, _join, _key,
                    _Line, _num, _strip_marker)

# ---------------------------------------------------------------------------------------
# Concern headings and list parsing
# ---------------------------------------------------------------------------------------

_STOP_HEADS = re.compile(
    r"^(the experiences and progress of|the impact of leaders|the effectiveness of leaders|"
    r"leadership, management and governance|overall effectiveness|main findings|headline findings|"
    r"findings and evaluation of progress|findings$|summary for children|summary of (key )?findings|"
    r"inspection findings|information about this|information about the|key strengths|"
    r"what the inspection judge?ments mean|next steps|yours sincerely|ofsted will take|"
    r"i am copying this letter|this visit was carried out|contents$|section \d|"
    r"inspection judge?ments about|what needs to improve|areas? for (improvement|priority action)|"
    r"recommendations\b|the local safeguarding children board|executive summary|"
    r"case study|strengths$|evaluation of progress|areas covered by the visit|"
    r"© crown copyright|the office for standards in education)",
    re.I,
)


_IMPROVE_HEAD = re.compile(r"what needs to improve(\b.*)?")
_CONTAINER_HEAD = re.compile(r"what (does|do) (the|this) [a-z'&, -]{2,60} (need|needs) to improve")
# the other list headings, in the order they are tried, with what they make
_LIST_HEADS = tuple((re.compile(p), kind) for p, kind in (
    (r"(key )?areas? for (further )?(improvement|development)", "area_for_improvement"),
    (r"areas? for priority action", "area_for_priority_action"),
    (r"(priority actions?|areas? requiring priority action)", "area_for_priority_action"),
    (r"recommendations?( (to|for) [a-z ,'&-]+)?", "recommendation"),
))


def _concern_heading(text: str) -> tuple[str, str] | None:
    """(kind, role) when ``text`` is a concern-list heading line."""
    raw = text.strip()
    if not raw or len(raw) > 110 or not raw[:1].isupper():
        return None
    if _ENDS_WITH_PAGE.search(raw) or "\t" in raw:  # a contents line with its page number
        return None
    if raw.endswith("."):
        return None
    k = _key(raw)
    if _IMPROVE_HEAD.fullmatch(k) and len(k) < 90:
        return ("area_for_improvement", "list")
    if _CONTAINER_HEAD.fullmatch(k):
        return ("recommendation", "container")
    for pattern, kind in _LIST_HEADS:
        if pattern.fullmatch(k):
            return (kind, "list")
    return None


_SUBHEAD = re.compile(
    r"^(immediately|within (one|two|three|four|six|twelve|\d+) (weeks?|months?)|"
    r"priority and immediate action|areas? for improvement|recommendations)$",
    re.I,
)
# headings that end a list even when a numbered line follows them
_HARD_STOP = re.compile(
    r"(strengths|progress since|summary|judge?ments?|information about|what the|"
    r"the experiences and progress|executive|inspection findings|contents|next steps|"
    r"yours sincerely|main findings|headline findings|evaluation of progress|case study)",
    re.I,
)
_NOTHING = re.compile(
    r"^(the inspection|inspectors|this inspection|the review) (did|does) not (find|identify) any\b"
    r"|^there (are|were|is) no\b[^.]{0,80}\.?$|^none\.?$|^no (areas|recommendations|priority)\b[^.]{0,60}\.?$",
    re.I,
)

_AOC_TRIGGER = re.compile(
    r"(areas? of concern|areas? for (improvement|priority action)|recommendations?)\b"
    r"[^.]{0,120}?(identified|made|raised|highlighted|found) (at|during|in|by) (the|its) "
    r"(last|previous|most recent|full|recent)[^.:]{0,80}:"
    r"|following areas? of (concern|weakness)[^.:]{0,120}:"
    r"|\b(reviewed|evaluated|considered|assessed|looked at|focused on) (the )?(local authority's |council's )?"
    r"progress[^.:]{0,160}:"
    r"|\bareas? of (concern|weakness)\b[^.:]{0,120}:",
    re.I,
)
# the forms that name the areas of concern of the last inspection in so many words; the
# looser forms above count only in letters
_AOC_STRICT = re.compile(
    r"(identified|made|raised|highlighted|found) (at|during|in|by) (the|its) (last|previous|most recent|full|recent)"
    r"|following areas? of (concern|weakness)",
    re.I,
)


def _is_marker(text: str) -> bool:
    return bool(_BULLET_RE.match(text) or _NUM_RE.match(text))


def _heading_like(text: str, width: int) -> bool:
    t = text.strip()
    if not t or not t[:1].isupper():
        return False
    if _STOP_HEADS.match(_key(t)) or _concern_heading(t):
        return True
    return not _TERMINAL.search(t) and len(t) < 0.6 * max(width, 40)


def _topic_heading(lines: list[_Line], i: int, mode: str, expected: int | None) -> int:
    """Number of lines (1-2) of a topic sub-heading inside a list ("Child protection")
    at ``lines[i]`` that is followed by the list's next item; 0 when it is not one."""
    t = lines[i].text.strip()
    if not t or not t[:1].isupper() or _TERMINAL.search(t) or _is_marker(t) or len(t) > 80:
        return 0
    if _HARD_STOP.search(t) or (_concern_heading(t) and not _SUBHEAD.match(_key(t))):
        return 0
    if mode != "number" and _STOP_HEADS.match(_key(t)):
        return 0  # a section heading ("Findings"): only running numbers carry a list past it
    if _concern_heading(t):
        return 0
    for span in (1, 2):
        k = i + span
        while k < len(lines) and lines[k].blank:
            k += 1
        if k >= len(lines):
            return 0
        nxt = lines[k].text
        if mode == "number":
            m = _NUM_RE.match(nxt)
            if m and (expected is None or _num(m) == expected):
                return span
        elif mode == "bullet" and _BULLET_RE.match(nxt) and not _NUM_RE.match(nxt):
            return 0 if _narrative_at(lines, k) else span
        if span == 1:
            t2 = nxt.strip()
            if not t2 or _TERMINAL.search(t2) or _is_marker(t2) or len(t2) > 80 or _HARD_STOP.search(t2):
                return 0
    return 0


def _narrative_at(lines: list[_Line], k: int) -> bool:
    """The item that starts at ``lines[k]`` reads as a paragraph of narrative (three or
    more sentences, or two over 50 words): what follows a heading of findings, not a
    topic sub-heading of a list of what to improve."""
    parts = [_strip_marker(lines[k].text)]
    for m in range(k + 1, min(len(lines), k + 20)):
        if lines[m].blank or _is_marker(lines[m].text):
            break
        parts.append(lines[m].text)
    return narrative(_join(parts))


def narrative(text: str) -> bool:
    """``text`` reads as narrative (several sentences of findings), not as one item of a
    list of what to improve or recommendations."""
    sents = re.split(r"(?<=[a-z0-9)\u2019'][.!?])\s+(?=[A-Z\u2018\u201c])", text.strip())
    n = len(sents)
    if n < 3:
        return n == 2 and len(text.split()) > 50 and not any(_ADVICE.match(x) for x in sents)
    advice = sum(1 for x in sents if _ADVICE.match(x))
    return n >= 6 or advice * 2 < n


# a sentence that tells the council what to do: imperative ("Ensure ...") or with "should"
# the verbs an inspectorate's advice opens with ("Ensure ...", "Improve ..."): shared with
# items.addressee, which reads an imperative item as advice to the council
ADVICE_VERBS = (
    "ensure|improve|establish|develop|strengthen|review|increase|reduce|make|provide|monitor|"
    "embed|complete|raise|continue|undertake|routinely|evaluate|secure|implement|consider|update|agree|"
    "work|introduce|address|extend|take|use|analyse|put|promote|enable|identify|support|give|set|"
    "clarify|assess|risk|prioritise|tackle|record|align|strengthening|improving|ensuring")
_ADVICE = re.compile(rf"(?i)^(?:{ADVICE_VERBS})\b|[^.]{{0,200}}\b(?:should|must|need(?:s)? to)\b")


def _heading_follows(lines: list[_Line], i: int) -> bool:
    """A (possibly wrapped) judgement heading starts at ``lines[i]``: it ends with a grade
    ("protection: good"), is followed by the section's first numbered paragraph, or by a
    grade line of its own ("Grade 4 (Inadequate)")."""
    parts: list[str] = []
    for k in range(i, min(len(lines), i + 3)):
        if lines[k].blank:
            break
        if k > i and re.match(r"\s*grade\s+[1-4]\b", lines[k].text, re.I):
            return True
        if k > i and _is_marker(lines[k].text):
            return bool(re.match(r"\s*1[.)]\s", lines[k].text)) and len(parts) <= 2
        parts.append(lines[k].text.strip())
        if re.search(r":?\s*\b(outstanding|good|requires improvement( to be good)?|inadequate)\.?$", parts[-1], re.I) and (
            ":" in " ".join(parts) or len(" ".join(parts)) < 120
        ):
            return len(" ".join(parts).split()) <= 30
        if _TERMINAL.search(parts[-1]) and not parts[-1].endswith(":"):
            return False
    return False


@dataclass(slots=True)
class _Item:
    page: int
    start: int  # index into lines
    end: int  # index of last line
    parts: list[str] = field(default_factory=list)
    section: str = ""


def _parse_list(
    lines: list[_Line], start: int, widths: dict[int, int], *, pdf: bool = False
) -> tuple[list[_Item], int]:
    """Parse the list that starts at ``lines[start]``; returns (items, index after list).

    Items without markers ("plain" lists) are blocks between blank lines; without blank
    lines, a PDF's item is a paragraph (it ends on a short line ending with a full stop),
    and a text file's item ends on any line ending with a full stop (degraded extractions
    such as the seeds keep one item per wrapped block)."""
    n = len(lines)
    i = start
    # skip leading blanks and footnote-marker lines
    while i < n and (lines[i].blank or re.fullmatch(r"\s*\d{1,2}\s*", lines[i].text)):
        i += 1
    if i >= n:
        return [], i
    # topic sub-headings before the first item ("Child protection")
    j = i
    for _ in range(3):
        while j < n and lines[j].blank:
            j += 1
        if j >= n or _is_marker(lines[j].text):
            break
        mode_guess = "number" if any(
            _NUM_RE.match(lines[k].text) for k in range(j + 1, min(n, j + 3))
        ) else "bullet"
        span = _topic_heading(lines, j, mode_guess, None)
        if not span:
            break
        j += span
    while j < n and lines[j].blank:
        j += 1
    if j < n and _is_marker(lines[j].text):
        i = j
    first = lines[i].text
    if _BULLET_RE.match(first):
        mode = "bullet"
    elif _NUM_RE.match(first):
        mode = "number"
    else:
        mode = "plain"
    items: list[_Item] = []
    if mode in ("bullet", "number"):
        expected = _num(_NUM_RE.match(first)) if mode == "number" else None  # type: ignore[union-attr]
        glyph = first.strip()[:1] if mode == "bullet" else ""
        cur: _Item | None = None
        saw_blank = False
        while i < n:
            ln = lines[i]
            t = ln.text
            if ln.blank:
                saw_blank = True
                i += 1
                continue
            is_new = False
            if mode == "bullet" and _BULLET_RE.match(t) and not _NUM_RE.match(t):
                if t.strip()[:1] == glyph or cur is None:
                    is_new = True
                else:  # a sub-bullet of the current item
                    cur.parts.append(_strip_marker(t))
                    cur.end = i
                    i += 1
                    continue
            elif mode == "number":
                m = _NUM_RE.match(t)
                if m and _num(m) == expected:
                    is_new = True
                elif m and cur is not None:
                    break  # a paragraph number out of sequence: the list is over
            if is_new:
                if cur is not None:
                    items.append(cur)
                cur = _Item(ln.page, i, i, [_strip_marker(t)])
                if expected is not None:
                    expected += 1
                saw_blank = False
                i += 1
                continue
            assert cur is not None
            prev = lines[cur.end].text.strip()
            width = widths.get(lines[cur.end].page, 80)
            sub = _BULLET_RE.match(t) or _SUBNUM_RE.match(t)
            if mode == "bullet" and _NUM_RE.match(t):
                break
            if sub and mode == "number" and not saw_blank:
                cur.parts.append(_strip_marker(t))
                cur.end = i
                i += 1
                continue
            terminated = bool(_TERMINAL.search(prev))
            if terminated or not t.strip()[:1].islower():
                span = _topic_heading(lines, i, mode, expected)
                if span:
                    i += span
                    continue
            if t.strip()[:1].isupper() and (_concern_heading(t) or _STOP_HEADS.match(_key(t))):
                break
            full = len(prev) >= 0.8 * width
            starts_lower = t.strip()[:1].islower()
            if terminated and not starts_lower and not _TERMINAL.search(t.strip()):
                nxt = i + 1
                while nxt < n and lines[nxt].blank:
                    nxt += 1
                if nxt < n and _is_marker(lines[nxt].text):
                    break  # an unpunctuated line between items is a heading
                if _heading_follows(lines, i):
                    break

            if not terminated and not starts_lower and _heading_follows(lines, i):
                break
            if saw_blank:
                cont = not terminated and starts_lower
            elif starts_lower:
                cont = True
            else:
                cont = full and not _heading_like(t, width)
            if not cont:
                break
            cur.parts.append(t)
            cur.end = i
            saw_blank = False
            i += 1
        if cur is not None:
            items.append(cur)
        return items, i
    # plain mode: items without markers (degraded text): blank-separated blocks, or
    # lines ending a sentence
    has_blank_sep = False
    j = i
    while j < n:
        if lines[j].blank:
            k = j
            while k < n and lines[k].blank:
                k += 1
            if k < n and not _heading_like(lines[k].text, widths.get(lines[k].page, 80)) and (
                _TERMINAL.search(lines[j - 1].text.strip())
            ):
                has_blank_sep = True
                j = k
                continue
            break
        if j > i and lines[j].text.strip()[:1].isupper() and (
            _STOP_HEADS.match(_key(lines[j].text)) or _concern_heading(lines[j].text)
        ):
            break
        if j > i and _SUBHEAD.match(_key(lines[j].text)):
            break
        j += 1
    block_end = j
    cur = None
    for k in range(i, block_end):
        ln = lines[k]
        if ln.blank:
            if cur is not None and has_blank_sep:
                items.append(cur)
                cur = None
            continue
        if cur is None:
            cur = _Item(ln.page, k, k, [ln.text])
        else:
            cur.parts.append(ln.text)
            cur.end = k
        if not has_blank_sep and ln.text.rstrip().endswith("."):
            if pdf and len(ln.text.strip()) >= 0.85 * widths.get(ln.page, 80) and k + 1 < block_end:
                continue  # a full line ending a sentence: the paragraph goes on
            items.append(cur)
            cur = None
    if cur is not None:
        items.append(cur)
    good: list[_Item] = []
    for it in items:
        txt = _join(it.parts)
        if not txt.endswith((".", ".)")) or (len(txt.split()) < 4 and not _NOTHING.match(txt)):
            break
        good.append(it)
    return good, block_end if good else i


