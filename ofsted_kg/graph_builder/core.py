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
from .dates import (
    _D,
    _M,
    _flat,
    _month,
    _ws,
    area_of,
    grade_of,
    parse_date,
    parse_date_range,
)
from .judgements import _judgements
from .letters import _letter
from .normalise import PreparedDocument, fold
from .people import _team
from .records import DocumentRecord, Inspector

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
