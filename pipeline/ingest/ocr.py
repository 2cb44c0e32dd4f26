"""OCR for PDF pages without a usable text layer (scans, fonts without a Unicode map): optional extra.

``pip install 'planscope[ocr]'`` brings rapidocr-onnxruntime, whose wheel ships its Chinese detection
and recognition models (PP-OCRv4, Apache-2.0), so nothing is downloaded at run time. Pages are
rendered with pypdfium2 (already installed with pdfplumber) and the recognised lines are handed back
as the PDF reader's lines, so that paragraphs are rebuilt from their geometry like any other page.
"""
from __future__ import annotations

import importlib.util
import re
from functools import lru_cache
from typing import Any

from .pdf import _Line

EXTRA = "planscope[ocr]"
_PAGE_NUMBER = re.compile(r"[一—－-]\s*(\d{1,4})\s*[一—－-]")  # "— 3 —" read as 一3一 or —3一: dashes look like 一
SCALE = 2.0  # render at 144 dpi: enough for 三号/四号 body text, and half the time of 200 dpi


def available() -> bool:
    return importlib.util.find_spec("rapidocr_onnxruntime") is not None


@lru_cache(maxsize=1)
def _engine() -> Any:
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR()


def ocr_pages(data: bytes, pages: list[int]) -> dict[int, list[_Line]]:
    """Recognise the text of the 1-based ``pages`` of a PDF: page -> lines top to bottom."""
    import numpy as np
    import pypdfium2 as pdfium

    engine = _engine()
    out: dict[int, list[_Line]] = {}
    pdf = pdfium.PdfDocument(data)
    try:
        for n in pages:
            image = pdf[n - 1].render(scale=SCALE, grayscale=True).to_pil().convert("RGB")
            result, _ = engine(np.asarray(image), use_cls=False)
            out[n] = _lines(result or [])
    finally:
        pdf.close()
    return out


def _lines(result: list[Any]) -> list[_Line]:
    """Boxes on one baseline (a line broken by a wide gap) joined left to right; lines top to bottom."""
    boxes = []
    for box, text, _score in result:
        xs, ys = [p[0] for p in box], [p[1] for p in box]
        if text.strip():
            boxes.append((min(xs) / SCALE, max(xs) / SCALE, min(ys) / SCALE, max(ys) / SCALE, text.strip()))
    boxes.sort(key=lambda b: (b[2] + b[3]) / 2)
    rows: list[list[tuple[float, float, float, float, str]]] = []
    for b in boxes:
        if rows and abs((b[2] + b[3]) / 2 - (rows[-1][0][2] + rows[-1][0][3]) / 2) <= 0.5 * (b[3] - b[2]):
            rows[-1].append(b)
        else:
            rows.append([b])
    lines = []
    for row in rows:
        row.sort(key=lambda b: b[0])
        text = " ".join(b[4] for b in row)
        text = _PAGE_NUMBER.sub(r"— \1 —", text) if _PAGE_NUMBER.fullmatch(text) else text
        x0, x1 = row[0][0], row[-1][1]
        chars = sum(len(b[4]) for b in row)
        size = min((x1 - x0) / max(chars, 1), row[0][3] - row[0][2])  # the character pitch
        lines.append(_Line(text, x0, x1, size))
    return lines
