"""Property-based and fuzz tests: arbitrary text never makes normalisation or extraction
raise anything but DocumentError; mutated real PDFs never take the process down.

Bounded: a few hundred hypothesis examples, two dozen mutated PDFs (seconds).
"""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
import textwrap
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ofsted_kg.errors import DocumentError
from ofsted_kg.graph_builder.extract import extract
from ofsted_kg.graph_builder.normalise import BULLET_CHARS, fold, prepare
from ofsted_kg.graph_builder.read import RawDocument, infer_text_pages

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
PDF = ROOT / "tests" / "data" / "reports" / "southwark-2022-ilacs-short.pdf"
CLI = [sys.executable, "-c", "from ofsted_kg.cli import main; main()"]

# Lines of real reports, so that generated text reaches the deeper extraction rules
REAL_LINES = [ln for f in sorted(SAMPLES.glob("*.txt"))
              for ln in f.read_text("utf-8").splitlines() if ln.strip()][::7]

chars = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)),
                max_size=300)
special = st.sampled_from(["\f", "\n", "\n\n\n\n", "\x02", "\ufffe", "\r\n", "\t", " ",
                           *BULLET_CHARS, "Inspection of ", "Ofsted", "Judgement", "Grade",
                           "What needs to improve", "Recommendations", "1 to 5 May 2016",
                           "Requires improvement to be good", "Inadequate", "(", ")", "•"])
lines = st.one_of(st.sampled_from(REAL_LINES), chars, special)
texts = st.lists(lines, max_size=60).map("\n".join)
pages = st.lists(texts, min_size=1, max_size=5)

FAST = settings(max_examples=150, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(chars)
def test_fold_never_raises_and_is_idempotent(text: str) -> None:
    once = fold(text)
    assert isinstance(once, str)
    assert fold(once) == once


@FAST
@given(pages)
def test_prepare_never_raises(ps: list[str]) -> None:
    doc = prepare(RawDocument("fuzz.txt", "0" * 64, ps, "text"))
    assert len(doc.pages) == len(ps)
    for off in (0, len(doc.text) // 2, len(doc.text)):
        assert 1 <= doc.page_of(off) <= len(ps)


@FAST
@given(texts)
def test_text_page_inference_keeps_every_character(text: str) -> None:
    out = infer_text_pages(text)
    assert out and re.sub(r"\s", "", "".join(out)) == re.sub(r"\s", "", text)


@settings(max_examples=200, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(pages)
def test_extract_raises_only_document_error(ps: list[str]) -> None:
    raw = RawDocument("fuzz.txt", "0" * 64, ps, "text")
    try:
        rec = extract(raw)
    except DocumentError as exc:
        assert exc.path == "fuzz.txt" and exc.reason and "\n" not in exc.reason
        return
    rec.to_dict()  # and the record serialises
    from ofsted_kg.graph_builder.rdf import record_ntriples

    record_ntriples(rec)


def mutate(data: bytes, rnd: random.Random) -> bytes:
    b = bytearray(data)
    kind = rnd.choice(["flip", "truncate", "zero", "duplicate", "splice"])
    if kind == "flip":
        for _ in range(rnd.randint(1, 40)):
            b[rnd.randrange(len(b))] = rnd.randrange(256)
    elif kind == "truncate":
        b = b[: rnd.randrange(8, len(b))]
    elif kind == "zero":
        i = rnd.randrange(len(b))
        b[i:i + rnd.randint(1, 4096)] = bytes(min(4096, len(b) - i))
    elif kind == "duplicate":
        i = rnd.randrange(len(b))
        b[i:i] = b[i:i + rnd.randint(1, 8192)]
    else:  # splice the xref/trailer area with noise
        i = max(0, len(b) - rnd.randint(1, 2048))
        b[i:] = rnd.randbytes(len(b) - i)
    return bytes(b)


READ_ALL = textwrap.dedent("""
    import json, sys
    from ofsted_kg.errors import DocumentError
    from ofsted_kg.graph_builder.extract import extract_path
    for path in sys.argv[1:]:
        try:
            extract_path(path)
            print(json.dumps({"path": path, "ok": True}), flush=True)
        except DocumentError as exc:
            print(json.dumps({"path": path, "error": exc.reason}), flush=True)
""")


def test_mutated_pdfs_give_clear_lines_never_a_crash(tmp_path: Path) -> None:
    rnd = random.Random(20261124)
    data = PDF.read_bytes()
    files = []
    for i in range(16):
        f = tmp_path / "in" / f"mutant-{i:02d}.pdf"
        f.parent.mkdir(exist_ok=True)
        f.write_bytes(mutate(data, rnd))
        files.append(str(f))
    # the reader, in a subprocess so that a PDFium crash cannot take pytest down
    res = subprocess.run([sys.executable, "-c", READ_ALL, *files], capture_output=True,
                         text=True, timeout=180, cwd=ROOT)
    done = [json.loads(ln) for ln in res.stdout.splitlines()]
    crashed = files[len(done)] if res.returncode != 0 and len(done) < len(files) else None
    assert res.returncode == 0, f"reader crashed on {crashed}: {res.stderr[-2000:]}"
    assert [d["path"] for d in done] == files
    for d in done:
        if "error" in d:
            assert d["error"] and "\n" not in d["error"]
            assert not d["error"].startswith("internal error"), d
    # and the build: every mutant is built or has exactly one error line; exit 0 or 1
    res = subprocess.run([*CLI, "build", str(tmp_path / "in"), "--store", str(tmp_path / "s"),
                          "-j", "2", "--format", "json"], capture_output=True, text=True,
                         timeout=180, cwd=ROOT)
    assert res.returncode in (0, 1), res.stderr
    summary = json.loads(res.stdout)
    errors = [ln for ln in res.stderr.splitlines() if ln.startswith("error: ")]
    assert summary["built"] + summary["skipped"] + len(errors) == len(files)
    assert len(errors) == len([d for d in done if "error" in d])
