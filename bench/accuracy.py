"""Agreement of ofsted-kg's extraction with the peer CSV of the shared corpus.

    python bench/accuracy.py [CORPUS_DIR] [--json]

Runs :func:`ofsted_kg.graph_builder.extract.extract_path` over every PDF under
``CORPUS_DIR/ofsted-ilacs/reports`` (default: ``../shared/corpus`` beside the checkout, or
``$OFSTED_KG_CORPUS``) and the seed texts, and compares, per field, with
``peer_judgements.csv`` (another tool's extraction: a cross-check, not the truth): inspection
start and end dates, lead inspector, framework/type (the CSV's ``inspection_framework``
column holds ILACS' standard/short), and the five ILACS grades.  Every disagreement is
listed; blanks in the CSV (SIF-era rows, "inspection_pre_dates_judgement") are counted
apart as "peer blank".  Adjudications are in docs/accuracy.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ofsted_kg.errors import DocumentError  # noqa: E402
from ofsted_kg.graph_builder.extract import extract_path  # noqa: E402
from ofsted_kg.graph_builder.normalise import fold  # noqa: E402

GRADE_COLS = {
    "overall_effectiveness_grade": "overall_effectiveness",
    "impact_of_leaders_grade": "impact_of_leaders",
    "help_and_protection_grade": "help_and_protection",
    "in_care_grade": "children_in_care",
    "care_leavers_grade": "care_leavers",
}


def corpus_dir(arg: str | None) -> Path:
    for cand in (arg, os.environ.get("OFSTED_KG_CORPUS"), ROOT.parent / "shared" / "corpus"):
        if cand and Path(cand).is_dir():
            return Path(cand)
    raise SystemExit("corpus not found: give CORPUS_DIR or set OFSTED_KG_CORPUS")


def _peer_date(s: str) -> str | None:
    s = s.strip()
    for fmt in ("%d/%m/%Y", "%d/%m/%y"):
        try:
            return datetime.strptime(s, fmt).date().isoformat()
        except ValueError:
            pass
    return None


def _peer_grade(s: str) -> str | None:
    s = fold(s).replace(" ", "_")
    if s.startswith("requires_improvement"):
        return "requires_improvement"
    return s if s in ("outstanding", "good", "inadequate", "adequate") else None


def _name(s: str | None) -> str:
    return "".join(ch for ch in fold(s or "") if ch.isalnum())


def run(corpus: Path, records: dict | None = None) -> dict:
    """Extract (or reuse ``records``, keyed by ``str(path)``) and compare with the peer CSV."""
    reports = corpus / "ofsted-ilacs" / "reports"
    peers: dict[tuple[str, str], dict[str, str]] = {}
    with open(corpus / "ofsted-ilacs" / "peer_judgements.csv", encoding="utf-8-sig") as fh:
        for row in csv.DictReader(fh):
            peers[(row["urn"], row["pdf_filename"])] = row
    files = sorted(reports.glob("*/*.pdf")) + sorted((corpus / "seeds").glob("*.txt"))
    agree: Counter[str] = Counter()
    total: Counter[str] = Counter()
    blank: Counter[str] = Counter()
    disagreements: list[dict[str, str]] = []
    failures: list[str] = []
    types: Counter[str] = Counter()
    t0 = time.perf_counter()
    given = records
    records = {}
    for path in files:
        try:
            rec = given[str(path)] if given is not None else extract_path(path)
        except DocumentError as exc:
            failures.append(str(exc))
            continue
        types[rec.document_type] += 1
        records[str(path)] = rec
        if path.suffix != ".pdf":
            continue
        urn = path.parent.name.split("_", 1)[0]
        peer = peers.get((urn, path.name))
        if peer is None:
            continue
        lead = next((i.name for i in rec.inspectors if i.role == "lead"), None)
        grades = {j.area: j.grade for j in rec.judgements}
        kind = rec.inspection_type if rec.framework in ("ILACS", "ILACS_2026") else rec.framework
        fields = {
            "visit_start": (rec.visit_start, _peer_date(peer["inspection_start_date"])),
            "visit_end": (rec.visit_end, _peer_date(peer["inspection_end_date"])),
            "lead_inspector": (lead, peer["inspector_name"].strip() or None),
            "framework_or_type": (kind, peer["inspection_framework"].strip() or None),
        }
        for col, area in GRADE_COLS.items():
            fields[area] = (grades.get(area), _peer_grade(peer[col]))
        for field, (ours, theirs) in fields.items():
            if theirs is None:
                blank[field] += 1
                continue
            total[field] += 1
            same = _name(ours) == _name(theirs) if field == "lead_inspector" else ours == theirs
            if same:
                agree[field] += 1
            else:
                disagreements.append({
                    "file": f"{path.parent.name}/{path.name}", "field": field,
                    "ours": str(ours), "peer": str(theirs),
                })
    return {
        "documents": len(files),
        "seconds": round(time.perf_counter() - t0, 2),
        "types": dict(types),
        "failures": failures,
        "fields": {f: {"agree": agree[f], "compared": total[f], "peer_blank": blank[f]}
                   for f in ["visit_start", "visit_end", "lead_inspector", "framework_or_type",
                             *GRADE_COLS.values()]},
        "disagreements": disagreements,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?")
    ap.add_argument("--json", action="store_true", help="print the result as JSON")
    args = ap.parse_args(argv)
    res = run(corpus_dir(args.corpus))
    if args.json:
        print(json.dumps(res, indent=2))
        return 0
    print(f"{res['documents']} documents in {res['seconds']} s; types: {res['types']}")
    print(f"failures: {len(res['failures'])}")
    for f in res["failures"]:
        print("  ", f)
    print(f"\n{'field':24} {'agree':>7} {'compared':>9} {'%':>7} {'peer blank':>11}")
    for field, c in res["fields"].items():
        pct = 100.0 * c["agree"] / c["compared"] if c["compared"] else float("nan")
        print(f"{field:24} {c['agree']:7d} {c['compared']:9d} {pct:6.1f}% {c['peer_blank']:11d}")
    print(f"\ndisagreements ({len(res['disagreements'])}):")
    for d in res["disagreements"]:
        print(f"  {d['file']}: {d['field']}: ours={d['ours']!r} peer={d['peer']!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
