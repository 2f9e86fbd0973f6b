"""``query``, ``queries``, ``trace`` and ``themes``: asking the graph."""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Any

import click

from .options import (
    CONTEXT,
    _remote,
    endpoint_options,
    errors,
    format_option,
    main,
    opened_output,
    output_option,
    parse_params,
    store_option,
)


# -- queries --------------------------------------------------------------------------
@main.command(context_settings=CONTEXT)
@click.argument("name")
@store_option
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE",
              help="A query parameter (repeatable).")
@format_option("table", "csv", "tsv", "json")
@output_option()
@click.option("--allow-update", is_flag=True, help="Permit SPARQL UPDATE (changes the store).")
@click.option("--allow-service", is_flag=True, help="Permit SERVICE (a query reaching the network).")
@click.option("--timeout", "timeout_s", type=click.FloatRange(min=0), default=60.0,
              show_default=True, envvar="OFSTED_KG_QUERY_TIMEOUT", show_envvar=True,
              metavar="SECONDS",
              help="Stop the query after this many seconds (0: no limit); with --endpoint, "
              "the HTTP timeout.")
@endpoint_options
def query(name: str, store: Path, params: tuple[str, ...], fmt: str, output: str,
          allow_update: bool, allow_service: bool, timeout_s: float = 60.0,
          endpoint: str | None = None, user: str | None = None) -> None:
    """Run a named query (see 'ofsted-kg queries') or your own .rq file.

    Parameters are bound as RDF terms, never pasted into the query text.  A query still
    running after --timeout seconds is stopped (exit status 1, with a line on how to
    narrow it; docs/queries.md shows how to write joins that Oxigraph plans well).

    \b
    Example:
      ofsted-kg query concern-persistence -p authority=Sefton -p words="mental health"
      ofsted-kg query my-join.rq --timeout 300 --format csv -o join.csv
    """
    from ..queries import run_query
    from ..store import open_store

    kv = parse_params(params)
    if endpoint and allow_update:
        raise click.UsageError("--allow-update cannot be used with --endpoint (read-only)")
    with errors():
        with _remote(endpoint, user, timeout_s) if endpoint else open_store(
                store, read_only=not allow_update) as st:
            result = run_query(st, name, kv, allow_update=allow_update,
                               allow_service=allow_service, timeout=timeout_s)
    with opened_output(output) as out:
        _write_result(result, fmt, out)


def _write_result(result: Any, fmt: str, out: IO[str]) -> None:
    from ..exports.tabular import write_result

    if fmt != "table":
        write_result(result, fmt, out)
        return
    if result.form == "ASK":
        out.write(("true" if result.boolean else "false") + "\n")
        return
    if result.form in ("CONSTRUCT", "DESCRIBE"):
        out.write(result.ntriples)
        return
    from rich.console import Console
    from rich.table import Table

    t = Table(show_lines=False)
    for c in result.columns:
        t.add_column(c, overflow="fold")
    for r in result.rows:
        t.add_row(*[_short(r.get(c)) for c in result.columns])
    Console(file=out, width=200 if not out.isatty() else None).print(t)
    out.write(f"{len(result.rows)} row{'s' if len(result.rows) != 1 else ''}\n")


def _short(v: Any) -> str:
    if v is None:
        return ""
    s = str(v)
    for pre, short in (("https://w3id.org/ofsted-kg/id/", "id:"),
                       ("https://w3id.org/ofsted-kg/theme/", "theme:")):
        if s.startswith(pre):
            return short + s[len(pre):]
    return s


@main.command(context_settings=CONTEXT)
@format_option("table", "json")
def queries(fmt: str) -> None:
    """List the named queries with their descriptions and parameters.

    \b
    Example:
      ofsted-kg queries
    """
    from ..queries import list_queries

    qs = list_queries()
    if fmt == "json":
        click.echo(json.dumps([{"name": q.name, "title": q.title, "description": q.description,
                                "parameters": [{"name": p.name, "kind": p.kind,
                                                "required": p.required,
                                                "description": p.description}
                                               for p in q.parameters]} for q in qs], indent=1))
        return
    for q in qs:
        click.echo(f"{q.name}: {q.title}. {q.description}")
        for p in q.parameters:
            req = "required" if p.required else "optional"
            click.echo(f"    --param {p.name}=<{p.kind}>  ({req}) {p.description}")


# -- trace ----------------------------------------------------------------------------
@main.command(context_settings=CONTEXT)
@click.argument("text", required=False)
@click.option("--theme", default=None, help="A theme id or label instead of words.")
@click.option("--authority", default=None, help="Authority name, GSS code or Ofsted URN.")
@click.option("--since", type=int, default=None, help="Only documents from this year on.")
@click.option("--all", "all_mentions", is_flag=True,
              help="Also every other item that mentions the words (outside the chain).")
