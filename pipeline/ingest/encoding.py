"""Decode bytes deliberately: BOM, strict UTF-8, UTF-16 without BOM, detector, then GB18030."""
from __future__ import annotations

import codecs
import os

from ..errors import EncodingError

_BOMS = [
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]


def decode(data: bytes, *, source: str = "<bytes>") -> tuple[str, str]:
    """Decode ``data`` and return ``(text, encoding)``; see :func:`decode_reporting`."""
    text, encoding, _ = decode_reporting(data, source=source)
    return text, encoding


def decode_reporting(data: bytes, *, source: str = "<bytes>") -> tuple[str, str, list[str]]:
    """Decode ``data`` and return ``(text, encoding, warnings)``.

    Chinese government files are often GBK/GB18030 and sometimes UTF-16; the extension says nothing
    about that, so the encoding is read from the bytes. A few bad bytes in an otherwise clean UTF-8 or
    GB18030 file (a cut-and-paste accident, a truncated last character) are replaced with U+FFFD and
    reported as a ``bad_bytes`` warning instead of rejecting the whole file.
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc, []
            except UnicodeDecodeError:
                break
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError:
        pass
    utf16 = _utf16_without_bom(data)
    if utf16:
        return (*utf16, [])
    # Most non-UTF-8 Chinese text is GBK; GB18030 is its superset and decodes it exactly.
    try:
        text = data.decode("gb18030")
        if _plausible(text):
            return text, "gb18030", []
    except UnicodeDecodeError:
        pass
    # Before guessing another encoding (which turns every character into mojibake), see whether the
    # file is UTF-8 or GB18030 with a few bad bytes.
    for enc in ("utf-8", "gb18030"):
        text = data.decode(enc, "replace")
        bad = text.count("\ufffd")
        if bad <= max(3, len(text) // 1000) and _plausible(text.replace("\ufffd", "")):
            return text, enc, [f"bad_bytes: {bad} undecodable byte sequence(s) replaced with \ufffd, read as {enc}"]
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and best.encoding and _plausible(str(best)):
        return str(best), best.encoding, []
    for enc in ("big5", "utf-16"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _plausible(text):
            return text, enc, []
    raise EncodingError(
        f"{source}: cannot decode the text: it is not UTF-8, UTF-16 or GB18030/GBK and no other "
        "encoding fits; re-save it as UTF-8, or check that it is really a text file"
    ) from None


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    # Text in any 8-bit encoding has no NUL bytes; UTF-16 has them wherever ASCII (newlines, digits) occurs.
    if len(data) < 4 or len(data) % 2 or data.count(0) < max(1, len(data) // 200):
        return None
    even_zeros = data[0::2].count(0)
    odd_zeros = data[1::2].count(0)
    half = len(data) // 2
    # ASCII-heavy UTF-16 has zeros at one parity; CJK-heavy UTF-16 decodes to mostly CJK characters.
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff" or ch in "，。：；（）、")
        ascii_like = (odd_zeros if enc == "utf-16-le" else even_zeros) > half * 0.3
        if ascii_like or cjk > len(text) * 0.3:
            if _plausible(text):
                return text, enc
    return None


def _plausible(text: str) -> bool:
    """Text that is mostly printable and not full of private-use or control characters."""
    if not text:
        return True
    bad = sum(
        1
        for ch in text
        if (ord(ch) < 32 and ch not in "\t\r\n\f") or "\ue000" <= ch <= "\uf8ff" or ch == "\ufffd"
    )
    return bad <= max(2, len(text) // 200)


def display_path(path: str | os.PathLike[str]) -> str:
    """``path`` as text that can be written to a UTF-8 table or message.

    A file name that is not UTF-8 (GBK names unpacked from Windows archives) reaches Python with its
    bytes escaped as lone surrogates, which no UTF-8 writer accepts; each path component is decoded
    from its bytes instead. The result is for showing only: open the file by the original path.
    """
    text = os.fspath(path)
    if not any("\ud800" <= ch <= "\udfff" for ch in text):
        return text
    try:
        raw = os.fsencode(text)
    except UnicodeEncodeError:  # not from the file system: surrogates that stand for no byte
        return text.encode("utf-8", "replace").decode("utf-8")
    return "/".join(_decode_name(part) for part in raw.split(b"/"))


def _decode_name(raw: bytes) -> str:
    for enc in ("utf-8", "gb18030", "big5"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", "replace")
