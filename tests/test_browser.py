"""The HTML views in a real browser: headless Chromium over the DevTools pipe (tests/cdp.py).

Each view is opened from ``file://`` with host-name resolution switched off; the tests
assert that the page asked for nothing but itself, that nothing failed to load, that no
console error or exception happened, that the network holds the nodes and edges the export
said it drew, and save a screenshot under the test's tmp dir.  One test hovers and clicks
the node holding hostile report text and checks it shows literally and ran nothing.

Chromium: Debian's ``chromium``.  If it is missing, and we run as root under CI, the
fixture installs it with ``.ci/install-browser``; otherwise the tests skip saying why.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from cdp import Chromium, find_chromium
from fixturegraph import HOSTILE, fixture_store
from ofsted_kg.exports import export

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent


def _ensure_chromium() -> str:
    exe = find_chromium()
    if exe:
        return exe
    script = REPO / ".ci" / "install-browser"
    if os.environ.get("CI") and hasattr(os, "geteuid") and os.geteuid() == 0 and script.exists():
        proc = subprocess.run(["bash", str(script)], capture_output=True, text=True, timeout=900)
        exe = find_chromium()
        if exe:
            return exe
        pytest.skip(f"chromium could not be installed by .ci/install-browser: "
                    f"{(proc.stderr or proc.stdout).strip()[-300:]}")
    pytest.skip("chromium is not installed (apt-get install chromium, or run "
                ".ci/install-browser as root; or set OKG_CHROMIUM to a Chrome/Chromium binary)")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):
    exe = _ensure_chromium()
    b = Chromium.launch(tmp_path_factory.mktemp("chromium"), exe)
    try:
        yield b
    finally:
        b.close()


@pytest.fixture(scope="module")
def store():
    return fixture_store()


def _open(browser: Chromium, path: Path):
    page = browser.new_page()
    page.goto(path.resolve().as_uri())
    page.wait_for("window.okg && window.okg.stabilized === true", timeout=30)
    return page


def _assert_clean(page) -> None:
    assert page.requests() == [page.url], page.requests()  # only the page itself
    assert page.external_requests() == []
    assert page.failed_requests() == []
    assert page.console_errors() == []


VIEWS = [  # the network views; the trace view is a grid (test_trace_grid_shows_the_quotes)
    ("timeline", {"authority": "Sefton"}),
    ("timeline", {}),
    ("national", {}),
]


@pytest.mark.parametrize("view,kw", VIEWS, ids=["timeline-sefton", "timeline-all", "national"])
def test_view_opens_offline_with_expected_graph(browser: Chromium, store, tmp_path: Path,
                                               view: str, kw: dict) -> None:
    html = tmp_path / f"{view}.html"
    summary = export(store, "html", html, view=view, **kw)
    assert summary.nodes > 0
    page = _open(browser, html)
    got = page.eval("({n: okg.nodes.length, e: okg.edges.length, meta: okg.meta.counts,"
                    " drawn: Object.keys(okg.network.body.nodes).length})")
    assert got["n"] == summary.nodes and got["e"] == summary.edges
    assert got["meta"]["nodes"] == summary.nodes and got["meta"]["edges"] == summary.edges
    assert got["drawn"] >= summary.nodes  # the network really holds them
    # physics switched off once settled: a stable layout
    assert page.eval("okg.network.physics.physicsEnabled") is False
    # the legend and the filters were built
    assert page.eval("document.querySelectorAll('.okg-legend-row').length") >= 3
    assert page.eval("document.getElementById('okg-count').textContent").startswith(
        f"{summary.nodes} of {summary.nodes} nodes")
    shot = page.screenshot(tmp_path / f"{view}.png")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
    _assert_clean(page)


def test_trace_grid_shows_the_quotes(browser: Chromium, store, tmp_path: Path) -> None:
    """--view trace: concerns as rows, visits as columns, a click shows the quotes."""
    html = tmp_path / "trace.html"
    summary = export(store, "html", html, view="trace", theme="mental-health",
                     authority="Sefton")
    page = browser.new_page()
    page.goto(html.resolve().as_uri())
    page.wait_for("document.querySelectorAll('#grid tr').length > 0", timeout=30)
    assert page.eval("document.querySelectorAll('#grid tr').length") == summary.nodes + 1
    assert page.eval("document.querySelectorAll('td.cell').length") == summary.edges
    page.eval("document.querySelector('td.cell').click()")
    assert "\u201c" in page.eval("document.getElementById('detail').textContent")
    _assert_clean(page)


def test_hostile_report_text_shows_literally_and_runs_nothing(browser: Chromium, store,
                                                             tmp_path: Path) -> None:
    html = tmp_path / "telford.html"
    export(store, "html", html, view="timeline", authority="Telford")
    page = _open(browser, html)
    assert page.eval("typeof window.__pwned") == "undefined"
    assert page.eval("document.title") == "Timeline \u2014 Telford & Wrekin"
    assert page.eval("document.getElementById('okg-title').textContent") == \
        "Timeline \u2014 Telford & Wrekin"
    # hover the concern: vis-network's tooltip shows the title as plain text
    cid = page.eval("okg.nodes.get({filter: n => n.kind === 'concern'})[0].id")
    xy = page.eval(
        "(() => { const id = okg.nodes.get({filter: n => n.kind === 'concern'})[0].id;"
        " const p = okg.network.canvasToDOM(okg.network.getPosition(id));"
        " const r = document.getElementById('mynetwork').getBoundingClientRect();"
        " return [p.x + r.left, p.y + r.top]; })()")
    page.mouse_move(xy[0] - 30, xy[1] - 30)
    page.mouse_move(*xy)
    page.wait_for("(() => { const t = document.querySelector('div.vis-tooltip');"
                  " return t && t.style.visibility === 'visible'; })()", timeout=10)
    tip = page.eval("(() => { const t = document.querySelector('div.vis-tooltip');"
                    " return {text: t.innerText, children: t.querySelectorAll(':not(br)').length}; })()")
    assert HOSTILE.split(" & ")[0] in tip["text"]  # '<script>window.__pwned = 1</script>'
    assert "<b>bold</b>" in tip["text"] and " & " in tip["text"]
    assert tip["children"] == 0  # text (innerText makes line breaks <br>), not markup
    page.screenshot(tmp_path / "hostile-tooltip.png")
    # click it: the details panel shows the whole quote as text
    page.send("Input.dispatchMouseEvent", {"type": "mousePressed", "x": xy[0], "y": xy[1],
                                           "button": "left", "clickCount": 1})
    page.send("Input.dispatchMouseEvent", {"type": "mouseReleased", "x": xy[0], "y": xy[1],
                                           "button": "left", "clickCount": 1})
    page.wait_for("document.querySelector('#okg-details dd')", timeout=10)
    quote = page.eval("Array.from(document.querySelectorAll('#okg-details dt'))"
                      ".find(d => d.textContent === 'Quote').nextSibling.textContent")
    assert quote == f"Improve the recording of {HOSTILE} decisions."
    assert page.eval("document.querySelectorAll('#okg-details b, #okg-side script,"
                     " body b').length") == 0
    assert page.eval("typeof window.__pwned") == "undefined"
    assert cid
    _assert_clean(page)


def test_filters_hide_and_show(browser: Chromium, store, tmp_path: Path) -> None:
    html = tmp_path / "all.html"
    summary = export(store, "html", html, view="timeline")
    page = _open(browser, html)
    visible = "okg.nodes.get({filter: n => !n.hidden}).length"
    assert page.eval(visible) == summary.nodes
    # theme: only nodes about it (plus documents and judgements) stay
    page.eval("(() => { const s = document.getElementById('okg-theme');"
              " s.value = 'pathway-planning'; s.dispatchEvent(new Event('change')); })()")
    shown = page.eval("okg.nodes.get({filter: n => !n.hidden}).map(n => [n.kind, n.themes || [],"
                      " n.theme || ''])")
    assert shown and len(shown) < summary.nodes
    for kind, themes, theme in shown:
        if kind in ("concern", "finding"):
            assert "pathway-planning" in themes
        if kind == "theme":
            assert theme == "pathway-planning"
    # year: from 2020 on hides the 2016 and 2017 documents
    page.eval("(() => { const s = document.getElementById('okg-theme'); s.value = '';"
              " s.dispatchEvent(new Event('change'));"
              " const f = document.getElementById('okg-year-from'); f.value = '2020';"
              " f.dispatchEvent(new Event('change')); })()")
    years = page.eval("okg.nodes.get({filter: n => !n.hidden && n.kind === 'document'})"
                      ".map(n => n.year)")
    assert sorted(years) == [2020, 2024, 2024]
    # kind: unticking concerns hides every concern
    page.eval("(() => { const c = Array.from(document.querySelectorAll('#okg-kinds input'))"
              ".find(i => i.value === 'concern'); c.checked = false;"
              " c.dispatchEvent(new Event('change')); })()")
    assert page.eval("okg.nodes.get({filter: n => !n.hidden && n.kind === 'concern'}).length") == 0
    time.sleep(0.1)
    _assert_clean(page)


def test_cap_message_is_shown(browser: Chromium, store, tmp_path: Path) -> None:
    html = tmp_path / "capped.html"
    summary = export(store, "html", html, view="timeline", max_nodes=10)
    page = _open(browser, html)
    msg = page.eval("(() => { const m = document.getElementById('okg-omitted');"
                    " return m.hidden ? '' : m.textContent; })()")
    assert "capped at 10 nodes" in msg
    for k, v in summary.omitted.items():
        assert f"{v} {k}" in msg
    _assert_clean(page)
