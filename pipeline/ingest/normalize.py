"""Normalisation: small ``str -> str`` steps applied in an explicit order.

The normalised text keeps the official full-width punctuation of Chinese documents (``（一）``, ``：``,
``，``) because that is what the originals use and what web copies lost; digits and Latin letters are
ASCII; Kangxi-radical lookalikes from PDFs become ordinary characters.
"""
from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

_CJK = "\u3400-\u9fff\uf900-\ufaff"
_CP1252_SPECIALS = "".join(
    bytes([b]).decode("cp1252") for b in range(0x80, 0xA0) if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
)
# A run that could be UTF-8 bytes shown as cp1252/latin-1: a lead byte (Ã..ô) and continuation bytes.
_MOJIBAKE_RUN = re.compile(f"(?:[\u00c2-\u00f4][\u0080-\u00bf{_CP1252_SPECIALS}]+)+")
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]{0,500})?/?>")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});")
_SURROGATE = re.compile("[\ud800-\udfff]")


def fix_surrogates(text: str) -> str:
    """Join UTF-16 surrogate pairs and turn lone surrogates into U+FFFD.

    pdfminer maps glyphs of Identity-encoded fonts straight to code points, which can land in the
    surrogate range; text holding them cannot be written as UTF-8, so no later stage may see them.
    """
    if not _SURROGATE.search(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 that was decoded as Latin-1/cp1252 (``ä¿¡æ¯`` -> ``信息``), run by run."""
    if not any("\u00c2" <= ch <= "\u00f4" for ch in text):
        return text

    def fix(m: re.Match[str]) -> str:
        run = m.group(0)
        try:
            raw = bytes(ord(ch) if ord(ch) < 0x100 else ch.encode("cp1252")[0] for ch in run)
            return raw.decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return run

    return _MOJIBAKE_RUN.sub(fix, text)


def strip_html_residue(text: str) -> str:
    """Remove stray tags (``<br>``, ``<span ...>``) and decode entities left in text copied from the web."""
    if "<" in text:
        text = re.sub(r"<br\s*/?>", "\n", text, flags=re.I)
        text = _TAG.sub("", text)
    if "&" in text:
        text = _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)
    return text


def unify_characters(text: str) -> str:
    """Kangxi radicals and compatibility ideographs -> ordinary characters; full-width ASCII -> ASCII."""
    return text.translate(_char_table())


@lru_cache(maxsize=1)
def _char_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in list(range(0x2F00, 0x2FD6)) + list(range(0x2E80, 0x2EF4)) + list(range(0xF900, 0xFADA)):
        mapped = unicodedata.normalize("NFKC", chr(cp))
        if mapped != chr(cp) and len(mapped) == 1:
            table[cp] = mapped
    for cp in range(0xFF10, 0xFF1A):  # full-width digits
        table[cp] = chr(cp - 0xFEE0)
    for cp in list(range(0xFF21, 0xFF3B)) + list(range(0xFF41, 0xFF5B)):  # full-width letters
        table[cp] = chr(cp - 0xFEE0)
    table[0xFF05] = "%"
    table[0xFF0B] = "+"
    table[0xFF1D] = "="
    table[0xFF1C] = "<"
    table[0xFF1E] = ">"
    table[0xFF0F] = "/"
    table[0xFE6A] = "%"
    for zw in ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"):
        table[ord(zw)] = ""
    for sp in ("\u00a0", "\u2002", "\u2003", "\u2009", "\u202f", "\u3000"):
        table[ord(sp)] = " "
    table[ord("\r")] = "\n"
    table[ord("\u2028")] = "\n"
    table[ord("\u2029")] = "\n"
    table[ord("\t")] = " "
    return table


_ASCII_COLON = re.compile(r"(?<!\d):|:(?!\d)")
_ASCII_COMMA = re.compile(r"(?<!\d),|,(?!\d{3})")


def full_width_punctuation(text: str) -> str:
    """Web copies write ``(一)`` and ``:`` where the original had ``（一）`` and ``：``; restore them.

    ASCII brackets and semicolons become full-width everywhere; colons and commas only where they are
    not part of a number (``09:33``, ``1,000``).
    """
    if not any(ch in text for ch in "():,;!?"):
        return text
    text = text.replace("(", "（").replace(")", "）").replace(";", "；")
    text = _ASCII_COLON.sub("：", text)
    text = _ASCII_COMMA.sub("，", text)
    text = re.sub(f"(?<=[{_CJK}])!", "！", text)
    text = re.sub(f"(?<=[{_CJK}])\\?", "？", text)
    return text


# Frequent characters that exist only in traditional script; counting them detects a traditional
# document without running the (slow) converter over simplified text.
_TRADITIONAL_ONLY = frozenset(
    "黨國會發設進際務實體關題學將點這們為於與經動現當應業區還開過種數產見機環報導類結屬員幹領強計劃標準質"
    "議認識論項縣鄉鎮辦總統層職責條規範貫徹資源輔師課網絡衛農醫療養護境稅財濟價額億萬單雙舉勞歷屆邊連選檢"
    "驗證讀書鐘錢錄鍵築設傳術構廣營運費聯興滿權據錯離創韌險觀聽響顯變亂態藝廳圖積極緊難雖隊陸陽際戰鬥"
)


def to_simplified(text: str) -> str:
    """Convert a traditional-character document to simplified; simplified text is left untouched."""
    sample = text[:20000]
    cjk = sum(1 for ch in sample if "\u4e00" <= ch <= "\u9fff")
    traditional = sum(1 for ch in sample if ch in _TRADITIONAL_ONLY)
    if cjk < 4 or traditional < max(3, cjk * 0.01):
        return text
    return _t2s().convert(text)


@lru_cache(maxsize=1)
def _t2s():  # type: ignore[no-untyped-def]
    from opencc import OpenCC

    return OpenCC("t2s")


def tidy_whitespace(text: str) -> str:
    """Strip each line, drop runs of blank lines, and remove spaces between CJK characters in indents."""
    lines = [ln.strip() for ln in text.split("\n")]
    out: list[str] = []
    blank = False
    for ln in lines:
        if not ln:
            if not blank and out:
                out.append("")
            blank = True
            continue
        out.append(re.sub(" {2,}", "  ", ln))
        blank = False
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


STEPS: list[Callable[[str], str]] = [
    fix_surrogates,
    repair_mojibake,
    strip_html_residue,
    unify_characters,
    full_width_punctuation,
    to_simplified,
    tidy_whitespace,
]


def normalize(text: str, steps: list[Callable[[str], str]] | None = None) -> str:
    """Apply the normalisation steps in order and return the normalised text."""
    text = text.replace("\r\n", "\n")
    for step in STEPS if steps is None else steps:
        text = step(text)
    return text
