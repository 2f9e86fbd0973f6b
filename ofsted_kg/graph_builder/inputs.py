"""The files a build reads: files and folders expanded into the readable files, each
hashed (a document is known by the SHA-256 of its bytes)."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .read import READABLE_SUFFIXES

__all__ = ["Failure", "collect_files"]


@dataclass(slots=True)
class Failure:
    """A file that could not be built, with the one-line reason."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def collect_files(paths: Iterable[str | Path]) -> tuple[list[str], list[Failure]]:
    """Expand files and folders (recursively) into ``.pdf``/``.txt`` files, sorted.

    In a folder, every entry named ``*.pdf``/``*.txt`` that is not a folder is taken
    (FIFOs, broken links and unreadable files too, so that they are reported, not
    silently skipped); hidden files are ignored.  A path that does not exist is a
    failure, not an exception.
    """
    files: list[str] = []
    failures: list[Failure] = []
    seen: set[str] = set()
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            try:
                found = sorted(
                    str(f) for f in p.rglob("*")
                    if f.suffix.lower() in READABLE_SUFFIXES and not f.name.startswith(".")
                    and not f.is_dir()
                )
            except OSError as exc:
                failures.append(Failure(str(raw), f"cannot list folder ({exc.strerror or exc})"))
                continue
            if not found:
                failures.append(Failure(str(raw), "folder holds no .pdf or .txt files"))
            cand = found
        elif p.is_symlink() and not p.exists():
            cand = [str(raw)]  # the reader names it a broken link
        elif p.exists():
            cand = [str(raw)]
        else:
            failures.append(Failure(str(raw), "no such file or folder"))
            continue
        for f in cand:
            key = os.path.abspath(f)
            if key not in seen:
                seen.add(key)
                files.append(f)
    return files, failures


def _sha256(path: str) -> str | None:
    import stat as _stat

    try:
        if not _stat.S_ISREG(os.stat(path).st_mode):
            return None  # the worker reports the reason (never open a FIFO here)
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return None  # the worker reports the reason
    return h.hexdigest()
