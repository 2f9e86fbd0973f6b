"""The status patterns' gates (ofsted_kg.lineage.gates): each gate lists words one of which
every match of its pattern holds, so a text holding none is passed over.  A branch added to
a pattern without its word would silently lose matches: this checks the invariant on every
match over real report text, and that a gated search answers as the bare pattern."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ofsted_kg.graph_builder.links import similarity
from ofsted_kg.lineage import status
from ofsted_kg.lineage.gates import Gated, plain_lower

ROOT = Path(__file__).resolve().parents[1]
GATED = {f"{mod.__name__.rsplit('.', 1)[-1]}.{name}": g for mod in (status, similarity)
         for name, g in vars(mod).items() if isinstance(g, Gated)}


def _lines() -> list[str]:
    out: list[str] = []
    for f in sorted((ROOT / "samples").glob("*.txt")) + sorted(
            (ROOT / "tests" / "data").rglob("*.txt")):
        text = f.read_text(encoding="utf-8", errors="replace")
        out += [s for s in re.split(r"(?<=[.;:])\s+|\n", text) if s.strip()]
    return out


LINES = _lines()


def test_there_is_text_and_there_are_gates() -> None:
    assert len(LINES) > 2000 and len(GATED) >= 10


@pytest.mark.parametrize("name", sorted(GATED))
def test_every_match_holds_a_gate_word(name: str) -> None:
    g = GATED[name]
    bare = re.compile(g.pattern, re.IGNORECASE)
    matched = 0
    for s in LINES:
        for m in bare.finditer(s):
            matched += bool(m.group(0))
            low = m.group(0).lower()
            assert any(w in low for w in g.words), (name, m.group(0), s)
            assert not g.also or any(w in low for w in g.also), (name, m.group(0), s)
        assert (g.search(s) is None) == (bare.search(s) is None), (name, s)
    assert matched, name  # the text exercises the pattern


def test_the_four_characters_that_fold_to_ascii_letters_skip_the_gate() -> None:
    assert plain_lower("Kelvin \u212a") is None and plain_lower("Plain text") == "plain text"
    g = Gated(re.compile(r"risk", re.IGNORECASE), "risk")
    assert g.search("RI\u017fK") is not None  # the long s folds to "s" under IGNORECASE
    with pytest.raises(ValueError):
        Gated(re.compile("risk"), "risk")


@pytest.mark.parametrize("name", sorted(GATED))
def test_a_gated_search_and_sub_answer_as_the_pattern(name: str) -> None:
    # the text the gate lets through is searched in its lower case, case-sensitively
    # (ofsted_kg.lineage.gates): the same match, at the same place, of the text as written
    g = GATED[name]
    assert g._low is not None, name  # (every gated pattern takes the fast search)
    bare = re.compile(g.pattern, re.IGNORECASE)
    for s in LINES + [s.upper() for s in LINES[:500]]:
        for pos in (0, 12):
            m, want = g.search(s, pos), bare.search(s, pos)
            assert (m and (m.span(), m.group(0))) == (want and (want.span(), want.group(0))), (
                name, s)
        assert g.sub(" ", s) == bare.sub(" ", s), (name, s)


def test_lower_case_matching_equals_ignorecase_over_every_code_point() -> None:
    # what the fast search rests on: but for the four characters plain_lower turns away,
    # a character matches a lower-case letter, digit, space or punctuation mark, or a
    # class the patterns use, under IGNORECASE exactly when its lower case does as written
    # (each lower-cases to one character: "\u0130", the only other, is one of the four)
    chars = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF
                    and chr(c) not in "\u0130\u0131\u017f\u212a")
    low = "".join(c.lower() for c in chars)
    assert len(low) == len(chars)
    for p in [*"abcdefghijklmnopqrstuvwxyz0123456789 -'.,;:", r"\w", r"\W", r"\s", r"\S",
              r"\d", r"\D", "[^,;]", "[^,;.]", "[- ]"]:
        pat = re.escape(p) if len(p) == 1 else p
        got = [m.start() for m in re.finditer(pat, low)]
        assert got == [m.start() for m in re.finditer(pat, chars, re.IGNORECASE)], p
