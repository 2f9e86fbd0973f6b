"""Normalisation: extractor artefacts mended, running lines removed, bullets recognisable."""

from __future__ import annotations

from pathlib import Path

import pytest

from ofsted_kg.graph_builder.normalise import fold, is_bullet_line, prepare
from ofsted_kg.graph_builder.read import RawDocument, read_document


def _raw(pages: list[str]) -> RawDocument:
    return RawDocument(path="x.pdf", sha256="0" * 64, pages=pages, kind="pdf")


def test_line_end_hyphens_crlf_and_trailing_spaces() -> None:
    doc = prepare(_raw(["a multi\x02\r\ndisciplinary team   \r\nHigh\ufffequality work  "]))
    assert doc.pages[0] == "a multi-disciplinary team\nHigh-quality work"


def test_footnote_markers_and_split_dates() -> None:
    doc = prepare(_raw(["What needs to improve?1\nLocal Safeguarding Children Board1\n"
                        "Report published: 1 9 June 2019\nInspected in 2016\nLetter dated 20 1 9"]))
    lines = doc.pages[0].split("\n")
    assert lines[0] == "What needs to improve?"
    assert lines[1] == "Local Safeguarding Children Board"
    assert lines[2] == "Report published: 19 June 2019"
    assert lines[3] == "Inspected in 2016"  # a real number is not a footnote


def test_running_headers_and_page_numbers_removed() -> None:
    words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"]
    pages = [
        f"Inspection of Wigan local authority children\u2019s services\r\n6 to 17 October 2025 {n}\r\n"
        f"Body text about {words[n - 2]} goes here.\r\nMore on {words[n - 2]}.\r\n"
        for n in range(2, 8)
    ]
    pages.insert(0, "1\r\nWigan title page\r\nIntro text.\r\n")
    doc = prepare(_raw(pages))
    assert doc.pages[0] == "Wigan title page\nIntro text.\n"
    for n, page in enumerate(doc.pages[1:], 2):
        assert page.strip() == f"Body text about {words[n - 2]} goes here.\nMore on {words[n - 2]}."
    assert doc.removed  # what was taken out is reported


def test_page_of_maps_offsets(data_dir: Path) -> None:
    doc = prepare(read_document(data_dir / "reports" / "barnsley-2023-ilacs-short.pdf"))
    text = doc.text
    assert doc.page_of(0) == 1
    i = text.index("What needs to improve?")
    assert doc.page_of(i) == 2
    assert doc.page_of(len(text) - 1) == len(doc.pages)
    # the running header of every page after the first is gone
    assert "Inspection of Barnsley local authority children\u2019s services\n11 to 15" not in text


def test_real_pdf_artefacts_mended(data_dir: Path) -> None:
    doc = prepare(read_document(data_dir / "reports" / "sefton-2016-sif-inspection.pdf"))
    assert "\x02" not in doc.text and "\r" not in doc.text
    assert "Review of the effectiveness of the Local Safeguarding\nChildren Board\n" in doc.pages[0]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("\u25fc The quality of plans.", (True, "The quality of plans.")),
        ("\uf06e Approximately 54,400 children", (True, "Approximately 54,400 children")),
        ("\uf0a7 item", (True, "item")),
        ("\uf02d item", (True, "item")),
        ("\uf0b7 item", (True, "item")),
        ("\u2022 item", (True, "item")),
        ("- support into adulthood", (True, "support into adulthood")),
        ("\u25fc", (True, "")),
        ("The quality of plans.", (False, "The quality of plans.")),
        ("-1 degrees", (False, "-1 degrees")),
        ("2.1 Adoption performance", (False, "2.1 Adoption performance")),
    ],
)
def test_is_bullet_line(line: str, expected: tuple[bool, str]) -> None:
    assert is_bullet_line(line) == expected


def test_fold() -> None:
    assert fold("\ufb01ne Children\u2019s  \u201cservices\u201d \u2013 \u25fc OK") == 'fine children\'s "services" - ok'
