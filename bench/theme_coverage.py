"""Practice-area theme coverage of the concern items of a report archive.

    python bench/theme_coverage.py [PATH ...] [--findings] [--show-all] [--min 0.95]

Reads every .pdf/.txt under PATH (default: ../shared/corpus beside the checkout), extracts
each document's concerns with ``ofsted_kg.graph_builder.extract`` (which tags them), and
prints: the share of concern items carrying at least one *specific practice-area* theme
(any concept of the practice-area facet; the facet root is never assigned), the count per
theme and facet, and every untagged item with its file and page so the vocabulary can be
extended.  Exits 1 when the coverage is below ``--min``.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from ofsted_kg.errors import DocumentError  # noqa: E402
from ofsted_kg.graph_builder.extract import extract_path  # noqa: E402
from ofsted_kg.graph_builder.read import READABLE_SUFFIXES  # noqa: E402
from ofsted_kg.graph_builder.themes import practice_area_themes, theme_facets  # noqa: E402


def _files(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.suffix.lower() in READABLE_SUFFIXES)
        elif p.is_file():
            out.append(p)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="*", type=Path,
                    default=[REPO.parent / "shared" / "corpus"])
    ap.add_argument("--findings", action="store_true", help="also report findings' coverage")
    ap.add_argument("--min", type=float, default=0.95, help="fail below this coverage")
    ap.add_argument("--show-all", action="store_true", help="list every untagged item")
    args = ap.parse_args(argv)

    files = _files(args.paths)
    if not files:
        print("no .pdf/.txt files found under", ", ".join(map(str, args.paths)))
        return 2
    facets = theme_facets()
    per_theme: Counter[str] = Counter()
    per_facet: Counter[str] = Counter()
    untagged: list[tuple[str, int, str, str]] = []
    n_items = n_find = n_find_pa = 0
    failed = 0
    t_extract = 0.0
    for f in files:
        t0 = time.perf_counter()
        try:
            rec = extract_path(f)
        except DocumentError as exc:
            failed += 1
            print(f"skipped: {exc}", file=sys.stderr)
            continue
        t_extract += time.perf_counter() - t0
        for c in rec.concerns:
            n_items += 1
            per_theme.update(c.themes)
            per_facet.update({facets.get(t, "?") for t in c.themes})
            if not practice_area_themes(c.themes):
                untagged.append((f.name if f.parent.name == "seeds" else
                                 f"{f.parent.name}/{f.name}", c.page, c.kind, c.text))
        if args.findings:
            for fd in rec.findings:
                n_find += 1
                n_find_pa += bool(practice_area_themes(fd.themes))

    coverage = 1 - len(untagged) / n_items if n_items else 0.0
    print(f"documents: {len(files) - failed} read, {failed} skipped; extraction {t_extract:.1f} s")
    print(f"concern items: {n_items}")
    print(f"with a specific practice-area theme: {n_items - len(untagged)} "
          f"({coverage:.1%})  target >= {args.min:.0%}")
    if args.findings and n_find:
        print(f"findings with a practice-area theme: {n_find_pa}/{n_find} ({n_find_pa / n_find:.1%})")
    print("items per facet: " + ", ".join(f"{k} {v}" for k, v in per_facet.most_common()))
    print("top themes: " + ", ".join(f"{k} {v}" for k, v in per_theme.most_common(25)))
    print(f"\nuntagged items ({len(untagged)}):")
    for name, page, kind, text in (untagged if args.show_all else untagged[:200]):
        print(f"  - {name} p{page} [{kind}] {text[:200]}")
    return 0 if coverage >= args.min else 1


if __name__ == "__main__":
    raise SystemExit(main())
