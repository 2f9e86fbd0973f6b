"""The ``ofsted-kg`` command line: thin commands over the library.

Each command parses its options, calls one public function, formats the result and maps
ofsted-kg's exceptions to :class:`click.ClickException`.  Exit status: 0 ok, 1 error (or
SHACL non-conformance, or a build with failures), 2 usage.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, TypeVar

import click

from .errors import OfstedKGError

F = TypeVar("F", bound=Callable[..., Any])

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


# -- shared options -------------------------------------------------------------------
def store_option(f: F) -> F:
    return click.option(
        "--store", "store", type=click.Path(file_okay=False, path_type=Path),
        envvar="OFSTED_KG_STORE", default="ofsted-kg-store", show_default=True,
        show_envvar=True, help="The store directory.")(f)


def format_option(*choices: str, default: str | None = None) -> Callable[[F], F]:
    def deco(f: F) -> F:
        return click.option("--format", "fmt", type=click.Choice(choices),
                            default=default or choices[0], show_default=True,
                            help="Output format.")(f)
    return deco


def output_option(required: bool = False) -> Callable[[F], F]:
    def deco(f: F) -> F:
        return click.option("-o", "--output", "output", default=None if required else "-",
                            required=required, show_default=not required,
                            help="Output file ('-' is standard output).")(f)
    return deco


@contextmanager
def errors() -> Iterator[None]:
    """Map ofsted-kg's exceptions to one clear line and exit status 1."""
    try:
        yield
    except OfstedKGError as exc:
        raise click.ClickException(str(exc)) from None
    except BrokenPipeError:
        sys.exit(0)


@contextmanager
def opened_output(output: str, *, binary: bool = False) -> Iterator[IO[Any]]:
    if output in ("-", None):
        yield sys.stdout.buffer if binary else sys.stdout
        return
    try:
        fh = open(output, "wb" if binary else "w", **({} if binary else {"encoding": "utf-8", "newline": ""}))
    except OSError as exc:
        raise click.ClickException(f"{output}: cannot write ({exc.strerror or exc})") from None
    with fh:
        yield fh


def endpoint_options(f: F) -> F:
    f = click.option("--user", default=None, help="User name for the endpoint (HTTP basic "
                     "auth); the password comes from $OFSTED_KG_PASSWORD.")(f)
    return click.option("--endpoint", default=None, metavar="URL",
                        help="Query a remote SPARQL endpoint instead of the store "
                        "(e.g. http://127.0.0.1:7878/query).")(f)


def _remote(endpoint: str, user: str | None, timeout: float | None = None) -> Any:
    from .server import RemoteEndpoint, password_from_env

    kw = {} if timeout is None else {"timeout": timeout or None}  # 0: no HTTP timeout
    return RemoteEndpoint(endpoint, user=user, password=password_from_env() if user else None,
                          **kw)


def parse_params(values: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for v in values:
        if "=" not in v:
            raise click.BadParameter(f"{v!r} is not KEY=VALUE", param_hint="--param")
        k, _, val = v.partition("=")
        out[k.strip()] = val
    return out


@click.group(context_settings=CONTEXT)
@click.version_option(package_name="ofsted-kg", prog_name="ofsted-kg")
def main() -> None:
    """Ofsted's inspections of English councils' children's services, as a knowledge graph.

    \b
    Example:
      ofsted-kg build samples
      ofsted-kg trace "mental health" --authority Sefton
    """


# -- build ----------------------------------------------------------------------------
@main.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True)
@store_option
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: every core).")
@click.option("--strict", is_flag=True, help="Stop at the first file that fails.")
@click.option("--force", is_flag=True, help="Rebuild files even when unchanged.")
@click.option("--wait", is_flag=True, help="Wait for another writer instead of failing.")
@format_option("table", "json")
def build(paths: tuple[str, ...], store: Path, jobs: int | None, strict: bool, force: bool,
          wait: bool, fmt: str) -> None:
    """Build or update the graph from report files and folders (.pdf, .txt).

    Folders are searched recursively; unchanged files are skipped (unless stored by an
    earlier version of the graph model: those are rebuilt); each document is written
    all-or-nothing.  Exit status 1 if any file failed.

    \b
    Example:
      ofsted-kg build samples ../reports --store ofsted-kg-store
    """
    from .graph_builder.pipeline import build as do_build
    from .store import open_store

    with errors():
        with open_store(store, wait=wait) as st:
            with _progress() as on_progress:
                summary = do_build(paths, store=st, jobs=jobs, strict=strict, force=force,
                                   on_progress=on_progress)
    if fmt == "json":
        click.echo(json.dumps(summary.to_dict(), indent=1))
    else:
        _print_summary(summary, store)
    for f in summary.failures:
        click.echo(f"error: {f}", err=True)
    if summary.failures:
        sys.exit(1)


