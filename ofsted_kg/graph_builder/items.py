"""Concern items and findings, read from the structure of a report's text.

Concerns
--------
A *concern* is one item of a list that Ofsted (or a DfE commissioner) sets the council to
act on.  The lists are found by their headings, never by file names, and
``record.document_type`` is only a hint (letters vs full inspections):

=============================  ==============================================================
kind                           where it comes from
=============================  ==============================================================
``recommendation``             "Recommendations" (SIF reports, the SIF review of the LSCB,
                               the commissioner's "Recommendations to <council>"), and the
                               "Areas for improvement" lists of full inspections before
                               ILACS (2013-14 SIF and older reports, incl. "Immediately" /
                               "Within three months" sub-lists): in those reports they are
                               the inspectorate's recommendations to the council.
``area_for_improvement``       "What needs to improve ...?" (ILACS full inspections, focused
                               visits) and "Areas for improvement" in letters (focused
                               visits, JTAIs).
``area_of_concern``            monitoring visit letters: the list after "Inspectors reviewed
                               the progress made in the following areas of concern ...:".
``area_for_priority_action``   "Area(s) for priority action" (focused visits, JTAIs).
=============================  ==============================================================

Each item is kept whole -- across wrapped lines and page breaks, with running headers,
page numbers and footnotes that fall inside removed -- and its text is the item *as
written*, whitespace normalised: line breaks joined (a line-end hyphen is kept and joined
without a space: "care-\\nexperienced" -> "care-experienced"), bullet glyphs and item numbers
dropped, sub-bullets of a numbered item joined into it with a space.  Decisions:

* SIF paragraph references such as "(paragraph 25)" or "(paragraphs 31, 32)" are part of
  the recommendation as published and are **kept** in ``text``.
* National Framework tags at the end of a 2025-26 ILACS item -- "(outcome 3, national
  framework)", "(Outcome three)", "(enabler 2, national framework)" -- are **removed** from
  ``text`` and stored, as written, in ``Concern.nf_tags``; a full stop that followed the
  tag is kept at the end of the text ("... go missing (outcome 3, national framework)." ->
  "... go missing.").
* ``section`` is the heading as written (footnote marker and trailing "?" kept as in the
  heading, e.g. "What needs to improve?"); for an "Immediately"/"Within three months"
  sub-list it is "Areas for improvement (Immediately)"; for a monitoring visit's list it
  is the sentence that introduces the list.
* ``prefix``/``suffix``: up to five words before/after the item on the same page (markers
  dropped, whitespace normalised), for a Web Annotation ``TextQuoteSelector``.
* Structure handled: bullets (any glyph; a different glyph inside an item is a sub-bullet),
  numbered items (the numbering must run on: an out-of-sequence number is a paragraph),
  topic sub-headings inside a list ("Child protection"), the SIF 2014-15 container "What
  does the local authority/LSCB need to improve?" with its "Priority and immediate action"
  and "Areas for improvement" sub-lists (``section`` is then the sub-heading), lines such
  as "The inspection did not find any areas for priority and immediate action." (skipped),
  lists without markers (blank-separated blocks; in PDFs, paragraphs), and a monitoring
  visit's areas listed inside the sentence ("...last inspection: a; b; and c.").  A list
  ends at a known heading, at an unpunctuated short line, or at a wrapped judgement heading
  ("... protection: good").

Findings
--------
A *finding* is one **sentence** of the evaluative parts of a report that carries a
judgement: the headline/summary of letters ("Headline findings", "Main findings",
"Findings and evaluation of progress"), the commissioner's "Executive summary" and "Key
issues", and the summary and judgement sections of full inspections (executive summary,
summary of findings, the "experiences and progress of ..." and leadership sections,
"Inspection findings", the LSCB review).  Sentences were chosen over paragraphs because the
later status of a concern ("There are still delays ...") is a sentence; paragraphs mix
strengths and weaknesses.  Only sentences with at least one polarity cue are kept (purely
descriptive ones are not findings), which keeps the number reasonable.  Boilerplate
(addresses, "This letter summarises", "Yours sincerely", the method paragraphs of
"Information about this inspection", "Ofsted will take the findings ...") is never read.

Polarity is decided from the words: weakness cues ("still delays", "remains high", "too
slow", "not consistently", "inadequate", "insufficient", "lack of" ...) and strength cues
("improved", "effective", "strong", "good" ...), with negated strengths ("not effective",
"not timely") counted as weaknesses.  One side only gives ``strength``/``weakness``; both
give ``mixed``, except that strengths inside a leading concessive clause ("Although ...,",
"Despite ...,", "While ...,") yield to the main clause.

When a document has none of these sections, the body of the letter (from "Dear ..." to
"Yours sincerely") or the whole text is read instead.  Judgement-table rows ("Requires
improvement to be good") are never findings.  Typical counts on the corpus: 60-90
findings for a letter, 130-200 for an ILACS report, 350-550 for a SIF report.

Private helpers here that :mod:`.normalise` lacks (idempotent, so they are harmless when
``prepare`` already did the work): page furniture detection (running headers/footers
recurring at the top or bottom of >= 30% of pages with their page numbers, bare page
numbers, footnote blocks at the page bottom whose number is used as a marker in the text,
and footnotes pypdfium2 glues to a hyphenated word), U+FFFE/\x02 hyphens, line joining and
sentence splitting.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field

from .normalise import PreparedDocument
from .records import Concern, DocumentRecord, Finding

__all__ = ["extract_concerns", "extract_findings", "polarity"]

# ---------------------------------------------------------------------------------------
# Lines, page furniture
# ---------------------------------------------------------------------------------------

_BULLETS = (
    "\uf06e\uf0a7\uf02d\uf0b7\uf0d8\uf076\uf0fc\uf0a8\uf0e0\uf0d9"
    "\u25fc\u25fb\u25aa\u25ab\u25a0\u25a1\u2022\u25cf\u25cb\u25e6\u2023\u2043\u00b7\u2219\u27a2\u2713\u2714\u2794\u25ba\u25b6"
)
_BULLET_RE = re.compile(r"^\s*(?:[" + _BULLETS + r"]|[-\u2013\u2014\u2212*o](?=\s))\s*")
# "12. Ensure ...", "3) Improve ...", and commissioners' "Recommendation 4: The council ..."
_NUM_RE = re.compile(
    r"^\s*(?:(?:Recommendation|Rec\.)\s+(?P<r>\d{1,3})\s*[.:)\u2013-]?|(?P<n>\d{1,3})[.)])\s+(?=\S)"
)


def _num(m: re.Match[str]) -> int:
    return int(m.group("r") or m.group("n"))
_SUBNUM_RE = re.compile(r"^\s*\(?(?:[a-h]|i{1,3}|iv|v|vi{0,3})\)\s+(?=\S)|^\s*\(?[a-h]\.\s+(?=\S)")
_TERMINAL = re.compile(r"[.!?;:][\"'\u2019\u201d)]*$|\)$")
_PAGE_NO = re.compile(r"^\s*(?:page\s+)?\d{1,3}(?:\s+of\s+\d{1,3})?\s*$", re.I)


@dataclass(slots=True)
class _Line:
    page: int  # 1-based
    text: str  # cleaned, wording kept
    blank: bool = False


def _clean_line(text: str) -> str:
    text = text.replace("\x02", "-").replace("\r", "")
    text = text.replace("\ufffe", "-").replace("\u00a0", " ")
    return text.rstrip()


def _split_glued_footnote(line: str) -> tuple[str, str | None]:
    """pypdfium2 sometimes glues a page-bottom footnote to a hyphenated word:
    "decision\ufffe1 The areas ..." -> ("decision-", "1 The areas ...")."""
    m = re.match(r"^(.*[A-Za-z])[\ufffe\x02](\d{1,2} [A-Z].*)$", line)
    if m:
        return m.group(1) + "-", m.group(2)
    return line, None


def _furniture_key(line: str) -> str:
    s = unicodedata.normalize("NFKC", line).strip().lower()
    s = re.sub(r"\s*\d{1,3}$", "", s)  # page number at the end of a running line
    return re.sub(r"\s+", " ", s)


_LINES_CACHE: list[tuple[PreparedDocument, tuple[int, ...], list[_Line]]] = []


def _doc_lines(doc: PreparedDocument) -> list[_Line]:
    """All content lines of the document, page furniture removed, blank lines kept
    (except at page ends).

    Concerns and findings both read them: the lines of the last document are kept (a
    fresh list each call; the lines themselves are never modified), keyed by the
    document object and the identity of its page strings.
    """
    key = tuple(map(id, doc.pages))
    if _LINES_CACHE and _LINES_CACHE[0][0] is doc and _LINES_CACHE[0][1] == key:
        return list(_LINES_CACHE[0][2])
    lines = _compute_doc_lines(doc)
    _LINES_CACHE[:] = [(doc, key, lines)]
    return list(lines)


def _compute_doc_lines(doc: PreparedDocument) -> list[_Line]:
    pages: list[list[str]] = []
    for raw in doc.pages:
        rows: list[str] = []
        for ln in raw.split("\n"):
            a, b = _split_glued_footnote(ln)
            rows.append(_clean_line(a))
            if b is not None:
                rows.append(_clean_line(b))
        pages.append(rows)
    npages = len(pages)
    # running headers/footers: lines that recur at the top or bottom of many pages
    counts: Counter[str] = Counter()
    edge_idx: list[set[int]] = []
    for rows in pages:
        nonblank = [i for i, r in enumerate(rows) if r.strip()]
        edge = set(nonblank[:3]) | set(nonblank[-3:])
        edge_idx.append(edge)
        for key in {_furniture_key(rows[i]) for i in edge}:
            if key:
                counts[key] += 1
    threshold = max(3, int(0.3 * npages) + 1) if npages >= 3 else 10**9
    running = {k for k, c in counts.items() if c >= threshold}
    text_all = doc.text
    raw = getattr(doc, "raw", None)
    if raw is not None and getattr(raw, "pages", None):
        text_all += "\f" + "\f".join(raw.pages)  # footnote markers, even if prepare() dropped them
    out: list[_Line] = []
    for p, rows in enumerate(pages, 1):
        drop: set[int] = set()
        nonblank = [i for i, r in enumerate(rows) if r.strip()]
        for i in edge_idx[p - 1]:
            if _PAGE_NO.match(rows[i]) and (i in nonblank[:2] or i in nonblank[-2:]):
                drop.add(i)
            elif _furniture_key(rows[i]) in running:
                drop.add(i)
        # footnotes at the bottom of the page
        tail = [i for i in nonblank[-10:] if i not in drop]
        for i in tail:
            r = rows[i].strip()
            m = re.match(r"^(\d{1,2})(?:\s+(?=[A-Z\u2018\u201c'\"(])|$)", r)
            if not m or i == (nonblank[0] if nonblank else -1):
                continue
            n = m.group(1)
            if r == n:
                # a bare footnote number is followed by its text
                nxt = [j for j in nonblank if j > i and j not in drop]
                if not nxt:
                    continue
            if re.search(r"[A-Za-z?)\u2019'\]]" + n + r"(?:\s|$|[.,;:])", text_all) or re.search(
                r"(?m)^\s*" + n + r"\s*$", text_all
            ):
                drop.update(j for j in nonblank if j >= i)
                break
        page_lines = [
            _Line(p, rows[i], not rows[i].strip()) for i in range(len(rows)) if i not in drop
        ]
        while page_lines and page_lines[-1].blank:
            page_lines.pop()
        while page_lines and page_lines[0].blank:
            page_lines.pop(0)
        out.extend(page_lines)
    return out


def _page_widths(lines: list[_Line]) -> dict[int, int]:
    by_page: dict[int, list[int]] = {}
    for ln in lines:
        if not ln.blank:
            by_page.setdefault(ln.page, []).append(len(ln.text.strip()))
    widths: dict[int, int] = {}
    for p, ls in by_page.items():
        ls.sort()
        widths[p] = ls[int(0.9 * (len(ls) - 1))] if ls else 80
    return widths


def _join(parts: list[str]) -> str:
    """Join wrapped lines into one whitespace-normalised string."""
    out = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if not out:
            out = part
        elif out.endswith("\u00ad"):
            out = out[:-1] + part
        elif out.endswith("-") and len(out) >= 2 and out[-2].isalpha() and part[:1].isalpha():
            out += part
        else:
            out += " " + part
    out = out.replace("\u00ad", "")
    return re.sub(r"\s+", " ", out).strip()


def _key(line: str) -> str:
    """A heading line folded for matching (footnote marker and final ?/: dropped)."""
    s = unicodedata.normalize("NFKC", line).strip()
    s = s.replace("\u2019", "'").replace("\u2018", "'").replace("\u2013", "-").replace("\u2014", "-")
    s = re.sub(r"(?<=[A-Za-z?:)])\d{1,2}$", "", s)
    s = re.sub(r"[\s?:]+$", "", s)
    return re.sub(r"\s+", " ", s).lower()


def _strip_marker(text: str) -> str:
    m = _BULLET_RE.match(text) or _NUM_RE.match(text) or _SUBNUM_RE.match(text)
    return text[m.end():] if m else text


def _words(text: str) -> list[str]:
    return [w for w in re.sub(r"[" + _BULLETS + r"]", " ", text).split() if w]


# ---------------------------------------------------------------------------------------
# Document kind (hint only)
# ---------------------------------------------------------------------------------------


def _is_letter(lines: list[_Line], record: DocumentRecord) -> bool:
    dt = getattr(record, "document_type", None)
    if dt in ("monitoring_visit", "focused_visit", "joint_targeted_area_inspection"):
        return True
    if dt in ("full_inspection", "commissioner_report"):
        return False
    head = "\n".join(ln.text for ln in lines[:120])
    return bool(
        re.search(r"(?m)^\s*Dear\s+\S", head)
        and re.search(r"(monitoring visit|focused visit|joint targeted area inspection)", head, re.I)
    )


# ---------------------------------------------------------------------------------------
# Concern headings and list parsing
# ---------------------------------------------------------------------------------------

_STOP_HEADS = re.compile(
    r"^(the experiences and progress of|the impact of leaders|the effectiveness of leaders|"
    r"leadership, management and governance|overall effectiveness|main findings|headline findings|"
    r"findings and evaluation of progress|summary for children|summary of (key )?findings|"
    r"inspection findings|information about this|information about the|key strengths|"
    r"what the inspection judge?ments mean|next steps|yours sincerely|ofsted will take|"
    r"i am copying this letter|this visit was carried out|contents$|section \d|"
    r"inspection judge?ments about|what needs to improve|areas? for (improvement|priority action)|"
    r"recommendations\b|the local safeguarding children board|executive summary|"
    r"case study|strengths$|evaluation of progress|areas covered by the visit|"
    r"© crown copyright|the office for standards in education)",
    re.I,
)


def _concern_heading(text: str) -> tuple[str, str] | None:
    """(kind, role) when ``text`` is a concern-list heading line."""
    raw = text.strip()
    if not raw or len(raw) > 110 or not raw[:1].isupper():
        return None
    if re.search(r"\s\d{1,3}$", raw) or "\t" in raw:  # a contents line with its page number
        return None
    if raw.endswith("."):
        return None
    k = _key(raw)
    if re.fullmatch(r"what needs to improve(\b.*)?", k) and len(k) < 90:
        return ("area_for_improvement", "list")
    if re.fullmatch(r"what (does|do) (the|this) [a-z'&, -]{2,60} (need|needs) to improve", k):
        return ("recommendation", "container")
    if re.fullmatch(r"(key )?areas? for (further )?(improvement|development)", k):
        return ("area_for_improvement", "list")
    if re.fullmatch(r"areas? for priority action", k):
        return ("area_for_priority_action", "list")
    if re.fullmatch(r"(priority actions?|areas? requiring priority action)", k):
        return ("area_for_priority_action", "list")
    if re.fullmatch(r"recommendations?( (to|for) [a-z ,'&-]+)?", k):
        return ("recommendation", "list")
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
            return span
        if span == 1:
            t2 = nxt.strip()
            if not t2 or _TERMINAL.search(t2) or _is_marker(t2) or len(t2) > 80 or _HARD_STOP.search(t2):
                return 0
    return 0


def _heading_follows(lines: list[_Line], i: int) -> bool:
    """A (possibly wrapped) judgement heading starts at ``lines[i]``: it ends with a grade
    ("protection: good") or is followed by the section's first numbered paragraph."""
    parts: list[str] = []
    for k in range(i, min(len(lines), i + 3)):
        if lines[k].blank:
            break
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


