"""A full report's graded judgements: the SIF judgement table and its split grade lines,
the ILACS judgement/grade table, the pre-2013 "main findings" tables; each judgement with
its area, its grade and the label as written (:func:`_judgements`, called by
:func:`~.core.extract_core`)."""

from __future__ import annotations

import re

from .dates import (
    _GRADE_RE,
    GRADE_WORDS,
    _ws,
    area_of,
    grade_of,
)
from .normalise import PreparedDocument, fold, fold_case, lines_holding
from .records import Judgement


def _grade_at_end(line: str) -> tuple[str, str] | None:
    m = re.search(rf"(?i)(?:^|\s)({_GRADE_RE})\s*\.?$", line.strip())
    if not m:
        return None
    return line.strip()[: m.start(1)].strip(), m.group(1)


# The SIF headline table's rows (numbered 1, 2, 2.1, 2.2, 3)
_SIF_LABELS = (
    r"children\s+who\s+need\s+help\s+and\s+protection|"
    r"children\s+looked\s+after\s+and\s+achieving\s+permanence|"
    r"adoption\s+performance|"
    r"experiences\s+and\s+progress\s+of\s+care\s+leavers|"
    r"leadership,?\s+management\s+and\s+governance"
)


def _join_split_grades(text: str) -> str:
    """Rejoin grades wrapped in table cells ("Requires improvement to\\nbe good")."""
    text = re.sub(r"(?i)(requires?)[ \t]*\n[ \t]*(improvement)", r"\1 \2", text)
    text = re.sub(r"(?i)(improvement[ \t]+to)[ \t]*\n[ \t]*(be[ \t]+good)", r"\1 \2", text)
    return re.sub(r"(?i)(improvement)[ \t]*\n[ \t]*(to[ \t]+be[ \t]+good)", r"\1 \2", text)


_PRE_SIF_LABELS = re.compile(
    r"(?i)^\s*(overall effectiveness(?: of [a-z ]{3,80})?|capacity for improvement|"
    r"the effectiveness of [a-z ,]{3,120}|the quality of [a-z ,]{3,80}|leadership and governance|"
    r"children and young people are safe|quality of provision|ambition and prioritisation|"
    r"leadership and management|performance management and quality assurance|partnership working|"
    r"equality and diversity|being healthy|staying safe|enjoying and achieving|"
    r"making a positive contribution|economic well-?being)\s*:?\s*(.*)$"
)


_PRE_SIF_AREAS = (
    (re.compile(r"(?i)^overall effectiveness"), "overall_effectiveness"),
    (re.compile(r"(?i)^capacity (?:to|for) improve(?:ment)?"), "capacity_to_improve"),
    (re.compile(r"(?i)^outcomes for\b"), "outcomes"),
    (re.compile(r"(?i)^quality of provision"), "quality_of_provision"),
    (re.compile(r"(?i)^leadership and management"), "leadership_and_management"),
)
_TABLE_GRADE = re.compile(r"(?i)^(.*?)\b(outstanding|good|adequate|inadequate)(?:\s+grade\s+[1-4])?\s*$")


def _main_findings_table(lines: list[str]) -> list[Judgement]:
    """The "Record of main findings" table of the 2009-13 inspections: "Overall
    effectiveness Adequate", "Capacity to improve Good", a label wrapped over lines with
    its grade on the next ("Outcomes for looked after children and / young people /
    Adequate").  Sub-headings ("Services for looked after children", "Safeguarding
    services") group the rows; when the table has both, the looked-after rows' areas get a
    ``_looked_after_children`` suffix.  Empty when the report has no such table."""
    starts = [i for i, ln in enumerate(lines) if re.fullmatch(r"(?i)\s*record of main findings\s*", ln)]
    if not starts:
        return []
    rows: list[tuple[str, str, str]] = []  # (group, label, grade)
    group, label = "", ""
    for ln in lines[starts[-1] + 1: starts[-1] + 60]:
        t = _ws(ln)
        if not t:
            continue
        if re.fullmatch(r"(?i)(?:services for )?(?:looked after children|safeguarding)(?: services)?", t):
            group, label = t.lower(), ""
            continue
        m = _TABLE_GRADE.match(t)
        if m:
            full = _ws(f"{label} {m.group(1)}")
            if full:
                rows.append((group, full, m.group(2).lower()))
            label = ""
            continue
        if len(t) > 90 or t.endswith("."):
            break
        label = _ws(f"{label} {t}")
    both = len({g for g, _, _ in rows}) > 1
    out: list[Judgement] = []
    for g, lab, grade in rows:
        area = next((a for pat, a in _PRE_SIF_AREAS if pat.match(lab)), None)
        if area is None:
            area = re.sub(r"[^a-z0-9]+", "_", fold(lab)).strip("_")[:60]
        if both and "looked after" in g:
            area += "_looked_after_children"
        if not any(j.area == area for j in out):
            out.append(Judgement(area=area, label=lab, grade=grade))
    return out


