"""N-Triples terms written as text: an IRI bracketed (refused when it is not one), a
literal escaped per the N-Triples grammar, dates and integers typed.

A document's triples are formatted straight into N-Triples text (:mod:`.rdf`): every
constant IRI is bracketed once at import, literals are escaped with one ``str.translate``.
(Building pyoxigraph terms and serialising them cost ~5x more per document; the set of
triples is the same, tests/test_rdf.py and the corpus comparison in docs/performance.md
check it.)
"""

from __future__ import annotations

import re

from ..ontology.namespaces import XSD

__all__ = ["bracket", "date_literal", "escaped", "integer_literal", "iri", "string_literal"]


def bracket(term: object) -> str:
    """``<term>`` for an IRI the code holds (a namespace's term: never text)."""
    return f"<{term}>"


_ESCAPES = {i: f"\\u{i:04X}" for i in list(range(0x20)) + [0x7F]}
_ESCAPES.update({ord("\\"): "\\\\", ord('"'): '\\"', ord("\n"): "\\n", ord("\r"): "\\r",
                 ord("\t"): "\\t", ord("\b"): "\\b", ord("\f"): "\\f"})
_ESC_TABLE = str.maketrans(_ESCAPES)
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def iri(value: str) -> str:
    """``<value>``, refusing what is not an IRI (text never reaches an IRI unescaped)."""
    if _BAD_IRI.search(value):
        raise ValueError(f"not an IRI: {value!r}")
    return f"<{value}>"


# the characters _ESC_TABLE replaces: most values have none, and a search is much cheaper
# than str.translate's table lookup per character
_NEEDS_ESCAPE = re.compile("[" + re.escape("".join(map(chr, _ESCAPES))) + "]")


def escaped(value: str) -> str:
    return value.translate(_ESC_TABLE) if _NEEDS_ESCAPE.search(value) else value


def string_literal(value: str) -> str:
    return '"' + escaped(value) + '"'


_DATE_TYPE = f"^^<{XSD.date}>"
_INTEGER_TYPE = f"^^<{XSD.integer}>"  # (an rdflib namespace lookup per literal otherwise)


def date_literal(value: str) -> str:
    return '"' + escaped(value) + '"' + _DATE_TYPE


def integer_literal(value: int) -> str:
    return f'"{int(value)}"{_INTEGER_TYPE}'
