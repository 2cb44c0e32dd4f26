"""OFD reader (GB/T 33190, the national fixed-layout format): a zip of XML parts, text in reading order.

An OFD page is a list of positioned ``TextObject``s, each holding ``TextCode`` runs in Unicode, so no
font has to be decoded; the work is putting them back in reading order. Text objects are placed on
the page (``Boundary`` + ``CTM``), grouped into lines by baseline, split into columns where a page is
a two-panel spread, and joined into paragraphs with the PDF reader's geometry (indent, short line).
Template pages (letterheads, forms whose printed text lives in a template) are read with the page.

No maintained OFD parser on PyPI reads text in reading order without pulling in a renderer, so this
is a small reader of its own, with the docx reader's zip-bomb and DTD guards.
"""
from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass
from typing import Any
from xml.etree.ElementTree import ParseError

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from ..errors import ReadError
from ..model import RawText
from .docx import _DAMAGED_MEMBER, check_package
from .pdf import _ITEM_START, _Line, _paragraphs, _strip_furniture

_SENTENCE_END = "。；！？：.;!?:"


@dataclass(slots=True)
class _Run:
    x0: float
    x1: float
    y: float  # baseline, mm from the top of the page
    size: float  # mm
    text: str


def read_ofd(data: bytes, *, source: str = "<bytes>") -> RawText:
    """Read the text of every page of the first document in an OFD package, one paragraph per line.

    Metadata carries ``title``, ``author`` and ``created`` from the package's DocInfo. Raises
    :class:`~pipeline.errors.ReadError` naming ``source`` for a damaged package, a zip bomb, XML that
    declares a DTD, or an OFD without a text layer (a scan).
    """
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError) as exc:
        raise ReadError(f"{source}: not a valid .ofd (zip) package ({exc})") from None
    with zf:
        check_package(zf, source, "an OFD writer")
        package = _Package(zf, source)
        root = package.xml("OFD.xml")
        body = _first(root, "DocBody")
        doc_root = _text(_first(body, "DocRoot")) if body is not None else ""
        if not doc_root:
            raise ReadError(f"{source}: damaged .ofd, OFD.xml names no document (DocBody/DocRoot)")
        metadata = _doc_info(_first(body, "DocInfo"))
        doc_path = _resolve("", doc_root)
        document = package.xml(doc_path)
        base = posixpath.dirname(doc_path)
        templates = {t.get("ID"): _resolve(base, t.get("BaseLoc", "")) for t in _all(document, "TemplatePage")}
        pages: list[list[list[_Line]]] = []  # page -> columns -> lines
        images = 0
        for page in _all(_first(document, "Pages"), "Page"):
            page_path = _resolve(base, page.get("BaseLoc", ""))
            content = package.xml(page_path)
            runs: list[_Run] = []
            for ref in _all(content, "Template"):
                loc = templates.get(ref.get("TemplateID"))
                if loc:
                    template = package.xml(loc)
                    runs += _runs(template)
                    images += len(_all(template, "ImageObject"))
            runs += _runs(content)
            images += len(_all(content, "ImageObject"))
            pages.append([_lines(col) for col in _columns(runs)])
    if not any(col for cols in pages for col in cols):
        if images:
            raise ReadError(f"{source}: the OFD has no text layer (scanned images?) — run OCR first")
        raise ReadError(f"{source}: no text found in the OFD")
    text = "\n".join(_join_columns(pages))
    return RawText(text=text, format="ofd", source=source, metadata=metadata)


class _Package:
    def __init__(self, zf: zipfile.ZipFile, source: str) -> None:
        self.zf, self.source = zf, source
        self.names = {n.lstrip("/"): n for n in zf.namelist()}
        self.lower = {n.lower(): n for n in self.names}

    def xml(self, name: str) -> Any:
        member = self.names.get(name) or self.names.get(self.lower.get(name.lower(), ""))
        if member is None:
            raise ReadError(f"{self.source}: damaged .ofd, the part {name} is missing")
        try:
            with self.zf.open(member) as fh:
                raw = fh.read()
        except _DAMAGED_MEMBER as exc:
            raise ReadError(f"{self.source}: damaged .ofd, {name} is corrupt ({exc})") from None
        try:
            return SafeET.fromstring(raw, forbid_dtd=True)
        except DefusedXmlException:
            raise ReadError(f"{self.source}: {name} declares a DTD or entities, which an OFD writer never "
                            "writes; refusing it as a possible XML external-entity attack") from None
        except ParseError as exc:
            raise ReadError(f"{self.source}: damaged .ofd, {name} is unreadable ({exc})") from None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _all(el: Any, name: str) -> list[Any]:
    return [] if el is None else [e for e in el.iter() if _local(e.tag) == name]


def _first(el: Any, name: str) -> Any:
    found = _all(el, name)
    return found[0] if found else None


def _text(el: Any) -> str:
    return (el.text or "").strip() if el is not None else ""


def _resolve(base: str, loc: str) -> str:
    """BaseLoc is relative to the part that names it, or absolute from the package root."""
    loc = loc.strip().replace("\\", "/")
    path = loc.lstrip("/") if loc.startswith("/") else posixpath.join(base, loc)
    return posixpath.normpath(path).lstrip("/")


def _doc_info(info: Any) -> dict[str, str]:
    out = {}
    for tag, key in (("Title", "title"), ("Author", "author"), ("CreationDate", "created")):
        value = _text(_first(info, tag))
        if value:
            out[key] = value
    return out