_NF_TAG = re.compile(
    r"\s*\((?:outcomes?|enablers?|principles?)\b[^()]*\)\s*(\.?)\s*$", re.I
)


def _split_nf_tags(text: str) -> tuple[str, list[str]]:
    tags: list[str] = []
    stop = ""
    while True:
        m = _NF_TAG.search(text)
        if not m:
            break
        tag = m.group(0).strip()
        if tag.endswith("."):
            tag = tag[:-1].rstrip()
            stop = "."
        tags.insert(0, tag)
        text = text[: m.start()].rstrip()
    if tags and stop and not text.endswith((".", "!", "?")):
        text += stop
    return text, tags


def _context(lines: list[_Line], item: _Item) -> tuple[str, str]:
    before: list[str] = []
    k = item.start - 1
    while k >= 0 and lines[k].page == lines[item.start].page and len(before) < 5:
        if not lines[k].blank:
            before = _words(_strip_marker(lines[k].text)) + before
        k -= 1
    after: list[str] = []
    k = item.end + 1
    while k < len(lines) and lines[k].page == lines[item.end].page and len(after) < 5:
        if not lines[k].blank:
            after += _words(_strip_marker(lines[k].text))
        k += 1
    return " ".join(before[-5:]), " ".join(after[:5])


def _inline_areas(lines: list[_Line], i: int, sent: str) -> list[_Item]:
    """Areas listed inside the sentence itself: "... last inspection: a; b; and c."."""
    k = i
    parts = [lines[i].text]
    while not _TERMINAL.search(parts[-1].strip()) and k + 1 < len(lines) and not lines[k + 1].blank and k - i < 6:
        k += 1
        parts.append(lines[k].text)
    text = _join(parts)
    colon = text.find(":")
    if colon < 0:
        return []
    rest = text[colon + 1 :].strip()
    rest = re.split(r"(?<=\.)\s+(?=[A-Z])", rest)[0]
    if ";" in rest:
        pieces = [re.sub(r"^(and|or)\s+", "", p.strip()) for p in rest.split(";")]
    else:
        pieces = [rest]
    out = []
    for p in pieces:
        p = p.strip()
        if len(p.split()) >= 2:
            out.append(_Item(lines[i].page, i, k, [p]))
    return out


