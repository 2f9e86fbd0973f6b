"""Polarity of a sentence: weakness and strength cues, negation, concession."""

from __future__ import annotations

import re
from collections.abc import Callable

from ..normalise import fold_case

#: the workforce's measures the cues below grade, and which of them ("caseloads in the
#: assessment teams are high", "turnover among managers is low")
_LOADS = r"\b(?:caseloads|workloads|turnover)"
_LOADS_STATE = _LOADS + r"(?: (?:in|for|of|among) [\w ]{1,30}?)? "
_IS = r"(?:is|are|remain|remains|remained|were|was) "

_WEAK = [
    r"\bstill\b(?! (?:further|more) (?:improv|strength))", r"\bdelay\w*", r"\bdrift\b",
    r"\bremains? (?:high|low|poor|weak|too|variable|inconsistent|an? (?:key )?(?:area|concern|challenge|priority))",
    r"\bremain(?:s|ed)? (?:unclear|underdeveloped|limited|insufficient)",
    r"\btoo \w+",
    r"\bnot (?:yet |always |consistently |sufficiently |well |fully |routinely |regularly |effectively |been |being |enough )",
    r"\bnot (?:effective|timely|good enough|robust|clear|strong|appropriate|adequate|sufficient|consistent)",
    r"\b(?:do|does|did|has|have|had|is|are|was|were|can|could|will|would) not\b",
    r"\b(?:don't|doesn't|isn't|aren't|hasn't|haven't|cannot|can't|won't|wasn't|weren't)\b",
    r"\binadequate\b", r"\binsufficient(?:ly)?\b", r"\bpoor(?:ly|er)?\b", r"\bweak(?:ness|nesses|er|ly)?\b",
    r"\black(?:s|ing|ed)?\b", r"\blimited\b", r"\binconsisten(?:t|cy|cies|tly)\b", r"\bvariable\b", r"\bvariability\b",
    r"\bvar(?:y|ies) in quality\b", r"\bshortfalls?\b", r"\bfail(?:s|ed|ing|ure|ures)?\b", r"\bgaps?\b", r"\bdeteriorat",
    r"\bineffective(?:ly)?\b", r"\babsence of\b", r"\bmissed opportunit",
    # "less" before a quality, whatever the quality's own word says ("less strong"); not
    # before a need or an amount ("less than", "less complex needs", "less urgent cases")
    (r"\bless (?:effective|well|timely|consistent|clear|robust|evident|positive|successful|"
     r"good|comprehensive|rigorous|strong|secure|assured|able|mature|available|developed|"
     r"thorough|frequent)\b"),
    r"\brequires? improvement\b", r"\bunsuitable\b", r"\bunassessed\b", r"\bunclear\b",
    r"\bunder[- ]?developed\b", r"\bserious (?:failures?|concerns?|weakness)", r"\bwidespread\b",
    r"\bneeds? to (?:improve|be (?:improved|strengthened|addressed))", r"\bmore (?:work )?(?:is )?(?:needed|to do|needs to be done)",
    r"\bhamper", r"\bbarriers?\b", r"\bdisjointed\b", r"\breactive\b", r"\breactionary\b", r"\bunmet\b",
    r"\bunacceptabl", r"\bnon-compliant\b", r"\boverdue\b", r"\bexcessive\b", r"\bout of date\b", r"\bnot in line\b",
    r"\bno (?:consideration|evidence|clear|plan|effective)",
    # an arrangement that is missing: "Currently there is no established quality assurance
    # system", "there has been no formal oversight of private fostering arrangements"
    r"\bno (?:established|formal|systematic|agreed|specific|single|overarching|coherent)\b",
    r"\bdecline[ds]?\b", r"\bslow(?:ly)?\b", r"\bnegative(?:ly)?\b",
    r"\bwithout (?:the |a |any )?(?:support|help|assessment|consideration|due)", r"\bleaves? [\w ,]{0,40}vulnerable",
    r"\blong(?:er)? waits?\b", r"\bwait(?:s|ed|ing)? (?:too |a long time|longer)", r"\bwaiting (?:times|lists?)\b",
    r"\bat risk of harm\b", r"\bunder-?used\b", r"\bmissing out\b", r"\bfragment", r"\bineffectual\b",
    r"\b(?:has|have|is|are) yet to\b", r"\blittle\b", r"\bdetriment", r"\bharmful\b", r"\bleft in\b",
    r"\bnot (?:as|so) \w+", r"\bcompromis", r"\bunable\b", r"\bnor\b",
    # "Not all children's records show ...": Ofsted's form for a shortfall in some cases
    r"\bnot all\b",
    r"\bareas? (?:for|of|requiring) (?:further )?(?:improvement|development|concern|priority action)\b",
    r"\bbacklogs?\b",
    # the workforce, as reports grade it: "high caseloads", "turnover remains high",
    # "caseloads have increased" (a cohort's numbers rising is no judgement: only these)
    r"\bhigh (?:caseloads|workloads|turnover|staff turnover|levels? of (?:staff )?turnover)\b",
    _LOADS_STATE + _IS + r"(?:too |very |relatively |still |often |particularly )?high(?:er)?\b",
    _LOADS + r"(?: of [\w ]{1,20}?)? (?:has|have) (?:\w+ )?(?:increased|risen)\b",
    r"\bunmanageable\b",
    # a consequence stated as a shortfall: "this makes it difficult to measure progress"
    r"\b(?:make|makes|made|making) it (?:more |very |particularly )?difficult\b",
    # more work asked for: "Further improvements are needed", "More work is required", "an
    # even sharper focus is needed" (not a condition: "when more information is required")
    (r"\b(?:more|further|greater|sharper|stronger|clearer|better|additional|increased|improved) "
     r"(?:\w+ )?(?:work|improvements?|progress|focus|attention|action|development|effort|"
     r"scrutiny|oversight|challenge|pace) (?:is|are) (?:still |urgently |now )?"
     r"(?:needed|required|necessary)\b"),
    r"\bimprovements? (?:is|are) (?:still |urgently )?(?:needed|required|necessary)\b",
    # work asked for in the conditional: "would benefit from further development",
    # "could be strengthened", "there is room for improvement"
    (r"\bwould benefit from (?:further|more|greater|additional|better|stronger|improved|"
     r"clearer|increased|an? (?:more|clearer|stronger|greater|better))\b"),
    r"\bcould be (?:improved|strengthened|better|more|further)\b",
    r"\broom for (?:further )?improvement\b",
    # practice described by its shortfall: "plans are vague", "a piecemeal approach"
    r"\bvague\b", r"\bpiecemeal\b", r"\bpatchy\b", r"\bover-?optimistic\b",
    r"\boverly optimistic\b",
    # a shortfall of the evidence: "it is difficult to see the impact of the training"
    (r"\b(?:it|this) (?:is|was|can be|has been|may be) (?:often |sometimes |more |very |"
     r"particularly |therefore )?difficult to\b"),
    # what should have happened and did not: "children who should have been referred",
    # "action could have been taken sooner"
    r"\bshould have (?:been|received|had|happened|taken)\b",
    r"\bcould have been [\w ,]{0,60}?\b(?:earlier|sooner|more quickly|avoided)\b",
    # a plan or an assessment that is not there: "with no contingency plan in place"
    (r"\b(?:with|has|have|had|there is|there are|there was|there were) no (?:\w+ ){0,2}"
     r"(?:plans?|assessments?|contingency|strategy|strategies|records?)\b"),
    # harm done ("this adversely impacts on placement stability"; not "adverse childhood
    # experiences", nor an adverse effect minimised) and a spread of quality
    r"\badversely\b", r"\b(?:an|had an|having an|have an|has an) adverse (?:impact|effect)",
    r"\bvariance\b",
    # a spread of quality in another word: "The quality of children's care plans is mixed",
    # "Academic outcomes remain mixed", "assessments of mixed quality", "a mixed picture"
    r"\b(?:is|are|was|were|remain|remains|remained) (?:more |very |still |somewhat )?mixed\b",
    r"\bmixed (?:picture|quality|results|success|feedback|views)\b",
    # work still asked for: "Further work is required to raise awareness ..."
    (r"\bfurther (?:work|development|improvement|action|progress) (?:is |are )?(?:still )?"
     r"(?:needed|required|necessary)\b"),
    # a shortfall leaders own: "Senior managers recognise the need to refresh the format"
    (r"\b(?:identified|recognised|recognise|recognises|acknowledge|acknowledges|acknowledged|"
     r"know|knows|understand|understands) (?:the |a |an )?(?:further |continued |ongoing |"
     r"urgent )?need (?:to|for)\b"),
    # hardship reported of children, not named as a shortfall: "a small number of young
    # people find it difficult to access their set up home grant", "They also described
    # difficulties in making contact with their social worker"
    # (who finds it so, not the children "who find it difficult to engage" a service helps)
    (r"\b(?:people|children|parents|carers|leavers|families|they|workers|staff|some|many) "
     r"(?:sometimes |often |still |can )?(?:find|found) it (?:very |particularly |more |really )?"
     r"difficult\b"),
    r"\b(?:face|faces|faced|facing|described|report|reported|experience|experienced|experiences) difficult",
    r"\b(?:difficulty|difficulties) (?:in|with) (?:access|mak|get|obtain|contact|engag|secur|find)",
    # what may not happen for them: "some young people may not be aware of all their rights"
    (r"\bmay not (?:be |have (?:been )?)?(?:fully |always |best |sufficiently )?(?:aware|protected|"
     r"identified|met|meeting|receiv|known|know|understand|get|safe)"),
]
_STRONG = [
    r"\bimprov(?:ed|ing)\b", r"\bimprovements? (?:in|to|has|have|made|achieved|(?:is|are)(?! (?:still )?(?:needed|required|necessary)))\b", r"\beffective(?:ly|ness)?\b", r"\bstrong(?:ly|er)?\b", r"\bgood\b",
    r"\bwell\b(?!-being)", r"\brobust(?:ly)?\b", r"\btimely\b", r"\bappropriate(?:ly)?\b", r"\boutstanding\b", r"\bthorough(?:ly)?\b",
    r"\bpositive(?:ly)?\b", r"\bbenefit(?:s|ed|ing)?\b", r"\bstrengths?\b", r"\bstrengthened\b", r"\bbetter\b",
    r"\bhigh[- ]quality\b", r"\bskilled\b", r"\bclear(?:ly)?\b", r"\bconsistent(?:ly)?\b", r"\bthriv", r"\bexcellent\b",
    r"\bsuccessful(?:ly)?\b", r"\b(?:made|make|makes|making|good|strong|significant|steady|considerable|demonstrable) progress\b",
    r"\bprogress(?:ed|ing)? well\b", r"\bprogress (?:has|have) been made\b", r"\bsecure[sd]?\b", r"\bresponsive\b", r"\bcommitted\b", r"\bcommitment\b",
    r"\bpurposeful\b", r"\bcompassion", r"\bambitio", r"\binnovative\b", r"\bhelpful\b", r"\bprompt(?:ly)?\b",
    r"\bswift(?:ly)?\b", r"\bcreative(?:ly)?\b", r"\bcarefully\b", r"\bsupportive\b", r"\bcomprehensive\b",
    r"\bexceptional(?:ly)?\b", r"\bmore (?:robust|focus|effective|consistent|timely)\b", r"\bmeaningful\b", r"\bsensitiv",
    r"\binsightful\b", r"\bcapab", r"\bstable\b", r"\bstability\b", r"\bresilien", r"\bsuitable\b", r"\bregular(?:ly)?\b",
    r"\bsteady\b", r"\bnow (?:timely|allocated|in place|better|more)", r"\bwell[- ](?:established|embedded|supported|coordinated|understood)",
    r"\bembedded\b", r"\bvalued\b", r"\bconfident(?:ly)?\b", r"\bknowledgeable\b", r"\bdetermin(?:ed|ation)\b",
    r"\bsuccess(?:es)?\b", r"\bwell-(?:being )?supported\b", r"\bthoughtful(?:ly)?\b", r"\bhigh (?:quality|standard)",
    # praise written without the common words: "impactful changes", "careful scrutiny", "an
    # accurate understanding", "actively seek", "turnover has significantly reduced"
    r"\bimpactful\b", r"\bcareful\b", r"\baccurate(?:ly)?\b", r"\bactively\b", r"\bclosely\b",
    r"\b(?:has|have) (?:significantly |considerably |substantially )?reduced\b",
    # the workforce's praise: "manageable caseloads", "low turnover", "caseloads have
    # notably fallen"; and the relationships and help reports praise in these words
    r"\bmanageable\b", r"\blow (?:caseloads|workloads|turnover|staff turnover)\b",
    _LOADS_STATE + _IS + r"(?:very |relatively |now |consistently )?low\b",
    _LOADS_STATE + r"(?:has|have) (?:\w+ )?(?:fallen|decreased|dropped)\b",
    r"\btrusting relationships?\b", r"\benthusias", r"\badds? value\b",
    r"\breducing (?:caseloads|workloads|turnover)\b",
    r"\b(?:high|good|positive) morale\b", r"\bmorale is (?:high|good|positive)\b",
    r"\bthe right (?:level of )?(?:help|support|services?)\b",
    # practice described as done for children: "Children are helped to understand their
    # rights", "Care leavers are supported to stay in touch", "are encouraged to take part"
    (r"\b(?:are|is|were|was) (?:well |effectively |carefully |sensitively )?"
     r"(?:helped|supported|encouraged) to\b"),
    # a change for the better under way, in words of its own: "The views of children ...
    # are increasingly informing decision-making", "Turnover in the social care workforce
    # is gradually reducing", "risk and harm are reducing for many children"
    (r"\bincreasingly (?:inform|used|effective|embedded|focus|confident|able|well|strong|"
     r"influen|shap|improv|consistent)"),
    r"\bbecoming increasingly evident\b",  # (the rest of "becoming increasingly ...": above)
    # what the people served say of it: "Care leavers value the consistency of their
    # relationships with PAs", "social workers said that they highly value the support"
    (r"\b(?:they|people|leavers|carers|parents|children|staff|workers|adopters|"
     r"practitioners|families|managers|partners) (?:highly |greatly |really |particularly |"
     r"clearly |all )?value\b"),
    r"\b(?:is|are) (?:steadily |gradually |now |slowly )?(?:reducing|decreasing|falling)\b",
]
#: praise only in a sentence without a shortfall: practice done as a matter of course
#: ("Return home interviews are routinely offered", "Children are matched with adoptive
#: parents quickly", "PAs work proactively with care leavers", "The panel chair is suitably
#: experienced", "Pathway plans are completed collaboratively with young people"), and
#: what it does for them ("This helps children to share their wishes and feelings").  Beside
#: a shortfall these words are what is missing ("do not receive help quickly enough", "not
#: all data are monitored routinely") or what it is for ("so that children are seen more
#: quickly"): there they count for nothing, so they never outweigh a weakness cue.  Nor
#: do they count in a sentence that negates, restricts, contrasts or asks for something
#: ("there is no suitably trained professional", "they routinely involve only the police",
#: "engage more proactively with providers, but challenges in demand remain", "this now
#: needs to be used routinely"), nor in a clause of purpose ("Steps to ensure that social
#: workers routinely complete life-story work are at an early stage")
_STRONG_ALONE = [
    r"\broutinely\b", r"\bquickly\b", r"\bproactive(?:ly)?\b", r"\bsuitably\b",
    r"\bcomprehensively\b", r"\bcollaboratively\b",
    # and what it does for them: "This helps children to settle into their adoptive family"
    r"\b(?:this|which|that|it) (?:helps|has helped|have helped|is helping)\b",
]
_NEGATION = re.compile(r"\b(?:not|no|never|without)\b|n't\b", re.I)
_CONTRAST = re.compile(
    r"\b(?:but|however|although|though|while|whilst|despite|yet|nonetheless|nevertheless|whereas|"
    r"notwithstanding|in contrast|conversely|other)\b"
    # "Some children benefit from helpful services ...; others receive a less effective one"
    r"|[;,] (?:while |whereas |but |and )?others\b",
    re.I,
)
#: what keeps :data:`_STRONG_ALONE` from counting: a negation, a contrast, a restriction
#: or a need; and the clause of purpose it does not count in
_ALONE_BLOCK = re.compile(_NEGATION.pattern + "|" + _CONTRAST.pattern
                          + r"|\b(?:only|needs? to|required|requires?)\b", re.I)