@store_option
@format_option("table", "json", "text", "html")
@output_option()
@endpoint_options
def trace(text: str | None, theme: str | None, authority: str | None, since: int | None,
          all_mentions: bool, store: Path, fmt: str, output: str, endpoint: str | None = None,
          user: str | None = None) -> None:
    """A concern's lineage: per document, its items and the findings deciding its status.

    Per document in date order, the concern items of the chain and the
    findings that decide its status there, with quote, page and the deciding words.

    TEXT is the concern as a researcher would put it; words in double quotes must occur
    literally.  The title line is the verdict ("raised 2017; repeated 2019, 2020;
    improving 2022; resolved 2025").  A document that follows up the chain but says
    nothing about it is "not reviewed".  --format html writes the trace view: concerns
    as rows, visits as columns, cells coloured by status (needs --authority).

    \b
    Example:
      ofsted-kg trace "timely mental health support for care leavers" --authority Sefton
      ofsted-kg trace --theme pathway-planning --authority Knowsley --since 2014
    """
    from ..queries.trace import trace as do_trace
    from ..store import open_store

    if not text and not theme:
        raise click.UsageError("give TEXT or --theme ID")
    if fmt == "html":
        _trace_html(store, text=text, theme=theme, authority=authority, since=since,
                    output=output)
        return
    with errors():
        with _remote(endpoint, user) if endpoint else open_store(store, read_only=True) as st:
            res = do_trace(st, text, theme=theme, authority=authority, since=since,
                           all_mentions=all_mentions)
    with opened_output(output) as out:
        if fmt == "json":
            out.write(json.dumps(res.to_dict(), ensure_ascii=False, indent=1, default=str) + "\n")
            return
        if fmt == "text":
            out.write(res.to_text())
            return
        _trace_table(res, out)


def _trace_table(res: Any, out: IO[str]) -> None:
    from rich.console import Console
    from rich.table import Table

    t = Table(title=res.verdict)
    for c in ("date", "document", "status", "kind", "page", "decided by", "quote"):
        t.add_column(c, overflow="fold", max_width=80 if c == "quote" else None)
    by_step: dict[int, list[dict[str, Any]]] = {}
    for r in res.rows:
        by_step.setdefault(int(r.get("step", -1)), []).append(r)
    for n, s in enumerate(res.steps):
        rows = by_step.get(n) or [{}]
        for k, r in enumerate(rows):
            t.add_row(s["date"] if k == 0 else "", s["document"] if k == 0 else "",
                      (s["label"] if k == 0 else "") + (f" ({r['status']})" if r and
                                                        r.get("status") != s["status"] else ""),
                      str(r.get("kindLabel", "")), str(r.get("page", "")),
                      str(r.get("cue", "")), str(r.get("quote", "")))
    for r in by_step.get(-1, []):
        t.add_row(r["date"], r["document"], "mention", r["kindLabel"], str(r["page"]), "",
                  r["quote"])
    Console(file=out, width=180 if not out.isatty() else None).print(t)


def _trace_html(store: Path, *, text: str | None, theme: str | None, authority: str | None,
                since: int | None, output: str) -> None:
    from ..store import open_store

    if not authority:
        if not theme:
            raise click.UsageError("--format html needs --authority (or a --theme to draw "
                                   "across authorities)")
        from ..exports import export

        with errors():
            with open_store(store, read_only=True) as st:
                export(st, "html", output, view="trace", theme=theme, since=since)
    else:
        from ..exports.trace_grid import trace_grid

        with errors():
            with open_store(store, read_only=True) as st:
                page = trace_grid(st, text, theme=theme, authority=authority, since=since)
        with opened_output(output) as out:
            out.write(page)
    if output not in ("-", None):
        click.echo(f"wrote {output}", err=True)


# -- section: themes --
@main.command(context_settings=CONTEXT)
@click.argument("words", required=False)
@click.option("--facet", default=None, help="Only this facet (e.g. practice-area, cohort, issue).")
@format_option("table", "json")
def themes(words: str | None, facet: str | None, fmt: str) -> None:
    """List the theme vocabulary (ids for --theme), or show the themes a text gets.

    With WORDS, tags them as a concern would be tagged and says which label matched.

    \b
    Example:
      ofsted-kg themes --facet practice-area
      ofsted-kg themes "Ensure care leavers get timely support for their mental health"
    """
    from ..ontology import theme_index

    if words:
        from ..graph_builder.themes import tag_text

        matches = [m.as_dict() for m in tag_text(words)]
        if fmt == "json":
            click.echo(json.dumps(matches, indent=1, ensure_ascii=False))
        else:
            for m in matches:
                click.echo(f"{m['theme']:32} matched {m['label']!r} ({m['rule']})")
        return
    entries = [e for e in theme_index() if facet is None or e.facet == facet or e.id == facet]
    if facet is not None and not entries:
        raise click.BadParameter(f"no facet {facet!r}", param_hint="--facet")
    if fmt == "json":
        click.echo(json.dumps([{"id": e.id, "label": e.pref_label, "facet": e.facet,
                                "broader": list(e.broader), "definition": e.definition}
                               for e in entries], indent=1, ensure_ascii=False))
        return
    for e in entries:
        click.echo(f"{e.id:36} {e.facet or '(facet)':15} {e.pref_label}")
