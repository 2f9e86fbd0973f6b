"""Compare ofsted-kg's records with the hand-checked expected records of real letters and
reports (tests/data/expected_letters/*.json, made by reading the PDFs; see the README there).

Used by tests/test_letters.py (thresholds) and bench/letters_accuracy.py (figures for
docs/accuracy.md).  Items are compared exactly after normalisation: Unicode NFKC, curly
quotes and dashes folded, whitespace collapsed, a final full stop and National Framework
tags such as "(outcome 3, national framework)" set aside (the tool stores those apart).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

EXPECTED_DIR = Path(__file__).resolve().parent / "data" / "expected_letters"
_NF = re.compile(r"\s*\((?:outcomes?|enablers?|principles?)\b[^()]*\)\s*\.?\s*$", re.I)


def expected_files() -> list[Path]:
    return sorted(EXPECTED_DIR.glob("*.json"))


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def norm_item(text: str) -> str:
    s = unicodedata.normalize("NFKC", text or "")
    s = s.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    s = re.sub(r"[\u2010-\u2015\u2212]", "-", s)
    while True:
        m = _NF.search(s)
        if not m:
            break
        s = s[: m.start()]
    s = re.sub(r"\s+", " ", s).strip()
    return s.rstrip(" .;")


def norm_name(text: str | None) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text or "")).strip().casefold()


@dataclass
class Comparison:
    name: str
    year: str
    fields: dict[str, bool] = field(default_factory=dict)  # field -> right
    tp: int = 0
    n_got: int = 0
    n_expected: int = 0
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    addressee_right: int = 0
    addressee_checked: int = 0


def compare(record: dict[str, Any], expected: dict[str, Any], name: str = "") -> Comparison:
    """Compare one ``extract`` record (``DocumentRecord.to_dict()``) with its expected record."""
    c = Comparison(name=name, year=(expected.get("published") or "")[:4])
    auth = (record.get("authority") or {}).get("name")
    c.fields["authority"] = norm_name(auth) == norm_name(expected.get("authority"))
    for key in ("document_type", "visit_start", "visit_end", "published"):
        if key in expected:
            c.fields[key] = record.get(key) == expected[key]
    leads = [i["name"] for i in record.get("inspectors", []) if i.get("role") == "lead"]
    c.fields["lead_inspector"] = bool(leads) and norm_name(leads[0]) == norm_name(expected.get("lead_inspector"))
    if "inspectors" in expected:
        got_names = {norm_name(i["name"]) for i in record.get("inspectors", []) if i.get("role") != "other"}
        c.fields["inspectors"] = got_names == {norm_name(n) for n in expected["inspectors"]}
    if "topics" in expected:
        c.fields["topics"] = bool(set(record.get("topics") or []) & set(expected["topics"]))
    got = Counter(norm_item(x["text"]) for x in record.get("concerns", []))
    want = Counter(norm_item(x["text"]) for x in expected.get("concerns", []))
    c.tp = sum((got & want).values())
    c.n_got, c.n_expected = sum(got.values()), sum(want.values())
    c.missing = sorted((want - got).elements())
    c.extra = sorted((got - want).elements())
    by_text = {norm_item(x["text"]): x for x in record.get("concerns", [])}
    for exp in expected.get("concerns", []):
        g = by_text.get(norm_item(exp["text"]))
        if g is not None and "addressee" in exp:
            c.addressee_checked += 1
            c.addressee_right += g.get("addressee") == exp["addressee"]
    return c


def f1(comparisons: list[Comparison]) -> tuple[float, float, float]:
    tp = sum(c.tp for c in comparisons)
    got = sum(c.n_got for c in comparisons)
    want = sum(c.n_expected for c in comparisons)
    p = tp / got if got else 1.0
    r = tp / want if want else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)
