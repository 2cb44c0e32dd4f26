"""Word 97-2003 (.doc) and WPS (.wps) reader: the text of the main document from its piece table.

No maintained pure-Python .doc reader is on PyPI (textract and friends shell out to antiword), so this
reads the documented minimum of [MS-DOC] itself, on top of olefile: the FIB gives the table stream and
the CLX, whose piece table maps character positions to 8-bit or UTF-16 runs of the WordDocument stream.
Fields keep their result, table cells become `` | ``-joined rows like the docx reader's.

What the piece table does not hold is Word's automatic numbering (the 一、 / （一） Word generates from
list definitions). When the file defines lists and LibreOffice is installed, the file is converted to
.docx with it (headless) and read by the docx reader, which restores the numbering; without
LibreOffice the text is read here and a ``doc_autonumbering`` warning says markers may be missing.
"""
from __future__ import annotations

import io
import os
import re
import shutil
import struct
import subprocess
import tempfile

from ..errors import ReadError
from ..model import RawText

_WIDENT = 0xA5EC
_F_ENCRYPTED = 0x0100
_F_TABLE1 = 0x0200
_CLX = 33  # index of fcClx/lcbClx in FibRgFcLcb97
_PLF_LST = 73  # fcPlfLst/lcbPlfLst: list (automatic numbering) definitions
LIBREOFFICE_TIMEOUT = 120


def read_doc(data: bytes, *, source: str = "<bytes>") -> RawText:
    """Read a .doc/.wps file; raises :class:`~pipeline.errors.ReadError` naming ``source`` when it cannot."""
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            word = ole.openstream("WordDocument").read()
            fib = _fib(word, source)
            table_name = "1Table" if fib["flags"] & _F_TABLE1 else "0Table"
            if not ole.exists(table_name):
                raise ReadError(f"{source}: damaged .doc, the {table_name} stream is missing")
            table = ole.openstream(table_name).read()
    except ReadError:
        raise
    except Exception as exc:  # olefile raises OSError/struct.error/... on damaged containers
        raise ReadError(f"{source}: damaged .doc/.wps file ({type(exc).__name__}: {exc})") from None
    warnings: list[str] = []
    if fib["lists"]:
        office = _libreoffice()
        if office:
            return _via_libreoffice(office, data, source)
        warnings.append("doc_autonumbering: the file numbers its items automatically, which is read only "
                        "with LibreOffice installed; markers Word generates may be missing")
    text = _clean(_main_text(word, table, fib, source))
    return RawText(text=text, format="doc", source=source, warnings=tuple(warnings))


def _fib(word: bytes, source: str) -> dict[str, int]:
    if len(word) < 0x40 or struct.unpack_from("<H", word, 0)[0] != _WIDENT:
        raise ReadError(f"{source}: damaged .doc, the WordDocument stream has no Word header")
    nfib, flags = struct.unpack_from("<H", word, 2)[0], struct.unpack_from("<H", word, 0x0A)[0]
    if flags & _F_ENCRYPTED:
        raise ReadError(f"{source}: the .doc is encrypted/password-protected; save an unprotected copy")
    if nfib < 0x00C1:  # Word 6/95 keeps its text differently
        office = _libreoffice()
        hint = "" if office else "; install LibreOffice, or save it as .docx"
        raise ReadError(f"{source}: a Word 6/95 file (nFib {nfib:#x}), which planscope reads only through LibreOffice{hint}")
    try:
        pos = 0x20
        csw = struct.unpack_from("<H", word, pos)[0]
        pos += 2 + 2 * csw
        cslw = struct.unpack_from("<H", word, pos)[0]
        lw = pos + 2
        ccp_text = struct.unpack_from("<i", word, lw + 12)[0]
        pos = lw + 4 * cslw
        cb = struct.unpack_from("<H", word, pos)[0]
        base = pos + 2

        def pair(i: int) -> tuple[int, int]:
            return struct.unpack_from("<II", word, base + 8 * i) if i < cb else (0, 0)

        fc_clx, lcb_clx = pair(_CLX)
        lists = pair(_PLF_LST)[1]
    except struct.error:
        raise ReadError(f"{source}: damaged .doc, the file information block is cut short") from None
    return {"flags": flags, "ccp_text": ccp_text, "fc_clx": fc_clx, "lcb_clx": lcb_clx, "lists": lists}