_ALONE_PURPOSE = re.compile(r"\b(?:to ensure|so that|in order to|to make sure|to allow|to enable)\b")
_CONCESSIVE = re.compile(
    r"^(?:although|though|even though|while|whilst|despite|notwithstanding)\b[^,]{3,200},", re.I
)


_PLAIN_WORD = re.compile(r"[a-z][a-z' -]*")


def _split_first_letter(pattern: str) -> list[tuple[str, str]]:
    """(first letter, the rest) of a cue pattern: ``\\bword...`` gives ``[("w", "ord...")]``
    and a leading group of plain words ``\\b(?:do|did|has) not`` gives
    ``[("d", "(?:o|id) not"), ("h", "(?:as) not")]`` (the words in their order)."""
    from re import _constants as C  # type: ignore[attr-defined]
    from re import _parser as P  # type: ignore[attr-defined]

    def refuse() -> ValueError:
        return ValueError(f"a cue must be \\b and a lower-case ASCII word, or a group of such "
                          f"words, then anything: {pattern!r}")

    # a \b first in the top-level sequence: no top-level "|" (which the split would break)
    if not pattern.isascii() or re.search(r"[A-Z]", re.sub(r"\\.", "", pattern)) or \
            P.parse(pattern).data[:1] != [(C.AT, C.AT_BOUNDARY)]:
        raise refuse()
    body = pattern[2:]
    if body[:1].isalpha() and body[1:2] not in ("?", "*", "+", "{"):
        return [(body[0], body[1:])]
    if not body.startswith("(?:"):
        raise refuse()
    close = body.find(")")
    words, rest = body[3:close].split("|"), body[close + 1:]
    if rest[:1] in ("?", "*", "+", "{") or not all(_PLAIN_WORD.fullmatch(w) for w in words):
        raise refuse()
    return [(c, "(?:" + "|".join(w[1:] for w in words if w[0] == c) + ")" + rest)
            for c in dict.fromkeys(w[0] for w in words)]


