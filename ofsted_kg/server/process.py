"""Run Oxigraph's own read-only SPARQL server over a store directory.

:func:`start_server` starts ``oxigraph serve-read-only`` on a private loopback port behind
the guard of :mod:`.guard`, which listens on the address asked for; :func:`serve` runs it
until a signal stops it.  While serving, a shared lock on the store's ``writer.lock`` keeps
builds out (Oxigraph's read-only mode must not see a concurrent writer).
"""

from __future__ import annotations

import fcntl
import ipaddress
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import StoreError, StoreLockedError
from .errors import NotLoopbackError, ServerError
from .guard import _Guard

__all__ = ["DEFAULT_PORT", "ServerProcess", "find_oxigraph", "is_loopback", "serve",
           "start_server"]

DEFAULT_PORT = 7878


def find_oxigraph() -> str:
    """Path of the ``oxigraph`` server binary: next to the running Python, else on PATH.

    Raises:
        ServerError: the binary is not installed.
    """
    here = Path(sys.executable).parent / "oxigraph"
    if here.is_file() and os.access(here, os.X_OK):
        return str(here)
    found = shutil.which("oxigraph")
    if found:
        return found
    raise ServerError("the Oxigraph server is not installed: pip install 'ofsted-kg[server]' "
                      "(it provides the 'oxigraph' command)")


def is_loopback(host: str) -> bool:
    """Whether ``host`` (an address or a name) only ever means this machine."""
    h = host.strip().strip("[]")
    try:
        return ipaddress.ip_address(h).is_loopback
    except ValueError:
        pass
    if not h:
        return False
    try:
        infos = socket.getaddrinfo(h, None)
    except OSError:
        return False
    addrs = {i[4][0] for i in infos}
    return bool(addrs) and all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addrs)


def _bind_address(host: str, port: int) -> str:
    h = host.strip().strip("[]")
    return f"[{h}]:{port}" if ":" in h else f"{h}:{port}"


def _url_host(host: str) -> str:
    h = host.strip().strip("[]")
    return f"[{h}]" if ":" in h else h


def _reader_lock(store_path: Path) -> int:
    """Hold a shared lock on ``writer.lock`` while serving: a build cannot start meanwhile
    (Oxigraph's read-only mode must not see a concurrent writer), and a running build makes
    this fail with the builder's PID."""
    lock_path = store_path / "writer.lock"
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise StoreError(f"cannot open {lock_path}: {exc.strerror or exc}") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        try:
            pid = int(os.read(fd, 32).decode().strip() or 0) or None
        except ValueError:
            pid = None
        os.close(fd)
        raise StoreLockedError(str(store_path), pid) from None
    # name this process as the one in the way of a writer
    os.ftruncate(fd, 0)
    os.pwrite(fd, str(os.getpid()).encode(), 0)
    return fd


def _release_reader_lock(fd: int) -> None:
    try:
        try:  # the last reader clears its PID
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            os.ftruncate(fd, 0)
        except BlockingIOError:
            pass
        fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _die_with_parent() -> None:  # pragma: no cover (runs in the child)
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass


