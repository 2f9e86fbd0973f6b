"""The hand-written part of ``docs/queries.md``: how to write the common joins so that
Oxigraph plans them well, each example timed on the national-scale store of ``bench/``.

:func:`ofsted_kg.queries.docs.render` appends :data:`GUIDE` after the named queries, so the
page stays generated (and its staleness test green); edit the text here, then run
``python -m ofsted_kg.queries.docs``.  The timings come from ``bench/query_guide.py``.
"""

from __future__ import annotations

__all__ = ["ANCHOR", "EXAMPLES", "GUIDE"]

#: the section's anchor, named by the time-limit message of ``ofsted-kg query``
ANCHOR = "writing-queries-that-oxigraph-plans-well"

#: the guide's example queries, by name (bench/query_guide.py times them with its variants)
EXAMPLES = {
    "analyst": """SELECT ?concernText ?findingText ?status ?cue WHERE {
  ?sa a okg:StatusAssessment ; okg:ofConcern ?c ; okg:basedOn ?f ; okg:status ?st .
  OPTIONAL { ?sa okg:cue ?cue }
  BIND(STRAFTER(STR(?st), "/status/") AS ?status)
  ?c oa:hasSelector/oa:exact ?concernText .
  ?f oa:hasSelector/oa:exact ?findingText .
}""",
    "patterns-first": """SELECT ?concernText ?findingText ?status ?cue WHERE {
  ?sa a okg:StatusAssessment ; okg:ofConcern ?c ; okg:basedOn ?f ; okg:status ?st .
  ?c oa:hasSelector/oa:exact ?concernText .
  ?f oa:hasSelector/oa:exact ?findingText .
  OPTIONAL { ?sa okg:cue ?cue }
  BIND(STRAFTER(STR(?st), "/status/") AS ?status)
}""",
    "authority-iri": """SELECT ?concernText ?findingText ?status ?cue WHERE {
  ?r okg:authority <https://w3id.org/ofsted-kg/id/authority/E08000014> .
  ?sa okg:assessedIn ?r ; okg:ofConcern ?c ; okg:basedOn ?f ; okg:status ?st .
  ?c oa:hasSelector/oa:exact ?concernText .
  ?f oa:hasSelector/oa:exact ?findingText .
  OPTIONAL { ?sa okg:cue ?cue }
  BIND(STRAFTER(STR(?st), "/status/") AS ?status)
}""",
    "filter-subquery": """SELECT ?concernText ?findingText ?status WHERE {
  { SELECT ?c ?concernText WHERE { ?c a okg:Concern ; oa:hasSelector/oa:exact ?concernText .
      FILTER(CONTAINS(LCASE(?concernText), "mental health")) } }
  ?sa okg:ofConcern ?c ; okg:basedOn ?f ; okg:status ?st .
  ?f oa:hasSelector/oa:exact ?findingText .
  BIND(STRAFTER(STR(?st), "/status/") AS ?status)
}""",
}

