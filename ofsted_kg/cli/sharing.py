"""``export``, ``serve`` and ``push``: the graph out of the store, to files and servers."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from ..errors import OfstedKGError
from .options import CONTEXT, _console, errors, format_option, main, store_option


# -- section: export --
@main.command(context_settings=CONTEXT)
@click.argument("fmt", metavar="FORMAT",
                type=click.Choice(["html", "ttl", "jsonld", "nt", "nq", "trig", "graphml"]))
@store_option
@click.option("-o", "--output", "output", required=True,
              help="Output file ('-' is standard output).")
@click.option("--view", type=click.Choice(["timeline", "trace", "national"]),
              default="timeline", show_default=True,
              help="HTML view.  trace: the lineage trace answers for --theme, as a grid "
                   "(the theme's concerns as rows, one per authority without --authority; "
                   "visits as columns; cells coloured by status; the quotes on click).")
@click.option("--authority", default=None, help="Only this authority (name, GSS code or URN).")
@click.option("--theme", default=None,
              help="Only documents with this theme (id or label); in html/graphml only its "
                   "concerns and findings.  Needed by --view trace.")
@click.option("--since", type=int, default=None, help="Only documents from this year on.")
@click.option("--max-nodes", type=click.IntRange(min=10), default=1500, show_default=True,
              help="HTML: cap on nodes drawn (the page says what was left out).")
def export(fmt: str, store: Path, output: str, view: str, authority: str | None,
           theme: str | None, since: int | None, max_nodes: int) -> None:
    """Export the graph: an interactive HTML view, RDF, or GraphML.

    \b
    FORMAT: html (one self-contained page, works offline), ttl, jsonld, nt,
    nq or trig (one named graph per document), graphml (for Gephi).
    The --authority/--theme/--since filter applies to every format.

    \b
    Example:
      ofsted-kg export html --authority Sefton -o sefton.html
      ofsted-kg export html --view trace --theme care-leavers --authority Sefton -o trace.html
      ofsted-kg export html --view national -o england.html
      ofsted-kg export ttl -o graph.ttl
    """
    from ..exports import export as do_export
    from ..store import open_store

    if fmt == "html" and view == "trace" and not theme:
        raise click.UsageError("--view trace follows one theme: give --theme ID")
    with errors():
        with open_store(store, read_only=True) as st:
            try:
                summary = do_export(st, fmt, output, view=view, authority=authority,
                                    theme=theme, since=since, max_nodes=max_nodes)
            except OSError as exc:
                raise click.ClickException(
                    f"{output}: cannot write ({exc.strerror or exc})") from None
    click.echo(summary.describe(), err=output == "-")


# -- section: serve/push --
@main.command(context_settings=CONTEXT)
@store_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (loopback unless --allow-remote).")
@click.option("--port", type=click.IntRange(1, 65535), default=7878, show_default=True,
              help="Port to listen on.")
@click.option("--allow-remote", is_flag=True,
              help="Permit a non-loopback --host: anyone who can reach it can read the graph.")
@click.option("--timeout", "timeout_s", type=click.IntRange(min=1), default=None,
              help="Stop any query running longer than this many seconds.")
def serve(store: Path, host: str, port: int, allow_remote: bool, timeout_s: int | None) -> None:
    """Serve the store read-only as a SPARQL 1.1 endpoint (Oxigraph's server).

    Queries go to http://HOST:PORT/query (GET or POST, SPARQL JSON/XML/CSV results); the
    default graph is the union of all graphs.  Updates and SERVICE (network reach from a
    query) are refused.  Stop with Ctrl-C.  A build cannot write to the store while it is
    served.  See docs/sharing.md.

    \b
    Example:
      ofsted-kg serve --store ofsted-kg-store --port 7878
      ofsted-kg query concern-persistence --endpoint http://127.0.0.1:7878/query \\
          -p authority=Sefton -p words="mental health"
    """
    from ..server import NotLoopbackError
    from ..server import serve as do_serve

    def ready(srv: Any) -> None:
        click.echo(f"SPARQL endpoint (read-only): {srv.query_url}  [pid {srv.pid}; "
                   "Ctrl-C to stop]", err=True)

    try:
        code = do_serve(store, host=host, port=port, allow_remote=allow_remote,
                        timeout_s=timeout_s, on_ready=ready)
    except NotLoopbackError as exc:
        raise click.UsageError(str(exc)) from None
    except OfstedKGError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo("server stopped", err=True)
    sys.exit(code)


@main.command(context_settings=CONTEXT)
@store_option
@click.option("--endpoint", required=True, metavar="URL",
              help="The remote SPARQL query endpoint (or its graph store URL).")
@click.option("--graph-store", default=None, metavar="URL",
              help="The SPARQL Graph Store Protocol URL, if it cannot be told from --endpoint.")
@click.option("--user", default=None,
              help="User name (HTTP basic auth); the password comes from $OFSTED_KG_PASSWORD.")
@click.option("--chunk", type=click.IntRange(min=1), default=50_000, show_default=True,
              help="Triples per request.")
@click.option("--prune", is_flag=True,
              help="Also delete remote report/links graphs the store no longer has.")
@format_option("table", "json")
def push(store: Path, endpoint: str, graph_store: str | None, user: str | None, chunk: int,
         prune: bool, fmt: str) -> None:
    """Upload the graph to a triple store (SPARQL 1.1 Graph Store HTTP Protocol).

    One named graph per report, plus the links and vocabulary graphs, each replaced
    (PUT), so pushing twice gives the same remote graph.  Local file paths are never sent.

    \b
    Endpoints:
      Oxigraph  --endpoint http://HOST:7878/query   (graph store /store)
      Fuseki    --endpoint http://HOST:3030/ds/sparql   (graph store /ds/data)
      GraphDB   --endpoint http://HOST:7200/repositories/ID
                (graph store /repositories/ID/rdf-graphs/service)
    \b
    Example:
      ofsted-kg push --endpoint http://127.0.0.1:7878/query
      OFSTED_KG_PASSWORD=... ofsted-kg push --endpoint http://db:3030/ds/sparql --user kg
    """
    from ..server import password_from_env
    from ..server import push as do_push

    with errors():
        with _push_progress() as on_progress:
            summary = do_push(store, endpoint=endpoint, graph_store=graph_store, user=user,
                              password=password_from_env() if user else None,
                              progress=on_progress, chunk_triples=chunk, prune=prune)
    if fmt == "json":
        click.echo(json.dumps(summary.to_dict(), indent=1))
        return
    click.echo(f"pushed {summary.graphs} graphs, {summary.triples} triples "
               f"({summary.bytes / 1e6:.1f} MB in {summary.requests} requests) to "
               f"{summary.to_dict()['graph_store']} in {summary.seconds:.1f} s"
               + (f"; deleted {len(summary.pruned)} stale graphs" if summary.pruned else ""))


@contextmanager
def _push_progress() -> Iterator[Callable[[Any], None] | None]:
    if not sys.stderr.isatty():
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(TextColumn("[bold]pushing"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("triples; graph {task.fields[graphs]}"), transient=True,
                  console=_console(stderr=True)) as bar:
        task = bar.add_task("push", total=None, graphs="")

        def on_progress(p: Any) -> None:
            bar.update(task, completed=p.triples_sent, total=p.triples_total,
                       graphs=f"{p.graphs_done}/{p.graphs_total}")

        yield on_progress
