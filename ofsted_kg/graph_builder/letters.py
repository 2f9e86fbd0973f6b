"""Letters (monitoring visits, focused visits, JTAIs): title, letter date, visit dates,
inspectors and the lead, what the visit looked at, which visit since which judgement.

* The letter date is the line that is only a date above "Dear ...".
* Visit dates come from the opening sentence, in every form letters print them: "on 13
  and 14 February 2024", "on 29 and 30 September, and 1 October 2020", "on 25 to 26
  October 2023", "between 20 and 22 October" (a year left out is the letter's, or the year
  before when the visit would otherwise come after the letter), a sentence that opens
  "Between 11 and 15 March 2024, ...", remote visits alike.
* Inspectors: the sentence that names them ("His Majesty's Inspectors for this visit were
  ...", "The visit was carried out by A, B and C, all of whom are Her Majesty's
  Inspectors", "... by Her Majesty's Inspector, A and Her Majesty's Inspector, B", "The
  inspectors were A, Her Majesty's Inspector, and B, Ofsted Inspector"), titles removed.
  The lead is the one named as lead ("X (lead inspector)", "the lead inspector was X"),
  else the one who signs (after "Yours sincerely", or the name above an inspector's title
  at the end).  JTAI letters are signed by the inspectorates' directors (role ``other``).
* ``topics`` / ``topic_text``: the sentence that says what the visit looked at
  ("Inspectors looked at the local authority's arrangements for ...", "This visit looked
  at ...", with a following "Specifically, ..." sentence), mapped to the ``topic:``
  scheme's concepts by their words; the 2020-21 visits made during the pandemic add
  ``pandemic_arrangements``.
"""

from __future__ import annotations

import re

from .dates import _D, _GRADE_RE, _M, _MONTH_YEAR, _month, _ws, grade_of, parse_date, parse_date_range, parse_day_list
from .normalise import PreparedDocument, fold, fold_case
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
    # visit dates: "... visit to X children's services on 13 and 14 February 2024",
    # "between 20 and 22 October" (no year: the letter's), "29 and 30 September, and 1 October 2020"
    record.visit_start, record.visit_end = _visit_dates(flat_head, kind, record.published)
    if record.visit_start is None:
        m = re.search(r"(?i)(?:inspection|visit) dates?\s*:\s*([^\n]+)", head)
        if m:
            record.visit_start, record.visit_end = parse_date_range(m.group(1))
    record.inspectors = _inspectors(flat_head, text, record.document_type)
    record.topic_text, record.topics = _topics(flat_head)
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
        since = _sentence_with(_SINCE_JUDGED, flat_head) or _sentence_with(_SINCE_INSPECTION, flat_head)
        if since:
            record.follows_up = _follows_up(since)
    # judgements are not made by visits; a JTAI makes none either


# "... since the local authority was judged ...", "... since the last inspection in 2019 ..."
# (neither can hold a full stop, so the sentence around a match is the one that says it)
_SINCE_JUDGED = re.compile(r"(?i)\bsince (?:the local authority|it|the council) was judged")
_SINCE_INSPECTION = re.compile(
    r"(?i)\bsince the (?:last |previous )?(?:full |ilacs |single )?inspection[^.]*\b(?:19|20)\d\d")


def _sentence_with(pattern: re.Pattern[str], text: str) -> str | None:
    r"""The first sentence of ``text`` in which ``pattern`` occurs: from after the full stop
    before the match to the full stop after it (included); None when no full stop follows.

    The same text as ``re.search(r"[^.]*" + pattern + r"[^.]*\.")`` when ``pattern`` cannot
    match a full stop, but linear: that search retries the pattern from every character of
    each sentence (about 10 ms on a letter's first two pages)."""
    m = pattern.search(text)
    if m is None:
        return None
    end = text.find(".", m.end())
    if end < 0:
        return None
    return text[text.rfind(".", 0, m.start()) + 1: end + 1]


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





