"""PDF reader: text lines from pdfplumber, paragraphs rebuilt from the page layout.

Printed plans wrap every ~28 characters, so a wrapped line can start with ``（三）`` or ``1.`` without
being an item. Paragraph starts are therefore decided from geometry only: a first-line indent, a short
previous line, or a centred line. Page numbers and running headers/footers are dropped, and paragraphs
that run over a page break are joined.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from ..errors import ReadError
from ..model import RawText

_DASHES = r"[-—–－~～·•\s]*"
_PAGE_NUMBER = re.compile(  # — 3 —, - 3 -, 3, 3/10, 第3页, 第 3 页 共 10 页, 共10页 第3页
    _DASHES
    + r"(?:(?:共\s*\d+\s*页\s*)?第\s*\d+\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?|\d+(?:\s*/\s*\d+)?)"
    + _DASHES
)
_ASCII_LETTER = re.compile(r"[A-Za-z]")
_CID = re.compile(r"\(cid:\d+\)")  # pdfminer's stand-in for a glyph it cannot map to Unicode
_PDF_DATE = re.compile(r"D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?")


@dataclass(slots=True)
class _Line:
    text: str
    x0: float
    x1: float
    size: float  # median character size, the unit for "indented" and "short"
    block: int = 0  # column of the page the line is in (0 when the page has one)


def read_pdf(data: bytes, *, source: str = "<bytes>") -> RawText:
    """Extract the text of a PDF as one paragraph per line.

    Metadata carries ``title``, ``author`` and ``created`` from the info dictionary when present, and
    1-based page lists: ``ocr_pages`` read by OCR (with the ``ocr`` extra), ``pages_without_text``
    (images only) and ``pages_undecodable`` (fonts without a Unicode map) left unread; each also goes
    into ``warnings``. Raises :class:`~pipeline.errors.ReadError` for encrypted, damaged and text-less
    (scanned, without the extra) PDFs.
    """
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError
    from pdfminer.psparser import PSException
    from pdfplumber.utils.exceptions import PdfminerException

    # pdfminer rebuilds a cut-off file from whatever objects survive; without %%EOF we would read half a plan.
    if b"%%EOF" not in data[-4096:]:
        raise ReadError(f"{source}: the PDF is damaged or truncated (no end-of-file marker)")
    try:
        with pdfplumber.open(BytesIO(data)) as pdf:
            metadata = _metadata(pdf.metadata)
            pages = [_page_lines(page) for page in pdf.pages]
            image_only = [i + 1 for i, page in enumerate(pdf.pages) if page.images and not pages[i]]
    except (PdfminerException, PSException) as exc:
        cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
        if isinstance(cause, PDFEncryptionError) or "password" in str(cause).lower():
            problem = "is encrypted/password-protected; save an unprotected copy"
        else:
            problem = f"is damaged or truncated ({type(cause).__name__}: {cause})"
        raise ReadError(f"{source}: the PDF {problem}") from None
    if not pages:
        raise ReadError(f"{source}: the PDF is damaged or truncated (it has no pages)")
    pages, undecodable, stray = _drop_cid(pages)
    warnings: list[str] = []
    missing = sorted(image_only + undecodable)
    from . import ocr

    if missing and ocr.available():
        found = ocr.ocr_pages(data, missing)
        for n, lines in found.items():
            pages[n - 1] = lines
        done = [n for n in missing if found.get(n)]
        if done:
            metadata["ocr_pages"] = ",".join(map(str, done))
            warnings.append(f"ocr_pages: {metadata['ocr_pages']} (text recognised by OCR; check what matters)")
        image_only = [n for n in image_only if n not in done]
        undecodable = [n for n in undecodable if n not in done]
    hint = "run OCR on them" if ocr.available() else f"install {ocr.EXTRA} to OCR them"
    if not any(pages):
        if undecodable and not image_only:
            raise ReadError(
                f"{source}: the PDF's text cannot be decoded (glyphs without a Unicode mapping: a damaged file "
                f"or fonts embedded without a ToUnicode table) — run OCR first ({ocr.EXTRA})"
            )
        raise ReadError(f"{source}: the PDF has no text layer (scanned images?) — run OCR first "
                        f"(pip install '{ocr.EXTRA}')")
    if image_only:
        metadata["pages_without_text"] = ",".join(map(str, image_only))
        warnings.append(f"pages_without_text: {metadata['pages_without_text']} (scanned images; not read, {hint})")
    if undecodable:
        metadata["pages_undecodable"] = ",".join(map(str, undecodable))
        warnings.append(f"pages_undecodable: {metadata['pages_undecodable']} (fonts without a Unicode map; "
                        f"their text is left out, {hint})")
    if stray:
        warnings.append(f"cid_glyphs: {stray} glyph(s) without a Unicode mapping left out")
    # each column is a printed page as far as page numbers and running headers go (a spread holds two)
    blocks = [[ln for ln in page if ln.block == b] for page in pages for b in sorted({ln.block for ln in page})]
    text = "\n".join(_paragraphs(_strip_furniture(blocks)))
    return RawText(text=text, format="pdf", source=source, metadata=metadata, warnings=tuple(warnings))


def _drop_cid(pages: list[list[_Line]]) -> tuple[list[list[_Line]], list[int], int]:
    """Treat a page whose glyphs are mostly ``(cid:N)`` (a font without a Unicode map) like a page
    without text, and cut the odd unmapped glyph out of the others, counting it.

    Returns the pages, the 1-based numbers of the pages dropped, and the number of glyphs cut.
    """
    out: list[list[_Line]] = []
    dropped: list[int] = []
    stray = 0
    for n, lines in enumerate(pages, start=1):
        glyphs = _CID.sub("\0", "".join(ln.text for ln in lines))
        cids = glyphs.count("\0")
        if cids and cids > 0.1 * len(glyphs.replace(" ", "")):
            out.append([])
            dropped.append(n)
            continue
        if cids:
            stray += cids
            lines = [_Line(t, ln.x0, ln.x1, ln.size, ln.block) for ln in lines if (t := _CID.sub("", ln.text).strip())]
        out.append(lines)
    return out, dropped, stray


def _metadata(info: dict[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, name in (("Title", "title"), ("Author", "author"), ("CreationDate", "created")):
        value = info.get(key)
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        value = str(value).strip() if value is not None else ""
        if value:
            out[name] = value
    if m := _PDF_DATE.match(out.get("created", "")):  # D:YYYYMMDDHHmmSS... -> ISO 8601
        y, mo, d, h, mi, s = m.groups()
        out["created"] = f"{y}-{mo or '01'}-{d or '01'}" + (f"T{h}:{mi or '00'}:{s or '00'}" if h else "")
    return out


def _page_lines(page: Any) -> list[_Line]:
    """Group the page's upright characters into lines by baseline, left to right; a two-column page
    (or a spread of two pages) column by column."""
    chars = [c for c in page.dedupe_chars().chars if c.get("upright", True) and c["text"]]
    chars.sort(key=lambda c: (c["top"], c["x0"]))
    rows: list[list[dict[str, Any]]] = []
    for c in chars:
        if rows and abs(c["top"] - rows[-1][0]["top"]) <= 0.4 * max(c["size"], 1.0):
            rows[-1].append(c)
        else:
            rows.append([c])
    for row in rows:
        row.sort(key=lambda c: c["x0"])
    gutter = _gutter(rows)
    if gutter is None:
        return [ln for row in rows if (ln := _row_line(row))]
    g0, g1 = gutter
    head: list[_Line] = []
    left: list[_Line] = []
    right: list[_Line] = []
    tail: list[_Line] = []
    mid = (g0 + g1) / 2
    for row in rows:
        if any(c["x0"] < mid < c["x1"] and c["text"].strip() for c in row):
            if not left and not right:  # a line across both columns: a title above them, a page number below
                head.append(_row_line(row, block=-1))
            else:
                tail.append(_row_line(row, block=2))
            continue
        a = [c for c in row if c["x1"] <= mid]
        b = [c for c in row if c["x0"] >= mid]
        if a and (ln := _row_line(a)):
            left.append(ln)
        if b and (ln := _row_line(b, block=1)):
            right.append(ln)
    return [ln for ln in (*head, *left, *right, *tail) if ln]


def _gutter(rows: list[list[dict[str, Any]]]) -> tuple[float, float] | None:
    """A vertical band in the middle third of the text that the lines of both halves leave empty (at
    least 5 lines on each side), crossed by no more than a few lines (a title, a centred page number)."""
    visible = [[(c["x0"], c["x1"]) for c in r if c["text"].strip()] for r in rows]
    visible = [v for v in visible if v]
    if len(visible) < 10:
        return None
    lo, hi = min(v[0][0] for v in visible), max(v[-1][1] for v in visible)
    sizes = sorted(c["size"] for r in rows for c in r)
    size = sizes[len(sizes) // 2]
    best = None
    for x in range(int(lo + 0.3 * (hi - lo)), int(lo + 0.7 * (hi - lo)) + 1, 2):
        crossing = [any(a < x < b for a, b in v) for v in visible]
        if sum(crossing) > max(2, 0.1 * len(visible)):
            continue
        others = [iv for v, cross in zip(visible, crossing) if not cross for iv in v]
        g0 = max((b for a, b in others if b <= x), default=lo)
        g1 = min((a for a, b in others if a >= x), default=hi)
        if g1 - g0 >= 1.5 * size and (best is None or g1 - g0 > best[1] - best[0]):
            best = (g0, g1)
    if best is None:
        return None
    # Both halves must be prose: lines of at least 8 characters, several of them reaching the half's
    # right edge (justified text), not the short cells of a two-column table, which stay rows.
    for side in (lambda a, b: b <= best[0] + 0.01, lambda a, b: a >= best[1] - 0.01):
        lines = [[iv for iv in v if side(*iv)] for v in visible]
        spans = [(v[0][0], v[-1][1]) for v in lines if v]
        if len(spans) < 5:
            return None
        widths = sorted(b - a for a, b in spans)
        edge = max(b for a, b in spans)
        if widths[len(widths) // 2] < 8 * size or sum(edge - b <= size for a, b in spans) < 3:
            return None
    return best


def _row_line(row: list[dict[str, Any]], block: int = 0) -> _Line | None:
    parts: list[str] = []
    for prev, c in zip([None, *row], row):
        # PDFs often position words instead of drawing spaces: a gap wider than a space is one.
        if prev is not None and prev["text"] != " " and c["text"] != " ":
            gap = c["x0"] - prev["x1"]
            latin = _ASCII_LETTER.match(prev["text"][-1]) or _ASCII_LETTER.match(c["text"][0])
            if gap > (0.25 if latin else 1.0) * c["size"]:
                parts.append(" ")
        parts.append(c["text"])
    text = "".join(parts).strip()
    if not text:
        return None
    visible = [c for c in row if c["text"].strip()]
    sizes = sorted(c["size"] for c in visible)
    return _Line(text, visible[0]["x0"], visible[-1]["x1"], sizes[len(sizes) // 2], block)


def _strip_furniture(pages: list[list[_Line]]) -> list[list[_Line]]:
    """Drop page numbers and headers/footers repeated at the top or bottom of most pages."""

    def key(line: _Line) -> str:
        return re.sub(r"\d+", "#", line.text.replace(" ", ""))

    def furniture(line: _Line, repeated: set[str]) -> bool:
        return key(line) in repeated or _PAGE_NUMBER.fullmatch(line.text) is not None

    for _ in range(2):  # twice: a running footer may sit above the page number
        edges = Counter(k for lines in pages if lines for k in {key(lines[0]), key(lines[-1])})
        repeated = {k for k, n in edges.items() if n >= max(3, 0.6 * len(pages))}
        pages = [lines[1:] if lines and furniture(lines[0], repeated) else lines for lines in pages]
        pages = [lines[:-1] if lines and furniture(lines[-1], repeated) else lines for lines in pages]
    return pages


_ITEM_START = re.compile(r"[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d{1,2}[.．、]|第[一二三四五六七八九十]+[部章条节]")


def _edges(lines: list[_Line]) -> tuple[float, float]:
    """The body's left edge, the leftmost x0 that many lines share (continuation lines sit there), and its
    right edge, where the lines that start there end."""
    starts = Counter(round(ln.x0) for ln in lines)
    enough = max(2, len(lines) // 10)
    left = min((x for x, n in starts.items() if n >= enough), default=min(starts))
    right = max((ln.x1 for ln in lines if abs(ln.x0 - left) <= 1.5), default=max(ln.x1 for ln in lines))
    return left, right


def _paragraphs(pages: list[list[_Line]], *, marker_breaks: bool = False) -> list[str]:
    """Lines joined into paragraphs from geometry. ``marker_breaks``: a line that starts with an item
    marker after a line that ends a sentence starts a paragraph even when the line before reaches the
    right edge (a list of short items whose longest one sets the edge); for OFD, whose lists are laid
    out one item per line."""
    lines = [ln for page in pages for ln in page]
    if not lines:
        return []
    edges = _edges(lines)
    # Mirrored margins and the columns of a spread put the text's edges elsewhere on each page: a page
    # column with enough lines of its own has its own edges.
    own = {}
    for n, page in enumerate(pages):
        for block in {ln.block for ln in page}:
            group = [ln for ln in page if ln.block == block]
            if len(group) >= 8:
                own[(n, block)] = _edges(group)
    where = {id(ln): (n, ln.block) for n, page in enumerate(pages) for ln in page}
    paragraphs: list[str] = []
    prev: _Line | None = None
    for ln in lines:
        left = own.get(where[id(ln)], edges)[0]
        indented = ln.x0 - left > 1.0 * ln.size
        right = own.get(where[id(prev)], edges)[1] if prev is not None else 0.0
        short = prev is not None and right - prev.x1 > 1.5 * prev.size
        listed = marker_breaks and prev is not None and prev.text[-1] in "。；：！？;:" and _ITEM_START.match(ln.text)
        if prev is None or indented or short or listed:
            paragraphs.append(ln.text)
        else:
            tail = paragraphs[-1]
            space = " " if _ASCII_LETTER.match(tail[-1]) and _ASCII_LETTER.match(ln.text[0]) else ""
            paragraphs[-1] = tail + space + ln.text
        prev = ln
    return paragraphs
