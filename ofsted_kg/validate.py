"""Validate instance data against the ofsted-kg SHACL shapes (pySHACL).

:func:`validate_graph` takes an :class:`rdflib.Graph`, an :class:`rdflib.Dataset` (every
named graph is merged first, so links across report graphs resolve), a
:class:`pyoxigraph.Store` or an :class:`ofsted_kg.store.Store`, adds the vocabulary (ontology + themes, so ``sh:class okg:Theme``
checks values against the schemes), runs the shapes of ``shapes.ttl`` and returns a plain
:class:`ValidationReport`: the graph *conforms* when there is no ``sh:Violation``;
``sh:Warning`` results are listed apart and never make it fail.

The ``ofsted-kg validate`` command maps ``conforms`` to exit status 0 / 1.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

import rdflib
from rdflib.namespace import RDF, SH
from rdflib.term import BNode, Node, URIRef

from .errors import ValidationError
from .ontology import shapes_graph, vocabulary_triples
from .ontology.namespaces import PREFIXES

__all__ = ["ValidationResult", "ValidationReport", "validate_graph", "INFERENCE_MODES"]

INFERENCE_MODES: tuple[str, ...] = ("none", "rdfs", "owlrl", "both")


@dataclass(frozen=True, slots=True)
class ValidationResult:
    """One SHACL result, as plain strings (CURIEs where a prefix is known)."""

    focus_node: str
    path: str | None
    message: str
    severity: str  # "Violation" | "Warning" | "Info"
    shape: str  # the node shape, e.g. "okgsh:ConcernShape"
    value: str | None = None


@dataclass(slots=True)
class ValidationReport:
    """What :func:`validate_graph` found."""

    conforms: bool
    violations: list[ValidationResult] = field(default_factory=list)
    warnings: list[ValidationResult] = field(default_factory=list)
    triples: int = 0  # size of the validated data (without the vocabulary)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (for ``--format json``)."""
        return {
            "conforms": self.conforms,
            "triples": self.triples,
            "violations": [asdict(v) for v in self.violations],
            "warnings": [asdict(w) for w in self.warnings],
        }

    def summary(self) -> str:
        """One line: conforms or not, with counts."""
        head = "conforms" if self.conforms else "does NOT conform"
        return (f"{head}: {len(self.violations)} violation(s), {len(self.warnings)} warning(s) "
                f"in {self.triples} triples")

    def text(self, *, max_items: int = 50) -> str:
        """Human-readable report: the summary, then violations and warnings grouped."""
        lines = [self.summary()]
        for title, items in (("Violations", self.violations), ("Warnings", self.warnings)):
            if not items:
                continue
            lines.append(f"{title}:")
            for r in items[:max_items]:
                path = f" {r.path}" if r.path else ""
                value = f" (value {r.value})" if r.value else ""
                lines.append(f"  - [{r.shape}] {r.focus_node}{path}: {r.message}{value}")
            if len(items) > max_items:
                lines.append(f"  ... and {len(items) - max_items} more")
        return "\n".join(lines)


_SHAPES_NS = "https://w3id.org/ofsted-kg/shapes#"
_CURIES = {**PREFIXES, "okgsh": _SHAPES_NS}


def _curie(node: Node | None) -> str | None:
    if node is None:
        return None
    if isinstance(node, URIRef):
        s = str(node)
        best = ""
        for prefix, ns in _CURIES.items():
            if s.startswith(ns) and len(ns) > len(_CURIES.get(best, "")):
                best = prefix
        if best:
            return f"{best}:{s[len(_CURIES[best]):]}"
        return s
    if isinstance(node, rdflib.Literal):
        return str(node)
    return str(node)


def _path_text(graph: rdflib.Graph, path: Node | None) -> str | None:
    if path is None:
        return None
    if isinstance(path, BNode):
        if (path, RDF.first, None) in graph:
            items = list(rdflib.collection.Collection(graph, path))
            return "/".join(_path_text(graph, p) or "?" for p in items)
        inv = graph.value(path, SH.inversePath)
        if inv is not None:
            return "^" + (_path_text(graph, inv) or "?")
        return "?"
    return _curie(path)


def _as_graph(data: Any) -> rdflib.Graph:
    if isinstance(data, (rdflib.Dataset, rdflib.ConjunctiveGraph)):
        g = rdflib.Graph()
        for s, p, o, _ in data.quads((None, None, None, None)):
            g.add((s, p, o))
        return g
    if isinstance(data, rdflib.Graph):
        g = rdflib.Graph()
        for t in data:
            g.add(t)
        return g
    try:  # a pyoxigraph store or any iterable of pyoxigraph quads
        import pyoxigraph as ox
    except ImportError:  # pragma: no cover - pyoxigraph is a dependency
        ox = None
    inner = getattr(data, "oxigraph", None)  # an ofsted_kg.store.Store
    if ox is not None and isinstance(inner, ox.Store):
        data = inner
    if ox is not None and isinstance(data, ox.Store):
        g = rdflib.Graph()
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in data]
        if triples:
            payload = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
            text = payload.decode("utf-8") if isinstance(payload, bytes) else str(payload)
            g.parse(data=text, format="nt")
        return g
    raise TypeError(f"cannot validate a {type(data).__name__}: expected an rdflib Graph or "
                    "Dataset, a pyoxigraph Store or an ofsted_kg Store")


@lru_cache(maxsize=1)
def _packaged_shapes() -> rdflib.Graph:
    shacl = shapes_graph()
    _check_shapes(shacl)
    return shacl


