"""How ``trace`` is measured on hand-checked concern chains, as
``../shared/tools/measure_lineage.py`` measures it (and as the tool is measured on other
authorities' held-out chains): shared by the dev-gold and the held-out-gold tests."""

from __future__ import annotations

import re
import shutil
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ofsted_kg.graph_builder.pipeline import build
from ofsted_kg.queries.trace import trace
from ofsted_kg.store import Store

#: a later appearance's gold role -> the status trace should give it
EXPECT = {"repeated": "persisting", "persisting": "persisting", "improving": "improving",
          "resolved": "resolved"}


def _norm(s: str) -> str:
    s = unicodedata.normalize("NFKC", s or "").replace("\u2019", "'").replace("\u2018", "'")
    s = re.sub(r"[\u2010-\u2015]", "-", s)
    s = re.sub(r"^[\s\-\u2022\u25aa\u25fc\uf06e\uf0b7\*\d\.\)]+", "", s)
    return re.sub(r"\s+", " ", s).strip().lower().rstrip(" .;:")


def _words(s: str) -> set[str]:
    return set(re.findall(r"[a-z]{3,}", _norm(s)))


def quotes_it(quote: str, text: str) -> bool:
    """The measure's rule: containment either way, or >= 60% of the words shared."""
    g, n = _norm(quote), _norm(text)
    if len(n) > 25 and (n in g or g[:80] in n):
        return True
    gw, tw = _words(quote), _words(text)
    return bool(gw and tw and len(gw & tw) / len(gw | tw) >= 0.6)


@dataclass
class Measure:
    found: int = 0
    total: int = 0
    rows: int = 0
    status_ok: int = 0
    status_all: int = 0
    silent_rows: int = 0
    silent: list[tuple[str, str, str]] = field(default_factory=list)  # (concern, file, text)

    @property
    def recall(self) -> float:
        return self.found / max(self.total, 1)

    @property
    def per_appearance(self) -> float:
        return self.rows / max(self.total, 1)

    @property
    def status(self) -> float:
        return self.status_ok / max(self.status_all, 1)

    def __str__(self) -> str:
        return (f"recall {self.found}/{self.total} = {self.recall:.2f}, rows "
                f"{self.per_appearance:.1f}x, status {self.status_ok}/{self.status_all} = "
                f"{self.status:.2f}, silent rows {self.silent_rows}")


def build_gold_store(gold: dict, corpus_dir: Path, tmp: Path) -> Path:
    """A store of every report and letter of the gold's authorities."""
    inp = tmp / "in"
    inp.mkdir()
    for la in gold:
        for part in ("ofsted-ilacs", "focused-visits"):
            for folder in (corpus_dir / part / "reports").glob("*"):
                if folder.name.split("_", 1)[-1].lower().replace("&", "and") == la.lower().replace("&", "and"):
                    shutil.copytree(folder, inp / folder.name, dirs_exist_ok=True)
    path = tmp / "store"
    build([inp], store=path, jobs=2)
    return path


def measure(store: Store, gold: dict) -> Measure:
    """``trace`` with each gold concern's label exactly as written, against its chain."""
    m = Measure()
    for la, a in gold.items():
        for c in a["concerns"]:
            res = trace(store, c["label"], authority=la)
            m.rows += len(res.rows)
            for i, app in enumerate(c["appearances"]):
                m.total += 1
                hit = [r for r in res.rows if any(quotes_it(q, r["text"]) for q in app["quotes"])]
                if not hit:
                    continue
                m.found += 1
                if i and app["role"] in EXPECT:
                    m.status_all += 1
                    m.status_ok += any(r["status"] == EXPECT[app["role"]] for r in hit)
            silent = set(c.get("silent_in") or [])
            for r in res.rows:
                if Path(r["file"]).name in silent:
                    m.silent_rows += 1
                    m.silent.append((c["label"], Path(r["file"]).name, r["text"]))
    return m
