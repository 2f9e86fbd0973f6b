"""Plain records: what extraction reads out of one report.  No rdflib here.

The JSON form (:meth:`DocumentRecord.to_dict`) is the contract of ``ofsted-kg extract``::

    {"source": {"file", "sha256", "pages"},
     "authority": {"name", "gss_code", "ofsted_urn", "la_code"} | null,
     "document_type", "framework", "inspection_type",
     "visit_start", "visit_end", "published", "published_source",
     "inspectors": [{"name", "role"}],
     "judgements": [{"area", "label", "grade"}],
     "concerns": [{"kind", "text", "page", "themes", "addressee", "group", ...}],
     "findings": [{"text", "polarity", "page", "themes", ...}],
     "topics", "topic_text",                  # visits: what the visit looked at
     "audit": [{"check", "detail", "item"}]}  # the self-audit's failed checks

Extra keys beyond the contract are allowed and documented on each field below.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

DocumentType = Literal[
    "full_inspection",
    "monitoring_visit",
    "focused_visit",
    "joint_targeted_area_inspection",
    "commissioner_report",
    "other",
]
DOCUMENT_TYPES: tuple[str, ...] = (
    "full_inspection",
    "monitoring_visit",
    "focused_visit",
    "joint_targeted_area_inspection",
    "commissioner_report",
    "other",
)
Framework = Literal["pre_SIF", "SIF", "ILACS", "ILACS_2026"]
ConcernKind = Literal[
    "recommendation", "area_for_improvement", "area_of_concern", "area_for_priority_action"
]
CONCERN_KINDS: tuple[str, ...] = (
    "recommendation",
    "area_for_improvement",
    "area_of_concern",
    "area_for_priority_action",
)
Polarity = Literal["strength", "weakness", "mixed"]
GRADES: tuple[str, ...] = (
    "outstanding",
    "good",
    "requires_improvement",
    "adequate",
    "inadequate",
)


@dataclass(slots=True)
class Source:
    file: str  # the path as given by the user
    sha256: str  # hex digest of the file's bytes
    pages: int  # 1 for a text file without form feeds


@dataclass(slots=True)
class AuthorityRef:
    name: str  # canonical short name, e.g. "Sefton"
    gss_code: str | None  # ONS GSS code, e.g. "E08000014"
    ofsted_urn: str | None  # e.g. "80550"
    la_code: str | None  # DfE (old) LA code, e.g. "343"
    region: str | None = None  # extra: region name
    matched: str | None = None  # extra: the words in the report that named it


@dataclass(slots=True)
class Inspector:
    name: str
    role: Literal["lead", "inspector", "other"] = "inspector"


@dataclass(slots=True)
class Judgement:
    area: str  # overall_effectiveness | help_and_protection | children_in_care | ...
    label: str  # as written in the report
    grade: str  # one of GRADES
    page: int | None = None  # extra


@dataclass(slots=True)
class Concern:
    kind: str  # one of CONCERN_KINDS
    text: str  # the whole item as written, whitespace normalised
    page: int  # 1-based page where the item starts
    themes: list[str] = field(default_factory=list)  # theme concept ids, e.g. "mental-health"
    # extras
    position: int = 0  # 1-based order among the document's concerns
    section: str | None = None  # heading it was listed under, e.g. "What needs to improve"
    group: str | None = None  # sub-list it is under, as written: "Immediately", "Within three months"
    addressee: str = "council"  # council | lscb | partners (items.addressee)
    nf_tags: list[str] = field(default_factory=list)  # National Framework tags as written
    theme_matches: list[dict[str, str]] = field(default_factory=list)  # {"theme","label","rule"}
    prefix: str = ""  # a few words before the quote on the page (Web Annotation selector)
    suffix: str = ""  # a few words after


@dataclass(slots=True)
class Finding:
    text: str
    polarity: str  # strength | weakness | mixed
    page: int
    themes: list[str] = field(default_factory=list)
    # extras
    position: int = 0
    section: str | None = None
    theme_matches: list[dict[str, str]] = field(default_factory=list)
    prefix: str = ""
    suffix: str = ""


@dataclass(slots=True)
class Check:
    """A self-audit check the record fails (see :mod:`.audit` for the ids)."""

    check: str  # id, a concept of the check: scheme
    detail: str  # what was found, in words
    item: int | None = None  # position of the concern it is about, if any


@dataclass(slots=True)
class DocumentRecord:
    source: Source
    authority: AuthorityRef | None
    document_type: str  # one of DOCUMENT_TYPES
    framework: str | None = None
    inspection_type: str | None = None  # standard | short (full inspections only)
    visit_start: str | None = None  # ISO date
    visit_end: str | None = None
    published: str | None = None
    published_source: str | None = None  # printed | letter_date | pdf_metadata
    inspectors: list[Inspector] = field(default_factory=list)
    judgements: list[Judgement] = field(default_factory=list)
    concerns: list[Concern] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    # extras
    title: str | None = None
    publisher: str | None = None  # "Ofsted" | "Department for Education"
    visit_number: int | None = None  # monitoring visits: "the fifth monitoring visit"
    follows_up: dict[str, Any] | None = None  # {"text": ..., "date": "YYYY-MM" or ISO, "judgement": ...}
    warnings: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)  # visits: what the visit looked at (topic ids)
    topic_text: str | None = None  # the letter's sentence that says so
    empty_lists: list[str] = field(default_factory=list)  # list headings with no item read
    audit: list[Check] = field(default_factory=list)  # failed self-audit checks (audit.py)

    def to_dict(self) -> dict[str, Any]:
        """The record as JSON-ready plain data (the ``extract`` contract)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "DocumentRecord":
        """Rebuild a record from :meth:`to_dict` output (unknown keys are ignored)."""
        data = dict(data)
        src = Source(**data.pop("source"))
        auth = data.pop("authority", None)
        known = {f for f in cls.__dataclass_fields__}
        rec = cls(
            source=src,
            authority=AuthorityRef(**auth) if auth else None,
            **{k: v for k, v in data.items() if k in known and k not in (
                "inspectors", "judgements", "concerns", "findings", "audit")},
        )
        rec.inspectors = [Inspector(**i) for i in data.get("inspectors", [])]
        rec.judgements = [Judgement(**j) for j in data.get("judgements", [])]
        rec.concerns = [Concern(**c) for c in data.get("concerns", [])]
        rec.findings = [Finding(**f) for f in data.get("findings", [])]
        rec.audit = [Check(**c) for c in data.get("audit", [])]
        return rec