def extract_concerns(doc: PreparedDocument, record: DocumentRecord) -> list[Concern]:
    """Every concern item of the document, whole and in order of appearance.

    The lists are found by their headings (see the module docstring for kinds and text
    decisions).  ``record.document_type`` is used only to tell letters from full
    inspections when it is set; otherwise the text decides.

    Raises:
        Nothing for odd layouts: a document without a recognisable list yields ``[]``.
    """
    lines = _doc_lines(doc)
    if not lines:
        return []
    widths = _page_widths(lines)
    letter = _is_letter(lines, record)
    is_pdf = getattr(getattr(doc, "raw", None), "kind", "") == "pdf"
    concerns: list[Concern] = []
    seen: set[tuple[str, str]] = set()
    i = 0
    n = len(lines)
    while i < n:
        ln = lines[i]
        if ln.blank:
            i += 1
            continue
        head = _concern_heading(ln.text)
        if head is not None and i > 0 and not lines[i - 1].blank and lines[i - 1].page == ln.page:
            prev = lines[i - 1].text.strip()
            if not (
                _TERMINAL.search(prev)
                or _heading_like(prev, widths.get(ln.page, 80))
                or _is_marker(prev)
                or re.search(_GRADE + r"$", prev, re.I)
            ):
                head = None  # a line inside running text that happens to start like a heading
        section = ln.text.strip()
        start = i + 1
        kind: str | None = None
        container = False
        if head is not None:
            kind, role = head
            container = role == "container"
            if kind == "area_for_improvement" and re.match(r"areas? for improvement", _key(section)):
                if not letter:
                    kind = "recommendation"
        else:
            # a monitoring visit's list of areas of concern, introduced by a sentence
            if ":" in ln.text and _AOC_TRIGGER.search(_join([lines[m].text for m in range(max(0, i - 3), i + 1)])):
                k = i
                while (
                    k > 0
                    and not lines[k - 1].blank
                    and not _TERMINAL.search(lines[k - 1].text.strip())
                    and not _heading_like(lines[k - 1].text, widths.get(lines[k - 1].page, 80))
                    and i - k < 4
                ):
                    k -= 1
                joined = _join([lines[m].text for m in range(k, i + 1)])
                sent = re.split(r"(?<=[.!?])\s+(?=[A-Z])", joined)[-1]
                m_aoc = _AOC_TRIGGER.search(sent)
                generic = m_aoc is not None and not _AOC_STRICT.search(sent)
                if m_aoc and (letter or not generic):
                    if ln.text.rstrip().endswith(":"):
                        kind = "area_of_concern"
                        section = sent.rstrip(":").strip()
                    else:
                        inline = _inline_areas(lines, i, sent)
                        if inline:
                            for it in inline:
                                text = _join(it.parts)
                                if (text, "area_of_concern") in seen:
                                    continue
                                seen.add((text, "area_of_concern"))
                                prefix, suffix = _context(lines, it)
                                concerns.append(
                                    Concern(
                                        kind="area_of_concern",
                                        text=text,
                                        page=it.page,
                                        section=sent.split(":")[0].strip(),
                                        prefix=prefix,
                                        suffix=suffix,
                                    )
                                )
                            i += 1
                            continue
        if kind is None:
            i += 1
            continue
        # sub-lists: "Priority and immediate action" / "Areas for improvement" under
        # "What does the local authority need to improve?", "Immediately" / "Within three
        # months" under "Areas for improvement"
        items: list[tuple[_Item, str, str]] = []
        j = start
        j2 = start
        while True:
            while j < n and lines[j].blank:
                j += 1
            sub = None
            if j < n and _SUBHEAD.match(_key(lines[j].text)) and not _is_marker(lines[j].text):
                sub = lines[j].text.strip()
                j += 1
            got, j2 = _parse_list(lines, j, widths, pdf=is_pdf)
            sub_kind = kind
            if sub is None or sub == section:
                label = section
            elif container:
                label = sub
            else:
                label = f"{section} ({sub})"
            if sub is not None and re.match(r"areas? for improvement", _key(sub)) and letter:
                sub_kind = "area_for_improvement"
            items.extend((it, label, sub_kind) for it in got)
            k = j2 if got else j
            while k < n and lines[k].blank:
                k += 1
            if (sub is not None or container) and k < n and k > start and _SUBHEAD.match(
                _key(lines[k].text)
            ) and not _is_marker(lines[k].text):
                if re.match(r"(immediately|within|priority|areas? for improvement)", _key(lines[k].text)) and (
                    container or re.match(r"(immediately|within)", _key(lines[k].text))
                ):
                    j = k
                    continue
            break
        for it, label, item_kind in items:
            text = _join(it.parts)
            text, tags = _split_nf_tags(text)
            if not text or (text, item_kind) in seen or _NOTHING.match(text):
                continue
            if len(text) > 1200 or _STOP_HEADS.match(_key(text)):
                continue
            seen.add((text, item_kind))
            prefix, suffix = _context(lines, it)
            concerns.append(
                Concern(
                    kind=item_kind,
                    text=text,
                    page=it.page,
                    section=label,
                    nf_tags=tags,
                    prefix=prefix,
                    suffix=suffix,
                )
            )
        i = max(j2, i + 1)
    for pos, c in enumerate(concerns, 1):
        c.position = pos
    return concerns


