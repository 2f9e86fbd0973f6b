"""The speed-ups keep behaviour: the polarity cues, matched case-sensitively in folded text,
find exactly what the plain case-insensitive alternation finds in the text; N-Triples text escapes what N-Triples requires; a new document's fast
load into the store gives the same quads as the SPARQL update path."""

from __future__ import annotations

import importlib
import re

import pyoxigraph as ox
import pytest
from fixturegraph import sample_records
from hypothesis import given, settings
from hypothesis import strategies as st

from ofsted_kg.graph_builder import items
from ofsted_kg.graph_builder.rdf import _s, record_ntriples
from ofsted_kg.store import Store, report_graph, report_iri

# (the module: ``items.polarity`` is the function of that name)
polarity = importlib.import_module("ofsted_kg.graph_builder.items.polarity")

TRICKY = [
    "Children do not always get timely help, but plans are now well-being focused.",
    "STILL TOO MANY CHILDREN WAIT TOO LONG; leaders are NOT YET effective.",
    "\u212aey workers (Kelvin sign) are \u017fkilled; \u0130nconsistent practice remains.",
    "well-being, well, wellbeing; improvements in 2024 were made without delay.",
    "Social workers don't visit; there isn't a plan. Gaps, drift and delay.",
    "Plans are not yet delayed, not yet too late: not always not effective.",  # cue after cue
    "ROUTINELY and quickly: THIS HELPS; it has helped, which is helping ſuitably.",
]
CUE_WORDS = ["not", "well", "still", "delay", "good", "effective", "too", "long", "wait",
             "routinely", "quickly", "this helps",
             "K", "\u212a", "\u017f", "-being", "n't", "improved", "\u0130", "\u00c9"]


def _plain(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(patterns), re.I)


@pytest.mark.parametrize("text", TRICKY)
def test_dispatched_cues_match_plain_alternation(text: str) -> None:
    for pats, fast in ((items._WEAK, items._WEAK_CUES), (items._STRONG, items._STRONG_CUES),
                       (polarity._STRONG_ALONE, polarity._ALONE_CUES)):
        assert items._cue_spans(fast, items.fold_case(text)) == \
            [m.span() for m in _plain(pats).finditer(text)]


def _ascii_twins_agree(text: str) -> None:
    # the cue regexes' ASCII twins, used on ASCII text, find there what the regexes find
    folded = items.fold_case(text)
    if folded.isascii():
        for cues, twin in ((items._WEAK_CUES, polarity._WEAK_CUES_ASCII),
                           (items._STRONG_CUES, polarity._STRONG_CUES_ASCII),
                           (polarity._ALONE_CUES, polarity._ALONE_CUES_ASCII)):
            assert items._cue_spans(twin, folded) == items._cue_spans(cues, folded)


@pytest.mark.parametrize("text", TRICKY + [re.sub(r"[^\x00-\x7f]", "", t) for t in TRICKY])
def test_ascii_cue_twins_match_on_ascii_text(text: str) -> None:
    _ascii_twins_agree(text)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(CUE_WORDS), st.text(alphabet=st.characters(max_codepoint=127),
                                                                 max_size=6)), max_size=12))
def test_ascii_cue_twins_match_on_ascii_text_fuzzed(words: list[str]) -> None:
    _ascii_twins_agree(" ".join(words))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(CUE_WORDS), st.text(max_size=6)), max_size=12))
def test_dispatched_cues_match_plain_alternation_fuzzed(words: list[str]) -> None:
    text = " ".join(words)
    for pats, fast in ((items._WEAK, items._WEAK_CUES), (items._STRONG, items._STRONG_CUES),
                       (polarity._STRONG_ALONE, polarity._ALONE_CUES)):
        assert items._cue_spans(fast, items.fold_case(text)) == \
            [m.span() for m in _plain(pats).finditer(text)]


