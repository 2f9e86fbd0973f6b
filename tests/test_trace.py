"""trace(): the chain in date order and the verdict, on the fixture graph; the CLI's formats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from fixturegraph import fixture_store
from ofsted_kg.cli import main
from ofsted_kg.errors import QueryError
from ofsted_kg.queries.trace import trace, verdict
from ofsted_kg.store import Store


@pytest.fixture(scope="module")
def store() -> Store:
    return fixture_store()


def test_chain_in_date_order_with_statuses_quotes_pages(store: Store) -> None:
    res = trace(store, "mental health", authority="Sefton")
    assert res.verdict == "raised 2016; still reported 2024; 2 documents"
    assert [r["date"] for r in res.rows] == sorted(r["date"] for r in res.rows)
    first = res.rows[0]
    assert first["kindLabel"] == "recommendation" and first["status"] == "raised"
    assert first["quote"].startswith("Ensure that care leavers get timely support")
    assert first["page"] == 9 and first["document"] == "full inspection (sefton-2016.pdf)"
    last = {r["kindLabel"]: r for r in res.rows if r["date"].startswith("2024")}
    assert last["area of concern"]["status"] == "persisting"
    assert last["finding"]["status"] == "persisting" and "still delays" in last["finding"]["quote"]


def test_since_and_theme(store: Store) -> None:
    res = trace(store, "mental health", authority="Sefton", since=2020)
    assert res.rows and all(r["date"] >= "2020" for r in res.rows)
    assert res.verdict == "raised 2024; 1 document"
    th = trace(store, theme="mental-health")
    assert {r["authorityName"] for r in th.rows} == {"Sefton"}
    assert th.verdict.startswith("raised 2016; still reported 2024")


def test_no_mention_and_bad_input(store: Store) -> None:
    assert trace(store, "no such words anywhere", authority="Sefton").verdict == "no mention found"
    with pytest.raises(QueryError):
        trace(store)
    with pytest.raises(QueryError):
        trace(store, "x", authority="Nowhere-on-Sea")


def test_verdict_wording() -> None:
    rows = [{"date": "2016-04-11", "report": "a", "status": "raised"},
            {"date": "2019-01-01", "report": "b", "status": "improving"}]
    assert verdict(rows) == "raised 2016; improving by 2019; 2 documents"
    rows[1]["status"] = "resolved"
    assert verdict(rows) == "raised 2016; reported resolved 2019; 2 documents"
    rows[1]["status"] = "persisting"
    assert verdict(rows) == "raised 2016; still reported 2019; 2 documents"


@pytest.mark.parametrize("fmt", ["table", "json", "text"])
def test_cli_trace_formats(disk_store: Path, fmt: str) -> None:
    res = CliRunner().invoke(main, ["trace", "mental health", "--authority", "Sefton",
                                    "--store", str(disk_store), "--format", fmt])
    assert res.exit_code == 0, res.output
    assert "raised 2016; still reported 2024; 2 documents" in res.output
    if fmt == "json":
        data = json.loads(res.output)
        assert [r["status"] for r in data["rows"]][-2:] == ["persisting", "persisting"]


def test_cli_trace_html_needs_theme_or_authority(disk_store: Path, tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["trace", "mental health", "--store", str(disk_store),
                                    "--format", "html"])
    assert res.exit_code == 2
    out = tmp_path / "t.html"
    res = CliRunner().invoke(main, ["trace", "--theme", "mental-health", "--store",
                                    str(disk_store), "--format", "html", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert out.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