def _cue_regex(patterns: list[str]) -> re.Pattern[str]:
    """A regex for :func:`_cue_spans` (on :func:`fold_case` text, no IGNORECASE): a match at
    every non-word character that a cue follows, the cue in group 1.  The cues are grouped
    by first letter, each group that letter and the rest of its patterns in their order, so
    the first that matches at a word start still wins; the engine skips at C speed to the
    non-word characters, and there tries only the cues of the next letter."""
    groups: dict[str, list[str]] = {}
    for p in patterns:
        for letter, rest in _split_first_letter(p):
            groups.setdefault(letter, []).append(rest)
    return re.compile("\\W(?=(" + "|".join(f"{c}(?:{'|'.join(rs)})" for c, rs in groups.items())
                      + "))")


def _cue_spans(cues: re.Pattern[str], folded: str) -> list[tuple[int, int]]:
    """The spans of the cues in ``folded``, as ``finditer`` of the patterns' alternation
    gives them: the leftmost cue, then the leftmost from its end, and so on.  (``cues``
    finds a cue at each word start, overlapping ones too; a space put first makes offset
    0 a word start after a non-word character like any other.)"""
    spans: list[tuple[int, int]] = []
    end = 0
    for m in cues.finditer(" " + folded):
        a, b = m.span(1)
        if a >= end:
            spans.append((a - 1, b - 1))
            end = b
    return spans


