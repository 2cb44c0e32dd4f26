"""Readers, one per format, behind one :func:`read`."""
from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

from ..errors import EmptyDocument, PlanscopeError, ReadError, unsupported
from ..model import RawText
from .formats import InputFormat, detect_format
from .encoding import display_path
from .normalize import normalize

DEFAULT_MAX_BYTES = 50 * 1024 * 1024


def _mb(n: int) -> str:
    # --max-size counts MB of 1024 * 1024 bytes; three significant digits keep 0.5 from showing as 1.
    mb = n / 2**20
    return f"{mb:.3g}" if mb < 1000 else f"{mb:.0f}"


_KINDS = {stat.S_IFDIR: "a folder", stat.S_IFIFO: "a named pipe (FIFO)", stat.S_IFCHR: "a device",
          stat.S_IFBLK: "a device", stat.S_IFSOCK: "a socket"}


def _read_regular_file(path: Path, label: str, max_bytes: int) -> bytes:
    # Opened without blocking and checked on the open descriptor: a FIFO would block open() or read()
    # forever and /dev/zero never ends, while their stat size (0) passes the size limit.
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise ReadError(f"{label}: cannot open the file ({exc.strerror or exc})") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        kind = _KINDS.get(stat.S_IFMT(info.st_mode), "not a regular file")
        raise ReadError(f"{label}: is {kind}, not a plan file; only regular files are read")
    try:
        if info.st_size > max_bytes:
            raise ReadError(
                f"{label}: the file is {_mb(info.st_size)} MB, over the {_mb(max_bytes)} MB limit; "
                "raise the limit (--max-size) if it really is a plan"
            )
        # The size fstat gave and one byte more: a buffer of max_bytes per file would cost a large mmap
        # each time. A file still growing is read on, cut past the limit and refused by the caller.
        chunks, total, want = [], 0, info.st_size + 1
        while total <= max_bytes:
            chunk = os.read(fd, min(want, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            want = 1 << 20
        return b"".join(chunks)
    except OSError as exc:
        raise ReadError(f"{label}: cannot read the file ({exc.strerror or exc})") from None
    finally:
        os.close(fd)


def read_file(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """A regular file's bytes, refused as :func:`read` refuses it (too large, not a file, unreadable)."""
    return _read_regular_file(Path(path), display_path(path), max_bytes)


def _reader(fmt: InputFormat) -> Callable[..., RawText]:
    # Imported lazily so that reading a txt never pays for pdfplumber or python-docx.
    if fmt is InputFormat.TXT:
        from .txt import read_txt

        return read_txt
    if fmt is InputFormat.DOCX:
        from .docx import read_docx

        return read_docx
    if fmt is InputFormat.PDF:
        from .pdf import read_pdf

        return read_pdf
    if fmt in (InputFormat.XLSX, InputFormat.XLS, InputFormat.CSV):
        from . import sheet

        return {InputFormat.XLSX: sheet.read_xlsx, InputFormat.XLS: sheet.read_xls, InputFormat.CSV: sheet.read_csv}[fmt]
    if fmt is InputFormat.OFD:
        from .ofd import read_ofd

        return read_ofd
    if fmt is InputFormat.DOC:
        from .doc import read_doc

        return read_doc
    from .html import read_html

    return read_html


def read(
    source: str | os.PathLike[str] | bytes,
    *,
    format: str | None = None,
    name: str = "",
    label: str = "",
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> RawText:
    """Read a plan from a path or bytes and return its normalised text with metadata.

    Bytes are named in messages by ``label`` (for bytes :func:`read_file` read: the file as shown), else by
    ``name``. Raises a :class:`~pipeline.errors.PlanscopeError` subclass naming the file and the problem for
    input that cannot be read.
    """
    if isinstance(source, bytes):
        data, label = source, label or name or "<bytes>"
    else:
        path = Path(source)
        label = display_path(path)
        name = name or path.name
        data = _read_regular_file(path, label, max_bytes)
    if len(data) > max_bytes:
        raise ReadError(f"{label}: the input is {_mb(len(data))} MB, over the {_mb(max_bytes)} MB limit")
    if not data:
        raise EmptyDocument(f"{label}: the file is empty (0 bytes)")
    if not data.strip():
        raise EmptyDocument(f"{label}: the file is empty (only blank space, no text)")
    if format is not None:
        try:
            fmt: InputFormat | str = InputFormat(format)
        except ValueError:
            valid = ", ".join(f.value for f in InputFormat)
            raise ValueError(f"format must be one of {valid}, not {format!r}") from None
    else:
        fmt = detect_format(data, name)
    if isinstance(fmt, str) and not isinstance(fmt, InputFormat):
        raise unsupported(label, fmt)
    try:
        raw = _reader(fmt)(data, source=label)
    except (PlanscopeError, MemoryError):  # a MemoryError is the worker's limit: reported as such
        raise
    except Exception as exc:  # a library choking on a damaged file is bad input, not our bug
        raise ReadError(f"{label}: cannot read this {fmt.value} file ({type(exc).__name__}: {exc})") from exc
    text = normalize(raw.text)
    if not text.strip():
        raise EmptyDocument(f"{label}: no text found in the file")
    return RawText(text=text, format=raw.format, source=label, encoding=raw.encoding, metadata=raw.metadata,
                   warnings=raw.warnings)


__all__ = ["read", "InputFormat", "detect_format", "normalize", "display_path"]
