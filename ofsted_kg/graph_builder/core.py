"""What a report is, who wrote it, when, and its graded judgements.

:func:`extract_core` fills a :class:`DocumentRecord`'s identity fields from the document's
own words, never from its file name:

* ``document_type`` from titles and letter openings ("Inspection of X local authority
  children's services", "Inspection of services for children in need of help and
  protection...", "Monitoring visit to X", "Focused visit to X", "Joint targeted area
  inspection", a Department for Education commissioner's report);
* ``framework`` from the report's structure and the *inspection* dates (SIF's numbered
  judgement table; ILACS' judgement/grade table; inspections starting from April 2026 are
  ``ILACS_2026``), ``inspection_type`` (ILACS full inspections: on-site period of about
  one week is ``short``, two weeks ``standard``);
* visit dates, the publication or letter date (else the PDF's metadata, said so in
  ``published_source``), inspectors and the lead, and every judgement with its grade.

Everything here raises nothing but :class:`~ofsted_kg.errors.DocumentError` (a text that is
not an inspection report at all).
"""

from __future__ import annotations

import re
from datetime import date

from ..errors import DocumentError
from .authorities import find_authority
from .normalise import PreparedDocument, fold, fold_case
from .dates import (_D, _FLAT_PAIRS, _GRADE_RE, _M, _MONTH_YEAR, _flat, _month, _ws, area_of, grade_of,  # noqa: F401
                    parse_date, parse_date_range)
from .letters import _letter
from .people import _team
from .records import DocumentRecord, Inspector, Judgement

__all__ = ["extract_core", "parse_date", "parse_date_range", "grade_of", "area_of"]

# ---------------------------------------------------------------------------- typing

_NOT_REPORT = "not an inspection report"


_TITLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("joint_targeted_area_inspection", re.compile(r"(?im)^[ *]*joint targeted area inspection\b")),
    ("monitoring_visit", re.compile(r"(?im)^[ *]*monitoring visit (?:to|of|at)\b")),
    ("focused_visit", re.compile(r"(?im)^[ *]*focused visit (?:to|of|at)\b")),
    ("full_inspection", re.compile(
        r"(?im)^[ *]*(?:re-?)?inspection\s+of\s+(?:(?:[^\n]|\n(?![ \t]*\n)){0,140}?children'?s\s+(?:social\s+care\s+)?services|"
        r"children'?s\s+social\s+care\s+services|services for children in need of help|"
        r"local authority arrangements for the protection of children|"
        r"safeguarding and looked after children services|services for children looked after|"
        r"(?:[^\n]|\n(?![ \t]*\n)){0,80}?children\s+and\s+families\s+trust|"
        r"(?:[^\n]|\n(?![ \t]*\n)){0,80}?children'?s\s+(?:services\s+)?trust)")),
    ("other", re.compile(r"(?im)^[ *]*review of the effectiveness of the local safeguarding children\s+board")),
)


def _document_type(head: str) -> tuple[str, str | None]:
    """(document_type, publisher) from the opening text (flat, first pages).

    The title (a line that starts with "Monitoring visit to", "Inspection of ... local
    authority children's services", ...) decides; the earliest title line wins, so a
    report that mentions "a focused visit to the front door" in its summary is not a
    focused visit.  Sentences ("the findings of the focused visit") are the fallback.

    Raises:
        ValueError: no sign of an Ofsted or DfE report on children's services.
    """
    first: tuple[int, str] | None = None
    window = head[:6000]
    for kind, pat in _TITLES:
        m = pat.search(window)
        if m and (first is None or m.start() < first[0]):
            first = (m.start(), kind)
    ofsted_shape = re.search(r"(?im)^\s*(?:inspection dates?\s*:|judgement\s+grade\s*$)", window[:3000])
    if first is not None and (first[0] < 1500 or ofsted_shape or re.search(r"(?m)^\s*Dear\b", window[:first[0]])):
        return first[1], "Ofsted"
    f = fold(head)  # (only here: most documents are told by their title above)
    # a DfE commissioner's report: the department's name and a commissioner (or the
    # Secretary of State it reports to) in its opening, and no Ofsted report shape
    dfe = "department for education" in f[:3000] or "department for education" in f[-3000:]
    if not ofsted_shape and dfe and re.search(r"\bcommissioner\b|secretary of state", f[:3000]):
        return "commissioner_report", "Department for Education"
    if first is not None:
        return first[1], "Ofsted"
    # structure of a full report without a known title: inspection dates + a graded table
    if re.search(r"(?im)^\s*inspection dates?\s*:", window[:3000]) and (
            re.search(r"(?im)^\s*judgement\s+grade\s*$", window[:4000])
            or re.search(r"(?i)overall (?:judgement|effectiveness)", window[:4000])):
        return "full_inspection", "Ofsted"
    for kind, phrase in (("monitoring_visit", "findings of the monitoring visit"),
                         ("focused_visit", "findings of the focused visit"),
                         ("joint_targeted_area_inspection", "findings of the joint targeted area inspection")):
        if phrase in f[:5000]:
            return kind, "Ofsted"
    if "ofsted" in f or ("inspection" in f[:5000] and "children" in f[:5000]):
        return "other", "Ofsted" if "ofsted" in f else None
    if dfe and "children" in f:
        return "other", "Department for Education"
    raise ValueError(_NOT_REPORT)