def _pre_sif(text: str) -> list[Judgement]:
    """Graded lines of the 2009-13 safeguarding / looked-after / protection inspections.

    "Overall effectiveness Adequate" (grade on the same or the next line); judgements met
    after a "looked after children" section heading get a ``_looked_after_children``
    suffix, the first overall effectiveness being the safeguarding (or protection) one.
    """
    lines = _join_split_grades(text[:80000]).replace("\f", "\n").split("\n")
    table = _main_findings_table(text.replace("\f", "\n").split("\n"))
    if table:
        return table
    out: list[Judgement] = []
    section = ""
    for i, ln in enumerate(lines):
        s = ln.strip()
        if re.fullmatch(r"(?i)(?:services for )?looked after children(?: services)?|looked after children services", s):
            section = "_looked_after_children"
            continue
        m = _PRE_SIF_LABELS.match(s)
        if not m:
            continue
        label, rest = m.group(1), m.group(2).strip()
        grade = grade_of(rest) if rest else None
        if grade is None and not rest:
            nxt = [x.strip() for x in lines[i + 1:i + 3] if x.strip()]
            grade = grade_of(nxt[0]) if nxt else None
        if grade is None:
            continue
        f = fold(label)
        area = "overall_effectiveness" if f.startswith("overall effectiveness") else re.sub(r"[^a-z0-9]+", "_", f).strip("_")[:60]
        if section and (area == "overall_effectiveness" or area == "capacity_for_improvement"):
            area += section
        if area == "overall_effectiveness" and "looked after" in f:
            area += "_looked_after_children"
        if any(j.area == area for j in out):
            continue
        out.append(Judgement(area=area, label=_ws(label), grade=grade))
    return out