def _floats(value: str | None) -> list[float]:
    try:
        return [float(v) for v in (value or "").split()]
    except ValueError:
        return []


def _deltas(value: str | None) -> list[float]:
    """DeltaX/DeltaY, with the ``g N D`` shorthand for N gaps of D."""
    tokens = (value or "").split()
    out: list[float] = []
    i = 0
    try:
        while i < len(tokens):
            if tokens[i] == "g" and i + 2 < len(tokens):
                out += [float(tokens[i + 2])] * int(tokens[i + 1])
                i += 3
            else:
                out.append(float(tokens[i]))
                i += 1
    except ValueError:
        return out
    return out


def _runs(content: Any) -> list[_Run]:
    """Every TextCode of a page or template, placed on the page in mm."""
    runs: list[_Run] = []
    for obj in _all(content, "TextObject"):
        box = _floats(obj.get("Boundary"))
        if len(box) < 4:
            continue
        ctm = _floats(obj.get("CTM"))
        a, b, c, d, e, f = ctm if len(ctm) == 6 else (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
        scale = abs(a * d - b * c) ** 0.5 or 1.0
        size = (_floats(obj.get("Size")) or [3.5])[0] * scale
        x = y = 0.0
        for code in _all(obj, "TextCode"):
            text = "".join(code.itertext())
            x = _floats(code.get("X"))[0] if code.get("X") else x
            y = _floats(code.get("Y"))[0] if code.get("Y") else y
            dx, dy = _deltas(code.get("DeltaX")), _deltas(code.get("DeltaY"))
            # one TextCode can hold several lines: DeltaY moves down, a negative DeltaX goes back
            start, cx, cy = 0, x, y
            seg_x, seg_y = x, y
            for i in range(len(text) + 1):
                step_x = dx[i] if i < len(dx) else 0.0
                step_y = dy[i] if i < len(dy) else 0.0
                if i == len(text) or step_y or step_x < 0:
                    chunk = text[start : i + 1]
                    if chunk.strip():
                        px, py = a * seg_x + c * seg_y + e, b * seg_x + d * seg_y + f
                        end = a * cx + c * cy + e
                        runs.append(_Run(box[0] + px, box[0] + end + size, box[1] + py, size, chunk))
                    start = i + 1
                    seg_x, seg_y = cx + step_x, cy + step_y
                cx, cy = cx + step_x, cy + step_y
            x = cx
    return runs


def _columns(runs: list[_Run]) -> list[list[_Run]]:
    """Split a page at a vertical gutter that no run crosses and that has text on both sides for most of
    the page's height (a two-panel spread, a two-column layout); otherwise one column."""
    if len(runs) < 4:
        return [runs]
    left = min(r.x0 for r in runs)
    right = max(r.x1 for r in runs)
    width = right - left
    covered = sorted((r.x0, r.x1) for r in runs)
    gaps = []
    end = covered[0][1]
    for x0, x1 in covered[1:]:
        if x0 > end:
            gaps.append((end, x0))
        end = max(end, x1)
    for g0, g1 in sorted(gaps, key=lambda g: g[0] - g[1]):  # widest first
        mid = (g0 + g1) / 2
        size = sorted(r.size for r in runs)[len(runs) // 2]
        if g1 - g0 < 1.5 * size or not left + 0.25 * width < mid < left + 0.75 * width:
            continue
        a = [r for r in runs if r.x1 <= g0 + 0.01]
        b = [r for r in runs if r.x0 >= g1 - 0.01]
        if len(a) >= 2 and len(b) >= 2:
            return [*_columns(a), *_columns(b)]
    return [runs]


def _lines(runs: list[_Run]) -> list[_Line]:
    """Runs on one baseline make a line, left to right; lines top to bottom."""
    rows: list[list[_Run]] = []
    for r in sorted(runs, key=lambda r: (r.y, r.x0)):
        if rows and abs(r.y - rows[-1][0].y) <= 0.4 * max(r.size, 0.1):
            rows[-1].append(r)
        else:
            rows.append([r])
    lines = []
    for row in rows:
        row.sort(key=lambda r: r.x0)
        parts = [row[0].text]
        for prev, r in zip(row, row[1:]):
            gap = r.x0 - prev.x1
            parts.append((" " if gap > 1.0 * r.size else "") + r.text)
        text = "".join(parts).strip()
        if text:
            sizes = sorted(r.size for r in row)
            lines.append(_Line(text, row[0].x0, row[-1].x1, sizes[len(sizes) // 2]))
    return lines


def _join_columns(pages: list[list[list[_Line]]]) -> list[str]:
    """Paragraphs column by column; one that runs on into the next column or page (no sentence end, and
    the next column starts flush left) is joined. Each column is a printed page as far as page numbers
    and running headers go (a spread holds two)."""
    out: list[str] = []
    for lines in _strip_furniture([col for cols in pages for col in cols if col]):
        paragraphs = _paragraphs([lines], marker_breaks=True)
        if not paragraphs:
            continue
        left = min(ln.x0 for ln in lines)
        runs_on = out and out[-1][-1] not in _SENTENCE_END and lines[0].x0 - left <= 1.0 * lines[0].size
        if runs_on and not _ITEM_START.match(paragraphs[0]):
            out[-1] += paragraphs.pop(0)
        out.extend(paragraphs)
    return out
