"""How far two readers agree on the statuses of the hand-made chains.

    python bench/gold_agreement.py

For each authority in ``tests/data/gold_heldout/agreement/`` a second annotator, given only
the first one's concern labels and the documents, coded every concern in every document
from the PDFs' page text (``roles_<authority>.json``).  Printed: of the later appearances of
``tests/data/gold_heldout/recurrence-heldout.json`` that both readers give a status, how
many statuses agree (repeated and persisting count as one, as ``measure_lineage.py``
counts them), and how many of the first reader's silent documents the second finds silent.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "data" / "gold_heldout" / "recurrence-heldout.json"
SECOND = ROOT / "tests" / "data" / "gold_heldout" / "agreement"
SAME = {"repeated": "persisting", "persisting": "persisting", "improving": "improving",
        "resolved": "resolved"}


def agreement(first: dict, second: list[dict]) -> tuple[int, int, int, int, Counter]:
    """(statuses agreed, statuses both gave, silent agreed, silent listed, disagreements)."""
    roles = {(x["concern"], x["document"]): x["role"] for x in second}
    agree = both = quiet = listed = 0
    apart: Counter = Counter()
    for c in first["concerns"]:
        for i, ap in enumerate(c["appearances"]):
            other = roles.get((c["label"], ap["document"]))
            if i == 0 or ap["role"] not in SAME or other not in SAME:
                continue
            both += 1
            if SAME[ap["role"]] == SAME[other]:
                agree += 1
            else:
                apart[(SAME[ap["role"]], SAME[other])] += 1
        for d in c.get("silent_in", []):
            listed += 1
            quiet += roles.get((c["label"], d)) in ("silent", "before")
    return agree, both, quiet, listed, apart


def main() -> None:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["authorities"]
    tot = [0, 0]
    for f in sorted(SECOND.glob("roles_*.json")):
        data = json.loads(f.read_text(encoding="utf-8"))
        la = data["authority"]
        agree, both, quiet, listed, apart = agreement(gold[la], data["annotations"])
        tot[0] += agree
        tot[1] += both
        print(f"{la}: statuses agree {agree}/{both} = {agree / both:.2f}; silent documents "
              f"agree {quiet}/{listed}; disagreements {dict(apart)}")
    print(f"all: {tot[0]}/{tot[1]} = {tot[0] / tot[1]:.2f}")


if __name__ == "__main__":
    main()
