"""The writer lock and the read-only snapshots readers open (a mixin of :class:`.core.Store`)."""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from pathlib import Path

import pyoxigraph as ox

from ..errors import StoreError, StoreLockedError
from .names import (
    _CURRENT,
    _OPEN_TRIES,
    SNAPSHOTS,
    _lock_pid,
    latest_snapshot,
)


class _Snapshots:
    """Locking and snapshots of a :class:`~.core.Store`."""

    # -- locking ----------------------------------------------------------------------
    def _acquire_lock(self, wait: bool) -> None:
        assert self.path is not None
        lock_path = self.path / "writer.lock"
        try:
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StoreError(f"cannot lock store {self.path}: {exc.strerror or exc}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            os.close(fd)
            raise StoreLockedError(str(self.path), _lock_pid(lock_path)) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        os.fsync(fd)
        self._lock_fd = fd

    def _release_lock(self) -> None:
        if self._lock_fd is not None:
            try:
                os.ftruncate(self._lock_fd, 0)
                fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            finally:
                os.close(self._lock_fd)
                self._lock_fd = None

    # -- snapshots --------------------------------------------------------------------
    def _open_snapshot(self, wait: bool) -> None:
        """Open the latest snapshot read-only, holding a shared lock on it."""
        assert self.path is not None
        if latest_snapshot(self.path) is None:
            self._first_snapshot(wait)
        last: str = ""
        for attempt in range(_OPEN_TRIES):
            snap = latest_snapshot(self.path)
            if snap is None:
                last = "no published snapshot"
            else:
                try:
                    fd = os.open(snap.with_suffix(".lock"), os.O_RDONLY)
                except FileNotFoundError:  # deleted (superseded) in between: try again
                    last = "snapshot superseded while opening"
                    time.sleep(0.01 * (attempt + 1))
                    continue
                except OSError as exc:
                    raise StoreError(f"cannot open store {self.path}: {exc.strerror or exc}"
                                     ) from None
                fcntl.flock(fd, fcntl.LOCK_SH)
                if snap.is_dir():
                    try:
                        self._ox = ox.Store.read_only(str(snap))
                    except OSError as exc:
                        os.close(fd)
                        raise StoreError(f"cannot open store {self.path}: {exc}") from None
                    self._snap_fd = fd
                    self.snapshot = snap
                    return
                os.close(fd)
                last = "snapshot superseded while opening"
            time.sleep(0.01 * (attempt + 1))
        raise StoreError(f"cannot open store {self.path}: {last}")

    def _first_snapshot(self, wait: bool) -> None:
        """A store without a snapshot (older version, or a first build just starting)."""
        assert self.path is not None
        deadline = time.monotonic() + 30.0
        while True:
            try:
                with type(self)(self.path, wait=False):  # the Store
                    return  # closing a writer publishes a snapshot
            except StoreLockedError as exc:
                # the writer publishes its first snapshot right after opening
                if latest_snapshot(self.path) is not None:
                    return
                if not wait and time.monotonic() > deadline:
                    raise StoreError(f"store {self.path} is being built by "
                                     f"{'process ' + str(exc.pid) if exc.pid else 'another process'}"
                                     " and has nothing published yet; try again shortly") from None
                time.sleep(0.1)
            except StoreError:
                if os.access(self.path, os.W_OK):
                    raise
                # a store we may not write: read the database itself (no writer can run)
                try:
                    self._ox = ox.Store.read_only(str(self.path / "oxigraph"))
                except OSError as exc2:
                    raise StoreError(f"cannot open store {self.path}: {exc2}") from None
                return

    def publish(self, *, held_back: bool = True) -> Path | None:
        """Publish a read-only snapshot of the store for readers (writer only).

        A RocksDB checkpoint (hard links, tens of milliseconds) is written beside the
        database, then made current by an atomic rename; superseded snapshots no reader
        holds are deleted.  Returns the snapshot directory (``None`` in memory).
        Graphs held back for a batched write are written first, unless ``held_back`` is
        false (then the snapshot shows what is written; a background write in flight is
        waited for in either case).

        Raises:
            StoreError: the checkpoint could not be written (the previous one stays).
        """
        self._check_writable()
        if held_back:
            self._write_pending()
        else:
            self._join_writer()
        self._join_compactor()  # readers get the compacted database
        if self.path is None:
            return None
        raw = self._raw()
        snaps = self.path / SNAPSHOTS
        snaps.mkdir(exist_ok=True)
        name = f"{time.time_ns():020d}-{os.getpid()}"
        target = snaps / name
        lock = target.with_suffix(".lock")
        try:
            lock.touch()
            raw.flush()
            raw.backup(str(target))
            tmp = snaps / f".{_CURRENT}.{os.getpid()}"
            with open(tmp, "w", encoding="ascii") as fh:
                fh.write(name + "\n")
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, snaps / _CURRENT)
        except OSError as exc:
            shutil.rmtree(target, ignore_errors=True)
            raise StoreError(f"publishing a snapshot of {self.path} failed: {exc}") from None
        self._dirty = bool(self._pending)
        self._collect_snapshots(keep=name)
        return target

    def _collect_snapshots(self, *, keep: str) -> None:
        """Delete superseded snapshots (and leftovers of interrupted ones) no reader holds."""
        assert self.path is not None
        snaps = self.path / SNAPSHOTS
        names = {p.name.removesuffix(".lock") for p in snaps.iterdir()
                 if not p.name.startswith(".") and p.name != _CURRENT}
        for n in names - {keep}:
            lock = snaps / f"{n}.lock"
            try:
                fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError:
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue  # a reader still has it open
            try:
                shutil.rmtree(snaps / n, ignore_errors=True)
                lock.unlink(missing_ok=True)
            finally:
                os.close(fd)