# ---------------------------------------------------------------------------------------
# Findings
# ---------------------------------------------------------------------------------------

_GRADE = r"(outstanding|good|requires improvement( to be good)?|inadequate|adequate)"

_FINDING_HEADS = re.compile(
    r"^(headline findings|main findings|findings and evaluation of progress|findings|"
    r"evaluation of progress|executive summary.*|summary of (key )?findings.*|key issues|key findings|"
    r"section 1: the local authority - summary of findings|"
    r"overall effectiveness.*|the experiences and progress of .*|the impact of leaders.*|"
    r"the effectiveness of leaders.*|leadership, management and governance.*|"
    r"inspection findings.*|inspection judge?ments about.*|key strengths and weaknesses.*|"
    r"strengths|key strengths.*|areas of strength|the effectiveness of the local safeguarding children board.*|"
    r"section 2: the effectiveness of the local safeguarding.*|the local safeguarding children board.*|"
    r"children's services in .{2,60} (are|is|require).*)$",
    re.I,
)
_SKIP_HEADS = re.compile(
    r"^(information about .*|summary for children and young people|contents|"
    r"what the inspection judge?ments mean.*|recommendations.*|what needs to improve.*|"
    r"areas? for (improvement|priority action).*|what (does|do) the .* need to improve|next steps|"
    r"areas covered by the visit|introduction.*|methodology|the local authority area.*|"
    r"the challenges as described by ofsted|local leadership|children living in this area|"
    r"child protection in this area|children looked after in this area|previous ofsted inspections|"
    r"the inspection team|case study.*|yours sincerely|the local authority|"
    r"other information|about this publication|judgement grade|© crown copyright.*|"
    r"the office for standards in education.*)$",
    re.I,
)
_BOILER = re.compile(
    r"(this letter summarises|yours sincerely|i am copying this letter|ofsted will take the findings|"
    r"this visit was carried out in line with|a range of evidence was considered|"
    r"inspectors (spoke|talked) to|his majesty's inspector|her majesty's inspector|"
    r"www\.|@|\bT \d{4}|textphone|crown copyright|open government licence|"
    r"the local authority was given the opportunity to review|lead inspector:|"
    r"inspection dates?:|report published:|this report is available)",
    re.I,
)


