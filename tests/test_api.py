"""The Python API a notebook user calls (what the CLI wraps)."""

from __future__ import annotations

from pathlib import Path

import ofsted_kg
import ofsted_kg.validate  # noqa: F401 -- importing the submodule must not shadow the API

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def test_api_round_trip(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    summary = ofsted_kg.build([SAMPLES / "sefton-2024-monitoring-visit.txt",
                               SAMPLES / "sefton-2016-inspection.txt"], store=store_dir, jobs=1)
    assert summary.built == 2 and summary.ok
    with ofsted_kg.open_store(store_dir, read_only=True) as st:
        chain = ofsted_kg.trace(st, "mental health", authority="Sefton")
        assert chain.verdict == "raised 2016; repeated 2024"
        res = ofsted_kg.query(st, "grade-trajectory", authority="E08000014")
        assert {r["area"] for r in res.rows} >= {"overall_effectiveness", "lscb"}
        report = ofsted_kg.validate_store(st)
        assert report.conforms
        out = ofsted_kg.export(st, "ttl", tmp_path / "g.ttl", authority="Sefton")
        assert (tmp_path / "g.ttl").stat().st_size > 1000 and out is not None
    removed = ofsted_kg.remove([SAMPLES / "sefton-2016-inspection.txt"], store=store_dir)
    assert removed is not None
    with ofsted_kg.open_store(store_dir, read_only=True) as st:
        assert len(st.documents()) == 1
    [rec] = ofsted_kg.extract([SAMPLES / "knowsley-2024-focused-visit.txt"])
    assert rec.document_type == "focused_visit" and rec.authority.name == "Knowsley"
