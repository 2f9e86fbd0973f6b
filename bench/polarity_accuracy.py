"""Polarity of findings against a hand-labelled random sample of the corpus's findings.

    python bench/polarity_accuracy.py

Reads the hand-labelled samples of tests/data/polarity (findings_sample.json: 240
findings drawn at random from every corpus PDF, development data; findings_heldout.json:
200 more, measured once; each labelled by reading it: strength, weakness, mixed or none;
see its README) and prints Markdown for docs/accuracy.md, for each: the confusion of the labels against
``polarity()`` of each text, the agreement on the findings that carry a judgement, the
share that carry none, and both by framework (SIF 2013-2017 against ILACS 2018 on) and by
kind of document.  Needs no corpus: the texts are in the fixture.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ofsted_kg.graph_builder.items import polarity  # noqa: E402

SAMPLES = [ROOT / "tests" / "data" / "polarity" / f
           for f in ("findings_sample.json", "findings_heldout.json")]
LABELS = ("strength", "weakness", "mixed", "none")
#: a sentence opening with a concession, which the tool reads by its main clause
CONCESSION = re.compile(r"^\s*(?:While|Whilst|Although|Though|Even though|Despite)\b")


def _year(file: str) -> int:
    m = re.search(r"(20\d\d)\.pdf$", file)
    return int(m.group(1)) if m else 0


def main() -> None:
    for sample in SAMPLES:
        report(sample)


def report(sample: Path) -> None:
    """The confusion and agreement of one labelled sample, as Markdown."""
    rows = json.loads(sample.read_text(encoding="utf-8"))["findings"]
    got = [(r, polarity(r["text"]) or "none") for r in rows]
    conf = Counter((r["label"], g) for r, g in got)
    print(f"### {len(rows)} findings, labelled by reading ({sample.relative_to(ROOT)})\n")
    print("| label \\ tool | " + " | ".join(LABELS) + " |")
    print("|---|" + "---|" * len(LABELS))
    for lab in LABELS:
        print(f"| {lab} | " + " | ".join(str(conf[(lab, g)]) for g in LABELS) + " |")
    judged = [(r, g) for r, g in got if r["label"] != "none"]
    right = sum(r["label"] == g for r, g in judged)
    conc = sum(r["label"] != g and bool(CONCESSION.match(r["text"])) for r, g in judged)
    print(f"\nagreement on the {len(judged)} findings that carry a judgement: {right}/"
          f"{len(judged)} = {right / len(judged):.2f}; of the {len(judged) - right} "
          f"disagreements, {conc} open with a concession; findings labelled none: "
          f"{len(rows) - len(judged)}/{len(rows)}\n")
    print("| part | findings | agreement |")
    print("|---|---|---|")
    parts = {
        "SIF, 2013-2017": lambda r: "focused visit" not in r["file"] and _year(r["file"]) < 2018,
        "ILACS inspections, 2018-2026": lambda r: "focused visit" not in r["file"]
        and _year(r["file"]) >= 2018,
        "focused-visit letters, 2018-2026": lambda r: "focused visit" in r["file"],
    }
    for name, keep in parts.items():
        sel = [(r, g) for r, g in judged if keep(r)]
        ok = sum(r["label"] == g for r, g in sel)
        print(f"| {name} | {len(sel)} | {ok}/{len(sel)} = {ok / max(len(sel), 1):.2f} |")
    print()


if __name__ == "__main__":
    main()
