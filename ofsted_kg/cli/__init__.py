"""The ``ofsted-kg`` command line: thin commands over the library.

Each command parses its options, calls one public function, formats the result and maps
ofsted-kg's exceptions to :class:`click.ClickException`.  Exit status: 0 ok, 1 error (or
SHACL non-conformance, or a build with failures), 2 usage.

The commands live in modules by what they do -- :mod:`.building` (build, extract,
remove, validate), :mod:`.querying` (query, queries, trace, themes), :mod:`.sharing`
(export, serve, push), :mod:`.analysing` (analyse) -- over the shared options and the
group in :mod:`.options`.  This package is the only part of ofsted-kg that imports click.
"""

from __future__ import annotations

from . import analysing, building, querying, sharing  # noqa: F401 -- registers the commands
from .options import main

__all__ = ["main"]