def _heading_at(lines: list[_Line], i: int, widths: dict[int, int]) -> tuple[str | None, int]:
    """('finding'|'skip'|None, number of lines the heading takes) for ``lines[i]``."""
    t = lines[i].text.strip()
    if not t or not t[:1].isupper() or t.endswith(".") or len(t) > 110:
        return None, 0
    if _is_marker(t):
        return None, 0
    # join up to two short continuation lines of a wrapped heading
    cand = [t]
    k = i + 1
    while k < len(lines) and len(cand) < 3 and not lines[k].blank:
        nx = lines[k].text.strip()
        grade_line = re.fullmatch(r"[a-z ,]*:?\s*" + _GRADE + r"\.?", nx, re.I)
        if _is_marker(nx) or (nx.endswith(".") and not grade_line) or len(nx) > 80:
            break
        if not (nx[:1].islower() or re.fullmatch(_GRADE + r"( to be good)?", nx, re.I)):
            break
        cand.append(nx)
        k += 1
    for m in range(1, len(cand) + 1):
        joined = _key(" ".join(cand[:m])).rstrip(".")
        if re.search(r"\s\d{1,3}$", " ".join(cand[:m])):  # contents line
            return None, 0
        prev = lines[i - 1].text.strip() if i > 0 else ""
        prev_ok = i == 0 or lines[i - 1].blank or lines[i - 1].page != lines[i].page or bool(
            _TERMINAL.search(prev)
        ) or _heading_like(prev, widths.get(lines[i - 1].page, 80)) or bool(
            re.search(_GRADE + r"$", prev, re.I)
        )
        if not prev_ok:
            continue
        if _SKIP_HEADS.match(joined):
            return "skip", m
        if _FINDING_HEADS.match(joined):
            if joined.startswith("the experiences and progress of") and not re.search(
                r"(protection|permanence|leavers|in care|looked after|" + _GRADE + r")$", joined
            ):
                continue
            if joined.startswith("children's services in") and not re.search(_GRADE + r"$", joined):
                continue
            return "finding", m
    return None, 0


