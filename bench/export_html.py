"""HTML export of the national view: time, file size, and settle time in a browser.

    python bench/export_html.py STORE [--repeat 3] [--no-browser] [--view national]

STORE is an on-disk store (e.g. from ``python bench/national.py --keep``).  Times
``ofsted_kg.exports.export(store, "html", path, view=...)`` (best and median of --repeat),
prints the page's size and node/edge counts, then opens the page in headless Chromium
(tests/cdp.py: no network, DevTools over a pipe) --repeat times and reports
``window.okg.settleMs`` -- the time from the page's first script to the layout settling
(physics stopped) -- and the wall time until then as seen from outside.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, machine


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("store", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--view", default="national")
    ap.add_argument("--no-browser", action="store_true")
    args = ap.parse_args()

    from ofsted_kg.exports import export
    from ofsted_kg.store import open_store

    print(machine())
    tmp = Path(tempfile.mkdtemp(prefix="okg-html-"))
    html = tmp / f"{args.view}.html"
    st = open_store(args.store, read_only=True)
    try:
        times = []
        summary = None
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            summary = export(st, "html", html, view=args.view)
            times.append(time.perf_counter() - t0)
    finally:
        st.close()
    size = html.stat().st_size
    print(f"export html view={args.view}: best {min(times):.2f} s, median "
          f"{statistics.median(times):.2f} s over {len(times)}; {size / 2**20:.2f} MB; "
          f"{summary.nodes} nodes, {summary.edges} edges"
          + (f"; left out by the cap: {summary.omitted}" if summary.omitted else ""))
    if args.no_browser:
        return
    sys.path.insert(0, str(ROOT / "tests"))
    from cdp import Chromium, find_chromium

    exe = find_chromium()
    if exe is None:
        print("no Chromium found (set OKG_CHROMIUM): settle time not measured")
        return
    settle, wall = [], []
    for i in range(args.repeat):
        with Chromium.launch(tmp / f"chromium-{i}", exe) as browser:
            page = browser.new_page()
            t0 = time.perf_counter()
            page.goto(html.resolve().as_uri(), timeout=120)
            page.wait_for("window.okg && window.okg.stabilized === true", timeout=300)
            wall.append(time.perf_counter() - t0)
            settle.append(float(page.eval("window.okg.settleMs")))
            errors = page.console_errors()
            external = page.external_requests()
        if errors or external:
            print(f"  run {i}: console errors {errors[:3]}, external requests {external[:3]}")
    print(f"headless Chromium: settleMs median {statistics.median(settle):.0f} ms "
          f"(runs: {', '.join(f'{s:.0f}' for s in settle)}); navigation to settled, wall: "
          f"median {statistics.median(wall):.2f} s")


if __name__ == "__main__":
    main()
