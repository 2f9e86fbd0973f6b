"""Polarity of a sentence: weakness and strength cues, negation, concession."""

from __future__ import annotations

import re

_WEAK = [
    r"\bstill\b(?! (?:further|more) (?:improv|strength))", r"\bdelay\w*", r"\bdrift\b",
    r"\bremains? (?:high|low|poor|weak|too|variable|inconsistent|a (?:key )?(?:area|concern|challenge|priority))",
    r"\bremain(?:s|ed)? (?:unclear|underdeveloped|limited|insufficient)",
    r"\btoo \w+",
    r"\bnot (?:yet |always |consistently |sufficiently |well |fully |routinely |regularly |effectively |been |being |enough )",
    r"\bnot (?:effective|timely|good enough|robust|clear|strong|appropriate|adequate|sufficient|consistent)",
    r"\b(?:do|does|did|has|have|had|is|are|was|were|can|could|will|would) not\b",
    r"\b(?:don't|doesn't|isn't|aren't|hasn't|haven't|cannot|can't|won't|wasn't|weren't)\b",
    r"\binadequate\b", r"\binsufficient(?:ly)?\b", r"\bpoor(?:ly|er)?\b", r"\bweak(?:ness|nesses|er|ly)?\b",
    r"\black(?:s|ing|ed)?\b", r"\blimited\b", r"\binconsisten(?:t|cy|cies|tly)\b", r"\bvariable\b", r"\bvariability\b",
    r"\bvar(?:y|ies) in quality\b", r"\bshortfalls?\b", r"\bfail(?:s|ed|ing|ure|ures)?\b", r"\bgaps?\b", r"\bdeteriorat",
    r"\bineffective(?:ly)?\b", r"\bless (?:effective|well|timely|consistent)", r"\babsence of\b", r"\bmissed opportunit",
    r"\brequires? improvement\b", r"\bunsuitable\b", r"\bunassessed\b", r"\bunclear\b",
    r"\bunder-?developed\b", r"\bserious (?:failures?|concerns?|weakness)", r"\bwidespread\b",
    r"\bneeds? to (?:improve|be (?:improved|strengthened|addressed))", r"\bmore (?:work )?(?:is )?(?:needed|to do|needs to be done)",
    r"\bhamper", r"\bbarriers?\b", r"\bdisjointed\b", r"\breactive\b", r"\breactionary\b", r"\bunmet\b",
    r"\bunacceptabl", r"\bnon-compliant\b", r"\boverdue\b", r"\bexcessive\b", r"\bout of date\b", r"\bnot in line\b",
    r"\bno (?:consideration|evidence|clear|plan|effective)", r"\bdecline[ds]?\b", r"\bslow(?:ly)?\b", r"\bnegative(?:ly)?\b",
    r"\bwithout (?:the |a |any )?(?:support|help|assessment|consideration|due)", r"\bleaves? [\w ,]{0,40}vulnerable",
    r"\blong(?:er)? waits?\b", r"\bwait(?:s|ed|ing)? (?:too |a long time|longer)", r"\bwaiting (?:times|lists?)\b",
    r"\bat risk of harm\b", r"\bunder-?used\b", r"\bmissing out\b", r"\bfragment", r"\bineffectual\b",
    r"\b(?:has|have|is|are) yet to\b", r"\blittle\b", r"\bdetriment", r"\bharmful\b", r"\bleft in\b",
    r"\bnot (?:as|so) \w+", r"\bcompromis", r"\bunable\b", r"\bnor\b",
    r"\bareas? (?:for|of|requiring) (?:improvement|development|concern|priority action)\b",
]
_STRONG = [
    r"\bimprov(?:ed|ing)\b", r"\bimprovements? (?:in|to|has|have|is|are|made|achieved)\b", r"\beffective(?:ly|ness)?\b", r"\bstrong(?:ly|er)?\b", r"\bgood\b",
    r"\bwell\b(?!-being)", r"\brobust(?:ly)?\b", r"\btimely\b", r"\bappropriate(?:ly)?\b", r"\boutstanding\b", r"\bthorough(?:ly)?\b",
    r"\bpositive(?:ly)?\b", r"\bbenefit(?:s|ed|ing)?\b", r"\bstrengths?\b", r"\bstrengthened\b", r"\bbetter\b",
    r"\bhigh[- ]quality\b", r"\bskilled\b", r"\bclear(?:ly)?\b", r"\bconsistent(?:ly)?\b", r"\bthriv", r"\bexcellent\b",
    r"\bsuccessful(?:ly)?\b", r"\b(?:made|make|makes|making|good|strong|significant|steady|considerable|demonstrable) progress\b",
    r"\bprogress(?:ed|ing)? well\b", r"\bsecure[sd]?\b", r"\bresponsive\b", r"\bcommitted\b", r"\bcommitment\b",
    r"\bpurposeful\b", r"\bcompassion", r"\bambitio", r"\binnovative\b", r"\bhelpful\b", r"\bprompt(?:ly)?\b",
    r"\bswift(?:ly)?\b", r"\bcreative(?:ly)?\b", r"\bcarefully\b", r"\bsupportive\b", r"\bcomprehensive\b",
    r"\bexceptional(?:ly)?\b", r"\bmore (?:robust|focus|effective|consistent|timely)\b", r"\bmeaningful\b", r"\bsensitiv",
    r"\binsightful\b", r"\bcapab", r"\bstable\b", r"\bstability\b", r"\bresilien", r"\bsuitable\b", r"\bregular(?:ly)?\b",
    r"\bsteady\b", r"\bnow (?:timely|allocated|in place|better|more)", r"\bwell[- ](?:established|embedded|supported|coordinated|understood)",
    r"\bembedded\b", r"\bvalued\b", r"\bconfident(?:ly)?\b", r"\bknowledgeable\b", r"\bdetermin(?:ed|ation)\b",
    r"\bsuccess(?:es)?\b", r"\bwell-(?:being )?supported\b", r"\bthoughtful(?:ly)?\b", r"\bhigh (?:quality|standard)",
]
_NEGATION = re.compile(r"\b(?:not|no|never|without)\b|n't\b", re.I)
_CONTRAST = re.compile(
    r"\b(?:but|however|although|though|while|whilst|despite|yet|nonetheless|nevertheless|whereas|"
    r"notwithstanding|in contrast|conversely|other)\b",
    re.I,
)
_CONCESSIVE = re.compile(
    r"^(?:although|though|even though|while|whilst|despite|notwithstanding)\b[^,]{3,200},", re.I
)


