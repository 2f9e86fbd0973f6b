"""The self-audit: named checks that a record fails, so that a doubtful reading is flagged,
never silently written as fact.

Each failed check is a :class:`~.records.Check` on ``record.audit`` (``extract`` prints them,
``build`` lists the documents that have any, and the graph records each as an
``okg:Doubt`` of the report, about the item when there is one).  The checks, whose ids are
concepts of the ``check:`` scheme of the ontology:

=============================  ============================================================
``authority_not_resolved``     no authority could be named from the document's words
``date_not_read``              no visit date and no publication or letter date
``visit_dates_not_read``       an inspection or visit without its dates
``letter_date_not_read``       a letter without its own date
``no_lead_inspector``          an Ofsted report or letter without a lead inspector
``no_judgements``              a full inspection without graded judgements
``no_overall_effectiveness``   a full inspection graded but without the overall judgement
                               (reformed ILACS reports from April 2026 have none: not checked)
``no_concerns``                a full inspection without any recommendation or item of what
                               needs to improve
``heading_without_items``      a list heading ("What needs to improve ...") with no item read
                               under it and no "there are none" sentence
``item_reads_as_narrative``    a list item that reads as a paragraph of findings (several
                               sentences) rather than one thing to improve
``item_has_page_furniture``    a list item holding a postcode, a phone number, an e-mail or
                               web address (an address block or running text taken in)
=============================  ============================================================
"""

from __future__ import annotations

import re

from .items.lists import narrative
from .records import Check, DocumentRecord

__all__ = ["CHECKS", "audit"]

CHECKS: tuple[str, ...] = (
    "authority_not_resolved", "date_not_read", "visit_dates_not_read", "letter_date_not_read",
    "no_lead_inspector", "no_judgements", "no_overall_effectiveness", "no_concerns",
    "heading_without_items", "item_reads_as_narrative", "item_has_page_furniture",
)
_VISITS = ("monitoring_visit", "focused_visit", "joint_targeted_area_inspection")
_FURNITURE = re.compile(
    r"\b[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}\b|\b0\d{3} ?\d{3} ?\d{4}\b|@[\w-]+\.[a-z]{2,}|\bwww\.|\bPiccadilly Gate\b")


def audit(record: DocumentRecord) -> list[Check]:
    """The checks ``record`` fails (empty when nothing looks wrong).  Raises nothing."""
    out: list[Check] = []
    dt = record.document_type
    if record.authority is None:
        out.append(Check("authority_not_resolved", "no authority named in the document's title or text"))
    if record.visit_start is None and record.published is None:
        out.append(Check("date_not_read", "no visit, publication or letter date"))
    elif record.visit_start is None and (dt in _VISITS or dt == "full_inspection"):
        out.append(Check("visit_dates_not_read", "the visit or inspection dates were not read"))
    if dt in _VISITS and record.published_source != "letter_date":
        out.append(Check("letter_date_not_read", "the letter's date was not read"))
    if (record.publisher == "Ofsted" and dt != "other"
            and not any(i.role == "lead" for i in record.inspectors)
            and dt != "joint_targeted_area_inspection"):
        out.append(Check("no_lead_inspector", "no inspector named as lead or signing"))
    if dt == "full_inspection":
        areas = {j.area for j in record.judgements}
        if not areas:
            out.append(Check("no_judgements", "no graded judgement read"))
        elif "overall_effectiveness" not in areas and record.framework != "ILACS_2026":
            out.append(Check("no_overall_effectiveness", "graded, but no overall effectiveness judgement"))
        if not record.concerns:
            out.append(Check("no_concerns", "no recommendation or item of what needs to improve"))
    for heading in record.empty_lists:
        out.append(Check("heading_without_items", f"nothing read under {heading!r}"))
    for c in record.concerns:
        if narrative(c.text):
            out.append(Check("item_reads_as_narrative", "a list item of several sentences", c.position))
        if _FURNITURE.search(c.text):
            out.append(Check("item_has_page_furniture", "a list item holding an address or contact line",
                             c.position))
    return out
