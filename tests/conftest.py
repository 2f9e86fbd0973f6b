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


def fixture_path(name: str) -> Path:
    """A hand-checked file's ``file``: a path in the checkout, or ``corpus:<path>`` in the
    shared corpus (the test is skipped when the corpus is absent)."""
    if name.startswith("corpus:"):
        found = _find_corpus()
        if found is None:
            pytest.skip("shared corpus not found (../shared/corpus or $OFSTED_KG_CORPUS)")
        return found / name[len("corpus:"):]
    return REPO_ROOT / name


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


@pytest.fixture(scope="session")
def corpus_store(corpus_dir: Path, samples_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    """A store built once per session from the samples plus every PDF of the corpus
    (links computed), opened read-only for the tests; skipped without the corpus."""
    from ofsted_kg.graph_builder.pipeline import build
    from ofsted_kg.store import open_store

    path = tmp_path_factory.mktemp("corpus-store") / "store"
    summary = build([samples_dir, corpus_dir / "ofsted-ilacs" / "reports"], store=path, jobs=2)
    assert summary.built > 90, summary.to_dict()
    st = open_store(path, read_only=True)
    yield st
    st.close()


@pytest.fixture(scope="module")
def disk_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An on-disk store holding the fixture graph (tests/fixturegraph.py), closed: for
    CLI tests that open it by path."""
    from fixturegraph import write_fixture
    from ofsted_kg.store import open_store

    path = tmp_path_factory.mktemp("fixture-store") / "store"
    st = open_store(path)
    write_fixture(st)
    st.close()
    return path