def _main_text(word: bytes, table: bytes, fib: dict[str, int], source: str) -> str:
    clx = table[fib["fc_clx"] : fib["fc_clx"] + fib["lcb_clx"]]
    pos = 0
    while pos < len(clx) and clx[pos] == 0x01:  # Prc: formatting we do not need
        pos += 3 + struct.unpack_from("<h", clx, pos + 1)[0]
    if pos + 5 > len(clx) or clx[pos] != 0x02:
        raise ReadError(f"{source}: damaged .doc, no piece table")
    lcb = struct.unpack_from("<I", clx, pos + 1)[0]
    plc = clx[pos + 5 : pos + 5 + lcb]
    n = (len(plc) - 4) // 12
    if n <= 0:
        raise ReadError(f"{source}: damaged .doc, empty piece table")
    cps = struct.unpack_from(f"<{n + 1}i", plc, 0)
    parts: list[str] = []
    limit = fib["ccp_text"]
    for i in range(n):
        start, end = cps[i], min(cps[i + 1], limit)
        if end <= start:
            continue
        fc = struct.unpack_from("<I", plc, 4 * (n + 1) + 8 * i + 2)[0]
        count = end - start
        if fc & 0x40000000:  # 8-bit text (cp1252) at fc / 2
            off = (fc & 0x3FFFFFFF) // 2
            chunk = word[off : off + count]
            parts.append(chunk.decode("cp1252", "replace"))
        else:
            chunk = word[fc : fc + 2 * count]
            parts.append(chunk.decode("utf-16-le", "replace"))
        if len(chunk) < count:
            raise ReadError(f"{source}: damaged .doc, the text runs past the end of the WordDocument stream")
    return "".join(parts)


def _fields(text: str) -> str:
    """\\x13 code \\x14 result \\x15 -> result (nested fields too); a field without a result is dropped."""
    out: list[str] = []
    stack: list[bool] = []  # per open field: are we in its result part?
    for ch in text:
        if ch == "\x13":
            stack.append(False)
        elif ch == "\x14" and stack:
            stack[-1] = True
        elif ch == "\x15" and stack:
            stack.pop()
        elif all(stack):
            out.append(ch)
    return "".join(out)


def _tables(text: str) -> str:
    """Paragraphs end with \r; a table cell's last paragraph ends with \x07 instead, and a row with one
    more (empty) \x07 paragraph. Rows become ``a | b | c`` lines, paragraphs inside a cell one line.

    The first row of a table (a header, whose cells are rarely empty) gives the number of cells, so
    that an empty cell later on is not taken for the end of its row.
    """
    out: list[str] = []
    cells: list[str] = []
    cell: list[str] = []  # paragraphs of the cell being read
    width = 0
    in_row = False
    for para, end in re.findall(r"([^\r\x07]*)([\r\x07]|$)", text):
        if end == "\x07":
            content = " ".join(p.strip() for p in [*cell, para] if p.strip())
            cell = []
            row_end = in_row and not content and (len(cells) == width if width else bool(cells))
            if row_end:
                width = width or len(cells)
                out.append(" | ".join(cells))
                cells, in_row = [], False
            else:
                cells.append(content)
                in_row = True
        elif end == "\r" or para:
            if in_row:
                cell.append(para)  # a paragraph inside a cell
            else:
                width = 0  # text after a table ends it
                out.append(para)
    if cells or cell:
        out.append(" | ".join([*cells, *cell]))
    return "\n".join(out)


def _clean(text: str) -> str:
    text = _fields(text)
    text = _tables(text.replace("\x0b", "\r").replace("\x0c", "\r"))
    # objects, footnote marks, hyphens Word keeps as control characters
    text = text.replace("\x1e", "-").replace("\x1f", "").replace("\xa0", " ")
    return re.sub(r"[\x00-\x08\x0e-\x1d]", "", text)


def _libreoffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _via_libreoffice(office: str, data: bytes, source: str) -> RawText:
    from .docx import read_docx

    with tempfile.TemporaryDirectory(prefix="planscope-doc-") as tmp:
        src = os.path.join(tmp, "in.doc")
        with open(src, "wb") as fh:
            fh.write(data)
        try:
            subprocess.run(
                [office, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp}/profile",
                 "--convert-to", "docx", "--outdir", tmp, src],
                check=True, capture_output=True, timeout=LIBREOFFICE_TIMEOUT,
            )
            with open(os.path.join(tmp, "in.docx"), "rb") as fh:
                converted = fh.read()
        except (OSError, subprocess.SubprocessError) as exc:
            raise ReadError(f"{source}: LibreOffice could not convert the .doc ({type(exc).__name__})") from None
    raw = read_docx(converted, source=source)
    return RawText(text=raw.text, format="doc", source=source, metadata=raw.metadata, warnings=raw.warnings)
