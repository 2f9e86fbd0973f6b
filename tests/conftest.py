"""Shared pytest fixtures.

* ``corpus_dir``: the shared report archive (``../shared/corpus`` beside the checkout, or
  ``$OFSTED_KG_CORPUS``); tests using it carry the ``corpus`` marker and are skipped
  when the archive is absent.
* ``samples_dir``: the five seed texts bundled in ``samples/``.
* ``data_dir``: ``tests/data`` (small real fixtures, see tests/data/LICENCE.md).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


def _find_corpus() -> Path | None:
    env = os.environ.get("OFSTED_KG_CORPUS")
    for cand in (env, REPO_ROOT.parent / "shared" / "corpus"):
        if cand and (Path(cand) / "ofsted-ilacs").is_dir():
            return Path(cand)
    return None


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The shared corpus directory (skips the test when it is not beside the checkout)."""
    found = _find_corpus()
    if found is None:
        pytest.skip("shared corpus not found (../shared/corpus or $OFSTED_KG_CORPUS)")
    return found


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    """The bundled seed texts."""
    return REPO_ROOT / "samples"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """tests/data: small real fixtures and hand-checked expected records."""
    return REPO_ROOT / "tests" / "data"
