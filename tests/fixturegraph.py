"""A small, hand-made fixture graph: records as extraction would give them, written to a
store through the real RDF mapping, vocabulary loading and linking.

Texts are quoted from real reports (Sefton 2016 and 2024, Knowsley 2017 and 2024;
Ofsted, Open Government Licence v3.0), plus one deliberately hostile authority and text
("Telford & Wrekin", markup and script) for escaping tests.  Use ``fixture_store()`` for
an in-memory store, or ``write_fixture(store)`` for an on-disk one.
"""

from __future__ import annotations

import hashlib

from ofsted_kg.graph_builder.records import (
    AuthorityRef, Concern, DocumentRecord, Finding, Inspector, Judgement, Source,
)
from ofsted_kg.store import Store

SEFTON = AuthorityRef("Sefton", "E08000014", "80550", "343", "North West")
KNOWSLEY = AuthorityRef("Knowsley", "E08000011", "80479", "340", "North West")
TELFORD = AuthorityRef("Telford & Wrekin", "E06000020", "80570", "894", "West Midlands")

HOSTILE = '<script>window.__pwned = 1</script> & <b>bold</b> "quoted" \u2019s'


def _sha(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()


def _c(kind: str, text: str, page: int, themes: list[str]) -> Concern:
    return Concern(kind=kind, text=text, page=page, themes=themes,
                   theme_matches=[{"theme": t, "label": t, "rule": "fixture"} for t in themes])


def _f(text: str, polarity: str, page: int, themes: list[str]) -> Finding:
    return Finding(text=text, polarity=polarity, page=page, themes=themes,
                   theme_matches=[{"theme": t, "label": t, "rule": "fixture"} for t in themes])


def sample_records() -> list[DocumentRecord]:
    """Five documents of three authorities, positions numbered."""
    recs = [
        DocumentRecord(
            source=Source("sefton-2016.pdf", _sha("sefton-2016"), 44), authority=SEFTON,
            document_type="full_inspection", framework="SIF", visit_start="2016-04-11",
            visit_end="2016-05-05", published="2016-06-27", published_source="printed",
            title="Sefton: inspection of services for children in need of help and protection",
            publisher="Ofsted",
            inspectors=[Inspector("Shirley Bailey", "lead"), Inspector("Anne Waterman")],
            judgements=[
                Judgement("overall_effectiveness", "Children's services in Sefton require improvement", "requires_improvement"),
                Judgement("help_and_protection", "Children who need help and protection", "requires_improvement"),
                Judgement("children_in_care", "Children looked after and achieving permanence", "requires_improvement"),
                Judgement("care_leavers", "Experiences and progress of care leavers", "requires_improvement"),
            ],
            concerns=[
                _c("recommendation", "Ensure that care leavers get timely support for their mental health and accommodation needs.", 9,
                   ["care-leavers", "mental-health", "accommodation", "timeliness"]),
                _c("recommendation", "Ensure that management oversight is clearly recorded in case notes.", 8,
                   ["management-oversight"]),
            ],
            findings=[
                _f("Care leavers do not receive timely support for their emotional and mental health needs.", "weakness", 30,
                   ["care-leavers", "mental-health", "timeliness"]),
            ],
        ),
        DocumentRecord(
            source=Source("sefton-2024-mv.txt", _sha("sefton-2024-mv"), 5), authority=SEFTON,
            document_type="monitoring_visit", framework="ILACS", visit_start="2024-02-13",
            visit_end="2024-02-14", published="2024-03-19", published_source="letter_date",
            publisher="Ofsted", visit_number=5,
            follows_up={"text": "the fifth monitoring visit since the local authority was judged inadequate in February 2022",
                        "judgement": "inadequate", "date": "2022-02"},
            inspectors=[Inspector("Lisa Summers", "lead"), Inspector("Rebecca Dubbins")],
            concerns=[
                _c("area_of_concern", "The impact of support in meeting young people's needs, including the timeliness in accessing services to help their mental health and emotional well-being.", 1,
                   ["care-leavers", "mental-health", "timeliness"]),
            ],
            findings=[
                _f("There are still delays in young people accessing timely, lower-level emotional and mental health support.", "weakness", 1,
                   ["mental-health", "timeliness"]),
                _f("Senior leaders have strengthened their investment and commitment to young people through a refreshed local offer for care leavers.", "strength", 2,
                   ["care-leavers", "local-offer"]),
            ],
        ),
        DocumentRecord(
            source=Source("knowsley-2017.pdf", _sha("knowsley-2017"), 40), authority=KNOWSLEY,
            document_type="full_inspection", framework="SIF", visit_start="2017-03-06",
            visit_end="2017-03-30", published="2017-06-13", published_source="printed",
            publisher="Ofsted", inspectors=[Inspector("Paul Stevens", "lead")],
            judgements=[Judgement("overall_effectiveness", "Children's services in Knowsley are inadequate", "inadequate")],
            concerns=[_c("recommendation", "Improve the quality of pathway plans so that they are specific and reviewed regularly.", 7,
                         ["care-leavers", "pathway-planning", "quality"])],
        ),
        DocumentRecord(
            source=Source("knowsley-2024-fv.txt", _sha("knowsley-2024-fv"), 6), authority=KNOWSLEY,
            document_type="focused_visit", framework="ILACS", visit_start="2024-01-31",
            visit_end="2024-02-01", published="2024-03-06", published_source="letter_date",
            publisher="Ofsted", inspectors=[Inspector("Paul Stevens", "lead")],
            concerns=[_c("area_for_improvement", "The quality and timeliness of pathway plans.", 4,
                         ["care-leavers", "pathway-planning", "quality", "timeliness"])],
            findings=[_f("Pathway plans are not consistently updated when young people's circumstances change.", "weakness", 3,
                         ["pathway-planning", "consistency"])],
        ),
        DocumentRecord(
            source=Source("telford-2020.pdf", _sha("telford-2020"), 20), authority=TELFORD,
            document_type="full_inspection", framework="ILACS", inspection_type="short",
            visit_start="2020-01-06", visit_end="2020-01-10", published="2020-03-02",
            published_source="pdf_metadata", publisher="Ofsted",
            inspectors=[Inspector("Rachel Holden", "lead")],
            judgements=[Judgement("overall_effectiveness", "Overall effectiveness", "outstanding"),
                        Judgement("impact_of_leaders", "The impact of leaders on social work practice with children and families", "outstanding")],
            concerns=[_c("area_for_improvement", f"Improve the recording of {HOSTILE} decisions.", 3,
                         ["quality"])],
        ),
    ]
    for r in recs:
        for i, c in enumerate(r.concerns, 1):
            c.position = i
        for i, f in enumerate(r.findings, 1):
            f.position = i
    return recs


def write_fixture(store: Store) -> Store:
    """Write the fixture documents (and vocabulary and links) into ``store``."""
    from ofsted_kg.graph_builder.links import relink
    from ofsted_kg.graph_builder.rdf import record_ntriples, report_iri
    from ofsted_kg.graph_builder.vocabulary import ensure_vocabulary
    from ofsted_kg.store import report_graph

    ensure_vocabulary(store)
    keys = set()
    for r in sample_records():
        store.replace_graphs(report_graph(r.source.sha256), record_ntriples(r),
                             manifest={report_iri(r.source.sha256): "/fixture/" + r.source.file})
        keys.add(r.authority.gss_code)
    relink(store, keys)
    return store


def fixture_store() -> Store:
    """An in-memory store holding the fixture graph."""
    return write_fixture(Store(None))
