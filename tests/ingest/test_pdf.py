"""PDF reader: layout-based paragraphs, page furniture, and the errors a researcher can act on."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from fpdf import FPDF

from pipeline.errors import PlanscopeError
from pipeline.ingest import read
from pipeline.ingest.pdf import read_pdf

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "data" / "pdf" / "changzhou_edu_2022.pdf"
CORPUS = ROOT / "corpus" / "changzhou_edu_2022.txt"
FONT = str(ROOT / "tests" / "data" / "fonts" / "wqy-microhei-gb2312.ttf")  # shipped: no system CJK font needed
SIZE = 12.0
LEFT = 72.0
# All full-width, so n characters are n x 12 pt wide and a line of 30 fills the 360 pt block.
TEXT = (
    "深入推进新时代中国特色社会主义思想进教材进课堂进头脑继续做好学生读本"
    "使用工作发挥思政课铸魂育人主渠道作用成立思政课一体化建设指导委员会统"
    "筹推进大中小学思政课一体化建设实施中小学思政育人提升行动遴选市级思政"
    "课优质课例加强思政育人特色学校培育建设健全完善中小学党组织书记每学期"
)
FULL = TEXT[:30]


def nonempty_lines(text: str) -> list[str]:
    return [ln for ln in text.split("\n") if ln.strip()]


def make_pdf(pages: list[list[tuple[float, str]]], **meta: str) -> bytes:
    """A PDF whose pages hold the given (indent in characters, text) lines, 12 pt, 30 characters wide."""
    pdf = FPDF(unit="pt", format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_font("wqy", fname=FONT)
    pdf.set_font("wqy", size=SIZE)
    for key, value in meta.items():
        getattr(pdf, f"set_{key}")(value)
    for lines in pages:
        pdf.add_page()
        for row, (indent, text) in enumerate(lines):
            pdf.text(LEFT + indent * SIZE, 80 + row * 20, text)
    return bytes(pdf.output())


def test_pdf_fixture_reads_as_the_corpus_text() -> None:
    # The fixture wraps every 28 characters, indents paragraphs, centres titles and breaks 43 paragraphs
    # over 15 pages; reading it back must give exactly the paragraphs of the text it was printed from.
    pdf_text = read(FIXTURE)
    assert pdf_text.format == "pdf"
    assert nonempty_lines(pdf_text.text) == nonempty_lines(read(CORPUS).text)


def test_pdf_fixture_has_no_page_furniture() -> None:
    text = read(FIXTURE).text
    assert "常州市教育局文件" not in text
    assert not re.search(r"—\s*\d+\s*—", text)
    assert not any(re.fullmatch(r"[\d\s—-]+", ln) for ln in text.split("\n") if ln)


def test_pdf_metadata_comes_from_the_info_dictionary() -> None:
    meta = read(FIXTURE).metadata
    assert meta["title"] == "中共常州市委教育工委 常州市教育局2022年工作要点"
    assert meta["author"] == "常州市教育局"
    assert meta["created"] == "2022-03-01T09:00:00"
    assert "pages_without_text" not in meta


def test_pdf_wrapped_line_starting_with_a_marker_is_not_a_new_paragraph() -> None:
    wrapped = [TEXT[:28], "（二）" + TEXT[28:55], "一、" + TEXT[55:83], "1." + TEXT[83:112], "完。"]
    data = make_pdf([[(2, wrapped[0]), *((0, ln) for ln in wrapped[1:]), (2, "（三）下一项。")]])
    assert read_pdf(data).text.split("\n") == ["".join(wrapped), "（三）下一项。"]


def test_pdf_short_last_line_ends_a_paragraph_without_indent() -> None:
    data = make_pdf([[(0, TEXT[:30]), (0, "短行。"), (0, TEXT[30:60]), (0, "又一段。")]])
    assert read_pdf(data).text.split("\n") == [TEXT[:30] + "短行。", TEXT[30:60] + "又一段。"]


def test_pdf_paragraph_continues_over_a_page_break_and_furniture_goes() -> None:
    header = (9, "某某市人民政府办公室文件")
    pages = [
        [header, (2, TEXT[:28]), (0, TEXT[28:58]), (0, "第 1 页 共 3 页")],
        [header, (0, TEXT[58:88]), (0, "完。"), (2, TEXT[88:116]), (0, "- 2 -")],
        [header, (0, "第二段完。"), (13, "第3页")],
    ]
    text = read_pdf(make_pdf(pages)).text
    assert text.split("\n") == [TEXT[:88] + "完。", TEXT[88:116] + "第二段完。"]


@pytest.mark.parametrize("number", ["— 3 —", "- 3 -", "—3—", "第3页", "3", "第 3 页 共 10 页"])
def test_pdf_page_number_styles_are_removed(number: str) -> None:
    data = make_pdf([[(2, "正文。"), (13, number)]])
    assert read_pdf(data).text == "正文。"


def test_pdf_encrypted_file_is_reported(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="work plan")
    pdf.set_encryption(owner_password="owner", user_password="secret")
    path = tmp_path / "locked_plan.pdf"
    path.write_bytes(bytes(pdf.output()))
    with pytest.raises(PlanscopeError, match=r"locked_plan\.pdf.*encrypted/password-protected"):
        read(path)


def test_pdf_truncated_file_is_reported(tmp_path: Path) -> None:
    data = FIXTURE.read_bytes()
    path = tmp_path / "half_plan.pdf"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(PlanscopeError, match=r"half_plan\.pdf.*damaged or truncated"):
        read(path)


def test_pdf_without_text_layer_is_reported(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 120, 80, style="F")
    path = tmp_path / "scanned_plan.pdf"
    path.write_bytes(bytes(pdf.output()))
    problem = r"has no text layer \(scanned images\?\) — run OCR first"
    with pytest.raises(PlanscopeError, match=rf"scanned_plan\.pdf.*{problem}"):
        read(path)
