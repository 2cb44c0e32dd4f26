"""Chinese and Arabic numerals -> numbers, for spans already known to be numbers."""
from __future__ import annotations

_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
           "七": 7, "八": 8, "九": 9, "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7,
           "捌": 8, "玖": 9}
_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
CN_NUMERAL_CHARS = "".join(_DIGITS) + "".join(_SMALL_UNITS) + "".join(_BIG_UNITS)


def cn_to_int(text: str) -> int:
    """Convert a Chinese numeral (``三十三``, ``两百``, ``一万二千``, ``二〇二二``) to an int.

    >>> cn_to_int("三十三")
    33
    """
    if not text:
        raise ValueError("empty numeral")
    if all(ch in _DIGITS for ch in text) and len(text) > 1:
        return int("".join(str(_DIGITS[ch]) for ch in text))  # digit-by-digit, e.g. 二〇二二
    total = section = number = 0
    for ch in text:
        if ch in _DIGITS:
            number = _DIGITS[ch]
        elif ch in _SMALL_UNITS:
            section += (number or 1) * _SMALL_UNITS[ch]
            number = 0
        elif ch in _BIG_UNITS:
            total += (section + number) * _BIG_UNITS[ch]
            section = number = 0
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    return total + section + number


def to_number(text: str) -> float:
    """Arabic (``3.3``, ``1,000``) or Chinese (``二十``) numeral text -> float."""
    cleaned = text.replace(",", "").replace("，", "").strip()
    try:
        return float(cleaned)
    except ValueError:
        return float(cn_to_int(cleaned))