def _judgements(doc: PreparedDocument, pages: list[str], text: str) -> list[Judgement]:
    out: list[Judgement] = []
    first = pages[0] if pages else ""
    first_joined = _ws(first[:6000])

    def add(area: str, label: str, grade_text: str, page: int = 1) -> None:
        g = grade_of(grade_text)
        if g is None or any(j.area == area for j in out):
            return
        out.append(Judgement(area=area, label=_ws(label).rstrip(":"), grade=g, page=page))

    # ILACS: "Judgement Grade" table, label lines then grade (or "Overall effectiveness Good")
    first = _join_split_grades(first)
    m = re.search(r"(?im)^\s*judgement\s+grade\s*$", first)
    if m:
        label: list[str] = []
        for ln in first[m.end():].split("\n"):
            s = ln.strip()
            if not s or fold(s) == "to be good":
                continue
            g = grade_of(s)
            if g is not None:
                if label:
                    lab = " ".join(label)
                    add(area_of(lab), lab, s)
                label = []
                continue
            ge = _grade_at_end(s)
            if ge and ge[0] and len(ge[0]) < 60:
                lab = " ".join(label + [ge[0]])
                add(area_of(lab), lab, ge[1])
                label = []
                if area_of(lab) == "overall_effectiveness":
                    break
                continue
            if len(s) > 75 or len(label) >= 3:
                break
            label.append(s)

    # SIF / pre-SIF headline: overall judgement sentence
    mo = re.search(
        rf"(?i)(the overall judgement is (?:that )?(?:children'?s services (?:are |is )?)?|"
        rf"children'?s services in .{{1,60}}? (?:are |is |were )?)({_GRADE_RE})\b",
        first_joined,
    )
    if mo and not any(j.area == "overall_effectiveness" for j in out):
        grade_text = mo.group(2)
        add("overall_effectiveness", "Overall effectiveness", grade_text)
        if out and out[-1].area == "overall_effectiveness":
            out[-1].label = _ws(mo.group(0))
    # SIF numbered table: "1. Children who need help and protection Requires improvement"
    for t in re.finditer(
        rf"(?i)(?:^|\s)(\d(?:\.\d)?)\.?\s+({_SIF_LABELS})\s+({_GRADE_RE})\b",
        _join_split_grades(first_joined),
    ):
        add(area_of(t.group(2)), t.group(2), t.group(3))
    # SIF body: section headings followed by a grade line, and "The graded judgement ..."
    body = text
    # (what the whole-text searches below need, tested first: most texts lack it; a phrase
    # of the white-space-normalised text is its words with white space runs between, as
    # str.split's white space is re's \s, in the folded text)
    ftext = fold_case(text)
    has_graded = re.search(r"graded\s+judgement\s+\S", ftext) is not None  # ("graded judgement ")
    named = re.search(r"local\s+safeguarding\s+children", ftext) is not None  # (the LSCB's name)
    wtext = _ws(text) if has_graded or named else ""  # (made once, only when a search needs it)
    graded = re.finditer(
        rf"(?i)graded judgement (?:for|about|on) (?:the )?([a-z ,']{{5,80}}?) is that (?:it|they) ({_GRADE_RE})\b",
        wtext,
    ) if has_graded else ()
    for t in graded:
        add(area_of(t.group(1)), t.group(1), t.group(2))
    if any(j.area in ("help_and_protection", "leadership_management_governance") for j in out) or \
            (re.search(r"children\s+looked\s+after\s+and\s+achieving", ftext)
             and re.search(r"(?i)children looked after and achieving\s+permanence", text[:30000])):
        lines = body.replace("\f", "\n").split("\n")
        # (only lines holding a grade's word can be a grade line)
        for i in lines_holding(ftext.replace("\f", "\n"), *GRADE_WORDS):
            ln = lines[i]
            if grade_of(ln.strip()) is None:
                continue
            heading: list[str] = []
            for k in range(i - 1, max(i - 5, -1), -1):
                s = lines[k].strip()
                if not s:
                    if heading:
                        break
                    continue
                if len(s) > 70 or s.endswith("."):
                    break
                heading.insert(0, s)
            lab = " ".join(heading)
            if re.match(r"(?i)(the experiences and progress of|leadership, management|children who need|children looked after)", lab):
                add(area_of(lab), lab, ln.strip(), doc.page_of(sum(len(x) + 1 for x in lines[:i])))
    # LSCB
    lscb = rf"local safeguarding children\s+board(?:\s*\(lscb\))?\s+(?:is\s+)?({_GRADE_RE})"
    # (``named``: in the text, then, if anywhere)
    ml = (re.search(rf"(?i){lscb}\b", _ws(first[:6000]))  # page 1 headline
          or named and re.search(rf"(?im)^\s*(?:the )?{lscb}\s*\.?\s*$", text)  # the review's own heading
          or named and re.search(rf"(?i){lscb}(?!\s+(?:at|in|for|to|with|and)\b)\b", wtext))
    if ml:
        add("lscb", "The effectiveness of the Local Safeguarding Children Board", ml.group(1))
    # a first page with graded lines but no "Judgement Grade" header (other layouts):
    # "Help and protection: Good", "Overall effectiveness Requires improvement to be good"
    if not out:
        label = []
        for ln in first.split("\n"):
            s = ln.strip()
            if not s:
                label = []
                continue
            ge = _grade_at_end(s.rstrip(":"))
            if ge is None and grade_of(s) is not None:
                ge = ("", s)
            if ge is not None:
                lab = " ".join(label + [ge[0]]).strip(" :")
                if lab and len(lab) < 140 and re.search(
                        r"(?i)overall effectiveness|leader|help and protection|in care|care leavers|looked after|adoption", lab):
                    add(area_of(lab), lab, ge[1])
                label = []
                continue
            label = (label + [s])[-2:] if len(s) < 75 else []
    # pre-SIF safeguarding / looked-after inspections: "Overall effectiveness Adequate" tables
    # (a report with a "Judgement Grade" table, or graded overall already, takes none)
    if m is None and not any(j.area == "overall_effectiveness" for j in out):
        for t in re.finditer(
            rf"(?i)(overall effectiveness[^.]{{0,120}}?) (?:is|are|was) (?:judged (?:to be )?)?({_GRADE_RE})\b",
            _ws(text[:20000]),
        ):
            if not any(j.area == "overall_effectiveness" for j in out) and "not yet" not in t.group(1).lower():
                add("overall_effectiveness", t.group(1), t.group(2))
    if re.search(r"(?i)safeguarding and looked after children services|arrangements for the protection of children|"
                 r"inspection of (?:local authority )?services for (?:children )?looked after children|"
                 r"inspection of looked after children(?:'s)?\s+services", first[:3000]):
        table = _pre_sif(text)
        if _main_findings_table(text.replace("\f", "\n").split("\n")):
            out = [o for o in out if not any(o.area == j.area for j in table)]  # the table is the record
        for j in table:
            if not any(o.area == j.area for o in out):
                out.append(j)
    order = ["overall_effectiveness", "impact_of_leaders", "help_and_protection", "children_in_care",
             "adoption", "care_leavers", "leadership_management_governance", "lscb"]
    out.sort(key=lambda j: order.index(j.area) if j.area in order else len(order))
    return out