def _visit_dates(flat_head: str, kind: str, letter_date: str | None) -> tuple[str | None, str | None]:
    """The visit's first and last day from the letter's opening sentence."""
    for m in re.finditer(
        rf"(?i)(?:{kind}|visit|inspection|inspectors?)[^.]{{0,200}}?\b(?:on|between|from)\s+(?={_D}\b)", flat_head
    ):
        start, end = parse_day_list(flat_head[m.end(): m.end() + 120], letter_date=letter_date)
        if start:
            return start, end
    for m in re.finditer(rf"(?i)\b(?:between|from)\s+(?={_D}\b)", flat_head):  # "Between 11 and 15 March 2024, ..."
        start, end = parse_day_list(flat_head[m.end(): m.end() + 120], letter_date=letter_date)
        if start:
            return start, end
    return None, None


# the sentence of a letter that names its inspectors
_TEAM_SENTENCES = (
    re.compile(r"(?i)(?:his|her) majesty'?s inspectors? for this (?:visit|inspection) (?:were|was|are|is)\s+(.{3,300}?)\.(?=\s|$)"),
    re.compile(r"(?i)\b(?:visit|inspection|review) was (?:carried out|undertaken|conducted|led)(?: remotely| on site)? by\s+"
               r"(.{3,300}?)\.(?=\s|$)"),
    re.compile(r"(?i)\bthe inspectors? (?:for this visit )?(?:were|was)\s+(.{3,300}?)\.(?=\s|$)"),
    re.compile(r"(?i)\binspectors? (?:for this (?:visit|inspection) )?(?:were|was)\s+(.{3,300}?)\.(?=\s|$)"),
)
_ROLE_TAIL = re.compile(r"(?i),?\s*\b(?:all|both) of whom (?:are|were)\b.*$|,?\s*\bwho (?:is|are|was|were)\b.*$")
_ROLE_WORDS = re.compile(
    r"(?i),?\s*\b(?:an? )?(?:(?:senior|additional|social care|regulatory|ofsted|lead|deputy lead)\s+)+inspectors?\b"
    r"|\(\s*lead(?: inspector)?\s*\)|,?\s*\blead inspector\b")
_NAME = r"[A-Z][\w'\-]+(?:[ \-][A-Z][\w'\-]+){1,3}"


def _signatory(text: str) -> str | None:
    """The name that signs the letter: after "Yours sincerely", else the last short line
    followed by an inspector's title ("Her Majesty's Inspector", "HMI")."""
    flat = text.replace("*", "")
    ms = re.search(rf"(?is)yours sincerely\s+({_NAME})", flat)
    if ms:
        return re.split(r"\s+(?:His|Her|Senior|HMI|Social|Ofsted)\b", _ws(ms.group(1)))[0]
    lines = [ln.strip() for ln in flat[-3000:].split("\n") if ln.strip()]
    for i in range(len(lines) - 2, -1, -1):
        if re.fullmatch(_NAME, lines[i]) and re.match(
                r"(?i)(?:senior )?(?:his|her) majesty'?s inspector|(?:senior )?hmi\b|ofsted inspector|regional director",
                lines[i + 1]):
            return lines[i]
    return None


def _inspectors(flat_head: str, text: str, document_type: str) -> list[Inspector]:
    """Every inspector the letter names, the lead first: the one named as lead ("the lead
    inspector was X", "X (lead inspector)"), else the one who signs."""
    inspectors: list[Inspector] = []
    lead_named: str | None = None
    for pat in _TEAM_SENTENCES:
        mi = pat.search(flat_head)
        if not mi:
            continue
        blob = _ROLE_TAIL.sub("", mi.group(1))
        ml = re.search(rf"({_NAME})\s*(?:\(\s*lead(?: inspector)?\s*\)|,\s*(?:the )?lead inspector\b)", blob)
        if ml:
            lead_named = ml.group(1)
        names = _names(_ROLE_WORDS.sub("", blob))
        if names:
            inspectors = [Inspector(n, "inspector") for n in names]
            break
    if lead_named is None:
        flat = _ws(text)
        ml = re.search(rf"(?i)(?:the )?lead inspector (?:for this visit )?(?:was|is)\s+((?-i:{_NAME}))", flat) \
            if "lead inspector " in fold_case(flat) else None  # (a search of the whole text)
        lead_named = ml.group(1) if ml else None
    lead = lead_named or _signatory(text)
    if lead:
        hit = [i for i in inspectors if fold(i.name) == fold(lead)]
        if hit:
            hit[0].role = "lead"
            inspectors.remove(hit[0])
            inspectors.insert(0, hit[0])
        elif lead_named is None and document_type == "joint_targeted_area_inspection":
            # JTAI letters are signed by the inspectorates' directors, not the lead inspector
            inspectors.append(Inspector(lead, "other"))
        elif not re.search(r"(?i)majesty|inspector", lead):
            inspectors.insert(0, Inspector(lead, "lead"))
    elif len(inspectors) == 1:
        inspectors[0].role = "lead"
    return inspectors or _team(text)