@contextmanager
def _progress() -> Iterator[Callable[[Any], None] | None]:
    if not sys.stderr.isatty():
        yield None
        return
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                               TimeElapsedColumn)

    with Progress(TextColumn("[bold]building"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[rate]:.1f} files/s"),
                  TextColumn("failures: {task.fields[fails]}"), TimeElapsedColumn(),
                  TextColumn("{task.fields[current]}"), transient=True,
                  console=_console(stderr=True)) as bar:
        task = bar.add_task("build", total=None, rate=0.0, fails=0, current="")

        def on_progress(p: Any) -> None:
            bar.update(task, completed=p.done, total=p.total,
                       rate=p.done / p.elapsed if p.elapsed else 0.0, fails=p.failures,
                       current=Path(p.current).name[:40])

        yield on_progress


def _console(stderr: bool = False) -> Any:
    from rich.console import Console

    return Console(stderr=stderr, soft_wrap=False)


def _print_summary(summary: Any, store: Path) -> None:
    from rich.table import Table

    t = Table(title=f"Built into {store}", show_footer=True)
    t.add_column("document type", footer="total")
    t.add_column("documents", justify="right", footer=str(summary.built))
    for k, v in sorted(summary.by_type.items()):
        t.add_row(k, str(v))
    _console().print(t)
    click.echo(
        f"{summary.built} built, {summary.skipped} unchanged, {len(summary.failures)} failed; "
        f"{len(summary.authorities)} authorities, {summary.concerns} concerns, "
        f"{summary.findings} findings, {summary.triples} triples written "
        f"({summary.store_quads} in store) in {summary.seconds:.1f} s")
    if summary.outdated:
        click.echo(f"({summary.outdated} of them unchanged but stored by an earlier version of "
                   "ofsted-kg's graph model: rebuilt)")
    _print_doubtful(summary.doubtful)


def _print_doubtful(rows: list[tuple[str, list[str]]], *, written: bool = True) -> None:
    """The documents whose reading failed self-audit checks (on standard error)."""
    if not rows:
        return
    from collections import Counter

    from rich.table import Table

    how = "written, each failed check an okg:Doubt of the report" if written else "failed self-audit checks"
    t = Table(title=f"{len(rows)} document(s) with doubtful readings ({how})")
    t.add_column("document")
    t.add_column("failed checks")
    for path, checks in rows:
        counts = Counter(checks)
        t.add_row(path, ", ".join(f"{c} x{n}" if n > 1 else c for c, n in counts.items()))
    _console(stderr=True).print(t)


# -- extract --------------------------------------------------------------------------
@main.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True)
@format_option("json", "jsonl")
@output_option()
def extract(paths: tuple[str, ...], fmt: str, output: str) -> None:
    """Print what was read from each document, without touching the store.

    One record per document (see docs/extraction.md); unreadable or unidentifiable files
    are reported on standard error, one line each, and give exit status 1.  Documents whose
    reading fails a self-audit check (their record's "audit") are listed in a table on
    standard error.

    \b
    Example:
      ofsted-kg extract samples/sefton-2016-inspection.txt --format json
    """
    from .errors import DocumentError
    from .graph_builder.extract import extract_path
    from .graph_builder.pipeline import collect_files

    files, missing = collect_files(paths)
    failed = [str(m) for m in missing]
    records = []
    doubtful: list[tuple[str, list[str]]] = []
    for f in files:
        try:
            rec = extract_path(f)
        except DocumentError as exc:
            failed.append(str(exc))
            continue
        records.append(rec.to_dict())
        if rec.audit:
            doubtful.append((f, [c.check for c in rec.audit]))
    with opened_output(output) as out:
        if fmt == "jsonl":
            for r in records:
                out.write(json.dumps(r, ensure_ascii=False) + "\n")
        else:
            out.write(json.dumps(records[0] if len(records) == 1 and len(paths) == 1
                                 and not Path(paths[0]).is_dir() else records,
                                 ensure_ascii=False, indent=1) + "\n")
    _print_doubtful(doubtful, written=False)
    for line in failed:
        click.echo(f"error: {line}", err=True)
    if failed:
        sys.exit(1)


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
    from .queries import run_query
    from .store import open_store

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
    from .exports.tabular import write_result

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
    from .queries import list_queries

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
    from .queries.trace import trace as do_trace
    from .store import open_store

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
    from .store import open_store

    if not authority:
        if not theme:
            raise click.UsageError("--format html needs --authority (or a --theme to draw "
                                   "across authorities)")
        from .exports import export

        with errors():
            with open_store(store, read_only=True) as st:
                export(st, "html", output, view="trace", theme=theme, since=since)
    else:
        from .exports.trace_grid import trace_grid

        with errors():
            with open_store(store, read_only=True) as st:
                page = trace_grid(st, text, theme=theme, authority=authority, since=since)
        with opened_output(output) as out:
            out.write(page)
    if output not in ("-", None):
        click.echo(f"wrote {output}", err=True)


