"""Plain-text reader."""
from __future__ import annotations

from ..model import RawText
from .encoding import decode_reporting


def read_txt(data: bytes, *, source: str = "<bytes>") -> RawText:
    """Decode a text file, whatever its encoding (UTF-8, UTF-16, GB18030/GBK, ...)."""
    text, encoding, warnings = decode_reporting(data, source=source)
    return RawText(text=text, format="txt", source=source, encoding=encoding, warnings=tuple(warnings))
