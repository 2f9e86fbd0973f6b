"""Letters (monitoring visits, focused visits, JTAIs): title, letter date, visit dates,
inspectors and the lead, what the visit looked at, which visit since which judgement."""

from __future__ import annotations

import re

from .dates import _D, _GRADE_RE, _M, _MONTH_YEAR, _month, _ws, grade_of, parse_date, parse_date_range
from .normalise import PreparedDocument, fold
from .people import _names, _team
from .records import DocumentRecord, Inspector

# ---------------------------------------------------------------------------- letters

_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15,
}


def _letter(doc: PreparedDocument, pages: list[str], text: str, record: DocumentRecord) -> None:
    head = "\n".join(pages[:2])
    flat_head = _ws(head)
    kind = {"monitoring_visit": "monitoring visit", "focused_visit": "focused visit",
            "joint_targeted_area_inspection": "joint targeted area inspection"}[record.document_type]
    mt = re.search(rf"(?im)^\s*\**((?:{kind})\s+(?:to|of|at)\b[^\n]*?)\**\s*$", head)
    if mt:
        record.title = _ws(mt.group(1))
    # letter date: a line that is only a date, before "Dear"
    dear = re.search(r"(?m)^\s*Dear\b", head)
    top = head[: dear.start()] if dear else head[:1500]
    for ln in top.split("\n"):
        s = ln.strip()
        if re.fullmatch(rf"{_D}\s+{_M}\s+(?:19|20)\d\d", s, re.I):
            record.published = parse_date(s)
            record.published_source = "letter_date"
            break
    # visit dates: "... visit to X children's services on 13 and 14 February 2024"
    mv = re.search(rf"(?i)(?:{kind}|visit|inspection)[^.]{{0,160}}?\b(?:on|between|from)\s+((?:{_D}).{{0,60}}?(?:19|20)\d\d)", flat_head)
    if mv:
        record.visit_start, record.visit_end = parse_date_range(mv.group(1))
    if record.visit_start is None:
        mb = re.search(rf"(?i)\b(?:between|from)\s+((?:{_D}).{{0,40}}?(?:19|20)\d\d)", flat_head)
        if mb:
            record.visit_start, record.visit_end = parse_date_range(mb.group(1))
    if record.visit_start is None:
        m = re.search(r"(?i)(?:inspection|visit) dates?\s*:\s*([^\n]+)", head)
        if m:
            record.visit_start, record.visit_end = parse_date_range(m.group(1))
    # inspectors: "His Majesty's Inspectors for this visit were A and B"; the signatory leads
    inspectors: list[Inspector] = []
    mi = re.search(
        r"(?i)(?:his|her) majesty'?s inspectors? for this (?:visit|inspection) (?:were|was)\s+(.{3,200}?)\.(?:\s|$)",
        flat_head,
    ) or re.search(
        r"(?i)(?:visit|inspection) was (?:carried out|undertaken|conducted|led) by (?:(?:his|her) majesty'?s inspectors?|"
        r"inspectors?)\s+(.{3,200}?)\.(?:\s|$)",
        flat_head,
    ) or re.search(r"(?i)\bthe inspectors? (?:were|was)\s+(.{3,200}?)\.(?:\s|$)", flat_head)
    if mi:
        inspectors = [Inspector(n, "inspector") for n in _names(mi.group(1))]
    ml = re.search(r"(?i)(?:the )?lead inspector (?:for this visit )?(?:was|is)\s+([A-Z][\w'\-]+(?: [A-Z][\w'\-]+){1,3})", _ws(text))
    lead = ml.group(1) if ml else None
    signed = False
    if lead is None:
        signed = True
        ms = re.search(r"(?is)yours sincerely\s+([A-Z][\w'\-]+(?:[ \-][A-Z][\w'\-]+){1,3})", text.replace("*", ""))
        if ms:
            lead = _ws(ms.group(1))
            lead = re.split(r"\s+(?:His|Her|Senior|HMI|Social|Ofsted)\b", lead)[0]
    if lead:
        hit = [i for i in inspectors if fold(i.name) == fold(lead)]
        if hit:
            hit[0].role = "lead"
            inspectors.remove(hit[0])
            inspectors.insert(0, hit[0])
        elif signed and record.document_type == "joint_targeted_area_inspection":
            # JTAI letters are signed by the inspectorates' directors, not the lead inspector
            inspectors.append(Inspector(lead, "other"))
        elif not re.search(r"(?i)majesty|inspector", lead):
            inspectors.insert(0, Inspector(lead, "lead"))
    elif inspectors and len(inspectors) == 1:
        inspectors[0].role = "lead"
    if not inspectors:
        inspectors = _team(text)
    record.inspectors = inspectors
    # which visit since which judgement
    mn = re.search(
        r"(?i)\b(?:this (?:was|is) )?the (\w+|\d+(?:st|nd|rd|th)) (monitoring|focused) visit(?: (?:to|of|at) [^.]{1,80}?)? since\s+([^.]{5,200})\.",
        flat_head,
    )
    if mn:
        word = mn.group(1).lower()
        num = _ORDINALS.get(word) or (int(re.sub(r"\D", "", word)) if re.match(r"\d", word) else None)
        if record.document_type == "monitoring_visit" or mn.group(2).lower() in kind:
            record.visit_number = num
        record.follows_up = _follows_up(mn.group(0))
    else:
        ms2 = re.search(r"(?i)[^.]*\bsince (?:the local authority|it|the council) was judged[^.]*\.", flat_head)
        ms3 = ms2 or re.search(r"(?i)[^.]*\bsince the (?:last |previous )?(?:full |ilacs |single )?inspection[^.]*\b(?:19|20)\d\d[^.]*\.", flat_head)
        if ms3:
            record.follows_up = _follows_up(ms3.group(0))
    # judgements are not made by visits; a JTAI makes none either


def _follows_up(sentence: str) -> dict[str, str | None]:
    s = _ws(sentence)
    g = re.search(rf"(?i)\bjudged\s+(?:to be\s+)?({_GRADE_RE})\b", s)
    d = None
    md = _MONTH_YEAR.search(s[s.lower().find("since"):] if "since" in s.lower() else s)
    if md:
        d = f"{md.group(2)}-{_month(md.group(1)):02d}"
    else:
        my = re.search(r"\b((?:19|20)\d\d)\b", s)
        d = my.group(1) if my else None
    return {"text": s, "judgement": grade_of(g.group(1)) if g else None, "date": d}


