"""The command line, end to end on the bundled sample reports (click's CliRunner)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from ofsted_kg.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    out = []
    for name, cmd in sorted(group.commands.items()):
        full = f"{prefix}{name}"
        out.append((full, cmd))
        if isinstance(cmd, click.Group):
            out.extend(_commands(cmd, full + " "))
    return out


@pytest.fixture(scope="module")
def built_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("cli") / "store"
    res = CliRunner().invoke(main, ["build", str(SAMPLES), "--store", str(store), "-j", "1",
                                    "--format", "json"])
    assert res.exit_code == 0, res.output
    return store


def test_build_summary_counts_seed_documents(built_store: Path) -> None:
    res = CliRunner().invoke(main, ["build", str(SAMPLES), "--store", str(built_store),
                                    "--format", "json"])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.output)
    assert summary["skipped"] == 5 and summary["built"] == 0  # unchanged: incremental


def test_build_reports_types_authorities_and_concerns(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["build", str(SAMPLES), "--store", str(tmp_path / "s"),
                                    "-j", "1", "--format", "json"])
    assert res.exit_code == 0, res.output
    s = json.loads(res.output)
    assert s["built"] == 5
    assert s["by_type"] == {"full_inspection": 1, "commissioner_report": 1,
                            "monitoring_visit": 1, "focused_visit": 2}
    assert s["authorities"] == ["Knowsley", "Sefton", "Wirral"]
    assert s["concerns"] >= 11 + 21 + 5 + 2 + 2
    assert s["triples"] > 1000 and not s["failures"]


def test_build_table_output_and_missing_path_exit_1(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["build", str(SAMPLES / "sefton-2024-monitoring-visit.txt"),
                                    str(tmp_path / "nope.pdf"), "--store", str(tmp_path / "s")])
    assert res.exit_code == 1
    assert "monitoring_visit" in res.output and "1 built" in res.output
    assert f"error: {tmp_path / 'nope.pdf'}: no such file or folder" in res.output


def test_trace_shows_2016_and_2024_mentions(built_store: Path) -> None:
    res = CliRunner().invoke(main, ["trace", "mental health", "--authority", "Sefton",
                                    "--store", str(built_store), "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    rows = data["rows"]
    years = [r["date"][:4] for r in rows]
    assert years == sorted(years)
    texts_2016 = [r["text"] for r in rows if r["date"].startswith("2016")]
    texts_2024 = [r["text"] for r in rows if r["date"].startswith("2024")]
    assert any("care leavers get timely support for their mental health and accommodation needs"
               in t for t in texts_2016)
    assert any("timeliness in accessing services to help their mental health" in t
               for t in texts_2024)
    assert any("still delays in young people accessing timely, lower-level emotional and "
               "mental health support" in t for t in texts_2024)
    assert data["verdict"].startswith("raised 2016")
    assert "2024" in data["verdict"]


def test_trace_table(built_store: Path) -> None:
    res = CliRunner().invoke(main, ["trace", "mental health", "--authority", "Sefton",
                                    "--store", str(built_store)])
    assert res.exit_code == 0, res.output
    assert "raised 2016" in res.output and "2024-02-13" in res.output


def test_concern_persistence_query(built_store: Path) -> None:
    res = CliRunner().invoke(main, ["query", "concern-persistence", "--store", str(built_store),
                                    "-p", "authority=Sefton", "-p", "words=mental health",
                                    "--format", "json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.output)
    rec = [r for r in rows if r["kind"] == "Recommendation" and r["date"].startswith("2016")
           and "timely support for their mental health" in r["text"]]
    aoc = [r for r in rows if r["kind"] == "AreaOfConcern" and r["date"].startswith("2024")]
    fnd = [r for r in rows if r["kind"] == "Finding" and r["date"].startswith("2024")
           and "still delays" in r["text"]]
    assert rec and aoc and fnd
    assert rows.index(rec[0]) < rows.index(aoc[0])
    assert all(r["file"] and r["page"] >= 1 for r in rec + aoc + fnd)


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "table"])
def test_query_formats(built_store: Path, fmt: str) -> None:
    res = CliRunner().invoke(main, ["query", "concern-persistence", "--store", str(built_store),
                                    "-p", "authority=E08000014", "-p", "words=accommodation",
                                    "--format", fmt])
    assert res.exit_code == 0, res.output
    assert "accommodation" in res.output


def test_query_missing_parameter_and_unknown_query(built_store: Path) -> None:
    r1 = CliRunner().invoke(main, ["query", "concern-persistence", "--store", str(built_store)])
    assert r1.exit_code == 1 and "needs --param authority" in r1.output
    r2 = CliRunner().invoke(main, ["query", "no-such-query", "--store", str(built_store)])
    assert r2.exit_code == 1 and "no named query 'no-such-query'" in r2.output
    r3 = CliRunner().invoke(main, ["query", "concern-persistence", "-p", "oops",
                                   "--store", str(built_store)])
    assert r3.exit_code == 2


def test_user_query_file(built_store: Path, tmp_path: Path) -> None:
    q = tmp_path / "mine.rq"
    q.write_text("SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r a okg:Report }\n")
    res = CliRunner().invoke(main, ["query", str(q), "--store", str(built_store), "--format", "csv"])
    assert res.exit_code == 0, res.output
    assert res.output.splitlines() == ["n", "5"]


def test_queries_lists_named_queries() -> None:
    res = CliRunner().invoke(main, ["queries", "--format", "json"])
    assert res.exit_code == 0
    names = {q["name"]: q for q in json.loads(res.output)}
    assert "concern-persistence" in names
    assert {p["name"] for p in names["concern-persistence"]["parameters"]} >= {"authority", "words"}


def test_extract_prints_the_record_contract() -> None:
    res = CliRunner().invoke(main, ["extract", str(SAMPLES / "sefton-2024-monitoring-visit.txt")])
    assert res.exit_code == 0, res.output
    rec = json.loads(res.output)
    assert set(rec) >= {"source", "authority", "document_type", "framework", "inspection_type",
                        "visit_start", "visit_end", "published", "published_source",
                        "inspectors", "judgements", "concerns", "findings"}
    assert rec["authority"]["gss_code"] == "E08000014"
    assert rec["document_type"] == "monitoring_visit"
    assert (rec["visit_start"], rec["visit_end"], rec["published"]) == (
        "2024-02-13", "2024-02-14", "2024-03-19")
    assert len([c for c in rec["concerns"] if c["kind"] == "area_of_concern"]) == 5


def test_extract_jsonl_many(tmp_path: Path) -> None:
    out = tmp_path / "x.jsonl"
    res = CliRunner().invoke(main, ["extract", str(SAMPLES), "--format", "jsonl", "-o", str(out)])
    assert res.exit_code == 0, res.output
    lines = out.read_text().splitlines()
    assert len(lines) == 5
    assert {json.loads(x)["document_type"] for x in lines} == {
        "full_inspection", "commissioner_report", "monitoring_visit", "focused_visit"}


def test_every_command_has_help_with_an_example_and_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    for name, cmd in _commands(main):
        res = CliRunner().invoke(main, [*name.split(), "-h"])
        assert res.exit_code == 0, name
        assert "Usage:" in res.output
        if not isinstance(cmd, click.Group) or not cmd.commands:
            assert re.search(r"Example:\s*\n\s+ofsted-kg ", res.output), f"{name}: no example"
        assert f"ofsted-kg {name}" in readme, f"'ofsted-kg {name}' is not documented in README"