def _first_letters(alternative: str) -> set[str] | None:
    """Lower-case letters a cue pattern can start with (after its ``\\b``), or ``None``
    when that cannot be told simply (then :func:`_dispatched` keeps the plain alternation)."""
    from re import _constants as C  # type: ignore[attr-defined]
    from re import _parser as P  # type: ignore[attr-defined]

    def first(seq: object) -> set[str] | None:
        for op, av in seq:  # type: ignore[attr-defined]
            if op is C.AT:
                continue
            if op is C.LITERAL:
                return {chr(av).lower()}
            if op is C.SUBPATTERN:
                return first(av[-1])
            if op is C.BRANCH:
                out: set[str] = set()
                for branch in av[1]:
                    f = first(branch)
                    if f is None:
                        return None
                    out |= f
                return out
            return None
        return None

    found = first(P.parse(alternative, re.I))
    if found is None or not all(c.isascii() and c.isalpha() for c in found):
        return None
    return found


def _dispatched(patterns: list[str]) -> re.Pattern[str]:
    """The alternation of ``patterns`` (each ``\\b`` + a word), with the same matches, but
    grouped by first letter behind a one-letter lookahead, so that at each word start the
    engine tries only the cues that can start there (about 2x faster on findings).  Within
    a group the patterns keep their order, so the first one that matches still wins; the
    lookahead is compiled with the same ``re.I``, so case folding is unchanged."""
    firsts = [_first_letters(p) for p in patterns]
    if any(f is None for f in firsts) or not all(p.startswith("\\b") for p in patterns):
        return re.compile("|".join(patterns), re.I)
    groups = []
    for letter in "abcdefghijklmnopqrstuvwxyz":
        chosen = [p[2:] for p, f in zip(patterns, firsts) if f and letter in f]
        if chosen:
            groups.append((letter, f"(?={letter})(?:{'|'.join(chosen)})"))
    return re.compile("\\b(?:" + _letter_tree(groups) + ")", re.I)


def _letter_tree(groups: list[tuple[str, str]]) -> str:
    """The alternation of the letter groups, in their order, split in halves behind a
    lookahead for the first half's letters: at a word start the engine tests about five
    lookaheads instead of one per letter.  Same matches: a half is skipped only when no
    letter of it can start there (the class is compiled with the same ``re.I``), and when
    it fails the other half is tried, as in the flat alternation."""
    if len(groups) <= 3:
        return "|".join(g for _, g in groups)
    half = len(groups) // 2
    first, rest = groups[:half], groups[half:]
    letters = "".join(letter for letter, _ in first)
    return f"(?=[{letters}])(?:{_letter_tree(first)})|{_letter_tree(rest)}"


_WEAK_CUES = _dispatched(_WEAK)
_STRONG_CUES = _dispatched(_STRONG)


# phrases whose words would read the wrong way: "without delay" is prompt, not a delay
_POSITIVE_PHRASES = re.compile(r"\b(?:without|with no|no) (?:undue |unnecessary |any )?delays?\b", re.I)


def _cues(text: str) -> tuple[int, int]:
    """(weakness cues, strength cues) in ``text``; a strength word shortly after a
    negation or weakness cue ("not consistently effective") is not counted."""
    text = _POSITIVE_PHRASES.sub("promptly", text)
    weak_spans = [m.span() for m in _WEAK_CUES.finditer(text)]
    if not weak_spans:
        return 0, len(_STRONG_CUES.findall(text))
    # blank each weakness cue and the 30 characters after it
    parts: list[str] = []
    pos = 0
    n = len(text)
    for a, b in weak_spans:
        stop = min(n, b + 30)
        if stop <= pos:
            continue
        a = max(a, pos)
        parts.append(text[pos:a])
        parts.append(" " * (stop - a))
        pos = stop
    parts.append(text[pos:])
    return len(weak_spans), len(_STRONG_CUES.findall("".join(parts)))


def polarity(text: str) -> str | None:
    """``strength``, ``weakness``, ``mixed``, or ``None`` when the words carry no judgement.

    * only weakness cues -> ``weakness``; only strength cues -> ``strength``;
    * both, in a sentence that contrasts them ("but", "however", "although", "while" ...)
      -> ``mixed``, except that a leading concessive clause ("Although X is good, Y is
      not") yields to the main clause;
    * both without a contrast word: a negated sentence ("Clear timescales are not always
      defined") is a ``weakness``; otherwise the side with more cues, ``mixed`` on a tie.
    """
    weak, strong = _cues(text)
    if weak and strong:
        if _CONCESSIVE.match(text):
            for comma in (m.end() for m in re.finditer(",", text)):
                main_weak, main_strong = _cues(text[comma:])
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