# What a visit looked at: the sentence that says so, and topics read from its words.
_SCOPE = re.compile(
    r"(?i)^(?:during (?:this|the) visit,? )?(?:inspectors|this visit|the visit|the focus of (?:this|the) visit|this focused visit)\b"
    r"[^.]{0,60}?\b(?:looked at|reviewed|considered|evaluated|focused on|examined|explored|was on)\b")
_METHOD = re.compile(r"(?i)range of evidence|evidence,? including|case discussions|case records|spoke to|met with")
TOPICS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("front_door", re.compile(r"(?i)front door|contacts?(?: and|,) referrals?|referrals? and assessments?|"
                              r"multi-agency safeguarding hub|\bMASH\b|first response|initial response|"
                              r"(?:integrated|single) (?:front door|point of contact)|thresholds")),
    ("children_in_need_and_child_protection", re.compile(r"(?i)children in need|child[- ]in[- ]need|child protection|"
                                                         r"help and protection|need of help and protection")),
    ("children_in_care", re.compile(r"(?i)children in care|looked[- ]after children|children looked after|"
                                    r"(?:come|coming) into care|children who are in care|placements?\b")),
    ("care_leavers", re.compile(r"(?i)care leavers|care-experienced|leaving care|leave care|care experienced")),
    ("disabled_children", re.compile(r"(?i)disabled children|children with (?:disabilities|a disability)|disabilit")),
    ("exploitation_and_missing", re.compile(r"(?i)exploitation|missing from|go missing|extra-familial|contextual safeguarding")),
    ("pre_proceedings_and_court", re.compile(r"(?i)pre-proceedings|public law outline|\bPLO\b|court")),
    ("care_planning_and_permanence", re.compile(r"(?i)permanence|permanency|care planning")),
    ("private_fostering", re.compile(r"(?i)private fostering")),
    ("unaccompanied_children", re.compile(r"(?i)unaccompanied|asylum")),
    ("children_in_custody_or_16_17_homeless", re.compile(r"(?i)homeless|in custody")),
)
_PANDEMIC = re.compile(r"(?i)covid-19|coronavirus|the pandemic")


def _topics(flat_head: str) -> tuple[str | None, list[str]]:
    """(the sentence(s) that say what the visit looked at, topic ids from their words)."""
    body = flat_head
    stop = re.search(r"(?i)\b(?:headline findings|main findings|what needs to improve|overview)\b", body)
    opening = body[: stop.start()] if stop else body[:4000]
    sents = re.split(r"(?<=[.!?])\s+(?=[A-Z])", opening)
    chosen: list[str] = []
    for i, sent in enumerate(sents):
        if _SCOPE.match(sent) and not _METHOD.search(sent):
            chosen.append(sent)
            for nxt in sents[i + 1: i + 3]:  # "Specifically, they considered ..."
                if re.match(r"(?i)(?:specifically|in particular|this included|they also|inspectors also)\b", nxt) \
                        and not _METHOD.search(nxt):
                    chosen.append(nxt)
            break
    text = _ws(" ".join(chosen)) or None
    topics = [t for t, pat in TOPICS if text and pat.search(text)]
    if _PANDEMIC.search(opening) and re.search(r"(?i)restrictions|context of|during the|delivered", opening):
        topics.append("pandemic_arrangements")
    return text, topics
