"""A tiny Chrome DevTools Protocol client for the browser tests (no dependency, no port).

Headless Chromium is started with ``--remote-debugging-pipe``: it reads CDP commands from
file descriptor 3 and writes answers and events to descriptor 4, each message a JSON text
ended by a NUL byte.  Nothing listens on the network; the browser is also told to resolve
no host name at all, so an accidental external request fails (and is recorded).

    with Chromium.launch(tmp_path) as browser:
        page = browser.new_page()
        page.goto(path.as_uri())
        page.wait_for("window.okg && window.okg.stabilized")
        page.screenshot(tmp_path / "view.png")
        assert not page.external_requests() and not page.console_errors()

``find_chromium()`` looks for ``$OKG_CHROMIUM``, ``chromium``, ``chromium-browser``,
``google-chrome``.  ``python tests/cdp.py PAGE.html OUT.png`` takes one screenshot.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--disable-dev-shm-usage",
    "--disable-features=Translate,MediaRouter,OptimizationHints,DialMediaRouteProvider",
    "--no-default-browser-check", "--mute-audio", "--hide-scrollbars",
    "--metrics-recording-only", "--password-store=basic", "--use-mock-keychain",
    "--host-resolver-rules=MAP * ~NOTFOUND", "--window-size=1400,900",
    "--remote-debugging-pipe",
]


def find_chromium() -> str | None:
    """The path of a Chromium (or Chrome) executable, or None."""
    env = os.environ.get("OKG_CHROMIUM")
    if env and Path(env).exists():
        return env
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        p = shutil.which(name)
        if p:
            return p
    return None


class CDPError(RuntimeError):
    pass


class Chromium:
    """One headless Chromium process driven over the DevTools pipe."""

    def __init__(self, executable: str, user_data_dir: Path) -> None:
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        # move the child's ends above 10 so that dup2 onto 3 and 4 never collides
        hi_r = fcntl.fcntl(to_child_r, fcntl.F_DUPFD_CLOEXEC, 10)
        hi_w = fcntl.fcntl(from_child_w, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(to_child_r)
        os.close(from_child_w)

        def child_fds() -> None:  # runs in the child between fork and exec
            os.dup2(hi_r, 3)
            os.dup2(hi_w, 4)

        self.stderr_path = user_data_dir / "chromium-stderr.log"
        self._stderr = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen(
            [executable, *FLAGS, f"--user-data-dir={user_data_dir}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=self._stderr, stderr=self._stderr,
            preexec_fn=child_fds, close_fds=False)
        os.close(hi_r)
        os.close(hi_w)
        self._out = os.fdopen(to_child_w, "wb", buffering=0)
        self._in = os.fdopen(from_child_r, "rb", buffering=0)
        self._lock = threading.Lock()
        self._next = 0
        self._replies: dict[int, dict[str, Any]] = {}
        self._cond = threading.Condition()
        self.events: list[dict[str, Any]] = []
        self._closed = False
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    @classmethod
    def launch(cls, tmp: Path, executable: str | None = None) -> "Chromium":
        exe = executable or find_chromium()
        if not exe:
            raise CDPError("no Chromium found")
        profile = Path(tmp) / "chromium-profile"
        profile.mkdir(parents=True, exist_ok=True)
        return cls(exe, profile)

    # -- transport ------------------------------------------------------------------
    def _read(self) -> None:
        buf = b""
        while True:
            try:
                chunk = self._in.read(65536)
            except OSError:
                chunk = b""
            if not chunk:
                with self._cond:
                    self._closed = True
                    self._cond.notify_all()
                return
            buf += chunk
            while b"\0" in buf:
                raw, buf = buf.split(b"\0", 1)
                msg = json.loads(raw)
                with self._cond:
                    if "id" in msg:
                        self._replies[msg["id"]] = msg
                    else:
                        self.events.append(msg)
                    self._cond.notify_all()

    def send(self, method: str, params: dict[str, Any] | None = None, *,
             session: str | None = None, timeout: float = 30.0) -> dict[str, Any]:
        with self._lock:
            self._next += 1
            mid = self._next
        msg: dict[str, Any] = {"id": mid, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        self._out.write(json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        with self._cond:
            while mid not in self._replies:
                left = deadline - time.monotonic()
                if left <= 0 or self._closed:
                    raise CDPError(f"no answer to {method} "
                                   f"({'browser exited' if self._closed else 'timeout'})")
                self._cond.wait(left)
            reply = self._replies.pop(mid)
        if "error" in reply:
            raise CDPError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    def wait_event(self, pred: Callable[[dict[str, Any]], bool], timeout: float = 30.0,
                   start: int = 0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for ev in self.events[start:]:
                    if pred(ev):
                        return ev
                left = deadline - time.monotonic()
                if left <= 0 or self._closed:
                    raise CDPError("timed out waiting for an event")
                self._cond.wait(left)

    # -- pages ----------------------------------------------------------------------
    def new_page(self) -> "Page":
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"]
        page = Page(self, session)
        for domain in ("Page", "Runtime", "Network", "Log"):
            page.send(f"{domain}.enable")
        return page

    def close(self) -> None:
        try:
            if not self._closed:
                self.send("Browser.close", timeout=5)
        except (CDPError, OSError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for f in (self._out, self._in, self._stderr):
            try:
                f.close()
            except OSError:
                pass

    def __enter__(self) -> "Chromium":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Page:
    """One tab, attached with a flat session."""

    def __init__(self, browser: Chromium, session: str) -> None:
        self.browser = browser
        self.session = session
        self.url = ""

    def send(self, method: str, params: dict[str, Any] | None = None, **kw: Any) -> dict[str, Any]:
        return self.browser.send(method, params, session=self.session, **kw)

    def events(self, method: str | None = None) -> list[dict[str, Any]]:
        return [e for e in list(self.browser.events) if e.get("sessionId") == self.session
                and (method is None or e.get("method") == method)]

    def goto(self, url: str, timeout: float = 30.0) -> None:
        start = len(self.browser.events)
        self.url = url
        res = self.send("Page.navigate", {"url": url})
        if res.get("errorText"):
            raise CDPError(f"navigation failed: {res['errorText']}")
        self.browser.wait_event(lambda e: e.get("sessionId") == self.session
                                and e.get("method") == "Page.loadEventFired", timeout, start)

    def eval(self, expression: str) -> Any:
        res = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                             "awaitPromise": True})
        if "exceptionDetails" in res:
            raise CDPError(f"evaluation failed: {res['exceptionDetails']}")
        return res["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 30.0) -> float:
        """Poll ``expression`` until truthy; returns the seconds waited."""
        t0 = time.monotonic()
        while True:
            if self.eval(f"!!({expression})"):
                return time.monotonic() - t0
            if time.monotonic() - t0 > timeout:
                raise CDPError(f"timed out waiting for {expression}")
            time.sleep(0.05)

    def screenshot(self, path: Path) -> Path:
        data = self.send("Page.captureScreenshot", {"format": "png"})["data"]
        Path(path).write_bytes(base64.b64decode(data))
        return Path(path)

    def mouse_move(self, x: float, y: float) -> None:
        self.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y})

    # -- what the page did ------------------------------------------------------------
    def requests(self) -> list[str]:
        """Every URL the page asked for (the page itself included)."""
        return [e["params"]["request"]["url"] for e in self.events("Network.requestWillBeSent")]

    def external_requests(self) -> list[str]:
        """Requests for anything but the page itself (data: URLs are not requests)."""
        return [u for u in self.requests() if u != self.url and not u.startswith("data:")]

    def failed_requests(self) -> list[str]:
        return [f"{e['params'].get('errorText')} ({e['params'].get('requestId')})"
                for e in self.events("Network.loadingFailed")]

    def console_errors(self) -> list[str]:
        out = []
        for e in self.events("Runtime.consoleAPICalled"):
            if e["params"].get("type") in ("error", "assert"):
                out.append(" ".join(str(a.get("value", a.get("description", "")))
                                    for a in e["params"].get("args", [])))
        for e in self.events("Runtime.exceptionThrown"):
            d = e["params"]["exceptionDetails"]
            out.append(str(d.get("exception", {}).get("description") or d.get("text")))
        for e in self.events("Log.entryAdded"):
            if e["params"]["entry"].get("level") == "error":
                out.append(str(e["params"]["entry"].get("text")))
        return out


def screenshot(page_path: Path, png: Path, *, tmp: Path | None = None,
               hover: str | None = None) -> dict[str, Any]:
    """Open ``page_path`` in headless Chromium and save a screenshot; returns page facts."""
    import tempfile

    with tempfile.TemporaryDirectory() as t:
        with Chromium.launch(Path(tmp or t)) as b:
            page = b.new_page()
            page.goto(Path(page_path).resolve().as_uri())
            waited = page.wait_for("window.okg && window.okg.stabilized", 60)
            time.sleep(0.3)
            page.screenshot(png)
            return {"waited": waited, "settleMs": page.eval("window.okg.settleMs"),
                    "requests": page.external_requests(), "errors": page.console_errors()}


if __name__ == "__main__":  # pragma: no cover
    print(screenshot(Path(sys.argv[1]), Path(sys.argv[2])))