# -- export ---------------------------------------------------------------------------
# (export, validate: filled in by their owners; keep each command in its own section)

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
    from .exports import export as do_export
    from .store import open_store

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


# -- section: validate --
@main.command(context_settings=CONTEXT)
@store_option
@format_option("human", "json")
@click.option("--inference", type=click.Choice(["none", "rdfs", "owlrl", "both"]),
              default="none", show_default=True, help="pySHACL inference before validating.")
@click.option("--max-items", type=click.IntRange(min=1), default=50, show_default=True,
              help="Results listed per severity (human format).")
def validate(store: Path, fmt: str, inference: str, max_items: int) -> None:
    """Check the graph against the SHACL shapes (pySHACL).

    Exit status 0 when the graph conforms (warnings allowed), 1 when it has violations
    (they are listed), 2 on usage errors.

    \b
    Example:
      ofsted-kg validate --store ofsted-kg-store --format json
    """
    from .store import open_store
    from .validate import validate_graph

    with errors():
        with open_store(store, read_only=True) as st:
            report = validate_graph(st, inference=inference)
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), indent=1, ensure_ascii=False))
    else:
        click.echo(report.text(max_items=max_items))
    if not report.conforms:
        sys.exit(1)


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
    from .server import NotLoopbackError
    from .server import serve as do_serve

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
    from .server import password_from_env
    from .server import push as do_push

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


# -- section: remove --
@main.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1)
@click.option("--missing", is_flag=True,
              help="Drop every document whose source files no longer exist.")
@store_option
@click.option("--wait", is_flag=True, help="Wait for another writer instead of failing.")
@format_option("table", "json")
def remove(paths: tuple[str, ...], missing: bool, store: Path, wait: bool, fmt: str) -> None:
    """Drop the documents built from PATH... (files or folders) and/or --missing ones.

    Exit status 1 if a PATH was never built into the store.

    \b
    Example:
      ofsted-kg remove reports/old-visit.pdf
      ofsted-kg remove --missing
    """
    from .graph_builder.pipeline import remove as do_remove

    if not paths and not missing:
        raise click.UsageError("give PATH... or --missing")
    with errors():
        summary = do_remove(paths, store=store, missing=missing, wait=wait)
    if fmt == "json":
        click.echo(json.dumps(summary.to_dict(), indent=1))
    else:
        for p in summary.removed:
            click.echo(f"removed: {p}")
        for p in summary.unlinked:
            click.echo(f"forgotten path (document kept, built from another copy): {p}")
        click.echo(f"{len(summary.removed)} document(s) removed "
                   f"({summary.store_quads} quads in store)")
    for p in summary.not_found:
        click.echo(f"error: {p}: not in the store", err=True)
    if summary.not_found:
        sys.exit(1)


# -- section: analyse --
@main.group(context_settings=CONTEXT)
def analyse() -> None:
    """Analytics across authorities: recurring failures, national theme counts (networkx).

    \b
    Example:
      ofsted-kg analyse recurring --min-documents 3
      ofsted-kg analyse themes --graphml themes.graphml
    """


def _write_rows(rows: list[dict[str, Any]], fmt: str, out: IO[str], title: str) -> None:
    if fmt == "json":
        out.write(json.dumps(rows, ensure_ascii=False, indent=1, default=str) + "\n")
        return
    if fmt == "csv":
        import csv

        w = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else ["empty"],
                           lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
        return
    cols = list(rows[0]) if rows else []
    cells = [[str(r.get(c, "")) for c in cols] for r in rows]
    text = None if out.isatty() else _plain_table(title, cols, cells)
    if text is not None:
        out.write(text)
    else:
        from rich.console import Console
        from rich.table import Table

        t = Table(title=title)
        for c in cols:
            t.add_column(c, overflow="fold", max_width=60)
        for row in cells:
            t.add_row(*row)
        Console(file=out, width=200 if not out.isatty() else None).print(t)
    out.write(f"{len(rows)} row{'s' if len(rows) != 1 else ''}\n")


