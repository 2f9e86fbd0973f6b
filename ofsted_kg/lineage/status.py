"""What a later finding's words say about an earlier concern.

``persisting`` -- the shortfall is still there ("still", "remains", "not yet", "not all",
"too slow", "not consistently", "delays", "limits"); ``improving`` -- some improvement with
shortfalls left ("has improved, although ...", "most ... but not always", "beginning to",
"in the process of", "a minority of plans lack ..."); ``resolved`` -- now effective with
none left ("now timely", "is effective", "good scrutiny", "have been addressed", "has
improved since the last inspection" with nothing left).  :func:`status_of` returns the
status and the words that decided it, as written.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .gates import Gated

__all__ = ["STATUSES", "continues", "status_of"]

STATUSES = ("persisting", "improving", "resolved")

# (after a long pattern, the words one of which each of its matches holds: a text holding
# none of them is passed over without trying the pattern, .gates)
_DONE = Gated(re.compile(
    r"\b(?:(?:has|have) (?:now )?(?:been )?(?:fully |successfully |effectively )?"
    r"(?:addressed|resolved|tackled|met)|no longer|now (?:a )?(?:significant |real |notable )?"
    r"strength)\w*", re.IGNORECASE),
    "addressed", "resolved", "tackled", "met", "no longer", "strength")
_STRONG = re.compile(r"(?:still|remain|continue|too |delay|drift|not yet|lack|poor|weak|needs? to|"
                     r"inadequate|insufficient|ineffective)", re.IGNORECASE)
_NEG_IMPROVE = Gated(re.compile(
    r"\b(?:(?:has|have|had) not (?:yet )?(?:been )?(?:sufficiently |fully |significantly )?"
    r"(?:improved|addressed|progressed|changed|resolved)|(?:little|no|limited|insufficient|"
    r"slow) (?:evidence of )?(?:improvement|progress)|not (?:yet )?(?:sufficiently |fully )?"
    r"(?:improved|addressed|embedded)|(?:hinder|limit|slow|delay|undermin|imped)\w* (?:the )?"
    r"(?:pace of )?(?:progress|improvement))\w*", re.IGNORECASE),
    "not ", "progress", "improvement")
_POS_REMAIN = Gated(re.compile(
    r"\b(?:remains?|remained|continues? to be) (?:a )?(?:strong|good|"
    r"effective|child[- ]centred|focused|strength|high|timely|robust)\w*", re.IGNORECASE),
    "remain", "continue")
#: a delay or drift the practice averts ("managers prevent delay"): a strength, no
#: shortfall; and a shortfall of the past ("the previously variable quality"): none now
_AVERT_WORDS = ("prevent", "avoid", "minimis", "minimiz", "challeng", "tackl")
_AVERT = Gated(re.compile(
    r"\b(?:prevent|avoid|minimis|minimiz)\w* (?:any |further |unnecessary |"
    r"undue )?(?:delay|drift)\w*"
    # and the shortfalls a practice challenges ("IROs ..., challenging any shortfalls in
    # care plan actions"): what it acts on, not what it lacks
    r"|\b(?:challeng|tackl)\w* (?:any |potential |further )?(?:shortfalls?|drift|delays?)\b",
    re.IGNORECASE),
    *_AVERT_WORDS)
_AVERTED = Gated(re.compile(
    _AVERT.pattern + r"|\bpreviously \w+"
    # and what a practice responds to ("proceedings are initiated promptly
    # when children's needs are not being met"): the trigger, not a finding
    r"|\b(?:when|whenever|if)\b[^,;]*"
    # ... and a condition inverted ("... alternative options for children should the primary
    # plan not remain successful")
    r"|\bshould (?:the|a|an|their|this|these|that|any)\b[^,;.]*",
    re.IGNORECASE),
    *_AVERT_WORDS, "previously ", "when", "if", "should")
_PERSIST = Gated(re.compile(
    r"\b(?:still(?: \w+)?|(?:is|are|remains?|presents?|poses?) (?:a )?(?:considerable|significant|"
    r"persistent|ongoing|continuing|major|particular) challenge|remains?(?: \w+)?|remained(?: \w+)?|continues? to \w+|"
    r"too (?:slow|long|late|many|few|variable|often|high|low|much|little)\w*|"
    r"not (?:yet )?(?:consistently|always|sufficiently|routinely|regularly|robust|effective|"
    r"timely|clear|specific|good enough|strong enough|up to date|in place|undertaken|"
    r"completed|reviewed|updated|recorded|well)\w*|inconsistent\w*|variab\w+|"
    r"lack(?:s|ed|ing)?(?: of)?(?: \w+)?|(?<!without )(?<!undue )delay\w*|drift\w*|poor\w*|weak\w*|insufficient\w*|"
    r"inadequate\w*|ineffective\w*|limited(?: \w+)?|gaps?(?: in)?(?: \w+)?|absence of(?: \w+)?|"
    r"(?:do|does|did|have|has|had|are|is|were|was) not (?!in\b|only\b|just\b)\w+|"
    r"not all\b|out of date|infrequent\w*|under[- ]?developed|(?:limits?|hinders?|undermines?|prevents)\b|"
    r"significant(?:ly)? (?:gaps|delays|shortfalls|weaknesses)|shortfall\w*|"
    r"(?:could|should|would) (?:be|benefit)\b(?: \w+)?|needs? to be (?!met\b)\w+|"
    r"needs? to (?:improve|strengthen|develop)|requires? improvement|(?:must|should) improve|"
    # work still asked for ("require further attention", "needs more focus")
    r"(?:requires?|required|needs?|needed) (?:further|more|additional|urgent|greater) "
    r"(?:\w+ )?(?:attention|work|development|improvement|strengthening|focus|action|"
    r"scrutiny|oversight|progress)|"
    r"vari(?:es|ed|able|ance)|"
    r"(?:caseloads|workloads)(?: \w+){0,6} (?:are|is|remain|remains) (?:still |also |slightly |"
    r"much |too )?higher)", re.IGNORECASE),
    "still", "challenge", "remain", "continue", "too ", "not ", "inconsistent", "vari",
    "lack", "delay", "drift", "poor", "weak", "insufficient", "inadequate",
    "ineffective", "limit", "gap", "absence of", "out of date", "infrequent",
    "developed", "hinder", "undermine", "prevents", "shortfall", "uld b",
    "should improve", "must improve", "need", "require", "higher")
_IMPROVE = Gated(re.compile(
    r"\b(?:(?:has|have|had) (?:now |recently |significantly |considerably |further )?"
    r"(?:improved|strengthened|increased|progressed|reduced|developed|become more)|"
    r"(?:is|are) improving|improved|better|strengthened|increasingly \w+|"
    r"more (?:timely|consistent|effective|robust|regular|frequent|focused)|"
    r"(?:made|making) (?:good |some |steady |clear )?progress|(?:an? )?(?:important|"
    r"significant|notable|marked|clear) improvement)", re.IGNORECASE),
    "improv", "strengthened", "increas", "progress", "reduced", "developed", "more",
    "better")
_PARTIAL = Gated(re.compile(
    r"\b(?:(?:beginning|starting|begun|started) to \w+|early (?:signs|stages?|days)|"
    r"recently (?:introduced|implemented|developed|established)|too early|"
    r"not yet (?:embedded|fully|consistently|evident)|some (?:improvement|progress)|"
    r"developing|emerging|in (?:the )?(?:early|initial) stages?|in recent months|"
    r"in the (?:process|course) of \w+ing|"
    r"recent(?:ly)? (?:\w+ )?(?:changes|improvements?|investment|developments?)|(?:very )?recent introduction|"
    r"(?:is|are) helping to (?:improve|strengthen|reduce)|"
    r"(?:has|have|is|are) (?:been )?work(?:ed|ing) (?:hard )?to (?:improve|strengthen|address|"
    r"reduce|increase|recruit|stabilise)|"
    r"(?:plans?|strateg(?:y|ies)) (?:(?:are )?in place )?to (?:improve|strengthen|address|"
    r"develop|increase|reduce|tackle)|"
    # more asked of what is already good: "more to do to achieve even greater consistency"
    r"even (?:greater|better|more|further|stronger)|"
    # progress under way, not yet the state: "the strategy is gaining traction"
    r"gaining (?:traction|momentum|pace)|gathering (?:pace|momentum))", re.IGNORECASE),
    "beginning", "starting", "begun", "started", "early", "recent", "not yet",
    "some improvement", "some progress", "developing", "emerging", "stage",
    "in the process of", "in the course of", "helping to", "worked ", "working ",
    "to improve", "to strengthen", "to address", "to develop", "to increase",
    "to reduce", "to tackle", "even ", "gaining ", "gathering ")
_HEDGE = Gated(re.compile(
    r"^\s*(?:\w+\s+){0,3}?(?:most|mostly|usually|generally|largely|"
    r"in most cases|the majority of|many)\b|\b(?:mostly|usually|generally|"
    r"largely|in most cases|in the main|for (?:most|the majority of))\b", re.IGNORECASE),
    "most", "usually", "generally", "largely", "majority", "many", "in the main")
_MINORITY = Gated(re.compile(
    r"\b(?:a minority of|a small number of|a few|a small minority|"
    r"for a small number|in a minority|for a minority|"
    r"some (?:variability|variation|inconsistenc\w+))\b", re.IGNORECASE),
    "minority", "small number", "a few", "some variab", "some variation",
    "some inconsistenc")
_GOOD = Gated(re.compile(
    r"\b(?:now (?:timely|effective|good|regular|consistent|robust|in place|well|routinely|"
    r"consistently)\w*|(?:is|are|was|were) (?:highly |very )?(?:effective|good|strong|"
    r"timely|robust|thorough|comprehensive|clear|regular|appropriate)|consistently (?:good|"
    r"strong|effective|timely|well)|effective(?:ly)?\b|timely|well[- ]\w+|high[- ]quality|"
    r"good\b|strong\w*|robust\w*|thorough\w*|routinely \w+|regular\w*|well\b|"
    r"(?:meaningful|impactful|creative|purposeful|sensitive)\w*|actively \w+|quickly|promptly|"
    r"careful\w*|skilled|helpful|rigorous\w*|manageable|stable)", re.IGNORECASE),
    "now ", "effective", "good", "strong", "timely", "robust", "thorough",
    "comprehensive", "clear", "regular", "appropriate", "well", "high", "routinely ",
    "meaningful", "impactful", "creative", "purposeful", "sensitive", "actively ",
    "quickly", "promptly", "careful", "skilled", "helpful", "rigorous", "manageable", "stable")
_NEGATED = Gated(re.compile(r"\b(?:not|never|nor|no)\s+(?:(?:\w+ly|always|yet|well)\s+){0,2}\w+"
                            r"(?:\s+(?:\w+ly|well)\b)?", re.IGNORECASE),
                 "no", "never")
#: what "not all" says is done is what some do not do ("Not all partners routinely attend"):
#: its clause's strength words are negated
_NOT_ALL = Gated(re.compile(r"\bnot all\b[^,;]*", re.IGNORECASE), "not all")
#: how often something happens ("supervision is regular"): compliance, not quality -- a
#: sentence that grants only this and reports a shortfall reports the shortfall
_FREQUENCY = re.compile(r"(?:(?:is|are|was|were) )?(?:regular\w*|routinely \w+)", re.IGNORECASE)
#: a purpose clause: what the work is for, not what inspectors found
_PURPOSE = Gated(re.compile(r"\b(?:in order to|so as to|to ensure)\b", re.IGNORECASE),
    "in order to", "so as to", "to ensure")
#: an improvement reported as made, with no shortfall left: against the last inspection,
#: as the state now, or by a large margin ("have markedly strengthened")
_SINCE = re.compile(r"\b(?:since|at|from) the (?:last|previous) (?:\w+ )?(?:inspection|visit)|\bnow\b|"
                    r"\b(?:markedly|significantly|considerably|substantially|much)\b", re.IGNORECASE)
_THAN = re.compile(r"\bthan\b", re.IGNORECASE)
#: a clause turned against the one before it
_TURN = re.compile(r"\b(?:although|though|but|however|while|whilst|except)\b", re.IGNORECASE)
_CONTINUES = re.compile(r"^\s*(?:However|But|Although|Though|Nevertheless|Despite this|"
                        r"That said)\b")


#: a next sentence that says work remains ("Leaders know that there is more to do"):
#: it qualifies a strength before it even without "However"
_MORE_TO_DO = Gated(re.compile(
    r"\b(?:there is|there's|there remains) (?:still )?(?:more|further) (?:work )?to (?:do|be done)"
    r"|\b(?:more|further) (?:work|improvement|development|progress) (?:is|are) (?:still )?"
    r"(?:needed|required|necessary)"
    r"|\b(?:know|knows|recognise|recognises|acknowledge|acknowledges|are aware|is aware) that "
    r"(?:there is |they have )?(?:still )?(?:more|further) (?:work )?(?:to do|is needed|needed|"
    r"to be done)"
    # a shortfall leaders own: "The local authority has identified the need to streamline
    # the referral process"
    r"|\b(?:identified|recognised|recognise|recognises|acknowledge|acknowledges|acknowledged|"
    r"know|knows|understand|understands) (?:the |a |an )?(?:further |continued |ongoing |"
    r"urgent )?need (?:to|for)\b", re.IGNORECASE),
    "to do", "to be done", "needed", "required", "necessary", "need to", "need for",
    also=("more", "further", "need"))


#: a strength with an exception carved out ("With the exception of the duty team, where
#: caseloads are higher, workloads are low"): a shortfall is left
_EXCEPT = Gated(re.compile(
    r"\b(?:with the (?:exception|notable exception) of|except (?:for|in|where|when)|"
    r"apart from (?:a |the )?(?:small |very small )?(?:number|few|minority)|"
    r"other than (?:in |for )?(?:a )?(?:small |few ))", re.IGNORECASE),
    "except", "apart from", "other than")


#: a sentence opening with a concession ("While the audit tool is well designed, its
#: application is inconsistent"): the main clause, after the comma, says how things are
_CONCESSION = re.compile(r"^\s*(?:While|Whilst|Although|Though|Even though)\b([^,;]{8,}),\s*(.+)$",
                         re.DOTALL)


def _scrubbed(text: str) -> str:
    """``text`` as its shortfalls are read: what reads as one but is not -- a strength that
    remains, a delay averted, a shortfall of the past, a trigger -- blanked out."""
    return _AVERTED.sub(" ", _POS_REMAIN.sub(" ", text))


def _unnegated(scrubbed: str) -> str:
    """A :func:`_scrubbed` text as its strengths are read: negated words ("not timely")
    and what a "not all" clause says is done blanked out."""
    return _NEGATED.sub(" ", _NOT_ALL.sub(" ", scrubbed))


def _conceded(text: str) -> tuple[str, str] | None:
    """The status of a sentence opening with a concession, when its two clauses disagree:
    a strength granted and a shortfall stated is persisting (a strength is no improvement),
    unless what is granted is an improvement ("Although caseloads have reduced, they are
    still too high": improving) or the shortfall is of a few ("..., a small number of
    children experience too many moves": improving); a shortfall granted and a strength
    stated is improving ("While fostering capacity remains a challenge, the fostering
    service is effective").
    None when the sentence opens otherwise or its clauses do not disagree."""
    m = _CONCESSION.match(text)
    if not m:
        return None
    sub, main = m.group(1), m.group(2)
    sub_s, main_s = _scrubbed(sub), _scrubbed(main)
    sub_per, main_per = _PERSIST.search(sub_s), _PERSIST.search(main_s) or _NEG_IMPROVE.search(main)
    main_good = _GOOD.search(_unnegated(main_s))
    sub_good = _GOOD.search(_unnegated(sub_s))
    if main_per and not sub_per and sub_good and not (_IMPROVE.search(sub) or _PARTIAL.search(sub)):
        few = _MINORITY.search(main)
        if few:  # the shortfall of a few ("a small number of children experience ...")
            return "improving", f"{sub_good.group(0)} … {few.group(0)} … {main_per.group(0)}"
        return "persisting", f"{sub_good.group(0)} … {main_per.group(0)}"
    if sub_per and not main_per and main_good:
        return "improving", f"{sub_per.group(0)} … {main_good.group(0)}"
    return None


def continues(sentence: str) -> bool:
    """Whether ``sentence`` qualifies the one before it ("However, ...", or it says work
    remains: "Leaders know that there is more to do")."""
    return bool(_CONTINUES.match(sentence) or _MORE_TO_DO.search(sentence))


@lru_cache(maxsize=65536)  # pure; the links step asks it of the same findings for many concerns
def status_of(text: str, polarity: str = "", following: str = "") -> tuple[str, str]:
    """(status, cue) that a finding's words give an earlier concern.

    In order: "have been addressed", "no longer", "now a strength" are resolved (improving
    with a shortfall turned against them: "..., although ... remains variable"); a negated
    improvement ("has not improved", "hindered the pace of progress") is persisting; an
    improvement or a strength together with a shortfall ("caseloads have reduced, although
    they are still too high") is improving; a shortfall alone is persisting, unless it
    concerns "a minority of" cases (improving); an improvement alone is resolved unless
    it is partial ("beginning to", "recently introduced": improving); a strength alone is
    resolved, improving when hedged ("most", "usually", "mostly").  ``following`` is the
    next sentence: when it continues this one ("However, ...") or says work remains
    ("Leaders know that there is more to do"), a positive sentence it qualifies is
    improving.  Without any cue the finding's polarity
    decides (weakness: persisting, strength: resolved, mixed: improving).
    """
    aim = _PURPOSE.search(text, 12)
    if aim:  # "... in order to ensure that lives are improved": the aim, not what was seen
        text = text[:aim.start()]
    conceded = _conceded(text)
    if conceded is not None:
        return conceded
    done = _DONE.search(text)
    neg = _NEG_IMPROVE.search(text)
    if done and not neg:
        # a remedy with a shortfall turned against it ("All recommendations have been
        # addressed, although the quality of chronologies remains variable") leaves one
        turn = _TURN.search(text, done.end())
        left = _PERSIST.search(_scrubbed(text[turn.end():])) if turn else None
        if left:
            return "improving", f"{done.group(0)} … {left.group(0)}"
        return "resolved", done.group(0)
    if neg:
        return "persisting", neg.group(0)
    scrubbed = _scrubbed(text)
    imp = _IMPROVE.search(text)
    per = _PERSIST.search(scrubbed)
    unnegated = _unnegated(scrubbed)
    good = _GOOD.search(unnegated) or _POS_REMAIN.search(text) or _AVERT.search(text)
    part = _PARTIAL.search(text)
    pos = imp or part or good
    minority = _MINORITY.search(text)
    if per and not (imp or part or minority) and _STRONG.match(per.group(0)):
        return "persisting", per.group(0)  # "still delays in ... timely support"
    if good and per and not (imp or part or minority) and all(
            _FREQUENCY.fullmatch(g.group(0))
            for g in _GOOD.finditer(unnegated)):
        return "persisting", f"{good.group(0)} … {per.group(0)}"  # "regular, but variable"
    if pos and not per:  # "has improved, although leaders know there is more to do"
        per = _MORE_TO_DO.search(text)
    if pos and per:
        first, second = sorted((pos, per), key=lambda x: x.start())
        return "improving", f"{first.group(0)} … {second.group(0)}"
    if per:
        if minority:
            return "improving", f"{minority.group(0)} … {per.group(0)}"
        return "persisting", per.group(0)
    pol = polarity.lower()
    fper = None
    if following and continues(following):
        fper = (_PERSIST.search(following) or _NEG_IMPROVE.search(following)
                or _MORE_TO_DO.search(following))
    if fper and (pos or pol == "strength"):
        return "improving", f"{pos.group(0) if pos else 'strength'} … {fper.group(0)}"
    if part:
        return "improving", part.group(0)
    carve = _EXCEPT.search(text)
    if carve and (pos or pol == "strength"):
        return "improving", f"{carve.group(0)} … {pos.group(0) if pos else 'strength'}"
    if imp:
        # (a comparison, "better now than at the visit", measures the way come, not the state)
        done_now = _SINCE.search(text) if not _THAN.search(text) else None
        if good or done_now:
            return "resolved", f"{imp.group(0)} … {(good or done_now).group(0)}"
        return "improving", imp.group(0)
    if good:
        hedge = _HEDGE.search(text)
        if hedge:
            return "improving", f"{hedge.group(0).strip()} … {good.group(0)}"
        # (no shortfall is left here) a weakness read off shortfall words that say none
        # -- a delay averted, the trigger of a response: "managers prevent delay and act
        # promptly when needs are not met" -- is no weakness
        if pol != "weakness" or _PERSIST.search(text):
            return "resolved", good.group(0)
    if pol == "weakness":
        return "persisting", "reported as a weakness"
    if pol == "strength":
        return "resolved", "reported as a strength"
    return "improving", "reported as mixed"