def _check_shapes(shacl: rdflib.Graph) -> None:
    """Structural sanity of a shapes graph, checked before any data is looked at.

    Raises:
        ValidationError: no shape at all, or a property shape without exactly one sh:path.
    """
    node_shapes = set(shacl.subjects(RDF.type, SH.NodeShape))
    prop_shapes = set(shacl.objects(None, SH.property)) | set(
        shacl.subjects(RDF.type, SH.PropertyShape))
    if not node_shapes and not prop_shapes:
        raise ValidationError("the shapes graph defines no SHACL shape")
    for ps in prop_shapes:
        paths = list(shacl.objects(ps, SH.path))
        if len(paths) != 1:
            raise ValidationError(
                f"the SHACL shapes are not valid: property shape {_curie(ps) or ps} has "
                f"{len(paths)} sh:path values (exactly one is required)")


def _run_pyshacl(graph: rdflib.Graph, shacl: rdflib.Graph, inference: str) -> rdflib.Graph:
    import pyshacl
    from pyshacl.errors import ReportableRuntimeError, ShapeLoadError

    try:
        _conforms, results_graph, _text = pyshacl.validate(
            graph,
            shacl_graph=shacl,
            inference=None if inference == "none" else inference,
            abort_on_first=False,
            allow_warnings=True,
            allow_infos=True,
            advanced=False,
            inplace=True,
        )
    except (ShapeLoadError, ReportableRuntimeError) as exc:
        raise ValidationError(f"the SHACL shapes are not valid: {exc}") from exc
    except Exception as exc:  # pySHACL raises plain errors on some malformed shapes
        raise ValidationError(f"validation failed: {type(exc).__name__}: {exc}") from exc
    return results_graph


def validate_graph(
    data: rdflib.Graph | rdflib.Dataset | Any,
    *,
    inference: str = "none",
    shapes: rdflib.Graph | None = None,
    include_vocabulary: bool = True,
) -> ValidationReport:
    """Validate ``data`` against the SHACL shapes.

    Args:
        data: an rdflib Graph, an rdflib Dataset (named graphs are merged), a pyoxigraph
            Store or an :class:`ofsted_kg.store.Store` (all their graphs are merged).
        inference: pySHACL inference before validation: ``none`` (default), ``rdfs``,
            ``owlrl`` or ``both``.
        shapes: another shapes graph (default: the packaged ``shapes.ttl``).
        include_vocabulary: add the ontology and theme vocabulary to the data first
            (default True; ``sh:class okg:Theme`` etc. need it).

    Raises:
        ValueError: unknown ``inference`` mode.
        TypeError: ``data`` is not a graph, dataset or store.
        ValidationError: the shapes (or vocabulary) could not be loaded or are not valid
            SHACL.
    """
    if inference not in INFERENCE_MODES:
        raise ValueError(f"unknown inference mode {inference!r}; expected one of "
                         f"{', '.join(INFERENCE_MODES)}")
    # A plain rdflib Graph validated without inference is used in place (copying a national
    # graph costs more than validating it): the vocabulary triples it lacked are added for
    # the run and removed again afterwards, so the caller's graph is left as it was.
    in_place = (isinstance(data, rdflib.Graph)
                and not isinstance(data, (rdflib.Dataset, rdflib.ConjunctiveGraph))
                and inference == "none")
    graph = data if in_place else _as_graph(data)
    n_data = len(graph)
    added: list[tuple[Node, Node, Node]] = []
    try:
        try:
            shacl = shapes if shapes is not None else _packaged_shapes()
            vocab = vocabulary_triples() if include_vocabulary else frozenset()
        except Exception as exc:  # a broken packaged .ttl file
            raise ValidationError(f"cannot load the shapes or vocabulary: {exc}") from exc
        _check_shapes(shacl)
        for t in vocab:
            if t not in graph:
                graph.add(t)
                added.append(t)
        results_graph = _run_pyshacl(graph, shacl, inference)
    finally:
        if in_place:
            for t in added:
                graph.remove(t)

    parent: dict[Node, Node] = {}
    for ns, ps in shacl.subject_objects(SH.property):
        parent[ps] = ns

    violations: list[ValidationResult] = []
    warnings: list[ValidationResult] = []
    # top-level results only: nested sh:detail results (sh:node) are explained by their parent
    top = set(results_graph.objects(None, SH.result))
    for res in top:
        src = results_graph.value(res, SH.sourceShape)
        node_shape = parent.get(src, src) if src is not None else None
        severity_node = results_graph.value(res, SH.resultSeverity)
        severity = str(severity_node).rsplit("#", 1)[-1] if severity_node else "Violation"
        message = results_graph.value(res, SH.resultMessage)
        item = ValidationResult(
            focus_node=_curie(results_graph.value(res, SH.focusNode)) or "?",
            path=_path_text(results_graph, results_graph.value(res, SH.resultPath)),
            message=str(message) if message is not None else "constraint not met",
            severity=severity,
            shape=_curie(node_shape) if isinstance(node_shape, URIRef) else "(anonymous shape)",
            value=_curie(results_graph.value(res, SH.value)),
        )
        (violations if severity == "Violation" else warnings).append(item)
    key = lambda r: (r.shape, r.focus_node, r.path or "", r.message)  # noqa: E731
    violations.sort(key=key)
    warnings.sort(key=key)
    return ValidationReport(conforms=not violations, violations=violations,
                            warnings=warnings, triples=n_data)
