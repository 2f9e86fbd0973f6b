"""Concern items and findings, read from the structure of a report's text.

Concerns
--------
A *concern* is one item of a list that Ofsted (or a DfE commissioner) sets the council to
act on.  The lists are found by their headings, never by file names, and
``record.document_type`` is only a hint (letters vs full inspections):

=============================  ==============================================================
kind                           where it comes from
=============================  ==============================================================
``recommendation``             "Recommendations" (SIF reports, the SIF review of the LSCB,
                               the commissioner's "Recommendations to <council>"), and the
                               "Areas for improvement" lists of full inspections before
                               ILACS (2013-14 SIF and older reports, incl. "Immediately" /
                               "Within three months" sub-lists): in those reports they are
                               the inspectorate's recommendations to the council.
``area_for_improvement``       "What needs to improve ...?" (ILACS full inspections, focused
                               visits) and "Areas for improvement" in letters (focused
                               visits, JTAIs).
``area_of_concern``            monitoring visit letters: the list after "Inspectors reviewed
                               the progress made in the following areas of concern ...:".
``area_for_priority_action``   "Area(s) for priority action" (focused visits, JTAIs).
=============================  ==============================================================

Each item is kept whole -- across wrapped lines and page breaks, with running headers,
page numbers and footnotes that fall inside removed -- and its text is the item *as
written*, whitespace normalised: line breaks joined (a line-end hyphen is kept and joined
without a space: "care-\\nexperienced" -> "care-experienced"), bullet glyphs and item numbers
dropped, sub-bullets of a numbered item joined into it with a space.  Decisions:

* SIF paragraph references such as "(paragraph 25)" or "(paragraphs 31, 32)" are part of
  the recommendation as published and are **kept** in ``text``.
* National Framework tags at the end of a 2025-26 ILACS item -- "(outcome 3, national
  framework)", "(Outcome three)", "(enabler 2, national framework)" -- are **removed** from
  ``text`` and stored, as written, in ``Concern.nf_tags``; a full stop that followed the
  tag is kept at the end of the text ("... go missing (outcome 3, national framework)." ->
  "... go missing.").
* ``section`` is the heading as written (footnote marker and trailing "?" kept as in the
  heading, e.g. "What needs to improve?"); an "Immediately"/"Within three months"
  sub-list's label is ``group`` ("Immediately"), the section staying "Areas for
  improvement"; an introduction ("... the local authority should take the following
  action.", "... with one additional area for improvement:") is not an item; for a
  monitoring visit's list it
  is the sentence that introduces the list.
* ``prefix``/``suffix``: up to five words before/after the item on the same page (markers
  dropped, whitespace normalised), for a Web Annotation ``TextQuoteSelector``.
* Structure handled: bullets (any glyph; a different glyph inside an item is a sub-bullet),
  numbered items (the numbering must run on: an out-of-sequence number is a paragraph),
  topic sub-headings inside a list ("Child protection"), the SIF 2014-15 container "What
  does the local authority/LSCB need to improve?" with its "Priority and immediate action"
  and "Areas for improvement" sub-lists (``section`` is then the sub-heading), lines such
  as "The inspection did not find any areas for priority and immediate action." (skipped),
  lists without markers (blank-separated blocks; in PDFs, paragraphs), and a monitoring
  visit's areas listed inside the sentence ("...last inspection: a; b; and c.").  A list
  ends where the next part of the document begins: at a section heading (whatever it is
  called: a short unpunctuated line followed by items that read as narrative -- several
  sentences -- is the next part, not a topic sub-heading of the list, even when its
  bullets use the list's glyph; only a numbered list runs on past such a heading), at an
  unpunctuated short line, at a heading followed by its grade ("Grade 4 (Inadequate)"), or
  at a wrapped judgement heading
  ("... protection: good").

Findings
--------
A *finding* is one **sentence** of the evaluative parts of a report that carries a
judgement: the headline/summary of letters ("Headline findings", "Main findings",
"Findings and evaluation of progress"), the commissioner's "Executive summary" and "Key
issues", and the summary and judgement sections of full inspections (executive summary,
summary of findings, the "experiences and progress of ..." and leadership sections,
"Inspection findings", the LSCB review).  Sentences were chosen over paragraphs because the
later status of a concern ("There are still delays ...") is a sentence; paragraphs mix
strengths and weaknesses.  Only sentences with at least one polarity cue are kept (purely
descriptive ones are not findings), which keeps the number reasonable.  Boilerplate
(addresses, "This letter summarises", "Yours sincerely", the method paragraphs of
"Information about this inspection", "Ofsted will take the findings ...") is never read.

Polarity is decided from the words: weakness cues ("still delays", "remains high", "too
slow", "not consistently", "inadequate", "insufficient", "lack of" ...) and strength cues
("improved", "effective", "strong", "good" ...), with negated strengths ("not effective",
"not timely") counted as weaknesses.  One side only gives ``strength``/``weakness``; both
give ``mixed``, except that strengths inside a leading concessive clause ("Although ...,",
"Despite ...,", "While ...,") yield to the main clause.  Phrases whose words read the wrong
way one by one are read whole: "less strong" and "would benefit from further development"
are weaknesses; "without delay", a delay or drift the practice prevents ("prevents drift",
"delay is minimised") and a shortfall put right ("the areas for improvement have been
addressed") are strengths; what a response is for ("when improvements are needed") is
neither.  Measured against hand-labelled random samples of the corpus's findings: 0.89
agreement on 235 (development data) and on 193 more, held out (docs/accuracy.md, "Polarity
of findings").

When a document has none of these sections, the body of the letter (from "Dear ..." to
"Yours sincerely") or the whole text is read instead.  Judgement-table rows ("Requires
improvement to be good") are never findings.  Typical counts on the corpus: 60-90
findings for a letter, 130-200 for an ILACS report, 350-550 for a SIF report.

* ``addressee``: to whom the item is addressed (:mod:`.addressee`): ``lscb`` in the part of
  a SIF report that reviews the Local Safeguarding Children Board (from its section
  heading) or a stand-alone review of the board, ``partners`` when the item's own words
  make partner agencies its subject, else ``council``.
* Address blocks (the inspectorate's letterhead that pypdfium2 puts inside page 1's text,
  the addressee's block) are page furniture: a run of short unpunctuated lines holding a
  postcode and a contact line is dropped, so a list that runs over page 1's end stays whole.
* A list heading with nothing under it (and no "there are none" sentence) is recorded in
  ``record.empty_lists`` for the self-audit (:mod:`ofsted_kg.graph_builder.audit`).

Private helpers here that :mod:`.normalise` lacks (idempotent, so they are harmless when
``prepare`` already did the work): page furniture detection (running headers/footers
recurring at the top or bottom of >= 30% of pages with their page numbers, bare page
numbers, footnote blocks at the page bottom whose number is used as a marker in the text,
and footnotes pypdfium2 glues to a hyphenated word), U+FFFE/\x02 hyphens, line joining and
sentence splitting.
"""

from .concerns import extract_concerns
from .findings import extract_findings
from .polarity import (_STRONG, _STRONG_CUES, _WEAK, _WEAK_CUES, _cue_spans, fold_case,  # noqa: F401 (tests)
                       polarity)

__all__ = ["extract_concerns", "extract_findings", "polarity"]
