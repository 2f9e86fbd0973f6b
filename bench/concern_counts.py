"""Concern items and findings per document, for a human to eyeball.

    python bench/concern_counts.py [PATH ...] [--items] [--findings]

Without paths it reads every PDF of ../shared/corpus (or $OFSTED_KG_CORPUS) and the bundled
samples.  One line per document: concerns by kind, findings by polarity, then a list of
suspicious items (no concern at all in a full inspection, an item that looks like a heading
or page furniture, an item over 1,200 characters).  ``--items`` prints every item with its
page and section; ``--findings`` prints every finding.  Exit status 1 when anything is
suspicious.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

from _common import ROOT, corpus_pdfs

from ofsted_kg.graph_builder.items import extract_concerns, extract_findings
from ofsted_kg.graph_builder.normalise import prepare
from ofsted_kg.graph_builder.read import read_document
from ofsted_kg.graph_builder.records import DocumentRecord, Source

try:  # the record's document type, when core extraction is available
    from ofsted_kg.graph_builder.core import extract_core
except ImportError:  # pragma: no cover
    extract_core = None  # type: ignore[assignment]

_HEADINGISH = re.compile(
    r"^(what needs to improve|recommendations|areas? for|the experiences and progress|"
    r"inspection of .* children.s services|page \d+|\d+)\W*$|\bInspection dates:",
    re.I,
)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--items", action="store_true", help="print every concern item")
    ap.add_argument("--findings", action="store_true", help="print every finding")
    args = ap.parse_args(argv)
    paths = args.paths or corpus_pdfs() + sorted(str(p) for p in (ROOT / "samples").glob("*.txt"))
    problems: list[str] = []
    totals: Counter[str] = Counter()
    for path in paths:
        raw = read_document(path)
        doc = prepare(raw)
        rec = DocumentRecord(Source(path, raw.sha256, len(raw.pages)), None, "other")
        if extract_core is not None:
            try:
                extract_core(doc, rec)
            except Exception as exc:  # noqa: BLE001 - a core failure must not hide our figures
                problems.append(f"{path}: core extraction failed ({exc})")
        concerns = extract_concerns(doc, rec)
        findings = extract_findings(doc, rec)
        kinds = Counter(c.kind for c in concerns)
        pols = Counter(f.polarity for f in findings)
        totals.update(kinds)
        totals["documents"] += 1
        totals["findings"] += len(findings)
        name = "/".join(Path(path).parts[-2:])
        print(f"{name}\t{rec.document_type}\tconcerns={len(concerns)} {dict(kinds)}\t"
              f"findings={len(findings)} {dict(pols)}")
        if not concerns and rec.document_type in ("full_inspection", "other"):
            problems.append(f"{name}: no concern item")
        for c in concerns:
            if len(c.text) > 1200 or len(c.text) < 15 or _HEADINGISH.search(c.text):
                problems.append(f"{name}: suspicious item p{c.page}: {c.text[:120]!r}")
            if args.items:
                tags = f" {c.nf_tags}" if c.nf_tags else ""
                print(f"    [{c.kind} p{c.page} {c.section!r}{tags}] {c.text}")
        if args.findings:
            for f in findings:
                print(f"    <{f.polarity} p{f.page} {(f.section or '')[:40]!r}> {f.text}")
    print(f"\n{totals['documents']} documents, "
          + ", ".join(f"{k}={v}" for k, v in sorted(totals.items()) if k != "documents"))
    for p in problems:
        print("SUSPICIOUS", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