def test_fold_case_equals_ignorecase_for_ascii_patterns() -> None:
    # what fold_case relies on, over every character with a case mapping (only those can be
    # equated by re.IGNORECASE): one character out, the same \w, \d and \s, and an ASCII
    # result only where IGNORECASE equates the character with it
    letters = [(c, re.compile(c, re.I)) for c in "abcdefghijklmnopqrstuvwxyz"]
    classes = [re.compile(p) for p in (r"\w", r"\d", r"\s")]
    for cp in range(0x110000):
        ch = chr(cp)
        if ch.lower() == ch and ch.upper() == ch and ch not in "\u0131\u017f":
            continue
        f = items.fold_case(ch)
        assert len(f) == 1, hex(cp)
        assert all(bool(rx.match(ch)) == bool(rx.match(f)) for rx in classes), hex(cp)
        for c, rx in letters:
            assert bool(rx.fullmatch(ch)) == (f == c), (hex(cp), c)
        assert not f.isascii() or f.isalpha() or f == ch, hex(cp)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_literal_escaping_round_trips(value: str) -> None:
    line = f"<http://a> <http://b> {_s(value)} .\n"
    (triple,) = list(ox.parse(line.encode(), format=ox.RdfFormat.N_TRIPLES))
    assert triple.object.value == value


def test_lone_surrogate_is_refused_in_the_worker() -> None:
    rec = sample_records()[0]
    rec.concerns[0].text = "bad \ud800 text"
    with pytest.raises(ValueError):
        record_ntriples(rec)


def test_fast_load_equals_update_path() -> None:
    rec = sample_records()[0]
    nt = record_ntriples(rec)
    g, r = report_graph(rec.source.sha256), report_iri(rec.source.sha256)
    fast, slow = Store(None), Store(None)
    fast.replace_graphs(g, nt, manifest={r: "/x/a.pdf"})
    # the general path: a graph already there is replaced by a SPARQL update
    slow.replace_graphs(g, "<http://e/s> <http://e/p> <http://e/o> .\n", manifest={r: "/old"})
    slow.replace_graphs(g, nt, manifest={r: "/x/a.pdf"})
    assert set(map(str, fast.quads())) == set(map(str, slow.quads()))
    assert fast.count() == nt.count("\n") + 1  # + the manifest path


@pytest.mark.parametrize("small", [0, 10**9])  # every write bulk-loaded / transactional
def test_small_transactional_write_equals_bulk_load(small: int, tmp_path, monkeypatch) -> None:
    import ofsted_kg.store as store_mod
    import ofsted_kg.store.writing as writing

    recs = sample_records()[:3]
    ref = Store(None)
    for rec in recs:
        ref.replace_graphs(report_graph(rec.source.sha256), record_ntriples(rec),
                           manifest={report_iri(rec.source.sha256): f"/x/{rec.source.sha256}"})
    monkeypatch.setattr(writing, "SMALL_WRITE_QUADS", small)
    with Store(tmp_path / "s") as st:
        for rec in recs:
            st.replace_graphs(report_graph(rec.source.sha256), record_ntriples(rec),
                              manifest={report_iri(rec.source.sha256): f"/x/{rec.source.sha256}"},
                              batch=True)
        assert set(map(str, st.quads())) == set(map(str, ref.quads()))
        # a bad graph in a batch leaves none of the batch, on either path
        bad = '<https://example.org/s> <https://example.org/p> "unterminated .\n'
        st.replace_graphs(report_graph("b" * 64), record_ntriples(recs[0]).replace(
            recs[0].source.sha256, "b" * 64), manifest={report_iri("b" * 64): "/x/b"}, batch=True)
        st.replace_graphs(report_graph("c" * 64), bad, manifest={report_iri("c" * 64): "/x/c"},
                          batch=True)
        with pytest.raises(store_mod.StoreError, match="writing 2 graphs"):
            st.count()
        assert set(map(str, st.quads())) == set(map(str, ref.quads()))
        assert st.count(store_mod.JOURNAL_GRAPH) == 0


FOOTNOTE_PIECES = ["1", "2", "12", "a", "Z", " ", "\n", "\t", "\f", "\u2019", ")", ".", ";",
                   "]", "?", "'", "\u2028", "\x1c", "\r", "\v"]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(FOOTNOTE_PIECES), max_size=14), st.sampled_from(["1", "2", "12"]))
def test_footnote_marker_search_equals_its_regexes(pieces: list[str], n: str) -> None:
    from ofsted_kg.graph_builder.items.lines import _footnote_marked

    text = "".join(pieces)
    plain = bool(re.search(r"[A-Za-z?)\u2019'\]]" + n + r"(?:\s|$|[.,;:])", text)
                 or re.search(r"(?m)^\s*" + n + r"\s*$", text))
    assert _footnote_marked(n, text) == plain