_ABBREV = re.compile(r"\b(e\.g|i\.e|etc|Dr|Mr|Mrs|Ms|No|St|vs|approx|para|paras)\.$", re.I)


def _sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of sentences in ``text``."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in re.finditer(r"[.!?][\"'\u2019\u201d)]*\s+(?=[A-Z\u2018\u201c\"'(0-9])", text):
        end = m.end()
        piece = text[start:m.start() + 1]
        if _ABBREV.search(piece):
            continue
        spans.append((start, m.start() + len(m.group(0).rstrip())))
        start = end
    if start < len(text):
        spans.append((start, len(text)))
    return spans


_WEAK = [
    r"\bstill\b(?! (?:further|more) (?:improv|strength))", r"\bdelay\w*", r"\bdrift\b",
    r"\bremains? (?:high|low|poor|weak|too|variable|inconsistent|a (?:key )?(?:area|concern|challenge|priority))",
    r"\bremain(?:s|ed)? (?:unclear|underdeveloped|limited|insufficient)",
    r"\btoo \w+",
    r"\bnot (?:yet |always |consistently |sufficiently |well |fully |routinely |regularly |effectively |been |being |enough )",
    r"\bnot (?:effective|timely|good enough|robust|clear|strong|appropriate|adequate|sufficient|consistent)",
    r"\b(?:do|does|did|has|have|had|is|are|was|were|can|could|will|would) not\b",
    r"\b(?:don't|doesn't|isn't|aren't|hasn't|haven't|cannot|can't|won't|wasn't|weren't)\b",
    r"\binadequate\b", r"\binsufficient(?:ly)?\b", r"\bpoor(?:ly|er)?\b", r"\bweak(?:ness|nesses|er|ly)?\b",
    r"\black(?:s|ing|ed)?\b", r"\blimited\b", r"\binconsisten(?:t|cy|cies|tly)\b", r"\bvariable\b", r"\bvariability\b",
    r"\bvar(?:y|ies) in quality\b", r"\bshortfalls?\b", r"\bfail(?:s|ed|ing|ure|ures)?\b", r"\bgaps?\b", r"\bdeteriorat",
    r"\bineffective(?:ly)?\b", r"\bless (?:effective|well|timely|consistent)", r"\babsence of\b", r"\bmissed opportunit",
    r"\brequires? improvement\b", r"\bunsuitable\b", r"\bunassessed\b", r"\bunclear\b",
    r"\bunder-?developed\b", r"\bserious (?:failures?|concerns?|weakness)", r"\bwidespread\b",
    r"\bneeds? to (?:improve|be (?:improved|strengthened|addressed))", r"\bmore (?:work )?(?:is )?(?:needed|to do|needs to be done)",
    r"\bhamper", r"\bbarriers?\b", r"\bdisjointed\b", r"\breactive\b", r"\breactionary\b", r"\bunmet\b",
    r"\bunacceptabl", r"\bnon-compliant\b", r"\boverdue\b", r"\bexcessive\b", r"\bout of date\b", r"\bnot in line\b",
    r"\bno (?:consideration|evidence|clear|plan|effective)", r"\bdecline[ds]?\b", r"\bslow(?:ly)?\b", r"\bnegative(?:ly)?\b",
    r"\bwithout (?:the |a |any )?(?:support|help|assessment|consideration|due)", r"\bleaves? [\w ,]{0,40}vulnerable",
    r"\blong(?:er)? waits?\b", r"\bwait(?:s|ed|ing)? (?:too |a long time|longer)", r"\bwaiting (?:times|lists?)\b",
    r"\bat risk of harm\b", r"\bunder-?used\b", r"\bmissing out\b", r"\bfragment", r"\bineffectual\b",
    r"\b(?:has|have|is|are) yet to\b", r"\blittle\b", r"\bdetriment", r"\bharmful\b", r"\bleft in\b",
    r"\bnot (?:as|so) \w+", r"\bcompromis", r"\bunable\b", r"\bnor\b",
    r"\bareas? (?:for|of|requiring) (?:improvement|development|concern|priority action)\b",
]
_STRONG = [
    r"\bimprov(?:ed|ing)\b", r"\bimprovements? (?:in|to|has|have|is|are|made|achieved)\b", r"\beffective(?:ly|ness)?\b", r"\bstrong(?:ly|er)?\b", r"\bgood\b",
    r"\bwell\b(?!-being)", r"\brobust(?:ly)?\b", r"\btimely\b", r"\bappropriate(?:ly)?\b", r"\boutstanding\b", r"\bthorough(?:ly)?\b",
    r"\bpositive(?:ly)?\b", r"\bbenefit(?:s|ed|ing)?\b", r"\bstrengths?\b", r"\bstrengthened\b", r"\bbetter\b",
    r"\bhigh[- ]quality\b", r"\bskilled\b", r"\bclear(?:ly)?\b", r"\bconsistent(?:ly)?\b", r"\bthriv", r"\bexcellent\b",
    r"\bsuccessful(?:ly)?\b", r"\b(?:made|make|makes|making|good|strong|significant|steady|considerable|demonstrable) progress\b",
    r"\bprogress(?:ed|ing)? well\b", r"\bsecure[sd]?\b", r"\bresponsive\b", r"\bcommitted\b", r"\bcommitment\b",
    r"\bpurposeful\b", r"\bcompassion", r"\bambitio", r"\binnovative\b", r"\bhelpful\b", r"\bprompt(?:ly)?\b",
    r"\bswift(?:ly)?\b", r"\bcreative(?:ly)?\b", r"\bcarefully\b", r"\bsupportive\b", r"\bcomprehensive\b",
    r"\bexceptional(?:ly)?\b", r"\bmore (?:robust|focus|effective|consistent|timely)\b", r"\bmeaningful\b", r"\bsensitiv",
    r"\binsightful\b", r"\bcapab", r"\bstable\b", r"\bstability\b", r"\bresilien", r"\bsuitable\b", r"\bregular(?:ly)?\b",
    r"\bsteady\b", r"\bnow (?:timely|allocated|in place|better|more)", r"\bwell[- ](?:established|embedded|supported|coordinated|understood)",
    r"\bembedded\b", r"\bvalued\b", r"\bconfident(?:ly)?\b", r"\bknowledgeable\b", r"\bdetermin(?:ed|ation)\b",
    r"\bsuccess(?:es)?\b", r"\bwell-(?:being )?supported\b", r"\bthoughtful(?:ly)?\b", r"\bhigh (?:quality|standard)",
]
_NEGATION = re.compile(r"\b(?:not|no|never|without)\b|n't\b", re.I)
_CONTRAST = re.compile(
    r"\b(?:but|however|although|though|while|whilst|despite|yet|nonetheless|nevertheless|whereas|"
    r"notwithstanding|in contrast|conversely|other)\b",
    re.I,
)
_CONCESSIVE = re.compile(
    r"^(?:although|though|even though|while|whilst|despite|notwithstanding)\b[^,]{3,200},", re.I
)