def _plain_table(title: str, cols: list[str], cells: list[list[str]]) -> str | None:
    """The table exactly as rich draws it into a file (heavy head, 200 columns), written
    directly (rich takes ~0.5 s for 600 rows); ``None`` when rich would wrap, shrink or
    measure a character differently (a long, multi-line or non-ASCII cell)."""
    if not cols or title != title.strip() or any(
            len(v) > 60 or not v.isascii() or not v.isprintable() or v != v.strip()
            for row in [cols, *cells] for v in row):
        return None
    w = [max(len(c), *(len(row[i]) for row in cells)) if cells else len(c)
         for i, c in enumerate(cols)]
    width = sum(w) + 3 * len(w) + 1
    if width > 200 or len(title) > width:
        return None

    def line(left: str, fill: str, mid: str, right: str) -> str:
        return left + mid.join(fill * (n + 2) for n in w) + right + "\n"

    def row(vals: list[str], bar: str) -> str:
        return bar + bar.join(f" {v:<{n}} " for v, n in zip(vals, w)) + bar + "\n"

    out = []
    if title:
        pad = width - len(title)
        out.append(" " * (pad // 2) + title + " " * (pad - pad // 2) + "\n")
    out += [line("┏", "━", "┳", "┓"), row(cols, "┃"), line("┡", "━", "╇", "┩")]
    out += [row(r, "│") for r in cells]
    out.append(line("└", "─", "┴", "┘"))
    return "".join(out)


@analyse.command("recurring", context_settings=CONTEXT)
@click.option("--min-documents", type=click.IntRange(min=1), default=3, show_default=True,
              help="Least number of documents naming the theme.")
@click.option("--authority", default=None, help="Only this authority (name, GSS code or URN).")
@store_option
@format_option("table", "json", "csv")
@output_option()
@click.option("--graphml", "graphml", type=click.Path(dir_okay=False), default=None,
              help="Also write the authority-theme network as GraphML.")
def analyse_recurring(min_documents: int, authority: str | None, store: Path, fmt: str,
                      output: str, graphml: str | None) -> None:
    """Rank (authority, theme) pairs by persistence: documents, years spanned, still open.

    \b
    Example:
      ofsted-kg analyse recurring --min-documents 3 --format csv -o recurring.csv
    """
    from .analyse import recurring, recurring_graph, write_graphml
    from .store import open_store

    with errors():
        with open_store(store, read_only=True) as st:
            rows = recurring(st, min_documents=min_documents, authority=authority)
    if graphml:
        try:
            write_graphml(recurring_graph(rows), graphml)
        except OSError as exc:
            raise click.ClickException(f"{graphml}: cannot write ({exc})") from None
    table = [{"authority": r.authority_name, "theme": r.theme_label, "documents": r.documents,
              "first": r.first_year, "last": r.last_year, "years": r.years_spanned,
              "chain": r.chain, "open": "yes" if r.still_open else "no",
              "last status": r.last_status} for r in rows]
    with opened_output(output) as out:
        if fmt == "json":
            _write_rows([r.to_dict() for r in rows], fmt, out, "")
        else:
            _write_rows(table, fmt, out,
                        f"Themes recurring in {min_documents}+ documents of an authority")


@analyse.command("themes", context_settings=CONTEXT)
@click.option("--min-documents", type=click.IntRange(min=1), default=2, show_default=True,
              help="Documents of an authority for a theme to count as recurring there.")
@store_option
@format_option("table", "json", "csv")
@output_option()
@click.option("--graphml", "graphml", type=click.Path(dir_okay=False), default=None,
              help="Also write the theme-authority network of shared recurring failures.")
def analyse_themes(min_documents: int, store: Path, fmt: str, output: str,
                   graphml: str | None) -> None:
    """National counts of concerns by theme, year and region, and the authorities sharing
    each recurring failure.

    \b
    Example:
      ofsted-kg analyse themes --format json -o themes.json
    """
    from .analyse import themes, themes_graph, write_graphml
    from .store import open_store

    with errors():
        with open_store(store, read_only=True) as st:
            summary = themes(st, min_documents=min_documents)
    if graphml:
        try:
            write_graphml(themes_graph(summary), graphml)
        except OSError as exc:
            raise click.ClickException(f"{graphml}: cannot write ({exc})") from None
    with opened_output(output) as out:
        if fmt == "json":
            out.write(json.dumps(summary.to_dict(), ensure_ascii=False, indent=1) + "\n")
        else:
            _write_rows(summary.rows(), fmt, out, "Concerns by theme (specific themes)")


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
    from .ontology import theme_index

    if words:
        from .graph_builder.themes import tag_text

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