_WEAK_CUES = _cue_regex(_WEAK)
_STRONG_CUES = _cue_regex(_STRONG)
_ALONE_CUES = _cue_regex(_STRONG_ALONE)
# The same regexes with ASCII classes, for ASCII text (five sentences in six): the cues use
# no class but \W, \w and \b, which mean the same on ASCII text either way, and an ASCII
# \W is a table lookup where a Unicode one asks the character database of every character
_WEAK_CUES_ASCII = re.compile(_WEAK_CUES.pattern, re.ASCII)
_STRONG_CUES_ASCII = re.compile(_STRONG_CUES.pattern, re.ASCII)
_ALONE_CUES_ASCII = re.compile(_ALONE_CUES.pattern, re.ASCII)


# phrases whose words would read the wrong way: "without delay" is prompt, not a delay, and
# so is a delay or drift the practice averts ("help prevent drift and delay", "delay is
# minimised", "no evidence of drift") -- not "avoidable delays", nor one it is to "reduce"
# (on fold_case text; any match holds "delay" or "drift")
_AVERTED = (r"(?:undue |unnecessary |any |further |the )?(?:drift|delays?)"
            r"(?: (?:and|or) (?:drift|delays?))?")
_POSITIVE_PHRASES = re.compile(
    r"\b(?:without|with no|no(?: evidence of)?) " + _AVERTED + r"\b"
    r"|\b(?:prevent|avoid|minimis|minimiz)(?:e|es|ed|ing|s)? " + _AVERTED + r"\b"
    r"|\b(?:drift|delays?) (?:is|are|was|were|has been|have been) (?:\w+ly )?"
    r"(?:minimised|minimized|prevented|avoided)\b")