def _first_letters(alternative: str) -> set[str] | None:
    """Lower-case letters a cue pattern can start with (after its ``\\b``), or ``None``
    when that cannot be told simply (then :func:`_dispatched` keeps the plain alternation)."""
    from re import _constants as C  # type: ignore[attr-defined]
    from re import _parser as P  # type: ignore[attr-defined]

    def first(seq: object) -> set[str] | None:
        for op, av in seq:  # type: ignore[attr-defined]
            if op is C.AT:
                continue
            if op is C.LITERAL:
                return {chr(av).lower()}
            if op is C.SUBPATTERN:
                return first(av[-1])
            if op is C.BRANCH:
                out: set[str] = set()
                for branch in av[1]:
                    f = first(branch)
                    if f is None:
                        return None
                    out |= f
                return out
            return None
        return None

    found = first(P.parse(alternative, re.I))
    if found is None or not all(c.isascii() and c.isalpha() for c in found):
        return None
    return found


def _dispatched(patterns: list[str]) -> re.Pattern[str]:
    """The alternation of ``patterns`` (each ``\\b`` + a word), with the same matches, but
    grouped by first letter behind a one-letter lookahead, so that at each word start the
    engine tries only the cues that can start there (about 2x faster on findings).  Within
    a group the patterns keep their order, so the first one that matches still wins; the
    lookahead is compiled with the same ``re.I``, so case folding is unchanged."""
    firsts = [_first_letters(p) for p in patterns]
    if any(f is None for f in firsts) or not all(p.startswith("\\b") for p in patterns):
        return re.compile("|".join(patterns), re.I)
    groups = []
    for letter in "abcdefghijklmnopqrstuvwxyz":
        chosen = [p[2:] for p, f in zip(patterns, firsts) if f and letter in f]
        if chosen:
            groups.append(f"(?={letter})(?:{'|'.join(chosen)})")
    return re.compile("\\b(?:" + "|".join(groups) + ")", re.I)


_WEAK_CUES = _dispatched(_WEAK)
_STRONG_CUES = _dispatched(_STRONG)


# phrases whose words would read the wrong way: "without delay" is prompt, not a delay
_POSITIVE_PHRASES = re.compile(r"\b(?:without|with no|no) (?:undue |unnecessary |any )?delays?\b", re.I)


def _cues(text: str) -> tuple[int, int]:
    """(weakness cues, strength cues) in ``text``; a strength word shortly after a
    negation or weakness cue ("not consistently effective") is not counted."""
    text = _POSITIVE_PHRASES.sub("promptly", text)
    weak_spans = [m.span() for m in _WEAK_CUES.finditer(text)]
    if not weak_spans:
        return 0, len(_STRONG_CUES.findall(text))
    # blank each weakness cue and the 30 characters after it
    parts: list[str] = []
    pos = 0
    n = len(text)
    for a, b in weak_spans:
        stop = min(n, b + 30)
        if stop <= pos:
            continue
        a = max(a, pos)
        parts.append(text[pos:a])
        parts.append(" " * (stop - a))
        pos = stop
    parts.append(text[pos:])
    return len(weak_spans), len(_STRONG_CUES.findall("".join(parts)))


def polarity(text: str) -> str | None:
    """``strength``, ``weakness``, ``mixed``, or ``None`` when the words carry no judgement.

    * only weakness cues -> ``weakness``; only strength cues -> ``strength``;
    * both, in a sentence that contrasts them ("but", "however", "although", "while" ...)
      -> ``mixed``, except that a leading concessive clause ("Although X is good, Y is
      not") yields to the main clause;
    * both without a contrast word: a negated sentence ("Clear timescales are not always
      defined") is a ``weakness``; otherwise the side with more cues, ``mixed`` on a tie.
    """
    weak, strong = _cues(text)
    if weak and strong:
        if _CONCESSIVE.match(text):
            for comma in (m.end() for m in re.finditer(",", text)):
                main_weak, main_strong = _cues(text[comma:])
                if main_weak and not main_strong:
                    return "weakness"
                if main_strong and not main_weak:
                    return "strength"
        if _CONTRAST.search(text):
            return "mixed"
        if _NEGATION.search(text):
            return "weakness"
        if weak > strong:
            return "weakness"
        if strong > weak:
            return "strength"
        return "mixed"
    if weak:
        return "weakness"
    if strong:
        return "strength"
    return None


