"""Bad PDFs: one clear line and exit 2, no traceback, no output written."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from plan_etl.cli import app
from plan_etl.extract import is_pdf

reportlab = pytest.importorskip("reportlab")
from reportlab.lib.pagesizes import A4, landscape  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

runner = CliRunner()


def _one_page(path: Path, text: str | None = "Quarterly sales summary", **kwargs) -> Path:
    c = canvas.Canvas(str(path), pagesize=landscape(A4), invariant=1, **kwargs)
    if text:
        c.setFont("Helvetica", 14)
        c.drawString(72, 500, text)
    else:
        c.rect(72, 72, 400, 300, fill=1)  # a scan: marks on the page, no text layer
    c.showPage()
    c.save()
    return path


def _parse(path: Path, out: Path):
    return runner.invoke(app, ["parse", str(path), "--out-dir", str(out)])


def _assert_clean_failure(result, out: Path, *words: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    message = result.output.strip()
    assert len(message.splitlines()) == 1
    for w in words:
        assert w in message
    assert not out.exists()


@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
def test_encrypted_pdf(engine: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    """The message says encrypted from what the file is, not from its name or folder (neither
    holds the word: pytest's own temp folder is named after the test)."""
    from reportlab.lib.pdfencrypt import StandardEncryption

    folder = tmp_path_factory.mktemp("case")
    pdf = _one_page(folder / "a.pdf", encrypt=StandardEncryption("user-secret", "owner-secret"))
    out = folder / "out"
    result = runner.invoke(app, ["parse", str(pdf), "--out-dir", str(out), "--pdf-engine", engine])
    _assert_clean_failure(result, out)
    assert "encrypt" not in str(folder).lower()
    assert "the PDF is encrypted" in result.output.replace(str(pdf), "")


def test_truncated_pdf(tmp_path: Path) -> None:
    whole = _one_page(tmp_path / "whole.pdf").read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(whole[: len(whole) // 3])
    _assert_clean_failure(_parse(cut, tmp_path / "out"), tmp_path / "out", "PDF")


def test_pdf_with_no_pages(tmp_path: Path) -> None:
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(
        b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
        b"2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n"
        b"trailer <</Root 1 0 R>>\n%%EOF\n"
    )
    _assert_clean_failure(_parse(empty, tmp_path / "out"), tmp_path / "out", "no pages")


def test_scanned_pdf_without_text(tmp_path: Path) -> None:
    scan = _one_page(tmp_path / "scan.pdf", text=None)
    _assert_clean_failure(_parse(scan, tmp_path / "out"), tmp_path / "out", "no text layer")


def test_pdf_of_another_document(tmp_path: Path) -> None:
    other = _one_page(tmp_path / "other.pdf")
    _assert_clean_failure(_parse(other, tmp_path / "out"), tmp_path / "out", "no report structure")


def test_kind_is_told_from_bytes_not_name(tmp_path: Path) -> None:
    disguised = _one_page(tmp_path / "report.txt")  # a PDF named .txt
    assert is_pdf(disguised.read_bytes())
    _assert_clean_failure(_parse(disguised, tmp_path / "out"), tmp_path / "out", "no report structure")
    assert not is_pdf("項目 1-1".encode())


def test_text_that_mentions_the_pdf_header_is_text() -> None:
    """`%PDF-` inside a text report's first kilobyte (a file name quoted in a line) does not make
    it a PDF; a header at the start, or padded to a line start before a PDF trailer, does."""
    text = "新たな行政経営への移行実現プラン\n資料：plan.pdf（%PDF-1.7 形式）\n%PDF-1.7 の版\n".encode()
    assert not is_pdf(text, text[-1024:])
    assert is_pdf(b"\n\n%PDF-1.7\n...")
    assert is_pdf(b"junk before the header\n%PDF-1.4\n...", b"startxref\n123\n%%EOF\n")
    assert not is_pdf(b"junk before the header\n%PDF-1.4\n...", b"no trailer")
