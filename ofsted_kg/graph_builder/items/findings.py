"""Findings: the evaluative sentences of a report's findings sections."""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate

from ..normalise import PreparedDocument
from ..records import DocumentRecord, Finding
from .lines import (_ENDS_WITH_PAGE, _GRADE, _NUM_RE, _TERMINAL, _doc_lines, _doc_page_widths,
                    _hyphen_glues, _is_letter, _join, _key, _Line, _strip_marker)
from .lists import _concern_heading, _heading_like, _is_marker
from .polarity import fold_case, polarity

# ---------------------------------------------------------------------------------------
# Findings
# ---------------------------------------------------------------------------------------


_FINDING_HEADS = re.compile(
    r"^(headline findings|main findings|findings and evaluation of progress|findings|overview|"
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
# boilerplate sentences: those holding one of these phrases, in fold_case text (so
# case-insensitively), or a telephone number ("T 0300 123 1231")
_BOILER_PHRASES = (
    "this letter summarises", "yours sincerely", "i am copying this letter",
    "ofsted will take the findings", "this visit was carried out in line with",
    "a range of evidence was considered", "inspectors spoke to", "inspectors talked to",
    "his majesty's inspector", "her majesty's inspector", "www.", "@", "textphone",
    "crown copyright", "open government licence",
    "the local authority was given the opportunity to review", "lead inspector:",
    "inspection date:", "inspection dates:", "report published:", "this report is available",
)
# (``\bt \d{4}``, written to begin with its literal "t ", which the engine skips to at C
# speed, where a leading ``\b`` made it try every position: "t " not after a word character)
_PHONE = re.compile(r"t (?<!\wt )\d{4}")


def _boilerplate(folded: str) -> bool:
    """``fold_case`` of a sentence is boilerplate."""
    for phrase in _BOILER_PHRASES:
        if phrase in folded:
            return True
    return "t " in folded and _PHONE.search(folded) is not None


def _boilerplate_all(folded: list[str]) -> list[bool]:
    """:func:`_boilerplate` of each of ``folded`` (``fold_case`` sentences, none holding a
    newline), from one search per phrase of them all joined by newlines, where testing
    each sentence took a search per phrase and sentence.  The same: no phrase holds a
    newline, and to ``_PHONE``'s ``\\b`` a newline is, like a string's end, no word
    character."""
    joined = "\n".join(folded)
    hits: list[int] = []
    for phrase in _BOILER_PHRASES:
        i = joined.find(phrase)
        while i >= 0:
            hits.append(i)
            i = joined.find(phrase, i + 1)
    if "t " in joined:
        hits.extend(m.start() for m in _PHONE.finditer(joined))
    flags = [False] * len(folded)
    if hits:
        starts = list(accumulate((len(f) + 1 for f in folded[:-1]), initial=0))
        for i in hits:
            flags[bisect_right(starts, i) - 1] = True
    return flags


# heading tests of _heading_at, compiled once (it runs on every line of a document)
_GRADE_LINE = re.compile(r"[a-z ,]*:?\s*" + _GRADE + r"\.?", re.I)
_GRADE_ONLY = re.compile(_GRADE + r"( to be good)?", re.I)
_ENDS_WITH_GRADE = re.compile(_GRADE + r"$", re.I)
_EXPERIENCES_END = re.compile(r"(protection|permanence|leavers|in care|looked after|" + _GRADE + r")$")
_ENDS_WITH_GRADE_CS = re.compile(_GRADE + r"$")


def _heading_at(lines: list[_Line], i: int, widths: dict[int, int]) -> tuple[str | None, int]:
    """('finding'|'skip'|None, number of lines the heading takes) for ``lines[i]``."""
    t = lines[i].text.strip()
    if not t or not t[:1].isupper() or t.endswith(".") or len(t) > 110:
        return None, 0
    if _is_marker(t):
        return None, 0
    # the line before must end a sentence, be a heading, a grade, or a break (the same for
    # every candidate below: without it there is no heading here)
    if i > 0 and not lines[i - 1].blank and lines[i - 1].page == lines[i].page:
        prev = lines[i - 1].text.strip()
        if not (_TERMINAL.search(prev) or _heading_like(prev, widths.get(lines[i - 1].page, 80))
                or _ENDS_WITH_GRADE.search(prev)):
            return None, 0
    # join up to two short continuation lines of a wrapped heading
    cand = [t]
    k = i + 1
    while k < len(lines) and len(cand) < 3 and not lines[k].blank:
        nx = lines[k].text.strip()
        if _is_marker(nx) or (nx.endswith(".") and not _GRADE_LINE.fullmatch(nx)) or len(nx) > 80:
            break
        if not (nx[:1].islower() or _GRADE_ONLY.fullmatch(nx)):
            break
        cand.append(nx)
        k += 1
    for m in range(1, len(cand) + 1):
        joined = _key(" ".join(cand[:m])).rstrip(".")
        if _ENDS_WITH_PAGE.search(" ".join(cand[:m])):  # contents line
            return None, 0
        if _SKIP_HEADS.match(joined):
            return "skip", m
        if _FINDING_HEADS.match(joined):
            if joined.startswith("the experiences and progress of") and not _EXPERIENCES_END.search(joined):
                continue
            if joined.startswith("children's services in") and not _ENDS_WITH_GRADE_CS.search(joined):
                continue
            return "finding", m
    return None, 0


_ABBREV = re.compile(r"\b(e\.g|i\.e|etc|Dr|Mr|Mrs|Ms|No|St|vs|approx|para|paras)\.$", re.I)
_ABBREV_SPAN = 8  # the longest abbreviation and its full stop, and the character before
_SENTENCE_END = re.compile(r"[.!?][\"'\u2019\u201d)]*\s+(?=[A-Z\u2018\u201c\"'(0-9])")


def _sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of sentences in ``text``."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        end = m.end()
        piece = text[start:m.start() + 1]
        # an abbreviation can only end the piece: search its last characters, not all of it
        # (``\b`` still sees the character before the search position)
        if _ABBREV.search(piece, max(0, len(piece) - _ABBREV_SPAN)):
            continue
        spans.append((start, m.start() + len(m.group(0).rstrip())))
        start = end
    if start < len(text):
        spans.append((start, len(text)))
    return spans


#: a sentence that introduces the list after it: "This local authority is good because:",
#: "The local authority has the following strengths" (a numbered list's items are
#: sentences of their own)
_LEAD_IN = re.compile(r"(?::|\bbecause|\bthe following(?: \w+){0,2})$", re.IGNORECASE)
_GRADE_ROW = re.compile(r"\b(outstanding|good|requires improvement( to be good)?|inadequate)\s*$", re.I)
_LETTER_END = re.compile(r"^(yours sincerely|ofsted will take|i am copying)", re.I)
_DEAR = re.compile(r"^\s*Dear\s+\S")
_YOURS = re.compile(r"^\s*(Yours sincerely|Yours faithfully)", re.I)


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
        if _GRADE_ROW.search(lines[k].text)
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
        t = lines[i].text.strip()
        role, span = None, 0
        # (a line that both heading tests refuse at once, as most are, is not tried)
        if t[:1].isupper() and not t.endswith(".") and len(t) <= 110:
            role, span = _heading_at(lines, i, widths)
            if role is None and _concern_heading(t):
                role, span = "skip", 1
        if role is None and _LETTER_END.match(t):
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
            if _DEAR.match(lines[k].text):
                start = k + 1
                break
        end = n
        for k in range(start, n):
            if _YOURS.match(lines[k].text):
                end = k
                break
        if end > start:
            regions.append(("", start, end))
    return regions


_PARAGRAPH = re.compile(r"[^\n]+")
_TABLE_ROW = re.compile(r"[\w ,:-]{0,60}\b" + _GRADE + r"\.?", re.I)
_TABLE_ROW_MAX = 60 + len("requires improvement to be good.")  # the longest it matches
_VERB = re.compile(r"\b(is|are|was|were|has|have|remain|remains)\b", re.I)


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
    widths = _doc_page_widths(doc)
    letter = _is_letter(lines, record)
    findings: list[Finding] = []
    seen: set[str] = set()
    for section, a, b in _finding_regions(lines, widths, letter):
        # flatten the region into one text with a page for every character offset
        chunks: list[str] = []
        pages: list[tuple[int, int]] = []  # (offset, page)
        offset = 0
        graded = False  # the line before was a section's grade

        def new_paragraph() -> None:
            """End the paragraph being flattened, if any."""
            nonlocal offset
            if chunks and not chunks[-1].endswith("\n"):
                chunks.append("\n")
                offset += 1
        for k in range(a, b):
            ln = lines[k]
            t = ln.text.strip()
            if ln.blank:
                new_paragraph()
                continue
            if (t[:1].isupper() and (t == "Summary" or _GRADE_ONLY.fullmatch(t))) or (
                    graded and t == "to be good"):
                # a section's grade beside its heading ("Requires improvement", "to be
                # good" wrapped, then "Summary"), not the first words of its first finding
                new_paragraph()
                graded = True
                continue
            graded = False
            stripped = _strip_marker(t)
            if stripped is not t and _NUM_RE.match(t):
                # a numbered paragraph begins (its number glued to it or not): the one
                # before has ended, even without its full stop
                new_paragraph()
            t = stripped
            sep = ""
            if chunks and not chunks[-1].endswith("\n"):
                prev = chunks[-1]
                sep = "" if _hyphen_glues(prev, t) else " "
            pages.append((offset + len(sep), ln.page))
            chunks.append(sep + t)
            offset += len(sep) + len(t)
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
        for para_m in _PARAGRAPH.finditer(text):
            base = para_m.start()
            for s, e in _sentences(para_m.group(0)):
                spans.append((base + s, base + e))
        # whitespace runs made one space (str.split's is re's \s)
        sents = [" ".join(text[s:e].split()) for s, e in spans]
        folds = [fold_case(sent) for sent in sents]
        for (s, e), sent, folded, boiler in zip(spans, sents, folds, _boilerplate_all(folds)):
            # (the tests, none with an effect, cheapest first; fewer than four spaces is
            # fewer than five words)
            if sent.count(" ") < 4 or len(sent) > 1200 or sent in seen:
                continue
            if sent[:1].islower():
                continue  # a fragment (text lost in extraction, or a split we cannot mend)
            if boiler:
                continue
            if (sent[-1:] == ":" or sent[-1:].isalpha()) and _LEAD_IN.search(sent):
                continue  # the lead-in to a list ("... is not yet good because"), no finding
            if len(sent) <= _TABLE_ROW_MAX and _TABLE_ROW.fullmatch(sent) and not _VERB.search(sent):
                continue  # a judgement-table row, not a sentence
            pol = polarity(sent, folded)
            if pol is None:
                continue
            seen.add(sent)
            pg = page_at(s)
            before = text[max(0, s - 80):s].split()[-5:]
            after = text[e:e + 80].split()[:5]
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

