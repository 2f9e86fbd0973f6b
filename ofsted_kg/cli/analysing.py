"""``analyse recurring`` and ``analyse themes``: networkx analytics over the links."""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Any

import click

from .options import (
    CONTEXT,
    errors,
    format_option,
    main,
    opened_output,
    output_option,
    store_option,
)


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
    from ..analyse import recurring, recurring_graph, write_graphml
    from ..store import open_store

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
    from ..analyse import themes, themes_graph, write_graphml
    from ..store import open_store

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