GUIDE = """\
## Writing queries that Oxigraph plans well

`ofsted-kg query` stops a query after 60 s (`--timeout SECONDS`, `$OFSTED_KG_QUERY_TIMEOUT`,
`0` = no limit) and says so in one line.  What follows is how to write the joins analysts
write every day so that they do not get there.  Every example was timed with
`python bench/query_guide.py /tmp/national/store` on the national-scale synthetic store
(`python bench/national.py --keep --store /tmp/national/store`, built at commit 09904d2:
529 reports, 5,013 concerns, 123,311 findings, 2.11 M quads, graph model 24; 2 shared
cores, best of the runs of 2 Dec 2026; a stopped query is shown with the limit it was
given).

**How Oxigraph plans.**  Inside one group `{{ ... }}` the triple patterns are planned
together: Oxigraph starts from the most selective and follows the shared variables.  But
an `OPTIONAL`, a `BIND`, a `MINUS` or a nested group *ends* the block of patterns before
it; the patterns after it form a new block that is planned on its own and then joined to
everything before.  If that new block does not connect by itself -- two patterns sharing
no variable -- it is evaluated as a cross product first.

### Status assessments with the texts of their concern and finding

The analyst's join: each status assessment of the links graphs (`okg:StatusAssessment`),
the text of the concern it assesses and of the finding it is based on, its cue if any, and
the status as a word.  Written in the order one thinks of it:

```sparql
{analyst}
```

**Stopped at the 60 s limit** (an analyst stopped it after more than 11 minutes).  After
the `OPTIONAL` and the `BIND`, `?c oa:hasSelector/oa:exact ?concernText . ?f
oa:hasSelector/oa:exact ?findingText` is a block of its own whose two patterns share no
variable: every item's quote (~125,000) paired with every item's quote before the join
with the assessments.  Either the `OPTIONAL` alone or the `BIND` alone in that place does
it too (each stopped at the 60 s limit).  (An item's text is its selector's `oa:exact`:
`oa:hasSelector/oa:exact` is a path of two patterns, planned as they are.)

The same query with every triple pattern first, then the `OPTIONAL`, then the `BIND`:

```sparql
{patterns_first}
```

**1.16 s**, 7,758 rows (without the `OPTIONAL` and the `BIND`: 1.15 s).

| the join written ... | rows | time |
|---|---|---|
| `OPTIONAL` and `BIND` before the text patterns | -- | stopped at 60 s |
| `OPTIONAL` alone before them | -- | stopped at 60 s |
| `BIND` alone before them | -- | stopped at 60 s |
| triple patterns first, then `OPTIONAL`, then `BIND` | 7,758 | 1.16 s |
| triple patterns only | 7,758 | 1.15 s |

Rules: **triple patterns first, `OPTIONAL` after them, `BIND` and `FILTER` last**; inside an
`OPTIONAL`, start from a variable the outer patterns bind (`OPTIONAL {{ ?sa okg:cue ?cue }}`).

### Bind an authority

One authority's assessments: start from its reports.  With the authority's IRI (what
`-p authority=NAME` of a named query resolves to; `ofsted-kg query` binds it as a term):

```sparql
{authority_iri}
```

**0.03 s**, 35 rows, ~45 x faster than the national join.  By name instead,
`?r okg:authority/skos:prefLabel "Sefton"@en` is as fast (0.05 s) but gives **175 rows**: every
report graph repeats the authority's name, and the default graph is the union of the
graphs, so the path matches once per graph holding the name (see below).  Pick the
authority once -- `{{ SELECT DISTINCT ?a WHERE {{ ?a a okg:Authority ; skos:prefLabel
"Sefton"@en }} }}` before the patterns -- and the 35 rows come back (0.02 s).

### Where a FILTER goes

A `FILTER` holds for its whole group wherever it is written, so moving it inside the group
changes little; what helps is a group that *first* reduces what the filter reads:

| the concerns whose text says "mental health", with their assessments | rows | time |
|---|---|---|
| `FILTER(CONTAINS(LCASE(?concernText), "mental health"))` after all the patterns | 86 | 0.53 s |
| the same `FILTER` right after `?c oa:hasSelector/oa:exact ?concernText` | 86 | 0.44 s |
| the concerns picked in a subquery, then joined | 86 | **0.20 s** |

```sparql
{filter_subquery}
```

Two more measured traps (docs/performance.md): `FILTER(a || b)` evaluates both sides
(`FILTER(IF(cond, a, b))` does not), and a `BIND` that computes an IRI before a property
path made concern-persistence 100 x slower.

### GRAPH or the union default graph

The default graph of every query here is the union of the store's graphs: each report's
graph (the report, its visit, judgements, inspectors and authority), each authority's
links graph, the vocabulary, and the store's default graph, which holds every document's
items (its concerns and findings with their quotes: 97 % of its triples, each under its
own document's IRIs, its report named by `oa:hasSource`).  A triple that several graphs
hold matches once per graph: the authorities' names, in every report graph, are the
common case.  Over the union each pattern is looked up in the default graph's indexes and
in the named graphs': the joins over the items' texts above take ~1.3-1.5 x as long as
when every item was in its report's graph (graph model 23: the analyst's join written well
0.80-0.90 s, the filter in a subquery 0.15 s, on a store of the same documents timed the
same hour), the price of a build that writes each item's triple three times instead of six
(docs/performance.md, "Thirteenth session").  From Python, `Store.query(sparql,
union=False)` reads the store's own default graph -- the items alone -- and the other
graphs only through `GRAPH`: the analyst's join written so, `GRAPH ?lg {{ ?sa a
okg:StatusAssessment ; ... }}` with the two text paths outside it and the cue in `OPTIONAL
{{ GRAPH ?lg {{ ?sa okg:cue ?cue }} }}`, took 0.54-0.60 s against 0.98-1.21 s over the
union, the same 7,758 rows.  That is the store's layout, not the data's: a pushed copy keeps
each item in its report's graph, so such a query finds no item there.

| each report with its authority's name | rows | time |
|---|---|---|
| `?r a okg:Report ; okg:authority ?a . ?a skos:prefLabel ?name` | 2,137 | 0.04 s |
| the same with `SELECT DISTINCT` | 529 | 0.02 s |
| the same inside `GRAPH ?g {{ ... }}` (the report's own graph) | 529 | 0.02 s |

`GRAPH ?g {{ ... }}` keeps a block of patterns within one graph -- right when they are
written together, as a report's facts are.  It is wrong for a join that crosses graphs:
writing the analyst's join as `GRAPH ?links {{ ?sa ... }}`, `GRAPH ?cg {{ ?c oa:hasSelector/oa:exact
?concernText }}`, `GRAPH ?fg {{ ?f oa:hasSelector/oa:exact ?findingText }}` made three blocks, two of them
unconnected, and was stopped at the 60 s limit when the items were in their reports'
graphs (graph model 23); now that no named graph holds an item it returns no row at all.
Status assessments and links live in the links graphs, texts in the default graph: join
them through the union default graph, and reach an item's report by `oa:hasSource`
(`?c oa:hasSource ?report`), not by the graph it is in.  `ofsted-kg export nq` (and
`push`) give each document's items in its report's graph: one named graph per document.

**A visit described by several files** (a PDF and a text of one report, a republished
report) is where the union default graph hurts most: each of a query's patterns about the
visit's facts (its judgements, dates, framework, inspectors) matches once per file, and
the rows multiply pattern by pattern -- pyoxigraph 0.5 does not merge the graphs' triples
(Oxigraph issue 1919, fixed after 0.5.13).  On a store of the corpus's PDFs repeated to
~900 documents (`python bench/national_build.py --keep DIR`: each visit ~6 files),
`grade-trajectory`, `latest-grades`, `inspector-documents` and `visit-follow-ups` written
over the union ran past the 60 s limit; the named queries now read a visit's facts inside
one report's graph, `GRAPH ?g {{ ?visit okg:hasJudgement ?j . ?j okg:area ?area ... }}`,
and take 0.8-2.6 s there (`ofsted-kg query`, start-up included), with the same rows.
""".format(**{k.replace("-", "_"): v for k, v in EXAMPLES.items()})