# ---------------------------------------------------------------------------- main entry


def extract_core(doc: PreparedDocument, record: DocumentRecord) -> None:
    """Fill ``record``'s authority, type, framework, dates, inspectors and judgements.

    Raises:
        DocumentError: the text shows no sign of being an Ofsted or DfE report on
            children's services ("not an inspection report").
    """
    pages = [_flat(p) for p in doc.pages]
    text = "\f".join(pages)
    first = pages[0] if pages else ""
    head = "\n".join(pages[:3])
    if len(head) < 4000:
        head = text[:12000]
    try:
        dtype, publisher = _document_type(head)
    except ValueError:
        raise DocumentError(doc.raw.path, _NOT_REPORT) from None
    record.document_type = dtype
    record.publisher = publisher
    record.authority = find_authority(first if len(first) > 300 else head, text)

    if dtype in ("monitoring_visit", "focused_visit", "joint_targeted_area_inspection"):
        _letter(doc, pages, text, record)
    elif dtype == "commissioner_report":
        _commissioner(pages, text, record)
    else:
        _report(doc, pages, text, record)

    if record.published is None:
        meta = doc.raw.metadata or {}
        for key in ("ModDate", "CreationDate"):
            m = re.match(r"D:(\d{4})(\d{2})(\d{2})", meta.get(key, ""))
            if m:
                record.published = f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
                record.published_source = "pdf_metadata"
                break
    _framework(text, record)
    if dtype == "full_inspection":
        areas = {j.area for j in record.judgements}
        if not areas:
            record.warnings.append("no graded judgements found")
        elif record.framework in ("SIF", "ILACS", "pre_SIF") and "overall_effectiveness" not in areas:
            record.warnings.append("no overall effectiveness judgement found")
        if not any(i.role == "lead" for i in record.inspectors):
            record.warnings.append("no lead inspector found")
    if dtype != "commissioner_report" and dtype != "other" and record.visit_start is None:
        record.warnings.append("no visit dates found")


# ---------------------------------------------------------------------------- full reports


def _title_lines(first: str) -> list[str]:
    out = []
    for ln in first.split("\n"):
        s = ln.strip()
        if not s or s.isdigit():
            continue
        if re.match(r"(?:inspection|visit) dates?\s*:", s, re.I):
            break
        out.append(s)
        if len(out) >= 8:
            break
    return out


def _report(doc: PreparedDocument, pages: list[str], text: str, record: DocumentRecord) -> None:
    first = pages[0] if pages else ""
    lines = _title_lines(first)
    if lines:
        title_lines = lines
        # SIF reports open with the council's name, then the title
        if len(lines) > 1 and not re.match(r"(?:re-)?inspection|review", lines[0], re.I):
            idx = next((i for i, ln in enumerate(lines) if re.match(r"(?:re-)?inspection|review", ln, re.I)), None)
            if idx is not None:
                title_lines = lines[idx:]
            elif record.document_type == "other":
                title_lines = lines[:1]
        while len(title_lines) > 1 and re.search(r"(?i)\b(?:council|borough|city|county)$", title_lines[-1]):
            title_lines = title_lines[:-1]  # the council's name under the title (2009-13 reports)
        title = re.sub(r"(?<=[a-z])\d$", "", _ws(" ".join(title_lines)))
        record.title = title if len(title) <= 250 else title[:250].rsplit(" ", 1)[0] + "..."
    m = re.search(r"(?:inspection|visit) dates?\s*:\s*([^\n]*(?:\n[^\n]*)?)", text, re.I) or \
        re.search(r"(?im)^\s*(?:inspection|visit) dates?\s*\n\s*([^\n]*(?:\n[^\n]*)?)", text[:8000])
    if m:
        record.visit_start, record.visit_end = parse_date_range(m.group(1))
    m = re.search(r"(?im)(?:report published\s*:?|^\s*published\s*:|^\s*publication date\s*:?)\s*([^\n]+)", text[:20000])
    if m and parse_date(m.group(1)):
        record.published = parse_date(m.group(1))
        record.published_source = "printed"
    record.inspectors = _team(text)
    record.judgements = _judgements(doc, pages, text)


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
    wtext = _ws(text)
    # (what the whole-text searches below need, tested in it first: most texts lack it)
    wfold = fold_case(wtext)
    graded = re.finditer(
        rf"(?i)graded judgement (?:for|about|on) (?:the )?([a-z ,']{{5,80}}?) is that (?:it|they) ({_GRADE_RE})\b",
        wtext,
    ) if "graded judgement " in wfold else ()
    for t in graded:
        add(area_of(t.group(1)), t.group(1), t.group(2))
    if any(j.area in ("help_and_protection", "leadership_management_governance") for j in out) or \
            ("children looked after and achieving" in wfold
             and re.search(r"(?i)children looked after and achieving\s+permanence", text[:30000])):
        lines = body.replace("\f", "\n").split("\n")
        for i, ln in enumerate(lines):
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
    named = "local safeguarding children" in wfold  # (in the text, then, if anywhere)
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
    for t in re.finditer(
        rf"(?i)(overall effectiveness[^.]{{0,120}}?) (?:is|are|was) (?:judged (?:to be )?)?({_GRADE_RE})\b",
        _ws(text[:20000]),
    ):
        if m is None and not any(j.area == "overall_effectiveness" for j in out) and "not yet" not in t.group(1).lower():
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