KEY_PIECES = ["a", "B", "1", "12", "\u0663", "\u00b2", " ", "\n", "\t", "\u00a0", "\u2028", "\x1c",
              "?", ":", ")", "\u2019", "\u2013", "\ufb01", "\u3000"]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(KEY_PIECES), max_size=12))
def test_line_keys_equal_their_regex_forms(pieces: list[str]) -> None:
    import unicodedata

    from ofsted_kg.graph_builder.items import addressee, lines

    text = "".join(pieces)
    s = unicodedata.normalize("NFKC", text).strip().lower()
    s = re.sub(r"\s+", " ", re.sub(r"\s*\d{1,3}$", "", s))
    assert lines._furniture_key(text) == s
    s = unicodedata.normalize("NFKC", text).strip()
    s = s.replace("\u2019", "'").replace("\u2018", "'").replace("\u2013", "-").replace("\u2014", "-")
    s = re.sub(r"[\s?:]+$", "", re.sub(r"(?<=[A-Za-z?:)])\d{1,2}$", "", s))
    assert lines._key.__wrapped__(text) == re.sub(r"\s+", " ", s).lower()
    folded = re.sub(r"\s+", " ", text.replace("\u2019", "'").replace("\u2013", "-")).strip()
    assert addressee._fold(text) == folded


BOILER_PIECES = ["t ", "t", " ", "1234", "12", "@", "www.", "yours ", "sincerely", "inspector",
                 "lead inspector:", "x", "\u0663\u0663\u0663\u0663", "report published:", "-"]


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.lists(st.sampled_from(BOILER_PIECES), max_size=8), max_size=6))
def test_boilerplate_of_all_sentences_equals_each_test(sentences: list[list[str]]) -> None:
    from ofsted_kg.graph_builder.items.findings import _boilerplate, _boilerplate_all

    folded = ["".join(p) for p in sentences]
    assert _boilerplate_all(folded) == [_boilerplate(f) for f in folded]


MARKER_PIECES = ["a", "b", "h", "i", "ii", "iv", "v", "o", "j", "R", "Rec.", "Recommendation", "T",
                 "1", "12", ".", ")", "(", " ", "\t", "-", "*", "\u2022", "\uf0b7", "x", "Z"]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(MARKER_PIECES), max_size=8))
def test_strip_marker_equals_its_regexes(pieces: list[str]) -> None:
    from ofsted_kg.graph_builder.items import lines

    text = "".join(pieces)
    m = lines._BULLET_RE.match(text) or lines._NUM_RE.match(text) or lines._SUBNUM_RE.match(text)
    assert lines._strip_marker(text) == (text[m.end():] if m else text)


HEAD_WORDS = ["which", "-which", "\u2019which", "so that", "including", ", ", ". ", "; ",
              # a clause ending on a word and a punctuation mark
              "plans,", "reviews.", "care\u2019;", "well-being:",
              "well-being", "plans", "\u212a", "\u017f", "\u0130", "\u03a3", "'s", "\u2014",
              # a word running on over where the clause ends: read apart
              "plan\u2019which", "care-including", "plans\u2014because", "reviews'so that"]


def _direct_words(text: str) -> tuple[tuple[str, ...], frozenset[str]]:
    """A text's stems and its head clause's, read the plain way (lineage.words)."""
    from itertools import chain

    from ofsted_kg.lineage import words

    def stems(s: str) -> tuple[str, ...]:
        return tuple(chain.from_iterable(map(words._word_stems, words._RAW_WORD.findall(s))))
    m = words._HEAD_END.search(text, 12)
    return stems(text.lower()), frozenset(stems((text[:m.start()] if m else text).lower()))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(HEAD_WORDS), st.text(max_size=8)), max_size=14))
def test_tokens_and_head_stems_in_one_pass_match_the_plain_reading(parts: list[str]) -> None:
    # head_clause's case-sensitive search of the lower case, and the head clause's stems
    # taken from the text's own (lineage.words._tokenised), as the plain reading gives them
    from ofsted_kg.lineage import words

    text = "Leaders plan " + " ".join(parts)
    m = words._HEAD_END.search(text, 12)
    assert words.head_clause(text) == (text[:m.start()] if m else text)
    toks, head = _direct_words(text)
    assert words._tokens(text) == toks and words._head_stems(text) == head