# the name of a cohort, not a negation: "care leavers who are not in education, employment
# or training (NEET)" -- its "are not" says nothing of the practice (on fold_case text)
_COHORT_NAMES = re.compile(r"\b(?:(?:are|is|were|was) )?not in (?:education|employment|training)"
                           r"(?:,? (?:or |and )?(?:education|employment|training))*")


# a shortfall reported as put right: "practice shortfalls have been addressed effectively",
# "the areas for improvement have been addressed", "delays have been reduced" -- its noun is
# no weakness, and the remedy is praise (not "have not been addressed", "have yet to be";
# on fold_case text)
_REMEDY_VERBS = ("addressed", "resolved", "tackled", "remedied", "rectified", "overcome",
                 "eliminated", "cleared", "reduced")
_REMEDIED = re.compile(
    r"\b(?:shortfalls?|weakness(?:es)?|deficits?|deficienc(?:y|ies)|concerns?|issues?|"
    r"areas? (?:for|of|requiring) (?:further |priority )?(?:improvement|development|concern|"
    r"action)|recommendations?|gaps?|backlogs?|delays?|drift)\b"
    # (the words between in one clause: not "delays for children where risks have been reduced")
    r"(?:(?! (?:where|when|which|who|whose|if|because|as) )[^.;:,]){0,60}? (?:has|have|had) "
    r"(?:(?:now|since|largely|mostly|also|all|successfully|effectively|actively|quickly|fully|"
    r"swiftly|promptly|robustly) )*(?:been )?(?:(?:successfully|effectively|actively|quickly|"
    r"fully|swiftly|promptly|robustly) )?(?:" + "|".join(_REMEDY_VERBS) + r")\b")


