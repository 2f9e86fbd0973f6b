"""Generate the bad-input fixtures of docs/reliability.md into a folder.

Run by the ``bad_inputs`` fixture (tests/test_bad_input.py) into a temporary folder, or by
hand: ``python tests/make_bad_inputs.py OUT_DIR``.  Everything is derived from a real
report in tests/data/reports (Crown copyright, OGL v3.0, see tests/data/LICENCE.md) or
generated, so nothing binary needs to live in the repository.

``make_bad_inputs(out)`` returns ``{file name: expected reason (a substring)}`` for every
file that must fail; ``GOOD`` lists the generated files that must build.
"""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REAL_PDF = HERE / "data" / "reports" / "southwark-2022-ilacs-short.pdf"
SAMPLES = HERE.parent / "samples"

#: generated files that are readable reports and must build
GOOD = ("cp1252-focused-visit.txt", "owner-password-only.pdf", "report.pdf.txt")

BIG_TEXT_BYTES = 50_000_000


def not_a_report_pdf(path: Path) -> None:
    """A well-formed PDF with a real text layer that is not an inspection report."""
    import pikepdf

    lines = [
        "Riverside Allotment Society",
        "Minutes of the annual general meeting held on 4 March 2023",
        "Present: the chair, the treasurer and twenty-two members.",
        "The treasurer reported that plot rents will rise by two pounds next year.",
        "Members agreed to buy a new shared lawn mower and to repair the water trough.",
        "The competition for the largest marrow will be held in September as usual.",
        "There being no other business, the meeting closed at nine o'clock.",
    ] * 6
    pdf = pikepdf.new()
    font = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica))
    for start in (0, 21):
        ops = [b"BT /F1 11 Tf 14 TL 60 760 Td"]
        for ln in lines[start:start + 21]:
            ops.append(b"(" + ln.encode("latin-1") + b") Tj T*")
        ops.append(b"ET")
        page = pdf.add_blank_page(page_size=(595, 842))
        page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        page.Contents = pdf.make_stream(b"\n".join(ops))
    pdf.save(path)


def scanned_pdf(path: Path, source: Path = REAL_PDF) -> None:
    """Pages of a real report rendered to images: a PDF with no text layer."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(source))
    images = [doc[i].render(scale=0.6).to_pil().convert("RGB") for i in range(2)]
    doc.close()
    images[0].save(path, "PDF", save_all=True, append_images=images[1:], resolution=43)


def encrypted_pdf(path: Path, *, user: str = "secret", source: Path = REAL_PDF) -> None:
    """A real report encrypted (AES-256) with a user password (empty: owner-only)."""
    import pikepdf

    with pikepdf.open(source) as pdf:
        pdf.save(path, encryption=pikepdf.Encryption(user=user, owner="owner-pw", R=6))


def cp1252_text(path: Path) -> None:
    """A real seed report re-encoded in Windows-1252 (curly quotes, a pound sign)."""
    text = (SAMPLES / "knowsley-2024-focused-visit.txt").read_text("utf-8")
    text = text.replace("'", "\u2019") + "\nCost of the service: \u00a3120 per week \u2013 caf\u00e9.\n"
    path.write_bytes(text.encode("cp1252", errors="replace"))


def make_bad_inputs(out: Path, *, big: bool = True) -> dict[str, str]:
    """Write every bad (and the generated good) input into ``out``.

    Returns ``{file name: expected reason}`` for the files that must fail.
    """
    out.mkdir(parents=True, exist_ok=True)
    rnd = random.Random(8)
    real = REAL_PDF.read_bytes()
    bad: dict[str, str] = {}

    (out / "empty.txt").write_bytes(b"")
    bad["empty.txt"] = "empty file"
    (out / "blank-lines.txt").write_text("\n\n   \n\t\n")
    bad["blank-lines.txt"] = "empty file"
    (out / "zero-byte.pdf").write_bytes(b"")
    bad["zero-byte.pdf"] = "empty file"
    (out / "truncated.pdf").write_bytes(real[: len(real) // 3])
    bad["truncated.pdf"] = "truncated"
    (out / "header-only.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    bad["header-only.pdf"] = "corrupt or truncated PDF"
    encrypted_pdf(out / "encrypted.pdf")
    bad["encrypted.pdf"] = "encrypted"
    encrypted_pdf(out / "owner-password-only.pdf", user="")  # opens without a password
    scanned_pdf(out / "scanned.pdf")
    bad["scanned.pdf"] = "no text layer (scanned?)"
    not_a_report_pdf(out / "allotment-minutes.pdf")
    bad["allotment-minutes.pdf"] = "not an inspection report"
    (out / "minutes.txt").write_text(
        "Minutes of the allotment society.\nThe treasurer reported on plot rents.\n" * 40)
    bad["minutes.txt"] = "not an inspection report"
    (out / "word-document.pdf").write_bytes(b"PK\x03\x04" + rnd.randbytes(2000))
    bad["word-document.pdf"] = "not a PDF"
    (out / "download-error.pdf").write_text(
        "<!DOCTYPE html><html><head><title>404</title></head><body>Not found</body></html>")
    bad["download-error.pdf"] = "HTML page"
    (out / "binary.txt").write_bytes(rnd.randbytes(64_000))
    bad["binary.txt"] = "binary data"
    (out / "report.pdf.txt").write_bytes(real)  # a PDF named .txt is read as the PDF it is
    cp1252_text(out / "cp1252-focused-visit.txt")
    # one line of Latin-1 that names Sefton and Ofsted: decoded, then refused (it names no
    # authority in a title and has no date), so that the store still validates
    (out / "latin1-one-line.txt").write_bytes(
        "Ofsted note on Sefton: caf\xe9 meeting about children\xb4s services, r\xe9sum\xe9 to follow".encode("latin-1"))
    bad["latin1-one-line.txt"] = "cannot identify the document"
    if big:
        line = b"the local authority ensure that children <script>alert(1)</script> "
        with open(out / "huge-one-line.txt", "wb") as fh:
            chunk = line * (1_000_000 // len(line) + 1)
            written = 0
            while written < BIG_TEXT_BYTES:
                fh.write(chunk)
                written += len(chunk)
        bad["huge-one-line.txt"] = "too large for a report"
    # unreadable in ways even root cannot get round (tests run as root: file modes do
    # not stop it; tests/test_bad_input.py drops privileges for the chmod 000 case)
    os.mkfifo(out / "named-pipe.txt")
    bad["named-pipe.txt"] = "not a regular file"
    os.symlink(out / "gone-away.pdf", out / "dangling-link.pdf")
    bad["dangling-link.pdf"] = "broken symbolic link"
    return bad


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "bad-inputs")
    for name, reason in sorted(make_bad_inputs(target).items()):
        print(f"{name}: {reason}")
