"""Letters and reports against hand-checked records, and the self-audit on the whole corpus.

    python bench/letters_accuracy.py [CORPUS_DIR]

Prints Markdown for docs/accuracy.md:

1. per field and per year, ofsted-kg's reading of the focused-visit letters with expected
   records in tests/data/expected_letters/ (made by reading the PDFs): authority, visit
   dates, letter date, lead inspector, every inspector, topics, concern items (precision,
   recall, F1 exact after normalisation) and addressees;
2. the self-audit over every PDF of the corpus and the seeds: documents flagged, each with
   its failed checks, and the rate per check and per year.
"""

from __future__ import annotations

import os
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from expected_records import compare, expected_files, f1, load  # noqa: E402
from ofsted_kg.errors import DocumentError  # noqa: E402
from ofsted_kg.graph_builder.extract import extract_path  # noqa: E402

FIELDS = ("authority", "visit_start", "visit_end", "published", "lead_inspector", "inspectors", "topics")


def main() -> int:
    corpus = Path(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("OFSTED_KG_CORPUS", ROOT.parent / "shared" / "corpus"))
    comps = []
    held_out = set()
    for p in expected_files():
        exp = load(p)
        comps.append(compare(extract_path(corpus / exp["corpus_file"]).to_dict(), exp, p.stem))
        if exp.get("checked_after_rules"):
            held_out.add(p.stem)
    print(f"### Letters against hand-checked records ({len(comps)} letters)\n")
    print("| field | right | letters | % |\n|---|---:|---:|---:|")
    for f in FIELDS:
        right = sum(c.fields[f] for c in comps)
        print(f"| {f} | {right} | {len(comps)} | {100 * right / len(comps):.1f} |")
    p_, r_, f_ = f1(comps)
    tp = sum(c.tp for c in comps)
    print(f"| concern items (exact after normalisation) | {tp} of {sum(c.n_expected for c in comps)} expected, "
          f"{sum(c.n_got for c in comps)} read | | P {p_:.3f} R {r_:.3f} F1 {f_:.3f} |")
    ar, ac = sum(c.addressee_right for c in comps), sum(c.addressee_checked for c in comps)
    print(f"| addressee of the items found | {ar} | {ac} | {100 * ar / max(ac, 1):.1f} |\n")
    by_year: dict[str, list] = defaultdict(list)
    for c in comps:
        by_year[c.year].append(c)
    print("| year | letters | all fields right | items expected | items F1 |\n|---|---:|---:|---:|---:|")
    for y in sorted(by_year):
        cs = by_year[y]
        ok = sum(all(c.fields[f] for f in FIELDS) for c in cs)
        print(f"| {y} | {len(cs)} | {ok} | {sum(c.n_expected for c in cs)} | {f1(cs)[2]:.3f} |")
    for label, group in (("written with the rules", [c for c in comps if c.name not in held_out]),
                         ("held out (written after the rules)", [c for c in comps if c.name in held_out])):
        ok = sum(all(c.fields[f] for f in FIELDS) for c in group)
        print(f"\n{label}: {len(group)} letters, all fields right on {ok}, items F1 {f1(group)[2]:.3f} "
              f"({sum(c.n_expected for c in group)} items)")
    wrong = [(c.name, [f for f in FIELDS if not c.fields[f]], c.missing, c.extra) for c in comps
             if c.missing or c.extra or not all(c.fields[f] for f in FIELDS)]
    print("\nWrong readings:" if wrong else "\nNo wrong reading.")
    for name, fields, missing, extra in wrong:
        print(f"- {name}: fields {fields}; missing {missing}; extra {extra}")

    files = sorted(corpus.glob("*/reports/*/*.pdf")) + sorted((corpus / "seeds").glob("*.txt"))
    flagged: list[tuple[str, list[str]]] = []
    per_check: Counter[str] = Counter()
    docs_year: Counter[str] = Counter()
    flagged_year: Counter[str] = Counter()
    refused = []
    for f in files:
        try:
            rec = extract_path(f)
        except DocumentError as exc:
            refused.append(str(exc))
            continue
        year = (rec.published or rec.visit_start or "????")[:4]
        docs_year[year] += 1
        if rec.audit:
            flagged_year[year] += 1
            flagged.append((str(f.relative_to(corpus)), [f"{c.check}" + (f" (item {c.item})" if c.item else "")
                                                         for c in rec.audit]))
            per_check.update({c.check for c in rec.audit})
    n = len(files) - len(refused)
    print(f"\n### Self-audit on the corpus ({len(files)} documents, {len(refused)} refused)\n")
    print(f"{len(flagged)} of {n} documents flagged ({100 * len(flagged) / max(n, 1):.1f}%).\n")
    print("| document | failed checks |\n|---|---|")
    for path, checks in flagged:
        print(f"| {path} | {', '.join(checks)} |")
    print("\n| check | documents | % of documents |\n|---|---:|---:|")
    for chk, k in per_check.most_common():
        print(f"| {chk} | {k} | {100 * k / n:.1f} |")
    print("\n| year | documents | flagged | % |\n|---|---:|---:|---:|")
    for y in sorted(docs_year):
        print(f"| {y} | {docs_year[y]} | {flagged_year[y]} | {100 * flagged_year[y] / docs_year[y]:.1f} |")
    for line in refused:
        print(f"- refused: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
