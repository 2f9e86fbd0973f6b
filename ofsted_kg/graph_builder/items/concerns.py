"""Concern items: find the lists by their headings and keep each item whole."""

from __future__ import annotations

import re

from ..normalise import PreparedDocument
from ..records import Concern, DocumentRecord
from .addressee import addressee_of, board_start
from .lines import (_GRADE, _TERMINAL, _Line, _doc_lines, _doc_page_widths, _is_letter, _join,
                    _key, _strip_marker, _words)
from .lists import (_AOC_STRICT, _AOC_TRIGGER, _NOTHING, _STOP_HEADS, _SUBHEAD, _Item, _concern_heading,
                    _heading_like, _is_marker, _parse_list)

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


_INTRO = re.compile(
    r"\b(?:should|must|needs? to|is to|are to) (?:take|address|act on|consider)\b[^.:]{0,40}\bfollowing\b|"
    r"\bthe following (?:actions?|areas?|recommendations?)\b[^.]{0,40}[.:]$",
    re.I,
)


def _inline_heading(lines: list[_Line], i: int) -> tuple[str, str, _Item] | None:
    """A list heading with its one item on the same line, after a colon ("Areas for
    priority action: the local authority must ..."): (kind, heading, the item running to
    the end of its sentence)."""
    t = lines[i].text.strip()
    if ":" not in t[:60]:
        return None
    left, right = t.split(":", 1)
    head = _concern_heading(left.strip())
    if head is None or head[1] != "list" or len(right.split()) < 3:
        return None
    item = _Item(lines[i].page, i, i, [right.strip()])
    k = i
    while not _TERMINAL.search(lines[k].text.strip()) and k + 1 < len(lines) and not lines[k + 1].blank and k - i < 8:
        k += 1
        item.parts.append(lines[k].text)
        item.end = k
    if _NOTHING.match(_join(item.parts)) or _nothing_said(lines, i):
        return None
    return head[0], left.strip(), item


def _nothing_said(lines: list[_Line], k: int) -> bool:
    """The sentence at ``lines[k]`` says there is nothing to list ("There are no areas for
    priority action.", "Inspectors did not identify any ...")."""
    parts = []
    for m in range(k, min(len(lines), k + 4)):
        if lines[m].blank:
            break
        parts.append(lines[m].text)
        if _TERMINAL.search(lines[m].text.strip()):
            break
    text = _join(parts)
    return bool(re.search(r"(?i)\b(?:no|not (?:find|identify) any|none)\b", text)) and len(text.split()) < 40


def _skip_intro(lines: list[_Line], j: int) -> int:
    """Index after the sentence that introduces a list ("In order to improve ... the local
    authority should take the following action."), which is not an item; ``j`` otherwise."""
    n = len(lines)
    while j < n and lines[j].blank:
        j += 1
    parts: list[str] = []
    k = j
    while k < n and not lines[k].blank and k - j < 5:
        parts.append(_strip_marker(lines[k].text) if k == j else lines[k].text)
        if _TERMINAL.search(lines[k].text.strip()):
            break
        k += 1
    text = _join(parts)
    if parts and _INTRO.search(text) and len(text.split()) < 60:
        return k + 1
    nxt = k + 1
    while nxt < n and lines[nxt].blank:
        nxt += 1
    if (parts and not _is_marker(lines[j].text) and text.endswith(":") and len(text.split()) >= 6
            and not _SUBHEAD.match(_key(text)) and nxt < n and _is_marker(lines[nxt].text)):
        return nxt  # "..., with one additional area for improvement ...:" then the list
    return j


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
    widths = _doc_page_widths(doc)
    letter = _is_letter(lines, record)
    is_pdf = getattr(getattr(doc, "raw", None), "kind", "") == "pdf"
    board = board_start(lines, title=getattr(record, "title", None))
    concerns: list[Concern] = []
    seen: set[tuple[str, str]] = set()
    i = 0
    n = len(lines)
    while i < n:
        ln = lines[i]
        if ln.blank or not ln.text.lstrip()[:1].isupper() and ":" not in ln.text:
            # (no heading, inline or not, starts without a capital, and no list is
            # introduced without a colon: most lines are neither)
            i += 1
            continue
        inline = _inline_heading(lines, i)
        if inline is not None:  # "Areas for priority action: the local authority must ..."
            kind_i, section_i, item = inline
            text = _join(item.parts)
            if (text, kind_i) not in seen:
                seen.add((text, kind_i))
                prefix, suffix = _context(lines, item)
                concerns.append(Concern(kind=kind_i, text=text, page=item.page, section=section_i,
                                        addressee=addressee_of(text, section=section_i, in_board=board is not None and i >= board),
                                        prefix=prefix, suffix=suffix))
            i = item.end + 1
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
                                        addressee="council",
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
        items: list[tuple[_Item, str, str, str | None]] = []
        j = start
        j2 = start
        while True:
            while j < n and lines[j].blank:
                j += 1
            sub = None
            j = _skip_intro(lines, j)
            if j < n and _SUBHEAD.match(_key(lines[j].text)) and not _is_marker(lines[j].text):
                sub = lines[j].text.strip()
                j += 1
            got, j2 = _parse_list(lines, j, widths, pdf=is_pdf)
            sub_kind = kind
            group = None
            if sub is None or sub == section:
                label = section
            elif container:
                label = sub
            else:
                label, group = section, sub.rstrip(":").strip()
            if sub is not None and re.match(r"areas? for improvement", _key(sub)) and letter:
                sub_kind = "area_for_improvement"
            items.extend((it, label, sub_kind, group) for it in got)
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
        if not items and not container:
            k = start
            while k < n and lines[k].blank:
                k += 1
            if not (k < n and (_NOTHING.match(lines[k].text.strip()) or _nothing_said(lines, k)
                               or _heading_like(lines[k].text, widths.get(lines[k].page, 80)))):
                # (a heading right after: a contents entry whose page number was lost)
                record.empty_lists.append(section)
        for it, label, item_kind, group in items:
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
                    group=group,
                    addressee=addressee_of(text, section=f"{section} {label}", in_board=board is not None and i >= board),
                    nf_tags=tags,
                    prefix=prefix,
                    suffix=suffix,
                )
            )
        i = max(j2, i + 1)
    for pos, c in enumerate(concerns, 1):
        c.position = pos
    return concerns


