"""Query results as CSV, TSV, JSON (and N-Triples for graph answers)."""

from __future__ import annotations

import csv
import json
from typing import IO, Any

from ..queries import QueryResult

__all__ = ["write_result", "TABULAR_FORMATS"]

TABULAR_FORMATS = ("csv", "tsv", "json")


def write_result(result: QueryResult, fmt: str, out: IO[str]) -> None:
    """Write ``result`` to ``out`` as ``csv``, ``tsv`` or ``json``.

    ASK answers are written as a one-cell table (``boolean``); CONSTRUCT/DESCRIBE answers
    as N-Triples whatever ``fmt`` says, except ``json`` (a list of [s, p, o]).

    Raises:
        ValueError: an unknown format.
    """
    if fmt not in TABULAR_FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    if result.form == "ASK":
        cols: list[str] = ["boolean"]
        rows: list[dict[str, Any]] = [{"boolean": bool(result.boolean)}]
    elif result.form in ("CONSTRUCT", "DESCRIBE"):
        if fmt == "json":
            json.dump([list(t) for t in result.triples], out, ensure_ascii=False, indent=1)
            out.write("\n")
        else:
            out.write(result.ntriples)
        return
    else:
        cols, rows = result.columns, result.rows
    if fmt == "json":
        json.dump(rows, out, ensure_ascii=False, indent=1, default=str)
        out.write("\n")
        return
    writer = csv.writer(out, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
    writer.writerow(cols)
    for r in rows:
        vals = ["" if r.get(c) is None else str(r.get(c)) for c in cols]
        if fmt == "tsv":
            vals = [v.replace("\t", " ").replace("\n", " ") for v in vals]
        writer.writerow(vals)
