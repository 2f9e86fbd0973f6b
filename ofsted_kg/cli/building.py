"""``build``, ``extract``, ``remove`` and ``validate``: putting documents into the store and checking it."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from .options import (
    CONTEXT,
    _console,
    errors,
    format_option,
    main,
    opened_output,
    output_option,
    store_option,
)


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
    from ..graph_builder.pipeline import build as do_build
    from ..store import open_store

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
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

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
    from ..errors import DocumentError
    from ..graph_builder.extract import extract_path
    from ..graph_builder.pipeline import collect_files

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
    from ..graph_builder.removal import remove as do_remove

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
    from ..store import open_store
    from ..validate import validate_graph

    with errors():
        with open_store(store, read_only=True) as st:
            report = validate_graph(st, inference=inference)
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), indent=1, ensure_ascii=False))
    else:
        click.echo(report.text(max_items=max_items))
    if not report.conforms:
        sys.exit(1)
