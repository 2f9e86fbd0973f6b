"""Polarity of findings: phrases whose words read the wrong way one by one, and the
agreement with a hand-labelled random sample of the corpus's findings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ofsted_kg.graph_builder.items import polarity


@pytest.mark.parametrize("text,expected", [
    # "without delay" is promptness, not a delay
    ("Good transition arrangements for care leavers with significant physical or mental health "
     "needs ensure that they receive the services that they need as adults without delay.", "strength"),
    ("Children are seen without undue delay.", "strength"),
    # waiting is a weakness even beside a positive word
    ("This is because of the long wait to access appropriate mental health services.", "weakness"),
    ("Some children wait too long for their initial health assessments.", "weakness"),
    ("Waiting lists for therapeutic support are lengthy.", "weakness"),
    # "well-being" is not "well"
    ("They also provide pretenancy and tenancy support, and counselling and well-being sessions.", None),
    ("There are still delays in young people accessing timely, lower-level emotional and mental "
     "health support.", "weakness"),
    # "not all" is a shortfall in some cases, however plain the rest of the sentence
    ("Not all carers are visited within the agreed timescales.", "weakness"),
    # shortfalls and praise in words of their own
    ("There is a large backlog of reviews of placements.", "weakness"),
    ("Recording of visits remains an area for further development.", "weakness"),
    ("The use of short breaks is under developed.", "weakness"),
    ("Managers give careful thought to each referral.", "strength"),
    ("Leaders hold an accurate view of the service.", "strength"),
    ("Workers actively seek the views of fathers.", "strength"),
    ("The number of children waiting for a placement has significantly reduced.", "strength"),
    # a cohort's name is no negation; "closely" is praise
    ("Personal advisers closely track care leavers who are not in education, employment or "
     "training.", "strength"),
    ("Young people who are not in education or training are offered apprenticeships.", None),
    ("Too many care leavers are not in education, employment or training.", "weakness"),
    ("Care leavers who are not in employment do not get help to find work.", "weakness"),
    # the workforce as reports grade it: caseloads and turnover high or low, up or down
    ("Staff describe their caseloads as being manageable.", "strength"),
    ("Over the last year, average caseloads in the assessment teams have notably fallen.", "strength"),
    ("The rate of staff turnover has fallen this year.", "strength"),
    ("Turnover among managers is low.", "strength"),
    ("Social workers in the court team have high caseloads.", "weakness"),
    ("Caseloads in the front door teams are high.", "weakness"),
    ("The turnover of staff has increased in recent months.", "weakness"),
    ("Workloads are unmanageable for some personal advisers.", "weakness"),
    # a number falling or rising is no judgement of its own
    ("The number of children adopted has fallen since 2020.", None),
    ("Referrals to the service have increased over the last year.", None),
    # relationships and help praised in these words
    ("Children build trusting relationships with their personal advisers.", "strength"),
    ("Inspectors met an enthusiastic group of foster carers.", "strength"),
    ("Child protection chairs add value to the planning for each child.", "strength"),
    ("Families receive the right level of help for their needs.", "strength"),
    # a consequence stated as a shortfall outweighs the praise words it names
    ("This makes it difficult for children to build trusting relationships with their "
     "workers.", "weakness"),
    ("Some children have too many changes of social worker, which makes it difficult to "
     "progress plans in a timely way and to build trusting relationships.", "weakness"),
    # what should have happened and did not; a plan that is not there
    ("A few children who should have been referred for an assessment were signposted to "
     "early help.", "weakness"),
    ("For some children, protective action could have been taken sooner.", "weakness"),
    ("Several children have optimistic plans, with no contingency plan in place.", "weakness"),
    ("Previously, care leavers would have received a printed guide.", None),
    # a leading clause of what the practice responds to judges nothing: the main clause does
    ("When it is not possible to place brothers and sisters together, careful attention is "
     "paid to their time together.", "strength"),
    ("Where plans are not progressing, managers act swiftly to escalate them.", "strength"),
    ("When there are concerns about a carer, the response is not timely.", "weakness"),
    ("When return interviews do not take place, the reasons are not explored.", "weakness"),
    # harm done, and a spread of quality, are shortfalls; adverse experiences are a cohort's
    ("The shortage of carers adversely affects the stability of placements.", "weakness"),
    ("Delays have had an adverse impact on children.", "weakness"),
    ("Workers understand the impact of adverse childhood experiences.", None),
    ("Young people describe a variance in the support they receive.", "weakness"),
    # work still asked for; caseloads higher than wanted; morale and caseloads falling
    ("Further work is required to raise awareness of private fostering.", "weakness"),
    ("Caseloads in the assessment teams are higher than managers would want.", "weakness"),
    ("Staff morale is high across the service.", "strength"),
    ("The new posts are delivering results, with reducing caseloads.", "strength"),
    # a shortfall leaders own
    ("Senior managers recognise the need to refresh the assessment format.", "weakness"),
    # practice described as done for children
    ("Children are helped to understand their rights.", "strength"),
    ("Care leavers are supported to stay in touch with their former carers.", "strength"),
    ("Children are not supported to stay in touch with their brothers and sisters.", "weakness"),
    # the last judgement recalled is no finding of this report: the main clause's is
    ("Since the last inspection in 2019, when services for children were judged to be "
     "requires improvement to be good, improvements have been made in some areas.", "strength"),
    ("Since the last inspection in 2015, when services were judged inadequate overall, senior "
     "leaders have considerably strengthened children\u2019s services.", "strength"),
    ("Since the last inspection in 2018, when services were judged to be good, the quality of "
     "practice has deteriorated and too many children wait for help.", "weakness"),
    # progress made, in the passive too
    ("Progress has been made in all areas of the plan.", "strength"),
    ("Insufficient progress has been made in a small number of critical areas.", "weakness"),
    ("Progress has been made in some key areas but there remain a number of weaknesses.",
     "mixed"),
    # "less" before a quality is a shortfall, whatever the quality's own word says ...
    ("Planning is less strong for those who achieve permanence through options other than "
     "adoption.", "weakness"),
    ("However, with more complex, entrenched difficulties, the work is less successful.",
     "weakness"),
    ("Some pathway plans are updated every six months but the updating of young people\u2019s "
     "plans when circumstances change is less evident.", "weakness"),
    # ... not before a need or an amount
    ("Advice is offered to families of children with less complex needs.", None),
    ("Fewer adopters were recruited, less than half the number of similar areas.", None),
    # a shortfall reported as put right is praise ...
    ("Following the joint targeted area inspection in July 2022, when areas for priority "
     "action were identified for children at risk of exploitation, practice shortfalls have "
     "been addressed effectively.", "strength"),
    ("Areas for improvement noted during the joint targeted inspection in 2017 have been "
     "addressed.", "strength"),
    ("All recommendations have been addressed, although the quality of chronologies remains "
     "variable.", "mixed"),
    # ... not when it is not, or when the remedy is another clause's
    ("The shortfalls identified at the last inspection have not been addressed.", "weakness"),
    ("The areas for improvement have yet to be addressed.", "weakness"),
    ("There is a delay for some children in stepping down from pre-proceedings where risks "
     "have been reduced.", "weakness"),
    # what the records do not let anyone see is a shortfall
    ("Open-ended timescales mean that it is difficult to show that sufficient progress has "
     "been made to reduce risk.", "weakness"),
    ("It is difficult to understand actions for individual children.", "weakness"),
    ("Children who find it difficult to engage are offered creative support.", "strength"),
    # work asked for in the conditional, and practice named by its shortfall
    ("Multi-agency arrangements for children missing from home would benefit from further "
     "development.", "weakness"),
    ("Assessments could be further strengthened by better use of research.", "weakness"),
    ("Governance arrangements are more robust, but there is room for further improvement.",
     "mixed"),
    ("Some plans are vague in their objectives, making progress difficult to measure.",
     "weakness"),
    # ... not a child's need
    ("Children who would benefit from early help are offered it promptly.", "strength"),
    # a delay or drift the practice averts is promptness ...
    ("Regular review of plans avoids drift and ensures progress is maintained.", "strength"),
    ("Adoption is considered at the earliest stage, and delay is minimised through the "
     "adoption process.", "strength"),
    ("Inspectors found no evidence of drift in these cases.", "strength"),
    # ... unless the aversion is negated, or the delay only avoidable
    ("However, management oversight does not always challenge and prevent drift for all "
     "children effectively.", "weakness"),
    ("Too many children experience uncertainty as a result of avoidable delays.", "weakness"),
    # more work asked for is a shortfall; more of something a response needs is not
    ("Further improvements are needed to increase the number of suitable foster placements "
     "for older children.", "weakness"),
    ("Leaders have worked proactively with health partners to tackle this issue, but more "
     "progress is needed.", "weakness"),
    ("Family Connect considers contacts effectively when more information is required.",
     "strength"),
    ("However, improvement is needed to increase the number of young people in education, "
     "employment and training.", "weakness"),
    ("The independent chair challenges partners promptly when improvements are needed.",
     "strength"),
    # "...; others ..." contrasts the two
    ("Some children benefit from helpful services at an early stage; others receive a less "
     "effective service.", "mixed"),
])
def test_polarity(text: str, expected: str | None) -> None:
    assert polarity(text) == expected


@pytest.mark.parametrize("sample,n,judged,agree", [
    ("findings_sample.json", 240, 235, 210),  # development data (its disagreements read)
    ("findings_heldout.json", 200, 193, 171),  # measured once, no rule chosen from it
])
def test_agreement_with_the_hand_labelled_samples(sample: str, n: int, judged: int,
                                                  agree: int) -> None:
    """Findings drawn at random from the corpus, labelled by reading them
    (tests/data/polarity): the tool agrees on at least ``agree`` of the ``judged`` that
    carry a judgement (bench/polarity_accuracy.py prints the confusion)."""
    rows = json.loads((Path(__file__).parent / "data" / "polarity" / sample)
                      .read_text(encoding="utf-8"))["findings"]
    with_judgement = [r for r in rows if r["label"] != "none"]
    right = [r["id"] for r in with_judgement if polarity(r["text"]) == r["label"]]
    assert len(rows) == n and len(with_judgement) == judged
    assert len(right) >= agree, f"{len(right)}/{judged} agree"
