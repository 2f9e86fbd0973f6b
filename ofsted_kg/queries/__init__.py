"""Named SPARQL queries: one ``.rq`` file each, with a header, run with bound parameters.

A query file starts with comment lines::

    # title: Concern persistence
    # description: One line on what it answers.
    # param: authority authority required  The authority (name, GSS code or Ofsted URN).
    # param: words string optional  Words the item's text contains.
    # example: ofsted-kg query concern-persistence --param authority=Sefton --param words="mental health"

``param`` lines read ``name kind required|optional description``; kinds are ``authority``
(resolved against the store to the authority's IRI), ``theme`` (a theme id or label,
resolved to its concept IRI), ``string``, ``integer``, ``date``, ``iri``.

A parameter's variable must be in the SELECT projection (SEP-0007 substitution, as
Oxigraph implements it); a test checks every named query obeys.  Test whether an optional
parameter was given with ``COALESCE(STR(?p), "") != ""``: ``BOUND(?p)`` is false for a
substituted variable in Oxigraph.

Every query is parsed and prepared with rdflib's :func:`prepareQuery` first: only
SELECT, ASK, CONSTRUCT and DESCRIBE run (UPDATE is refused unless allowed), and a
``SERVICE`` clause (network reach) is refused unless allowed.  Parameter values are bound
as RDF terms (Oxigraph substitutions, rdflib ``initBindings``), never pasted into text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from ..ontology.aliases import alias_gss, name_key

from ..errors import QueryError
from ..ontology.namespaces import PREFIXES

if TYPE_CHECKING:
    from ..store import Store

__all__ = [
    "Parameter", "NamedQuery", "QueryResult", "list_queries", "get_query", "load_query",
    "run_query", "prepare", "resolve_authority", "resolve_theme", "PARAM_KINDS",
]

PARAM_KINDS = ("authority", "theme", "string", "integer", "date", "iri")


@dataclass(frozen=True, slots=True)
class Parameter:
    name: str
    kind: str
    required: bool
    description: str


@dataclass(frozen=True, slots=True)
class NamedQuery:
    """A query file and what its header says."""

    name: str
    title: str
    description: str
    parameters: tuple[Parameter, ...]
    text: str
    example: str = ""
    path: str = ""

    @property
    def form(self) -> str:
        return query_form(self.text)


@dataclass(slots=True)
class QueryResult:
    """A query's answer as plain data."""

    form: str  # SELECT | ASK | CONSTRUCT | DESCRIBE
    columns: list[str] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[tuple[str, str, str]] = field(default_factory=list)
    ntriples: str = ""


_HEADER = re.compile(r"^#\s*(\w+)\s*:\s*(.*)$")


def parse_query_file(text: str, *, name: str, path: str = "") -> NamedQuery:
    """Read the header of a ``.rq`` text.

    Raises:
        QueryError: a ``param`` line is malformed.
    """
    meta: dict[str, str] = {}
    params: list[Parameter] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        m = _HEADER.match(line)
        if not m:
            continue
        key, value = m.group(1).lower(), m.group(2).strip()
        if key == "param":
            parts = value.split(None, 3)
            if len(parts) < 3 or parts[1] not in PARAM_KINDS or parts[2] not in (
                    "required", "optional"):
                raise QueryError(f"{path or name}: bad param line: {line!r}")
            params.append(Parameter(parts[0], parts[1], parts[2] == "required",
                                    parts[3] if len(parts) > 3 else ""))
        else:
            meta[key] = value
    return NamedQuery(name=name, title=meta.get("title", name),
                      description=meta.get("description", ""), parameters=tuple(params),
                      text=text, example=meta.get("example", ""), path=path)


def list_queries() -> list[NamedQuery]:
    """Every named query shipped with ofsted-kg, by name."""
    root = resources.files(__name__)
    out = [parse_query_file(f.read_text("utf-8"), name=f.name[:-3], path=f.name)
           for f in root.iterdir() if f.name.endswith(".rq")]
    return sorted(out, key=lambda q: q.name)


def get_query(name: str) -> NamedQuery:
    """A named query by name.

    Raises:
        QueryError: no such named query.
    """
    for q in list_queries():
        if q.name == name:
            return q
    names = ", ".join(q.name for q in list_queries())
    raise QueryError(f"no named query {name!r} (known: {names})")


def load_query(name_or_path: str) -> NamedQuery:
    """A named query, or a ``.rq``/``.sparql`` file of the user's.

    Raises:
        QueryError: neither a named query nor a readable file.
    """
    p = Path(name_or_path)
    if p.suffix.lower() in (".rq", ".sparql") or p.exists():
        try:
            text = p.read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise QueryError(f"cannot read query file {name_or_path}: {exc}") from None
        return parse_query_file(text, name=p.stem, path=str(p))
    return get_query(name_or_path)