def _wait_listening(host: str, port: int, proc: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    h = host.strip().strip("[]")
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ServerError(f"the Oxigraph server exited at start (status {proc.returncode})")
        try:
            with socket.create_connection((h, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise ServerError(f"the Oxigraph server did not start listening on {host}:{port} "
                      f"within {timeout:.0f} s")


def _free_loopback_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class ServerProcess:
    """A running Oxigraph server started by :func:`start_server`."""

    process: subprocess.Popen[bytes]
    host: str
    port: int
    store_path: Path
    _lock_fd: int | None = field(default=None, repr=False)
    guard: "_Guard | None" = field(default=None, repr=False)

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def url(self) -> str:
        """Base URL of the server."""
        return f"http://{_url_host(self.host)}:{self.port}"

    @property
    def query_url(self) -> str:
        """The SPARQL 1.1 Protocol query endpoint."""
        return self.url + "/query"

    def wait(self, timeout: float | None = None) -> int:
        return self.process.wait(timeout)

    def stop(self, sig: int = signal.SIGTERM, *, timeout: float = 10.0) -> int:
        """Send ``sig`` to the server, wait for it (killing it after ``timeout`` seconds),
        release the store and return the exit status."""
        try:
            if self.process.poll() is None:
                try:
                    self.process.send_signal(sig)
                except ProcessLookupError:
                    pass
                try:
                    self.process.wait(timeout)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(5)
            return self.process.returncode
        finally:
            self.release()

    def release(self) -> None:
        """Stop the guard and release the store's reader lock (after the server exited)."""
        if self.guard is not None:
            if self.guard.started:
                self.guard.shutdown()
            self.guard.server_close()
            self.guard = None
        if self._lock_fd is not None:
            _release_reader_lock(self._lock_fd)
            self._lock_fd = None

    def __enter__(self) -> "ServerProcess":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_server(store_path: str | Path, *, host: str = "127.0.0.1", port: int = DEFAULT_PORT,
                 allow_remote: bool = False, timeout_s: int | None = None,
                 startup_timeout: float = 30.0) -> ServerProcess:
    """Start Oxigraph's read-only SPARQL server over the store and return once it listens.

    Oxigraph listens on a private loopback port; a small guard in this process listens on
    ``host:port`` and passes on only queries (refusing UPDATE and SERVICE) and graph reads.

    The default graph is the union of the named graphs (as in the embedded store).  Stop it
    with :meth:`ServerProcess.stop`.  ``timeout_s`` limits each query's time.

    Raises:
        NotLoopbackError: ``host`` is not a loopback address and ``allow_remote`` is false.
        PortInUseError: the port is taken.
        StoreLockedError: a build is writing to the store ("store is in use by process N").
        StoreError: there is no store at ``store_path``.
        ServerError: the Oxigraph binary is missing or the server failed to start.
    """
    path = Path(store_path)
    if not allow_remote and not is_loopback(host):
        raise NotLoopbackError(
            f"{host} is not a loopback address: anyone who can reach it could read the graph; "
            "pass --allow-remote to bind it anyway")
    if not 0 < port < 65536:
        raise ServerError(f"port {port} is not a valid port number")
    db = path / "oxigraph"
    if not db.is_dir():
        raise StoreError(f"no store at {path} (run 'ofsted-kg build' first)")
    binary = find_oxigraph()
    lock_fd = _reader_lock(path)
    guard: _Guard | None = None
    try:
        guard = _Guard.bind(host, port)  # PortInUseError before anything starts
        backend = _free_loopback_port()
        cmd = [binary, "serve-read-only", "--location", str(db),
               "--bind", f"127.0.0.1:{backend}", "--union-default-graph"]
        if timeout_s:
            cmd += ["--timeout-s", str(int(timeout_s))]
        # own session: a Ctrl-C reaches us, and we forward it exactly once; and the server
        # dies with us even if we are killed (Linux)
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, start_new_session=True,
                                preexec_fn=_die_with_parent)
    except BaseException:
        if guard is not None:
            guard.server_close()
        _release_reader_lock(lock_fd)
        raise
    server = ServerProcess(proc, host, port, path, lock_fd, guard)
    try:
        _wait_listening("127.0.0.1", backend, proc, startup_timeout)
    except BaseException:
        server.stop(signal.SIGKILL, timeout=5)
        raise
    guard.start(backend, timeout=float(timeout_s or 600) + 30.0)
    return server


def serve(store_path: str | Path, *, host: str = "127.0.0.1", port: int = DEFAULT_PORT,
          allow_remote: bool = False, timeout_s: int | None = None,
          on_ready: Callable[[ServerProcess], None] | None = None) -> int:
    """Serve the store read-only over the SPARQL 1.1 Protocol until stopped.

    Blocks until the server exits.  SIGINT (Ctrl-C), SIGTERM and SIGHUP are forwarded to the
    server, which is then waited for; the return value is 0 after such a stop, else the
    server's exit status.  ``on_ready`` is called once the server listens.

    Raises:
        NotLoopbackError, PortInUseError, StoreLockedError, StoreError, ServerError: see
        :func:`start_server`.
    """
    stopped: list[int] = []
    running: list[ServerProcess] = []

    def forward(signum: int, _frame: Any) -> None:
        stopped.append(signum)
        for srv in running:
            if srv.process.poll() is None:
                try:
                    srv.process.send_signal(signum)
                except ProcessLookupError:
                    pass

    # handlers first: a signal during start-up must not orphan the server
    handled = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    previous = {s: signal.signal(s, forward) for s in handled}
    try:
        server = start_server(store_path, host=host, port=port, allow_remote=allow_remote,
                              timeout_s=timeout_s)
    except BaseException:
        for s, h in previous.items():
            signal.signal(s, h)
        raise
    running.append(server)
    try:
        if stopped:  # a signal arrived while starting
            server.process.send_signal(stopped[0])
        elif on_ready is not None:
            on_ready(server)
        while True:
            try:
                server.process.wait(0.5 if not stopped else 10.0)
                break
            except subprocess.TimeoutExpired:
                if stopped:  # did not stop within 10 s of the signal
                    server.process.kill()
                    server.process.wait(5)
                    break
    finally:
        for s, h in previous.items():
            signal.signal(s, h)
        if server.process.poll() is None:
            server.stop()
        server.release()
    code = server.process.returncode
    if stopped:
        return 0
    return code if code >= 0 else 128 - code
