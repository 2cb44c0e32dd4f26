"""Input formats and their detection: magic bytes first, then the file extension."""
from __future__ import annotations

import zipfile
import io
from enum import Enum


class InputFormat(str, Enum):
    TXT = "txt"
    DOCX = "docx"
    PDF = "pdf"
    HTML = "html"
    XLSX = "xlsx"
    XLS = "xls"  # also WPS spreadsheets (.et): the same BIFF records in an OLE container
    CSV = "csv"
    OFD = "ofd"
    DOC = "doc"  # Word 97-2003, and WPS text files (.wps), which are the same format


_EXTENSIONS = {
    ".txt": InputFormat.TXT,
    ".text": InputFormat.TXT,
    ".md": InputFormat.TXT,
    ".docx": InputFormat.DOCX,
    ".pdf": InputFormat.PDF,
    ".html": InputFormat.HTML,
    ".htm": InputFormat.HTML,
    ".shtml": InputFormat.HTML,
    ".xhtml": InputFormat.HTML,
    ".csv": InputFormat.CSV,
    ".tsv": InputFormat.CSV,
}
_ZIPPED = {".docx", ".xlsx", ".ofd", ".pptx", ".zip"}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# Formats we recognise but cannot read: (magic prefix, description).
_UNSUPPORTED_MAGIC = [
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"{\\rtf", "an RTF file"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
]


def detect_format(data: bytes, name: str = "") -> InputFormat | str:
    """Return the InputFormat of ``data``, or a string describing an unsupported format.

    Magic bytes win over the extension, so a PNG named ``.pdf`` is reported as a PNG.
    """
    head = data[:1024]
    if head.startswith(_OLE):
        return _ole_format(data)
    for magic, what in _UNSUPPORTED_MAGIC:
        if head.startswith(magic):
            return what
    if head.lstrip()[:5] == b"%PDF-" or head.startswith(b"%PDF"):
        return InputFormat.PDF
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = set(zf.namelist())
        except zipfile.BadZipFile:
            ext = name[name.rfind("."):].lower() if "." in name else ""
            return f"a damaged {ext} (zip) package, truncated or corrupt" if ext in _ZIPPED else "a damaged zip archive"
        if "word/document.xml" in names:
            return InputFormat.DOCX
        if any(n.startswith("xl/") for n in names):
            return InputFormat.XLSX
        if "OFD.xml" in names or any(n.lower() == "ofd.xml" for n in names):
            return InputFormat.OFD
        if any(n.startswith("ppt/") for n in names):
            return "a PowerPoint file (.pptx)"
        return "a zip archive"
    ext = ""
    if "." in name:
        ext = name[name.rfind(".") :].lower()
    if ext in _EXTENSIONS:
        fmt = _EXTENSIONS[ext]
        if fmt is InputFormat.DOCX:
            return "a .docx that is not a zip package (damaged or renamed)"
        if fmt is InputFormat.PDF:
            return "a .pdf without a PDF header (damaged or renamed)"
        if fmt is InputFormat.CSV and _looks_like_html(head):
            return InputFormat.HTML
        if fmt is InputFormat.TXT and _looks_like_html(head):
            return InputFormat.HTML
        return fmt
    if _looks_like_html(head):
        return InputFormat.HTML
    if ext in {".xls", ".et"} and b"\x00" not in head:
        # Sites export "Excel" downloads as an HTML table or tab-separated text under an .xls name.
        if b"<table" in head.lower() or b"<meta" in head.lower():
            return InputFormat.HTML
        if b"\t" in head or b"," in head:
            return InputFormat.CSV
    if ext in {".doc", ".wps", ".xls", ".et", ".xlsx", ".ppt", ".pptx", ".rtf", ".ofd", ".jpg", ".jpeg", ".png"}:
        return f"a {ext} file that is not one (damaged or renamed)" if ext in _CONTAINERS else f"a {ext} file"
    return InputFormat.TXT


_CONTAINERS = {".doc", ".wps", ".xls", ".et", ".xlsx", ".ofd"}


def _ole_format(data: bytes) -> InputFormat | str:
    """Word, WPS and Excel 97-2003 files are OLE compound files; their stream names say which."""
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            streams = {"/".join(path) for path in ole.listdir()}
    except Exception:  # olefile raises OSError/struct.error/IndexError on a damaged container
        return "a damaged old Word/WPS/Excel (OLE) file"
    if "WordDocument" in streams:
        return InputFormat.DOC
    if "Workbook" in streams or "Book" in streams:
        return InputFormat.XLS
    if "PowerPoint Document" in streams:
        return "an old PowerPoint (OLE) file"
    if any(s.startswith("EncryptedPackage") or s == "EncryptionInfo" for s in streams):
        return "an encrypted/password-protected Office (OLE) file; save an unprotected copy"
    return "an old Word/WPS/Excel (OLE) file of a kind planscope does not read"


def _looks_like_html(head: bytes) -> bool:
    probe = head.lstrip().lower()
    for bom in (b"\xef\xbb\xbf",):
        if probe.startswith(bom):
            probe = probe[len(bom) :].lstrip()
    return probe.startswith((b"<!doctype html", b"<html", b"<?xml")) and b"<html" in head.lower()