def _finding_regions(lines: list[_Line], widths: dict[int, int], letter: bool) -> list[tuple[str, int, int]]:
    """(section heading, first line, end line exclusive) of the evaluative sections."""
    regions: list[tuple[str, int, int]] = []
    cur: tuple[str, int] | None = None
    i = 0
    n = len(lines)
    # ILACS: the summary under the grade table on page 1 has no heading of its own
    first_page = [k for k in range(min(n, 60)) if lines[k].page == lines[0].page and not lines[k].blank][:40]
    grade_rows = [
        k for k in first_page
        if re.search(r"\b(outstanding|good|requires improvement( to be good)?|inadequate)\s*$", lines[k].text, re.I)
        and len(lines[k].text) < 100
    ]
    table_end = -1
    if len(grade_rows) >= 3 and not letter:
        cur = ("Overall effectiveness", grade_rows[-1] + 1)
        table_end = grade_rows[-1]
    while i < n:
        if lines[i].blank:
            i += 1
            continue
        role, span = _heading_at(lines, i, widths)
        if role is None and _concern_heading(lines[i].text):
            role, span = "skip", 1
        if role is None and re.match(r"^(yours sincerely|ofsted will take|i am copying)", lines[i].text.strip(), re.I):
            role, span = "skip", 1
        if role is not None and i <= table_end:
            i += max(span, 1)  # the judgement table's labels are not section headings
            continue
        if role is not None:
            if cur is not None and i > cur[1]:
                regions.append((cur[0], cur[1], i))
            cur = None
            if role == "finding":
                cur = (_join([lines[k].text for k in range(i, i + span)]), i + span)
            i += span
            continue
        i += 1
    if cur is not None:
        regions.append((cur[0], cur[1], n))
    if not regions:
        # no recognisable findings section: the body of a letter (after "Dear ...") or of
        # the whole document; boilerplate sentences are filtered later
        start = 0
        for k in range(min(n, 200)):
            if re.match(r"^\s*Dear\s+\S", lines[k].text):
                start = k + 1
                break
        end = n
        for k in range(start, n):
            if re.match(r"^\s*(Yours sincerely|Yours faithfully)", lines[k].text, re.I):
                end = k
                break
        if end > start:
            regions.append(("", start, end))
    return regions


def extract_findings(doc: PreparedDocument, record: DocumentRecord) -> list[Finding]:
    """Evaluative sentences of the report's findings sections, each with its polarity.

    See the module docstring for the sections read, the sentence unit and the polarity
    rules.  ``record.document_type`` is only a hint.

    Raises:
        Nothing for odd layouts: a document without recognisable sections yields ``[]``.
    """
    lines = _doc_lines(doc)
    if not lines:
        return []
    widths = _page_widths(lines)
    letter = _is_letter(lines, record)
    findings: list[Finding] = []
    seen: set[str] = set()
    for section, a, b in _finding_regions(lines, widths, letter):
        # flatten the region into one text with a page for every character offset
        chunks: list[str] = []
        pages: list[tuple[int, int]] = []  # (offset, page)
        offset = 0
        for k in range(a, b):
            ln = lines[k]
            t = ln.text.strip()
            if ln.blank:
                if chunks and not chunks[-1].endswith("\n"):
                    chunks.append("\n")
                    offset += 1
                continue
            t = _strip_marker(t)
            sep = ""
            if chunks and not chunks[-1].endswith("\n"):
                prev = chunks[-1]
                if prev.endswith("-") and len(prev) > 1 and prev[-2].isalpha() and t[:1].isalpha():
                    sep = ""
                else:
                    sep = " "
            pages.append((offset + len(sep), ln.page))
            chunks.append(sep + t)
            offset += len(sep) + len(t)
            if _is_marker(ln.text) and chunks:
                pass
        text = "".join(chunks)
        if not text.strip():
            continue

        starts = [o for o, _ in pages]  # non-decreasing

        def page_at(off: int) -> int:
            """Page of the last line starting at or before ``off`` (the first line's
            page before it)."""
            if not pages:
                return 1
            k = bisect_right(starts, off) - 1
            return pages[k][1] if k >= 0 else pages[0][1]

        spans: list[tuple[int, int]] = []
        for para_m in re.finditer(r"[^\n]+", text):
            base = para_m.start()
            for s, e in _sentences(para_m.group(0)):
                spans.append((base + s, base + e))
        for idx, (s, e) in enumerate(spans):
            sent = re.sub(r"\s+", " ", text[s:e]).strip()
            if len(sent.split()) < 5 or len(sent) > 1200 or _BOILER.search(sent):
                continue
            if sent[:1].islower():
                continue  # a fragment (text lost in extraction, or a split we cannot mend)
            if re.fullmatch(r"[\w ,:-]{0,60}\b" + _GRADE + r"\.?", sent, re.I) and not re.search(
                r"\b(is|are|was|were|has|have|remain|remains)\b", sent, re.I
            ):
                continue  # a judgement-table row, not a sentence
            if sent in seen:
                continue
            pol = polarity(sent)
            if pol is None:
                continue
            seen.add(sent)
            pg = page_at(s)
            before = [w for w in text[max(0, s - 80):s].split()][-5:]
            after = [w for w in text[e:e + 80].split()][:5]
            findings.append(
                Finding(
                    text=sent,
                    polarity=pol,
                    page=pg,
                    section=section,
                    prefix=" ".join(before),
                    suffix=" ".join(after),
                )
            )
    for pos, f in enumerate(findings, 1):
        f.position = pos
    return findings