_STRIP = re.compile(r"\"\"\".*?\"\"\"|'''.*?'''|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'|<[^<>\s]*>|#[^\n]*",
                    re.S)


def query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT, DESCRIBE or UPDATE (by the first keyword outside strings)."""
    body = _STRIP.sub(" ", text)
    m = re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE|INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|"
                  r"ADD|MOVE|COPY|WITH)\b", body, re.I)
    if not m:
        return "UNKNOWN"
    word = m.group(1).upper()
    return word if word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE") else "UPDATE"


def _has_service(algebra: Any) -> bool:
    stack = [algebra]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if getattr(node, "name", None) == "ServiceGraphPattern":
            return True
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, (list, tuple)):
            stack.extend(node)
    return False


def prepare(text: str, *, allow_update: bool = False, allow_service: bool = False) -> Any:
    """Parse and prepare a query with rdflib (:func:`rdflib.plugins.sparql.prepareQuery`).

    Returns the prepared rdflib query (``None`` for an allowed update).

    Raises:
        QueryError: malformed, an UPDATE (unless allowed), or uses SERVICE (unless allowed).
    """
    from rdflib.plugins.sparql import prepareQuery

    form = query_form(text)
    if form == "UPDATE":
        if not allow_update:
            raise QueryError("SPARQL UPDATE refused: queries are read-only "
                             "(use --allow-update to change the store)")
        return None
    try:
        prepared = prepareQuery(text, initNs=PREFIXES)
    except Exception as exc:  # pyparsing raises its own exception types
        raise QueryError(f"invalid SPARQL: {str(exc).splitlines()[0]}") from None
    if not allow_service and _has_service(prepared.algebra):
        raise QueryError("SERVICE refused: a query may not reach the network "
                         "(use --allow-service to permit it)")
    return prepared


# -- parameters -----------------------------------------------------------------------
def resolve_authority(store: "Store", value: str) -> ox.NamedNode:
    """The IRI of the authority named ``value``: a name in any usual form ("Sefton",
    "Sefton Council", "Sefton Metropolitan Borough Council"), an alias of the shared alias
    table (:mod:`ofsted_kg.ontology.aliases`: "East Riding", "Birmingham Children's Trust"),
    a GSS code, an Ofsted URN or a DfE LA code.  A part of a name ("Northampton") matches
    when only one authority in the store has it.

    Raises:
        QueryError: no authority in the store matches, or several do.
    """
    q = """SELECT DISTINCT ?a ?n WHERE {
      ?a a okg:Authority .
      { ?a skos:prefLabel|skos:altLabel|rdfs:label ?n } UNION { ?a okg:gssCode|okg:ofstedURN|okg:laCode ?n }
    }"""
    rows = [(r["a"], str(r["n"].value)) for r in store.query(q)]
    want = value.strip()
    if not want:
        raise QueryError("an empty authority name")
    gss = alias_gss(want)
    keys = {want.casefold(), name_key(want)} | ({gss.casefold()} if gss else set())
    exact = sorted({a.value for a, n in rows if n.casefold() in keys or name_key(n) in keys})
    if len(exact) == 1:
        return ox.NamedNode(exact[0])
    if len(exact) > 1:
        raise QueryError(f"{value!r} matches several authorities; be more specific")
    part = name_key(want)
    loose = sorted({a.value for a, n in rows if part and part in name_key(n)})
    if len(loose) == 1:
        return ox.NamedNode(loose[0])
    if loose:
        raise QueryError(f"{value!r} matches several authorities; be more specific")
    raise QueryError(f"no authority matching {value!r} in the store")


def resolve_theme(store: "Store", value: str) -> ox.NamedNode:
    """The concept IRI of theme ``value`` (its id, IRI, or a label).

    Raises:
        QueryError: no theme matches.
    """
    q = """SELECT DISTINCT ?t ?q WHERE {
      ?t a skos:Concept .
      { ?t skos:prefLabel|skos:altLabel|skos:notation ?n
        FILTER(LCASE(STR(?n)) = LCASE(STR(?q))) }
      UNION { ?t a skos:Concept .
              FILTER(STRAFTER(STR(?t), "/theme/") = LCASE(STR(?q)) || STR(?t) = STR(?q)) }
      FILTER(STRSTARTS(STR(?t), "https://w3id.org/ofsted-kg/theme/"))
    } ORDER BY STR(?t)"""
    rows = list(store.query(q, bindings={"q": ox.Literal(value.strip())}))
    if not rows:
        raise QueryError(f"no theme {value!r} (see 'ofsted-kg themes' or docs/ontology.md)")
    return rows[0]["t"]


def bind_parameters(store: "Store", query: NamedQuery, params: dict[str, str], *,
                    check_required: bool = True) -> dict[str, ox.NamedNode | ox.Literal]:
    """Turn ``--param`` strings into RDF terms by each parameter's kind.

    Raises:
        QueryError: an unknown or missing parameter, or a value of the wrong kind.
    """
    declared = {p.name: p for p in query.parameters}
    out: dict[str, ox.NamedNode | ox.Literal] = {}
    for key, value in params.items():
        p = declared.get(key)
        if p is None and declared:
            raise QueryError(f"query {query.name} has no parameter {key!r} "
                             f"(parameters: {', '.join(declared) or 'none'})")
        kind = p.kind if p else "string"
        if kind == "authority":
            out[key] = resolve_authority(store, value)
        elif kind == "theme":
            out[key] = resolve_theme(store, value)
        elif kind == "integer":
            if not re.fullmatch(r"[+-]?\d+", value.strip()):
                raise QueryError(f"parameter {key} must be a whole number, not {value!r}")
            out[key] = ox.Literal(value.strip(), datatype=ox.NamedNode(
                "http://www.w3.org/2001/XMLSchema#integer"))
        elif kind == "date":
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
                raise QueryError(f"parameter {key} must be a date YYYY-MM-DD, not {value!r}")
            out[key] = ox.Literal(value.strip(), datatype=ox.NamedNode(
                "http://www.w3.org/2001/XMLSchema#date"))
        elif kind == "iri":
            try:
                out[key] = ox.NamedNode(value.strip())
            except ValueError:
                raise QueryError(f"parameter {key} must be an IRI, not {value!r}") from None
        else:
            out[key] = ox.Literal(value)
    if check_required:
        missing = [p.name for p in query.parameters if p.required and p.name not in params]
        if missing:
            raise QueryError(f"query {query.name} needs --param {missing[0]}=VALUE")
    return out


def run_query(store: "Store", query: NamedQuery | str, params: dict[str, str] | None = None,
              *, allow_update: bool = False, allow_service: bool = False,
              check_required: bool = True, timeout: float | None = None) -> QueryResult:
    """Run a named query (or a :class:`NamedQuery`) against the store.

    ``timeout`` stops the query after that many seconds (``None``: the default of
    :func:`ofsted_kg.queries.limit.default_timeout`, 60 s or ``$OFSTED_KG_QUERY_TIMEOUT``;
    ``0``: no limit); see :mod:`ofsted_kg.queries.limit` for how.  A remote endpoint
    applies its own HTTP timeout instead.

    Raises:
        QueryError: unknown query, bad or missing parameter, refused or malformed query,
            or the query was stopped at its time limit.
        StoreError: the store failed.
    """
    nq = load_query(query) if isinstance(query, str) else query
    prepare(nq.text, allow_update=allow_update, allow_service=allow_service)
    if nq.form == "UPDATE":
        store.oxigraph.update(nq.text, prefixes=PREFIXES)
        return QueryResult(form="UPDATE")
    bindings = bind_parameters(store, nq, params or {}, check_required=check_required)
    from ..store import Store

    if not isinstance(store, Store):  # a RemoteEndpoint: its HTTP timeout applies
        return to_result(nq.form, store.query(nq.text, bindings=bindings))
    from .limit import limited_query

    res, deadline = limited_query(store, nq.text, bindings=bindings, timeout=timeout,
                                  form=nq.form)
    return to_result(nq.form, res, deadline=deadline)


def to_result(form: str, res: Any, *, deadline: Any = None) -> QueryResult:
    """Convert a pyoxigraph answer into a :class:`QueryResult`.

    ``deadline`` (a :class:`ofsted_kg.queries.limit.Deadline`) is checked between answers.

    Raises:
        QueryError: the deadline passed while reading the answers.
    """
    from ..store import term_value

    if isinstance(res, ox.QueryBoolean) or form == "ASK":
        if deadline is not None:
            deadline.check()
        return QueryResult(form="ASK", boolean=bool(res))
    if isinstance(res, ox.QuerySolutions):
        cols = [v.value for v in res.variables]
        rows = []
        for n, sol in enumerate(res):
            if deadline is not None and not n % 256:
                deadline.check()
            rows.append({c: term_value(sol[c]) for c in cols if sol[c] is not None})
        if deadline is not None:
            deadline.check()
        return QueryResult(form="SELECT", columns=cols, rows=rows)
    triples = []
    for n, t in enumerate(res):
        if deadline is not None and not n % 256:
            deadline.check()
        triples.append(t)
    nt = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    return QueryResult(form=form, triples=[(str(t.subject), str(t.predicate), str(t.object))
                                          for t in triples],
                       ntriples=nt.decode() if isinstance(nt, bytes) else str(nt))