# what a response is for, not a shortfall: "challenging partners when improvements are
# needed", "identify where improvement is required", "the areas in which improvement is
# needed" (on fold_case text)
_CONDITION_NEED = re.compile(r"\b(?:when|where|why|if|in which) (?:\w+ ){0,3}(?:is|are) "
                             r"(?:needed|required|necessary)\b")
_NEGATED_BEFORE = re.compile(r"\b(?:not|never|fail\w*)\b[^.,;]{0,25}$|n't\b[^.,;]{0,25}$")


def _averted(m: re.Match[str]) -> str:
    """A delay averted reads as promptness -- unless the aversion is negated ("does not
    always challenge and prevent drift")."""
    if _NEGATED_BEFORE.search(m.string, max(0, m.start() - 40), m.start()):
        return m.group(0)
    return "promptly"


_Reading = str | Callable[[re.Match[str]], str]
#: the phrases read whole before the cues are counted, in this order: (words one of which
#: every match holds, the phrase, what it is read as)
_READ_WHOLE: tuple[tuple[tuple[str, ...], re.Pattern[str], _Reading], ...] = (
    (("delay", "drift"), _POSITIVE_PHRASES, _averted),
    (("not in ",), _COHORT_NAMES, "neet"),
    (("need", "requir", "necessar"), _CONDITION_NEED, " "),
    (_REMEDY_VERBS, _REMEDIED, "put right successfully"),
)