# ---------------------------------------------------------------------------- commissioner


def _commissioner(pages: list[str], text: str, record: DocumentRecord) -> None:
    head = "\n".join(pages[:2])[:4000]
    for ln in head.split("\n"):
        s = ln.strip().strip("*")
        if re.search(r"(?i)children'?s services", s) and len(s) < 120:
            record.title = _ws(s)
            break
    for ln in head.split("\n"):
        s = ln.strip().strip("*")
        m = re.fullmatch(rf"({_D}\s+)?({_M})\s+((?:19|20)\d\d)", s, re.I)
        if m:
            if m.group(1):
                record.published = parse_date(s)
            else:
                record.published = f"{m.group(3)}-{_month(m.group(2)):02d}-01"
                record.warnings.append(f"published date printed as a month only ({s}); day set to 1")
            record.published_source = "printed"
            break
    m = re.search(rf"(?i)review of [^.]{{0,60}}? from\s+({_M})\s+((?:19|20)\d\d)\s+to\s+({_M})\s+((?:19|20)\d\d)", _ws(text[:15000]))
    if m:
        record.warnings.append(f"review period {m.group(1)} {m.group(2)} to {m.group(3)} {m.group(4)} (months only)")
    # the commissioner signs the report: a name line followed by "... Commissioner for ..."
    flat = text.replace("*", "")
    for mc in re.finditer(r"(?m)^\s*([A-Z][a-z'\-]+(?: [A-Z][a-z'\-]+){1,3})\s*\n\s*\n?\s*([^\n]*Commissioner[^\n]*)$", flat):
        record.inspectors = [Inspector(mc.group(1), "other")]
        break
    if not record.inspectors:
        mc2 = re.search(r"(?i)commissioner[^.\n]{0,40}?,\s*([A-Z][a-z'\-]+ [A-Z][a-z'\-]+)", flat[:15000])
        if mc2:
            record.inspectors = [Inspector(mc2.group(1), "other")]


# ---------------------------------------------------------------------------- framework


def _framework(text: str, record: DocumentRecord) -> None:
    dt = record.document_type
    start = record.visit_start or record.published
    if dt in ("commissioner_report", "joint_targeted_area_inspection") or start is None and dt != "full_inspection":
        record.framework = None
        return
    head = " ".join(_flat(text[:25000]).lower().split())
    areas = {j.area for j in record.judgements}
    if dt == "full_inspection" or dt == "other" and areas:
        if "leadership_management_governance" in areas or "children looked after and achieving permanence" in head:
            record.framework = "SIF"
        elif "impact_of_leaders" in areas or "judgement grade" in head or "local authority children's services" in head[:600]:
            record.framework = "ILACS_2026" if start and start >= "2026-04-01" else "ILACS"
        elif start and start < "2013-11-01" or "safeguarding and looked after children" in head[:3000]:
            record.framework = "pre_SIF"
        elif start:
            record.framework = "SIF" if start < "2018-01-01" else ("ILACS_2026" if start >= "2026-04-01" else "ILACS")
        if record.framework in ("ILACS", "ILACS_2026") and dt == "full_inspection" and record.visit_start and record.visit_end:
            days = (date.fromisoformat(record.visit_end) - date.fromisoformat(record.visit_start)).days
            record.inspection_type = "short" if days <= 7 else "standard"
        return
    if dt == "other":
        record.framework = None  # nothing says which framework an unknown document is under
        return
    # visits: the framework they were carried out under
    if "single inspection framework" in head:
        record.framework = "SIF"
    elif start and start < "2018-01-01":
        record.framework = "SIF"
    else:
        record.framework = "ILACS_2026" if start and start >= "2026-04-01" else "ILACS"
