"""Re-lay the printed seed PDF (tests/data/pdf/changzhou_edu_2022.pdf) with its text layer kept, for layout tests.

Used at test time (nothing committed), with pypdfium2 (installed with pdfplumber); no font is needed:
each printed page is placed as a form XObject on a new page.

- ``two_column(path)``: two printed pages side by side on one landscape page, scaled to 70% (a
  booklet spread / two-column layout), read left column first;
- ``mirrored(path)``: odd pages shifted right and even pages shifted left by 40 pt, as a book with
  mirrored margins is, so that the left edge of the text differs from page to page.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRINTED = ROOT / "tests" / "data" / "pdf" / "changzhou_edu_2022.pdf"


def _place(path: Path, layout: list[list[tuple[int, float, float, float]]], size: tuple[float, float]) -> Path:
    """``layout``: per new page, the (source page index, scale, dx, dy) placements."""
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument(PRINTED.read_bytes())
    out = pdfium.PdfDocument.new()
    xobjects = {}
    for placements in layout:
        page = out.new_page(*size)
        for index, scale, dx, dy in placements:
            if index not in xobjects:
                xobjects[index] = src.page_as_xobject(index, out)
            obj = xobjects[index].as_pageobject()
            obj.transform(pdfium.PdfMatrix().scale(scale, scale).translate(dx, dy))
            page.insert_obj(obj)
        page.gen_content()
    out.save(str(path))
    return path


def two_column(path: Path) -> Path:
    import pypdfium2 as pdfium

    n = len(pdfium.PdfDocument(PRINTED.read_bytes()))
    w, h = 595.28, 841.89
    s = 0.7
    size = (2 * w * s + 40, h * s + 40)
    layout = [[(i, s, 20, 20), *([(i + 1, s, 20 + w * s, 20)] if i + 1 < n else [])] for i in range(0, n, 2)]
    return _place(path, layout, size)


def mirrored(path: Path, shift: float = 40.0) -> Path:
    import pypdfium2 as pdfium

    n = len(pdfium.PdfDocument(PRINTED.read_bytes()))
    layout = [[(i, 1.0, shift if i % 2 == 0 else -shift, 0.0)] for i in range(n)]
    return _place(path, layout, (595.28 + 0.0, 841.89))


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    print(two_column(out / "two_column.pdf"), mirrored(out / "mirrored.pdf"))
