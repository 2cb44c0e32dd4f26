"""Build a scanned PDF from the printed-style seed fixture: every page rendered to a grey image, no text layer.

Used at test time (nothing committed): ``build(path, pages=None, dpi=150, keep_text=())``.
``keep_text`` lists 1-based pages copied with their text layer instead (a partly scanned file, as
when a signed last page is scanned and appended). Run directly: ``python tests/data/build_scan.py OUT.pdf``.
"""
from __future__ import annotations

import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRINTED = ROOT / "tests" / "data" / "pdf" / "changzhou_edu_2022.pdf"


def page_images(pages: list[int] | None = None, dpi: int = 150) -> list:  # type: ignore[type-arg]
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(PRINTED.read_bytes())
    numbers = pages or list(range(1, len(pdf) + 1))
    images = [pdf[n - 1].render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for n in numbers]
    pdf.close()
    return images


def build(path: Path, pages: list[int] | None = None, dpi: int = 150, keep_text: tuple[int, ...] = ()) -> Path:
    import pypdfium2 as pdfium

    numbers = pages or list(range(1, len(pdfium.PdfDocument(PRINTED.read_bytes())) + 1))
    out = pdfium.PdfDocument.new()
    src = pdfium.PdfDocument(PRINTED.read_bytes())
    for n in numbers:
        if n in keep_text:
            out.import_pages(src, [n - 1])
            continue
        image = page_images([n], dpi)[0]
        buf = io.BytesIO()
        image.save(buf, format="JPEG", quality=85)
        width, height = src[n - 1].get_size()
        page = out.new_page(width, height)
        obj = pdfium.PdfImage.new(out)
        obj.load_jpeg(io.BytesIO(buf.getvalue()), inline=False)
        obj.set_matrix(pdfium.PdfMatrix().scale(width, height))
        page.insert_obj(obj)
        page.gen_content()
    out.save(str(path))
    return path


if __name__ == "__main__":
    print(build(Path(sys.argv[1])))