def _cues(folded: str) -> tuple[int, int]:
    """(weakness cues, strength cues) in ``folded`` (:func:`fold_case` text); a strength
    word shortly after a negation or weakness cue ("not consistently effective") is not
    counted, nor the praise of :data:`_STRONG_ALONE` beside any weakness cue.  The phrases
    of :data:`_READ_WHOLE` are read whole first."""
    for words, phrase, reading in _READ_WHOLE:
        for w in words:  # (plain loops: this is asked of every sentence)
            if w in folded:
                folded = phrase.sub(reading, folded)
                break
    ascii_text = folded.isascii()
    if ascii_text:
        weak_cues, strong_cues = _WEAK_CUES_ASCII, _STRONG_CUES_ASCII
    else:
        weak_cues, strong_cues = _WEAK_CUES, _STRONG_CUES
    weak_spans = _cue_spans(weak_cues, folded)
    if not weak_spans:
        strong = len(_cue_spans(strong_cues, folded))
        if strong:
            return 0, strong
        # (the praise of :data:`_STRONG_ALONE` counts only here: no shortfall beside it)
        return 0, _alone(folded, _ALONE_CUES_ASCII if ascii_text else _ALONE_CUES)
    # blank each weakness cue and the 30 characters after it
    parts: list[str] = []
    pos = 0
    n = len(folded)
    for a, b in weak_spans:
        stop = min(n, b + 30)
        if stop <= pos:
            continue
        a = max(a, pos)
        parts.append(folded[pos:a])
        parts.append(" " * (stop - a))
        pos = stop
    parts.append(folded[pos:])
    # (blanked with spaces: ASCII if ``folded`` is)
    return len(weak_spans), len(_cue_spans(strong_cues, "".join(parts)))


def _alone(folded: str, cues: re.Pattern[str]) -> int:
    """How many praise words of :data:`_STRONG_ALONE` ``folded`` holds before any clause of
    purpose (0 in a sentence that negates, restricts, contrasts or asks for something)."""
    if _ALONE_BLOCK.search(folded):
        return 0
    aim = _ALONE_PURPOSE.search(folded)
    return len(_cue_spans(cues, folded[:aim.start()] if aim else folded))


#: a leading clause saying what the practice responds to ("When it is not possible to place
#: children together, thorough attention is paid to contact"): its words judge nothing
_TRIGGER = re.compile(r"(?:when|whenever|where|if)\b[^,;]{3,160},", re.IGNORECASE)
_TRIGGER_STARTS = frozenset(["wh", "if"])
#: a leading clause recalling the last judgement ("Since the last inspection in 2019, when
#: services were judged to be requires improvement to be good, ..."; "Following the JTAI
#: in May 2023, when areas for priority action were identified, ..."): what was found
#: then, not what is found now
_RECALLED = re.compile(r"(?:since|following|after)\b[^,;]{3,160},\s*when\b[^,;]{3,200}?"
                       r"\b(?:judged|identified|rated)\b[^,;]{0,120},", re.IGNORECASE)
_RECALLED_STARTS = frozenset(["si", "fo", "af"])
#: the leading clauses left out (each with the first letters it can begin with), in order
_LEADING = ((_RECALLED_STARTS, _RECALLED), (_TRIGGER_STARTS, _TRIGGER))


def polarity(text: str, folded: str | None = None) -> str | None:
    """``strength``, ``weakness``, ``mixed``, or ``None`` when the words carry no judgement.

    * a leading clause of what the practice responds to ("When ..., ", "Where ..., ",
      "If ..., "), or one recalling the last judgement ("Since the last inspection,
      when services were judged inadequate, ..."), is left out when the rest carries a
      judgement;
    * only weakness cues -> ``weakness``; only strength cues -> ``strength``;
    * both, in a sentence that contrasts them ("but", "however", "although", "while" ...)
      -> ``mixed``, except that a leading concessive clause ("Although X is good, Y is
      not") yields to the main clause;
    * both without a contrast word: a negated sentence ("Clear timescales are not always
      defined") is a ``weakness``; otherwise the side with more cues, ``mixed`` on a tie.
    """
    if folded is None:  # (``fold_case(text)``, when the caller has it)
        folded = fold_case(text)
    for starts, leading in _LEADING:
        # what the practice responds to, or the judgement recalled, is no finding of this
        # report: the main clause's is, if it has one
        m = leading.match(text) if folded[:2] in starts else None
        if m:
            got = polarity(text[m.end():].lstrip())
            if got is not None:
                return got
    weak, strong = _cues(folded)
    if weak and strong:
        if _CONCESSIVE.match(text):
            for comma in (m.end() for m in re.finditer(",", text)):
                main_weak, main_strong = _cues(folded[comma:])
                if main_weak and not main_strong:
                    return "weakness"
                if main_strong and not main_weak:
                    return "strength"
        if _CONTRAST.search(text):
            return "mixed"
        if _NEGATION.search(text):
            return "weakness"
        if weak > strong:
            return "weakness"
        if strong > weak:
            return "strength"
        return "mixed"
    if weak:
        return "weakness"
    if strong:
        return "strength"
    return None


