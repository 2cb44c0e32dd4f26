"""Build the printed-style PDF fixture ``tests/data/pdf/changzhou_edu_2022.pdf`` from the corpus text.

Usage: ``python tests/data/build_pdf.py`` (needs fpdf2; the font is the subset in ``tests/data/fonts/``).

The layout imitates a GB/T 9704 print: a 28-character text block, lines broken wherever the block is full
(so wrapped lines may start with ``（`` or ``1.``), a two-character first-line indent on every paragraph,
centred title lines, a running header at the top and ``— N —`` centred at the bottom of every page.
The output is byte-for-byte reproducible.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from fpdf import FPDF

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "corpus" / "changzhou_edu_2022.txt"
TARGET = ROOT / "tests" / "data" / "pdf" / "changzhou_edu_2022.pdf"
FONT = str(ROOT / "tests" / "data" / "fonts" / "wqy-microhei-gb2312.ttf")  # shipped: no system CJK font needed

HEADER = "常州市教育局文件"
SIZE = 16.0  # pt, 三号
CHARS_PER_LINE = 28
LINE_PITCH = 28.9  # pt, 22 lines in the 225 mm block
PAGE_W, PAGE_H = 595.28, 841.89  # A4 in pt
TEXT_W = CHARS_PER_LINE * SIZE
LEFT = (PAGE_W - TEXT_W) / 2
TOP = 100.0
BOTTOM = PAGE_H - 100.0
CENTRED = 3  # the first lines of the corpus file: 附件 / issuer / title; 附件 stays flush left


def wrap(pdf: FPDF, text: str, first_indent: float) -> list[str]:
    """Break ``text`` wherever the block is full, character by character, like a CJK typesetter."""
    lines: list[str] = []
    line, width, limit = "", 0.0, TEXT_W - first_indent
    for ch in text:
        w = pdf.get_string_width(ch)
        if line and width + w > limit + 0.01:
            lines.append(line)
            line, width, limit = "", 0.0, TEXT_W
        line += ch
        width += w
    if line:
        lines.append(line)
    return lines


class PrintedPlan(FPDF):
    def header(self) -> None:
        self.set_font("wqy", size=10.5)
        self.set_xy(LEFT, 60)
        self.cell(TEXT_W, 14, HEADER, align="C")
        self.line(LEFT, 78, LEFT + TEXT_W, 78)
        self.set_font("wqy", size=SIZE)

    def footer(self) -> None:
        self.set_font("wqy", size=14)
        self.set_xy(LEFT, PAGE_H - 70)
        self.cell(TEXT_W, 14, f"— {self.page_no()} —", align="C")
        self.set_font("wqy", size=SIZE)


def build() -> Path:
    pdf = PrintedPlan(unit="pt", format="A4")
    pdf.set_margins(LEFT, TOP, LEFT)
    pdf.set_auto_page_break(False)
    pdf.add_font("wqy", fname=FONT)
    pdf.set_font("wqy", size=SIZE)
    pdf.set_title("中共常州市委教育工委 常州市教育局2022年工作要点")
    pdf.set_author("常州市教育局")
    pdf.set_creator("planscope tests/data/build_pdf.py")
    pdf.set_creation_date(dt.datetime(2022, 3, 1, 9, 0, tzinfo=dt.timezone.utc))
    pdf.add_page()
    y = TOP
    paragraphs = [p.strip() for p in SOURCE.read_text(encoding="utf-8-sig").splitlines() if p.strip()]
    for n, para in enumerate(paragraphs):
        if 0 < n < CENTRED:
            rows = [(para, (TEXT_W - pdf.get_string_width(para)) / 2)]
        elif n == 0:
            rows = [(para, 0.0)]
        else:
            indent = 2 * SIZE
            rows = [(ln, indent if i == 0 else 0.0) for i, ln in enumerate(wrap(pdf, para, indent))]
        for text, dx in rows:
            if y + LINE_PITCH > BOTTOM:
                pdf.add_page()
                y = TOP
            pdf.set_xy(LEFT + dx, y)
            pdf.cell(text=text)
            y += LINE_PITCH
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(TARGET))
    return TARGET


if __name__ == "__main__":
    print(build())
