"""Reading: PDFs page by page, text files with page inference, clear failure reasons."""

from __future__ import annotations

from pathlib import Path

import pytest

from ofsted_kg.errors import DocumentError
from ofsted_kg.graph_builder.read import infer_text_pages, read_document


def test_pdf_pages_and_metadata(data_dir: Path) -> None:
    raw = read_document(data_dir / "reports" / "southwark-2022-ilacs-short.pdf")
    assert raw.kind == "pdf"
    assert len(raw.pages) == 9
    assert "Inspection dates: 26 to 30 September 2022" in raw.pages[0]
    assert raw.metadata["CreationDate"].startswith("D:20221110")
    assert len(raw.sha256) == 64


def test_text_file_pages_inferred_from_gaps(samples_dir: Path) -> None:
    raw = read_document(samples_dir / "sefton-2024-monitoring-visit.txt")
    assert raw.kind == "text"
    assert len(raw.pages) == 6
    # the break falls where the letter's page 1 ended mid-sentence
    assert raw.pages[0].rstrip().endswith("case file audits")
    assert raw.pages[1].lstrip().startswith("and other information provided by senior managers")


def test_text_without_regular_breaks_is_one_page(samples_dir: Path) -> None:
    raw = read_document(samples_dir / "sefton-2016-inspection.txt")
    assert len(raw.pages) == 1


def test_form_feeds_are_page_breaks(tmp_path: Path) -> None:
    p = tmp_path / "r.txt"
    p.write_text("Ofsted report page one\fpage two\fpage three\f", encoding="utf-8")
    assert read_document(p).pages == ["Ofsted report page one", "page two", "page three"]


def test_cp1252_fallback(tmp_path: Path) -> None:
    p = tmp_path / "r.txt"
    p.write_bytes("Children\u2019s services \u2013 caf\u00e9".encode("cp1252"))
    assert read_document(p).pages[0] == "Children\u2019s services \u2013 caf\u00e9"


def test_infer_pages_rejects_giant_chunks() -> None:
    text = ("word " * 2000 + "\n\n\n\n") * 3
    assert len(infer_text_pages(text)) == 1
    page = ("A sentence of a report page. " * 60)
    assert len(infer_text_pages(page + "\n\n\n\n" + page + "\n\n\n\n" + page)) == 3


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.pdf", b"", "empty file"),
        ("empty.txt", b"  \n\n", "empty file"),
        ("saved.pdf", b"<!DOCTYPE html><html><head><title>Report not found</title>", "an HTML page, not a PDF"),
        ("page.txt", b"<!DOCTYPE html><html><body>Not found</body></html>", "an HTML page, not a report"),
        ("blob.txt", b"\x00\x01\x02\x03binary", "binary data, not text"),
        ("junk.pdf", b"PK\x03\x04 zip file", "not a PDF (no %PDF- header)"),
    ],
)
def test_failure_reasons(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    p = tmp_path / name
    p.write_bytes(data)
    with pytest.raises(DocumentError) as err:
        read_document(p)
    assert err.value.reason == reason
    assert str(err.value) == f"{p}: {reason}"


def test_truncated_pdf(tmp_path: Path, data_dir: Path) -> None:
    data = (data_dir / "reports" / "southwark-2022-ilacs-short.pdf").read_bytes()
    p = tmp_path / "cut.pdf"
    p.write_bytes(data[:3000])
    with pytest.raises(DocumentError) as err:
        read_document(p)
    assert err.value.reason.startswith(("corrupt or truncated PDF", "no text layer"))


def test_scanned_pdf_without_text(tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    pdf.new_page(595, 842)
    p = tmp_path / "scan.pdf"
    pdf.save(str(p))
    pdf.close()
    with pytest.raises(DocumentError) as err:
        read_document(p)
    assert err.value.reason == "no text layer (scanned?)"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DocumentError) as err:
        read_document(tmp_path / "nope.pdf")
    assert err.value.reason == "no such file"


def test_encrypted_pdf(tmp_path: Path, data_dir: Path) -> None:
    pikepdf = pytest.importorskip("pikepdf")  # declared in the test extra
    src = pikepdf.open(data_dir / "reports" / "southwark-2022-ilacs-short.pdf")
    p = tmp_path / "locked.pdf"
    src.save(p, encryption=pikepdf.Encryption(user="secret", owner="secret"))
    src.close()
    with pytest.raises(DocumentError) as err:
        read_document(p)
    assert err.value.reason.startswith("encrypted PDF")
