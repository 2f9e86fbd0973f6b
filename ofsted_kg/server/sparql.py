"""SPARQL text for remote endpoints: tokens, SEP-0007-style substitution, prefixes.

Parameters of a remote query are bound on *tokens*, never on text: the query is tokenised
(strings, IRIs and comments are single tokens), every occurrence of the parameter's variable
is replaced by the RDF term as pyoxigraph serialises it (correctly escaped N-Triples), and
in a SELECT projection ``?v`` becomes ``(<term> AS ?v)``.  A value can therefore only ever
be one literal or one IRI.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from ..errors import QueryError
from ..ontology.namespaces import PREFIXES

__all__ = ["Token", "substitute", "tokenize", "with_prefixes"]


_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              | '''(?:[^'\\]|\\.|'(?!''))*'''
              | "(?:[^"\\\n\r]|\\.)*"
              | '(?:[^'\\\n\r]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00B7\u00C0-\U000EFFFF]+)
  | (?P<word>(?:[A-Za-z_\u00C0-\U000EFFFF][\w\-.\u00B7]*)?:(?:[\w\-.:%\u00B7]|\\.)*
             |[A-Za-z_\u00C0-\U000EFFFF][\w\-\u00B7]*
             |@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<number>[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?))
  | (?P<punct>\^\^|&&|\|\||!=|<=|>=|.)
""", re.X | re.S)


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # ws comment string iri var word number punct
    text: str


def tokenize(text: str) -> list[Token]:
    """Split SPARQL text into tokens; joining their texts gives ``text`` back.

    Strings (all four quotings), IRIs and comments are single tokens, so nothing inside
    them is ever mistaken for a variable.

    Raises:
        QueryError: an unterminated string.
    """
    out: list[Token] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        assert m is not None  # the last alternative matches any character
        kind = m.lastgroup or "punct"
        tok = m.group(0)
        if kind == "punct" and tok in ("'", '"'):
            raise QueryError("invalid SPARQL: unterminated string")
        out.append(Token(kind, tok))
        pos = m.end()
    return out


def _term_text(name: str, term: Any) -> str:
    """The N-Triples form of a bound term, checked to be exactly one literal or IRI."""
    if isinstance(term, ox.NamedNode | ox.Literal):
        text = str(term)
    else:
        raise QueryError(f"parameter {name} must be an IRI or a literal, not {term!r}")
    toks = [t for t in tokenize(text) if t.kind != "ws"]
    ok = (len(toks) == 1 and toks[0].kind in ("iri", "string")) or (
        len(toks) == 2 and toks[0].kind == "string" and toks[1].kind == "word"
        and toks[1].text.startswith("@")) or (
        len(toks) == 3 and toks[0].kind == "string" and toks[1].text == "^^"
        and toks[2].kind == "iri")
    if not ok:  # cannot happen with pyoxigraph's serialiser; never send a doubtful query
        raise QueryError(f"parameter {name}: cannot serialise {term!r} safely")
    return text


_PROJECTION_END = {"WHERE", "FROM"}
_ORDER_END = {"LIMIT", "OFFSET", "VALUES", "HAVING", "ORDER", "GROUP"}


def substitute(sparql: str, bindings: Mapping[str, Any] | None) -> str:
    """Bind parameters into a query on the token level (SEP-0007 style).

    Every occurrence of ``?name``/``$name`` outside strings, IRIs and comments is replaced
    by the term's N-Triples form; in a SELECT projection ``?name`` becomes
    ``(<term> AS ?name)`` so the answer still has the column; in ORDER BY/GROUP BY it
    becomes ``(<term>)``.

    Raises:
        QueryError: a parameter is the target of ``AS`` or listed in ``VALUES``, the
            projection is ``SELECT *``, or a term is not an IRI or literal.
    """
    if not bindings:
        return sparql
    terms = {k: _term_text(k, v) for k, v in bindings.items()}
    toks = tokenize(sparql)
    out: list[str] = []
    depth = 0
    projection_depth: int | None = None  # paren depth of the SELECT being projected
    star = False  # some SELECT * in the query
    substituted = False
    order_depth: int | None = None  # inside ORDER BY / GROUP BY at this depth
    prev = ""  # previous significant token, upper-cased
    in_values = False
    for tok in toks:
        if tok.kind in ("ws", "comment"):
            out.append(tok.text)
            continue
        up = tok.text.upper() if tok.kind == "word" else tok.text
        if tok.kind == "word" and up == "SELECT":
            projection_depth = depth
            order_depth = None
        elif projection_depth is not None and depth == projection_depth and (
                up in _PROJECTION_END or up == "{"):
            projection_depth = None
        if tok.kind == "word" and up == "BY" and prev in ("ORDER", "GROUP"):
            order_depth = depth
        elif order_depth is not None and depth == order_depth and (
                up in _ORDER_END or up in ("}", "{")):
            order_depth = None
        if tok.kind == "word" and up == "VALUES":
            in_values = True
        elif in_values and up == "{":
            in_values = False
        if tok.text == "*" and projection_depth is not None and depth == projection_depth:
            star = True
        if tok.kind == "var" and tok.text[1:] in terms:
            name = tok.text[1:]
            if prev == "AS":
                raise QueryError(f"parameter {name} is assigned in the query (AS ?{name}); "
                                 "it cannot also be bound")
            if in_values:
                raise QueryError(f"parameter {name} is listed in VALUES; it cannot be bound")
            term = terms[name]
            if projection_depth is not None and depth == projection_depth:
                out.append(f"({term} AS ?{name})")
            elif order_depth is not None and depth == order_depth:
                out.append(f"({term})")
            else:
                out.append(term)
            substituted = True
        else:
            out.append(tok.text)
        if tok.text == "(":
            depth += 1
        elif tok.text == ")":
            depth -= 1
        prev = up
    if star and substituted:
        raise QueryError("cannot bind parameters of a SELECT * query on a remote endpoint; "
                         "name the variables")
    return "".join(out)


def _declared_prefixes(toks: list[Token]) -> set[str]:
    sig = [t for t in toks if t.kind not in ("ws", "comment")]
    out: set[str] = set()
    for i, t in enumerate(sig[:-1]):
        if t.kind == "word" and t.text.upper() == "PREFIX" and sig[i + 1].kind == "word":
            out.add(sig[i + 1].text.rstrip(":").split(":")[0])
    return out


def with_prefixes(sparql: str) -> str:
    """Prepend ofsted-kg's PREFIX declarations that the query does not declare itself
    (the embedded store adds them implicitly; a remote endpoint does not)."""
    declared = _declared_prefixes(tokenize(sparql))
    lines = [f"PREFIX {p}: <{iri}>" for p, iri in PREFIXES.items() if p not in declared]
    return "\n".join(lines) + ("\n" if lines else "") + sparql
